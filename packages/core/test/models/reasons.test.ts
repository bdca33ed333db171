import { describe, expect, it } from 'vitest';
import { psi } from '../../src/eval/psi.ts';
import { Rng } from '../../src/gbdt/rng.ts';
import {
  bandCutoffs,
  bandOf,
  categoricalReference,
  histogram,
  numericReference,
  psiAgainst,
} from '../../src/models/monitoring.ts';
import { explain, money, type ReasonValue, reasonCodeOf, toStoredReasons } from '../../src/models/reasons.ts';

const values =
  (v: Record<string, ReasonValue>) =>
  (tag: string): ReasonValue =>
    v[tag] ?? null;
const names = (tag: string) =>
  tag === 'fin.age'
    ? { zh: '年龄', en: 'Age' }
    : tag === 'value.aum'
      ? { zh: '资产', en: 'AUM', unit: 'fen' }
      : undefined;

describe('reasons', () => {
  it('groups features of one behaviour and renders the customer’s own values', () => {
    const r = explain(
      [
        { feature: 'app.logins_30d', contribution: 0.8 },
        { feature: 'app.logins_prior_60d', contribution: 0.3 },
        { feature: 'hist.redemptions_30d', contribution: 0.9 },
        { feature: 'hist.transfer_out_7d', contribution: 0.5 },
        { feature: 'fin.age', contribution: 0.2 },
        { feature: 'value.aum_change_90d_pct', contribution: -1.5 },
      ],
      values({
        'app.logins_30d': 3,
        'app.logins_prior_60d': 16,
        'hist.redemptions_30d': 2,
        'hist.transfer_out_7d': 5_500_000,
        'value.aum': 10_000_000,
        'value.aum_change_90d_pct': -40,
      }),
      names,
    );
    expect(r.map((x) => x.code)).toEqual(['login_drop', 'redemptions', 'large_outflow']);
    expect(r[0]?.contribution).toBeCloseTo(1.1, 12);
    expect(r[0]?.zh).toBe('近30天登录次数较前60天月均下降63%(3次 vs 月均8.0次)');
    expect(r[0]?.en).toContain('logins in the last 30 days down 63% vs the prior 60-day monthly average');
    expect(r[1]?.zh).toBe('近30天赎回理财2笔');
    expect(r[2]?.zh).toBe('近7天大额转出占资产55%(¥5.5万)');
    expect(r[2]?.en).toBe('outbound transfers in the last 7 days equal 55% of assets (¥55,000)');
  });

  it('never reports negative contributions and falls back to the tag name and value', () => {
    const r = explain(
      [
        { feature: 'fin.age', contribution: 0.4 },
        { feature: 'value.aum', contribution: -0.1 },
        { feature: 'app.viewed_families_30d=fund', contribution: 0.05 },
      ],
      values({ 'fin.age': 67, 'app.product_views_30d': 4, 'app.top_viewed_product_family_30d': 'fund' }),
      names,
    );
    expect(r.map((x) => x.code)).toEqual(['fin.age', 'product_interest']);
    expect(r[0]).toMatchObject({ zh: '年龄:67', en: 'Age: 67' });
    expect(r[1]?.zh).toBe('近30天浏览产品4次,最常看基金');
    expect(reasonCodeOf('app.viewed_families_30d=fund')).toBe('product_interest');
    expect(toStoredReasons(r).codes).toEqual(['fin.age', 'product_interest']);
  });

  it('formats money in yuan', () => {
    expect(money(12_345_600)).toEqual({ zh: '¥12.3万', en: '¥123,456' });
    expect(money(9_900)).toEqual({ zh: '¥99', en: '¥99' });
  });
});

describe('monitoring', () => {
  it('numeric PSI from a stored reference equals eval/psi on the raw samples', () => {
    const rng = new Rng(3);
    const a = Float64Array.from({ length: 2000 }, () => rng.next());
    const b = Float64Array.from({ length: 1500 }, () => rng.next() ** 2);
    b[7] = Number.NaN;
    expect(psiAgainst(numericReference(a), b)).toBeCloseTo(psi(a, b).psi, 12);
    expect(psiAgainst(numericReference(a), a)).toBeCloseTo(0, 12);
    expect(psiAgainst(numericReference(a), b)).toBeGreaterThan(0.2);
  });

  it('categorical PSI matches levels by name', () => {
    const ref = categoricalReference(Int32Array.from([0, 0, 1, 1, -1]), ['a', 'b']);
    // same distribution, other level order
    expect(psiAgainst(ref, Int32Array.from([1, 1, 0, 0, -1]), ['b', 'a'])).toBeCloseTo(0, 12);
    expect(psiAgainst(ref, Int32Array.from([0, 0, 0, 0, 0]), ['c'])).toBeGreaterThan(1);
  });

  it('bands: top decile high, next two deciles medium', () => {
    const scores = Float64Array.from({ length: 100 }, (_, i) => i / 100);
    const c = bandCutoffs(scores);
    expect(c).toEqual({ high: 0.9, medium: 0.7 });
    expect(bandOf(0.95, c)).toBe('high');
    expect(bandOf(0.7, c)).toBe('medium');
    expect(bandOf(0.69, c)).toBe('low');
    const h = histogram(
      Float64Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100),
      10,
      [0, 1],
    );
    expect(h.map((b) => b.count)).toEqual(new Array(10).fill(10));
  });
});
