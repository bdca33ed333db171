import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BlockingRule,
  type Comparison,
  compressGammas,
  computeGammas,
  defaultBlockingRules,
  defaultComparisons,
  estimateM,
  estimateU,
  generateCandidatePairs,
  type InputRecord,
  mulberry32,
  prepareRecords,
  probabilityFromWeight,
  trainAndScore,
  weightFromProbability,
} from '../../src/identity/fellegi-sunter.ts';

/** Comparisons used only for their level counts (EM works on gamma patterns). */
function dummy(name: string, levels: number): Comparison {
  return { name, levels: Array.from({ length: levels }, (_, i) => `l${i}`), compare: () => -1 };
}

function draw(probs: Float64Array, r: number): number {
  let acc = 0;
  for (let l = 0; l < probs.length; l++) {
    acc += probs[l] as number;
    if (r < acc) return l;
  }
  return probs.length - 1;
}

describe('EM estimation of m and lambda', () => {
  it('recovers the generating parameters of a synthetic mixture and never lowers the likelihood', () => {
    const comparisons = [dummy('name', 4), dummy('dob', 3), dummy('phone', 2), dummy('city', 3)];
    const trueM = [
      Float64Array.from([0.8, 0.12, 0.05, 0.03]),
      Float64Array.from([0.9, 0.07, 0.03]),
      Float64Array.from([0.7, 0.3]),
      Float64Array.from([0.75, 0.15, 0.1]),
    ];
    const trueU = [
      Float64Array.from([0.01, 0.04, 0.15, 0.8]),
      Float64Array.from([0.02, 0.08, 0.9]),
      Float64Array.from([0.01, 0.99]),
      Float64Array.from([0.1, 0.2, 0.7]),
    ];
    const lambda = 0.2;
    const n = 100_000;
    const rand = mulberry32(7);
    const c = comparisons.length;
    const gammas = new Uint8Array(n * c);
    for (let p = 0; p < n; p++) {
      const match = rand() < lambda;
      for (let k = 0; k < c; k++) {
        const missing = rand() < 0.05;
        gammas[p * c + k] = missing ? 0 : draw((match ? trueM : trueU)[k] as Float64Array, rand()) + 1;
      }
    }
    const patterns = compressGammas(gammas, comparisons);
    expect(patterns.size).toBeLessThanOrEqual(5 * 4 * 3 * 4);
    const em = estimateM(patterns, comparisons, trueU, { mPseudoCount: 0, tolerance: 1e-9, maxIterations: 500 });
    expect(em.converged).toBe(true);
    expect(em.lambda).toBeCloseTo(lambda, 1);
    expect(Math.abs(em.lambda - lambda)).toBeLessThan(0.01);
    for (let k = 0; k < c; k++) {
      for (let l = 0; l < (trueM[k] as Float64Array).length; l++) {
        expect(
          Math.abs(((em.m[k] as Float64Array)[l] as number) - ((trueM[k] as Float64Array)[l] as number)),
        ).toBeLessThan(0.02);
      }
    }
    for (let i = 1; i < em.logLikelihood.length; i++) {
      expect(em.logLikelihood[i] as number).toBeGreaterThanOrEqual((em.logLikelihood[i - 1] as number) - 1e-6);
    }
  });

  it('a Beta prior pulls lambda towards its mode', () => {
    const comparisons = [dummy('a', 2)];
    const gammas = Uint8Array.from([1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
    const u = [Float64Array.from([0.5, 0.5])];
    const free = estimateM(compressGammas(gammas, comparisons), comparisons, u);
    const prior = estimateM(compressGammas(gammas, comparisons), comparisons, u, {
      lambdaPrior: { alpha: 1, beta: 1000 },
    });
    expect(prior.lambda).toBeLessThan(free.lambda);
  });
});

function person(id: string, fields: InputRecord['fields']): InputRecord {
  return { id, fields };
}

describe('blocking', () => {
  it('emits the union of the rules, each pair once, and reports the reduction ratio (property)', () => {
    const rec = fc.record({
      surname: fc.constantFrom('li', 'wang', 'zhang', ''),
      dob: fc.constantFrom('19800101', '19900202', '20000303', ''),
      phone: fc.constantFrom('13800000001', '13800000002', ''),
    });
    fc.assert(
      fc.property(fc.array(rec, { minLength: 0, maxLength: 25 }), (rows) => {
        const input = rows.map((r, i) =>
          person(String(i), { surname: r.surname, given_name: 'x', birth_date: r.dob, phone: r.phone }),
        );
        const records = prepareRecords(input);
        const rules: BlockingRule[] = [
          { name: 'dob', key: (r) => (r.dobRaw === '' ? null : r.dobRaw) },
          { name: 'phone', key: (r) => (r.phone === '' ? null : r.phone) },
          { name: 'surname', key: (r) => (r.surname === '' ? null : r.surname) },
        ];
        const pairs = generateCandidatePairs(records, rules);
        const got = new Set<string>();
        for (let p = 0; p < pairs.count; p++) {
          expect(pairs.a[p] as number).toBeLessThan(pairs.b[p] as number);
          got.add(`${pairs.a[p]}:${pairs.b[p]}`);
        }
        expect(got.size).toBe(pairs.count);
        const expected = new Set<string>();
        for (let i = 0; i < records.length; i++) {
          for (let j = i + 1; j < records.length; j++) {
            if (
              rules.some((rule) => {
                const k = rule.key(records[i]!);
                return k !== null && k === rule.key(records[j]!);
              })
            ) {
              expected.add(`${i}:${j}`);
            }
          }
        }
        expect([...got].sort()).toEqual([...expected].sort());
        const all = (records.length * (records.length - 1)) / 2;
        expect(pairs.allPairs).toBe(all);
        if (all > 0) expect(pairs.reductionRatio).toBeCloseTo(1 - pairs.count / all, 12);
        expect(pairs.perRule.reduce((s, r) => s + r.pairs, 0)).toBe(pairs.count);
      }),
      { numRuns: 200 },
    );
  });

  it('skips pairs already inside one deterministic group and oversized blocks', () => {
    const input = ['a', 'b', 'c', 'd'].map((id) => person(id, { full_name: '张伟', birth_date: '19800101' }));
    const records = prepareRecords(input);
    const rules = [{ name: 'dob', key: (r: (typeof records)[number]) => r.dobRaw }];
    const grouped = generateCandidatePairs(records, rules, { excludeSameGroup: Int32Array.from([0, 0, -1, -1]) });
    expect(grouped.count).toBe(5);
    const capped = generateCandidatePairs(records, rules, { maxBlockSize: 3 });
    expect(capped.count).toBe(0);
    expect(capped.perRule[0]).toMatchObject({ skippedBlocks: 1, largestBlock: 4 });
  });

  it('chooses default rules from the roles present', () => {
    const names = defaultBlockingRules(['full_name', 'birth_date', 'phone', 'city']).map((r) => r.name);
    expect(names).toEqual(['phone', 'birth_date', 'full_name', 'surname+city']);
  });
});

describe('Fellegi–Sunter scoring', () => {
  const surnames = ['张', '王', '李', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  const given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明'];
  const homophone: Record<string, string> = {
    张: '章',
    王: '汪',
    李: '黎',
    刘: '柳',
    陈: '陈',
    杨: '阳',
    赵: '赵',
    黄: '皇',
    周: '周',
    吴: '武',
  };
  const cities = ['北京', '上海', '广州', '成都', '杭州'];

  function dataset(): { input: InputRecord[]; truth: Int32Array } {
    const rand = mulberry32(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const input: InputRecord[] = [];
    const truth: number[] = [];
    for (let p = 0; p < 400; p++) {
      const s = pick(surnames);
      const g = pick(given) + (rand() < 0.6 ? pick(given) : '');
      const dob = `19${50 + Math.floor(rand() * 50)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      const phone = `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
      const city = pick(cities);
      const copies = rand() < 0.4 ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const noisy = c > 0;
        input.push(
          person(`${p}-${c}`, {
            full_name: (noisy && rand() < 0.5 ? (homophone[s] ?? s) : s) + g,
            birth_date: dob,
            phone: noisy && rand() < 0.3 ? `+86 ${phone.slice(0, 3)} ${phone.slice(3)}` : phone,
            city,
          }),
        );
        truth.push(p);
      }
    }
    return { input, truth: Int32Array.from(truth) };
  }

  it('separates matches from non-matches and treats homophone surnames as near matches', () => {
    const { input, truth } = dataset();
    const records = prepareRecords(input);
    const comparisons = defaultComparisons(['full_name', 'birth_date', 'phone', 'city']);
    const rules = defaultBlockingRules(['full_name', 'birth_date', 'phone', 'city']);
    const pairs = generateCandidatePairs(records, rules);
    const trained = trainAndScore(records, pairs, comparisons, { uSamplePairs: 50_000 }, rules);
    expect(trained.em.converged).toBe(true);
    // One session per rule; the rule's own roles are held out of its session.
    expect(trained.sessions.map((s) => s.rule)).toEqual(['phone', 'birth_date', 'full_name', 'surname+city']);
    expect(trained.sessions[3]?.heldOut).toEqual(['full_name', 'city']);
    // The expected number of matches is close to the true number of duplicate pairs.
    let truePairs = 0;
    for (let i = 0; i < truth.length; i++)
      for (let j = i + 1; j < truth.length; j++) if (truth[i] === truth[j]) truePairs++;
    expect(Math.abs(trained.expectedMatches - truePairs)).toBeLessThan(0.05 * truePairs);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const threshold = weightFromProbability(0.9);
    for (let p = 0; p < pairs.count; p++) {
      const same = truth[pairs.a[p] as number] === truth[pairs.b[p] as number];
      const accept = (trained.weights[p] as number) >= threshold;
      if (same && accept) tp++;
      else if (accept) fp++;
      else if (same) fn++;
    }
    expect(tp).toBeGreaterThan(100);
    expect(fp).toBeLessThanOrEqual(2);
    expect(fn).toBeLessThanOrEqual(2);
    const name = trained.model.describe().comparisons.find((c) => c.name === 'full_name');
    const bf = (level: string) => name?.levels.find((l) => l.level === level)?.bayesFactor ?? Number.NaN;
    expect(bf('exact')).toBeGreaterThan(100);
    expect(bf('homophone')).toBeGreaterThan(100);
    expect(bf('else')).toBeLessThan(1);
    // A homophone pair with the same birth date and phone is a match.
    const [a, b] = prepareRecords([
      person('x', { full_name: '张丽娜', birth_date: '19800101', phone: '13912345678', city: '北京' }),
      person('y', { full_name: '章丽娜', birth_date: '19800101', phone: '+86 139 1234 5678', city: '北京' }),
    ]);
    expect(probabilityFromWeight(trained.model.weight(a!, b!))).toBeGreaterThan(0.99);
  });

  it('computes u from all pairs when they fit in the sample, with smoothing', () => {
    const records = prepareRecords([
      person('1', { surname: 'smith', birth_date: '19800101' }),
      person('2', { surname: 'smith', birth_date: '19800102' }),
      person('3', { surname: 'jones', birth_date: '19900101' }),
    ]);
    const comparisons = defaultComparisons(['surname', 'birth_date']);
    const u = estimateU(records, comparisons, { samplePairs: 10, pseudoCount: 0 });
    expect(u.exhaustive).toBe(true);
    expect(u.sampledPairs).toBe(3);
    expect(u.u[0]?.[0]).toBeCloseTo(1 / 3, 12);
    const gammas = computeGammas(records, Int32Array.from([0]), Int32Array.from([1]), comparisons);
    expect(Array.from(gammas)).toEqual([1, 3]);
  });
});
