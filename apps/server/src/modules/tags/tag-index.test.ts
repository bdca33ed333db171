import { leafHolds, type NormalLeaf } from '@lingxi/core/audience/expression';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNumericIndex, buildTagIndex, numericLeaf, rankRange } from './tag-index.ts';

type NumOp = Extract<NormalLeaf, { kind: 'num' }>['op'];

function brute(ids: number[], values: number[], op: NumOp, args: number[]): number[] {
  const leaf: NormalLeaf = { tag: 't', kind: 'num', op, values: args };
  return ids.filter((_, i) => leafHolds(leaf, { str: '', num: values[i] ?? null })).sort((a, b) => a - b);
}

describe('numeric tag index', () => {
  it('is exact at bucket boundaries, with duplicates spanning buckets', () => {
    // 320 customers, 32 buckets of 10; value 5 spans buckets 0–6 exactly on boundaries and in the middle.
    const ids = Array.from({ length: 320 }, (_, i) => 1000 + ((i * 37) % 320));
    const values = ids.map((_, i) => (i < 65 ? 5 : i));
    const ix = buildNumericIndex(ids, values, 32);
    expect(ix.buckets).toHaveLength(32);
    // Bucket boundaries fall inside the run of 5s; every comparison must still be exact.
    for (const op of ['lt', 'lte', 'gt', 'gte', 'eq', 'ne'] as const) {
      for (const x of [4, 5, 5.5, 64, 65, 66, 69, 70, 71, 319, 320]) {
        expect(numericLeaf(ix, op, [x]).toArray(), `${op} ${x}`).toEqual(brute(ids, values, op, [x]));
      }
    }
    expect(numericLeaf(ix, 'between', [69, 130]).toArray()).toEqual(brute(ids, values, 'between', [69, 130]));
    expect(numericLeaf(ix, 'in', [5, 100, 999]).toArray()).toEqual(brute(ids, values, 'in', [5, 100, 999]));
  });

  it('rank ranges combine whole buckets and the exact partial ones', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const ix = buildNumericIndex(
      ids,
      ids.map((i) => i * 2),
      8,
    );
    expect(rankRange(ix, 3, 97).toArray()).toEqual(ids.slice(3, 97));
    expect(rankRange(ix, 0, 0).size).toBe(0);
  });

  it('rank ranges over prefix bitmaps equal the sorted ids, for every kind of boundary', () => {
    // 1000 customers in 128 buckets: 16 prefix steps of 8 buckets; ranges start and end inside buckets, on bucket
    // boundaries and on prefix boundaries
    const n = 1000;
    const ids = Array.from({ length: n }, (_, i) => (i * 7919) % 100_003);
    const ix = buildNumericIndex(
      ids,
      ids.map((_, i) => i),
      128,
    );
    expect(ix.prefix).toHaveLength(17);
    expect(ix.prefix[16]?.size).toBe(n);
    const sortedIds = (a: number, b: number) => ids.slice(a, b).sort((x, y) => x - y);
    const cuts = [...new Set([0, 1, 7, 8, 62, 63, 64, 500, 501, 937, 992, 999, 1000, ...ix.buckets.map((b) => b.lo)])];
    for (const a of cuts)
      for (const b of cuts) if (b >= a) expect(rankRange(ix, a, b).toArray(), `[${a}, ${b})`).toEqual(sortedIds(a, b));
  });

  it('matches brute force on random data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom<NumOp>('lt', 'lte', 'gt', 'gte', 'eq', 'ne', 'between', 'in', 'not_in'),
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        (values, op, x, w) => {
          const ids = values.map((_, i) => i * 3 + 1);
          const ix = buildNumericIndex(ids, values, 32);
          const args = op === 'between' ? [x, x + w] : op === 'in' || op === 'not_in' ? [x, x + w] : [x];
          expect(numericLeaf(ix, op, args).toArray()).toEqual(brute(ids, values, op, args));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('value sets', () => {
  it('indexes enum values, set elements and presence', () => {
    const ix = buildTagIndex({
      asOf: '2026-03-31',
      versions: new Map(),
      universe: [1, 2, 3, 4],
      personalisationOff: [4],
      valueSets: [
        { tag: 'a.tier', value: 'mass', ids: [1, 2] },
        { tag: 'a.tier', value: 'hnw', ids: [3] },
        // set elements one by one, as the loader unnests them; a value given twice is merged
        { tag: 'a.families', value: 'fund', ids: [1] },
        { tag: 'a.families', value: 'wealth', ids: [1] },
        { tag: 'a.families', value: 'fund', ids: [2] },
      ],
      numeric: [],
    });
    const leaf = (l: NormalLeaf) => ix.leaf(l).toArray();
    expect(leaf({ tag: 'a.tier', kind: 'str', op: 'ne', values: ['mass'] })).toEqual([3]);
    expect(leaf({ tag: 'a.tier', kind: 'presence', op: 'is_null' })).toEqual([4]);
    expect(leaf({ tag: 'a.families', kind: 'set', op: 'eq', values: ['fund'] })).toEqual([1, 2]);
    expect(leaf({ tag: 'a.families', kind: 'set', op: 'not_in', values: ['wealth'] })).toEqual([2]);
    expect(
      ix.evaluate({ not: { leaf: { tag: 'a.tier', kind: 'str', op: 'eq', values: ['mass'] } } }).toArray(),
    ).toEqual([3, 4]);
  });
});
