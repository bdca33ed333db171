/**
 * String, date, phone and name comparators for record linkage.
 *
 * Every comparator is pure and allocation-light: the edit distances and Jaro–Winkler run over UTF-16 code units
 * with reusable typed-array scratch buffers (names, addresses and Chinese characters are all in the BMP).
 */
import { pinyin } from 'pinyin-pro';

// ---------------------------------------------------------------------------------------------------------------
// Scratch buffers (grown on demand, reused across calls; JavaScript is single-threaded per isolate).
// ---------------------------------------------------------------------------------------------------------------
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);
let rowPrev2 = new Int32Array(65);
let rowPrev = new Int32Array(65);
let rowCur = new Int32Array(65);

function ensureFlags(n: number): void {
  if (flagsA.length < n) {
    const size = Math.max(n, flagsA.length * 2);
    flagsA = new Uint8Array(size);
    flagsB = new Uint8Array(size);
  }
}

function ensureRows(n: number): void {
  if (rowCur.length < n + 1) {
    const size = Math.max(n + 1, rowCur.length * 2);
    rowPrev2 = new Int32Array(size);
    rowPrev = new Int32Array(size);
    rowCur = new Int32Array(size);
  }
}

/** Jaro similarity in [0, 1]. Two empty strings are identical (1). */
export function jaro(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 && lb === 0) return 1;
  if (la === 0 || lb === 0) return 0;
  if (a === b) return 1;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  ensureFlags(Math.max(la, lb));
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(i - window, 0);
    const hi = Math.min(i + window + 1, lb);
    const ca = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === ca) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/**
 * Jaro–Winkler similarity: Jaro boosted by the common prefix (at most 4 characters, scale `p`, default 0.1).
 */
export function jaroWinkler(a: string, b: string, p = 0.1): number {
  const j = jaro(a, b);
  if (j === 0 || j === 1) return j;
  const maxPrefix = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * p * (1 - j);
}

/**
 * Levenshtein distance. With `maxDistance`, computation stops as soon as the distance must exceed it and
 * `maxDistance + 1` is returned (banded dynamic programming).
 */
export function levenshtein(a: string, b: string, maxDistance = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  let s = a;
  let t = b;
  if (s.length > t.length) {
    s = b;
    t = a;
  }
  const ls = s.length;
  const lt = t.length;
  const cap = Number.isFinite(maxDistance) ? maxDistance : lt;
  if (lt - ls > cap) return cap + 1;
  if (ls === 0) return lt;
  ensureRows(ls);
  for (let i = 0; i <= ls; i++) rowPrev[i] = i;
  for (let j = 1; j <= lt; j++) {
    rowCur[0] = j;
    let rowMin = j;
    const ct = t.charCodeAt(j - 1);
    for (let i = 1; i <= ls; i++) {
      const cost = s.charCodeAt(i - 1) === ct ? 0 : 1;
      const del = (rowPrev[i] as number) + 1;
      const ins = (rowCur[i - 1] as number) + 1;
      const sub = (rowPrev[i - 1] as number) + cost;
      const v = del < ins ? Math.min(del, sub) : Math.min(ins, sub);
      rowCur[i] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    const tmp = rowPrev;
    rowPrev = rowCur;
    rowCur = tmp;
  }
  const d = rowPrev[ls] as number;
  return d > cap ? cap + 1 : d;
}

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form (adjacent transpositions cost 1, no substring
 * is edited twice). Bounded like `levenshtein`.
 */
export function damerauLevenshtein(a: string, b: string, maxDistance = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  let s = a;
  let t = b;
  if (s.length > t.length) {
    s = b;
    t = a;
  }
  const ls = s.length;
  const lt = t.length;
  const cap = Number.isFinite(maxDistance) ? maxDistance : lt;
  if (lt - ls > cap) return cap + 1;
  if (ls === 0) return lt;
  ensureRows(ls);
  for (let i = 0; i <= ls; i++) rowPrev[i] = i;
  for (let j = 1; j <= lt; j++) {
    rowCur[0] = j;
    let rowMin = j;
    const ct = t.charCodeAt(j - 1);
    for (let i = 1; i <= ls; i++) {
      const cs = s.charCodeAt(i - 1);
      const cost = cs === ct ? 0 : 1;
      const del = (rowPrev[i] as number) + 1;
      const ins = (rowCur[i - 1] as number) + 1;
      const sub = (rowPrev[i - 1] as number) + cost;
      let v = del < ins ? Math.min(del, sub) : Math.min(ins, sub);
      if (i > 1 && j > 1 && cs === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === ct) {
        const tr = (rowPrev2[i - 2] as number) + 1;
        if (tr < v) v = tr;
      }
      rowCur[i] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    const tmp = rowPrev2;
    rowPrev2 = rowPrev;
    rowPrev = rowCur;
    rowCur = tmp;
  }
  const d = rowPrev[ls] as number;
  return d > cap ? cap + 1 : d;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------------

/** A parsed calendar date: components plus a day number (days since 1970-01-01) for proximity. */
export interface ParsedDate {
  year: number;
  month: number;
  day: number;
  dayNumber: number;
  /** YYYYMMDD. */
  compact: string;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm; no Date objects). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Parse YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD (single-digit month/day allowed with separators).
 * Returns null for anything else or for impossible dates.
 */
export function parseDate(raw: string): ParsedDate | null {
  const s = raw.trim();
  let y: number;
  let m: number;
  let d: number;
  if (/^\d{8}$/.test(s)) {
    y = Number(s.slice(0, 4));
    m = Number(s.slice(4, 6));
    d = Number(s.slice(6, 8));
  } else {
    const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
    if (match === null) return null;
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  const compact = `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  return { year: y, month: m, day: d, dayNumber: daysFromCivil(y, m, d), compact };
}

/** Compact YYYYMMDD form of a parsed date (used for edit-distance comparisons of typed dates). */
export function compactDate(d: ParsedDate): string {
  return d.compact;
}

/**
 * True when two equal-length strings differ by exactly one substitution or one adjacent transposition (optimal
 * string alignment distance 1), without allocating.
 */
export function oneEditSameLength(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  let second = -1;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (first < 0) first = i;
      else if (second < 0) second = i;
      else return false;
    }
  }
  if (first < 0) return false;
  if (second < 0) return true;
  return (
    second === first + 1 && a.charCodeAt(first) === b.charCodeAt(second) && a.charCodeAt(second) === b.charCodeAt(first)
  );
}

export type DateLevel = 'exact' | 'transposed_day_month' | 'one_typo' | 'within_days' | 'same_year' | 'different';

/**
 * Compare two dates, most specific level first: exact; day and month swapped (03/04 vs 04/03); one digit edit or
 * adjacent transposition of the YYYYMMDD string; within `withinDays` days; same year; different.
 */
export function compareDates(a: ParsedDate, b: ParsedDate, withinDays = 30): DateLevel {
  if (a.dayNumber === b.dayNumber) return 'exact';
  if (a.year === b.year && a.month === b.day && a.day === b.month) return 'transposed_day_month';
  if (oneEditSameLength(a.compact, b.compact)) return 'one_typo';
  if (Math.abs(a.dayNumber - b.dayNumber) <= withinDays) return 'within_days';
  if (a.year === b.year) return 'same_year';
  return 'different';
}

// ---------------------------------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------------------------------

/**
 * Normalise a phone number: keep digits only; drop an international prefix (+86 / 0086 / 86 before an 11-digit
 * mobile number). Landlines keep their area code. Returns '' when no digit remains.
 */
export function normalisePhone(raw: string): string {
  let digits = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += raw[i];
    else if (c >= 0xff10 && c <= 0xff19) digits += String.fromCharCode(c - 0xff10 + 48);
  }
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86') && digits.charAt(2) === '1') digits = digits.slice(2);
  return digits;
}

export type PhoneLevel = 'exact' | 'same_last8' | 'same_last4' | 'different';

/** Compare two normalised phone numbers (see `normalisePhone`). */
export function comparePhones(a: string, b: string): PhoneLevel {
  if (a === b) return 'exact';
  const common = commonSuffixLength(a, b, 8);
  if (common >= 8) return 'same_last8';
  if (common >= 4) return 'same_last4';
  return 'different';
}

function commonSuffixLength(a: string, b: string, max: number): number {
  let k = 0;
  const la = a.length;
  const lb = b.length;
  while (k < max && k < la && k < lb && a.charCodeAt(la - 1 - k) === b.charCodeAt(lb - 1 - k)) k++;
  return k;
}

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

/** True when the string contains at least one CJK unified ideograph. */
export function hasCjk(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return true;
  }
  return false;
}

/** Lower-case, collapse inner whitespace, drop punctuation except letters/digits/CJK/space. */
export function normaliseName(raw: string): string {
  // Fast path: already lower-case ASCII letters/digits and CJK ideographs with single inner spaces.
  let clean = raw.length > 0;
  for (let i = 0; i < raw.length && clean; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x4e00 && c <= 0x9fff)) continue;
    if (c === 0x20 && i > 0 && i < raw.length - 1 && raw.charCodeAt(i - 1) !== 0x20) continue;
    clean = false;
  }
  if (clean) return raw;
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '令狐',
  '端木',
  '轩辕',
]);

/** Split a Chinese full name into surname and given name (compound surnames such as 欧阳 recognised). */
export function splitChineseName(full: string): { surname: string; given: string } {
  if (full.length >= 3 && COMPOUND_SURNAMES.has(full.slice(0, 2))) {
    return { surname: full.slice(0, 2), given: full.slice(2) };
  }
  return { surname: full.slice(0, 1), given: full.slice(1) };
}

const charPinyinCache = new Map<string, string>();
const surnamePinyinCache = new Map<string, string>();

function cleanPinyin(s: string): string {
  return s.replace(/ü/g, 'v').toLowerCase();
}

/** Toneless pinyin of one character (default reading), memoised; non-CJK characters are lower-cased. */
function charPinyin(ch: string): string {
  const hit = charPinyinCache.get(ch);
  if (hit !== undefined) return hit;
  const value = hasCjk(ch) ? cleanPinyin(pinyin(ch, { toneType: 'none' })) : ch.toLowerCase().trim();
  charPinyinCache.set(ch, value);
  return value;
}

/** Toneless pinyin of a surname with the surname reading (单 → shan, 曾 → zeng, 区 → ou), memoised. */
function surnamePinyin(surname: string): string {
  const hit = surnamePinyinCache.get(surname);
  if (hit !== undefined) return hit;
  const value = cleanPinyin(pinyin(surname, { toneType: 'none', type: 'array', surname: 'all' }).join(''));
  if (surnamePinyinCache.size < 100_000) surnamePinyinCache.set(surname, value);
  return value;
}

/**
 * Toneless pinyin of a Chinese name as one lower-case string without separators (张伟 → "zhangwei"). With
 * `surnameFirst` (default) the surname (compound surnames included) is read with its surname pronunciation; the
 * given name is read character by character with each character's default reading, so that the same character
 * always maps to the same syllable (consistency matters more than the rare polyphonic given-name character).
 * Non-CJK input is returned lower-cased without spaces.
 */
export function namePinyin(name: string, surnameFirst = true): string {
  if (!hasCjk(name)) return name.toLowerCase().replace(/\s+/g, '');
  let out = '';
  let rest = name;
  if (surnameFirst) {
    const { surname, given } = splitChineseName(name);
    out = surnamePinyin(surname);
    rest = given;
  }
  for (const ch of rest) out += charPinyin(ch);
  return out;
}

/** American Soundex (4 characters) of a Latin-script word; '' when there are no letters. */
export function soundex(raw: string): string {
  const s = raw.toUpperCase().replace(/[^A-Z]/g, '');
  if (s.length === 0) return '';
  const codes = '01230120022455012623010202'; // A..Z
  let out = s.charAt(0);
  let last = codes.charAt(s.charCodeAt(0) - 65);
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const ch = s.charAt(i);
    const code = codes.charAt(s.charCodeAt(i) - 65);
    if (code !== '0' && code !== last) out += code;
    if (ch !== 'H' && ch !== 'W') last = code;
  }
  return out.padEnd(4, '0');
}

export type NameLevel = 'exact' | 'homophone' | 'close' | 'fuzzy' | 'different';

/**
 * Compare two Chinese names: exact characters; homophone (same toneless pinyin, e.g. 张伟/章伟); close (one
 * character differs, or pinyin Jaro–Winkler ≥ 0.92); fuzzy (pinyin Jaro–Winkler ≥ 0.80); different.
 */
export function compareChineseNames(a: string, b: string): NameLevel {
  if (a === b) return 'exact';
  const pa = namePinyin(a);
  const pb = namePinyin(b);
  if (pa === pb) return 'homophone';
  if (a.length === b.length && a.length >= 2 && levenshtein(a, b, 1) <= 1) return 'close';
  const jw = jaroWinkler(pa, pb);
  if (jw >= 0.92) return 'close';
  if (jw >= 0.8) return 'fuzzy';
  return 'different';
}

/**
 * Compare two names in any script. Chinese names go through `compareChineseNames`; Latin names use
 * Jaro–Winkler (≥ 0.92 close, ≥ 0.80 fuzzy) and report identical pinyin/soundex-free spellings as exact only.
 */
export function compareNames(a: string, b: string): NameLevel {
  if (a === b) return 'exact';
  if (hasCjk(a) || hasCjk(b)) {
    if (hasCjk(a) && hasCjk(b)) return compareChineseNames(a, b);
    // One side romanised (e.g. "zhang wei" vs 张伟): compare on pinyin.
    const pa = namePinyin(a);
    const pb = namePinyin(b);
    if (pa === pb) return 'homophone';
    const jw = jaroWinkler(pa, pb);
    return jw >= 0.92 ? 'close' : jw >= 0.8 ? 'fuzzy' : 'different';
  }
  const jw = jaroWinkler(a, b);
  if (jw >= 0.92) return 'close';
  if (jw >= 0.8) return 'fuzzy';
  return 'different';
}

export type PersonNameLevel = 'exact' | 'swapped' | NameLevel;

/**
 * Compare a (given, surname) pair with another, detecting surname/given swaps for Latin names ("smith john" vs
 * "john smith"). The level is the worse of the two part levels, or 'swapped' when the crossed parts are exact.
 */
export function comparePersonNames(
  givenA: string,
  surnameA: string,
  givenB: string,
  surnameB: string,
): PersonNameLevel {
  if (givenA === givenB && surnameA === surnameB) return 'exact';
  if (givenA !== '' && surnameA !== '' && givenA === surnameB && surnameA === givenB) return 'swapped';
  const order: readonly NameLevel[] = ['exact', 'homophone', 'close', 'fuzzy', 'different'];
  const g = order.indexOf(compareNames(givenA, givenB));
  const s = order.indexOf(compareNames(surnameA, surnameB));
  return order[Math.max(g, s)] as NameLevel;
}
