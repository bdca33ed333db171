/**
 * Probability calibration: reliability diagram bins, Platt scaling and isotonic regression (PAVA).
 */

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** mean predicted probability in the bin (NaN when empty) */
  meanPredicted: number;
  /** observed positive rate in the bin (NaN when empty) */
  fractionPositive: number;
}

/** Equal-width reliability bins over [0, 1] (a probability of exactly 1 goes to the last bin). */
export function reliabilityBins(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): ReliabilityBin[] {
  if (y.length !== p.length) throw new Error(`reliabilityBins: ${y.length} labels but ${p.length} probabilities`);
  const cnt = new Float64Array(nBins);
  const sp = new Float64Array(nBins);
  const sy = new Float64Array(nBins);
  for (let i = 0; i < y.length; i++) {
    const q = p[i] as number;
    if (!(q >= 0 && q <= 1)) throw new Error(`probabilities[${i}]: must be in [0, 1], got ${q}`);
    const b = Math.min(nBins - 1, Math.floor(q * nBins));
    cnt[b] = (cnt[b] as number) + 1;
    sp[b] = (sp[b] as number) + q;
    sy[b] = (sy[b] as number) + (y[i] as number);
  }
  return Array.from({ length: nBins }, (_, b) => {
    const c = cnt[b] as number;
    return {
      lower: b / nBins,
      upper: (b + 1) / nBins,
      count: c,
      meanPredicted: c > 0 ? (sp[b] as number) / c : Number.NaN,
      fractionPositive: c > 0 ? (sy[b] as number) / c : Number.NaN,
    };
  });
}

/** Expected calibration error: Σ_b (n_b / n) · |mean predicted − observed rate|. */
export function expectedCalibrationError(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): number {
  const bins = reliabilityBins(y, p, nBins);
  let e = 0;
  for (const b of bins) if (b.count > 0) e += (b.count / y.length) * Math.abs(b.meanPredicted - b.fractionPositive);
  return e;
}

/** Brier score: mean squared error of probabilities. */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += ((p[i] as number) - (y[i] as number)) ** 2;
  return s / y.length;
}

export interface PlattCalibrator {
  /** calibrated probability = 1 / (1 + exp(−(slope · score + intercept))) */
  slope: number;
  intercept: number;
}

/**
 * Platt scaling (Platt 1999) fitted with the Newton method with backtracking of Lin, Lin & Weng (2007), including
 * Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) against overfitting.
 */
export function fitPlatt(score: ArrayLike<number>, y: ArrayLike<number>): PlattCalibrator {
  const n = score.length;
  if (y.length !== n) throw new Error(`fitPlatt: ${y.length} labels but ${n} scores`);
  let prior1 = 0;
  for (let i = 0; i < n; i++) if ((y[i] as number) === 1) prior1++;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = Float64Array.from({ length: n }, (_, i) => ((y[i] as number) === 1 ? hi : lo));
  // Platt's parameterisation: P(y=1|s) = 1 / (1 + exp(A·s + B))
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = (score[i] as number) * a + b;
      const ti = t[i] as number;
      f += z >= 0 ? ti * z + Math.log1p(Math.exp(-z)) : (ti - 1) * z + Math.log1p(Math.exp(z));
    }
    return f;
  };
  let fval = objective(A, B);
  const sigma = 1e-12;
  for (let it = 0; it < 100; it++) {
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const s = score[i] as number;
      const z = s * A + B;
      let p: number;
      let q: number;
      if (z >= 0) {
        const e = Math.exp(-z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += s * s * d2;
      h22 += d2;
      h21 += s * d2;
      const d1 = (t[i] as number) - p;
      g1 += s * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    let moved = false;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  return { slope: -A, intercept: -B };
}

export function applyPlatt(c: PlattCalibrator, score: number): number {
  return 1 / (1 + Math.exp(-(c.slope * score + c.intercept)));
}

export interface IsotonicCalibrator {
  /** ascending knots; prediction interpolates linearly between them and is clipped outside */
  x: number[];
  y: number[];
}

/**
 * Isotonic (non-decreasing) regression by the pool-adjacent-violators algorithm. Equal x values are pooled first.
 * Prediction is piecewise linear between block end points (as scikit-learn), constant outside the fitted range.
 */
export function fitIsotonic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicCalibrator {
  const n = x.length;
  if (y.length !== n) throw new Error(`fitIsotonic: ${y.length} targets but ${n} inputs`);
  if (n === 0) throw new Error('fitIsotonic: no data');
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (x[a] as number) - (x[b] as number) || a - b,
  );
  // blocks: weighted mean value, weight, x range
  const bv: number[] = [];
  const bw: number[] = [];
  const bx0: number[] = [];
  const bx1: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const xi = x[i] as number;
    const wi = weights ? (weights[i] as number) : 1;
    const yi = y[i] as number;
    const last = bv.length - 1;
    if (last >= 0 && bx1[last] === xi) {
      // tie in x: pool unconditionally
      const w = (bw[last] as number) + wi;
      bv[last] = ((bv[last] as number) * (bw[last] as number) + yi * wi) / w;
      bw[last] = w;
    } else {
      bv.push(yi);
      bw.push(wi);
      bx0.push(xi);
      bx1.push(xi);
    }
    // pool adjacent violators
    while (bv.length > 1 && (bv[bv.length - 2] as number) > (bv[bv.length - 1] as number)) {
      const j = bv.length - 1;
      const w = (bw[j - 1] as number) + (bw[j] as number);
      bv[j - 1] = ((bv[j - 1] as number) * (bw[j - 1] as number) + (bv[j] as number) * (bw[j] as number)) / w;
      bw[j - 1] = w;
      bx1[j - 1] = bx1[j] as number;
      bv.pop();
      bw.pop();
      bx0.pop();
      bx1.pop();
    }
  }
  const kx: number[] = [];
  const ky: number[] = [];
  for (let b = 0; b < bv.length; b++) {
    kx.push(bx0[b] as number);
    ky.push(bv[b] as number);
    if ((bx1[b] as number) > (bx0[b] as number)) {
      kx.push(bx1[b] as number);
      ky.push(bv[b] as number);
    }
  }
  return { x: kx, y: ky };
}

export function applyIsotonic(c: IsotonicCalibrator, v: number): number {
  const { x, y } = c;
  const last = x.length - 1;
  if (v <= (x[0] as number)) return y[0] as number;
  if (v >= (x[last] as number)) return y[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((x[mid] as number) <= v) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const x1 = x[hi] as number;
  const t = x1 > x0 ? (v - x0) / (x1 - x0) : 0;
  return (y[lo] as number) + t * ((y[hi] as number) - (y[lo] as number));
}
