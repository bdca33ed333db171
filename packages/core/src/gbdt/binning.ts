import type { Dataset } from './dataset.ts';
import { Rng } from './rng.ts';

/**
 * Feature binning (the "hist" in histogram GBDT).
 *
 * Every feature is mapped to at most `maxBin` (≤ 255) bins coded 0…nBins-1 in a `Uint8Array`; code 255
 * (`MISSING_BIN`) is reserved for missing values, so a split can send missing values either way.
 *
 * Numeric features: bins are delimited by *cuts* — ascending upper bounds. Value x falls in the first bin b with
 * x ≤ cuts[b] (values above the last cut fall in the last bin). A split "bin ≤ t goes left" is therefore exactly
 * the float rule "x ≤ cuts[t] goes left", which is what the serialised trees store. When a column has at most
 * `maxBin` distinct values each value gets its own bin (exact splits); otherwise the cuts are exact
 * equal-frequency quantiles of the non-missing values in a seeded sample of at most `sampleRows` rows (default
 * 200,000, as LightGBM's bin_construct_sample_cnt). Unlike XGBoost's sketch they are not hessian-weighted: they
 * are computed once before training, which for logistic / squared-error losses costs little accuracy.
 *
 * Categorical features: one bin per level; when a column has more than `maxBin` levels the `maxBin-1` most
 * frequent levels keep their own bin and the rest share the last ("other") bin.
 */
export const MISSING_BIN = 255;
export const MAX_BINS = 255;

export interface NumericBinSpec {
  kind: 'numeric';
  name: string;
  cuts: Float64Array;
}

export interface CategoricalBinSpec {
  kind: 'categorical';
  name: string;
  levels: string[];
  /** level code → bin */
  levelToBin: Uint8Array;
  nBins: number;
}

export type BinSpec = NumericBinSpec | CategoricalBinSpec;

export interface BinnedMatrix {
  nRows: number;
  nFeatures: number;
  /** Column-major: bin of row r, feature f is `bins[f * nRows + r]`. */
  bins: Uint8Array;
  /** Number of non-missing bins per feature. */
  nBins: Int32Array;
  isCategorical: Uint8Array;
  specs: BinSpec[];
}

export interface BinningOptions {
  maxBin: number;
  /** Rows used to compute the quantile cuts (seeded sample); default 200,000 like LightGBM's bin_construct_sample_cnt. */
  sampleRows?: number;
  seed?: number;
}

function isMissing(x: number): boolean {
  // NaN - NaN and ±Infinity - ±Infinity are NaN; any finite number minus itself is 0.
  return x - x !== 0;
}

/** Quantile cuts of one numeric column. Exported for tests. */
export function computeNumericCuts(values: Float64Array, maxBin: number, sampleIdx?: Uint32Array): Float64Array {
  const src = sampleIdx ?? null;
  const n = src ? src.length : values.length;
  const buf = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = values[src ? (src[i] as number) : i] as number;
    if (!isMissing(x)) buf[m++] = x;
  }
  if (m === 0) return new Float64Array(0);
  const sorted = buf.subarray(0, m).sort();
  let distinct = 1;
  for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBin) {
    const out = new Float64Array(distinct);
    let k = 0;
    for (let i = 0; i < m; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) out[k++] = (sorted[i] as number) + 0; // + 0 turns −0 into 0
    }
    return out;
  }
  // Equal-frequency cuts: walk the runs of equal values; emit a run's value as a cut whenever the cumulative count
  // crosses the next multiple of m / maxBin (a heavy run may cross several at once and yields one cut).
  const cuts: number[] = [];
  let acc = 0;
  let i = 0;
  while (i < m) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < m && sorted[j] === v) j++;
    acc += j - i;
    if (acc * maxBin >= (cuts.length + 1) * m) cuts.push(v + 0);
    i = j;
  }
  const last = (sorted[m - 1] as number) + 0;
  if (cuts[cuts.length - 1] !== last) cuts.push(last);
  return Float64Array.from(cuts);
}

/** Index of the bin of `x` given ascending `cuts` (first cut ≥ x, clamped to the last bin). */
export function numericBin(cuts: Float64Array, x: number): number {
  if (isMissing(x)) return MISSING_BIN;
  let lo = 0;
  let hi = cuts.length - 1;
  if (hi < 0) return MISSING_BIN;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cuts[mid] as number) >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function categoricalSpec(name: string, codes: Int32Array, levels: string[], maxBin: number): CategoricalBinSpec {
  const nLevels = levels.length;
  const levelToBin = new Uint8Array(nLevels);
  if (nLevels <= maxBin) {
    for (let l = 0; l < nLevels; l++) levelToBin[l] = l;
    return { kind: 'categorical', name, levels, levelToBin, nBins: nLevels };
  }
  const freq = new Float64Array(nLevels);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c >= 0 && c < nLevels) freq[c] = (freq[c] as number) + 1;
  }
  const order = Array.from({ length: nLevels }, (_, l) => l).sort(
    (a, b) => (freq[b] as number) - (freq[a] as number) || a - b,
  );
  const other = maxBin - 1;
  levelToBin.fill(other);
  for (let k = 0; k < other; k++) levelToBin[order[k] as number] = k;
  return { kind: 'categorical', name, levels, levelToBin, nBins: maxBin };
}

/** Computes bin specifications (cuts / level maps) from the training data. */
export function computeBinSpecs(ds: Dataset, opts: BinningOptions): BinSpec[] {
  const maxBin = opts.maxBin;
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > MAX_BINS) {
    throw new Error(`maxBin: must be an integer in [2, ${MAX_BINS}], got ${maxBin}`);
  }
  const sampleRows = opts.sampleRows ?? 200_000;
  let sampleIdx: Uint32Array | undefined;
  if (ds.nRows > sampleRows) {
    // Seeded sample without replacement (partial Fisher–Yates), sorted for cache-friendly access.
    const rng = new Rng(opts.seed ?? 0);
    const all = new Uint32Array(ds.nRows);
    for (let i = 0; i < ds.nRows; i++) all[i] = i;
    for (let i = 0; i < sampleRows; i++) {
      const j = i + rng.nextInt(ds.nRows - i);
      const t = all[i] as number;
      all[i] = all[j] as number;
      all[j] = t;
    }
    sampleIdx = all.slice(0, sampleRows).sort();
  }
  const specs: BinSpec[] = [];
  ds.numeric.forEach((col, j) => {
    specs.push({
      kind: 'numeric',
      name: ds.numericNames[j] as string,
      cuts: computeNumericCuts(col, maxBin, sampleIdx),
    });
  });
  ds.categorical.forEach((col, j) => {
    specs.push(categoricalSpec(ds.categoricalNames[j] as string, col, ds.categoricalLevels[j] as string[], maxBin));
  });
  return specs;
}

/** Bins a dataset with given specs (training data or a validation set encoded with the same levels). */
export function binDataset(ds: Dataset, specs: BinSpec[]): BinnedMatrix {
  const n = ds.nRows;
  const nNum = ds.numeric.length;
  const nFeatures = specs.length;
  if (nFeatures !== nNum + ds.categorical.length) {
    throw new Error(`dataset: ${nNum + ds.categorical.length} columns, binning expects ${nFeatures}`);
  }
  const bins = new Uint8Array(nFeatures * n);
  const nBins = new Int32Array(nFeatures);
  const isCategorical = new Uint8Array(nFeatures);
  specs.forEach((spec, f) => {
    const out = bins.subarray(f * n, (f + 1) * n);
    if (spec.kind === 'numeric') {
      const col = ds.numeric[f] as Float64Array;
      const cuts = spec.cuts;
      nBins[f] = cuts.length;
      for (let i = 0; i < n; i++) out[i] = numericBin(cuts, col[i] as number);
    } else {
      isCategorical[f] = 1;
      nBins[f] = spec.nBins;
      const col = ds.categorical[f - nNum] as Int32Array;
      const map = spec.levelToBin;
      const nLevels = map.length;
      for (let i = 0; i < n; i++) {
        const c = col[i] as number;
        out[i] = c >= 0 && c < nLevels ? (map[c] as number) : MISSING_BIN;
      }
    }
  });
  return { nRows: n, nFeatures, bins, nBins, isCategorical, specs };
}
