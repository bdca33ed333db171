import type { Dataset } from '../../src/gbdt/dataset.ts';
import { Rng } from '../../src/gbdt/rng.ts';

/** Synthetic binary task: logistic ground truth over numeric features, one categorical, some missing values. */
export function syntheticBinary(n: number, seed: number): { ds: Dataset; y: Float64Array; truth: Float64Array } {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const noise = new Float64Array(n);
  const cat = new Int32Array(n);
  const y = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.normal();
    x1[i] = rng.next() < 0.15 ? Number.NaN : rng.normal();
    x2[i] = Math.floor(rng.next() * 10);
    noise[i] = rng.normal();
    cat[i] = rng.next() < 0.05 ? -1 : rng.nextInt(4);
    const x1v = Number.isNaN(x1[i] as number) ? 1 : (x1[i] as number);
    const z = 1.2 * (x0[i] as number) - 0.8 * x1v + 0.2 * (x2[i] as number) + (cat[i] === 2 ? 1 : 0) - 1;
    const p = 1 / (1 + Math.exp(-z));
    truth[i] = p;
    y[i] = rng.next() < p ? 1 : 0;
  }
  return {
    ds: {
      nRows: n,
      numeric: [x0, x1, x2, noise],
      numericNames: ['x0', 'x1', 'x2', 'noise'],
      categorical: [cat],
      categoricalNames: ['cat'],
      categoricalLevels: [['a', 'b', 'c', 'd']],
    },
    y,
    truth,
  };
}

export function numericOnly(cols: Record<string, Float64Array>): Dataset {
  const names = Object.keys(cols);
  return {
    nRows: cols[names[0] as string]?.length ?? 0,
    numeric: names.map((k) => cols[k] as Float64Array),
    numericNames: names,
    categorical: [],
    categoricalNames: [],
    categoricalLevels: [],
  };
}
