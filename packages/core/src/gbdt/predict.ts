import type { Dataset } from './dataset.ts';
import type { GbdtModel, Objective } from './model.ts';

/**
 * Fast scoring: all trees flattened into parallel typed arrays (feature, threshold, left, right, default-left,
 * leaf value), so traversal is a tight loop over numbers with no object access.
 *
 * Input columns are matched to model features by *name*; categorical values are matched by *level name*, so a
 * dataset encoded independently (other level order, extra levels) scores correctly. A level unknown to the model
 * is treated as missing (default direction). Non-finite numbers are missing.
 */
export interface CompiledModel {
  objective: Objective;
  baseMargin: number;
  nFeatures: number;
  featureNames: string[];
  isCategorical: Uint8Array;
  levels: (string[] | null)[];
  nTrees: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  value: Float64Array;
  cover: Float64Array;
  /** categorical split nodes: offset into catBits (−1 for numeric/leaf) and number of 32-bit words */
  catOffset: Int32Array;
  catWords: Int32Array;
  catBits: Uint32Array;
  maxDepth: number;
}

export function compileModel(model: GbdtModel): CompiledModel {
  let total = 0;
  for (const t of model.trees) total += t.feature.length;
  const roots = new Int32Array(model.trees.length);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const defaultLeft = new Uint8Array(total);
  const value = new Float64Array(total);
  const cover = new Float64Array(total);
  const catOffset = new Int32Array(total).fill(-1);
  const catWords = new Int32Array(total);
  const bits: number[] = [];
  let base = 0;
  let maxDepth = 0;
  model.trees.forEach((t, ti) => {
    roots[ti] = base;
    const n = t.feature.length;
    const depth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const g = base + i;
      const f = t.feature[i] as number;
      feature[g] = f;
      threshold[g] = t.threshold[i] as number;
      defaultLeft[g] = t.defaultLeft[i] as number;
      value[g] = t.value[i] as number;
      cover[g] = t.cover[i] as number;
      if (f >= 0) {
        left[g] = base + (t.left[i] as number);
        right[g] = base + (t.right[i] as number);
        depth[t.left[i] as number] = (depth[i] as number) + 1;
        depth[t.right[i] as number] = (depth[i] as number) + 1;
      } else {
        left[g] = -1;
        right[g] = -1;
        maxDepth = Math.max(maxDepth, depth[i] as number);
      }
    }
    for (const c of t.categories) {
      const maxCode = c.left.reduce((a, b) => Math.max(a, b), -1);
      const words = (maxCode >> 5) + 1;
      catOffset[base + c.node] = bits.length;
      catWords[base + c.node] = words;
      const start = bits.length;
      for (let w = 0; w < words; w++) bits.push(0);
      for (const code of c.left)
        bits[start + (code >> 5)] = ((bits[start + (code >> 5)] as number) | (1 << (code & 31))) >>> 0;
    }
    base += n;
  });
  return {
    objective: model.objective,
    baseMargin: model.baseMargin,
    nFeatures: model.features.length,
    featureNames: model.features.map((f) => f.name),
    isCategorical: Uint8Array.from(model.features.map((f) => (f.kind === 'categorical' ? 1 : 0))),
    levels: model.features.map((f) => (f.kind === 'categorical' ? f.levels : null)),
    nTrees: model.trees.length,
    roots,
    feature,
    threshold,
    left,
    right,
    defaultLeft,
    value,
    cover,
    catOffset,
    catWords,
    catBits: Uint32Array.from(bits),
    maxDepth,
  };
}

/**
 * One Float64Array per model feature holding the dataset's values: numbers as is, categories as the model's level
 * code (NaN for missing or unknown levels). Throws naming the first model feature the dataset lacks.
 */
export function resolveColumns(cm: CompiledModel, ds: Dataset): Float64Array[] {
  const numIdx = new Map(ds.numericNames.map((n, j) => [n, j]));
  const catIdx = new Map(ds.categoricalNames.map((n, j) => [n, j]));
  return cm.featureNames.map((name, f) => {
    const levels = cm.levels[f];
    if (levels) {
      const j = catIdx.get(name);
      if (j === undefined) throw new Error(`dataset column ${name}: missing (the model needs it as categorical)`);
      const dsLevels = ds.categoricalLevels[j] as string[];
      const modelCode = new Map(levels.map((l, k) => [l, k]));
      const remap = Float64Array.from(dsLevels.map((l) => modelCode.get(l) ?? Number.NaN));
      const codes = ds.categorical[j] as Int32Array;
      const out = new Float64Array(ds.nRows);
      for (let i = 0; i < ds.nRows; i++) {
        const c = codes[i] as number;
        out[i] = c >= 0 && c < remap.length ? (remap[c] as number) : Number.NaN;
      }
      return out;
    }
    const j = numIdx.get(name);
    if (j === undefined) throw new Error(`dataset column ${name}: missing (the model needs it as numeric)`);
    return ds.numeric[j] as Float64Array;
  });
}

/** Leaf reached by one row in the tree rooted at `root` (global node index). */
export function leafOf(cm: CompiledModel, cols: Float64Array[], row: number, root: number): number {
  let node = root;
  let f = cm.feature[node] as number;
  while (f >= 0) {
    node = goesLeft(cm, node, (cols[f] as Float64Array)[row] as number)
      ? (cm.left[node] as number)
      : (cm.right[node] as number);
    f = cm.feature[node] as number;
  }
  return node;
}

/** Routing decision of split node `node` for value x (shared by prediction and TreeSHAP). */
export function goesLeft(cm: CompiledModel, node: number, x: number): boolean {
  if (x - x !== 0) return cm.defaultLeft[node] === 1;
  const off = cm.catOffset[node] as number;
  if (off < 0) return x <= (cm.threshold[node] as number);
  const w = x >>> 5;
  return w < (cm.catWords[node] as number) && (((cm.catBits[off + w] as number) >>> (x & 31)) & 1) === 1;
}

const BLOCK_ROWS = 256;

/**
 * Raw margins (log-odds for binary, the prediction for regression) of every row.
 *
 * Rows are scored in blocks: a block is first copied into a small row-major buffer, then every tree is applied to
 * all rows of the block, so both the tree's nodes and the block's values stay in L1 cache.
 */
export function predictMarginColumns(cm: CompiledModel, cols: Float64Array[], nRows: number): Float64Array {
  const { roots, feature, threshold, left, right, defaultLeft, value, catOffset, catWords, catBits, nTrees } = cm;
  const d = cm.nFeatures;
  const out = new Float64Array(nRows).fill(cm.baseMargin);
  const buf = new Float64Array(BLOCK_ROWS * d);
  const hasCat = catBits.length > 0;
  for (let b0 = 0; b0 < nRows; b0 += BLOCK_ROWS) {
    const len = Math.min(BLOCK_ROWS, nRows - b0);
    for (let f = 0; f < d; f++) {
      const col = cols[f] as Float64Array;
      for (let j = 0; j < len; j++) buf[j * d + f] = col[b0 + j] as number;
    }
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t] as number;
      if (!hasCat) {
        // numeric-only models: no category bitset lookups
        for (let j = 0; j < len; j++) {
          const rowOff = j * d;
          let node = root;
          let f = feature[node] as number;
          while (f >= 0) {
            const x = buf[rowOff + f] as number;
            const goLeft = x - x !== 0 ? defaultLeft[node] === 1 : x <= (threshold[node] as number);
            node = goLeft ? (left[node] as number) : (right[node] as number);
            f = feature[node] as number;
          }
          out[b0 + j] = (out[b0 + j] as number) + (value[node] as number);
        }
        continue;
      }
      for (let j = 0; j < len; j++) {
        const rowOff = j * d;
        let node = root;
        let f = feature[node] as number;
        while (f >= 0) {
          const x = buf[rowOff + f] as number;
          let goLeft: boolean;
          if (x - x !== 0) goLeft = defaultLeft[node] === 1;
          else {
            const off = catOffset[node] as number;
            if (off < 0) goLeft = x <= (threshold[node] as number);
            else {
              const w = x >>> 5;
              goLeft = w < (catWords[node] as number) && (((catBits[off + w] as number) >>> (x & 31)) & 1) === 1;
            }
          }
          node = goLeft ? (left[node] as number) : (right[node] as number);
          f = feature[node] as number;
        }
        out[b0 + j] = (out[b0 + j] as number) + (value[node] as number);
      }
    }
  }
  return out;
}

export function predictMargin(model: GbdtModel | CompiledModel, ds: Dataset): Float64Array {
  const cm = 'roots' in model ? model : compileModel(model);
  return predictMarginColumns(cm, resolveColumns(cm, ds), ds.nRows);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Probabilities (binary) or predicted values (regression). */
export function predict(model: GbdtModel | CompiledModel, ds: Dataset): Float64Array {
  const margin = predictMargin(model, ds);
  if (model.objective === 'binary:logistic')
    for (let i = 0; i < margin.length; i++) margin[i] = sigmoid(margin[i] as number);
  return margin;
}
