import { Rng } from '../gbdt/rng.ts';

/**
 * Seeded train/test splits. Stratification keeps each label value's share equal across folds: the rows of every
 * class (label values in ascending order) are shuffled with the seeded PRNG and dealt round-robin to the folds,
 * continuing the deal across classes so that fold sizes differ by at most one.
 */

function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds: must be an integer ≥ 2, got ${k}`);
  if (k > n) throw new Error(`folds: ${k} folds need at least ${k} rows, got ${n}`);
}

function classesOf(labels: ArrayLike<number>): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    let list = byClass.get(c);
    if (!list) {
      list = [];
      byClass.set(c, list);
    }
    list.push(i);
  }
  return new Map([...byClass.entries()].sort((a, b) => a[0] - b[0]));
}

/** Fold id (0…k−1) of every row, stratified by label value. */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): Int32Array {
  checkK(labels.length, k);
  const rng = new Rng(seed);
  const fold = new Int32Array(labels.length);
  let deal = 0;
  for (const rows of classesOf(labels).values()) {
    const arr = rng.shuffle(Uint32Array.from(rows));
    for (let i = 0; i < arr.length; i++) fold[arr[i] as number] = deal++ % k;
  }
  return fold;
}

/** Fold id of every row, unstratified (shuffled round-robin). */
export function kFold(n: number, k: number, seed: number): Int32Array {
  checkK(n, k);
  const perm = new Rng(seed).shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  const fold = new Int32Array(n);
  for (let i = 0; i < n; i++) fold[perm[i] as number] = i % k;
  return fold;
}

export interface Split {
  train: Uint32Array;
  test: Uint32Array;
}

/** Train/test row indices (ascending) of fold `f`. */
export function foldSplit(fold: Int32Array, f: number): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
}

/**
 * Holdout split: round(testFraction · class size) rows of every class go to the test set (stratified), or of all
 * rows when `labels` is a row count (unstratified).
 */
export function holdoutSplit(labels: ArrayLike<number> | number, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction: must be in (0, 1), got ${testFraction}`);
  const rng = new Rng(seed);
  const n = typeof labels === 'number' ? labels : labels.length;
  const isTest = new Uint8Array(n);
  const groups =
    typeof labels === 'number' ? [Array.from({ length: n }, (_, i) => i)] : [...classesOf(labels).values()];
  for (const rows of groups) {
    const arr = rng.shuffle(Uint32Array.from(rows));
    const nTest = Math.round(testFraction * arr.length);
    for (let i = 0; i < nTest; i++) isTest[arr[i] as number] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
}
