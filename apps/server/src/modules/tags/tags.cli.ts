/**
 * CLI: `tags list`, `tags refresh`, `tags refreshes [--limit N]`, `tags define --file F [--dry-run]`, `tags retire --id ID [--reason R]`,
 * `audience count` (every command takes the global `--json`). Bank-specific tags defined here are audited with the
 * pseudo-actor `cli`.
 */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { CliError, runCommand } from '../../cli/output.ts';
import { countAudience } from '../audiences/audiences.service.ts';
import { defineCustomTags, retireCustomTag } from './custom-tags.service.ts';
import { listRefreshRuns, listTags, refreshTags } from './tags.service.ts';

const cliActor = { id: 'cli', role: null };

const asOfArg = (v: string): string => {
  const r = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((s) => !Number.isNaN(Date.parse(s)))
    .safeParse(v);
  if (!r.success) throw new InvalidArgumentError('--as-of must be a date YYYY-MM-DD');
  return r.data;
};

const limitArg = (v: string): number => {
  const r = z.coerce.number().int().min(1).max(200).safeParse(v);
  if (!r.success) throw new InvalidArgumentError('--limit must be a whole number from 1 to 200');
  return r.data;
};

const exprArg = (v: string): unknown => {
  try {
    return z.record(z.string(), z.unknown()).parse(JSON.parse(v));
  } catch {
    throw new InvalidArgumentError('--expr must be a JSON object (an audience expression)');
  }
};

async function withCtx<T>(openCtx: () => Promise<AppContext>, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openCtx();
  try {
    return await fn(ctx);
  } finally {
    await ctx.stores.close();
  }
}

export function registerTagCommands(program: Command, openCtx: () => Promise<AppContext>): void {
  const tags = program.command('tags').description('tag factory: catalogue and refresh');

  tags
    .command('list')
    .description('list the tag catalogue with coverage of the latest snapshot')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (_opts, cmd: Command) =>
      runCommand(
        cmd,
        () =>
          withCtx(openCtx, async (ctx) => {
            const r = await listTags(ctx);
            return {
              ok: true,
              asOf: r.asOf,
              count: r.tags.length,
              tags: r.tags.map((t) => ({
                id: t.definition.id,
                name: t.definition.name,
                family: t.definition.family,
                valueType: t.definition.value_type,
                version: t.version,
                dataClass: t.dataClass,
                coverage: t.coverage,
                custom: t.custom,
              })),
              broken: r.broken,
            };
          }),
        (r) =>
          [
            `${r.count} tags (snapshot ${r.asOf ?? 'none yet'})`,
            ...r.broken.map((b) => `error: bank tag ${b.tagId} left out: ${b.field}: ${b.reason}`),
            ...r.tags.map(
              (t) =>
                `${t.id.padEnd(40)} ${t.family.padEnd(13)} ${t.valueType.padEnd(8)} v${t.version} ${t.dataClass} ${
                  t.coverage === null ? '-' : `${(t.coverage * 100).toFixed(1)}%`
                }  ${t.name.zh}`,
            ),
          ].join('\n'),
      ),
    );

  tags
    .command('refresh')
    .description('compute every tag as of a date (default: today in the configured time zone)')
    .option('--as-of <date>', 'snapshot date YYYY-MM-DD', asOfArg)
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (opts: { asOf?: string }, cmd: Command) =>
      runCommand(
        cmd,
        () => withCtx(openCtx, (ctx) => refreshTags(ctx, { asOf: opts.asOf, trigger: 'cli', actor: 'cli' })),
        (r) =>
          `refreshed ${r.tags} tags for ${r.customers} customers as of ${r.asOf} in ${(r.durationMs / 1000).toFixed(1)} s (${r.rows} values, ${r.newVersions.length} new versions)${r.outsideVocabulary.map((o) => `\nwarning: ${o.tagId}: ${o.customers} customers have a value outside its vocabulary`).join('')}`,
      ),
    );

  tags
    .command('refreshes')
    .description('recent tag refreshes, newest first (failed ones with their error)')
    .option('--limit <n>', 'how many (1–200, default 20)', limitArg, 20)
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (opts: { limit: number }, cmd: Command) =>
      runCommand(
        cmd,
        () => withCtx(openCtx, async (ctx) => ({ ok: true, runs: await listRefreshRuns(ctx, opts.limit) })),
        (r) =>
          r.runs.length === 0
            ? 'no tag refresh yet'
            : r.runs
                .map(
                  (x) =>
                    `${x.startedAt}  as of ${x.asOf}  ${x.status.padEnd(9)} ${x.trigger}${x.actor ? ` (${x.actor})` : ''}${
                      x.durationMs === null ? '' : `  ${(x.durationMs / 1000).toFixed(1)} s`
                    }${x.tags === null ? '' : `  ${x.tags} tags, ${x.customers} customers, ${x.newVersions?.length ?? 0} new versions`}${
                      x.error ? `\n    error: ${x.error}` : ''
                    }`,
                )
                .join('\n'),
      ),
    );

  tags
    .command('define')
    .description('add or replace bank-specific tags (ids under bank.) from a JSON or YAML definitions file')
    .requiredOption('--file <path>', 'definitions: one, a list or {tags: [...]}, JSON or YAML')
    .option('--dry-run', 'validate and compile against the catalogue without saving')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (opts: { file: string; dryRun?: boolean }, cmd: Command) =>
      runCommand(
        cmd,
        () =>
          withCtx(openCtx, async (ctx) => {
            let text: string;
            try {
              text = readFileSync(opts.file, 'utf8');
            } catch (err) {
              throw new CliError(`--file: cannot read ${opts.file}: ${(err as Error).message}`);
            }
            const format = /\.ya?ml$/i.test(opts.file) ? 'yaml' : /\.json$/i.test(opts.file) ? 'json' : undefined;
            return { ok: true, ...(await defineCustomTags(ctx, { text, format, dryRun: opts.dryRun }, cliActor)) };
          }),
        (r) =>
          [
            `${r.dryRun ? 'valid (dry run, nothing saved)' : 'saved'}: ${r.tags.length} tag(s); the next refresh computes them`,
            ...r.tags.map(
              (t) => `  ${t.id}${t.created ? ' (new)' : ' (replaced)'} reads ${t.sourceColumns.join(', ') || '-'}`,
            ),
          ].join('\n'),
      ),
    );

  tags
    .command('retire')
    .description('retire a bank-specific tag (refused while other tags or saved audiences use it)')
    .requiredOption('--id <tag>', 'the bank-specific tag id (bank.*)')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (opts: { id: string; reason?: string }, cmd: Command) =>
      runCommand(
        cmd,
        () =>
          withCtx(openCtx, async (ctx) => {
            await retireCustomTag(ctx, opts.id, cliActor, opts.reason);
            return { ok: true, retired: opts.id };
          }),
        (r) => `retired ${r.retired}; its snapshots stay readable`,
      ),
    );

  const audience = program.command('audience').description('audience builder');
  audience
    .command('count')
    .description('count an audience expression on the latest tag snapshot')
    .requiredOption('--expr <json>', 'audience expression as JSON', exprArg)
    .option('--purpose <purpose>', 'marketing | service | regulatory', 'marketing')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (opts: { expr: unknown; purpose: string }, cmd: Command) =>
      runCommand(
        cmd,
        () =>
          withCtx(openCtx, async (ctx) => {
            const purpose = z.enum(['marketing', 'service', 'regulatory']).safeParse(opts.purpose);
            if (!purpose.success) throw new CliError('--purpose must be marketing, service or regulatory');
            return { ok: true, ...(await countAudience(ctx, opts.expr, purpose.data)) };
          }),
        (r) =>
          `${r.count} customers (as of ${r.asOf}, ${r.elapsedMs} ms)${r.rules.map((n) => `; ${n.id} ${n.effect}: ${n.detail}`).join('')}`,
      ),
    );
}
