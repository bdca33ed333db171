/**
 * `lingxi compliance check`: runs the marketing-copy compliance checker (rules M1–M12) on one text or on a JSONL
 * file of cases.
 *
 *   lingxi compliance check --text <copy> [--product-type wealth] [--channel sms] [--json]
 *   lingxi compliance check --file cases.jsonl [--json]      # one {"id","text","product_type","channel"} per line
 *
 * Exit codes: 0 — no error findings; 1 — at least one finding of severity `error` (warnings alone never fail);
 * 2 — invalid input (bad arguments, unreadable file, or invalid lines; every other line is still checked).
 * With `--json`, stdout carries exactly one object `{"results":[...],"summary":{...}}`; diagnostics go to stderr.
 */
import { readFile } from 'node:fs/promises';
import {
  CHANNELS,
  CONTENT_ORIGINS,
  CopyCheckInputError,
  type CopyCheckOptions,
  checkCopy,
  copyCheckOptionsSchema,
  describeZodIssues,
  type Finding,
  PRODUCT_TYPES,
} from '@lingxi/core/compliance/copy-checker';
import type { Command } from 'commander';
import { z } from 'zod';

export const EXIT_OK = 0;
export const EXIT_ERROR_FINDINGS = 1;
export const EXIT_INVALID_INPUT = 2;

/** The side effects of the command, injectable for tests. */
export interface ComplianceCheckIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  setExitCode(code: number): void;
}

const processIo: ComplianceCheckIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

export interface CaseResult {
  readonly id: string;
  /** 1-based line in the --file input; null for --text. */
  readonly line: number | null;
  readonly productType: string;
  readonly channel: string;
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly findings: readonly Finding[];
}

export interface InvalidInput {
  /** 1-based line of the --file input, or null for a command-line argument. */
  readonly line: number | null;
  readonly field: string;
  readonly reason: string;
}

export interface CheckSummary {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly warnings: number;
  readonly byRule: Readonly<Record<string, number>>;
  readonly invalid: readonly InvalidInput[];
}

export interface CheckReport {
  readonly results: readonly CaseResult[];
  readonly summary: CheckSummary;
}

const argsSchema = z.object({
  text: z.string().min(1, 'must not be empty').optional(),
  file: z.string().min(1, 'must not be empty').optional(),
  productType: z.enum(PRODUCT_TYPES).default('other'),
  channel: z.enum(CHANNELS).default('push'),
  allowedDomain: z.array(z.string()).default([]),
  origin: z.enum(CONTENT_ORIGINS).optional(),
  json: z.boolean().default(false),
});

type CheckArgs = z.output<typeof argsSchema>;

const FLAG_OF: Readonly<Record<string, string>> = {
  text: '--text',
  file: '--file',
  productType: '--product-type',
  channel: '--channel',
  allowedDomain: '--allowed-domain',
  origin: '--origin',
};

const caseLineSchema = z.object({
  id: z.string().min(1, 'must not be empty'),
  text: z.string().min(1, 'must not be empty'),
  product_type: z.enum(PRODUCT_TYPES),
  channel: z.enum(CHANNELS),
  options: copyCheckOptionsSchema.optional(),
});

interface CheckCase {
  readonly id: string;
  readonly line: number | null;
  readonly text: string;
  readonly productType: (typeof PRODUCT_TYPES)[number];
  readonly channel: (typeof CHANNELS)[number];
  readonly options: CopyCheckOptions | undefined;
}

function runCase(c: CheckCase): CaseResult {
  const result = checkCopy({ text: c.text, productType: c.productType, channel: c.channel, options: c.options });
  return {
    id: c.id,
    line: c.line,
    productType: c.productType,
    channel: c.channel,
    ok: result.ok,
    errors: result.findings.filter((f) => f.severity === 'error').length,
    warnings: result.findings.filter((f) => f.severity === 'warning').length,
    findings: result.findings,
  };
}

/** Parses a JSONL file of cases; invalid lines are reported and skipped. */
export function parseCaseLines(
  content: string,
  defaults: CopyCheckOptions | undefined,
): { cases: CheckCase[]; invalid: InvalidInput[] } {
  const cases: CheckCase[] = [];
  const invalid: InvalidInput[] = [];
  const seen = new Map<string, number>();
  const lines = content.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      invalid.push({ line, field: '(json)', reason: `invalid JSON: ${(err as Error).message}` });
      continue;
    }
    const parsed = caseLineSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of describeZodIssues(parsed.error)) invalid.push({ line, ...issue });
      continue;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      invalid.push({ line, field: 'id', reason: `duplicate id "${parsed.data.id}" (first on line ${first})` });
      continue;
    }
    seen.set(parsed.data.id, line);
    cases.push({
      id: parsed.data.id,
      line,
      text: parsed.data.text,
      productType: parsed.data.product_type,
      channel: parsed.data.channel,
      options: mergeOptions(defaults, parsed.data.options),
    });
  }
  return { cases, invalid };
}

function mergeOptions(
  defaults: CopyCheckOptions | undefined,
  own: CopyCheckOptions | undefined,
): CopyCheckOptions | undefined {
  if (defaults === undefined) return own;
  return { ...defaults, ...own };
}

function summarise(results: readonly CaseResult[], invalid: readonly InvalidInput[]): CheckSummary {
  const byRule: Record<string, number> = {};
  for (const r of results) for (const f of r.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const failed = results.filter((r) => !r.ok).length;
  const exitCode = invalid.length > 0 ? EXIT_INVALID_INPUT : failed > 0 ? EXIT_ERROR_FINDINGS : EXIT_OK;
  return {
    ok: exitCode === EXIT_OK,
    exitCode,
    cases: results.length,
    passed: results.length - failed,
    failed,
    errors: results.reduce((n, r) => n + r.errors, 0),
    warnings: results.reduce((n, r) => n + r.warnings, 0),
    byRule,
    invalid,
  };
}

/** Checks the cases selected by the arguments (`--text` or `--file`). Never throws for bad input. */
export async function runComplianceCheck(
  rawArgs: Record<string, unknown>,
  io: ComplianceCheckIo,
): Promise<CheckReport> {
  const parsedArgs = argsSchema.safeParse(rawArgs);
  if (!parsedArgs.success) {
    const invalid = describeZodIssues(parsedArgs.error).map((i) => ({
      line: null,
      field: FLAG_OF[i.field] ?? i.field,
      reason: i.reason,
    }));
    return { results: [], summary: summarise([], invalid) };
  }
  const args: CheckArgs = parsedArgs.data;
  const argProblem = (field: string, reason: string): CheckReport => ({
    results: [],
    summary: summarise([], [{ line: null, field, reason }]),
  });
  if ((args.text === undefined) === (args.file === undefined)) {
    return argProblem('--text/--file', 'give exactly one of --text <copy> or --file <cases.jsonl>');
  }

  let defaults: CopyCheckOptions | undefined;
  if (args.allowedDomain.length > 0 || args.origin !== undefined) {
    const parsed = copyCheckOptionsSchema.safeParse({
      ...(args.allowedDomain.length > 0 ? { allowedDomains: args.allowedDomain } : {}),
      ...(args.origin !== undefined ? { origin: args.origin } : {}),
    });
    if (!parsed.success) {
      const issue = describeZodIssues(parsed.error)[0];
      return argProblem(
        issue?.field.startsWith('allowedDomains') ? '--allowed-domain' : '--origin',
        issue?.reason ?? 'invalid',
      );
    }
    defaults = parsed.data;
  }

  let cases: CheckCase[];
  let invalid: InvalidInput[] = [];
  if (args.text !== undefined) {
    cases = [
      {
        id: 'text',
        line: null,
        text: args.text,
        productType: args.productType,
        channel: args.channel,
        options: defaults,
      },
    ];
  } else {
    let content: string;
    try {
      content = await io.readFile(args.file ?? '');
    } catch (err) {
      return argProblem('--file', `cannot read ${args.file}: ${(err as Error).message}`);
    }
    ({ cases, invalid } = parseCaseLines(content, defaults));
  }

  const results: CaseResult[] = [];
  for (const c of cases) {
    try {
      results.push(runCase(c));
    } catch (err) {
      if (!(err instanceof CopyCheckInputError)) throw err;
      for (const issue of err.issues) {
        const field = c.line === null ? (FLAG_OF[issue.field] ?? issue.field) : issue.field;
        invalid.push({ line: c.line, field, reason: issue.reason });
      }
    }
  }
  invalid = [...invalid].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { results, summary: summarise(results, invalid) };
}

function spanLabel(f: Finding): string {
  return f.span.start === f.span.end ? `@${f.span.start}` : `${f.span.start}-${f.span.end}`;
}

/** Human rendering: one block per case, then a summary line. */
export function renderReport(report: CheckReport): string {
  const out: string[] = [];
  for (const r of report.results) {
    const status = r.ok ? (r.warnings > 0 ? 'WARN' : 'PASS') : 'FAIL';
    out.push(`${status}  ${r.id}  ${r.productType}/${r.channel}  ${r.errors} error(s), ${r.warnings} warning(s)`);
    for (const f of r.findings) {
      const matched = f.matched.length > 0 ? ` "${f.matched}"` : '';
      out.push(`  ${f.ruleId.padEnd(3)} ${f.severity.padEnd(7)} ${spanLabel(f)}${matched}`);
      out.push(`      ${f.message.zh} / ${f.message.en}`);
      out.push(`      fix: ${f.suggestion.zh} / ${f.suggestion.en}`);
    }
  }
  const s = report.summary;
  const invalidNote = s.invalid.length > 0 ? `; ${s.invalid.length} invalid input(s)` : '';
  out.push(
    `${s.cases} case(s): ${s.passed} passed, ${s.failed} failed (${s.errors} error(s), ${s.warnings} warning(s))${invalidNote}`,
  );
  return out.join('\n');
}

function describeInvalid(i: InvalidInput): string {
  return i.line === null ? `${i.field}: ${i.reason}` : `line ${i.line}: ${i.field}: ${i.reason}`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `compliance check` (reusing an existing `compliance` command group when one is registered). */
export function registerComplianceCheckCommand(program: Command, io: ComplianceCheckIo = processIo): Command {
  const group =
    program.commands.find((c) => c.name() === 'compliance') ??
    program.command('compliance').description('marketing-copy compliance (rulebook M1–M12)');
  return group
    .command('check')
    .description(
      'check marketing copy against rules M1–M12; exit 1 if any error finding, 2 on invalid input (see --help)',
    )
    .option('--text <copy>', 'the copy to check')
    .option('--file <cases.jsonl>', 'JSONL file, one {"id","text","product_type","channel"[,"options"]} per line')
    .option('--product-type <type>', `product type with --text: ${PRODUCT_TYPES.join('|')}`, 'other')
    .option('--channel <channel>', `channel with --text: ${CHANNELS.join('|')}`, 'push')
    .option(
      '--allowed-domain <domain>',
      'bank domain links may point to (repeatable; default example-bank.cn)',
      collect,
      [],
    )
    .option('--origin <origin>', `provenance of the text (M7): ${CONTENT_ORIGINS.join('|')}`)
    .option('--json', 'print exactly one JSON object {"results","summary"} on stdout')
    .action(async (_opts: unknown, cmd: Command) => {
      const raw = cmd.optsWithGlobals<Record<string, unknown>>();
      const report = await runComplianceCheck(raw, io);
      for (const i of report.summary.invalid) io.stderr(`error: ${describeInvalid(i)}\n`);
      if (raw.json === true) io.stdout(`${JSON.stringify(report)}\n`);
      else io.stdout(`${renderReport(report)}\n`);
      io.setExitCode(report.summary.exitCode);
    });
}
