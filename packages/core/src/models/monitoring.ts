/**
 * Monitoring helpers of the bank models: compact PSI references (so a model row carries its training distribution
 * instead of the training data), score bands and score histograms.
 *
 * PSI follows `eval/psi.ts` exactly: bins are the deciles of the training (expected) sample with duplicate edges
 * merged, value x falls in the first bin whose upper edge is ≥ x, missing values form an extra bin, empty proportions
 * are floored at 1e-4. Categorical features use one bin per training level (+ other + missing).
 */
import { z } from 'zod';

export const PSI_WARNING = 0.2;
const EPS = 1e-4;

export const psiReferenceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('numeric'),
    edges: z.array(z.number()),
    /** proportions per bin (edges.length + 1 bins) then the missing bin */
    expected: z.array(z.number()),
  }),
  z.object({
    kind: z.literal('categorical'),
    levels: z.array(z.string()),
    /** proportions per level, then unknown levels, then missing */
    expected: z.array(z.number()),
  }),
]);
export type PsiReference = z.infer<typeof psiReferenceSchema>;

function quantileEdges(values: ArrayLike<number>, nBins: number): number[] {
  const sorted = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const edges: number[] = [];
  for (let b = 1; b < nBins; b++) {
    if (sorted.length === 0) break;
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / nBins) - 1)] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  if (sorted.length > 0 && edges[edges.length - 1] === sorted[sorted.length - 1]) edges.pop();
  return edges;
}

function numericBins(edges: number[], values: ArrayLike<number>): Float64Array {
  const nb = edges.length + 1;
  const counts = new Float64Array(nb + 1);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    let b: number;
    if (Number.isNaN(x)) b = nb;
    else {
      let lo = 0;
      let hi = edges.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((edges[mid] as number) >= x) hi = mid;
        else lo = mid + 1;
      }
      b = lo;
    }
    counts[b] = (counts[b] as number) + 1;
  }
  for (let b = 0; b < counts.length; b++) counts[b] = (counts[b] as number) / Math.max(1, values.length);
  return counts;
}

/** Reference of a numeric sample (NaN = missing). */
export function numericReference(values: ArrayLike<number>, nBins = 10): PsiReference {
  const edges = quantileEdges(values, nBins);
  return { kind: 'numeric', edges, expected: Array.from(numericBins(edges, values)) };
}

/** Reference of categorical codes (`levels[code]`; negative = missing, ≥ levels.length = unknown). */
export function categoricalReference(codes: ArrayLike<number>, levels: string[]): PsiReference {
  return { kind: 'categorical', levels, expected: Array.from(categoricalBins(levels.length, codes)) };
}

function categoricalBins(nLevels: number, codes: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(nLevels + 2);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    const b = c < 0 || Number.isNaN(c) ? nLevels + 1 : c >= nLevels ? nLevels : c;
    counts[b] = (counts[b] as number) + 1;
  }
  for (let b = 0; b < counts.length; b++) counts[b] = (counts[b] as number) / Math.max(1, codes.length);
  return counts;
}

function psiOf(expected: ArrayLike<number>, actual: ArrayLike<number>, includeLast: boolean): number {
  let total = 0;
  const n = includeLast ? expected.length : expected.length - 1;
  for (let b = 0; b < n; b++) {
    const e = Math.max(EPS, expected[b] as number);
    const a = Math.max(EPS, actual[b] as number);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** PSI of a new numeric sample against a reference. */
export function psiNumeric(ref: Extract<PsiReference, { kind: 'numeric' }>, values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('psi: the actual sample is empty');
  const actual = numericBins(ref.edges, values);
  const missingSeen =
    (ref.expected[ref.expected.length - 1] as number) > 0 || (actual[actual.length - 1] as number) > 0;
  return psiOf(ref.expected, actual, missingSeen);
}

/**
 * PSI of new categorical values against a reference. `codes` index `levels` of the *new* data; they are matched to
 * the reference's levels by name.
 */
export function psiCategorical(
  ref: Extract<PsiReference, { kind: 'categorical' }>,
  codes: ArrayLike<number>,
  levels: readonly string[],
): number {
  if (codes.length === 0) throw new Error('psi: the actual sample is empty');
  const pos = new Map(ref.levels.map((l, k) => [l, k]));
  const remapped = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c < 0) remapped[i] = -1;
    else remapped[i] = pos.get(levels[c] ?? '') ?? ref.levels.length;
  }
  const actual = categoricalBins(ref.levels.length, remapped);
  return psiOf(ref.expected, actual, true);
}

export function psiAgainst(ref: PsiReference, values: ArrayLike<number>, levels?: readonly string[]): number {
  return ref.kind === 'numeric' ? psiNumeric(ref, values) : psiCategorical(ref, values, levels ?? ref.levels);
}

// ------------------------------------------------------------------------------------------------ bands

export type Band = 'low' | 'medium' | 'high';

/**
 * Band cut-offs from the holdout scores at training time: `high` = the top decile (the population the top-decile
 * precision is measured on), `medium` = the next two deciles, `low` = the rest. Stored with the model, so a band keeps
 * its meaning across scoring runs while the model is unchanged.
 */
export interface BandCutoffs {
  medium: number;
  high: number;
}

export function bandCutoffs(scores: ArrayLike<number>, highShare = 0.1, mediumShare = 0.2): BandCutoffs {
  const sorted = Float64Array.from(scores).sort();
  if (sorted.length === 0) throw new Error('bandCutoffs: no scores');
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))] as number;
  return { high: at(1 - highShare), medium: at(1 - highShare - mediumShare) };
}

export function bandOf(score: number, c: BandCutoffs): Band {
  return score >= c.high ? 'high' : score >= c.medium ? 'medium' : 'low';
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** Equal-width histogram between the sample's min and max (probabilities: [0, 1]). */
export function histogram(values: ArrayLike<number>, nBins = 20, range?: [number, number]): HistogramBin[] {
  let lo = range?.[0] ?? Number.POSITIVE_INFINITY;
  let hi = range?.[1] ?? Number.NEGATIVE_INFINITY;
  if (!range)
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo : 0;
    hi = lo + 1;
  }
  const w = (hi - lo) / nBins;
  const counts = new Array<number>(nBins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const b = Math.min(nBins - 1, Math.max(0, Math.floor((v - lo) / w)));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts.map((count, b) => ({ lo: lo + b * w, hi: lo + (b + 1) * w, count }));
}
