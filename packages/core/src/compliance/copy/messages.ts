/**
 * Bilingual finding messages and suggested fixes of the copy checker. The Chinese text is user-facing data
 * for compliance officers; each message names the rule it applies.
 */

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export interface MessagePair {
  readonly message: Bilingual;
  readonly suggestion: Bilingual;
}

const pair = (message: Bilingual, suggestion: Bilingual): MessagePair => ({ message, suggestion });

export const messages = {
  m1Missing: (): MessagePair =>
    pair(
      {
        zh: '理财产品宣传材料缺少风险提示语“理财非存款、产品有风险、投资须谨慎”（M1）。',
        en: 'Wealth-product copy lacks the mandatory warning "理财非存款、产品有风险、投资须谨慎" (M1).',
      },
      {
        zh: '在文案显著位置加入：“理财非存款、产品有风险、投资须谨慎。”',
        en: 'Add, prominently: "理财非存款、产品有风险、投资须谨慎。"',
      },
    ),
  m1Misprint: (): MessagePair =>
    pair(
      {
        zh: '风险提示语用字不规范：应为“投资须谨慎”，而非“投资需谨慎”（M1）。',
        en: 'The mandatory warning is misquoted: it must read "投资须谨慎", not "投资需谨慎" (M1).',
      },
      {
        zh: '改为规范表述：“理财非存款、产品有风险、投资须谨慎。”',
        en: 'Use the exact wording: "理财非存款、产品有风险、投资须谨慎。"',
      },
    ),
  m2Figure: (missing: { warning: boolean; dates: boolean }): MessagePair => {
    const zhParts = [missing.warning ? '“过往业绩不代表其未来表现”提示' : '', missing.dates ? '统计起止日期' : '']
      .filter(Boolean)
      .join('和');
    const enParts = [missing.warning ? 'the past-performance warning' : '', missing.dates ? 'start and end dates' : '']
      .filter(Boolean)
      .join(' and ');
    return pair(
      {
        zh: `展示过往业绩但缺少${zhParts}（M2）。`,
        en: `Past performance is shown without ${enParts} (M2).`,
      },
      {
        zh: '注明统计区间（如“2024年1月1日至2024年12月31日”）、同期业绩比较基准，并加“过往业绩不代表其未来表现”；或删除该业绩数据。',
        en: 'State the period (e.g. "2024年1月1日至2024年12月31日") and the same-period benchmark, and add "过往业绩不代表其未来表现"; or remove the figure.',
      },
    );
  },
  m2ShortHistory: (): MessagePair =>
    pair(
      {
        zh: '产品运作不足一个月，不得展示业绩（M2）。',
        en: 'Performance of less than one month of history may not be shown (M2).',
      },
      {
        zh: '删除该业绩表述，待产品运作满一个月后再按规定展示。',
        en: 'Remove the figure; show performance only after at least one month, with the required warning and dates.',
      },
    ),
  m3Expected: (word: string): MessagePair =>
    pair(
      {
        zh: `禁止使用“${word}”表述收益（M3）。`,
        en: `"${word}" (expected return) may not be used to present yields (M3).`,
      },
      {
        zh: '改用“业绩比较基准X%（年化）”，并加注“业绩比较基准不构成收益承诺”。',
        en: 'Use "业绩比较基准X%（年化）" (performance benchmark) with "业绩比较基准不构成收益承诺".',
      },
    ),
  m3Benchmark: (): MessagePair =>
    pair(
      {
        zh: '展示业绩比较基准但未提示其不构成收益承诺（M3）。',
        en: 'A performance benchmark is shown without stating that it is not a promise of return (M3).',
      },
      {
        zh: '在基准旁加注：“业绩比较基准不构成对产品收益的承诺。”',
        en: 'Add next to the benchmark: "业绩比较基准不构成对产品收益的承诺。"',
      },
    ),
  m4Guarantee: (word: string): MessagePair =>
    pair(
      {
        zh: `“${word}”属于明示或暗示保本保收益、或借专家名义背书的违规表述（M4，广告法第25条）。`,
        en: `"${word}" is an explicit or implied guarantee (or an expert endorsement), forbidden by M4 (Advertising Law Art. 25).`,
      },
      {
        zh: '删除该表述，改为如实的风险揭示，例如“本产品不保本，不保证收益”。',
        en: 'Remove it and disclose risk truthfully, e.g. "本产品不保本，不保证收益".',
      },
    ),
  m4DepositWording: (word: string, structured: boolean): MessagePair =>
    pair(
      {
        zh: structured
          ? `结构性存款使用“${word}”时须同时载明存款保险保障及“结构性存款不同于一般性存款，具有投资风险”（M4）。`
          : `存款产品使用“${word}”时须载明法定表述：依法纳入存款保险保障范围（M4）。`,
        en: structured
          ? `A structured deposit saying "${word}" must also state deposit-insurance cover and "结构性存款不同于一般性存款，具有投资风险" (M4).`
          : `A deposit saying "${word}" must carry the legal wording on deposit-insurance cover (M4).`,
      },
      {
        zh: structured
          ? '补充：“本金部分纳入存款保险保障范围。结构性存款不同于一般性存款，具有投资风险，您应当充分认识投资风险，谨慎投资。”'
          : '补充：“本产品为存款产品，依法纳入存款保险保障范围。”',
        en: structured
          ? 'Add: "本金部分纳入存款保险保障范围。结构性存款不同于一般性存款，具有投资风险，您应当充分认识投资风险，谨慎投资。"'
          : 'Add: "本产品为存款产品，依法纳入存款保险保障范围。"',
      },
    ),
  m5Word: (word: string): MessagePair =>
    pair(
      {
        zh: `理财/基金宣传中的敏感用语“${word}”，除非客观真实且有证明材料（M5）。`,
        en: `"${word}" is on the wealth/fund sensitive-word list; allowed only when objectively true and evidenced (M5).`,
      },
      {
        zh: `删除或改写“${word}”；如确属客观事实，请附证明材料并由合规审核留痕。`,
        en: `Remove or rephrase "${word}"; if objectively true, attach the evidence for the compliance reviewer.`,
      },
    ),
  m6Statutory: (word: string): MessagePair =>
    pair(
      {
        zh: `“${word}”为广告法第九条第（三）项禁止的绝对化用语（M6，可处20万至100万元罚款）。`,
        en: `"${word}" is an absolute term banned by Advertising Law Art. 9(3) (M6; fine ¥200k–1M).`,
      },
      {
        zh: `删除“${word}”，改用可证实的具体描述（如具体权益、数据及来源）。`,
        en: `Remove "${word}"; describe concrete, verifiable features instead.`,
      },
    ),
  m6Superlative: (word: string): MessagePair =>
    pair(
      {
        zh: `“${word}”属于绝对化/排名类用语，按行业惯例视同禁止（M6）。`,
        en: `"${word}" is a superlative or ranking term, treated as forbidden by practice (M6).`,
      },
      {
        zh: `删除“${word}”；如为排名，请注明权威来源、统计口径和时间，或改用客观描述。`,
        en: `Remove "${word}"; for a ranking cite the source, scope and date, or use an objective description.`,
      },
    ),
  m7StaffComposed: (): MessagePair =>
    pair(
      {
        zh: '员工自行编写的营销内容不得发送，仅可使用经审批的模板版本（M7，银发〔2019〕316号）。',
        en: 'Staff-composed marketing content may not be sent; only approved template versions may be used (M7).',
      },
      {
        zh: '改用已审批的模板，或将该内容提交制作—审核（maker-checker）流程审批后再使用。',
        en: 'Use an approved template, or submit this text for maker–checker approval first.',
      },
    ),
  m7NotApproved: (): MessagePair =>
    pair(
      {
        zh: '该内容不是已审批的模板版本，不能发送（M7）。',
        en: 'This text is not an approved template version and cannot be sent (M7).',
      },
      {
        zh: '先完成审批（作者不得自审），再以审批通过的版本发送。',
        en: 'Get it approved (the author cannot approve) and send the approved version.',
      },
    ),
  m7Concept: (word: string): MessagePair =>
    pair(
      {
        zh: `将非存款产品表述为“${word}”，混淆产品性质（M7，误导性宣传）。`,
        en: `Calling a non-deposit product "${word}" swaps concepts and misleads (M7).`,
      },
      {
        zh: '如实说明产品性质（理财/基金/保险），并明示其不是存款，例如“本产品为保险产品，不是存款”。',
        en: 'State what the product is (wealth/fund/insurance) and that it is not a deposit, e.g. "本产品为保险产品，不是存款".',
      },
    ),
  m7PeriodicRate: (word: string): MessagePair =>
    pair(
      {
        zh: `以“${word}”展示价格而未同时展示年化利率，属误导性数据（M7）。`,
        en: `Pricing shown as "${word}" without the annualised rate is misleading data (M7).`,
      },
      {
        zh: '同时以不小于该字号的方式展示年化利率，例如“年化利率（单利）3.65%起”。',
        en: 'Show the annualised rate at least as prominently, e.g. "年化利率（单利）3.65%起".',
      },
    ),
  m8Endorsement: (word: string): MessagePair =>
    pair(
      {
        zh: `“${word}”暗示监管机构或国家为产品背书、担保（M8）。`,
        en: `"${word}" implies that a regulator or the state endorses or guarantees the product (M8).`,
      },
      {
        zh: '删除该表述；如需说明备案/登记情况，须注明“监管部门对本产品的备案不构成对产品风险和收益的保证”。',
        en: 'Remove it; a filing may be mentioned only with "监管部门对本产品的备案不构成对产品风险和收益的保证".',
      },
    ),
  m9Bundling: (word: string): MessagePair =>
    pair(
      {
        zh: `“${word}”涉嫌捆绑搭售（M9，银行保险机构消费者权益保护管理办法）。`,
        en: `"${word}" suggests forced bundling (M9).`,
      },
      {
        zh: '删除捆绑条件，明示各产品可单独购买，例如“本产品可单独办理，无需购买其他产品”。',
        en: 'Remove the condition and state that each product can be bought on its own.',
      },
    ),
  m10AdLabel: (): MessagePair =>
    pair(
      {
        zh: '横幅广告未标明“广告”字样，消费者无法识别其为广告（M10，广告法第14条）。',
        en: 'The banner does not carry the "广告" label, so it is not identifiable as an ad (M10, Advertising Law Art. 14).',
      },
      {
        zh: '在横幅显著位置加上“广告”标识，并确保弹窗可一键关闭。',
        en: 'Add a visible "广告" label; pop-ups must also have a one-click close.',
      },
    ),
  m11Link: (host: string, shortener: boolean, allowed: readonly string[]): MessagePair =>
    pair(
      {
        zh: shortener
          ? `短链接“${host}”隐藏了真实地址，文案中的链接必须指向本行域名（M11）。`
          : `链接域名“${host}”不是本行配置的域名（${allowed.join('、')}）（M11）。`,
        en: shortener
          ? `The short link "${host}" hides its destination; links must point to the bank's own domains (M11).`
          : `The link domain "${host}" is not one of the bank's configured domains (${allowed.join(', ')}) (M11).`,
      },
      {
        zh: `改用本行官方域名的链接（如 https://www.${allowed[0] ?? 'example-bank.cn'}/…），购买须在本行自有平台完成。`,
        en: `Link to the bank's own domain (e.g. https://www.${allowed[0] ?? 'example-bank.cn'}/…); purchases happen on the bank's platform.`,
      },
    ),
  m11PreTicked: (word: string): MessagePair =>
    pair(
      {
        zh: `“${word}”：不得默认勾选或代客户同意（M11）。`,
        en: `"${word}": consent may never be pre-ticked or given on the customer's behalf (M11).`,
      },
      {
        zh: '改为由客户主动勾选/开启，并提供便捷的关闭个性化推荐入口。',
        en: 'Let the customer opt in actively, and offer an easy switch to turn personalisation off.',
      },
    ),
  m12Signature: (): MessagePair =>
    pair(
      {
        zh: '营销短信缺少【签名】（M12）。',
        en: 'The marketing SMS lacks a 【signature】 identifying the sender (M12).',
      },
      {
        zh: '在短信开头加上报备的签名，例如“【示例银行】”。',
        en: 'Start the SMS with the registered signature, e.g. "【示例银行】".',
      },
    ),
  m12SmsOptOut: (): MessagePair =>
    pair(
      {
        zh: '营销短信缺少退订方式（M12，广告法第43条）。',
        en: 'The marketing SMS lacks an opt-out instruction (M12, Advertising Law Art. 43).',
      },
      {
        zh: '在短信末尾加上“回复TD退订”或“拒收请回复R”。',
        en: 'End the SMS with "回复TD退订" or "拒收请回复R".',
      },
    ),
  m12EmailOptOut: (): MessagePair =>
    pair(
      {
        zh: '营销邮件缺少退订方式（M12，广告法第43条）。',
        en: 'The marketing e-mail lacks an unsubscribe option (M12, Advertising Law Art. 43).',
      },
      {
        zh: '在邮件末尾加上“如不希望再收到此类邮件，请点击退订”并提供退订链接。',
        en: 'Add "如不希望再收到此类邮件，请点击退订" with an unsubscribe link at the end.',
      },
    ),
} as const;
