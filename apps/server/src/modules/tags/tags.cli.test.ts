import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../../app-context.ts';
import { countAudience } from '../audiences/audiences.service.ts';
import { listEntries } from '../audit/audit.repo.ts';
import { registerTagCommands } from './tags.cli.ts';
import { FIXTURE_AS_OF, loadTagFixture } from './tags.fixture.ts';
import { activeCatalogue } from './tags.service.ts';
import { openTestContext } from './tags.test-context.ts';

describe('lingxi tags define / retire / refresh and audience count (CLI)', () => {
  let ctx: AppContext;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ ctx, dispose } = await openTestContext());
  });
  afterAll(async () => dispose());
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function cli(...args: string[]): Promise<{ json: Record<string, unknown>; exitCode: number }> {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('lingxi').option('--json').exitOverride();
    // the stores stay open across commands: close() is a no-op here
    registerTagCommands(program, async () => ({ ...ctx, stores: { ...ctx.stores, close: async () => {} } }));
    process.exitCode = undefined;
    await program.parseAsync(['node', 'lingxi', '--json', ...args]);
    const exitCode = Number(process.exitCode ?? 0);
    vi.restoreAllMocks();
    return { json: JSON.parse(out.join('')) as Record<string, unknown>, exitCode };
  }

  const yaml = (dataClass: string) => `
id: bank.salary_months_90d
name: { zh: 近90天代发月数, en: "Salary months, 90 d" }
family: financial
sub_family: income
value_type: number
unit: months
description: { zh: 近90天有代发工资入账的月份数, en: months with a salary credit in 90 days }
data_class: ${dataClass}
purposes: [marketing, service]
version: 1
refresh: daily
compute:
  kind: aggregate
  source: transactions
  fn: count_distinct
  column: ts
  transform: month
  where: [{ column: txn_type, op: eq, value: salary }]
  window: { within_days: 90 }
`;

  it('defines from a YAML file (dry run first), audits as cli, retires; bad files exit non-zero naming the field', async () => {
    const file = join(ctx.config.dataDir, 'bank-tags.yaml');
    writeFileSync(file, yaml('C1'));
    const bad = await cli('tags', 'define', '--file', file);
    expect(bad.exitCode).not.toBe(0);
    // the service's problem keeps the field it names
    expect(bad.json).toMatchObject({
      ok: false,
      details: { errors: [{ field: 'bank.salary_months_90d: data_class' }] },
    });

    writeFileSync(file, yaml('C2'));
    const dry = await cli('tags', 'define', '--file', file, '--dry-run');
    expect(dry).toMatchObject({ exitCode: 0, json: { ok: true, dryRun: true } });
    expect((await activeCatalogue(ctx)).byId.has('bank.salary_months_90d')).toBe(false);
    const saved = await cli('tags', 'define', '--file', file);
    expect(saved.json).toMatchObject({
      ok: true,
      dryRun: false,
      tags: [{ id: 'bank.salary_months_90d', created: true }],
    });
    expect((await activeCatalogue(ctx)).byId.has('bank.salary_months_90d')).toBe(true);
    expect((await listEntries(ctx.stores.op, { action: 'tags.defined', limit: 5 }))[0]?.actor_id).toBe('cli');
    const listed = (await cli('tags', 'list')).json as { tags: { id: string; custom: boolean }[] };
    expect(listed.tags.filter((t) => t.custom).map((t) => t.id)).toEqual(['bank.salary_months_90d']);

    const missing = await cli('tags', 'define', '--file', join(ctx.config.dataDir, 'nope.yaml'));
    expect(missing.exitCode).not.toBe(0);
    expect(String(missing.json.error)).toMatch(/^--file: cannot read/);

    expect(await cli('tags', 'retire', '--id', 'bank.salary_months_90d', '--reason', 'test')).toMatchObject({
      exitCode: 0,
      json: { ok: true, retired: 'bank.salary_months_90d' },
    });
    expect((await cli('tags', 'retire', '--id', 'bank.salary_months_90d')).exitCode).not.toBe(0);
  });

  it('refreshes and lists the refresh runs (newest first); a bad --limit names the option', async () => {
    await loadTagFixture(ctx.stores.an, ctx.stores.op, 40);
    const r = await cli('tags', 'refresh', '--as-of', FIXTURE_AS_OF);
    expect(r).toMatchObject({ exitCode: 0, json: { ok: true, asOf: FIXTURE_AS_OF } });
    const runs = await cli('tags', 'refreshes', '--limit', '1');
    expect(runs.exitCode).toBe(0);
    expect(runs.json.runs).toMatchObject([
      { runId: r.json.runId, asOf: FIXTURE_AS_OF, trigger: 'cli', actor: 'cli', status: 'succeeded' },
    ]);
    await expect(cli('tags', 'refreshes', '--limit', '0')).rejects.toThrow(/--limit must be a whole number/);
  });

  it('counts an audience expression (after the refresh above); bad input exits non-zero naming the field', async () => {
    const expr = JSON.stringify({ tag: 'app.last_login_days_ago', op: 'lte', value: 30 });
    const marketing = await cli('audience', 'count', '--expr', expr);
    const service = await cli('audience', 'count', '--expr', expr, '--purpose', 'service');
    const bitmap = await countAudience(ctx, JSON.parse(expr), 'service');
    expect(service).toMatchObject({ exitCode: 0, json: { ok: true, asOf: FIXTURE_AS_OF, count: bitmap.count } });
    expect(service.json.rules).toMatchObject([{ id: 'P4', effect: 'exempt' }]);
    expect(marketing.json).toMatchObject({ ok: true, rules: [{ id: 'P4', effect: 'applied' }] });
    expect(Number(marketing.json.count) + Number(marketing.json.excluded)).toBe(bitmap.count);

    const unknown = await cli('audience', 'count', '--expr', JSON.stringify({ tag: 'no.such', op: 'eq', value: 1 }));
    expect(unknown.exitCode).not.toBe(0);
    expect(String(unknown.json.error)).toContain('no.such');
    await expect(cli('audience', 'count', '--expr', 'not json')).rejects.toThrow(/--expr must be/);
    const purpose = await cli('audience', 'count', '--expr', expr, '--purpose', 'sales');
    expect(purpose.exitCode).not.toBe(0);
    expect(String(purpose.json.error)).toMatch(/^--purpose must be/);
  });
});
