/**
 * Word lists and patterns of the marketing-copy checker (rulebook M1–M12). This file is data: the Chinese
 * strings are the regulated wording itself. Alternations list longer phrases first because JavaScript regular
 * expressions take the leftmost alternative that matches.
 */

/** M1: the statutory wealth-product warning, compared on the compact (punctuation-free) text. */
export const M1_WARNING_COMPACT = '理财非存款产品有风险投资须谨慎';
/** The most common misprint (需 for 须): reported with a dedicated message. */
export const M1_WARNING_MISPRINT_COMPACT = '理财非存款产品有风险投资需谨慎';

/** M2: a performance figure introduced by a look-back period or a "since …" phrase and carrying a number. */
const PERIOD = '(?:近|最近|过去|以往)(?:[一二两三四五六七八九十半]|\\d{1,2})(?:个)?(?:年|月|季度|季|周|日|天)';
const SINCE = '(?:自?成立以来|今年以来|年初至今|运作以来|上线以来|去年|上一年度|上年度|历史|往期|过往|上期|实际|累计)';
const PERF_KEY = '(?:净值增长率|收益率|收益|回报率|回报|涨幅|增长率|年化|结算利率)';
export const M2_PERFORMANCE = new RegExp(
  `(?:${PERIOD}|${SINCE})[^，。；！？,;!?\\n]{0,12}?${PERF_KEY}[^，。；！？,;!?\\n]{0,10}?\\d+(?:\\.\\d+)?\\s*[%％]`,
  'g',
);
/** M2: a figure from less than one month of history ("成立两周涨幅5%") may never be shown. */
export const M2_SHORT_HISTORY =
  /(?:成立|上线|运作|发行|建仓)(?:仅|才|不到|刚满?)?(?:\d{1,2}|[一二两三四五六七八九十])(?:个)?(?:周|天|日|星期)[^，。；！？,;!?\n]{0,8}?(?:收益|涨幅|回报|年化|\d+(?:\.\d+)?\s*[%％])/g;
/** M2: the past-performance warning, on the compact text. */
export const M2_WARNING = /(?:过往|历史|以往)业绩.{0,10}?不(?:代表|预示|构成|等于|保证).{0,10}?未来/;
/** M2: a calendar date with at least year and month (the period needs a start and an end date). */
export const M2_DATE = /\d{4}\s*(?:年|[./-])\s*\d{1,2}\s*(?:月|[./-])?\s*(?:\d{1,2}\s*日?)?/g;

/** M3: "expected return" wording, banned outright. */
export const M3_EXPECTED_RETURN =
  /预期(?:年化)?(?:收益率|收益|回报率|回报)|预计(?:年化)?(?:收益率|收益|回报)|预期年化/g;
export const M3_BENCHMARK = /业绩比较基准|业绩基准/g;
/** M3: a disclaimer that the benchmark is not a promise, in the same sentence as the benchmark. */
export const M3_BENCHMARK_DISCLAIMER =
  /(?:业绩比较基准|业绩基准|该基准|上述基准|比较基准)[^。！!？?\n]{0,20}?(?:不构成|并不构成|不代表|并不代表|不等于|不作为|并非|不是|不视为)[^。！!？?\n]{0,14}?(?:承诺|保证|实际收益|未来表现|预期收益)/;

/** M4: explicit and implied guarantees, and endorsements by experts or associations. */
export const M4_GUARANTEE = new RegExp(
  [
    '保本保息',
    '保本保收益',
    '保本',
    '保收益',
    '保息',
    '保证[^，。；！？,;!?\\n]{0,4}?(?:本金|收益|回报|本息|盈利)',
    '承诺(?:收益|保本|回报|本金)',
    '保障本金',
    '本金(?:安全)?(?:有保障|无忧|无虞|零风险)',
    '本金(?:绝对|完全|百分百|100%)?安全',
    '本息(?:无忧|安全)',
    '无风险',
    '零风险',
    '没有(?:任何)?风险',
    '毫无风险',
    '稳赚不赔',
    '稳赚不亏',
    '稳赚',
    '包赚',
    '只赚不赔',
    '只涨不跌',
    '必涨',
    '稳赢',
    '不会亏(?:损|本)?',
    '绝不亏(?:损|本)?',
    '零亏损',
    '刚性兑付',
    '刚兑',
    '收益有保障',
    '保底(?:收益|回报|年化)',
    '锁定[^，。；！？,;!?\\n]{0,4}?收益',
    '专家推荐',
    '专家力荐',
    '权威推荐',
    '名家推荐',
    '协会推荐',
  ].join('|'),
  'g',
);
/** M4: principal-protection wording that is factually true for deposits (given the legal wording). */
export const M4_DEPOSIT_PRINCIPAL_TERM =
  /^(?:保本|保本保息|保息|保证.{0,4}?本(?:金|息)|保障本金|本金.{0,4}?安全|本金(?:安全)?有保障)$/;
/** M4: the legal wording a deposit needs before it may say 保本: a reference to deposit insurance … */
export const DEPOSIT_INSURANCE_COMPACT = '存款保险';
/** … and for a structured deposit, additionally the statutory risk statement. */
export const STRUCTURED_DEPOSIT_COMPACT = '结构性存款';
export const STRUCTURED_DEPOSIT_WARNING_COMPACT = '结构性存款不同于一般性存款';

/** M5: words to avoid in wealth and fund copy unless objectively true and evidenced. */
export const M5_WORDS = [
  '安全',
  '保证',
  '承诺',
  '保险',
  '避险',
  '有保障',
  '高收益',
  '低风险',
  '低门槛',
  '秒到账',
  '业绩优良',
  '名列前茅',
  '位居前列',
  '最有价值',
  '首只',
  '最大',
  '最好',
  '最强',
  '唯一',
] as const;
export const M5_PATTERN = new RegExp(M5_WORDS.join('|'), 'g');

/** M5 false-positive guards: the text around a match (before, after) that makes it factual. */
export const M5_GUARDS: Readonly<Record<string, { before?: RegExp; after?: RegExp }>> = {
  // Security notices, not product claims.
  安全: { before: /(?:账户|信息|交易|用卡|网络|用网)$/, after: /^(?:提示|键盘|认证|中心|须知)/ },
  // The official R2 rating is 中低风险; R1 is 低风险 when stated as the product's risk rating.
  低风险: { before: /中$/, after: /^(?:等级|产品\s*[（(]?R1)/ },
  // Risk education: "高收益往往伴随高风险".
  高收益: { after: /^(?:往往|通常|必然|一定|也|总是)?(?:伴随|意味着|对应|伴有)/ },
  // The name of an insurance product or insurer ("示例人寿年金保险", "保险公司"), not a claim about this product.
  保险: { before: /(?:人寿|年金|医疗|意外|重疾|财产|健康|养老|车)$/, after: /^(?:公司|产品|代理)/ },
  // The statutory fund disclaimer "基金管理人承诺以诚实信用、勤勉尽责的原则管理和运用基金资产".
  承诺: { after: /^以诚实信用/ },
  // Risk metrics and quantities: 最大回撤, 最大亏损, 最大3万元.
  最大: { after: /^(?:回撤|亏损|跌幅|波动|\s*\d)/ },
  // Official-channel statements in anti-fraud copy: 唯一官方客服热线.
  唯一: { after: /^(?:官方|客服|热线|渠道|网址)/ },
};

/** M6: absolute terms forbidden by 广告法 Art. 9(3). */
export const M6_STATUTORY = /国家级|最高级|最佳/g;
/** M6: "No.1"/"TOP1" are 第一 in Latin letters. */
export const M6_NUMBER_ONE = /\b(?:no\.?\s?1|top\s?1)\b/gi;
/** Superlatives that only state time ("最近一期", "最后一天") are not claims. */
export const M6_TEMPORAL = new Set(['最近', '最新', '最后', '最终', '最初', '最早', '最晚', '最先']);
/** Superlatives that state a bound ("最低1元起购", "最高可借30万", "最快当天放款") when a quantity follows. */
export const M6_QUANTITATIVE = new Set([
  '最高',
  '最低',
  '最多',
  '最少',
  '最长',
  '最短',
  '最大',
  '最小',
  '最快',
  '最慢',
]);
export const M6_QUANTITY_FOLLOWS =
  /^[\s（(]*(?:[\d０-９一二两三四五六七八九十百千万半]|可|额度|回撤|亏损|起购|起存|起投|期限|金额|利率|收益|当天|当日|次日|实时|保额|限额|单笔|不超过|为|达|至)/;
/** 第一 followed by one of these is an ordinal ("第一步", "第一次"), not a ranking. */
export const M6_ORDINAL_NOUNS = new Set([
  '步',
  '次',
  '期',
  '笔',
  '天',
  '个',
  '年',
  '月',
  '周',
  '季度',
  '批',
  '课',
  '时间',
  '轮',
  '章',
  '条',
  '项',
  '步骤',
  '阶段',
  '单',
  '张',
  '部分',
]);
/** jieba tokens that start with 第一 but still rank something. */
export const M6_RANKING_FIRST = new Set(['第一', '第一名', '第一流', '第一品牌']);
export const M6_ENUMERATION_FOLLOW_UP = /第二|其次|然后|再者/;

/** M7: calling a non-deposit product a deposit ("swapped concepts", 银发〔2019〕316号). */
export const M7_DEPOSIT_CONCEPT = /存款|存单|定存|存钱/g;
/** M7: insurance sold as paying "interest" is the classic 存单变保单 mis-selling. */
export const M7_INTEREST = /利息/g;
/** M7: daily/monthly/per-instalment rates without the annualised rate are misleading data. */
export const M7_PERIODIC_RATE = /日息|日利率|日利息|月息|月利率|月费率|日费率|每期手续费率?|每月手续费率?|期费率/g;
export const M7_ANNUALISED = /年化/;

/** M8: regulators and the state, followed within a short distance by an endorsement word. */
const REGULATOR =
  '(?:国家金融监督管理总局|金融监管总局|银保监会|银监会|保监会|证监会|中国人民银行|人民银行|央行|监管部门|监管机构|监管层|国家监管|国家(?!级)|政府)';
const ENDORSEMENT = '(?:认证|担保|背书|兜底|保障|保证|认可|力荐|推荐|保驾护航)';
export const M8_ENDORSEMENT = new RegExp(
  `${REGULATOR}[^。！!？?；;\\n]{0,10}?${ENDORSEMENT}|监管(?:认证|担保|背书|兜底|保障|认可)`,
  'g',
);
/** Words that turn the gap between regulator and endorsement into a denial (statutory fund disclaimer). */
export const M8_GAP_NEGATION = /不|未|非|无/;
export const M8_DEPOSIT_INSURANCE = /存款保险/;

/** M9: forced bundling. */
export const M9_BUNDLING =
  /(?:必须|务必|须|需|需要|要求)(?:同时|搭配|配套|附带|另行|捆绑)(?:购买|投保|办理|开通|购)|捆绑(?:销售|办理|购买)?|搭售|强制(?:购买|投保|搭配)|(?:必须|须|需)(?:购买|投保)[^，。；,;\n]{0,12}?(?:方可|才能|才可)/g;

/** M10: a banner must identify itself as an advertisement. */
export const M10_AD_LABEL = /广告/;

/** M11: links in copy. Scheme or www. makes anything a link; a bare domain needs a known TLD. */
export const M11_LINK =
  /(?:https?:\/\/)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{2,5})?(?:\/[\x21-\x7e]*)?/gi;
export const M11_BARE_TLDS = new Set([
  'cn',
  'com',
  'net',
  'org',
  'top',
  'xyz',
  'cc',
  'io',
  'me',
  'info',
  'vip',
  'shop',
  'site',
  'online',
  'ltd',
  'club',
  'app',
  'co',
  'biz',
  'tv',
  'ly',
  'im',
  'link',
  'pro',
  'work',
  'wang',
  'ink',
  'asia',
  'hk',
  'gov',
  'edu',
]);
/** Well-known URL shorteners hide the destination. */
export const M11_SHORTENERS = new Set([
  't.cn',
  'dwz.cn',
  'url.cn',
  'suo.im',
  'bit.ly',
  'tinyurl.com',
  'u.nu',
  'w.url.cn',
]);
/** M11: consent pre-ticked on the customer's behalf. */
export const M11_PRE_TICKED = /已?默认(?:已)?勾选|已为您勾选|自动勾选|默认同意|默认开通/g;

/** M12: an SMS signature in 【】 at the start or end; generic labels are not signatures. */
export const M12_LEADING_BRACKETS = /^\s*(?:【[^【】]{1,20}】\s*)+/;
export const M12_TRAILING_BRACKETS = /(?:\s*【[^【】]{1,20}】)+\s*$/;
export const M12_GENERIC_LABELS = new Set([
  '广告',
  '推广',
  '通知',
  '提醒',
  '温馨提示',
  '重要提示',
  '活动',
  '公告',
  '提示',
]);
/** M12: SMS opt-out instructions, on the compact upper-cased text (quotes and spaces removed). */
export const M12_SMS_OPT_OUT =
  /(?:回复|发送|编辑|回|发)(?:TD|T|R|N|BK|0000|退订)(?:至\d+)?(?:退订|拒收|退|取消)|(?:退订|拒收|取消订阅|不再接收)请?(?:回复|发送|回|发)(?:TD|T|R|N|BK|0000|退订)|回复退订/;
/** M12: e-mail opt-out (unsubscribe) wording. */
export const M12_EMAIL_OPT_OUT = /退订|取消订阅|UNSUBSCRIBE|不再接收|拒收/;

/** Inbound SMS replies that withdraw SMS marketing consent when sent on their own. */
export const OPT_OUT_CODES = new Set([
  'TD',
  'T',
  'N',
  'R',
  'BK',
  '0000',
  'QX',
  'STOP',
  'UNSUBSCRIBE',
  '退订',
  '退',
  '取消',
  '取消订阅',
  '拒收',
  'TD退订',
  '退订TD',
  '回TD',
  '回复TD',
  'T退订',
  '退订T',
]);
/** Inbound phrases that ask to stop marketing messages. */
export const OPT_OUT_PHRASE = /退订|取消订阅|拒收|不要再发|别再发|不再接收|停止发送|别发了|不要发了/;
export const OPT_OUT_NEGATED = /(?:不|别|不要|不想|不用|无需)(?:退订|取消订阅|拒收)/;
