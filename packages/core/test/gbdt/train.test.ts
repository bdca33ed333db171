import { describe, expect, it } from 'vitest';
import { auc, r2 } from '../../src/eval/metrics.ts';
import { subsetRows, subsetVector } from '../../src/gbdt/dataset.ts';
import { featureImportance, loadModel, serializeModel } from '../../src/gbdt/model.ts';
import { compileModel, predict, predictMargin } from '../../src/gbdt/predict.ts';
import { Rng } from '../../src/gbdt/rng.ts';
import { train } from '../../src/gbdt/train.ts';
import { numericOnly, syntheticBinary } from './helpers.ts';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('GBDT training', () => {
  const { ds, y, truth } = syntheticBinary(6000, 7);
  const trainIdx = range(0, 4000);
  const testIdx = range(4000, 6000);
  const dtr = subsetRows(ds, trainIdx);
  const ytr = subsetVector(y, trainIdx);
  const dte = subsetRows(ds, testIdx);
  const yte = subsetVector(y, testIdx);

  it('learns a logistic ground truth close to the Bayes AUC', () => {
    const { model } = train(dtr, ytr, { rounds: 60, eta: 0.1, maxDepth: 4 });
    const p = predict(model, dte);
    const bayes = auc(yte, subsetVector(truth, testIdx));
    expect(auc(yte, p)).toBeGreaterThan(bayes - 0.03);
    const imp = featureImportance(model);
    expect(imp[0]?.name).toBe('x0');
    expect(imp.find((f) => f.name === 'noise')?.gain ?? 0).toBeLessThan((imp[0]?.gain ?? 0) / 10);
    expect(imp.reduce((a, f) => a + f.splits, 0)).toBe(
      model.trees.reduce((a, t) => a + t.feature.filter((f) => f >= 0).length, 0),
    );
  });

  it('is deterministic for a seed (with row and column subsampling) and depends on it', () => {
    const params = { rounds: 15, eta: 0.2, maxDepth: 4, subsample: 0.7, colsampleBytree: 0.6, seed: 42 };
    const a = serializeModel(train(dtr, ytr, params).model);
    const b = serializeModel(train(dtr, ytr, params).model);
    const c = serializeModel(train(dtr, ytr, { ...params, seed: 43 }).model);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('serialises and loads to identical predictions', () => {
    const { model } = train(dtr, ytr, { rounds: 20, maxDepth: 5 });
    const loaded = loadModel(serializeModel(model));
    expect(loaded).toEqual(model);
    expect(Array.from(predictMargin(loaded, dte))).toEqual(Array.from(predictMargin(model, dte)));
  });

  it('rejects invalid model JSON naming the field', () => {
    const { model } = train(dtr, ytr, { rounds: 2, maxDepth: 2 });
    const bad = JSON.parse(serializeModel(model));
    bad.trees[0].left[0] = 0;
    expect(() => loadModel(bad)).toThrow(/trees\.0\.left\.0/);
    expect(() => loadModel({ ...model, format: 'xgboost' })).toThrow(/model\.format/);
    expect(() => loadModel('{')).toThrow(/not valid JSON/);
  });

  it('rejects bad parameters and labels naming the field', () => {
    expect(() => train(dtr, ytr, { eta: 0 })).toThrow(/params\.eta/);
    expect(() => train(dtr, ytr, { maxBin: 300 })).toThrow(/params\.maxBin/);
    const y2 = Float64Array.from(ytr);
    y2[3] = 2;
    expect(() => train(dtr, y2, {})).toThrow(/label\[3\]/);
    expect(() => train(dtr, ytr, { earlyStoppingRounds: 3 })).toThrow(/earlyStoppingRounds/);
  });

  it('honours maxLeaves and maxDepth', () => {
    const { model } = train(dtr, ytr, { rounds: 5, maxDepth: 10, maxLeaves: 5 });
    for (const t of model.trees) expect(t.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(5);
    const shallow = train(dtr, ytr, { rounds: 5, maxDepth: 2 }).model;
    for (const t of shallow.trees) expect(t.feature.length).toBeLessThanOrEqual(7);
  });

  it('scale_pos_weight raises predicted probabilities', () => {
    const base = predict(train(dtr, ytr, { rounds: 20 }).model, dte);
    const weighted = predict(train(dtr, ytr, { rounds: 20, scalePosWeight: 4 }).model, dte);
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(weighted)).toBeGreaterThan(mean(base) + 0.1);
  });

  it('larger gamma and lambda give fewer / smaller leaves', () => {
    const loose = train(dtr, ytr, { rounds: 5, maxDepth: 6 }).model;
    const tight = train(dtr, ytr, { rounds: 5, maxDepth: 6, gamma: 20 }).model;
    const nodes = (m: typeof loose) => m.trees.reduce((a, t) => a + t.feature.length, 0);
    expect(nodes(tight)).toBeLessThan(nodes(loose));
    const reg = train(dtr, ytr, { rounds: 1, maxDepth: 1, lambda: 1000 }).model;
    const unreg = train(dtr, ytr, { rounds: 1, maxDepth: 1, lambda: 0 }).model;
    const maxAbs = (m: typeof loose) => Math.max(...(m.trees[0]?.value.map(Math.abs) ?? [0]));
    expect(maxAbs(reg)).toBeLessThan(maxAbs(unreg));
  });
});

describe('missing values', () => {
  function dataset(missingLikeHigh: boolean) {
    const rng = new Rng(5);
    const n = 3000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const high = rng.next() < 0.5;
      y[i] = high ? 1 : 0;
      const missing = rng.next() < 0.3;
      // missing values only occur on one side of the signal
      if (missing && high === missingLikeHigh) x[i] = Number.NaN;
      else x[i] = high ? 5 + rng.next() : rng.next();
    }
    return { ds: numericOnly({ x }), y };
  }

  for (const missingLikeHigh of [true, false]) {
    it(`learns the default direction (missing behaves like ${missingLikeHigh ? 'high' : 'low'} values)`, () => {
      const { ds, y } = dataset(missingLikeHigh);
      const { model } = train(ds, y, { rounds: 10, maxDepth: 1, eta: 0.5 });
      const probe = numericOnly({ x: Float64Array.from([Number.NaN, 0.5, 5.5]) });
      const [pNan, pLow, pHigh] = Array.from(predict(model, probe));
      expect(pHigh).toBeGreaterThan(0.9);
      expect(pLow).toBeLessThan(0.1);
      expect(pNan).toBeCloseTo(missingLikeHigh ? (pHigh as number) : (pLow as number), 10);
      expect(model.trees[0]?.defaultLeft[0]).toBe(missingLikeHigh ? 0 : 1);
    });
  }
});

describe('categorical features', () => {
  const rng = new Rng(9);
  const n = 4000;
  const levels = ['a', 'b', 'c', 'd', 'e'];
  const codes = Int32Array.from({ length: n }, () => rng.nextInt(5));
  // non-ordinal signal: {b, d} positive, so no single threshold on the codes separates the classes
  const y = Float64Array.from(codes, (c) => ((c === 1 || c === 3) !== rng.next() < 0.05 ? 1 : 0));
  const ds = {
    nRows: n,
    numeric: [],
    numericNames: [],
    categorical: [codes],
    categoricalNames: ['c'],
    categoricalLevels: [levels],
  };

  it('finds the optimal partition in a single split', () => {
    const { model } = train(ds, y, { rounds: 1, maxDepth: 1, eta: 1 });
    const t = model.trees[0];
    expect(t?.feature[0]).toBe(0);
    const left = new Set(t?.categories[0]?.left);
    expect(left.size === 2 ? left : new Set([0, 1, 2, 3, 4].filter((c) => !left.has(c)))).toEqual(new Set([1, 3]));
    expect(auc(y, predict(model, ds))).toBeGreaterThan(0.94);
  });

  it('matches levels by name at prediction time; unknown levels follow the missing direction', () => {
    const { model } = train(ds, y, { rounds: 5, maxDepth: 2 });
    const other = {
      nRows: 4,
      numeric: [],
      numericNames: [],
      categorical: [Int32Array.from([0, 1, 2, -1])],
      categoricalNames: ['c'],
      categoricalLevels: [['d', 'a', 'zzz']],
    };
    const same = { ...ds, nRows: 1, categorical: [Int32Array.from([3])] };
    const same2 = { ...ds, nRows: 1, categorical: [Int32Array.from([0])] };
    const missing = { ...ds, nRows: 1, categorical: [Int32Array.from([-1])] };
    const p = predict(model, other);
    expect(p[0]).toBe(predict(model, same)[0]);
    expect(p[1]).toBe(predict(model, same2)[0]);
    expect(p[2]).toBe(predict(model, missing)[0]);
    expect(p[3]).toBe(predict(model, missing)[0]);
    expect(() => predict(model, { ...other, categoricalNames: ['x'] })).toThrow(/column c/);
  });
});

describe('early stopping', () => {
  it('stops when the validation loss stops improving and keeps the best round', () => {
    const rng = new Rng(11);
    const n = 2000;
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const z = Float64Array.from({ length: n }, () => rng.normal());
    // weak signal plus lots of label noise: a deep, fast learner overfits quickly
    const y = Float64Array.from(x, (v) => (rng.next() < 1 / (1 + Math.exp(-0.5 * v)) ? 1 : 0));
    const ds = numericOnly({ x, z });
    const tr = range(0, 1000);
    const va = range(1000, 2000);
    const res = train(
      subsetRows(ds, tr),
      subsetVector(y, tr),
      { rounds: 500, eta: 0.5, maxDepth: 6, minChildWeight: 0, earlyStoppingRounds: 5 },
      {
        valid: { data: subsetRows(ds, va), label: subsetVector(y, va) },
      },
    );
    expect(res.stoppedEarly).toBe(true);
    expect(res.metric).toBe('logloss');
    expect(res.model.trees.length).toBe(res.bestIteration);
    expect(res.history.length).toBe(res.bestIteration + 5);
    const best = Math.min(...res.history);
    expect(res.history[res.bestIteration - 1]).toBe(best);
    expect(res.bestIteration).toBeLessThan(50);
  });
});

describe('regression', () => {
  it('fits y = 3x + noise with squared error', () => {
    const rng = new Rng(2);
    const n = 3000;
    const x = Float64Array.from({ length: n }, () => rng.next() * 10);
    const y = Float64Array.from(x, (v) => 3 * v + rng.normal() * 0.5);
    const ds = numericOnly({ x });
    const { model } = train(ds, y, { objective: 'reg:squarederror', rounds: 100, eta: 0.2, maxDepth: 3 });
    expect(model.baseMargin).toBeCloseTo(y.reduce((a, b) => a + b, 0) / n, 8);
    expect(r2(y, predict(model, ds))).toBeGreaterThan(0.98);
    const cm = compileModel(model);
    expect(cm.nTrees).toBe(100);
  });
});
