import { describe, expect, it } from 'vitest';
import {
  alift,
  auc,
  averagePrecision,
  liftAtTop,
  liftCurve,
  logLoss,
  mae,
  meanSd,
  precisionAtTop,
  r2,
  recallAtTop,
  rmse,
  rocCurve,
} from '../../src/eval/metrics.ts';

// positives: rows 0, 2, 3; scores with a tie (0.5) between a positive and a negative
const y = [1, 0, 1, 1, 0, 0];
const s = [0.9, 0.8, 0.7, 0.5, 0.5, 0.1];

describe('ranking metrics (hand-computed)', () => {
  it('AUC counts a tied pair as one half', () => {
    // 0.9 beats 3 negatives, 0.7 beats 2, 0.5 beats 1 and ties 1 → 6.5 / 9
    expect(auc(y, s)).toBeCloseTo(6.5 / 9, 12);
    expect(auc([1, 0], [0.3, 0.3])).toBe(0.5);
    expect(auc([0, 1, 0, 1], [1, 2, 3, 4])).toBe(0.75);
    expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
    // invariant to monotone transforms of the score
    expect(
      auc(
        y,
        s.map((v) => Math.exp(10 * v)),
      ),
    ).toBeCloseTo(6.5 / 9, 12);
  });

  it('ROC curve has one point per distinct score', () => {
    const pts = rocCurve(y, s).map((p) => [p.fpr, p.tpr]);
    expect(pts).toEqual([
      [0, 0],
      [0, 1 / 3],
      [1 / 3, 1 / 3],
      [1 / 3, 2 / 3],
      [2 / 3, 1],
      [1, 1],
    ]);
  });

  it('average precision', () => {
    // 1/3·1 + 1/3·(2/3) + 1/3·(3/5)
    expect(averagePrecision(y, s)).toBeCloseTo(34 / 45, 12);
    expect(averagePrecision([1, 1, 0], [3, 2, 1])).toBe(1);
  });

  it('precision, recall and lift at the top k%, ties counted pro rata', () => {
    expect(precisionAtTop(y, s, 0.5)).toBeCloseTo(2 / 3, 12);
    // top 4 of 6: 2 positives among the first 3, then half of the tied pair
    expect(precisionAtTop(y, s, 4 / 6)).toBeCloseTo(2.5 / 4, 12);
    expect(precisionAtTop(y, s, 5 / 6)).toBeCloseTo(3 / 5, 12);
    expect(recallAtTop(y, s, 0.5)).toBeCloseTo(2 / 3, 12);
    expect(liftAtTop(y, s, 0.5)).toBeCloseTo(4 / 3, 12);
    expect(() => precisionAtTop(y, s, 0)).toThrow(/fraction/);
    const curve = liftCurve(y, s, 2);
    expect(curve[1]).toEqual({ fraction: 1, captured: 1, lift: 1 });
  });

  it('ALIFT is the area under the cumulative gains curve (Moro et al.)', () => {
    expect(alift(y, s)).toBeCloseTo(22 / 36, 12);
    // random (all tied) → 0.5; perfect → 1 − p/2
    expect(alift([1, 0, 0, 0], [1, 1, 1, 1])).toBeCloseTo(0.5, 12);
    expect(alift([1, 0, 0, 0], [4, 3, 2, 1])).toBeCloseTo(1 - 0.25 / 2, 12);
  });

  it('log loss with clipping', () => {
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
    expect(() => logLoss([1, 0], [0.5])).toThrow(/2 labels but 1 scores/);
  });
});

describe('regression metrics', () => {
  it('RMSE, MAE, R²', () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(mae([1, 2, 3], [1, 2, 5])).toBeCloseTo(2 / 3, 12);
    expect(r2([1, 2, 3], [1, 2, 5])).toBeCloseTo(-1, 12);
    expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
  });

  it('mean ± sample sd', () => {
    const { mean, sd } = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});
