import { describe, expect, it } from 'vitest';
import {
  applyIsotonic,
  applyPlatt,
  brierScore,
  expectedCalibrationError,
  fitIsotonic,
  fitPlatt,
  reliabilityBins,
} from '../../src/eval/calibration.ts';
import { Rng } from '../../src/gbdt/rng.ts';

describe('reliability bins', () => {
  it('bins probabilities into equal-width bins', () => {
    const bins = reliabilityBins([0, 1, 1, 0, 1], [0.05, 0.15, 0.55, 0.5, 1], 2);
    expect(bins[0]).toMatchObject({ count: 2, lower: 0, upper: 0.5 });
    expect(bins[0]?.meanPredicted).toBeCloseTo(0.1, 12);
    expect(bins[0]?.fractionPositive).toBe(0.5);
    expect(bins[1]?.count).toBe(3);
    expect(bins[1]?.fractionPositive).toBeCloseTo(2 / 3, 12);
    // ECE = 2/5·|0.1 − 0.5| + 3/5·|0.6833 − 0.6667|
    expect(expectedCalibrationError([0, 1, 1, 0, 1], [0.05, 0.15, 0.55, 0.5, 1], 2)).toBeCloseTo(
      0.4 * 0.4 + 0.6 * Math.abs(2.05 / 3 - 2 / 3),
      12,
    );
    expect(brierScore([1, 0], [0.5, 0.5])).toBe(0.25);
    expect(() => reliabilityBins([1], [1.5])).toThrow(/probabilities\[0\]/);
  });
});

describe('Platt scaling', () => {
  it('recovers the slope and intercept of logistic data', () => {
    const rng = new Rng(4);
    const n = 20_000;
    const s = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from(s, (v) => (rng.next() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0));
    const c = fitPlatt(s, y);
    expect(c.slope).toBeGreaterThan(1.85);
    expect(c.slope).toBeLessThan(2.15);
    expect(c.intercept).toBeGreaterThan(-1.1);
    expect(c.intercept).toBeLessThan(-0.9);
    expect(applyPlatt(c, 0.5)).toBeCloseTo(1 / (1 + Math.exp(-(c.slope * 0.5 + c.intercept))), 12);
  });
});

describe('isotonic regression (PAVA)', () => {
  it('pools adjacent violators and interpolates', () => {
    const c = fitIsotonic([1, 2, 3, 4], [1, 3, 2, 4]);
    expect(c.x).toEqual([1, 2, 3, 4]);
    expect(c.y).toEqual([1, 2.5, 2.5, 4]);
    expect(applyIsotonic(c, 0)).toBe(1);
    expect(applyIsotonic(c, 2.5)).toBe(2.5);
    expect(applyIsotonic(c, 3.5)).toBeCloseTo(3.25, 12);
    expect(applyIsotonic(c, 10)).toBe(4);
  });

  it('pools ties in x and produces a non-decreasing fit', () => {
    const c = fitIsotonic([3, 1, 1, 2, 5, 4], [0, 1, 0, 1, 1, 0], [1, 1, 1, 1, 1, 3]);
    for (let i = 1; i < c.y.length; i++) expect(c.y[i] as number).toBeGreaterThanOrEqual(c.y[i - 1] as number);
    // x=1 → 0.5 (w 2); x=2 → 1; x=3 → 0 pools with x=2 → 0.5 (w 2, no violation with 0.5);
    // x=4 → 0 (w 3) pools with that → 0.2 (w 5), which violates 0.5 → all pooled: (1 + 1) / 7; x=5 → 1
    expect(c.x).toEqual([1, 4, 5]);
    expect(c.y).toEqual([2 / 7, 2 / 7, 1]);
    expect(applyIsotonic(c, 4.5)).toBeCloseTo((2 / 7 + 1) / 2, 12);
  });
});
