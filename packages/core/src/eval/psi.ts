/**
 * Population stability index between an expected (reference, e.g. training scores) and an actual (e.g. this
 * month's scores) distribution: PSI = Σ_b (a_b − e_b) · ln(a_b / e_b) over bins b.
 *
 * Bins: quantiles of the *expected* sample (nBins equal-frequency bins; duplicate edges merged, so a discrete
 * variable may get fewer bins). Value x falls in the first bin whose upper edge is ≥ x; the last bin is open
 * ended. Missing values (NaN) form an extra bin when either sample has any.
 * Empty bins: a proportion of 0 is replaced by epsilon (default 1e-4, i.e. 0.01%) before the formula so that the
 * logarithm stays finite; the proportions are not renormalised (the bias is at most ~epsilon per bin).
 * Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift.
 */
export interface PsiBin {
  /** upper edge (Infinity for the last bin, NaN for the missing bin) */
  upper: number;
  expected: number;
  actual: number;
  contribution: number;
}

export interface PsiResult {
  psi: number;
  bins: PsiBin[];
}

export function psi(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  opts: { nBins?: number; epsilon?: number } = {},
): PsiResult {
  const nBins = opts.nBins ?? 10;
  const eps = opts.epsilon ?? 1e-4;
  if (!Number.isInteger(nBins) || nBins < 2) throw new Error(`nBins: must be an integer ≥ 2, got ${nBins}`);
  if (expected.length === 0 || actual.length === 0) throw new Error('psi: both samples must be non-empty');
  const sorted = Float64Array.from(expected)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const edges: number[] = [];
  for (let b = 1; b < nBins; b++) {
    if (sorted.length === 0) break;
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / nBins) - 1)] as number;
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  if (sorted.length > 0 && edges[edges.length - 1] === sorted[sorted.length - 1]) edges.pop();
  const nb = edges.length + 1;
  const binOf = (x: number): number => {
    if (Number.isNaN(x)) return nb;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) >= x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const ce = new Float64Array(nb + 1);
  const ca = new Float64Array(nb + 1);
  for (let i = 0; i < expected.length; i++) {
    const b = binOf(expected[i] as number);
    ce[b] = (ce[b] as number) + 1;
  }
  for (let i = 0; i < actual.length; i++) {
    const b = binOf(actual[i] as number);
    ca[b] = (ca[b] as number) + 1;
  }
  const hasMissing = (ce[nb] as number) > 0 || (ca[nb] as number) > 0;
  const bins: PsiBin[] = [];
  let total = 0;
  for (let b = 0; b < (hasMissing ? nb + 1 : nb); b++) {
    const e = Math.max(eps, (ce[b] as number) / expected.length);
    const a = Math.max(eps, (ca[b] as number) / actual.length);
    const contribution = (a - e) * Math.log(a / e);
    total += contribution;
    bins.push({
      upper: b === nb ? Number.NaN : b === nb - 1 ? Number.POSITIVE_INFINITY : (edges[b] as number),
      expected: (ce[b] as number) / expected.length,
      actual: (ca[b] as number) / actual.length,
      contribution,
    });
  }
  return { psi: total, bins };
}
