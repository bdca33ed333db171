import type { Dataset } from './dataset.ts';
import type { GbdtModel } from './model.ts';
import { type CompiledModel, compileModel, goesLeft, resolveColumns } from './predict.ts';

/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent Individualized Feature Attribution for Tree
 * Ensembles", Algorithm 2), polynomial time O(T·L·D²). Node "cover" is the hessian sum of the training rows in
 * the node (as in XGBoost), so each contribution is the Shapley value of the feature for the conditional
 * expectation E[f(x) | x_S] estimated by the tree's own cover. For every row,
 * Σ_features phi + bias = raw margin (log-odds for binary models) up to floating point rounding.
 */
export interface ShapResult {
  /** row-major: contribution of feature f to row r is `values[r * nFeatures + f]` */
  values: Float64Array;
  /** expected margin: base margin + Σ trees cover-weighted mean leaf value (same for every row) */
  bias: number;
  nFeatures: number;
  featureNames: string[];
}

/** Path of unique features from the root, struct-of-arrays over a preallocated stack of frames. */
class PathStack {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly pweight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.pweight = new Float64Array(size);
  }
  copy(from: number, to: number, len: number): void {
    this.feature.copyWithin(to, from, from + len);
    this.zero.copyWithin(to, from, from + len);
    this.one.copyWithin(to, from, from + len);
    this.pweight.copyWithin(to, from, from + len);
  }
}

function extendPath(p: PathStack, o: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[o + depth] = feature;
  p.zero[o + depth] = zero;
  p.one[o + depth] = one;
  p.pweight[o + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.pweight[o + i + 1] =
      (p.pweight[o + i + 1] as number) + (one * (p.pweight[o + i] as number) * (i + 1)) / (depth + 1);
    p.pweight[o + i] = (zero * (p.pweight[o + i] as number) * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: PathStack, o: number, depth: number, pathIndex: number): void {
  const one = p.one[o + pathIndex] as number;
  const zero = p.zero[o + pathIndex] as number;
  let nextOnePortion = p.pweight[o + depth] as number;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.pweight[o + i] as number;
      p.pweight[o + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      nextOnePortion = tmp - ((p.pweight[o + i] as number) * zero * (depth - i)) / (depth + 1);
    } else {
      p.pweight[o + i] = ((p.pweight[o + i] as number) * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = pathIndex; i < depth; i++) {
    p.feature[o + i] = p.feature[o + i + 1] as number;
    p.zero[o + i] = p.zero[o + i + 1] as number;
    p.one[o + i] = p.one[o + i + 1] as number;
  }
}

function unwoundPathSum(p: PathStack, o: number, depth: number, pathIndex: number): number {
  const one = p.one[o + pathIndex] as number;
  const zero = p.zero[o + pathIndex] as number;
  let nextOnePortion = p.pweight[o + depth] as number;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      nextOnePortion = (p.pweight[o + i] as number) - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += (p.pweight[o + i] as number) / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function treeShap(
  cm: CompiledModel,
  cols: Float64Array[],
  row: number,
  phi: Float64Array,
  phiOff: number,
  p: PathStack,
  node: number,
  parentOff: number,
  depthIn: number,
  parentZero: number,
  parentOne: number,
  parentFeature: number,
): void {
  let depth = depthIn;
  // this frame's path starts right after the parent's
  const o = parentOff + depth + 1;
  p.copy(parentOff, o, depth + 1);
  extendPath(p, o, depth, parentZero, parentOne, parentFeature);
  const f = cm.feature[node] as number;
  if (f < 0) {
    const v = cm.value[node] as number;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(p, o, depth, i);
      const fi = p.feature[o + i] as number;
      phi[phiOff + fi] = (phi[phiOff + fi] as number) + w * ((p.one[o + i] as number) - (p.zero[o + i] as number)) * v;
    }
    return;
  }
  const left = cm.left[node] as number;
  const right = cm.right[node] as number;
  const hot = goesLeft(cm, node, (cols[f] as Float64Array)[row] as number) ? left : right;
  const cold = hot === left ? right : left;
  const w = cm.cover[node] as number;
  const hotZero = w > 0 ? (cm.cover[hot] as number) / w : 0;
  const coldZero = w > 0 ? (cm.cover[cold] as number) / w : 0;
  let incomingZero = 1;
  let incomingOne = 1;
  let pathIndex = 0;
  for (; pathIndex <= depth; pathIndex++) if (p.feature[o + pathIndex] === f) break;
  if (pathIndex !== depth + 1) {
    incomingZero = p.zero[o + pathIndex] as number;
    incomingOne = p.one[o + pathIndex] as number;
    unwindPath(p, o, depth, pathIndex);
    depth -= 1;
  }
  treeShap(cm, cols, row, phi, phiOff, p, hot, o, depth + 1, hotZero * incomingZero, incomingOne, f);
  treeShap(cm, cols, row, phi, phiOff, p, cold, o, depth + 1, coldZero * incomingZero, 0, f);
}

/** Cover-weighted mean leaf value of the tree rooted at `root`. */
function expectedValue(cm: CompiledModel, node: number): number {
  const f = cm.feature[node] as number;
  if (f < 0) return cm.value[node] as number;
  const l = cm.left[node] as number;
  const r = cm.right[node] as number;
  const w = cm.cover[node] as number;
  if (!(w > 0)) return 0.5 * (expectedValue(cm, l) + expectedValue(cm, r));
  return ((cm.cover[l] as number) * expectedValue(cm, l) + (cm.cover[r] as number) * expectedValue(cm, r)) / w;
}

/** SHAP contributions of every feature for every row of `ds`. */
export function shapValues(model: GbdtModel | CompiledModel, ds: Dataset): ShapResult {
  const cm = 'roots' in model ? model : compileModel(model);
  const cols = resolveColumns(cm, ds);
  const nf = cm.nFeatures;
  const values = new Float64Array(ds.nRows * nf);
  const maxd = cm.maxDepth + 2;
  const p = new PathStack(((maxd + 1) * (maxd + 2)) / 2 + maxd);
  let bias = cm.baseMargin;
  for (let t = 0; t < cm.nTrees; t++) bias += expectedValue(cm, cm.roots[t] as number);
  for (let r = 0; r < ds.nRows; r++) {
    for (let t = 0; t < cm.nTrees; t++) {
      // the root frame is at offset 0 with the dummy element (feature −1) as its only entry
      treeShapRoot(cm, cols, r, values, r * nf, p, cm.roots[t] as number);
    }
  }
  return { values, bias, nFeatures: nf, featureNames: cm.featureNames };
}

function treeShapRoot(
  cm: CompiledModel,
  cols: Float64Array[],
  row: number,
  phi: Float64Array,
  phiOff: number,
  p: PathStack,
  root: number,
): void {
  const f = cm.feature[root] as number;
  if (f < 0) return; // a single leaf contributes only to the bias
  // Root frame at offset 0 holding the paper's initial path [dummy (feature −1, z = o = 1, weight 1)]; this is
  // RECURSE(root, [], 1, 1, none) with the root's split handled inline.
  p.feature[0] = -1;
  p.zero[0] = 1;
  p.one[0] = 1;
  p.pweight[0] = 1;
  const left = cm.left[root] as number;
  const right = cm.right[root] as number;
  const hot = goesLeft(cm, root, (cols[f] as Float64Array)[row] as number) ? left : right;
  const cold = hot === left ? right : left;
  const w = cm.cover[root] as number;
  const hotZero = w > 0 ? (cm.cover[hot] as number) / w : 0;
  const coldZero = w > 0 ? (cm.cover[cold] as number) / w : 0;
  treeShap(cm, cols, row, phi, phiOff, p, hot, 0, 1, hotZero, 1, f);
  treeShap(cm, cols, row, phi, phiOff, p, cold, 0, 1, coldZero, 0, f);
}
