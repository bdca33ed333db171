import { z } from 'zod';

/**
 * Golden-record survivorship: which source record's value of each field survives into the golden record, and why.
 * Every surviving value keeps its lineage (source record id, source system, rule) so the 360 view can show where it
 * came from and an unmerge can recompute it.
 */
export const survivorshipRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trusted_source'), order: z.array(z.string().min(1)).min(1) }),
  z.object({ kind: z.literal('most_recent') }),
  z.object({ kind: z.literal('most_frequent') }),
]);
export type SurvivorshipRule = z.infer<typeof survivorshipRuleSchema>;

export const survivorshipPolicySchema = z.record(z.string().min(1), z.array(survivorshipRuleSchema).min(1));
/** Per field, an ordered list of rules: the first that decides wins; later rules break its ties. */
export type SurvivorshipPolicy = z.infer<typeof survivorshipPolicySchema>;

export interface SourceValueRecord {
  id: number;
  sourceSystem: string;
  receivedAt: Date;
  attrs: Readonly<Record<string, string | null | undefined>>;
}

export interface SurvivingValue {
  value: string;
  sourceRecordId: number;
  sourceSystem: string;
  rule: SurvivorshipRule['kind'];
  candidates: number;
}

/** Default policy: identity fields from the most trusted system, contact data most recent, the rest most frequent. */
export const defaultSurvivorshipPolicy: SurvivorshipPolicy = {
  name: [
    { kind: 'trusted_source', order: ['core_banking', 'wealth', 'cards', 'crm', 'app'] },
    { kind: 'most_frequent' },
  ],
  id_number: [{ kind: 'trusted_source', order: ['core_banking', 'wealth', 'cards', 'crm', 'app'] }],
  birth_date: [
    { kind: 'trusted_source', order: ['core_banking', 'wealth', 'cards', 'crm', 'app'] },
    { kind: 'most_frequent' },
  ],
  gender: [{ kind: 'trusted_source', order: ['core_banking', 'wealth', 'cards', 'crm', 'app'] }],
  mobile: [{ kind: 'most_recent' }],
  address: [{ kind: 'most_recent' }],
  city: [{ kind: 'most_recent' }],
  occupation: [{ kind: 'most_frequent' }, { kind: 'most_recent' }],
};

type Candidate = { rec: SourceValueRecord; value: string };

function applyRule(rule: SurvivorshipRule, cands: Candidate[]): Candidate[] {
  switch (rule.kind) {
    case 'trusted_source': {
      let bestRank = Number.POSITIVE_INFINITY;
      for (const c of cands) {
        const r = rule.order.indexOf(c.rec.sourceSystem);
        bestRank = Math.min(bestRank, r === -1 ? rule.order.length : r);
      }
      return cands.filter((c) => {
        const r = rule.order.indexOf(c.rec.sourceSystem);
        return (r === -1 ? rule.order.length : r) === bestRank;
      });
    }
    case 'most_recent': {
      const latest = Math.max(...cands.map((c) => c.rec.receivedAt.getTime()));
      return cands.filter((c) => c.rec.receivedAt.getTime() === latest);
    }
    case 'most_frequent': {
      const freq = new Map<string, number>();
      for (const c of cands) freq.set(c.value, (freq.get(c.value) ?? 0) + 1);
      const top = Math.max(...freq.values());
      return cands.filter((c) => freq.get(c.value) === top);
    }
  }
}

/**
 * Picks the surviving value of every field present in any record. Empty values never survive. Remaining ties after all
 * rules go to the most recent record, then the lowest record id, so the result is deterministic.
 */
export function surviveFields(
  records: readonly SourceValueRecord[],
  policy: SurvivorshipPolicy = defaultSurvivorshipPolicy,
): Record<string, SurvivingValue> {
  const fields = new Set<string>();
  for (const r of records) for (const [k, v] of Object.entries(r.attrs)) if (v) fields.add(k);
  const out: Record<string, SurvivingValue> = {};
  for (const field of [...fields].sort()) {
    const all: Candidate[] = [];
    for (const rec of records) {
      const v = rec.attrs[field];
      if (v) all.push({ rec, value: v });
    }
    const rules = policy[field] ?? [{ kind: 'most_recent' as const }];
    let cands = all;
    let decidedBy: SurvivorshipRule['kind'] = rules[0]?.kind ?? 'most_recent';
    for (const rule of rules) {
      const next = applyRule(rule, cands);
      if (next.length < cands.length || new Set(next.map((c) => c.value)).size === 1) decidedBy = rule.kind;
      cands = next;
      if (new Set(cands.map((c) => c.value)).size === 1) break;
    }
    cands.sort((a, b) => b.rec.receivedAt.getTime() - a.rec.receivedAt.getTime() || a.rec.id - b.rec.id);
    const winner = cands[0]!;
    out[field] = {
      value: winner.value,
      sourceRecordId: winner.rec.id,
      sourceSystem: winner.rec.sourceSystem,
      rule: decidedBy,
      candidates: all.length,
    };
  }
  return out;
}
