/** Model tags: values written by the models module into model_scores, looked up as of the refresh date. */
import type { TagDefinitionInput } from '../dsl.ts';
import { model, tag } from './build.ts';

const propensities: [family: string, zh: string, en: string][] = [
  ['deposit', '存款', 'deposit'],
  ['wealth', '理财', 'wealth'],
  ['fund', '基金', 'fund'],
  ['insurance', '保险', 'insurance'],
  ['consumer_loan', '消费贷', 'consumer loan'],
  ['credit_card', '信用卡', 'credit card'],
  ['mortgage', '房贷', 'mortgage'],
];

export function modelTags(): TagDefinitionInput[] {
  const m = (sub: string, type: 'number' | 'enum' | 'set', values?: string[]) => ({
    family: 'model' as const,
    sub,
    type,
    cls: 'C1' as const,
    ...(values ? { values } : {}),
    ...(type === 'number' ? { unit: 'score' as const } : {}),
  });
  return [
    tag(
      'model.churn_score',
      ['流失概率', 'Churn score'],
      ['未来90天流失概率(0–1)', 'probability of churn within 90 days (0–1)'],
      m('churn', 'number'),
      model('churn', 'score'),
    ),
    tag(
      'model.churn_band',
      ['流失风险档', 'Churn band'],
      ['低/中/高', 'low / medium / high'],
      m('churn', 'enum', ['low', 'medium', 'high']),
      model('churn', 'band'),
    ),
    tag(
      'model.churn_reasons',
      ['流失主因', 'Churn reasons'],
      ['模型给出的前3个因素', 'top 3 factors from the model'],
      m('churn', 'set'),
      model('churn', 'reasons'),
    ),
    ...propensities.map(([family, zh, en]) =>
      tag(
        `model.propensity.${family}`,
        [`${zh}购买倾向`, `Propensity: ${en}`],
        [`未来30天购买${zh}类产品的概率`, `probability of taking up a ${en} product within 30 days`],
        m('propensity', 'number'),
        model(`propensity.${family}`, 'score'),
      ),
    ),
    tag(
      'model.ltv_band',
      ['终身价值档', 'LTV band'],
      ['客户终身价值分档', 'lifetime value band'],
      m('ltv', 'enum', ['low', 'medium', 'high']),
      model('ltv', 'band'),
    ),
  ];
}
