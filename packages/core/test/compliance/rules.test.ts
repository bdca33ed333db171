import { describe, expect, it } from 'vitest';
import {
  addMonthsShanghai,
  DEFAULT_RULE_PARAMS,
  describeRules,
  formatShanghai,
  getRule,
  maxRiskFor,
  PARAM_DEFS,
  type ParamDef,
  parseHhMm,
  RULE_IDS,
  RULES,
  RuleParamsError,
  resolveRuleParams,
  ruleParamsOverrideSchema,
  shanghaiParts,
  shanghaiToUtc,
} from '../../src/compliance/rules.ts';

const expectIssue = (fn: () => unknown, param: string, reason: RegExp) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RuleParamsError);
    const issues = (e as RuleParamsError).issues;
    expect(
      issues.some((i) => i.param === param && reason.test(i.reason)),
      JSON.stringify(issues),
    ).toBe(true);
    expect((e as Error).message).toContain(param);
    return;
  }
  throw new Error('expected a RuleParamsError');
};

describe('rule registry', () => {
  it('holds every rule of the rulebook exactly once, in order', () => {
    const expected = [
      ...Array.from({ length: 12 }, (_, i) => `S${i + 1}`),
      ...Array.from({ length: 13 }, (_, i) => `M${i + 1}`),
      ...Array.from({ length: 10 }, (_, i) => `P${i + 1}`),
      ...Array.from({ length: 4 }, (_, i) => `A${i + 1}`),
    ];
    expect(RULES.map((r) => r.id)).toEqual(expected);
    expect([...RULE_IDS]).toEqual(expected);
  });

  it('gives every rule a bilingual title and summary, a citation and a confidence', () => {
    for (const rule of RULES) {
      expect(rule.title.zh.length, rule.id).toBeGreaterThan(0);
      expect(rule.title.en.length, rule.id).toBeGreaterThan(0);
      expect(rule.summary.zh.length, rule.id).toBeGreaterThan(0);
      expect(rule.summary.en.length, rule.id).toBeGreaterThan(0);
      expect(rule.citation.length, rule.id).toBeGreaterThan(0);
      expect(['V', 'S', 'U']).toContain(rule.confidence);
    }
    expect(getRule('M4').confidence).toBe('V');
    expect(getRule('M13').confidence).toBe('U');
    expect(getRule('S3').confidence).toBe('S');
    expect(getRule('S8').confidence).toBe('U');
    expect(getRule('M13').category).toBe('marketing_copy');
    expect(getRule('A2').category).toBe('fraud');
  });

  it('parameter definitions are internally consistent: each default passes its own schema', () => {
    for (const [ruleId, defs] of Object.entries(PARAM_DEFS)) {
      expect(RULE_IDS as readonly string[]).toContain(ruleId);
      for (const [name, def] of Object.entries(defs as Record<string, ParamDef<unknown>>)) {
        expect(def.schema.safeParse(def.default).success, `${ruleId}.${name}`).toBe(true);
        expect(['number', 'duration', 'time', 'boolean', 'enum', 'list']).toContain(def.type);
        if (def.tightenOnly) expect(['earlier', 'later'], `${ruleId}.${name}`).not.toContain(def.tighten);
      }
    }
  });

  it('has the rulebook defaults', () => {
    const p = DEFAULT_RULE_PARAMS;
    expect(p.S6.validityMonths).toBe(12);
    expect(p.S7.maxAttemptsPerDay).toBe(2);
    expect(p.S8.seniorAge).toBe(65);
    expect(p.S8.seniorMaxProactiveRisk).toBe('R3');
    expect(p.S8.seniorExtraWarningFromRisk).toBe('R3');
    expect(p.S9.noExperienceMaxProactiveRisk).toBe('R3');
    expect(p.S11.coolingOffHours).toBe(24);
    expect(p.S12.dualRecordingChannels).toEqual(['branch']);
    expect(p.S12.dualRecordingFamilies).toContain('wealth');
    expect(p.M13.quietHoursStart).toBe('20:00');
    expect(p.M13.quietHoursEnd).toBe('09:00');
    expect(p.M13.quietHoursChannels).toEqual(['call', 'sms', 'push']);
    expect(p.M13.frequencyCaps.find((c) => c.id === 'sms_week')).toEqual({
      id: 'sms_week',
      channels: ['sms'],
      windowHours: 168,
      max: 2,
    });
    expect(p.M13.frequencyCaps.find((c) => c.id === 'all_week')?.max).toBe(4);
    expect(p.P6.reconsentBlockDays).toBe(90);
    expect(p.M12.optOutKeywords).toEqual(expect.arrayContaining(['TD', '退订']));
    expect(p.P9).toMatchObject({ cardKeepFirst: 6, cardKeepLast: 4, idKeepFirst: 1, idKeepLast: 1 });
    expect((['C1', 'C2', 'C3', 'C4', 'C5'] as const).map((c) => maxRiskFor(c, p))).toEqual([
      'R1',
      'R2',
      'R3',
      'R4',
      'R5',
    ]);
    expect(Object.isFrozen(p.M13.frequencyCaps)).toBe(true);
  });

  it('describeRules is JSON-safe and shows the current values', () => {
    const params = resolveRuleParams({ S6: { validityMonths: 6 } });
    const json = JSON.parse(JSON.stringify(describeRules(params))) as {
      id: string;
      parameters: Record<string, { value: unknown; default: unknown }>;
    }[];
    const s6 = json.find((r) => r.id === 'S6')!;
    expect(s6.parameters.validityMonths).toMatchObject({ value: 6, default: 12 });
    expect(json).toHaveLength(39);
  });
});

describe('resolveRuleParams', () => {
  it('returns the defaults for an empty or missing override', () => {
    expect(resolveRuleParams()).toEqual(DEFAULT_RULE_PARAMS);
    expect(resolveRuleParams({})).toEqual(DEFAULT_RULE_PARAMS);
  });

  it('accepts tightening and overlays it', () => {
    const p = resolveRuleParams({
      S6: { validityMonths: 6 },
      S8: { seniorAge: 60, seniorMaxProactiveRisk: 'R2' },
      S11: { coolingOffHours: 48 },
      S3: { maxRiskForC3: 'R2' },
      M12: { optOutKeywords: [...DEFAULT_RULE_PARAMS.M12.optOutKeywords, '退定'] },
      P6: { reconsentBlockDays: 180 },
    });
    expect(p.S6.validityMonths).toBe(6);
    expect(p.S8).toEqual({ seniorAge: 60, seniorMaxProactiveRisk: 'R2', seniorExtraWarningFromRisk: 'R3' });
    expect(maxRiskFor('C3', p)).toBe('R2');
    expect(p.S11.coolingOffHours).toBe(48);
    expect(p.M12.optOutKeywords).toContain('退定');
    // the defaults are untouched
    expect(DEFAULT_RULE_PARAMS.S6.validityMonths).toBe(12);
  });

  it('lets a bank set its own [U] contact policy in either direction', () => {
    const p = resolveRuleParams({
      M13: {
        quietHoursStart: '21:30',
        quietHoursEnd: '08:30',
        frequencyCaps: [{ id: 'sms_week', channels: ['sms'], windowHours: 168, max: 3 }],
      },
    });
    expect(p.M13.quietHoursStart).toBe('21:30');
    expect(p.M13.frequencyCaps).toHaveLength(1);
  });

  it('rejects loosening a tighten-only parameter, naming it and the reason', () => {
    expectIssue(() => resolveRuleParams({ S6: { validityMonths: 18 } }), 'S6.validityMonths', /tightened.*12/);
    expectIssue(() => resolveRuleParams({ S8: { seniorAge: 70 } }), 'S8.seniorAge', /lowered/);
    expectIssue(() => resolveRuleParams({ S8: { seniorMaxProactiveRisk: 'R4' } }), 'S8.seniorMaxProactiveRisk', /R3/);
    expectIssue(() => resolveRuleParams({ S3: { maxRiskForC2: 'R3' } }), 'S3.maxRiskForC2', /tightened/);
    expectIssue(() => resolveRuleParams({ S11: { coolingOffHours: 12 } }), 'S11.coolingOffHours', /\d/);
    expectIssue(() => resolveRuleParams({ P6: { reconsentBlockDays: 30 } }), 'P6.reconsentBlockDays', /raised/);
    expectIssue(
      () => resolveRuleParams({ M12: { optOutKeywords: ['退订'] } }),
      'M12.optOutKeywords',
      /must keep the default items.*"TD"/,
    );
    expectIssue(
      () => resolveRuleParams({ S12: { dualRecordingFamilies: ['wealth'] } }),
      'S12.dualRecordingFamilies',
      /extended/,
    );
    expectIssue(() => resolveRuleParams({ A4: { requireAiDisclosure: false } }), 'A4.requireAiDisclosure', /off/);
    expectIssue(() => resolveRuleParams({ P9: { cardKeepFirst: 8 } }), 'P9.cardKeepFirst', /6/);
  });

  it('rejects wrong types, bounds and unknown names', () => {
    expectIssue(() => resolveRuleParams({ S6: { validityMonths: 'twelve' } }), 'S6.validityMonths', /number/i);
    expectIssue(() => resolveRuleParams({ S6: { validityMonths: 0 } }), 'S6.validityMonths', />=|1/);
    expectIssue(() => resolveRuleParams({ S6: { validityMonths: 6.5 } }), 'S6.validityMonths', /int/i);
    expectIssue(() => resolveRuleParams({ S6: { validity: 6 } }), 'S6', /unknown parameter "validity"/);
    expectIssue(() => resolveRuleParams({ S99: {} }), '(root)', /unknown rule "S99"/);
    expectIssue(() => resolveRuleParams({ M13: { quietHoursStart: '8pm' } }), 'M13.quietHoursStart', /HH:MM/);
    expectIssue(
      () => resolveRuleParams({ M13: { quietHoursStart: '09:00', quietHoursEnd: '09:00' } }),
      'M13.quietHoursEnd',
      /differ/,
    );
    expectIssue(
      () =>
        resolveRuleParams({
          M13: {
            frequencyCaps: [
              { id: 'a', channels: 'all', windowHours: 24, max: 1 },
              { id: 'a', channels: ['sms'], windowHours: 24, max: 1 },
            ],
          },
        }),
      'M13.frequencyCaps',
      /unique/,
    );
    expectIssue(() => resolveRuleParams('nope'), '(root)', /object/);
  });

  it('reports every loosening at once', () => {
    try {
      resolveRuleParams({ S6: { validityMonths: 24 }, S7: { maxAttemptsPerDay: 5 } });
      expect.unreachable();
    } catch (e) {
      expect((e as RuleParamsError).issues.map((i) => i.param)).toEqual(['S6.validityMonths', 'S7.maxAttemptsPerDay']);
    }
  });

  it('exports a zod schema of the override object', () => {
    expect(ruleParamsOverrideSchema.safeParse({ S8: { seniorAge: 60 } }).success).toBe(true);
    expect(ruleParamsOverrideSchema.safeParse({ S8: { seniorAge: '60' } }).success).toBe(false);
  });
});

describe('Asia/Shanghai clock helpers', () => {
  it('converts between UTC and Shanghai wall time', () => {
    const t = new Date('2026-03-01T16:30:00Z'); // 00:30 on 2 March in Shanghai
    expect(shanghaiParts(t)).toEqual({ year: 2026, month: 3, day: 2, minuteOfDay: 30 });
    expect(shanghaiToUtc(2026, 3, 2, 30).toISOString()).toBe('2026-03-01T16:30:00.000Z');
    expect(shanghaiToUtc(2026, 12, 32, 9 * 60).toISOString()).toBe('2027-01-01T01:00:00.000Z');
    expect(formatShanghai(t)).toBe('2026-03-02 00:30');
    expect(parseHhMm('20:00')).toBe(1200);
    expect(() => parseHhMm('24:00')).toThrow(/HH:MM/);
  });

  it('adds calendar months in Shanghai time, clamping the day', () => {
    expect(addMonthsShanghai(new Date('2025-01-31T02:00:00Z'), 1).toISOString()).toBe('2025-02-28T02:00:00.000Z');
    expect(addMonthsShanghai(new Date('2024-02-29T04:00:00Z'), 12).toISOString()).toBe('2025-02-28T04:00:00.000Z');
    // 2025-12-31 23:00 Shanghai + 2 months → 2026-02-28 23:00 Shanghai
    expect(addMonthsShanghai(new Date('2025-12-31T15:00:00Z'), 2).toISOString()).toBe('2026-02-28T15:00:00.000Z');
  });
});
