/**
 * Evaluation metrics for binary classifiers (labels 0/1, scores: any real, higher = more likely positive) and
 * for regression. All functions are pure and deterministic.
 *
 * Ties: every ranking metric is *tie-aware* — rows with equal scores are treated as one group, which equals the
 * expectation over random orderings of the tied rows (AUC counts a tied positive/negative pair as ½).
 */

function checkLengths(y: ArrayLike<number>, s: ArrayLike<number>, what: string): void {
  if (y.length !== s.length) throw new Error(`${what}: ${y.length} labels but ${s.length} scores`);
}

/** Row indices sorted by score descending (stable: ties keep row order). */
function orderDesc(score: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(score.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
}

interface Group {
  pos: number;
  neg: number;
  score: number;
}

/** Groups of tied scores, highest score first. */
function tieGroups(y: ArrayLike<number>, score: ArrayLike<number>): Group[] {
  const order = orderDesc(score);
  const groups: Group[] = [];
  let cur: Group | null = null;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const s = score[i] as number;
    if (!cur || cur.score !== s) {
      cur = { pos: 0, neg: 0, score: s };
      groups.push(cur);
    }
    if ((y[i] as number) === 1) cur.pos++;
    else cur.neg++;
  }
  return groups;
}

function counts(y: ArrayLike<number>): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < y.length; i++) if ((y[i] as number) === 1) pos++;
  return { pos, neg: y.length - pos };
}

/** ROC AUC (Mann–Whitney U / (P·N)); NaN when only one class is present. */
export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkLengths(y, score, 'auc');
  const { pos, neg } = counts(y);
  if (pos === 0 || neg === 0) return Number.NaN;
  // walk from the highest score down: a positive beats every negative below it (walking up from the lowest score), ties count ½
  let negBelow = 0;
  let u = 0;
  const groups = tieGroups(y, score);
  for (let g = groups.length - 1; g >= 0; g--) {
    const grp = groups[g] as Group;
    u += grp.pos * (negBelow + 0.5 * grp.neg);
    negBelow += grp.neg;
  }
  return u / (pos * neg);
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** rows with score ≥ threshold are predicted positive (first point: +Infinity) */
  threshold: number;
}

/** ROC curve: one point per distinct score, from (0,0) to (1,1). */
export function rocCurve(y: ArrayLike<number>, score: ArrayLike<number>): RocPoint[] {
  checkLengths(y, score, 'rocCurve');
  const { pos, neg } = counts(y);
  const pts: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }];
  let tp = 0;
  let fp = 0;
  for (const g of tieGroups(y, score)) {
    tp += g.pos;
    fp += g.neg;
    pts.push({ fpr: neg > 0 ? fp / neg : 0, tpr: pos > 0 ? tp / pos : 0, threshold: g.score });
  }
  return pts;
}

/**
 * PR AUC as average precision: Σ_k (R_k − R_{k−1}) · P_k over distinct thresholds (scikit-learn's definition,
 * no interpolation). NaN without positives.
 */
export function averagePrecision(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkLengths(y, score, 'averagePrecision');
  const { pos } = counts(y);
  if (pos === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (const g of tieGroups(y, score)) {
    tp += g.pos;
    seen += g.pos + g.neg;
    ap += (g.pos / pos) * (tp / seen);
  }
  return ap;
}

/** Mean binary cross-entropy; probabilities are clipped to [eps, 1 − eps] with eps = 1e-15. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  checkLengths(y, p, 'logLoss');
  if (y.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i] as number));
    s -= (y[i] as number) === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/**
 * Expected number of positives among the top k = ceil(fraction·n) rows by score. When a tie group straddles the
 * cut, its positives are counted pro rata (the expectation under random tie-breaking).
 */
function positivesInTop(y: ArrayLike<number>, score: ArrayLike<number>, fraction: number): { k: number; tp: number } {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`fraction: must be in (0, 1], got ${fraction}`);
  const k = Math.ceil(fraction * y.length - 1e-9);
  let taken = 0;
  let tp = 0;
  for (const g of tieGroups(y, score)) {
    const size = g.pos + g.neg;
    if (taken + size <= k) {
      taken += size;
      tp += g.pos;
    } else {
      tp += (g.pos * (k - taken)) / size;
      taken = k;
    }
    if (taken >= k) break;
  }
  return { k, tp };
}

/** Precision among the top `fraction` of rows by score (e.g. 0.1 = top decile). */
export function precisionAtTop(y: ArrayLike<number>, score: ArrayLike<number>, fraction: number): number {
  checkLengths(y, score, 'precisionAtTop');
  const { k, tp } = positivesInTop(y, score, fraction);
  return k > 0 ? tp / k : Number.NaN;
}

/** Share of all positives found in the top `fraction` of rows by score. */
export function recallAtTop(y: ArrayLike<number>, score: ArrayLike<number>, fraction: number): number {
  checkLengths(y, score, 'recallAtTop');
  const { pos } = counts(y);
  if (pos === 0) return Number.NaN;
  return positivesInTop(y, score, fraction).tp / pos;
}

/** Lift at the top `fraction`: precision there divided by the overall positive rate. */
export function liftAtTop(y: ArrayLike<number>, score: ArrayLike<number>, fraction: number): number {
  const { pos } = counts(y);
  if (pos === 0) return Number.NaN;
  return precisionAtTop(y, score, fraction) / (pos / y.length);
}

export interface LiftPoint {
  /** fraction of the population targeted (top by score) */
  fraction: number;
  /** fraction of all positives captured (cumulative gains) */
  captured: number;
  /** cumulative lift = captured / fraction */
  lift: number;
}

/** Cumulative lift / gains at `nPoints` evenly spaced population fractions (deciles by default). */
export function liftCurve(y: ArrayLike<number>, score: ArrayLike<number>, nPoints = 10): LiftPoint[] {
  checkLengths(y, score, 'liftCurve');
  const out: LiftPoint[] = [];
  for (let i = 1; i <= nPoints; i++) {
    const fraction = i / nPoints;
    const captured = recallAtTop(y, score, fraction);
    out.push({ fraction, captured, lift: captured / fraction });
  }
  return out;
}

/**
 * ALIFT (Moro, Cortez & Rita 2014, "A data-driven approach to predict the success of bank telemarketing"): the area
 * under the cumulative LIFT response curve, i.e. x = fraction of clients contacted (sorted by score), y = fraction
 * of positive responses captured. Both axes are in [0, 1], so the area is normalised: 0.5 for a random model,
 * 1 − p/2 for a perfect one (p = positive rate). Tie groups contribute straight segments (exact expectation).
 */
export function alift(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkLengths(y, score, 'alift');
  const n = y.length;
  const { pos } = counts(y);
  if (pos === 0 || n === 0) return Number.NaN;
  let x0 = 0;
  let y0 = 0;
  let area = 0;
  for (const g of tieGroups(y, score)) {
    const x1 = x0 + (g.pos + g.neg) / n;
    const y1 = y0 + g.pos / pos;
    area += ((x1 - x0) * (y0 + y1)) / 2;
    x0 = x1;
    y0 = y1;
  }
  return area;
}

/** Root mean squared error. */
export function rmse(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred, 'rmse');
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = (y[i] as number) - (pred[i] as number);
    s += d * d;
  }
  return Math.sqrt(s / y.length);
}

/** Mean absolute error. */
export function mae(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred, 'mae');
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs((y[i] as number) - (pred[i] as number));
  return s / y.length;
}

/** Coefficient of determination 1 − SS_res / SS_tot (NaN when y is constant). */
export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkLengths(y, pred, 'r2');
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] as number;
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number;
    ssRes += (yi - (pred[i] as number)) ** 2;
    ssTot += (yi - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : Number.NaN;
}

/** Mean and sample standard deviation. */
export function meanSd(values: number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}
