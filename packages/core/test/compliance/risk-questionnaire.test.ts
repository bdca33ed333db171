import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AssessmentError,
  allowedProductRisks,
  assessmentValidUntil,
  canRetake,
  countAttemptsToday,
  DEFAULT_QUESTIONNAIRE,
  LEVEL_INFO,
  levelForScore,
  maxScore,
  QUESTION_DIMENSIONS,
  questionnaireDefinitionSchema,
  scoreAssessment,
} from '../../src/compliance/risk-questionnaire.ts';
import { CUSTOMER_RISK_LEVELS, resolveRuleParams, riskRank } from '../../src/compliance/rules.ts';

const def = DEFAULT_QUESTIONNAIRE;
const at = new Date('2026-03-10T02:00:00Z');

/** Answers picking, for every question, the option at `index` (clamped). */
function pick(index: number | ((qid: string) => string)): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of def.questions) {
    out[q.id] = typeof index === 'number' ? q.options[Math.min(index, q.options.length - 1)]!.id : index(q.id);
  }
  return out;
}
const topAnswers = () => {
  const out: Record<string, string> = {};
  for (const q of def.questions) {
    const best = q.options.reduce((a, b) => (b.score > a.score ? b : a));
    out[q.id] = best.id;
  }
  return out;
};
const submit = (answers: Record<string, string>) =>
  scoreAssessment(def, { questionnaireVersion: def.version, answers }, at);

describe('questionnaire definition', () => {
  it('covers the nine S4 dimensions with at least 10 bilingual questions', () => {
    expect(def.questions.length).toBeGreaterThanOrEqual(10);
    expect(new Set(def.questions.map((q) => q.dimension))).toEqual(new Set(QUESTION_DIMENSIONS));
    for (const q of def.questions) {
      expect(q.text.zh && q.text.en).toBeTruthy();
      for (const o of q.options) expect(o.label.zh && o.label.en).toBeTruthy();
    }
    expect(maxScore(def)).toBe(100);
  });

  it('rejects a definition missing a dimension or with bad bands', () => {
    const missing = { ...def, questions: def.questions.filter((q) => q.dimension !== 'liquidity_needs') };
    const r1 = questionnaireDefinitionSchema.safeParse(missing);
    expect(r1.success).toBe(false);
    expect(JSON.stringify(r1.error?.issues)).toContain('liquidity_needs');
    const badBands = { ...def, bands: [...def.bands].reverse() };
    expect(questionnaireDefinitionSchema.safeParse(badBands).success).toBe(false);
  });

  it('documents the bands C1 0–20 … C5 81–100', () => {
    expect(levelForScore(def, 0)).toBe('C1');
    expect(levelForScore(def, 20)).toBe('C1');
    expect(levelForScore(def, 21)).toBe('C2');
    expect(levelForScore(def, 40)).toBe('C2');
    expect(levelForScore(def, 41)).toBe('C3');
    expect(levelForScore(def, 61)).toBe('C4');
    expect(levelForScore(def, 80)).toBe('C4');
    expect(levelForScore(def, 81)).toBe('C5');
    expect(levelForScore(def, 100)).toBe('C5');
  });

  it('explains each level and the R levels it allows', () => {
    for (const level of CUSTOMER_RISK_LEVELS) {
      expect(LEVEL_INFO[level].name.zh.length).toBeGreaterThan(0);
      expect(LEVEL_INFO[level].description.en).toContain(`R${riskRank(level)}`);
      expect(allowedProductRisks(level).length).toBe(riskRank(level));
    }
    expect(allowedProductRisks('C2')).toEqual(['R1', 'R2']);
    expect(allowedProductRisks('C3', resolveRuleParams({ S3: { maxRiskForC3: 'R2' } }))).toEqual(['R1', 'R2']);
  });
});

describe('scoreAssessment', () => {
  it('scores the most cautious answers as C1 and the boldest (under 70) as C5', () => {
    const low = submit(pick(0));
    expect(low.level).toBe('C1');
    expect(low.hasInvestmentExperience).toBe(false);
    const high = submit(topAnswers());
    expect(high.score).toBe(100);
    expect(high.level).toBe('C5');
    expect(high.bandLevel).toBe('C5');
    expect(high.appliedCaps).toEqual([]);
    expect(high.hasInvestmentExperience).toBe(true);
    expect(high.allowedProductRisks).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
  });

  it('caps a customer who can bear no loss at C1', () => {
    const r = submit({ ...topAnswers(), max_loss: 'a' });
    expect(r.bandLevel).toBe('C5');
    expect(r.level).toBe('C1');
    expect(r.appliedCaps[0]).toMatchObject({ questionId: 'max_loss', level: 'C1' });
    expect(r.appliedCaps[0]!.reason.zh).toContain('C1');
  });

  it('caps a customer aged 70 or over at C3', () => {
    const r = submit({ ...topAnswers(), age: 'f' });
    expect(r.bandLevel).toBe('C5');
    expect(r.level).toBe('C3');
  });

  it('caps a customer who thinks wealth products are guaranteed at C2', () => {
    expect(submit({ ...topAnswers(), awareness: 'a' }).level).toBe('C2');
  });

  it('takes the lowest of several caps', () => {
    expect(submit({ ...topAnswers(), awareness: 'a', age: 'f' }).level).toBe('C2');
  });

  it('sets the validity end 12 months later (S6)', () => {
    const r = submit(topAnswers());
    expect(r.validUntil.toISOString()).toBe('2027-03-10T02:00:00.000Z');
    expect(assessmentValidUntil(at, resolveRuleParams({ S6: { validityMonths: 6 } })).toISOString()).toBe(
      '2026-09-10T02:00:00.000Z',
    );
  });

  it('names the field and the reason for bad answers', () => {
    const bad = () =>
      scoreAssessment(def, { questionnaireVersion: 'old', answers: { ...pick(0), age: 'z', extra: 'a' } }, at);
    expect(bad).toThrow(AssessmentError);
    try {
      bad();
    } catch (e) {
      const fields = (e as AssessmentError).issues.map((i) => i.field);
      expect(fields).toEqual(expect.arrayContaining(['questionnaireVersion', 'answers.age', 'answers.extra']));
    }
    const { horizon: _omit, ...partial } = pick(1);
    expect(() => submit(partial)).toThrow(/answers\.horizon: is not answered/);
    expect(() => scoreAssessment(def, { answers: {} }, at)).toThrow(/questionnaireVersion/);
    const hostile = JSON.parse(`{"questionnaireVersion":"${def.version}","answers":{"__proto__":"a"}}`) as unknown;
    expect(() => scoreAssessment(def, hostile, at)).toThrow(AssessmentError);
  });

  it('property: the level never exceeds a cap that applies, and always matches the bands otherwise', () => {
    const arbAnswers = fc.record(
      Object.fromEntries(def.questions.map((q) => [q.id, fc.constantFrom(...q.options.map((o) => o.id))])),
    ) as fc.Arbitrary<Record<string, string>>;
    fc.assert(
      fc.property(arbAnswers, (answers) => {
        const r = submit(answers);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.bandLevel).toBe(levelForScore(def, r.score));
        expect(riskRank(r.level)).toBeLessThanOrEqual(riskRank(r.bandLevel));
        if (answers.max_loss === 'a') expect(r.level).toBe('C1');
        if (answers.age === 'f') expect(riskRank(r.level)).toBeLessThanOrEqual(3);
        if (r.appliedCaps.length === 0) expect(r.level).toBe(r.bandLevel);
      }),
    );
  });
});

describe('retakes (S7)', () => {
  it('allows 2 attempts per Shanghai day by default', () => {
    expect(canRetake(0)).toBe(true);
    expect(canRetake(1)).toBe(true);
    expect(canRetake(2)).toBe(false);
    expect(canRetake(1, resolveRuleParams({ S7: { maxAttemptsPerDay: 1 } }))).toBe(false);
  });

  it('counts attempts on the Shanghai calendar day', () => {
    const now = new Date('2026-03-10T15:30:00Z'); // 23:30 on 10 March in Shanghai
    const attempts = [
      new Date('2026-03-09T16:00:00Z'), // 00:00 on 10 March Shanghai — today
      new Date('2026-03-09T15:59:00Z'), // 23:59 on 9 March Shanghai — yesterday
      new Date('2026-03-10T15:00:00Z'), // 23:00 today
    ];
    expect(countAttemptsToday(attempts, now)).toBe(2);
    expect(canRetake(countAttemptsToday(attempts, now))).toBe(false);
  });
});
