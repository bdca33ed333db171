import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  type CheckReport,
  type ComplianceCheckIo,
  EXIT_ERROR_FINDINGS,
  EXIT_INVALID_INPUT,
  EXIT_OK,
  registerComplianceCheckCommand,
} from './compliance-check.cli.ts';

interface Captured {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/** Builds a program like the real CLI (optionally with the global --json), runs the args, captures the output. */
async function run(args: string[], files: Record<string, string> = {}, globalJson = false): Promise<Captured> {
  const captured: Captured = { stdout: '', stderr: '', exitCode: undefined };
  const io: ComplianceCheckIo = {
    stdout: (t) => {
      captured.stdout += t;
    },
    stderr: (t) => {
      captured.stderr += t;
    },
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file '${path}'`);
      return content;
    },
    setExitCode: (code) => {
      captured.exitCode = code;
    },
  };
  const program = new Command('lingxi').exitOverride();
  if (globalJson) program.option('--json', 'one JSON object on stdout');
  registerComplianceCheckCommand(program, io);
  await program.parseAsync(['compliance', 'check', ...args], { from: 'user' });
  return captured;
}

function parseJson(out: string): CheckReport {
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as CheckReport;
}

const GOOD_SMS = '【示例银行】新户首刷满99元得50元立减金，回T退订';

describe('lingxi compliance check --text', () => {
  it('prints one JSON object and exits 1 when there is an error finding', async () => {
    const out = await run([
      '--text',
      '保本保收益，稳赚不赔',
      '--product-type',
      'wealth',
      '--channel',
      'push',
      '--json',
    ]);
    const report = parseJson(out.stdout);
    expect(Object.keys(report)).toEqual(['results', 'summary']);
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ id: 'text', ok: false, productType: 'wealth', channel: 'push' });
    expect(report.results[0]!.findings.map((f) => f.ruleId)).toEqual(['M4', 'M4', 'M1']);
    expect(report.summary).toMatchObject({ cases: 1, failed: 1, exitCode: EXIT_ERROR_FINDINGS, ok: false });
    expect(out.exitCode).toBe(EXIT_ERROR_FINDINGS);
    expect(out.stderr).toBe('');
  });

  it('exits 0 for compliant copy and for warnings only', async () => {
    const ok = await run(['--text', GOOD_SMS, '--product-type', 'card', '--channel', 'sms']);
    expect(ok.exitCode).toBe(EXIT_OK);
    expect(ok.stdout).toMatch(/^PASS {2}text {2}card\/sms/);
    const warn = await run(['--text', '最受欢迎的联名卡上线', '--product-type', 'card', '--json']);
    expect(warn.exitCode).toBe(EXIT_OK);
    expect(parseJson(warn.stdout).results[0]).toMatchObject({ ok: true, errors: 0, warnings: 1 });
  });

  it('renders findings with rule, span, message and fix in human mode', async () => {
    const out = await run(['--text', '广告 国家级品质服务', '--product-type', 'card', '--channel', 'banner']);
    expect(out.stdout).toContain('FAIL  text  card/banner  1 error(s), 0 warning(s)');
    expect(out.stdout).toContain('M6  error   3-6 "国家级"');
    expect(out.stdout).toContain('fix: ');
    expect(out.stdout).toMatch(/1 case\(s\): 0 passed, 1 failed/);
  });

  it('works with the global --json of the main program', async () => {
    const out = await run(['--text', GOOD_SMS, '--product-type', 'card', '--channel', 'sms', '--json'], {}, true);
    expect(parseJson(out.stdout).summary.ok).toBe(true);
  });

  it('applies --allowed-domain and --origin', async () => {
    const text = '详情见 https://www.lingxi-bank.cn/a';
    const blocked = await run(['--text', text, '--json']);
    expect(parseJson(blocked.stdout).results[0]!.findings.map((f) => f.ruleId)).toEqual(['M11']);
    const allowed = await run(['--text', text, '--allowed-domain', 'lingxi-bank.cn', '--json']);
    expect(parseJson(allowed.stdout).results[0]!.findings).toEqual([]);
    const staff = await run(['--text', '今天的市场观察供您参考', '--origin', 'staff_composed', '--json']);
    expect(parseJson(staff.stdout).results[0]!.findings.map((f) => f.ruleId)).toEqual(['M7']);
  });

  it('rejects bad arguments naming the flag, exit 2', async () => {
    const bad = await run(['--text', 'x', '--product-type', 'stock', '--json']);
    const report = parseJson(bad.stdout);
    expect(report.summary.invalid[0]).toMatchObject({ line: null, field: '--product-type' });
    expect(bad.exitCode).toBe(EXIT_INVALID_INPUT);
    expect(bad.stderr).toMatch(/--product-type/);

    const neither = await run(['--json']);
    expect(parseJson(neither.stdout).summary.invalid[0]?.field).toBe('--text/--file');
    const both = await run(['--text', 'x', '--file', 'a.jsonl']);
    expect(both.exitCode).toBe(EXIT_INVALID_INPUT);
    const domain = await run(['--text', 'x', '--allowed-domain', 'no domain']);
    expect(domain.stderr).toMatch(/--allowed-domain/);
  });
});

describe('lingxi compliance check --file', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify(o);

  it('checks every valid line, reports bad lines with line number and field, exit 2', async () => {
    const content = [
      line({ id: 'a', text: GOOD_SMS, product_type: 'card', channel: 'sms' }),
      '{not json',
      line({ id: 'b', text: '零风险理财', product_type: 'wealth', channel: 'push' }),
      '',
      line({ id: 'c', text: 'x', product_type: 'stock', channel: 'push' }),
      line({ id: 'a', text: 'dup', product_type: 'card', channel: 'push' }),
      line({ id: 'd', text: '', product_type: 'card', channel: 'push' }),
      line({ id: 'e', text: '最佳方案', product_type: 'loan', channel: 'wechat', options: { origin: 'nope' } }),
    ].join('\n');
    const out = await run(['--file', 'cases.jsonl', '--json'], { 'cases.jsonl': content });
    const report = parseJson(out.stdout);
    expect(report.results.map((r) => [r.id, r.line, r.ok])).toEqual([
      ['a', 1, true],
      ['b', 3, false],
    ]);
    expect(report.summary.invalid.map((i) => [i.line, i.field])).toEqual([
      [2, '(json)'],
      [5, 'product_type'],
      [6, 'id'],
      [7, 'text'],
      [8, 'options.origin'],
    ]);
    expect(report.summary.exitCode).toBe(EXIT_INVALID_INPUT);
    expect(out.exitCode).toBe(EXIT_INVALID_INPUT);
    expect(out.stderr).toContain('error: line 5: product_type:');
    expect(out.stderr).toContain('error: line 6: id: duplicate id "a" (first on line 1)');
  });

  it('prints one block per case in human mode', async () => {
    const content = [
      line({ id: 'ok-1', text: GOOD_SMS, product_type: 'card', channel: 'sms' }),
      line({ id: 'bad-1', text: '新户办卡首刷立减50元', product_type: 'card', channel: 'banner' }),
    ].join('\n');
    const out = await run(['--file', 'f.jsonl'], { 'f.jsonl': content });
    expect(out.stdout).toMatch(/^PASS {2}ok-1/m);
    expect(out.stdout).toMatch(/^FAIL {2}bad-1 {2}card\/banner/m);
    expect(out.stdout).toContain('M10');
    expect(out.exitCode).toBe(EXIT_ERROR_FINDINGS);
  });

  it('reports an unreadable file', async () => {
    const out = await run(['--file', 'missing.jsonl', '--json']);
    expect(parseJson(out.stdout).summary.invalid[0]).toMatchObject({ field: '--file' });
    expect(out.exitCode).toBe(EXIT_INVALID_INPUT);
  });

  it('runs over the labelled corpus (extra fields are ignored)', async () => {
    const path = new URL('../../../../../packages/core/test/fixtures/copy-corpus.jsonl', import.meta.url);
    const content = await readFile(path, 'utf8');
    const out = await run(['--file', 'corpus.jsonl', '--json'], { 'corpus.jsonl': content });
    const report = parseJson(out.stdout);
    expect(report.summary.invalid).toEqual([]);
    expect(report.summary.cases).toBe(content.trim().split('\n').length);
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(out.exitCode).toBe(EXIT_ERROR_FINDINGS);
  });
});
