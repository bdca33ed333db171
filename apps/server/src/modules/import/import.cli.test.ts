import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stores } from '../../db/stores.ts';
import { registerImportCommands } from './import.cli.ts';
import { customerFixture, openTestEnv, type TestEnv, writeCsv } from './import.test-support.ts';

describe('lingxi import (CLI)', () => {
  let env: TestEnv;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    env = await openTestEnv();
  });
  afterAll(async () => env.dispose());
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function cli(...args: string[]): Promise<{ json: Record<string, unknown>; exitCode: number; stderr: string }> {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
    const program = new Command('lingxi').option('--json').exitOverride();
    // the stores stay open across commands: close() is a no-op here
    const stores: Stores = { op: env.op, an: env.an, close: async () => {} };
    registerImportCommands(program, async () => ({ stores, cipher: env.cipher }));
    process.exitCode = undefined;
    await program.parseAsync(['node', 'lingxi', ...args]);
    const exitCode = Number(process.exitCode ?? 0);
    vi.restoreAllMocks();
    expect(out).toHaveLength(1); // exactly one JSON object on stdout
    return { json: JSON.parse(out[0] as string) as Record<string, unknown>, exitCode, stderr: err.join('') };
  }

  it('imports a file (format from the extension), prints one JSON report and exits 0 with quarantined rows', async () => {
    const f = join(env.dir, 'cust.csv');
    const rows = [0, 1].map((i) => {
      const c = customerFixture(i);
      return [c.cif, c.name, c.gender, c.birthDate, c.idNumber, '浙江省', '杭州市'];
    });
    (rows[0] as string[])[2] = 'X';
    writeCsv(f, ['cif', 'name', 'gender', 'birth_date', 'id_number', 'province', 'city'], rows);
    const r = await cli('import', '--source', 'core_banking_customers', '--file', f, '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      status: 'completed',
      format: 'csv',
      rowsLoaded: 1,
      rowsQuarantined: 1,
      quarantineSample: [{ line: 2, field: 'gender', reason: "gender: not one of M, F: 'X'" }],
    });

    const runs = await cli('import', 'runs', '--json');
    expect(runs.exitCode).toBe(0);
    expect((runs.json.runs as { id: string }[])[0]?.id).toBe(r.json.runId);

    const q = await cli('import', 'quarantine', '--run', String(r.json.runId), '--json');
    expect(q.json).toMatchObject({ ok: true, total: 1, items: [{ line: 2, field: 'gender' }] });
    expect(JSON.stringify(q.json)).not.toContain(customerFixture(0).name);

    const again = await cli('import', '--source', 'core_banking_customers', '--file', f, '--json');
    expect(again.exitCode).toBe(0);
    expect(again.json).toMatchObject({ ok: true, status: 'skipped', runId: r.json.runId });
  });

  it('exits non-zero when the file is refused (C3 column)', async () => {
    const f = join(env.dir, 'cards.csv');
    writeCsv(f, ['cif', 'name', 'cvv2'], [['C1', '张三', '123']]);
    const r = await cli('import', '--source', 'core_banking_customers', '--file', f, '--json');
    expect(r.exitCode).toBe(1);
    expect(r.json).toMatchObject({ ok: false, status: 'refused' });
    expect(String(r.json.error)).toContain("'cvv2'");
  });

  it('exits non-zero with a field-named error for bad arguments', async () => {
    const r = await cli('import', '--source', 'nope', '--file', 'x.csv', '--json');
    expect(r.exitCode).toBe(1);
    expect(r.json).toMatchObject({ ok: false });
    expect(String(r.json.error)).toMatch(/^--source: expected one of core_banking_customers/);
    const noExt = await cli(
      'import',
      '--source',
      'transactions',
      '--file',
      join(env.dir, 'cust.csv'),
      '--format',
      'xls',
      '--json',
    );
    expect(String(noExt.json.error)).toMatch(/^--format: /);
    const missing = await cli('import', 'quarantine', '--run', 'imp-nope', '--json');
    expect(missing.exitCode).toBe(1);
    expect(String(missing.json.error)).toBe('--run: no import run imp-nope');
  });
});
