import { describe, expect, it } from 'vitest';
import { pairwiseMetricsFromLabels } from '../../src/identity/cluster.ts';
import { deterministicLink, presentRoles, resolveIdentities } from '../../src/identity/deterministic.ts';
import { type InputRecord, prepareRecords } from '../../src/identity/fellegi-sunter.ts';
import { computeCheckChar } from '../../src/identity/resident-id.ts';

function rid(first17: string): string {
  return first17 + computeCheckChar(first17);
}

const ID_A = rid('11010519800101123');
const ID_B = rid('31010119900307124');

describe('deterministic pass', () => {
  it('links valid resident IDs (legacy 15-digit included), then trusted source keys, refusing ID conflicts', () => {
    const input: InputRecord[] = [
      { id: 'r0', fields: { national_id: ID_A } },
      { id: 'r1', fields: { national_id: '110105800101123' } }, // legacy form of ID_A
      { id: 'r2', fields: { national_id: ID_A.toLowerCase(), source_key: 'CB-1' } },
      { id: 'r3', fields: { source_key: 'CB-1' } },
      { id: 'r4', fields: { national_id: ID_B, source_key: 'CB-1' } }, // conflicts with ID_A through CB-1
      { id: 'r5', fields: { national_id: '1234567' } }, // not GB 11643: never deterministic
      { id: 'r6', fields: { national_id: '1234567' } },
    ];
    const d = deterministicLink(prepareRecords(input));
    expect(d.group[0]).toBeGreaterThanOrEqual(0);
    expect(new Set([d.group[0], d.group[1], d.group[2], d.group[3]]).size).toBe(1);
    expect(d.group[4]).not.toBe(d.group[0]);
    expect(d.group[5]).toBe(-1);
    expect(d.group[6]).toBe(-1);
    expect(d.linksByResidentId).toBe(2);
    expect(d.linksBySourceKey).toBe(1);
    expect(d.conflicts).toBe(1);
    expect(d.linkedRecords).toBe(4);
  });
});

describe('end-to-end resolution', () => {
  it('merges deterministic groups first, then links the rest probabilistically (homophones included)', () => {
    const people = [
      { name: '张伟', dob: '1980-01-01', phone: '13812345678', city: '北京', id: ID_A },
      { name: '李娜', dob: '1990-03-07', phone: '13998765432', city: '上海', id: ID_B },
      { name: '王芳', dob: '1975-11-23', phone: '13700001111', city: '广州', id: '' },
      { name: '刘洋', dob: '1988-06-30', phone: '13622223333', city: '成都', id: '' },
    ];
    const input: InputRecord[] = [];
    const truth: number[] = [];
    people.forEach((p, k) => {
      input.push({
        id: `${k}-a`,
        fields: { full_name: p.name, birth_date: p.dob, phone: p.phone, city: p.city, national_id: p.id },
      });
      truth.push(k);
    });
    // Duplicates: homophone surname + formatted phone; missing ID; same ID but different name (deterministic).
    input.push({
      id: '0-b',
      fields: { full_name: '章伟', birth_date: '19800101', phone: '+86 138 1234 5678', city: '北京' },
    });
    truth.push(0);
    input.push({ id: '1-b', fields: { full_name: '李娜娜', national_id: ID_B, city: '上海' } });
    truth.push(1);
    input.push({
      id: '2-b',
      fields: { full_name: '汪芳', birth_date: '1975-11-23', phone: '13700001111', city: '广州' },
    });
    truth.push(2);
    // Filler population so that u and lambda are meaningful.
    const surnames = '赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施';
    const given = '明华强军平刚桂英秀兰玉梅红霞';
    for (let i = 0; i < 300; i++) {
      const name = `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}${given[(i * 3) % given.length]}`;
      const dob = `19${String(50 + (i % 50)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`;
      input.push({
        id: `f${i}`,
        fields: {
          full_name: name,
          birth_date: dob,
          phone: `135${String(10_000_000 + i * 7919).slice(0, 8)}`,
          city: ['北京', '上海', '杭州'][i % 3] ?? '',
        },
      });
      truth.push(100 + i);
    }
    expect(presentRoles(input).sort()).toEqual(['birth_date', 'city', 'full_name', 'national_id', 'phone']);
    const r = resolveIdentities(input, { linkage: { uSamplePairs: 20_000 } });
    expect(r.deterministic.linkedRecords).toBe(2);
    const m = pairwiseMetricsFromLabels(r.clusters.clusterId, Int32Array.from(truth));
    expect(m.recall).toBe(1);
    expect(m.precision).toBe(1);
    expect(r.clusters.clusterCount).toBe(input.length - 3);
    expect(r.pairs.reductionRatio).toBeGreaterThan(0.9);
    // Re-clustering at another threshold reuses the scores.
    expect(r.reclusterAt(0.999).clusterCount).toBeGreaterThanOrEqual(r.clusters.clusterCount);
  });

  it('names the problem when nothing can be blocked or compared', () => {
    expect(() => resolveIdentities([{ id: '1', fields: { state: 'x' } }])).toThrow(/blocking rule/);
    expect(() => resolveIdentities([{ id: '1', fields: {} }], { blockingRules: ['nope'] })).toThrow(
      /"nope" is unknown/,
    );
  });
});
