/**
 * Text analysis helpers for the marketing-copy checker: jieba segmentation with UTF-16 offsets, clause and
 * sentence boundaries, a punctuation-free "compact" form for disclosure look-ups, and the negation / non-assertion
 * test that keeps disclosures such as "本产品不保本" from being read as promises.
 */
import { Jieba } from '@node-rs/jieba';
// `dict.js` (not the extensionless `dict`): the package has no `exports` map, so plain Node ESM (the CLI) needs the
// file extension; TypeScript's bundler resolution maps it to `dict.d.ts`.
import { dict } from '@node-rs/jieba/dict.js';

export interface Token {
  readonly text: string;
  /** UTF-16 offset of the first code unit. */
  readonly start: number;
  /** UTF-16 offset one past the last code unit. */
  readonly end: number;
}

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Segments `text` with jieba (precise mode, no HMM) and attaches UTF-16 offsets to every token. */
export function tokenize(text: string): Token[] {
  const pieces = segmenter().cut(text, false);
  const tokens: Token[] = [];
  let cursor = 0;
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    let at = text.startsWith(piece, cursor) ? cursor : text.indexOf(piece, cursor);
    if (at < 0) at = cursor; // jieba never rewrites input; this only guards against surprises
    tokens.push({ text: piece, start: at, end: at + piece.length });
    cursor = at + piece.length;
  }
  return tokens;
}

/** Characters that end a clause: a negation never reaches across them. `、` is deliberately absent so that
 * "不承诺保本、保收益" negates both items of the list. */
const CLAUSE_BREAK = /[，,。！!？?；;\n\r]/;
const SENTENCE_BREAK = /[。！!？?\n\r]/;
const PUNCTUATION = /[\s\p{P}\p{S}]/u;

export function clauseStart(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) if (CLAUSE_BREAK.test(text[i] ?? '')) return i + 1;
  return 0;
}

export function clauseEnd(text: string, index: number): number {
  for (let i = index; i < text.length; i++) if (CLAUSE_BREAK.test(text[i] ?? '')) return i;
  return text.length;
}

export function sentenceOf(text: string, start: number, end: number): string {
  let s = start;
  while (s > 0 && !SENTENCE_BREAK.test(text[s - 1] ?? '')) s--;
  let e = end;
  while (e < text.length && !SENTENCE_BREAK.test(text[e] ?? '')) e++;
  return text.slice(s, e);
}

/** NFKC, lower-case, without whitespace and punctuation: used to look for required wording in any punctuation. */
export function compact(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Tokens that negate what follows them within the clause (scanned up to NEGATION_WINDOW word tokens back). */
const NEGATORS = new Set([
  '不',
  '没',
  '没有',
  '未',
  '并非',
  '并不',
  '绝不',
  '决不',
  '从不',
  '从未',
  '不会',
  '不能',
  '不得',
  '不可',
  '不是',
  '不再',
  '不对',
  '不作',
  '不予',
  '不构成',
  '不代表',
  '不等于',
  '不保证',
  '不承诺',
  '不同于',
  '有别于',
  '区别于',
  '无需',
  '无须',
  '不需',
  '不需要',
  '不必',
  '不用',
  '谨防',
  '警惕',
  '提防',
  '远离',
  '杜绝',
  '禁止',
  '严禁',
  '拒绝',
  '切勿',
  '打破',
  '破除',
  '不属于',
  '不设',
  '不含',
  '不受',
  '并无',
  '绝无',
  '而非',
  '别',
]);

/** Single-character negators that only negate the word immediately after them ("理财非存款", "无需"):
 * farther back they are too often part of something else ("无手续费保本理财" still promises 保本). */
const ADJACENT_NEGATORS = new Set(['无', '非', '免', '勿', '莫']);

/** Words that start with a negating character but do not negate ("不仅保本" is still a promise). */
const NOT_NEGATORS = new Set([
  '不仅',
  '不但',
  '不只',
  '不断',
  '不少',
  '不错',
  '不久',
  '不限',
  '不凡',
  '不菲',
  '不妨',
  '不愧',
  '不同',
  '不过',
  '未来',
  '没问题',
]);

/** Conjunctions that end the scope of a preceding negation inside a clause. */
const SCOPE_BREAKERS = new Set(['但', '但是', '却', '可是', '然而', '而且', '并且', '还']);

const NEGATION_WINDOW = 6;

/** Negated disclaimer verbs whose scope is the rest of the clause, however long. */
const CLAUSE_SCOPE_NEGATORS = new Set(['不代表', '不构成', '不等于', '不表明', '并不表明', '不意味着', '并不意味着']);
const DISCLAIMER_VERBS = new Set(['代表', '构成', '等于', '表明', '意味着', '视为', '作为', '说明']);

function isNegatorToken(word: string): boolean {
  if (NOT_NEGATORS.has(word)) return false;
  if (NEGATORS.has(word)) return true;
  return /^[不没未]/.test(word) && word.length <= 3;
}

/**
 * True when the word starting at `start` is inside the scope of a negation in its own clause, e.g. 保本 in
 * "本产品不保本", 保证 in "不对收益作任何保证", 存款 in "理财非存款".
 */
export function isNegated(text: string, tokens: readonly Token[], start: number): boolean {
  const from = clauseStart(text, start);
  const words: string[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token === undefined || token.start >= start) continue;
    if (token.end <= from) break;
    // A token that straddles `start` (e.g. 无需 when the match begins at 需) contributes its leading part.
    const piece = text.slice(Math.max(token.start, from), Math.min(token.end, start));
    if (piece.length === 0 || PUNCTUATION.test(piece)) continue;
    words.push(piece);
  }
  for (const [distance, word] of words.entries()) {
    if (SCOPE_BREAKERS.has(word)) return false;
    if (distance === 0 && (ADJACENT_NEGATORS.has(word) || ADJACENT_NEGATORS.has(word.slice(-1)))) return true;
    if (!isNegatorToken(word)) continue;
    if (distance < NEGATION_WINDOW) return true;
    // "备案不代表监管部门对产品风险和收益作出保证": a negated disclaimer verb reaches to the end of the clause.
    const following = words[distance - 1];
    if (CLAUSE_SCOPE_NEGATORS.has(word) || (following !== undefined && DISCLAIMER_VERBS.has(following))) return true;
  }
  return false;
}

/** A clause that ends in a question mark asks rather than claims ("养老理财是保本的吗？"). */
export function isQuestion(text: string, start: number): boolean {
  const end = clauseEnd(text, start);
  const mark = text[end];
  return mark === '？' || mark === '?';
}

/** Sentences that warn the reader against fraud quote forbidden promises without making them. */
const WARNING_CONTEXT = /骗局|诈骗|非法集资|虚假宣传|违规宣传|不法分子/;

export function isWarningContext(text: string, start: number, end: number): boolean {
  return WARNING_CONTEXT.test(sentenceOf(text, start, end));
}

/**
 * A promise-like word is not asserted when it is negated, asked about, or quoted in an anti-fraud warning.
 */
export function isNonAssertive(text: string, tokens: readonly Token[], start: number, end: number): boolean {
  return isNegated(text, tokens, start) || isQuestion(text, start) || isWarningContext(text, start, end);
}

export interface RegexHit {
  readonly start: number;
  readonly end: number;
  readonly matched: string;
}

/** All matches of a global regular expression as spans. */
export function findAll(text: string, pattern: RegExp): RegexHit[] {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const re = new RegExp(pattern.source, flags);
  const hits: RegexHit[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    hits.push({ start: m.index, end: m.index + m[0].length, matched: m[0] });
  }
  return hits;
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

export function contains(outer: { start: number; end: number }, inner: { start: number; end: number }): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
