import { describe, expect, it } from 'vitest';
import { psi } from '../../src/eval/psi.ts';
import { foldSplit, holdoutSplit, kFold, stratifiedKFold } from '../../src/eval/split.ts';

describe('stratified k-fold', () => {
  const y = Float64Array.from({ length: 1003 }, (_, i) => (i % 10 === 0 ? 1 : 0));

  it('balances folds and class shares', () => {
    const fold = stratifiedKFold(y, 5, 1);
    const pos = [0, 0, 0, 0, 0];
    const size = [0, 0, 0, 0, 0];
    fold.forEach((f, i) => {
      size[f] = (size[f] as number) + 1;
      if (y[i] === 1) pos[f] = (pos[f] as number) + 1;
    });
    expect(Math.max(...size) - Math.min(...size)).toBeLessThanOrEqual(1);
    expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1);
    const { train, test } = foldSplit(fold, 2);
    expect(train.length + test.length).toBe(1003);
  });

  it('is deterministic for a seed', () => {
    expect(stratifiedKFold(y, 5, 1)).toEqual(stratifiedKFold(y, 5, 1));
    expect(stratifiedKFold(y, 5, 1)).not.toEqual(stratifiedKFold(y, 5, 2));
    expect(kFold(100, 4, 3)).toEqual(kFold(100, 4, 3));
    expect(() => stratifiedKFold(y, 1, 1)).toThrow(/folds/);
  });

  it('stratified holdout keeps the class share', () => {
    const { train, test } = holdoutSplit(y, 0.2, 7);
    expect(test.length).toBe(Math.round(0.2 * 101) + Math.round(0.2 * 902));
    expect(train.length + test.length).toBe(1003);
    const posTest = Array.from(test).filter((i) => y[i] === 1).length;
    expect(posTest).toBe(Math.round(0.2 * 101));
  });
});

describe('PSI', () => {
  const expected = Float64Array.from({ length: 10 }, (_, i) => i + 1);

  it('matches a hand computation', () => {
    // bins from expected: ≤ 5 and > 5 (50% / 50%); actual: 25% / 75%
    const r = psi(expected, [1, 2, 6, 7, 8, 9, 10, 11], { nBins: 2 });
    expect(r.bins.map((b) => [b.upper, b.expected, b.actual])).toEqual([
      [5, 0.5, 0.25],
      [Number.POSITIVE_INFINITY, 0.5, 0.75],
    ]);
    expect(r.psi).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
  });

  it('uses epsilon for empty bins and a bin for missing values', () => {
    const r = psi(expected, [6, 7], { nBins: 2 });
    expect(r.psi).toBeCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 12);
    expect(psi(expected, expected).psi).toBe(0);
    const m = psi(expected, [1, Number.NaN], { nBins: 2 });
    expect(m.bins).toHaveLength(3);
    expect(m.bins[2]?.actual).toBe(0.5);
  });
});
