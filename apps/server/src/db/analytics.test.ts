import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsDb, openChdbAt } from './analytics.ts';

describe('analytics store on chDB: Arrow results', () => {
  let an: AnalyticsDb;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lingxi-analytics-'));
    an = openChdbAt(dir);
  });
  afterAll(async () => {
    await an.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns typed columns with bound parameters, across several record batches', async () => {
    // 300k rows arrive in more than one record batch; the columns are whole and in order
    const t = await an.queryArrow(
      'SELECT toUInt32(number) AS id, toFloat64(number) / {d:Float64} AS v FROM numbers({n:UInt32}) ORDER BY id',
      { n: 300_000, d: 4 },
    );
    expect(t.numRows).toBe(300_000);
    expect(t.batches.length).toBeGreaterThan(1);
    const ids = t.getChild('id')?.toArray();
    const vs = t.getChild('v')?.toArray();
    expect(ids).toBeInstanceOf(Uint32Array);
    expect(vs).toBeInstanceOf(Float64Array);
    expect(ids?.[299_999]).toBe(299_999);
    expect(vs?.[6]).toBe(1.5);
  });

  it('returns lists and strings, and an empty result with its columns', async () => {
    const t = await an.queryArrow(
      `SELECT toString(number % 3) AS value, arraySort(groupArray(toUInt32(number))) AS ids
         FROM numbers(10) GROUP BY value ORDER BY value`,
    );
    expect(t.numRows).toBe(3);
    expect(t.getChild('value')?.get(1)).toBe('1');
    expect([...(t.getChild('ids')?.get(1)?.toArray() ?? [])]).toEqual([1, 4, 7]);
    const empty = await an.queryArrow('SELECT toUInt32(number) AS id FROM numbers(10) WHERE number > 100');
    expect(empty.numRows).toBe(0);
    expect(empty.getChild('id')?.toArray()).toHaveLength(0);
  });

  it('rejects a bad query with the engine error, and keeps working afterwards', async () => {
    await expect(an.queryArrow('SELECT no_such_column FROM numbers(1)')).rejects.toThrow(/no_such_column/);
    expect((await an.queryArrow('SELECT toUInt8(1) AS x')).numRows).toBe(1);
  });
});
