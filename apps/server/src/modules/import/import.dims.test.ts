import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runImport } from './import.service.ts';
import { customerFixture, openTestEnv, type TestEnv, writeCsv } from './import.test-support.ts';

const sync = vi.hoisted(() => ({ calls: [] as { customerIds?: number[] }[] }));
vi.mock('../dims/dims.service.ts', () => ({
  syncDimensions: async (_stores: unknown, opts?: { customerIds?: number[] }) => {
    sync.calls.push(opts ?? {});
  },
}));

describe('runImport refreshes the analytics dimensions', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await openTestEnv();
  });
  afterAll(async () => env.dispose());

  it('after customers (the new ids) and accounts (their owners); not when nothing was added', async () => {
    const f = join(env.dir, 'c.csv');
    const rows = [0, 1, 2].map((i) => {
      const c = customerFixture(i);
      return [c.cif, c.name, c.gender, c.birthDate, c.idNumber, '浙江省', '杭州市'];
    });
    writeCsv(f, ['cif', 'name', 'gender', 'birth_date', 'id_number', 'province', 'city'], rows);
    await runImport(env, env.cipher, { source: 'core_banking_customers', file: f });
    expect(sync.calls).toEqual([{ customerIds: [1, 2, 3] }]);

    await runImport(env, env.cipher, { source: 'core_banking_customers', file: f, force: true });
    expect(sync.calls).toHaveLength(1);

    const a = join(env.dir, 'a.csv');
    writeCsv(
      a,
      ['account_id', 'cif', 'account_no', 'kind', 'opened_at'],
      [
        ['1', customerFixture(2).cif, '6222020000000001', 'current', '2024-01-01'],
        ['2', customerFixture(2).cif, '6222020000000002', 'savings', '2024-01-01'],
      ],
    );
    await runImport(env, env.cipher, { source: 'core_banking_accounts', file: a });
    expect(sync.calls[1]).toEqual({ customerIds: [3] });
  });
});
