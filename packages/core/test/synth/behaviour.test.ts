import { describe, expect, it } from 'vitest';
import { dayOf } from '../../src/synth/calendar.ts';
import { createSyntheticBank } from '../../src/synth/generator.ts';
import { parseTsv } from '../../src/synth/tsv.ts';
import { LIFECYCLES, PERSONAS, type Persona, type SynthCustomer } from '../../src/synth/types.ts';

const N = 6000;
const batches = [...createSyntheticBank({ customers: N, seed: 3 }).batches()];
const customers = batches.flatMap((b) => b.customers);
const asOf = dayOf('2026-06-30');
const windowStart = asOf - 364;

/** Documented ranges (docs/synthetic-bank.md), in % of customers. */
const LIFECYCLE_RANGES: Record<(typeof LIFECYCLES)[number], [number, number]> = {
  potential: [4, 8],
  new: [4.5, 8],
  active: [60, 71],
  dormant: [11, 17.5],
  churned: [5.5, 10],
};
const PERSONA_RANGES: Record<(typeof PERSONAS)[number], [number, number]> = {
  gen_z_95: [25, 34],
  quasi_middle_class: [13, 20],
  young_parent: [18, 26],
  new_urban_resident: [5.5, 10.5],
  silver: [16, 22],
  sme_owner: [3.5, 7],
  farmer_herder: [2, 5],
};

describe('population mix', () => {
  const pct = (pred: (c: SynthCustomer) => boolean) => (100 * customers.filter(pred).length) / N;

  it.each(LIFECYCLES)('lifecycle %s within its documented range', (stage) => {
    const [lo, hi] = LIFECYCLE_RANGES[stage];
    const v = pct((c) => c.lifecycle === stage);
    expect(v).toBeGreaterThanOrEqual(lo);
    expect(v).toBeLessThanOrEqual(hi);
  });

  it.each(PERSONAS)('persona %s within its documented range', (persona) => {
    const [lo, hi] = PERSONA_RANGES[persona];
    const v = pct((c) => c.personas.includes(persona));
    expect(v).toBeGreaterThanOrEqual(lo);
    expect(v).toBeLessThanOrEqual(hi);
  });

  it('personas agree with the attributes that define them', () => {
    for (const c of customers) {
      const born = Number(c.birthDate.slice(0, 4));
      expect(c.personas.includes('gen_z_95')).toBe(born >= 1995);
      const age = (asOf - dayOf(c.birthDate)) / 365.25;
      if (c.personas.includes('silver')) expect(age).toBeGreaterThanOrEqual(60);
      if (c.personas.includes('farmer_herder')) expect(['farmer', 'herder']).toContain(c.occupation);
      if (c.personas.includes('sme_owner')) expect(['business_owner', 'self_employed']).toContain(c.occupation);
      if (c.personas.includes('new_urban_resident')) {
        expect(c.housing).toBe('rent');
        expect(asOf - dayOf(c.citySince ?? '1900-01-01')).toBeLessThan(3 * 365);
      }
      if (c.personas.includes('young_parent')) expect(c.childrenCount).toBeGreaterThan(0);
    }
  });

  it('risk levels C1–C5 with some assessments expired and some customers unassessed; a few flags', () => {
    const levels = new Set(customers.map((c) => c.riskLevel));
    for (const l of ['C1', 'C2', 'C3', 'C4', 'C5', null]) expect(levels.has(l)).toBe(true);
    const expired = pct((c) => c.riskAssessedAt !== null && asOf - dayOf(c.riskAssessedAt.slice(0, 10)) > 365);
    expect(expired).toBeGreaterThan(5);
    expect(pct((c) => c.flags.includes('fraud_restricted'))).toBeGreaterThan(0);
    expect(pct((c) => c.flags.includes('deceased'))).toBeGreaterThan(0);
    const off = pct((c) => !c.personalisedMarketing);
    expect(off).toBeGreaterThan(1.5);
    expect(off).toBeLessThan(6);
  });

  it('personas drive behaviour: farmers buy farm inputs, young parents buy for children, Gen Z logs in more', () => {
    const byId = new Map(customers.map((c) => [c.id, c]));
    const share = (persona: Persona, cats: string[]) => {
      let hit = 0;
      let all = 0;
      for (const b of batches)
        for (const r of parseTsv(b.tsv.transactions)) {
          if (r[7] !== 'purchase') continue;
          const c = byId.get(Number(r[1]));
          if (!c?.personas.includes(persona)) continue;
          all++;
          if (cats.includes(r[8] ?? '')) hit++;
        }
      return hit / Math.max(1, all);
    };
    expect(share('farmer_herder', ['agriculture'])).toBeGreaterThan(5 * share('gen_z_95', ['agriculture']));
    expect(share('young_parent', ['maternity', 'toys', 'education'])).toBeGreaterThan(
      2 * share('silver', ['maternity', 'toys', 'education']),
    );
    const logins = new Map<number, number>();
    for (const b of batches)
      for (const r of parseTsv(b.tsv.app_events))
        if (r[3] === 'login') logins.set(Number(r[1]), (logins.get(Number(r[1])) ?? 0) + 1);
    const mean = (pred: (c: SynthCustomer) => boolean) => {
      const group = customers.filter((c) => c.appUser && c.lifecycle === 'active' && pred(c));
      return group.reduce((a, c) => a + (logins.get(c.id) ?? 0), 0) / group.length;
    };
    expect(mean((c) => c.personas.includes('gen_z_95'))).toBeGreaterThan(
      1.5 * mean((c) => c.personas.includes('silver')),
    );
  });
});

describe('planted churn signal', () => {
  // Per customer: login days and redemptions (wealth/fund redemptions, early deposit withdrawals) by day.
  const logins = new Map<number, number[]>();
  const redemptions = new Map<number, number[]>();
  const outflows = new Map<number, { day: number; amount: number }[]>();
  for (const b of batches) {
    for (const r of parseTsv(b.tsv.app_events)) {
      if (r[3] !== 'login') continue;
      const id = Number(r[1]);
      logins.set(id, [...(logins.get(id) ?? []), dayOf((r[2] ?? '').slice(0, 10))]);
    }
    for (const r of parseTsv(b.tsv.transactions)) {
      const id = Number(r[1]);
      const day = dayOf((r[3] ?? '').slice(0, 10));
      if (r[7] === 'redemption' || r[7] === 'early_withdrawal')
        redemptions.set(id, [...(redemptions.get(id) ?? []), day]);
      if (r[7] === 'transfer' && r[5] === 'out')
        outflows.set(id, [...(outflows.get(id) ?? []), { day, amount: Number(r[4]) }]);
    }
  }
  const count = (days: number[] | undefined, from: number, to: number) =>
    (days ?? []).filter((d) => d >= from && d < to).length;

  // Historic churners whose 180 days before leaving are inside the simulated year.
  const historic = customers.filter(
    (c) => c.lifecycle === 'churned' && c.churnDate !== null && dayOf(c.churnDate) - 180 >= windowStart,
  );
  const withSignal = historic.filter((c) => c.churnSignal);

  it('has enough churners to measure, most of them with the signal', () => {
    expect(withSignal.length).toBeGreaterThan(100);
    expect(withSignal.length / historic.length).toBeGreaterThan(0.75);
    expect(withSignal.length / historic.length).toBeLessThan(0.95);
  });

  it("churners' logins in the last 30 days before leaving are below their earlier average", () => {
    let last = 0;
    let earlier = 0;
    let lower = 0;
    let measured = 0;
    for (const c of withSignal) {
      const d = dayOf(c.churnDate ?? '');
      const l30 = count(logins.get(c.id), d - 30, d);
      const avg = count(logins.get(c.id), d - 180, d - 90) / 3;
      last += l30;
      earlier += avg;
      if (avg >= 1) {
        measured++;
        if (l30 < avg) lower++;
      }
    }
    expect(last / earlier).toBeLessThan(0.5);
    expect(lower / measured).toBeGreaterThan(0.75);
  });

  it('churners redeem and move money out in the 90 days before leaving', () => {
    let before = 0;
    let during = 0;
    let outDuring = 0;
    let outBefore = 0;
    for (const c of withSignal) {
      const d = dayOf(c.churnDate ?? '');
      during += count(redemptions.get(c.id), d - 90, d);
      before += count(redemptions.get(c.id), d - 180, d - 90);
      for (const o of outflows.get(c.id) ?? []) {
        if (o.day >= d - 90 && o.day < d) outDuring += o.amount;
        else if (o.day >= d - 180 && o.day < d - 90) outBefore += o.amount;
      }
    }
    expect(during).toBeGreaterThan(3 * Math.max(1, before));
    expect(outDuring).toBeGreaterThan(2 * outBefore);
  });

  it('label churners (leaving within 90 days after as-of) already show falling logins; other customers do not', () => {
    const ratio = (group: SynthCustomer[]) => {
      let last = 0;
      let earlier = 0;
      for (const c of group) {
        last += count(logins.get(c.id), asOf - 29, asOf + 1);
        earlier += count(logins.get(c.id), asOf - 179, asOf - 89) / 3;
      }
      return last / earlier;
    };
    const labels = customers.filter((c) => c.churnAfterAsOf && c.churnSignal);
    const stayers = customers.filter((c) => c.lifecycle === 'active' && c.churnDate === null && c.appUser);
    expect(labels.length).toBeGreaterThan(150);
    const control = ratio(stayers);
    expect(control).toBeGreaterThan(0.8);
    expect(control).toBeLessThan(1.25);
    expect(ratio(labels)).toBeLessThan(0.75 * control);
    for (const c of labels) expect(dayOf(c.churnDate ?? '') - asOf).toBeLessThanOrEqual(90);
  });
});
