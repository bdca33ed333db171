import { describe, expect, it } from 'vitest';
import { parseTagDefinitions, TagDslError, validateTagDefinition, validateTagDefinitions } from '../../src/tags/dsl.ts';

const good = {
  id: 'hist.spend_30d',
  name: { zh: '近30天消费', en: 'Spend, 30 d' },
  family: 'history',
  sub_family: 'behaviour',
  value_type: 'number',
  description: { zh: '消费', en: 'spend' },
  data_class: 'C2',
  compute: {
    kind: 'aggregate',
    source: 'transactions',
    fn: 'sum',
    column: 'amount_fen',
    where: [{ column: 'direction', op: 'eq', value: 'out' }],
    window: { within_days: 30 },
  },
};

function issues(input: unknown): { field: string; reason: string }[] {
  try {
    validateTagDefinition(input);
  } catch (err) {
    if (err instanceof TagDslError) return err.issues;
    throw err;
  }
  return [];
}

describe('tag DSL validation', () => {
  it('accepts a valid definition and applies defaults', () => {
    const d = validateTagDefinition(good);
    expect(d.version).toBe(1);
    expect(d.refresh).toBe('daily');
    expect(d.purposes).toEqual(['marketing', 'service', 'regulatory']);
  });

  it('names the field of a bad window', () => {
    const bad = { ...good, compute: { ...good.compute, window: { within_days: 0 } } };
    expect(issues(bad).map((i) => i.field)).toContain('hist.spend_30d: compute.window.within_days');
  });

  it('requires exactly one window kind', () => {
    const bad = { ...good, compute: { ...good.compute, window: { within_days: 3, ahead_days: 3 } } };
    expect(issues(bad)[0]?.reason).toMatch(/exactly one of within_days/);
  });

  it('names a filter value error by index', () => {
    const bad = { ...good, compute: { ...good.compute, where: [{ column: 'direction', op: 'in', value: 'out' }] } };
    expect(issues(bad)).toEqual([
      { field: 'hist.spend_30d: compute.where[0].value', reason: 'must be a non-empty list with in' },
    ]);
  });

  it('rejects unknown keys, bad ids and a missing column', () => {
    expect(issues({ ...good, colour: 'red' })[0]?.field).toBe('hist.spend_30d: (definition)');
    expect(issues({ ...good, id: 'Spend' })[0]?.field).toBe('Spend: id');
    const { column: _c, ...noColumn } = good.compute;
    expect(issues({ ...good, compute: noColumn })).toEqual([
      { field: 'hist.spend_30d: compute.column', reason: 'required for fn sum' },
    ]);
  });

  it('checks bucket bounds ascend and values belong to the enum', () => {
    const bucket = {
      ...good,
      id: 'x.tier',
      value_type: 'enum',
      values: ['a', 'b'],
      compute: {
        kind: 'bucket',
        of: 'hist.spend_30d',
        buckets: [
          { value: 'a', lt: 10 },
          { value: 'c', lt: 5 },
        ],
      },
    };
    const fields = issues(bucket).map((i) => i.field);
    expect(fields).toContain('x.tier: compute.buckets[1].lt');
    expect(fields).toContain('x.tier: compute.buckets[1].value');
  });

  it('refuses a definition nested beyond any real rule before the recursive schema can overflow the stack', () => {
    const when = (levels: number) =>
      JSON.parse(`${'{"not":'.repeat(levels)}{"tag":"value.aum","op":"is_null"}${'}'.repeat(levels)}`) as unknown;
    const rule = (levels: number) => ({
      ...good,
      id: 'seg.deep',
      value_type: 'boolean',
      compute: { kind: 'rule', when: when(levels) },
    });
    expect(issues(rule(20))).toEqual([]);
    expect(issues(rule(100_000))).toEqual([
      { field: 'seg.deep: (definition)', reason: 'nested too deeply (more than 64 levels)' },
    ]);
  });

  it('rejects duplicate ids in a list', () => {
    expect(() => validateTagDefinitions([good, good])).toThrow(/duplicate tag id/);
  });

  it('parses JSON and YAML text', () => {
    expect(parseTagDefinitions(JSON.stringify([good]))[0]?.id).toBe('hist.spend_30d');
    const yaml = `
tags:
  - id: app.logins_7d
    name: { zh: 近7天登录, en: Logins 7 d }
    family: app
    sub_family: browsing
    value_type: number
    description: { zh: 登录次数, en: logins }
    data_class: C1
    compute:
      kind: aggregate
      source: app_events
      fn: count
      where: [{ column: event_type, op: eq, value: login }]
      window: { within_days: 7 }
`;
    const defs = parseTagDefinitions(yaml);
    expect(defs[0]?.compute).toMatchObject({ kind: 'aggregate', fn: 'count', window: { within_days: 7 } });
    expect(() => parseTagDefinitions('tags: [ {')).toThrow(/not valid YAML/);
  });
});
