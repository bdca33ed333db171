import { type BinnedMatrix, MISSING_BIN } from './binning.ts';

/**
 * Growing one regression tree on binned data from gradient/hessian pairs (second-order boosting as in XGBoost).
 *
 * - Histograms: for every (feature, bin) the sums of gradient and hessian, laid out as one Float64Array of
 *   `nFeatures × 256 × 2` per node. Only the smaller child of a split is built from its rows; the larger child's
 *   histogram is the parent's minus the smaller one (subtraction trick), computed in place in the parent buffer.
 * - Rows of the tree live in one Uint32Array partitioned in place (stable, so each node's rows stay sorted and
 *   the column gathers stay cache friendly); a node owns the range [start, end).
 * - Growth is best-first (leaf-wise): the leaf with the largest gain is split next, subject to `maxDepth` and
 *   `maxLeaves`. With `maxLeaves = 2^maxDepth` this yields the same tree as depth-wise growth.
 * - Gain (XGBoost convention, without the ½ factor): G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). A split is made only
 *   when gain > gamma (pre-pruning; XGBoost post-prunes bottom-up, which can keep a weak split above a strong
 *   one — identical when gamma = 0) and both children have hessian ≥ minChildWeight.
 * - Missing values (bin 255) are tried on both sides of every candidate split; the side with the larger gain
 *   becomes the default direction. When a node has no missing values the default goes to the child with the
 *   larger hessian (cover). The split "all non-missing vs missing" is also a candidate.
 * - Categorical features: LightGBM-style partition. The node's non-empty categories are sorted by
 *   G/(H + catSmooth) and every prefix of that order is a candidate left set (optimal for a convex loss per
 *   Fisher 1958); missing is tried on both sides. Categories absent from the node go right.
 */
export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  minChildWeight: number;
  lambda: number;
  gamma: number;
  eta: number;
  catSmooth: number;
}

/** A grown tree, in bin space (for training-time traversal) and with the statistics needed for export. */
export interface GrownTree {
  nNodes: number;
  /** −1 for a leaf */
  feature: Int32Array;
  /** numeric splits: bins ≤ splitBin go left (nBins−1 means all non-missing values go left) */
  splitBin: Int32Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  value: Float64Array;
  cover: Float64Array;
  gain: Float64Array;
  /** bin-space routing: `leftMask[node * 256 + bin]` is 1 when that bin goes left */
  leftMask: Uint8Array;
  /** leaves' row ranges in `rowIndex` (the rows used to grow this tree) */
  leafStart: Int32Array;
  leafEnd: Int32Array;
  rowIndex: Uint32Array;
}

/** per feature: 256 bins × (gradient, hessian) */
const STRIDE = 512;
const BLOCK = 4096;

interface Split {
  gain: number;
  feature: number;
  /** numeric: threshold bin; categorical: unused */
  bin: number;
  defaultLeft: boolean;
  /** categorical: left set in bin space */
  catLeft: Uint8Array | null;
  gl: number;
  hl: number;
}

interface Candidate {
  node: number;
  hist: Float64Array;
  split: Split | null;
}

interface NodeBuf {
  feature: number[];
  splitBin: number[];
  left: number[];
  right: number[];
  defaultLeft: number[];
  value: number[];
  cover: number[];
  gain: number[];
  g: number[];
  depth: number[];
  start: number[];
  end: number[];
  masks: (Uint8Array | null)[];
}

export class TreeGrower {
  private readonly m: BinnedMatrix;
  private readonly p: GrowParams;
  private readonly idx: Uint32Array;
  private readonly tmp: Uint32Array;
  private readonly ghBlock = new Float64Array(BLOCK * 2);
  private readonly pool: Float64Array[] = [];
  private readonly histSize: number;

  constructor(m: BinnedMatrix, p: GrowParams) {
    this.m = m;
    this.p = p;
    this.idx = new Uint32Array(m.nRows);
    this.tmp = new Uint32Array(m.nRows);
    this.histSize = m.nFeatures * STRIDE;
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histSize);
  }

  private buildHist(hist: Float64Array, start: number, end: number, feats: Int32Array, gh: Float64Array): void {
    const bins = this.m.bins;
    const n = this.m.nRows;
    const idx = this.idx;
    const gb = this.ghBlock;
    const nBins = this.m.nBins;
    const nf = feats.length;
    for (let k = 0; k < nf; k++) {
      const f = feats[k] as number;
      const off = f * STRIDE;
      hist.fill(0, off, off + 2 * (nBins[f] as number));
      hist.fill(0, off + 2 * MISSING_BIN, off + STRIDE);
    }
    for (let b0 = start; b0 < end; b0 += BLOCK) {
      const len = Math.min(BLOCK, end - b0);
      // gather the block's (gradient, hessian) pairs once; they are reused for every feature
      for (let j = 0; j < len; j++) {
        const r2 = (idx[b0 + j] as number) << 1;
        gb[j << 1] = gh[r2] as number;
        gb[(j << 1) + 1] = gh[r2 + 1] as number;
      }
      // Four features per pass: the row index and gradient pair are loaded once for four histogram updates, and
      // the four updates hit different histograms, so they do not wait on each other (instruction-level
      // parallelism instead of a store-to-load dependency chain on a hot bin).
      let k = 0;
      for (; k + 3 < nf; k += 4) {
        const f0 = feats[k] as number;
        const f1 = feats[k + 1] as number;
        const f2 = feats[k + 2] as number;
        const f3 = feats[k + 3] as number;
        const c0 = f0 * n;
        const c1 = f1 * n;
        const c2 = f2 * n;
        const c3 = f3 * n;
        const o0 = f0 * STRIDE;
        const o1 = f1 * STRIDE;
        const o2 = f2 * STRIDE;
        const o3 = f3 * STRIDE;
        for (let j = 0; j < len; j++) {
          const r = idx[b0 + j] as number;
          const g = gb[j << 1] as number;
          const h = gb[(j << 1) + 1] as number;
          const a0 = o0 + ((bins[c0 + r] as number) << 1);
          const a1 = o1 + ((bins[c1 + r] as number) << 1);
          const a2 = o2 + ((bins[c2 + r] as number) << 1);
          const a3 = o3 + ((bins[c3 + r] as number) << 1);
          hist[a0] = (hist[a0] as number) + g;
          hist[a0 + 1] = (hist[a0 + 1] as number) + h;
          hist[a1] = (hist[a1] as number) + g;
          hist[a1 + 1] = (hist[a1 + 1] as number) + h;
          hist[a2] = (hist[a2] as number) + g;
          hist[a2 + 1] = (hist[a2 + 1] as number) + h;
          hist[a3] = (hist[a3] as number) + g;
          hist[a3 + 1] = (hist[a3 + 1] as number) + h;
        }
      }
      for (; k < nf; k++) {
        const f = feats[k] as number;
        const c = f * n;
        const o = f * STRIDE;
        for (let j = 0; j < len; j++) {
          const a = o + ((bins[c + (idx[b0 + j] as number)] as number) << 1);
          hist[a] = (hist[a] as number) + (gb[j << 1] as number);
          hist[a + 1] = (hist[a + 1] as number) + (gb[(j << 1) + 1] as number);
        }
      }
    }
  }

  private findSplit(hist: Float64Array, G: number, H: number, feats: Int32Array): Split | null {
    const { lambda, minChildWeight, gamma, catSmooth } = this.p;
    const mcw = Math.max(minChildWeight, 1e-12);
    if (H < 2 * mcw) return null;
    const parent = (G * G) / (H + lambda);
    const minGain = Math.max(gamma, 1e-10);
    let best: Split | null = null;
    let bestGain = minGain;
    const nBinsArr = this.m.nBins;
    const isCat = this.m.isCategorical;
    for (let k = 0; k < feats.length; k++) {
      const f = feats[k] as number;
      const nb = nBinsArr[f] as number;
      const off = f * STRIDE;
      const gm = hist[off + 2 * MISSING_BIN] as number;
      const hm = hist[off + 2 * MISSING_BIN + 1] as number;
      const hasMissing = hm > 1e-12 * H;
      if (isCat[f] === 0) {
        if (nb < 1) continue;
        let gl = 0;
        let hl = 0;
        for (let b = 0; b < nb - 1; b++) {
          gl += hist[off + 2 * b] as number;
          hl += hist[off + 2 * b + 1] as number;
          // missing goes right
          const hr = H - hl;
          if (hl >= mcw && hr >= mcw) {
            const gr = G - gl;
            const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              best = { gain, feature: f, bin: b, defaultLeft: !hasMissing && hl > hr, catLeft: null, gl, hl };
            }
          }
          if (hasMissing) {
            const gl2 = gl + gm;
            const hl2 = hl + hm;
            const hr2 = H - hl2;
            if (hl2 >= mcw && hr2 >= mcw) {
              const gr2 = G - gl2;
              const gain = (gl2 * gl2) / (hl2 + lambda) + (gr2 * gr2) / (hr2 + lambda) - parent;
              if (gain > bestGain) {
                bestGain = gain;
                best = { gain, feature: f, bin: b, defaultLeft: true, catLeft: null, gl: gl2, hl: hl2 };
              }
            }
          }
        }
        if (hasMissing) {
          // all non-missing left, missing right
          const gl2 = G - gm;
          const hl2 = H - hm;
          if (hl2 >= mcw && hm >= mcw) {
            const gain = (gl2 * gl2) / (hl2 + lambda) + (gm * gm) / (hm + lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              best = { gain, feature: f, bin: nb - 1, defaultLeft: false, catLeft: null, gl: gl2, hl: hl2 };
            }
          }
        }
      } else {
        // categorical: order non-empty categories by G/(H + catSmooth)
        const cats: number[] = [];
        for (let b = 0; b < nb; b++) if ((hist[off + 2 * b + 1] as number) > 1e-12 * H) cats.push(b);
        if (cats.length === 0) continue;
        const score = (b: number) => (hist[off + 2 * b] as number) / ((hist[off + 2 * b + 1] as number) + catSmooth);
        cats.sort((a, b) => score(a) - score(b) || a - b);
        let gl = 0;
        let hl = 0;
        let bestK = -1;
        let bestDl = false;
        let bestGl = 0;
        let bestHl = 0;
        const limit = hasMissing ? cats.length : cats.length - 1;
        for (let i = 0; i < limit; i++) {
          const b = cats[i] as number;
          gl += hist[off + 2 * b] as number;
          hl += hist[off + 2 * b + 1] as number;
          const hr = H - hl;
          if ((i < cats.length - 1 || hasMissing) && hl >= mcw && hr >= mcw) {
            const gr = G - gl;
            const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              bestK = i;
              bestDl = !hasMissing && hl > hr;
              bestGl = gl;
              bestHl = hl;
            }
          }
          if (hasMissing) {
            const gl2 = gl + gm;
            const hl2 = hl + hm;
            const hr2 = H - hl2;
            if (hl2 >= mcw && hr2 >= mcw) {
              const gr2 = G - gl2;
              const gain = (gl2 * gl2) / (hl2 + lambda) + (gr2 * gr2) / (hr2 + lambda) - parent;
              if (gain > bestGain) {
                bestGain = gain;
                bestK = i;
                bestDl = true;
                bestGl = gl2;
                bestHl = hl2;
              }
            }
          }
        }
        if (bestK >= 0) {
          const mask = new Uint8Array(256);
          for (let i = 0; i <= bestK; i++) mask[cats[i] as number] = 1;
          best = { gain: bestGain, feature: f, bin: -1, defaultLeft: bestDl, catLeft: mask, gl: bestGl, hl: bestHl };
        }
      }
    }
    return best;
  }

  /** Stable in-place partition of idx[start, end) by `mask[bin]`; returns the first index of the right part. */
  private partition(start: number, end: number, feature: number, mask: Uint8Array): number {
    const bins = this.m.bins;
    const base = feature * this.m.nRows;
    const idx = this.idx;
    const tmp = this.tmp;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = idx[i] as number;
      if (mask[bins[base + row] as number] === 1) idx[l++] = row;
      else tmp[r++] = row;
    }
    idx.set(tmp.subarray(0, r), l);
    return l;
  }

  /**
   * Grows one tree. `gh` holds interleaved (gradient, hessian) per row; `rows` the (sorted) rows to use or null for
   * all rows; `feats` the feature indices available to this tree.
   */
  grow(gh: Float64Array, rows: Uint32Array | null, feats: Int32Array): GrownTree {
    const p = this.p;
    const nUsed = rows ? rows.length : this.m.nRows;
    if (rows) this.idx.set(rows);
    else for (let i = 0; i < nUsed; i++) this.idx[i] = i;
    const usable = Int32Array.from(Array.from(feats).filter((f) => (this.m.nBins[f] as number) >= 1));

    const nodes: NodeBuf = {
      feature: [],
      splitBin: [],
      left: [],
      right: [],
      defaultLeft: [],
      value: [],
      cover: [],
      gain: [],
      g: [],
      depth: [],
      start: [],
      end: [],
      masks: [],
    };
    const addNode = (start: number, end: number, depth: number, g: number, h: number): number => {
      const id = nodes.feature.length;
      nodes.feature.push(-1);
      nodes.splitBin.push(-1);
      nodes.left.push(-1);
      nodes.right.push(-1);
      nodes.defaultLeft.push(0);
      nodes.value.push((-g / (h + p.lambda)) * p.eta);
      nodes.cover.push(h);
      nodes.gain.push(0);
      nodes.g.push(g);
      nodes.depth.push(depth);
      nodes.start.push(start);
      nodes.end.push(end);
      nodes.masks.push(null);
      return id;
    };

    let G = 0;
    let H = 0;
    for (let i = 0; i < nUsed; i++) {
      const r2 = (this.idx[i] as number) << 1;
      G += gh[r2] as number;
      H += gh[r2 + 1] as number;
    }
    const root = addNode(0, nUsed, 0, G, H);
    const maxLeaves = p.maxLeaves > 0 ? p.maxLeaves : 2 ** Math.min(p.maxDepth, 30);
    const candidates: Candidate[] = [];
    const canSplit = (node: number) =>
      (nodes.depth[node] as number) < p.maxDepth && (nodes.end[node] as number) - (nodes.start[node] as number) >= 2;

    if (canSplit(root) && maxLeaves > 1) {
      const hist = this.takeHist();
      this.buildHist(hist, 0, nUsed, usable, gh);
      candidates.push({ node: root, hist, split: this.findSplit(hist, G, H, usable) });
    }
    let nLeaves = 1;
    while (nLeaves < maxLeaves) {
      let bi = -1;
      let bestGain = 0;
      for (let i = 0; i < candidates.length; i++) {
        const s = (candidates[i] as Candidate).split;
        if (s && s.gain > bestGain) {
          bestGain = s.gain;
          bi = i;
        }
      }
      if (bi < 0) break;
      const cand = candidates[bi] as Candidate;
      candidates.splice(bi, 1);
      const split = cand.split as Split;
      const node = cand.node;
      const f = split.feature;
      let mask: Uint8Array;
      if (split.catLeft) {
        mask = split.catLeft;
      } else {
        mask = new Uint8Array(256);
        for (let b = 0; b <= split.bin; b++) mask[b] = 1;
      }
      mask[MISSING_BIN] = split.defaultLeft ? 1 : 0;
      const start = nodes.start[node] as number;
      const end = nodes.end[node] as number;
      const mid = this.partition(start, end, f, mask);
      const pg = nodes.g[node] as number;
      const ph = nodes.cover[node] as number;
      const depth = (nodes.depth[node] as number) + 1;
      const l = addNode(start, mid, depth, split.gl, split.hl);
      const r = addNode(mid, end, depth, pg - split.gl, ph - split.hl);
      nodes.feature[node] = f;
      nodes.splitBin[node] = split.bin;
      nodes.left[node] = l;
      nodes.right[node] = r;
      nodes.defaultLeft[node] = split.defaultLeft ? 1 : 0;
      nodes.gain[node] = split.gain;
      nodes.masks[node] = mask;
      nLeaves++;

      const lSplit = canSplit(l);
      const rSplit = canSplit(r);
      if ((lSplit || rSplit) && nLeaves < maxLeaves) {
        const smallIsLeft = mid - start <= end - mid;
        const small = smallIsLeft ? l : r;
        const large = smallIsLeft ? r : l;
        const smallHist = this.takeHist();
        this.buildHist(smallHist, nodes.start[small] as number, nodes.end[small] as number, usable, gh);
        const largeHist = cand.hist;
        for (let k = 0; k < usable.length; k++) {
          const f = usable[k] as number;
          const off = f * STRIDE;
          const endUsed = off + 2 * (this.m.nBins[f] as number);
          for (let j = off; j < endUsed; j++) largeHist[j] = (largeHist[j] as number) - (smallHist[j] as number);
          const mj = off + 2 * MISSING_BIN;
          largeHist[mj] = (largeHist[mj] as number) - (smallHist[mj] as number);
          largeHist[mj + 1] = (largeHist[mj + 1] as number) - (smallHist[mj + 1] as number);
        }
        for (const [child, hist] of [
          [small, smallHist],
          [large, largeHist],
        ] as const) {
          if (canSplit(child)) {
            const split2 = this.findSplit(hist, nodes.g[child] as number, nodes.cover[child] as number, usable);
            candidates.push({ node: child, hist, split: split2 });
          } else {
            this.pool.push(hist);
          }
        }
      } else {
        this.pool.push(cand.hist);
      }
    }
    for (const c of candidates) this.pool.push(c.hist);

    const nNodes = nodes.feature.length;
    const leftMask = new Uint8Array(nNodes * 256);
    const leafStart = new Int32Array(nNodes).fill(-1);
    const leafEnd = new Int32Array(nNodes).fill(-1);
    for (let i = 0; i < nNodes; i++) {
      const mk = nodes.masks[i];
      if (mk) leftMask.set(mk, i * 256);
      else {
        leafStart[i] = nodes.start[i] as number;
        leafEnd[i] = nodes.end[i] as number;
      }
    }
    return {
      nNodes,
      feature: Int32Array.from(nodes.feature),
      splitBin: Int32Array.from(nodes.splitBin),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      defaultLeft: Uint8Array.from(nodes.defaultLeft),
      value: Float64Array.from(nodes.value),
      cover: Float64Array.from(nodes.cover),
      gain: Float64Array.from(nodes.gain),
      leftMask,
      leafStart,
      leafEnd,
      rowIndex: this.idx,
    };
  }
}

/** Adds the tree's leaf values to `margin` for every row of a binned matrix (bin-space traversal). */
export function addTreeToMargin(tree: GrownTree, m: BinnedMatrix, margin: Float64Array): void {
  const { feature, left, right, value, leftMask } = tree;
  const bins = m.bins;
  const n = m.nRows;
  for (let r = 0; r < n; r++) {
    let node = 0;
    let f = feature[0] as number;
    while (f >= 0) {
      const b = bins[f * n + r] as number;
      node = leftMask[node * 256 + b] === 1 ? (left[node] as number) : (right[node] as number);
      f = feature[node] as number;
    }
    margin[r] = (margin[r] as number) + (value[node] as number);
  }
}
