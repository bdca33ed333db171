import { describe, expect, it } from 'vitest';
import {
  AudienceExprError,
  type BitmapAlgebra,
  compileAudienceSql,
  evaluateAudience,
  leafHolds,
  type NormalExpr,
  normaliseAudienceExpr,
  type StoredValue,
  type TagInfo,
  usesBehaviouralTags,
} from '../../src/audience/expression.ts';
import { standardCatalogue } from '../../src/tags/catalogue/catalogue.ts';

const tags: ReadonlyMap<string, TagInfo> = new Map(standardCatalogue().map((d) => [d.id, d]));

function issues(input: unknown) {
  try {
    normaliseAudienceExpr(input, tags);
  } catch (err) {
    if (err instanceof AudienceExprError) return err.issues;
    throw err;
  }
  return [];
}

describe('audience expressions', () => {
  it('validates against the catalogue and names the field', () => {
    expect(issues({ and: [{ tag: 'wealth.tier', op: 'eq', value: 'rich' }] })).toEqual([
      { field: 'expression.and[0].value', reason: '"rich" is not a value of wealth.tier (mass, affluent, hnw)' },
    ]);
    expect(issues({ or: [{ tag: 'value.aum', op: 'gt', value: 'a lot' }] })[0]?.field).toBe('expression.or[0].value');
    expect(issues({ tag: 'lifecycle.stage', op: 'gt', value: 'new' })[0]).toMatchObject({ field: 'expression.op' });
    expect(issues({ tag: 'no.such_tag', op: 'is_null' })[0]).toEqual({
      field: 'expression.tag',
      reason: 'unknown tag no.such_tag',
    });
    expect(issues({ tag: 'value.aum', op: 'between', value: [1] })[0]?.reason).toMatch(/between takes/);
    expect(issues({ and: [] })[0]?.field).toBe('expression.and');
  });

  it('refuses nesting beyond 12 levels once, naming where, and absurd nesting before it can overflow the stack', () => {
    const nest = (levels: number) =>
      JSON.parse(`${'{"not":'.repeat(levels)}{"tag":"value.aum","op":"is_null"}${'}'.repeat(levels)}`) as unknown;
    expect(issues(nest(12))).toEqual([]);
    expect(issues(nest(13))).toEqual([
      { field: `expression${'.not'.repeat(13)}`, reason: 'nested too deeply (max 12 levels)' },
    ]);
    // 100,000 levels: a plain 400-style error naming the expression, not a RangeError
    expect(issues(nest(100_000))).toEqual([{ field: 'expression', reason: 'nested too deeply (max 12 levels)' }]);
    const ands = JSON.parse(
      `${'{"and":['.repeat(5000)}{"tag":"value.aum","op":"is_null"}${']}'.repeat(5000)}`,
    ) as unknown;
    expect(issues(ands)).toEqual([{ field: 'expression', reason: 'nested too deeply (max 12 levels)' }]);
  });

  it('normalises booleans and dates to what the tag table stores', () => {
    const e = normaliseAudienceExpr(
      {
        and: [
          { tag: 'card.activated', op: 'eq', value: true },
          { tag: 'hist.last_txn_date', op: 'gte', value: '1970-01-11' },
        ],
      },
      tags,
    );
    expect(e).toEqual({
      and: [
        { leaf: { tag: 'card.activated', kind: 'str', op: 'eq', values: ['true'] } },
        { leaf: { tag: 'hist.last_txn_date', kind: 'num', op: 'gte', values: [10] } },
      ],
    });
  });

  it('knows which expressions fall under P4', () => {
    const n = (x: unknown) => normaliseAudienceExpr(x, tags);
    expect(usesBehaviouralTags(n({ tag: 'wealth.tier', op: 'eq', value: 'hnw' }), tags)).toBe(false);
    expect(usesBehaviouralTags(n({ not: { tag: 'app.viewed_wealth_7d', op: 'eq', value: true } }), tags)).toBe(true);
    expect(usesBehaviouralTags(n({ tag: 'interest.travel', op: 'eq', value: true }), tags)).toBe(true);
    expect(usesBehaviouralTags(n({ tag: 'model.churn_score', op: 'gt', value: 0.5 }), tags)).toBe(true);
  });

  it('evaluates over an abstract set algebra with complement semantics for not', () => {
    const data = new Map<number, Record<string, StoredValue>>([
      [1, { 'wealth.tier': { str: 'hnw', num: null }, 'value.aum': { str: '', num: 700 } }],
      [2, { 'wealth.tier': { str: 'mass', num: null }, 'value.aum': { str: '', num: 10 } }],
      [3, {}],
    ]);
    const algebra: BitmapAlgebra<Set<number>> = {
      universe: () => new Set(data.keys()),
      leaf: (l) => new Set([...data].filter(([, v]) => leafHolds(l, v[l.tag])).map(([k]) => k)),
      and: (xs) => new Set([...data.keys()].filter((k) => xs.every((s) => s.has(k)))),
      or: (xs) => new Set([...data.keys()].filter((k) => xs.some((s) => s.has(k)))),
      andNot: (a, b) => new Set([...a].filter((x) => !b.has(x))),
    };
    const run = (x: unknown) => [...evaluateAudience(normaliseAudienceExpr(x, tags), algebra)].sort();
    expect(run({ tag: 'wealth.tier', op: 'ne', value: 'hnw' })).toEqual([2]);
    expect(run({ not: { tag: 'wealth.tier', op: 'eq', value: 'hnw' } })).toEqual([2, 3]);
    expect(run({ tag: 'value.aum', op: 'is_null' })).toEqual([3]);
    expect(
      run({
        and: [
          { tag: 'value.aum', op: 'between', value: [5, 700] },
          { not: { tag: 'wealth.tier', op: 'eq', value: 'mass' } },
        ],
      }),
    ).toEqual([1]);
  });

  it('compiles the reference SQL with bound values only', () => {
    const e: NormalExpr = normaliseAudienceExpr(
      {
        or: [
          { tag: 'fin.city', op: 'in', value: ["x'); DROP TABLE t; --"] },
          { tag: 'value.aum', op: 'gt', value: 123456 },
        ],
      },
      tags,
    );
    const q = compileAudienceSql(e, {
      universeTag: 'basic.personalised_marketing',
      personalisationTag: 'basic.personalised_marketing',
      excludePersonalisationOff: true,
      columns: new Map([
        ['basic.personalised_marketing', { column: 't_basic__personalised_marketing_v1', valueType: 'boolean' }],
        ['fin.city', { column: 't_fin__city_v2', valueType: 'enum' }],
        ['value.aum', { column: 't_value__aum_v1', valueType: 'number' }],
      ]),
    });
    expect(q.sql).not.toContain('DROP');
    expect(q.sql).not.toContain('123456');
    expect(q.sql).toContain('FROM tag_snapshot WHERE as_of = {as_of:Date}');
    expect(q.sql).toContain('t_fin__city_v2');
    expect(q.sql).toMatch(/assumeNotNull\(t_value__aum_v1\) > \{q\d+:Float64\}/);
    expect(Object.values(q.params)).toContainEqual(["x'); DROP TABLE t; --"]);
  });
});
