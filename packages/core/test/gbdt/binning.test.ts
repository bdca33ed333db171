import { describe, expect, it } from 'vitest';
import { binDataset, computeBinSpecs, computeNumericCuts, MISSING_BIN, numericBin } from '../../src/gbdt/binning.ts';
import { Rng } from '../../src/gbdt/rng.ts';

describe('numeric binning', () => {
  it('gives every distinct value its own bin when there are few', () => {
    const cuts = computeNumericCuts(Float64Array.from([3, 1, 2, 2, Number.NaN, 1, 3]), 255);
    expect(Array.from(cuts)).toEqual([1, 2, 3]);
    expect(numericBin(cuts, 0.5)).toBe(0);
    expect(numericBin(cuts, 1)).toBe(0);
    expect(numericBin(cuts, 1.5)).toBe(1);
    expect(numericBin(cuts, 3)).toBe(2);
    expect(numericBin(cuts, 99)).toBe(2);
    expect(numericBin(cuts, Number.NaN)).toBe(MISSING_BIN);
    expect(numericBin(cuts, Number.POSITIVE_INFINITY)).toBe(MISSING_BIN);
  });

  it('uses at most maxBin roughly equal-frequency quantile bins', () => {
    const rng = new Rng(1);
    const v = Float64Array.from({ length: 10_000 }, () => rng.normal());
    const cuts = computeNumericCuts(v, 16);
    expect(cuts.length).toBeLessThanOrEqual(16);
    expect(cuts.length).toBeGreaterThanOrEqual(15);
    const counts = new Array(cuts.length).fill(0);
    for (const x of v) counts[numericBin(cuts, x)]++;
    for (const c of counts) expect(Math.abs(c - 10_000 / 16)).toBeLessThan(10_000 / 16 / 4);
    for (let i = 1; i < cuts.length; i++) expect(cuts[i] as number).toBeGreaterThan(cuts[i - 1] as number);
    expect(cuts[cuts.length - 1]).toBe(Math.max(...v));
  });

  it('puts rare categorical levels into a shared bin when there are more levels than bins', () => {
    const levels = Array.from({ length: 10 }, (_, i) => `l${i}`);
    const codes = Int32Array.from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1]);
    const ds = {
      nRows: codes.length,
      numeric: [],
      numericNames: [],
      categorical: [codes],
      categoricalNames: ['c'],
      categoricalLevels: [levels],
    };
    const specs = computeBinSpecs(ds, { maxBin: 4 });
    const m = binDataset(ds, specs);
    expect(m.nBins[0]).toBe(4);
    const bins = Array.from(m.bins);
    expect(bins[0]).toBe(0); // most frequent level keeps its own bin
    expect(bins[3]).toBe(1);
    expect(bins[13]).toBe(MISSING_BIN);
    expect(new Set(bins.slice(6, 13))).toEqual(new Set([3]));
  });

  it('rejects a maxBin above 255', () => {
    const ds = {
      nRows: 1,
      numeric: [Float64Array.of(1)],
      numericNames: ['a'],
      categorical: [],
      categoricalNames: [],
      categoricalLevels: [],
    };
    expect(() => computeBinSpecs(ds, { maxBin: 256 })).toThrow(/maxBin/);
  });
});
