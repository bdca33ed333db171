/**
 * Seeded pseudo-random numbers for the synthetic bank.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 32-bit state words, period 2^128 − 1), seeded through SplitMix32 from
 * `(seed, entity id, stream)`. Every customer gets its own stream keyed by its id, so a customer's data does not depend
 * on batch size, on the number of customers generated before it, or on which options (e.g. duplicates, which use a
 * separate stream) are switched on. All arithmetic is 32-bit integer (`Math.imul`, `>>>`), so results are identical on
 * every platform and Node version.
 */

/** SplitMix32 finaliser: a bijective 32-bit mix with good avalanche. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Folds a non-negative integer seed of up to 53 bits into 32 bits (both halves contribute). */
export function foldSeed(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(lo ^ mix32(hi ^ 0x5bd1e995));
}

const TWO32 = 4294967296;

export class Rng {
  private a = 1;
  private b = 2;
  private c = 3;
  private d = 4;
  private spare = 0;
  private hasSpare = false;

  constructor(seed = 0, id = 0, stream = 0) {
    this.reseed(seed, id, stream);
  }

  /** Re-keys the generator in place (no allocation): same (seed, id, stream) → same sequence. */
  reseed(seed: number, id: number, stream = 0): this {
    let s = foldSeed(seed);
    s = mix32(s ^ mix32(id >>> 0) ^ Math.imul(Math.floor(id / TWO32) | 0, 0x27d4eb2f));
    s = mix32(s ^ mix32((stream + 0x632be5ab) >>> 0));
    this.a = mix32(s);
    this.b = mix32(this.a ^ 0x85ebca6b);
    this.c = mix32(this.b ^ 0xc2b2ae35);
    this.d = mix32(this.c ^ 0x165667b1);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
    this.hasSpare = false;
    return this;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / TWO32;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.float() * items.length)];
    if (v === undefined) throw new RangeError('pick: empty list');
    return v;
  }

  /** Standard normal (Marsaglia polar method, second value cached). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.float() * 2 - 1;
      v = this.float() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Log-normal with the given median and log-scale sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count (inversion for small means, normal approximation above 40). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const l = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > l) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A categorical distribution over indices 0..n-1 given by weights (cumulative table + binary search). Weights may be
 * refilled in place with `set` so a per-customer mix does not allocate.
 */
export class Categorical {
  readonly cum: Float64Array;
  private total = 0;

  constructor(size: number) {
    this.cum = new Float64Array(size);
  }

  static of(weights: readonly number[]): Categorical {
    const c = new Categorical(weights.length);
    c.set(weights);
    return c;
  }

  set(weights: ArrayLike<number>): this {
    let acc = 0;
    for (let i = 0; i < this.cum.length; i++) {
      acc += Math.max(0, weights[i] ?? 0);
      this.cum[i] = acc;
    }
    this.total = acc;
    return this;
  }

  /** Weights = a[i]·b[i]. */
  setProduct(a: ArrayLike<number>, b: ArrayLike<number>): this {
    let acc = 0;
    for (let i = 0; i < this.cum.length; i++) {
      acc += Math.max(0, (a[i] ?? 0) * (b[i] ?? 0));
      this.cum[i] = acc;
    }
    this.total = acc;
    return this;
  }

  get size(): number {
    return this.cum.length;
  }

  sample(rng: Rng): number {
    const x = rng.float() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cum[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Picks from `[value, weight]` pairs. */
export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const it of items) total += it[1];
  let x = rng.float() * total;
  for (const it of items) {
    x -= it[1];
    if (x < 0) return it[0];
  }
  const last = items[items.length - 1];
  if (!last) throw new RangeError('weighted: empty list');
  return last[0];
}
