import { describe, expect, it } from 'vitest';
import { subsetRows, subsetVector } from '../../src/gbdt/dataset.ts';
import { type CompiledModel, compileModel, goesLeft, predictMargin, resolveColumns } from '../../src/gbdt/predict.ts';
import { shapValues } from '../../src/gbdt/shap.ts';
import { train } from '../../src/gbdt/train.ts';
import { syntheticBinary } from './helpers.ts';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** E[f(x) | x_S] with the tree's cover as the distribution (the quantity TreeSHAP explains). */
function condExpectation(cm: CompiledModel, cols: Float64Array[], row: number, node: number, inS: boolean[]): number {
  const f = cm.feature[node] as number;
  if (f < 0) return cm.value[node] as number;
  const l = cm.left[node] as number;
  const r = cm.right[node] as number;
  if (inS[f]) {
    return condExpectation(cm, cols, row, goesLeft(cm, node, (cols[f] as Float64Array)[row] as number) ? l : r, inS);
  }
  const w = cm.cover[node] as number;
  return (
    ((cm.cover[l] as number) * condExpectation(cm, cols, row, l, inS) +
      (cm.cover[r] as number) * condExpectation(cm, cols, row, r, inS)) /
    w
  );
}

function bruteForceShap(cm: CompiledModel, cols: Float64Array[], row: number): number[] {
  const M = cm.nFeatures;
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const v = (mask: number): number => {
    const inS = Array.from({ length: M }, (_, f) => ((mask >> f) & 1) === 1);
    let s = 0;
    for (let t = 0; t < cm.nTrees; t++) s += condExpectation(cm, cols, row, cm.roots[t] as number, inS);
    return s;
  };
  const phi = new Array(M).fill(0);
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> i) & 1) continue;
      let size = 0;
      for (let f = 0; f < M; f++) size += (mask >> f) & 1;
      const weight = (fact(size) * fact(M - size - 1)) / fact(M);
      phi[i] += weight * (v(mask | (1 << i)) - v(mask));
    }
  }
  return phi;
}

describe('TreeSHAP', () => {
  const { ds, y } = syntheticBinary(3000, 21);
  const tr = range(0, 2000);
  const te = range(2000, 3000);
  const { model } = train(subsetRows(ds, tr), subsetVector(y, tr), { rounds: 40, maxDepth: 5, eta: 0.2 });
  const test = subsetRows(ds, te);

  it('contributions plus bias sum to the raw margin for every test row', () => {
    const margin = predictMargin(model, test);
    const shap = shapValues(model, test);
    expect(shap.nFeatures).toBe(5);
    let maxErr = 0;
    for (let r = 0; r < test.nRows; r++) {
      let s = shap.bias;
      for (let f = 0; f < shap.nFeatures; f++) s += shap.values[r * shap.nFeatures + f] as number;
      maxErr = Math.max(maxErr, Math.abs(s - (margin[r] as number)));
    }
    expect(maxErr).toBeLessThan(1e-6);
  });

  it('equals the exact Shapley values computed by enumerating all feature subsets', () => {
    const small = train(subsetRows(ds, tr), subsetVector(y, tr), { rounds: 3, maxDepth: 4, eta: 0.5 }).model;
    const cm = compileModel(small);
    const probe = subsetRows(test, range(0, 25));
    const cols = resolveColumns(cm, probe);
    const shap = shapValues(cm, probe);
    for (let r = 0; r < probe.nRows; r++) {
      const exact = bruteForceShap(cm, cols, r);
      for (let f = 0; f < cm.nFeatures; f++)
        expect(shap.values[r * cm.nFeatures + f]).toBeCloseTo(exact[f] as number, 9);
    }
  });

  it('gives zero contribution to a feature the model never uses', () => {
    const unused = model.features.findIndex((_, f) => !model.trees.some((t) => t.feature.includes(f)));
    const shap = shapValues(model, test);
    if (unused >= 0) for (let r = 0; r < test.nRows; r++) expect(shap.values[r * 5 + unused]).toBe(0);
    // the dominant feature carries most of the attribution mass
    const mass = new Float64Array(5);
    for (let r = 0; r < test.nRows; r++)
      for (let f = 0; f < 5; f++) mass[f] = (mass[f] as number) + Math.abs(shap.values[r * 5 + f] as number);
    expect(shap.featureNames[mass.indexOf(Math.max(...mass))]).toBe('x0');
  });

  it('is additive for regression models too', () => {
    const yr = Float64Array.from(
      { length: 2000 },
      (_, i) => 2 * ((ds.numeric[0] as Float64Array)[i] as number) + i / 1000,
    );
    const reg = train(subsetRows(ds, tr), yr, { objective: 'reg:squarederror', rounds: 20, maxDepth: 4 }).model;
    const margin = predictMargin(reg, test);
    const shap = shapValues(reg, test);
    for (let r = 0; r < test.nRows; r++) {
      let s = shap.bias;
      for (let f = 0; f < 5; f++) s += shap.values[r * 5 + f] as number;
      expect(Math.abs(s - (margin[r] as number))).toBeLessThan(1e-6);
    }
  });
});
