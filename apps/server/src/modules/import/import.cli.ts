/**
 * `lingxi import` commands:
 *   import --source <name> --file <path> [--format csv|parquet|jsonl] [--mapping <file>] [--schema-version <n>] [--force]
 *   import runs [--limit <n>] [--source <name>]
 *   import quarantine --run <id> [--limit <n>] [--offset <n>] [--reveal]
 * With --json each prints exactly one JSON object on stdout; progress goes to stderr (when it is a terminal).
 * Exit status: non-zero when the run failed or was refused. Quarantined rows alone do not fail a run — they are
 * reported (counts, sample, `import quarantine`) and the rest of the file loads.
 */
import { SOURCE_NAMES } from '@lingxi/core/ingest/source-schemas';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, runCommand } from '../../cli/output.ts';
import { createProgress } from '../../cli/progress.ts';
import type { Stores } from '../../db/stores.ts';
import type { PiiCipher } from '../../security/crypto.ts';
import { FILE_FORMATS } from './import.readers.ts';
import {
  type ImportReport,
  ImportRequestError,
  type ImportRunSummary,
  type QuarantineEntry,
  quarantinedRows,
  recentImportRuns,
  runImport,
} from './import.service.ts';

export type OpenStoresFn = () => Promise<{ stores: Stores; cipher: PiiCipher }>;

const importOptionsSchema = z.object({
  source: z.enum(SOURCE_NAMES, { error: () => `expected one of ${SOURCE_NAMES.join(', ')}` }),
  file: z.string().min(1),
  format: z.enum(FILE_FORMATS, { error: () => `expected one of ${FILE_FORMATS.join(', ')}` }).optional(),
  mapping: z.string().min(1).optional(),
  schemaVersion: z.coerce.number().int().positive().optional(),
  force: z.boolean().optional(),
});

const runsOptionsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  source: z.string().min(1).optional(),
});

const quarantineOptionsSchema = z.object({
  run: z.string().min(1),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  reveal: z.boolean().optional(),
});

function parseOptions<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const field =
    i && i.path.length > 0 ? `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
  throw new CliError(`${field}: ${i?.message ?? 'invalid'}`);
}

async function withStores<T>(
  open: OpenStoresFn,
  fn: (s: { stores: Stores; cipher: PiiCipher }) => Promise<T>,
): Promise<T> {
  const s = await open();
  try {
    return await fn(s);
  } finally {
    await s.stores.close();
  }
}

function renderReport(r: ImportReport): string {
  const head =
    r.status === 'skipped'
      ? `import skipped: ${r.file} has the same content as completed run ${r.runId} (nothing changed; --force re-processes it)`
      : `import ${r.runId} ${r.status}: ${r.file} (${r.source} v${r.schemaVersion}, ${r.format}) — ${r.rowsTotal} rows, ` +
        `${r.rowsLoaded} loaded, ${r.rowsDuplicate} duplicate, ${r.rowsQuarantined} quarantined in ${r.seconds} s`;
  const lines = [head];
  if (r.error) lines.push(`  error: ${r.error}`);
  if (r.ignoredColumns.length > 0) lines.push(`  columns not loaded: ${r.ignoredColumns.join(', ')}`);
  for (const q of r.quarantineSample) lines.push(`  line ${q.line}: ${q.reason}`);
  if (r.rowsQuarantined > r.quarantineSample.length)
    lines.push(`  … ${r.rowsQuarantined - r.quarantineSample.length} more: lingxi import quarantine --run ${r.runId}`);
  return lines.join('\n');
}

function renderRuns(runs: readonly ImportRunSummary[]): string {
  if (runs.length === 0) return 'no import runs';
  return runs
    .map(
      (r) =>
        `${r.id}  ${r.startedAt}  ${r.status.padEnd(9)} ${r.source.padEnd(22)} ${r.fileName}  ` +
        `total=${r.rowsTotal} loaded=${r.rowsLoaded} dup=${r.rowsDuplicate} quarantined=${r.rowsQuarantined}` +
        (r.error ? `\n    ${r.error}` : ''),
    )
    .join('\n');
}

function renderQuarantine(runId: string, total: number, items: readonly QuarantineEntry[]): string {
  const lines = [`run ${runId}: ${total} quarantined row(s)`];
  for (const q of items) {
    lines.push(`  ${q.fileName}:${q.line}  ${q.reason}`);
    if (q.raw !== undefined) lines.push(`    raw: ${q.raw}`);
  }
  return lines.join('\n');
}

/** Adds `import`, `import runs` and `import quarantine` to the CLI. */
export function registerImportCommands(program: Command, openStoresFn: OpenStoresFn): void {
  const hasGlobalJson = program.options.some((o) => o.long === '--json');
  const withJson = (cmd: Command): Command =>
    hasGlobalJson ? cmd : cmd.option('--json', 'print exactly one JSON object on stdout');

  const imp = withJson(
    program
      .command('import')
      .description(
        'import a source file (CSV, Parquet, JSON Lines) under its declared schema; bad rows are quarantined, ' +
          'files with C3 columns refused; exits non-zero only when the run failed or was refused',
      )
      .option('--source <name>', `source schema: ${SOURCE_NAMES.join(' | ')}`)
      .option('--file <path>', 'the file to import')
      .option('--format <format>', 'csv | parquet | jsonl (default: from the file extension)')
      .option('--mapping <file>', 'column mapping file (YAML or JSON), see docs/import/')
      .option('--schema-version <n>', 'source schema version (default: the mapping’s, else the latest)')
      .option('--force', 'process the file even if the same content was imported before (rows still dedupe)'),
  );
  imp.action(async (_o: unknown, cmd: Command) =>
    runCommand(
      cmd,
      async () => {
        const o = parseOptions(importOptionsSchema, cmd.opts());
        return withStores(openStoresFn, async ({ stores, cipher }) => {
          const progress = createProgress('import');
          try {
            const report = await runImport(
              stores,
              cipher,
              {
                source: o.source,
                file: o.file,
                format: o.format,
                mappingFile: o.mapping,
                schemaVersion: o.schemaVersion,
                force: o.force,
              },
              { onProgress: (p) => progress.update(Math.round(p.fraction * 1000), 1000, `${p.rows} rows`) },
            );
            return { ok: report.status === 'completed' || report.status === 'skipped', ...report };
          } catch (err) {
            if (err instanceof ImportRequestError)
              throw new CliError(err.message, { field: err.field, reason: err.reason });
            throw err;
          } finally {
            progress.stop();
          }
        });
      },
      renderReport,
    ),
  );

  withJson(
    imp
      .command('runs')
      .description('list recent import runs, newest first')
      .option('--limit <n>', 'how many (default 20)')
      .option('--source <name>', 'only runs of this source'),
  ).action(async (_o: unknown, cmd: Command) =>
    runCommand(
      cmd,
      async () => {
        // optsWithGlobals: `import` itself also declares --source and consumes it before the subcommand sees it
        const o = parseOptions(runsOptionsSchema, cmd.optsWithGlobals());
        return withStores(openStoresFn, async ({ stores }) => ({
          ok: true,
          runs: await recentImportRuns(stores, { limit: o.limit, source: o.source }),
        }));
      },
      (r) => renderRuns(r.runs),
    ),
  );

  withJson(
    imp
      .command('quarantine')
      .description('list the quarantined rows of a run (file, line, field, reason); row content stays encrypted')
      .requiredOption('--run <id>', 'the import run id')
      .option('--limit <n>', 'how many (default 100)')
      .option('--offset <n>', 'skip this many (default 0)')
      .option('--reveal', 'also decrypt and print the raw rows (personal data: only where you are authorised)'),
  ).action(async (_o: unknown, cmd: Command) =>
    runCommand(
      cmd,
      async () => {
        const o = parseOptions(quarantineOptionsSchema, cmd.optsWithGlobals());
        return withStores(openStoresFn, async ({ stores, cipher }) => {
          if (o.reveal)
            process.stderr.write('import quarantine: --reveal prints raw rows that may hold personal data\n');
          const r = await quarantinedRows(stores, o.run, {
            limit: o.limit,
            offset: o.offset,
            ...(o.reveal ? { reveal: cipher } : {}),
          });
          if (r === null) throw new CliError(`--run: no import run ${o.run}`);
          return { ok: true, runId: r.run.id, total: r.total, items: r.items };
        });
      },
      (r) => renderQuarantine(r.runId, r.total, r.items),
    ),
  );
}
