/** Financial family (金融类标签): natural and social attributes, location, credit. */
import type { TagDefinitionInput } from '../dsl.ts';
import { agg, attr, bucket, eq, formula, is, ne, rule, t, tag } from './build.ts';
import { vocab } from './vocabulary.ts';

const fin = (
  sub: string,
  type: 'enum' | 'boolean' | 'number' | 'date',
  cls: 'C1' | 'C2',
  extra: { values?: string[]; unit?: TagDefinitionInput['unit'] } = {},
) => ({ family: 'financial' as const, sub, type, cls, ...extra });

export function financialTags(): TagDefinitionInput[] {
  return [
    // 自然属性
    tag(
      'fin.gender',
      ['性别', 'Gender'],
      ['男/女', 'male / female'],
      fin('natural', 'enum', 'C2', { values: ['male', 'female'] }),
      { kind: 'attribute', source: 'dim_customers', column: 'gender', map: { M: 'male', F: 'female' } },
    ),
    tag(
      'fin.birth_date',
      ['出生日期', 'Birth date'],
      ['出生日期', 'date of birth'],
      fin('natural', 'date', 'C2'),
      attr('birth_date'),
    ),
    tag(
      'fin.age',
      ['年龄', 'Age'],
      ['截至统计日的周岁', 'full years of age on the as-of date'],
      fin('natural', 'number', 'C2', { unit: 'years' }),
      { kind: 'date_diff', of: 'fin.birth_date', unit: 'year' },
    ),
    tag('fin.birth_year', ['出生年份', 'Birth year'], ['出生年份', 'year of birth'], fin('natural', 'number', 'C2'), {
      kind: 'date_part',
      of: 'fin.birth_date',
      part: 'year',
    }),
    tag(
      'fin.birth_month',
      ['出生月份', 'Birth month'],
      ['出生月份(生日营销)', 'month of birth (birthday campaigns)'],
      fin('natural', 'number', 'C2'),
      { kind: 'date_part', of: 'fin.birth_date', part: 'month' },
    ),
    tag(
      'fin.zodiac',
      ['生肖', 'Chinese zodiac'],
      ['按立春(2月4日)换年的生肖,用于节庆营销', 'zodiac animal, year starting at 立春 (4 Feb); for festive campaigns'],
      fin('natural', 'enum', 'C2', {
        values: ['rat', 'ox', 'tiger', 'rabbit', 'dragon', 'snake', 'horse', 'goat', 'monkey', 'rooster', 'dog', 'pig'],
      }),
      { kind: 'date_part', of: 'fin.birth_date', part: 'zodiac' },
    ),
    // 社会属性
    tag(
      'fin.education',
      ['学历', 'Education'],
      ['最高学历', 'highest education'],
      fin('social', 'enum', 'C2'),
      attr('education'),
    ),
    tag(
      'fin.industry',
      ['行业', 'Industry'],
      ['所在行业', 'industry of employment'],
      fin('social', 'enum', 'C2'),
      attr('industry'),
    ),
    tag(
      'fin.monthly_income',
      ['月收入', 'Monthly income'],
      ['登记的家庭月收入(分)', 'household monthly income on file (fen)'],
      fin('social', 'number', 'C2', { unit: 'fen' }),
      attr('monthly_income_fen'),
    ),
    tag(
      'fin.housing',
      ['居住状况', 'Housing'],
      ['自有/租房/与家人同住/其他', 'own / rent / family / other'],
      fin('social', 'enum', 'C2'),
      attr('housing'),
    ),
    tag(
      'fin.is_employee_of_payroll_client',
      ['代发单位员工', 'Employee of a payroll client'],
      ['持有本行代发工资账户', 'holds a payroll account at the bank'],
      fin('social', 'boolean', 'C1'),
      agg('dim_accounts', 'exists', { where: [eq('kind', vocab.payrollAccount), ne('status', vocab.closed)] }),
    ),
    tag(
      'fin.onboarded_date',
      ['开户日期', 'Onboarding date'],
      ['首次开立账户或产品日期(潜客为空)', 'first account or product opened (null for prospects)'],
      fin('social', 'date', 'C1'),
      attr('onboarded_at'),
    ),
    tag(
      'fin.tenure_days',
      ['在行天数', 'Tenure in days'],
      ['自开户起天数', 'days since onboarding'],
      fin('social', 'number', 'C1', { unit: 'days' }),
      { kind: 'date_diff', of: 'fin.onboarded_date', unit: 'day' },
    ),
    tag(
      'fin.tenure_years',
      ['在行年限', 'Tenure in years'],
      ['自开户起完整年数', 'full years since onboarding'],
      fin('social', 'number', 'C1', { unit: 'years' }),
      { kind: 'date_diff', of: 'fin.onboarded_date', unit: 'year' },
    ),
    // 位置
    tag(
      'fin.province',
      ['省份', 'Province'],
      ['常住省份', 'province of residence'],
      fin('location', 'enum', 'C2'),
      attr('province'),
    ),
    tag('fin.city', ['城市', 'City'], ['常住城市', 'city of residence'], fin('location', 'enum', 'C2'), attr('city')),
    tag(
      'fin.city_tier',
      ['城市线级', 'City tier'],
      ['1/2/3/4(四线及以下)', '1 / 2 / 3 / 4 (fourth tier and below)'],
      fin('location', 'number', 'C1'),
      attr('city_tier'),
    ),
    tag(
      'fin.county_level',
      ['县域客户', 'County-level'],
      ['居住在县域', 'lives in a county-level area'],
      fin('location', 'boolean', 'C1'),
      attr('county_level'),
    ),
    tag(
      'fin.home_branch',
      ['归属网点', 'Home branch'],
      ['客户归属网点', 'branch the customer belongs to'],
      fin('location', 'enum', 'C1'),
      attr('home_branch_id'),
    ),
    tag(
      'fin.city_since',
      ['迁入现居城市日期', 'In current city since'],
      ['迁入现居城市的日期', 'date the customer moved to the current city'],
      fin('location', 'date', 'C2'),
      attr('city_since'),
    ),
    tag(
      'fin.years_in_city',
      ['在现居城市年限', 'Years in current city'],
      ['在现居城市居住完整年数', 'full years living in the current city'],
      fin('location', 'number', 'C2', { unit: 'years' }),
      { kind: 'date_diff', of: 'fin.city_since', unit: 'year' },
    ),
    // 征信 (where the bank holds it)
    tag(
      'fin.credit_score_band',
      ['信用评分档', 'Credit score band'],
      ['行内或征信评分档(由模型/征信导入写入)', 'internal or bureau score band (written by models or a bureau import)'],
      fin('credit', 'enum', 'C1'),
      { kind: 'model_score', model_id: 'credit_score', field: 'band' },
    ),
    tag(
      'fin.debt_to_income',
      ['负债收入比', 'Debt to income'],
      ['本行贷款余额 / 年收入', 'loans outstanding at the bank / annual income'],
      fin('credit', 'number', 'C2', { unit: 'ratio' }),
      formula({
        op: 'div',
        args: [{ coalesce: [t('value.loan_outstanding'), 0] }, { op: 'mul', args: [t('fin.monthly_income'), 12] }],
      }),
    ),
    tag(
      'fin.external_debt_ratio_band',
      ['负债率档', 'Debt ratio band'],
      [
        '负债收入比:低<0.3、中<0.6、高≥0.6(无外部征信时按行内数据)',
        'debt-to-income: low < 0.3, medium < 0.6, high (bank data when no bureau data)',
      ],
      fin('credit', 'enum', 'C2', { values: ['low', 'medium', 'high'] }),
      bucket('fin.debt_to_income', [
        ['low', 0.3],
        ['medium', 0.6],
        ['high', undefined],
      ]),
    ),
    tag(
      'fin.has_mortgage',
      ['有房贷', 'Has a mortgage'],
      ['有未结清住房贷款', 'an active mortgage'],
      fin('credit', 'boolean', 'C1'),
      agg('dim_loans', 'exists', { where: [eq('family', 'mortgage'), eq('status', vocab.active)] }),
    ),
    tag(
      'fin.has_car_loan',
      ['有车贷', 'Has a car loan'],
      ['有未结清汽车贷款', 'an active car loan'],
      fin('credit', 'boolean', 'C1'),
      agg('dim_loans', 'exists', { where: [eq('family', 'car_loan'), eq('status', vocab.active)] }),
    ),
    tag(
      'fin.has_business_loan',
      ['有经营贷', 'Has a business loan'],
      ['有未结清经营性贷款', 'an active business loan'],
      fin('credit', 'boolean', 'C1'),
      agg('dim_loans', 'exists', { where: [eq('family', 'business_loan'), eq('status', vocab.active)] }),
    ),
    tag(
      'fin.has_agri_loan',
      ['有涉农贷款', 'Has an agricultural loan'],
      ['有涉农贷款(含已结清)', 'an agricultural loan, active or repaid'],
      fin('credit', 'boolean', 'C1'),
      agg('dim_loans', 'exists', { where: [eq('family', 'agri_loan')] }),
    ),
    tag(
      'fin.has_business_account',
      ['有对公结算户', 'Has a business account'],
      ['有未销户的个体/对公结算账户', 'a business account that is not closed'],
      fin('credit', 'boolean', 'C1'),
      agg('dim_accounts', 'exists', { where: [eq('kind', vocab.businessAccount), ne('status', vocab.closed)] }),
    ),
    tag(
      'fin.max_overdue_12m',
      ['最大逾期天数', 'Max days overdue'],
      [
        '所有贷款记录中的最大逾期天数(贷款维表为当前状态)',
        'maximum days overdue over all loans on file (loan dimension holds the current state)',
      ],
      fin('credit', 'number', 'C2', { unit: 'days' }),
      agg('dim_loans', 'max', { column: 'overdue_days' }),
    ),
    tag(
      'fin.ever_overdue',
      ['曾逾期', 'Ever overdue'],
      ['任一贷款逾期天数>0', 'any loan with days overdue > 0'],
      fin('credit', 'boolean', 'C2'),
      rule(is('fin.max_overdue_12m', 'gt', 0)),
    ),
  ];
}
