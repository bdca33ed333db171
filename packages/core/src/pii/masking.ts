/**
 * Display masking of personal information (rulebook P9, defaults configurable under `P9`).
 *
 * - card / account number: first 6 + last 4 (`622202******1234`)
 * - ID number: first 1 + last 1 (`1****************X`)
 * - mobile: first 3 + last 4 (`138****1234`); a +86/0086 prefix is kept apart
 * - name: surname + `*` (`张*`, `欧阳*`), one `*` whatever the given name's length; compound surnames
 *   (欧阳, 司马, 诸葛…) recognised when the name has at least 3 characters
 * - email: first character of the local part + `***` + `@domain`
 * - address: province and prefecture-level city kept, the rest replaced by `****`
 *
 * Safety rule for short values: at least a third of the characters (and at least one) are always
 * masked; when the configured head + tail would show more, the longer end is shortened first.
 * Number-like values (card, ID, mobile) keep their length, so position `i` of the output is either
 * `*` or the input's character `i` after removing spaces and hyphens.
 */
import { DEFAULT_RULE_PARAMS, type RuleParams } from '../compliance/rules.ts';

export type MaskingParams = RuleParams['P9'];

const DEFAULTS: MaskingParams = DEFAULT_RULE_PARAMS.P9;
const MASK = '*';

/** Removes whitespace (incl. full-width) and hyphens, the separators people type into numbers. */
export function compactNumber(value: string): string {
  return value.replace(/[\s\u3000\-－–—]/g, '');
}

/**
 * Keeps at most `head` leading and `tail` trailing characters of `chars` and masks the rest, always
 * masking at least max(1, ceil(n / 3)) characters.
 */
export function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  const n = chars.length;
  if (n === 0) return '';
  const minMasked = Math.max(1, Math.ceil(n / 3));
  let h = Math.max(0, Math.floor(head));
  let t = Math.max(0, Math.floor(tail));
  while (h + t > n - minMasked) {
    if (h >= t && h > 0) h--;
    else t--;
  }
  return chars.slice(0, h).join('') + MASK.repeat(n - h - t) + chars.slice(n - t).join('');
}

/** Bank card or account number: first 6 + last 4 by default. */
export function maskCard(value: string, params: MaskingParams = DEFAULTS): string {
  return keepEnds(compactNumber(value), params.cardKeepFirst, params.cardKeepLast);
}

export const maskAccount = maskCard;

/** Resident ID number (18 or 15 characters) or another ID document number: first 1 + last 1. */
export function maskIdNumber(value: string, params: MaskingParams = DEFAULTS): string {
  return keepEnds(compactNumber(value), params.idKeepFirst, params.idKeepLast);
}

const CN_PREFIX = /^(?:\+86|0086|86)(1\d{10})$/;

/** Mobile number: first 3 + last 4 of the national number; a +86 / 0086 / 86 prefix is shown as "+86 ". */
export function maskMobile(value: string, params: MaskingParams = DEFAULTS): string {
  const compact = compactNumber(value).replace(/[()（）]/g, '');
  const m = CN_PREFIX.exec(compact);
  if (m) return `+86 ${keepEnds(m[1]!, params.mobileKeepFirst, params.mobileKeepLast)}`;
  return keepEnds(compact, params.mobileKeepFirst, params.mobileKeepLast);
}

/** Compound (two-character) surnames, simplified and traditional forms. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '司空',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '百里',
  '呼延',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '申屠',
  '钟离',
  '闾丘',
  '东郭',
  '万俟',
  '赫连',
  '拓跋',
  '完颜',
  '第五',
  '左丘',
  '公羊',
  '谷梁',
  '乐正',
  '漆雕',
  '鲜于',
  '亓官',
  '司寇',
  '子车',
  '颛孙',
  '巫马',
  '公西',
  '东门',
  '羊舌',
  '微生',
  '梁丘',
  '段干',
  '仲孙',
  '叔孙',
  '歐陽',
  '司馬',
  '諸葛',
  '東方',
  '尉遲',
  '公孫',
  '長孫',
  '軒轅',
  '獨孤',
  '南宮',
  '鍾離',
  '閭丘',
  '東郭',
  '萬俟',
  '鮮于',
  '顓孫',
];

const COMPOUND = new Set(COMPOUND_SURNAMES);
const HAN = /^\p{Script=Han}$/u;

/**
 * Name: surname + "*". Chinese names keep the surname (two characters for a compound surname
 * when the name has at least 3 characters); other names (Latin, transliterated with "·") keep
 * their first character. A one-character name is fully masked.
 */
export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return MASK;
  const first = chars[0]!;
  if (HAN.test(first) && chars.length >= 3 && !chars.includes('·') && !chars.includes('•')) {
    const two = first + chars[1]!;
    if (COMPOUND.has(two)) return `${two}${MASK}`;
  }
  return `${first}${MASK}`;
}

/** Email: first character of the local part + "***" + "@domain"; not an address → "***". */
export function maskEmail(value: string): string {
  const v = value.trim();
  const at = v.lastIndexOf('@');
  if (at <= 0 || at === v.length - 1) return '***';
  const local = Array.from(v.slice(0, at));
  const domain = v.slice(at + 1);
  if (local.length === 1) return `${MASK}@${domain}`;
  return `${local[0]}***@${domain}`;
}

const MUNICIPALITIES = ['北京市', '天津市', '上海市', '重庆市', '北京', '天津', '上海', '重庆'];
const SARS = ['香港特别行政区', '澳门特别行政区', '香港', '澳门'];
const PROVINCES = [
  '河北省',
  '山西省',
  '辽宁省',
  '吉林省',
  '黑龙江省',
  '江苏省',
  '浙江省',
  '安徽省',
  '福建省',
  '江西省',
  '山东省',
  '河南省',
  '湖北省',
  '湖南省',
  '广东省',
  '海南省',
  '四川省',
  '贵州省',
  '云南省',
  '陕西省',
  '甘肃省',
  '青海省',
  '台湾省',
  '内蒙古自治区',
  '广西壮族自治区',
  '西藏自治区',
  '宁夏回族自治区',
  '新疆维吾尔自治区',
  '河北',
  '山西',
  '辽宁',
  '吉林',
  '黑龙江',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '海南',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '青海',
  '台湾',
  '内蒙古',
  '广西',
  '西藏',
  '宁夏',
  '新疆',
];
/** Longest first, so "黑龙江省" wins over "黑龙江". */
const byLength = (xs: string[]) => [...xs].sort((a, b) => b.length - a.length);
const MUNICIPALITIES_SORTED = byLength(MUNICIPALITIES);
const SARS_SORTED = byLength(SARS);
const PROVINCES_SORTED = byLength(PROVINCES);
/** A prefecture-level unit: up to 9 characters without district/street markers, then its suffix. */
const CITY = /^[^\s区县镇乡路街道号村巷弄栋楼室]{1,9}?(?:自治州|地区|市|盟)/u;

const ADDRESS_MASK = '****';

/** Address: keeps province and prefecture-level city, masks the rest ("广东省深圳市****"). */
export function maskAddress(value: string): string {
  let rest = value.trim().replace(/\s+/g, '');
  let kept = '';
  if (rest.startsWith('中国')) {
    kept = '中国';
    rest = rest.slice(2);
  }
  const startWith = (list: string[]) => list.find((p) => rest.startsWith(p));
  const municipality = startWith(MUNICIPALITIES_SORTED) ?? startWith(SARS_SORTED);
  if (municipality) return `${kept}${municipality}${ADDRESS_MASK}`;
  const province = startWith(PROVINCES_SORTED);
  if (province) {
    kept += province;
    rest = rest.slice(province.length);
  }
  const city = CITY.exec(rest);
  if (city) kept += city[0];
  return `${kept}${ADDRESS_MASK}`;
}

export const MASK_KINDS = ['card', 'account', 'id_number', 'mobile', 'name', 'email', 'address'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

/** Masks a value of a given kind (for generic display code). */
export function maskValue(kind: MaskKind, value: string, params: MaskingParams = DEFAULTS): string {
  switch (kind) {
    case 'card':
    case 'account':
      return maskCard(value, params);
    case 'id_number':
      return maskIdNumber(value, params);
    case 'mobile':
      return maskMobile(value, params);
    case 'name':
      return maskName(value);
    case 'email':
      return maskEmail(value);
    case 'address':
      return maskAddress(value);
  }
}
