import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CHANNELS,
  type Channel,
  COPY_RULE_IDS,
  CopyCheckInputError,
  type CopyCheckOptions,
  type CopyRuleId,
  checkCopy,
  copyCheckOptionsSchema,
  detectOptOutKeyword,
  type Finding,
  isSendableVersion,
  PRODUCT_TYPES,
  type ProductType,
} from '../../src/compliance/copy-checker.ts';

const W = '理财非存款、产品有风险、投资须谨慎。';

function check(text: string, productType: ProductType, channel: Channel = 'wechat', options?: CopyCheckOptions) {
  return checkCopy({ text, productType, channel, options });
}

function rulesOf(findings: readonly Finding[]): CopyRuleId[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

function only(text: string, productType: ProductType, rule: CopyRuleId, channel: Channel = 'wechat'): Finding[] {
  return check(text, productType, channel).findings.filter((f) => f.ruleId === rule);
}

describe('checkCopy: input validation', () => {
  it('rejects unknown product types and channels, naming the field', () => {
    expect(() => checkCopy({ text: 'x', productType: 'stock' as ProductType, channel: 'sms' })).toThrow(/productType/);
    expect(() => checkCopy({ text: 'x', productType: 'fund', channel: 'fax' as Channel })).toThrow(/channel/);
  });

  it('rejects empty text and malformed allowed domains', () => {
    expect(() => checkCopy({ text: '', productType: 'fund', channel: 'sms' })).toThrow(CopyCheckInputError);
    try {
      checkCopy({ text: 'x', productType: 'fund', channel: 'push', options: { allowedDomains: ['not a domain'] } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CopyCheckInputError);
      expect((err as CopyCheckInputError).issues[0]?.field).toBe('options.allowedDomains.0');
    }
  });

  it('exposes the options schema and the enums', () => {
    expect(copyCheckOptionsSchema.safeParse({ allowedDomains: ['*.Example-Bank.cn'] }).data).toEqual({
      allowedDomains: ['example-bank.cn'],
    });
    expect(PRODUCT_TYPES).toContain('deposit');
    expect(CHANNELS).toContain('call_script');
  });
});

describe('M1 wealth risk warning', () => {
  it('requires the warning for wealth products only', () => {
    expect(rulesOf(check('稳健理财，业绩比较基准3%，业绩比较基准不构成收益承诺。', 'wealth').findings)).toEqual(['M1']);
    expect(rulesOf(check('示例债券基金今日开放申购。', 'fund').findings)).toEqual([]);
  });

  it('tolerates punctuation and spacing variants of the warning', () => {
    for (const w of [
      '理财非存款，产品有风险，投资须谨慎',
      '理财非存款 产品有风险 投资须谨慎',
      '理财非存款、产品有风险、投资须谨慎！',
    ]) {
      expect(only(`今日开放申购。${w}`, 'wealth', 'M1')).toEqual([]);
    }
  });

  it('reports the 需/须 misprint with its own message and span', () => {
    const text = '今日开放申购。理财非存款、产品有风险、投资需谨慎。';
    const [f] = only(text, 'wealth', 'M1');
    expect(f?.severity).toBe('error');
    expect(f?.matched.replace(/\s/g, '')).toBe('投资需谨慎');
    expect(f?.message.en).toMatch(/须/);
  });

  it('places the missing-warning finding at the end of the text', () => {
    const text = '稳健理财今日开售';
    expect(only(text, 'wealth', 'M1')[0]?.span).toEqual({ start: text.length, end: text.length });
  });
});

describe('M2 past performance', () => {
  it('flags a figure without warning or dates', () => {
    const [f] = only('示例成长混合近一年收益率28.6%，欢迎咨询。', 'fund', 'M2');
    expect(f?.severity).toBe('error');
    expect(f?.matched).toContain('近一年收益率28.6%');
    expect(f?.message.en).toMatch(/warning and start and end dates/);
  });

  it('flags a figure with the warning but only an end date', () => {
    const [f] = only('截至2025年3月31日，成立以来年化回报4.1%，过往业绩不代表其未来表现。', 'fund', 'M2');
    expect(f?.message.en).toMatch(/start and end dates/);
    expect(f?.message.en).not.toMatch(/warning/);
  });

  it('accepts a figure with period and warning', () => {
    expect(only('近1年收益率5.2%（2024年1月1日至2024年12月31日），过往业绩不代表其未来表现。', 'fund', 'M2')).toEqual(
      [],
    );
  });

  it('never accepts less than one month of history', () => {
    const text = '成立两周涨幅5%（2025年6月1日至2025年6月14日），过往业绩不代表其未来表现。';
    expect(only(text, 'fund', 'M2')[0]?.message.zh).toMatch(/不足一个月/);
  });

  it('ignores look-back phrases without a performance figure', () => {
    expect(only('请准备近6个月流水。', 'loan', 'M2')).toEqual([]);
    expect(only('这只基金近一年有过较大回撤。', 'fund', 'M2')).toEqual([]);
  });
});

describe('M3 yields', () => {
  it('errors on expected-return wording', () => {
    for (const word of ['预期收益率', '预期年化收益率', '预期收益']) {
      const [f] = only(`本产品${word}4%。${W}`, 'wealth', 'M3');
      expect(f).toMatchObject({ severity: 'error', matched: word });
    }
  });

  it('warns on a benchmark without the disclaimer, accepts variants of the disclaimer', () => {
    expect(only(`业绩比较基准3.3%（年化）。${W}`, 'wealth', 'M3')[0]?.severity).toBe('warning');
    for (const d of [
      '业绩比较基准不构成收益承诺',
      '业绩比较基准不构成对产品收益的承诺',
      '业绩比较基准不是预期收益率，不代表产品的未来表现和实际收益',
    ]) {
      expect(only(`业绩比较基准3.3%（年化），${d}。${W}`, 'wealth', 'M3')).toEqual([]);
    }
  });

  it('does not treat the same-period benchmark of a performance table as a promise', () => {
    const text = '2020年6月1日至2025年5月31日累计收益率41.2%，同期业绩比较基准收益率18.5%。过往业绩不代表其未来表现。';
    expect(only(text, 'fund', 'M3')).toEqual([]);
  });
});

describe('M4 guarantees and negation', () => {
  it.each([
    ['保本保收益，限时发售', ['保本保收益']],
    ['长期持有稳赚不赔', ['稳赚不赔']],
    ['零风险理财', ['零风险']],
    ['我们保证您的本金绝对安全', ['保证您的本金']],
    ['专家推荐：今年必涨', ['专家推荐', '必涨']],
    ['无手续费，保本理财', ['保本']],
    ['不仅保本，还有分红', ['保本']],
  ])('flags %s', (text, words) => {
    const found = only(text, 'fund', 'M4');
    expect(found.map((f) => f.matched)).toEqual(words);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
  });

  it.each([
    '本产品不保本',
    '不保证收益',
    '不承诺保本，也不承诺收益',
    '本产品不承诺保本、保收益',
    '并非没有风险',
    '资管新规后理财不再保本',
    '问：养老理财是保本的吗？',
    '谨防“稳赚不赔”“零风险高收益”等虚假宣传',
    '凡是承诺“高收益、零风险”的投资都是骗局',
  ])('accepts the disclosure %s', (text) => {
    expect(only(text, 'fund', 'M4')).toEqual([]);
  });

  it('keeps 保本 when only the yield is negated: "保本不保收益"', () => {
    expect(only('保本不保收益', 'wealth', 'M4').map((f) => f.matched)).toEqual(['保本']);
  });

  it('allows deposit 保本 only with the deposit-insurance wording', () => {
    expect(only('大额存单保本保息，20万起存。', 'deposit', 'M4')[0]?.message.zh).toMatch(/存款保险/);
    expect(only('大额存单依法纳入存款保险保障范围，保本保息。', 'deposit', 'M4')).toEqual([]);
    // the exemption covers principal wording only, never yield promises
    expect(only('存款保险保障，零风险稳赚。', 'deposit', 'M4').map((f) => f.matched)).toEqual(['零风险', '稳赚']);
  });

  it('requires the structured-deposit statement for structured deposits', () => {
    const bare = '结构性存款，保本浮动收益，纳入存款保险保障范围。';
    expect(only(bare, 'deposit', 'M4')[0]?.message.en).toMatch(/structured deposit/);
    expect(only(`${bare}结构性存款不同于一般性存款，具有投资风险。`, 'deposit', 'M4')).toEqual([]);
  });

  it('still flags 保本 in wealth copy even with deposit-insurance words', () => {
    expect(only(`存款保险保障，保本理财。${W}`, 'wealth', 'M4')).toHaveLength(1);
  });
});

describe('M5 wealth/fund word list', () => {
  it('warns for wealth and fund but not for other products', () => {
    const text = '低风险、高收益的避险好选择';
    expect(only(text, 'fund', 'M5').map((f) => f.matched)).toEqual(['低风险', '高收益', '避险']);
    expect(only(text, 'loan', 'M5')).toEqual([]);
    expect(only(text, 'fund', 'M5').every((f) => f.severity === 'warning')).toBe(true);
  });

  it('treats 保险 as fine for insurance and as a warning for wealth', () => {
    expect(only('这款理财相当于一道保险', 'wealth', 'M5').map((f) => f.matched)).toEqual(['保险']);
    expect(only('这款保险保障全面', 'insurance', 'M5')).toEqual([]);
    expect(only('本理财产品不属于存款保险保障范围', 'wealth', 'M5')).toEqual([]);
    expect(only('须同时购买示例人寿年金保险', 'wealth', 'M5')).toEqual([]);
  });

  it('reads 保证/承诺 inside a negation as a disclosure', () => {
    expect(only('定投不能保证取得收益', 'fund', 'M5')).toEqual([]);
    expect(only('业绩比较基准不构成对产品收益的承诺', 'wealth', 'M5')).toEqual([]);
    expect(only('备案不代表监管部门对产品风险和收益作出保证', 'wealth', 'M5')).toEqual([]);
    expect(only('我们保证服务质量', 'fund', 'M5').map((f) => f.matched)).toEqual(['保证']);
  });

  it('accepts the official risk ratings and risk metrics', () => {
    expect(only('风险等级R2（中低风险）', 'wealth', 'M5')).toEqual([]);
    expect(only('本产品风险等级为R1（低风险）', 'wealth', 'M5')).toEqual([]);
    expect(only('最大回撤为-1.2%', 'fund', 'M5')).toEqual([]);
    expect(only('非常安全', 'wealth', 'M5').map((f) => f.matched)).toEqual(['安全']);
  });

  it('is not repeated inside an M4 guarantee', () => {
    const findings = check('本金安全有保障', 'wealth').findings;
    expect(findings.filter((f) => f.ruleId === 'M5')).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'M4').map((f) => f.matched)).toEqual(['本金安全有保障']);
  });
});

describe('M6 absolute terms', () => {
  it('errors on the statutory three for any product', () => {
    for (const [text, word] of [
      ['国家级品质服务', '国家级'],
      ['最高级别的保障', '最高级'],
      ['最佳贷款方案', '最佳'],
    ] as const) {
      const found = only(text, 'card', 'M6');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ severity: 'error', matched: word });
    }
  });

  it('warns on 最/第一/唯一/顶级/No.1', () => {
    for (const [text, word] of [
      ['最受欢迎的联名卡', '最受欢迎'],
      ['史上最强返现季', '最强'],
      ['同业利率第一', '第一'],
      ['全市顶级的产品', '顶级'],
      ['唯一支持机场接送', '唯一'],
      ['行业No.1的权益', 'No.1'],
      ['全网最低价', '最低价'],
    ] as const) {
      expect(only(text, 'card', 'M6').map((f) => [f.severity, f.matched])).toEqual([['warning', word]]);
    }
  });

  it.each([
    '最近一期账单已出',
    '最低1元起购',
    '最高可借30万',
    '最多可贷80万',
    '最快当天放款',
    '最新版App上线',
    '本月最后一天',
    '第一步，打开手机银行',
    '2024年第一季度报告',
    '第一时间通知您',
    '定投小课堂第一课',
    '最大回撤-1.2%',
    '本行唯一官方客服热线',
    '第一是看风险等级，其次才是收益',
  ])('does not flag %s', (text) => {
    expect(only(text, 'card', 'M6')).toEqual([]);
  });

  it('reports a word on the M5 list and a superlative under both rules', () => {
    expect(rulesOf(check(`最好的理财时机。${W}`, 'wealth').findings)).toEqual(['M5', 'M6']);
  });
});

describe('M7 approved content and misleading presentation', () => {
  it('flags staff-composed text and unapproved text about to be sent', () => {
    const text = '李姐，今天的市场观察供您参考。';
    expect(only(text, 'other', 'M7')).toEqual([]);
    expect(check(text, 'other', 'wechat', { origin: 'staff_composed' }).findings[0]?.ruleId).toBe('M7');
    expect(check(text, 'other', 'wechat', { forSend: true }).ok).toBe(false);
    expect(check(text, 'other', 'wechat', { forSend: true, origin: 'approved_template' }).ok).toBe(true);
  });

  it('flags non-deposit products described as deposits, unless negated', () => {
    expect(only('这款保险跟存钱一样', 'insurance', 'M7').map((f) => f.matched)).toEqual(['存钱']);
    expect(only('存3年领高额利息', 'insurance', 'M7').map((f) => f.matched)).toEqual(['利息']);
    expect(only('这是一款保险产品，不是存款', 'insurance', 'M7')).toEqual([]);
    expect(only('理财产品不同于存款，不受存款保险保障', 'wealth', 'M7')).toEqual([]);
    expect(only('定期存款利率上调', 'deposit', 'M7')).toEqual([]);
  });

  it('flags daily/monthly loan pricing without the annualised rate', () => {
    expect(only('小微快贷日息低至0.01%', 'loan', 'M7').map((f) => f.matched)).toEqual(['日息']);
    expect(only('日利息低至万分之一（年化3.65%）', 'loan', 'M7')).toEqual([]);
  });

  it('exposes the maker-checker send rule', () => {
    expect(isSendableVersion({ status: 'approved', authorId: 'u1', approvedBy: 'u2' })).toBe(true);
    expect(isSendableVersion({ status: 'approved', authorId: 'u1', approvedBy: 'u1' })).toBe(false);
    expect(isSendableVersion({ status: 'draft', authorId: 'u1', approvedBy: null })).toBe(false);
  });
});

describe('M8 regulatory endorsement', () => {
  it.each([
    '监管认证，稳健理财',
    '证监会认证的优质基金',
    '经银保监会批准发行，安全有保障',
    '人民银行担保的存款',
    '国家监管保障',
  ])('flags %s', (text) => {
    expect(only(text, 'fund', 'M8')[0]?.severity).toBe('error');
  });

  it.each([
    '中国证监会对本基金的注册并不表明其对本基金的投资价值和市场前景做出实质性判断或保证',
    '您的存款受国家存款保险制度保障',
    '国家级保障品牌',
  ])('does not flag %s', (text) => {
    expect(only(text, 'fund', 'M8')).toEqual([]);
  });
});

describe('M9 bundling', () => {
  it('warns on forced bundling and accepts its denial', () => {
    expect(only('办理房贷必须同时购买财产保险', 'loan', 'M9')[0]?.severity).toBe('warning');
    expect(only('经营贷+保险搭售套餐', 'loan', 'M9')).toHaveLength(1);
    expect(only('无需同时购买任何保险', 'loan', 'M9')).toEqual([]);
    expect(only('本行绝不捆绑销售', 'loan', 'M9')).toEqual([]);
  });
});

describe('M10 banner ad label', () => {
  it('requires 广告 on banners only', () => {
    expect(only('新户办卡立减50元', 'card', 'M10', 'banner')).toHaveLength(1);
    expect(only('【广告】新户办卡立减50元', 'card', 'M10', 'banner')).toEqual([]);
    expect(only('推广｜新户办卡立减50元', 'card', 'M10', 'banner')).toHaveLength(1);
    expect(only('新户办卡立减50元', 'card', 'M10', 'push')).toEqual([]);
  });
});

describe('M11 links and pre-ticked consent', () => {
  it('allows the bank domain and its subdomains only', () => {
    const text = '详见 https://m.example-bank.cn/x?a=1 或 example-bank.cn 或 http://example-bank.cn.evil.com/login';
    const found = only(text, 'other', 'M11');
    expect(found.map((f) => f.matched)).toEqual(['http://example-bank.cn.evil.com/login']);
    expect(text.slice(found[0]!.span.start, found[0]!.span.end)).toBe(found[0]!.matched);
  });

  it('flags short links, bare www domains and honours configured domains', () => {
    expect(only('戳 t.cn/A6xyZ 提现', 'loan', 'M11')[0]?.message.en).toMatch(/short link/);
    expect(only('访问 www.baoxian-lingqu.cn 验证', 'insurance', 'M11')).toHaveLength(1);
    const custom = check('访问 https://www.lingxi-bank.com.cn/a', 'other', 'push', {
      allowedDomains: ['lingxi-bank.com.cn'],
    });
    expect(custom.findings).toEqual([]);
  });

  it('ignores e-mail addresses, version numbers and decimals', () => {
    expect(only('客服邮箱 service@other-mail.com，App 9.0 版，利率3.5%', 'other', 'M11')).toEqual([]);
  });

  it('flags pre-ticked consent', () => {
    expect(only('已默认勾选“个性化推荐服务”', 'card', 'M11')).toHaveLength(1);
    expect(only('我们不会默认勾选任何授权', 'card', 'M11')).toEqual([]);
  });
});

describe('M12 signature and opt-out', () => {
  it.each(['回复TD退订', '退订回T', '回T退订', '拒收请回复R', '退订请回复TD', '回复“退订”'])(
    'accepts the SMS opt-out %s',
    (optOut) => {
      expect(only(`【示例银行】新品上线，${optOut}`, 'card', 'M12', 'sms')).toEqual([]);
    },
  );

  it('requires a real 【signature】 at the start or end of an SMS', () => {
    const missing = only('新品上线，回复TD退订', 'card', 'M12', 'sms');
    expect(missing.map((f) => f.message.en)).toEqual([expect.stringMatching(/signature/)]);
    expect(only('【广告】新品上线，回复TD退订', 'card', 'M12', 'sms')).toHaveLength(1);
    expect(only('新品上线，回复TD退订【示例银行】', 'card', 'M12', 'sms')).toEqual([]);
  });

  it('reports both signature and opt-out when both are missing', () => {
    expect(only('示例银行新品上线', 'card', 'M12', 'sms')).toHaveLength(2);
  });

  it('requires an unsubscribe option in e-mail but not in push', () => {
    expect(only('尊敬的客户：新品上线。', 'card', 'M12', 'email')).toHaveLength(1);
    expect(only('尊敬的客户：新品上线。如需退订请回复TD。', 'card', 'M12', 'email')).toEqual([]);
    expect(only('新品上线', 'card', 'M12', 'push')).toEqual([]);
  });
});

describe('detectOptOutKeyword', () => {
  it.each([
    ['TD', 'TD'],
    ['td', 'TD'],
    [' Ｔｄ ', 'TD'],
    ['t', 'T'],
    ['"退订"', '退订'],
    ['“退订”', '退订'],
    ['退订。', '退订'],
    ['R', 'R'],
  ])('recognises the code %j', (input, keyword) => {
    expect(detectOptOutKeyword(input)).toEqual({ keyword, kind: 'code' });
  });

  it('recognises opt-out phrases and rejects other replies', () => {
    expect(detectOptOutKeyword('我要退订')).toEqual({ keyword: '退订', kind: 'phrase' });
    expect(detectOptOutKeyword('请不要再发了')).toEqual({ keyword: '不要再发', kind: 'phrase' });
    for (const reply of ['好的谢谢', 'TDX', '我不退订', '', 'TODAY']) expect(detectOptOutKeyword(reply)).toBeNull();
  });
});

describe('invariants', () => {
  const fragments = [
    '保本保收益',
    '本产品不保本',
    '最近',
    '最佳',
    '第一步',
    '业绩比较基准3%',
    '近一年收益率8.5%',
    W,
    '【示例银行】',
    '回复TD退订',
    'https://evil.example.com/x',
    '监管认证',
    '捆绑',
    '安全',
    '，',
    '。',
    '😀',
    'abc',
  ];
  it('every finding has a valid span, its matched text, and bilingual message and fix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...PRODUCT_TYPES),
        fc.constantFrom(...CHANNELS),
        (parts, productType, channel) => {
          const text = parts.join('');
          const result = checkCopy({ text, productType, channel });
          expect(result.ok).toBe(!result.findings.some((f) => f.severity === 'error'));
          for (const f of result.findings) {
            expect(COPY_RULE_IDS).toContain(f.ruleId);
            expect(0 <= f.span.start && f.span.start <= f.span.end && f.span.end <= text.length).toBe(true);
            expect(text.slice(f.span.start, f.span.end)).toBe(f.matched);
            for (const s of [f.message.zh, f.message.en, f.suggestion.zh, f.suggestion.en])
              expect(s.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('appending the wealth warning never adds findings and removes M1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments.filter((f) => f !== W)), { minLength: 1, maxLength: 6 }),
        (parts) => {
          const text = parts.join('');
          const before = rulesOf(checkCopy({ text, productType: 'wealth', channel: 'wechat' }).findings);
          const after = rulesOf(checkCopy({ text: `${text}${W}`, productType: 'wealth', channel: 'wechat' }).findings);
          expect(after).toEqual(before.filter((r) => r !== 'M1'));
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Corpus evaluation: precision and recall per rule against hand-labelled copies.

const corpusLineSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  product_type: z.enum(PRODUCT_TYPES),
  channel: z.enum(CHANNELS),
  options: copyCheckOptionsSchema.optional(),
  expected: z.array(z.object({ rule: z.enum(COPY_RULE_IDS), severity: z.enum(['error', 'warning']) })),
});
type CorpusCase = z.infer<typeof corpusLineSchema>;

const corpusPath = new URL('../fixtures/copy-corpus.jsonl', import.meta.url);
const corpus: CorpusCase[] = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => corpusLineSchema.parse(JSON.parse(l)));

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const ratio = (num: number, den: number) => (den === 0 ? 1 : num / den);

describe('copy corpus', () => {
  it('is large and balanced enough to mean something', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(130);
    expect(corpus.filter((c) => c.expected.length > 0).length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter((c) => c.expected.length === 0).length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    for (const rule of COPY_RULE_IDS) {
      expect(corpus.filter((c) => c.expected.some((e) => e.rule === rule)).length, rule).toBeGreaterThanOrEqual(4);
    }
  });

  it('reaches precision and recall ≥ 0.95 overall and ≥ 0.9 per rule', () => {
    const perRule = new Map<CopyRuleId, Counts>(COPY_RULE_IDS.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
    let severityAgree = 0;
    let severityTotal = 0;
    const misses: string[] = [];
    for (const c of corpus) {
      const result = checkCopy({ text: c.text, productType: c.product_type, channel: c.channel, options: c.options });
      const got = new Set(result.findings.map((f) => f.ruleId));
      const want = new Set(c.expected.map((e) => e.rule));
      for (const rule of COPY_RULE_IDS) {
        const counts = perRule.get(rule)!;
        if (got.has(rule) && want.has(rule)) counts.tp++;
        else if (got.has(rule)) counts.fp++;
        else if (want.has(rule)) counts.fn++;
      }
      for (const e of c.expected) {
        if (!got.has(e.rule)) continue;
        severityTotal++;
        if (result.findings.some((f) => f.ruleId === e.rule && f.severity === e.severity)) severityAgree++;
      }
      const extra = [...got].filter((r) => !want.has(r));
      const missing = [...want].filter((r) => !got.has(r));
      if (extra.length + missing.length > 0) {
        misses.push(`${c.id}: missing [${missing.join(',')}] extra [${extra.join(',')}] — ${c.text.slice(0, 40)}`);
      }
    }

    const total: Counts = { tp: 0, fp: 0, fn: 0 };
    const rows: string[] = [];
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    rows.push(
      `${'rule'.padEnd(6)}${pad('TP', 5)}${pad('FP', 5)}${pad('FN', 5)}${pad('precision', 11)}${pad('recall', 9)}`,
    );
    for (const [rule, k] of perRule) {
      total.tp += k.tp;
      total.fp += k.fp;
      total.fn += k.fn;
      rows.push(
        `${rule.padEnd(6)}${pad(k.tp, 5)}${pad(k.fp, 5)}${pad(k.fn, 5)}${pad(ratio(k.tp, k.tp + k.fp).toFixed(3), 11)}${pad(ratio(k.tp, k.tp + k.fn).toFixed(3), 9)}`,
      );
    }
    const precision = ratio(total.tp, total.tp + total.fp);
    const recall = ratio(total.tp, total.tp + total.fn);
    rows.push(
      `${'all'.padEnd(6)}${pad(total.tp, 5)}${pad(total.fp, 5)}${pad(total.fn, 5)}${pad(precision.toFixed(3), 11)}${pad(recall.toFixed(3), 9)}`,
    );
    rows.push(`severity agreement on matched labels: ${severityAgree}/${severityTotal}`);
    rows.push(`cases: ${corpus.length}; mismatching cases: ${misses.length}`);
    console.log(
      `\nCopy-checker corpus evaluation\n${rows.join('\n')}${misses.length ? `\n${misses.join('\n')}` : ''}\n`,
    );

    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    for (const [rule, k] of perRule) {
      expect(ratio(k.tp, k.tp + k.fp), `${rule} precision`).toBeGreaterThanOrEqual(0.9);
      expect(ratio(k.tp, k.tp + k.fn), `${rule} recall`).toBeGreaterThanOrEqual(0.9);
    }
    expect(ratio(severityAgree, severityTotal)).toBeGreaterThanOrEqual(0.95);
  });
});
