/**
 * One detector per marketing-copy rule (M1–M12). Each takes the analysed copy and returns raw findings; the
 * checker in `../copy-checker.ts` validates input, orders the findings and decides `ok`.
 */
import type { Channel, CopyRuleId, Finding, ProductType, ResolvedCopyCheckOptions } from '../copy-checker.ts';
import * as L from './lexicon.ts';
import { type MessagePair, messages } from './messages.ts';
import {
  compact,
  contains,
  findAll,
  isNegated,
  isNonAssertive,
  overlaps,
  type RegexHit,
  type Token,
  tokenize,
} from './text.ts';

export interface CopyContext {
  readonly text: string;
  readonly productType: ProductType;
  readonly channel: Channel;
  readonly options: ResolvedCopyCheckOptions;
  readonly tokens: readonly Token[];
  /** NFKC, lower-case, no whitespace or punctuation. */
  readonly compact: string;
}

export function analyse(
  text: string,
  productType: ProductType,
  channel: Channel,
  options: ResolvedCopyCheckOptions,
): CopyContext {
  return { text, productType, channel, options, tokens: tokenize(text), compact: compact(text) };
}

function finding(
  ruleId: CopyRuleId,
  severity: Finding['severity'],
  span: { start: number; end: number },
  matched: string,
  pair: MessagePair,
): Finding {
  return {
    ruleId,
    severity,
    span: { start: span.start, end: span.end },
    matched,
    message: pair.message,
    suggestion: pair.suggestion,
  };
}

/** Findings about something missing point at an empty span where the fix goes. */
const atStart = { start: 0, end: 0 };
const atEnd = (ctx: CopyContext) => ({ start: ctx.text.length, end: ctx.text.length });

/** Drops hits wholly contained in a longer hit of the same list (稳赚 inside 稳赚不赔). */
function maximal(hits: RegexHit[]): RegexHit[] {
  return hits.filter((h) => !hits.some((o) => o !== h && contains(o, h) && o.end - o.start > h.end - h.start));
}

const isWealthOrFund = (p: ProductType) => p === 'wealth' || p === 'fund';

// ---------------------------------------------------------------------------------------------------------------
// M1 — wealth-product risk warning
export function detectM1(ctx: CopyContext): Finding[] {
  if (ctx.productType !== 'wealth') return [];
  if (ctx.compact.includes(L.M1_WARNING_COMPACT)) return [];
  if (ctx.compact.includes(L.M1_WARNING_MISPRINT_COMPACT)) {
    const hit = findAll(ctx.text, /投资\s*需\s*谨慎/g)[0];
    return [finding('M1', 'error', hit ?? atEnd(ctx), hit?.matched ?? '', messages.m1Misprint())];
  }
  return [finding('M1', 'error', atEnd(ctx), '', messages.m1Missing())];
}

// ---------------------------------------------------------------------------------------------------------------
// M2 — past performance
export function detectM2(ctx: CopyContext): Finding[] {
  const out: Finding[] = [];
  const short = findAll(ctx.text, L.M2_SHORT_HISTORY);
  for (const hit of short) out.push(finding('M2', 'error', hit, hit.matched, messages.m2ShortHistory()));

  const figures = findAll(ctx.text, L.M2_PERFORMANCE).filter((h) => !short.some((s) => overlaps(s, h)));
  if (figures.length === 0) return out;
  const hasWarning = L.M2_WARNING.test(ctx.compact);
  const dates = new Set(findAll(ctx.text, L.M2_DATE).map((d) => d.matched.replace(/\s/g, '')));
  const hasDates = dates.size >= 2;
  if (hasWarning && hasDates) return out;
  for (const hit of figures) {
    out.push(finding('M2', 'error', hit, hit.matched, messages.m2Figure({ warning: !hasWarning, dates: !hasDates })));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// M3 — yield presentation
export function detectM3(ctx: CopyContext): Finding[] {
  const out: Finding[] = [];
  for (const hit of maximal(findAll(ctx.text, L.M3_EXPECTED_RETURN))) {
    if (isNonAssertive(ctx.text, ctx.tokens, hit.start, hit.end)) continue;
    out.push(finding('M3', 'error', hit, hit.matched, messages.m3Expected(hit.matched)));
  }
  if (L.M3_BENCHMARK_DISCLAIMER.test(ctx.text)) return out;
  // A same-period benchmark next to a performance figure is the comparison M2 asks for, not a yield promise.
  const benchmark = findAll(ctx.text, L.M3_BENCHMARK).find((h) => !ctx.text.slice(0, h.start).endsWith('同期'));
  if (benchmark !== undefined) {
    out.push(finding('M3', 'warning', benchmark, benchmark.matched, messages.m3Benchmark()));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// M4 — guarantees
function depositLegalWording(ctx: CopyContext): { ok: boolean; structured: boolean } {
  const structured = ctx.compact.includes(L.STRUCTURED_DEPOSIT_COMPACT);
  const insured = ctx.compact.includes(L.DEPOSIT_INSURANCE_COMPACT);
  const structuredWarning = ctx.compact.includes(L.STRUCTURED_DEPOSIT_WARNING_COMPACT);
  return { ok: insured && (!structured || structuredWarning), structured };
}

export function guaranteeHits(ctx: CopyContext): RegexHit[] {
  return maximal(findAll(ctx.text, L.M4_GUARANTEE)).filter(
    (h) => !isNonAssertive(ctx.text, ctx.tokens, h.start, h.end),
  );
}

export function detectM4(ctx: CopyContext, hits: readonly RegexHit[]): Finding[] {
  const out: Finding[] = [];
  const deposit = ctx.productType === 'deposit' ? depositLegalWording(ctx) : undefined;
  for (const hit of hits) {
    if (deposit !== undefined && L.M4_DEPOSIT_PRINCIPAL_TERM.test(hit.matched)) {
      // Deposits are principal-protected by law; the word is allowed with the legal wording (see the design notes in copy-checker.ts).
      if (deposit.ok) continue;
      out.push(finding('M4', 'error', hit, hit.matched, messages.m4DepositWording(hit.matched, deposit.structured)));
      continue;
    }
    out.push(finding('M4', 'error', hit, hit.matched, messages.m4Guarantee(hit.matched)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// M5 — wealth/fund sensitive words
export function detectM5(ctx: CopyContext, covered: readonly RegexHit[]): Finding[] {
  if (!isWealthOrFund(ctx.productType)) return [];
  const out: Finding[] = [];
  for (const hit of findAll(ctx.text, L.M5_PATTERN)) {
    // Part of a more specific M4/M8 finding: that finding already explains it.
    if (covered.some((c) => contains(c, hit))) continue;
    const guard = L.M5_GUARDS[hit.matched];
    if (guard?.before?.test(ctx.text.slice(Math.max(0, hit.start - 6), hit.start))) continue;
    if (guard?.after?.test(ctx.text.slice(hit.end, hit.end + 12))) continue;
    if (hit.matched === '低风险' && isStatedRiskRating(ctx.text, hit)) continue;
    if (isNonAssertive(ctx.text, ctx.tokens, hit.start, hit.end)) continue;
    out.push(finding('M5', 'warning', hit, hit.matched, messages.m5Word(hit.matched)));
  }
  return out;
}

/** "风险等级为R1（低风险）": the product's own rating, objectively true. */
function isStatedRiskRating(text: string, hit: RegexHit): boolean {
  const around = text.slice(Math.max(0, hit.start - 12), hit.end + 6);
  return /R1|风险等级|风险评级|风险级别/.test(around);
}

// ---------------------------------------------------------------------------------------------------------------
// M6 — absolute terms
export function detectM6(ctx: CopyContext): Finding[] {
  const out: Finding[] = [];
  const statutory = findAll(ctx.text, L.M6_STATUTORY);
  for (const hit of statutory) out.push(finding('M6', 'error', hit, hit.matched, messages.m6Statutory(hit.matched)));

  const warnings: RegexHit[] = [];
  const { tokens, text } = ctx;
  for (const [i, token] of tokens.entries()) {
    const next = nextWord(tokens, i);
    if (token.text.startsWith('最')) {
      const word = token.text === '最' && next !== undefined ? `最${next.text}` : token.text;
      const end = token.text === '最' && next !== undefined ? next.end : token.end;
      if (word.length < 2 || L.M6_TEMPORAL.has(word.slice(0, 2))) continue;
      if (L.M6_QUANTITATIVE.has(word.slice(0, 2))) {
        const after = text.slice(token.start + 2, Math.min(text.length, token.start + 12));
        if (L.M6_QUANTITY_FOLLOWS.test(after)) continue;
      }
      warnings.push({ start: token.start, end, matched: text.slice(token.start, end) });
    } else if (token.text.startsWith('第一')) {
      if (!L.M6_RANKING_FIRST.has(token.text)) continue; // 第一步, 第一季度, 第一时间 …
      if (token.text === '第一' && next !== undefined && L.M6_ORDINAL_NOUNS.has(next.text)) continue;
      if (token.text === '第一' && isEnumeration(text, token)) continue;
      warnings.push({ start: token.start, end: token.end, matched: token.text });
    } else if (token.text.includes('唯一')) {
      const at = token.start + token.text.indexOf('唯一');
      if (L.M5_GUARDS.唯一?.after?.test(text.slice(at + 2, at + 14))) continue;
      warnings.push({ start: at, end: at + 2, matched: '唯一' });
    } else if (token.text.includes('顶级')) {
      const at = token.start + token.text.indexOf('顶级');
      warnings.push({ start: at, end: at + 2, matched: '顶级' });
    }
  }
  warnings.push(...findAll(text, L.M6_NUMBER_ONE));
  for (const hit of warnings) {
    if (statutory.some((s) => overlaps(s, hit))) continue;
    out.push(finding('M6', 'warning', hit, hit.matched, messages.m6Superlative(hit.matched)));
  }
  return out;
}

function nextWord(tokens: readonly Token[], i: number): Token | undefined {
  for (let j = i + 1; j < tokens.length; j++) {
    const t = tokens[j];
    if (t !== undefined && t.text.trim().length > 0) return t;
  }
  return undefined;
}

/** "第一是…，其次…": 第一 used to enumerate points rather than to rank. */
function isEnumeration(text: string, token: Token): boolean {
  const following = text.slice(token.end, token.end + 2);
  if (!/^[是要，,、:：]/.test(following)) return false;
  return L.M6_ENUMERATION_FOLLOW_UP.test(text.slice(token.end));
}

// ---------------------------------------------------------------------------------------------------------------
// M7 — approved content only; no swapped concepts; no misleading data
export function detectM7(ctx: CopyContext): Finding[] {
  const out: Finding[] = [];
  const { origin, forSend } = ctx.options;
  if (origin === 'staff_composed') out.push(finding('M7', 'error', atStart, '', messages.m7StaffComposed()));
  else if (forSend && origin !== 'approved_template')
    out.push(finding('M7', 'error', atStart, '', messages.m7NotApproved()));

  const p = ctx.productType;
  if (p === 'wealth' || p === 'fund' || p === 'insurance') {
    const hits = findAll(ctx.text, L.M7_DEPOSIT_CONCEPT);
    if (p === 'insurance') hits.push(...findAll(ctx.text, L.M7_INTEREST));
    for (const hit of hits) {
      if (L.M8_DEPOSIT_INSURANCE.test(ctx.text.slice(hit.start, hit.start + 4))) continue; // 存款保险 (deposit insurance)
      if (isNonAssertive(ctx.text, ctx.tokens, hit.start, hit.end)) continue;
      out.push(finding('M7', 'error', hit, hit.matched, messages.m7Concept(hit.matched)));
    }
  }
  if ((p === 'loan' || p === 'card') && !L.M7_ANNUALISED.test(ctx.text)) {
    const hit = findAll(ctx.text, L.M7_PERIODIC_RATE)[0];
    if (hit !== undefined) out.push(finding('M7', 'error', hit, hit.matched, messages.m7PeriodicRate(hit.matched)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// M8 — regulatory endorsement
export function endorsementHits(ctx: CopyContext): RegexHit[] {
  return findAll(ctx.text, L.M8_ENDORSEMENT).filter((hit) => {
    if (L.M8_DEPOSIT_INSURANCE.test(hit.matched)) return false; // "受国家存款保险制度保障" is a fact
    if (L.M8_GAP_NEGATION.test(hit.matched)) return false; // "…并不表明其对本基金…做出保证"
    return !isNonAssertive(ctx.text, ctx.tokens, hit.start, hit.end);
  });
}

export function detectM8(hits: readonly RegexHit[]): Finding[] {
  return hits.map((hit) => finding('M8', 'error', hit, hit.matched, messages.m8Endorsement(hit.matched)));
}

// ---------------------------------------------------------------------------------------------------------------
// M9 — bundling
export function detectM9(ctx: CopyContext): Finding[] {
  return maximal(findAll(ctx.text, L.M9_BUNDLING))
    .filter((hit) => !isNonAssertive(ctx.text, ctx.tokens, hit.start, hit.end))
    .map((hit) => finding('M9', 'warning', hit, hit.matched, messages.m9Bundling(hit.matched)));
}

// ---------------------------------------------------------------------------------------------------------------
// M10 — ads identifiable as ads
export function detectM10(ctx: CopyContext): Finding[] {
  if (ctx.channel !== 'banner' || L.M10_AD_LABEL.test(ctx.text)) return [];
  return [finding('M10', 'error', atStart, '', messages.m10AdLabel())];
}

// ---------------------------------------------------------------------------------------------------------------
// M11 — links to the bank's own domains; no pre-ticked consent
export interface LinkHit extends RegexHit {
  readonly host: string;
}

export function extractLinks(text: string): LinkHit[] {
  const links: LinkHit[] = [];
  for (const raw of findAll(text, L.M11_LINK)) {
    if (text[raw.start - 1] === '@' || /[a-z0-9.-]/i.test(text[raw.start - 1] ?? '')) continue; // e-mail address
    const matched = raw.matched.replace(/[.,;:!?)\]}'"]+$/, '');
    const hasScheme = /^https?:\/\//i.test(matched);
    const host = matched
      .replace(/^https?:\/\//i, '')
      .split(/[/:?#]/)[0]!
      .toLowerCase();
    const tld = host.split('.').pop() ?? '';
    if (!hasScheme && !host.startsWith('www.') && !L.M11_BARE_TLDS.has(tld)) continue;
    links.push({ start: raw.start, end: raw.start + matched.length, matched, host });
  }
  return links;
}

export function isAllowedHost(host: string, allowedDomains: readonly string[]): boolean {
  return allowedDomains.some((d) => host === d || host.endsWith(`.${d}`));
}

export function detectM11(ctx: CopyContext): Finding[] {
  const out: Finding[] = [];
  const allowed = ctx.options.allowedDomains;
  for (const link of extractLinks(ctx.text)) {
    if (isAllowedHost(link.host, allowed)) continue;
    const shortener = L.M11_SHORTENERS.has(link.host);
    out.push(finding('M11', 'error', link, link.matched, messages.m11Link(link.host, shortener, allowed)));
  }
  for (const hit of findAll(ctx.text, L.M11_PRE_TICKED)) {
    if (isNegated(ctx.text, ctx.tokens, hit.start)) continue;
    out.push(finding('M11', 'error', hit, hit.matched, messages.m11PreTicked(hit.matched)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// M12 — sender signature and opt-out in electronic messages
export function hasSmsSignature(text: string): boolean {
  const groups = [text.match(L.M12_LEADING_BRACKETS)?.[0] ?? '', text.match(L.M12_TRAILING_BRACKETS)?.[0] ?? ''];
  for (const group of groups) {
    for (const m of group.matchAll(/【([^【】]+)】/g)) {
      const label = (m[1] ?? '').trim();
      if (label.length >= 2 && !L.M12_GENERIC_LABELS.has(label)) return true;
    }
  }
  return false;
}

export function hasSmsOptOut(text: string): boolean {
  return L.M12_SMS_OPT_OUT.test(compact(text).toUpperCase());
}

export function detectM12(ctx: CopyContext): Finding[] {
  const out: Finding[] = [];
  if (ctx.channel === 'sms') {
    if (!hasSmsSignature(ctx.text)) out.push(finding('M12', 'error', atStart, '', messages.m12Signature()));
    if (!hasSmsOptOut(ctx.text)) out.push(finding('M12', 'error', atEnd(ctx), '', messages.m12SmsOptOut()));
  } else if (ctx.channel === 'email') {
    if (!L.M12_EMAIL_OPT_OUT.test(compact(ctx.text).toUpperCase())) {
      out.push(finding('M12', 'error', atEnd(ctx), '', messages.m12EmailOptOut()));
    }
  }
  return out;
}
