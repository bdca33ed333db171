import { describe, expect, it } from 'vitest';
import { type SourceValueRecord, surviveFields } from '../../src/golden/survivorship.ts';

const rec = (
  id: number,
  sourceSystem: string,
  day: number,
  attrs: Record<string, string | null>,
): SourceValueRecord => ({
  id,
  sourceSystem,
  receivedAt: new Date(Date.UTC(2026, 0, day)),
  attrs,
});

describe('golden-record survivorship', () => {
  const records = [
    rec(1, 'app', 20, { name: '章伟', mobile: '13900000002', occupation: 'engineer' }),
    rec(2, 'core_banking', 1, {
      name: '张伟',
      mobile: '13800000001',
      id_number: '110101199003074514',
      occupation: 'teacher',
    }),
    rec(3, 'cards', 10, { name: '张伟', mobile: null, occupation: 'engineer' }),
  ];

  it('takes identity fields from the most trusted source', () => {
    const g = surviveFields(records);
    expect(g.name).toMatchObject({ value: '张伟', sourceRecordId: 2, rule: 'trusted_source', candidates: 3 });
    expect(g.id_number).toMatchObject({ value: '110101199003074514', sourceRecordId: 2 });
  });

  it('takes contact data from the most recent record, skipping empty values', () => {
    expect(surviveFields(records).mobile).toMatchObject({
      value: '13900000002',
      sourceRecordId: 1,
      rule: 'most_recent',
    });
  });

  it('takes the most frequent value and breaks ties by recency', () => {
    const g = surviveFields(records);
    expect(g.occupation).toMatchObject({ value: 'engineer', rule: 'most_frequent', sourceRecordId: 1 });
  });

  it('falls back to later sources and to most_recent for fields without a policy', () => {
    const g = surviveFields([rec(5, 'crm', 3, { hobby: 'golf' }), rec(6, 'app', 4, { hobby: 'tennis', name: '李娜' })]);
    expect(g.hobby?.value).toBe('tennis');
    expect(g.name).toMatchObject({ value: '李娜', sourceSystem: 'app' });
  });

  it('is deterministic whatever the input order', () => {
    expect(surviveFields([...records].reverse())).toEqual(surviveFields(records));
  });
});
