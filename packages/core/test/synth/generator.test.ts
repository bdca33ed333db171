import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseResidentId, upgradeLegacyId } from '../../src/identity/resident-id.ts';
import { dayOf, isoDate } from '../../src/synth/calendar.ts';
import { createSyntheticBank, type SynthConfigInput } from '../../src/synth/generator.ts';
import { MERCHANT_CATEGORIES } from '../../src/synth/products.ts';
import { MIGRANT_ORIGINS, MOBILE_PREFIXES, MOVED_AWAY_PLACES, RESIDENCE_PLACES } from '../../src/synth/reference.ts';
import { parseTsv } from '../../src/synth/tsv.ts';
import { type SynthBatch, TSV_COLUMNS, TSV_TABLES } from '../../src/synth/types.ts';
import { vocab } from '../../src/tags/catalogue/vocabulary.ts';

function digest(input: SynthConfigInput): { hash: string; perCustomer: Map<number, string> } {
  const kinds = ['customers', 'sourceRecords', 'accounts', 'holdings', 'cards', 'loans', 'consents'] as const;
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  const hashOf = (k: string) => hashes.get(k) ?? hashes.set(k, createHash('sha256')).get(k) ?? createHash('sha256');
  const perCustomer = new Map<number, string>();
  for (const b of createSyntheticBank(input).batches()) {
    for (const k of kinds) for (const r of b[k]) hashOf(k).update(`${JSON.stringify(r)}\n`);
    for (const t of TSV_TABLES) hashOf(t).update(b.tsv[t]);
    for (const c of b.customers) {
      const { rmUserId: _rm, ...rest } = c;
      perCustomer.set(c.id, JSON.stringify(rest));
    }
  }
  const h = createHash('sha256');
  for (const k of [...hashes.keys()].sort()) h.update(`${k}:${hashOf(k).digest('hex')}`);
  return { hash: h.digest('hex'), perCustomer };
}

function collect(input: SynthConfigInput): SynthBatch[] {
  return [...createSyntheticBank(input).batches()];
}

describe('determinism', () => {
  it('same seed → identical output, whatever the batch size; another seed → different output', () => {
    const a = digest({ customers: 1200, seed: 7, duplicates: true });
    const b = digest({ customers: 1200, seed: 7, duplicates: true, batchSize: 97 });
    const c = digest({ customers: 1200, seed: 8, duplicates: true });
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  it("a customer's data does not depend on how many customers are generated (except the RM assignment)", () => {
    const small = digest({ customers: 300, seed: 7 });
    const big = digest({ customers: 1200, seed: 7 });
    for (const [id, v] of small.perCustomer) expect(big.perCustomer.get(id), `customer ${id}`).toBe(v);
  });

  it('defaults to a fixed as-of date and validates the configuration', () => {
    expect(createSyntheticBank({ customers: 1, seed: 1 }).asOf).toBe('2026-06-30');
    expect(() => createSyntheticBank({ customers: 0, seed: 1 })).toThrow(/customers/);
    expect(() => createSyntheticBank({ customers: 5, seed: 1, asOf: '2026-02-30' })).toThrow(/asOf/);
  });
});

describe('identity data', () => {
  const batches = collect({ customers: 3000, seed: 21, duplicates: true });
  const customers = batches.flatMap((b) => b.customers);
  const records = batches.flatMap((b) => b.sourceRecords);
  const codes = new Set([...RESIDENCE_PLACES, ...MOVED_AWAY_PLACES, ...MIGRANT_ORIGINS].flatMap((p) => p.codes));

  it('every resident ID number passes GB 11643 and agrees with birth date, gender and region', () => {
    for (const c of customers) {
      const r = parseResidentId(c.idNumber, { acceptLegacy: false });
      expect(r.valid, `${c.id} ${c.idNumber}`).toBe(true);
      if (!r.valid) continue;
      expect(r.birthDate).toBe(c.birthDate);
      expect(r.gender).toBe(c.gender === 'M' ? 'male' : 'female');
      expect(r.regionCode).toBe(c.idRegionCode);
      expect(codes.has(c.idRegionCode)).toBe(true);
      if (!c.migrant) {
        const place =
          RESIDENCE_PLACES.find((p) => p.city === c.city) ?? MOVED_AWAY_PLACES.find((p) => p.city === c.city);
        if (place && place.province === c.province && !MOVED_AWAY_PLACES.includes(place))
          expect(place.codes).toContain(c.idRegionCode);
      }
    }
    expect(new Set(customers.map((c) => c.idNumber)).size).toBe(customers.length);
  });

  it('mobile numbers are valid mainland numbers with real prefixes', () => {
    for (const c of customers) {
      expect(c.mobile).toMatch(/^1[3-9]\d{9}$/);
      expect(MOBILE_PREFIXES).toContain(c.mobile.slice(0, 3));
    }
  });

  it('names are Chinese, ages are adult, the home province dominates', () => {
    for (const c of customers) {
      expect(c.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(dayOf('2026-06-30') - dayOf(c.birthDate)).toBeGreaterThanOrEqual(18 * 365);
    }
    const home = customers.filter((c) => c.province === '浙江省').length / customers.length;
    expect(home).toBeGreaterThan(0.8);
    expect(new Set(customers.map((c) => c.cityTier))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('duplicates: a core-banking record for everyone, noisy unlinked records in 2–4 systems for about a third', () => {
    const bySystem = new Map<number, string[]>();
    for (const r of records) bySystem.set(r.truthId, [...(bySystem.get(r.truthId) ?? []), r.sourceSystem]);
    expect(bySystem.size).toBe(customers.length);
    let withDuplicates = 0;
    for (const [id, systems] of bySystem) {
      expect(systems[0], `customer ${id}`).toBe('core_banking');
      expect(new Set(systems).size).toBe(systems.length);
      if (systems.length > 1) {
        withDuplicates++;
        expect(systems.length).toBeLessThanOrEqual(4);
      }
    }
    const share = withDuplicates / customers.length;
    expect(share).toBeGreaterThan(0.28);
    expect(share).toBeLessThan(0.39);
    const byId = new Map(customers.map((c) => [c.id, c]));
    const noisy = records.filter((r) => r.sourceSystem !== 'core_banking');
    for (const r of noisy) expect(r.customerId).toBeNull();
    for (const r of records.filter((x) => x.sourceSystem === 'core_banking')) expect(r.customerId).toBe(r.truthId);
    // The noise kinds all occur.
    let legacy = 0;
    let missingId = 0;
    let renamed = 0;
    let oldPhone = 0;
    let swapped = 0;
    for (const r of noisy) {
      const c = byId.get(r.truthId);
      if (!c) throw new Error('unknown truth id');
      const id = r.attrs.id_number;
      if (id === undefined) missingId++;
      else if (id.length === 15) {
        legacy++;
        expect(upgradeLegacyId(id)).toBe(c.idNumber);
      }
      if (r.attrs.name !== c.name) renamed++;
      if (r.attrs.mobile !== undefined && r.attrs.mobile !== c.mobile) oldPhone++;
      if (r.attrs.birth_date !== undefined && r.attrs.birth_date !== c.birthDate) swapped++;
    }
    for (const [kind, n] of Object.entries({ legacy, missingId, renamed, oldPhone, swapped }))
      expect(n, kind).toBeGreaterThan(0);
  });
});

describe('facts', () => {
  const batches = collect({ customers: 4000, seed: 5 });
  const customers = batches.flatMap((b) => b.customers);
  const asOf = dayOf('2026-06-30');
  const txns = batches.flatMap((b) => parseTsv(b.tsv.transactions));
  const events = batches.flatMap((b) => parseTsv(b.tsv.app_events));
  const holdings = batches.flatMap((b) => b.holdings);
  const accounts = batches.flatMap((b) => b.accounts);
  const cards = batches.flatMap((b) => b.cards);
  const tsvDay = (ts: string) => dayOf(ts.slice(0, 10));

  it('TSV rows have the declared columns', () => {
    for (const b of batches)
      for (const t of TSV_TABLES) for (const row of parseTsv(b.tsv[t])) expect(row.length).toBe(TSV_COLUMNS[t].length);
  });

  it('at least 20 transactions per customer, with salary, transfers, purchases by category and wealth flows', () => {
    expect(txns.length / customers.length).toBeGreaterThanOrEqual(20);
    const types = new Set(txns.map((r) => r[7]));
    for (const t of ['purchase', 'salary', 'transfer', 'wealth_purchase', 'redemption', 'interest', 'loan_repayment'])
      expect(types.has(t), t).toBe(true);
    const cats = new Set(txns.filter((r) => r[7] === 'purchase').map((r) => r[8]));
    for (const c of [
      'dining',
      'supermarket',
      'travel',
      'fitness',
      'health',
      'beauty',
      'digital',
      'education',
      'maternity',
      'toys',
      'auto',
      'agriculture',
      'utilities',
      'green',
    ])
      expect(cats.has(c), c).toBe(true);
    expect(txns.some((r) => r[10] === '1')).toBe(true);
    for (const r of txns) {
      const d = tsvDay(r[3] ?? '');
      expect(d).toBeGreaterThanOrEqual(asOf - 365);
      expect(d).toBeLessThanOrEqual(asOf);
      expect(Number(r[4])).toBeGreaterThan(0);
    }
  });

  it('lifecycle stages follow their rules', () => {
    const initiated = new Map<number, number>();
    for (const r of txns) {
      if (['salary', 'interest', 'fee', 'maturity'].includes(r[7] ?? '')) continue;
      const id = Number(r[1]);
      initiated.set(id, Math.max(initiated.get(id) ?? 0, tsvDay(r[3] ?? '')));
    }
    for (const r of events) {
      const id = Number(r[1]);
      initiated.set(id, Math.max(initiated.get(id) ?? 0, tsvDay(r[2] ?? '')));
    }
    const accountsOf = new Map<number, typeof accounts>();
    for (const a of accounts) accountsOf.set(a.customerId, [...(accountsOf.get(a.customerId) ?? []), a]);
    for (const c of customers) {
      const acc = accountsOf.get(c.id) ?? [];
      switch (c.lifecycle) {
        case 'potential':
          expect(c.onboardedAt).toBeNull();
          expect(acc).toHaveLength(0);
          expect(c.appUser).toBe(true);
          break;
        case 'new':
          expect(asOf - dayOf(c.onboardedAt ?? '2000-01-01')).toBeLessThan(90);
          break;
        case 'dormant':
          expect(asOf - (initiated.get(c.id) ?? 0)).toBeGreaterThanOrEqual(90);
          expect(acc.some((a) => a.status !== 'closed')).toBe(true);
          break;
        case 'churned':
          expect(c.churnDate).not.toBeNull();
          expect(initiated.get(c.id) ?? 0).toBeLessThan(dayOf(c.churnDate ?? '2100-01-01'));
          expect(acc.every((a) => a.status === 'closed')).toBe(true);
          expect(holdings.filter((h) => h.customerId === c.id && h.status === 'active')).toHaveLength(0);
          break;
        default:
          break;
      }
    }
  });

  it('holdings snapshots at 12 month-ends plus as-of; holdings carry signing and maturity dates', () => {
    const dates = new Set(batches.flatMap((b) => parseTsv(b.tsv.holdings_daily).map((r) => r[0])));
    expect([...dates].sort()).toEqual(createSyntheticBank({ customers: 1, seed: 5 }).snapshotDates);
    expect(dates.size).toBe(13);
    expect(holdings.some((h) => h.status === 'matured')).toBe(true);
    expect(holdings.some((h) => h.status === 'redeemed')).toBe(true);
    const maturing = holdings.filter(
      (h) => h.status === 'active' && h.maturityDate !== null && dayOf(h.maturityDate) - asOf <= 30,
    );
    expect(maturing.length).toBeGreaterThan(0);
  });

  it('credit cards cover every MOB stage', () => {
    const stages = new Set<string>();
    for (const c of cards) {
      if (c.activatedAt === null) stages.add('mob0_unactivated');
      else {
        const age = asOf - dayOf(c.activatedAt);
        stages.add(age < 30 ? 'mob0_activated' : age < 90 ? 'mob1_2' : age < 210 ? 'mob3_6' : 'mob7_plus');
      }
    }
    expect(stages).toEqual(new Set(['mob0_unactivated', 'mob0_activated', 'mob1_2', 'mob3_6', 'mob7_plus']));
    expect(cards.some((c) => c.boundToWallet)).toBe(true);
  });

  it('spend follows the festivals: Spring Festival shopping and 双十一 digital spend', () => {
    const perDay = new Map<number, number>();
    const digital = new Map<number, number>();
    for (const r of txns) {
      if (r[7] !== 'purchase' || r[6] === 'auto_debit') continue;
      const d = tsvDay(r[3] ?? '');
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
      if (r[8] === 'digital' || r[8] === 'electronics') digital.set(d, (digital.get(d) ?? 0) + 1);
    }
    const mean = (m: Map<number, number>, days: number[]) =>
      days.reduce((a, d) => a + (m.get(d) ?? 0), 0) / days.length;
    const year = Array.from({ length: 365 }, (_, i) => asOf - i);
    const sf = dayOf('2026-02-17');
    const beforeSf = Array.from({ length: 7 }, (_, i) => sf - 1 - i);
    expect(mean(perDay, beforeSf) / mean(perDay, year)).toBeGreaterThan(1.3);
    expect(mean(digital, [dayOf('2025-11-11')]) / mean(digital, year)).toBeGreaterThan(2);
    // Weekends busier than weekdays.
    const weekend = year.filter((d) => [0, 6].includes(new Date(d * 86_400_000).getUTCDay()));
    const weekday = year.filter((d) => ![0, 6].includes(new Date(d * 86_400_000).getUTCDay()));
    expect(mean(perDay, weekend)).toBeGreaterThan(mean(perDay, weekday));
  });

  it('app events: sessions of logins, product views with product and family, searches, purchases', () => {
    const types = new Set(events.map((r) => r[3]));
    for (const t of ['login', 'product_view', 'search', 'page_view', 'purchase']) expect(types.has(t), t).toBe(true);
    for (const r of events.filter((x) => x[3] === 'product_view')) {
      expect(r[5]).not.toBe('');
      expect(r[6]).not.toBe('');
    }
    expect(events.every((r) => /^[0-9a-f]{16}$/.test(r[9] ?? '') && /^\d+\.\d+\.\d+\.\d+$/.test(r[10] ?? ''))).toBe(
      true,
    );
    expect(isoDate(asOf)).toBe('2026-06-30');
  });
});

describe('vocabularies shared with the tag catalogue', () => {
  it("spend categories are exactly the catalogue's merchant categories (a top-category tag could not hold another)", () => {
    expect([...MERCHANT_CATEGORIES].sort()).toEqual([...vocab.allCategories].sort());
  });
});
