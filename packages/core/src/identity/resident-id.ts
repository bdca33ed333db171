/**
 * PRC resident identity card numbers (公民身份号码), GB 11643-1999.
 *
 * Layout of the 18-character number:
 *   - 6 digits: administrative division code of the place of registration (地址码)
 *   - 8 digits: birth date YYYYMMDD (出生日期码)
 *   - 3 digits: sequence code (顺序码); the last of them is odd for men, even for women
 *   - 1 character: check character (校验码), ISO 7064 MOD 11-2 over the first 17 digits, `X` stands for 10
 *
 * Legacy first-generation cards carry a 15-digit number (6 region + YYMMDD + 3 sequence, no check character,
 * century implied as 19xx); `upgradeLegacyId` converts them to the 18-character form.
 */

/** Weights w_i = 2^(17 - i) mod 11 for positions i = 0..16. */
const WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by (weighted sum mod 11). */
const CHECK_CHARS = '10X98765432';

/**
 * First two digits of valid administrative division codes: the 31 mainland provinces, Taiwan (71),
 * Hong Kong (81), Macao (82) and Taiwan residence permits (83).
 */
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type Gender = 'male' | 'female';

export type ResidentIdInvalidReason =
  | 'empty'
  | 'bad_length'
  | 'bad_characters'
  | 'bad_region'
  | 'bad_birth_date'
  | 'bad_check_char';

export type ResidentIdResult =
  | {
      valid: true;
      /** Normalised 18-character number (upper-case X). */
      id: string;
      /** The input was a 15-digit legacy number that was upgraded. */
      upgraded: boolean;
      regionCode: string;
      /** ISO date YYYY-MM-DD. */
      birthDate: string;
      gender: Gender;
    }
  | { valid: false; reason: ResidentIdInvalidReason; detail: string };

export interface ResidentIdOptions {
  /** Birth dates after this instant are rejected (default: no upper bound besides year 2100). */
  asOf?: Date;
  /** Accept 15-digit legacy numbers and upgrade them (default true). */
  acceptLegacy?: boolean;
}

/** Strip every kind of whitespace and separators people type, map full-width digits/X, upper-case the X. */
export function normaliseResidentId(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0xff10 && c <= 0xff19) {
      out += String.fromCharCode(c - 0xff10 + 48); // full-width digits
    } else if (c === 0xff38 || c === 0xff58) {
      out += 'X'; // full-width X / x
    } else if (c === 0x78) {
      out += 'X';
    } else if (c === 0x20 || c === 0x3000 || c === 0x09 || c === 0x2d || c === 0xa0) {
      // space, ideographic space, tab, hyphen, no-break space: dropped
    } else {
      out += raw[i];
    }
  }
  return out;
}

/** Compute the MOD 11-2 check character for the first 17 digits of an 18-character number. */
export function computeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`first17: expected 17 digits, got ${first17.length} characters`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = first17.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new RangeError(`first17: character ${i + 1} is not a digit`);
    sum += d * (WEIGHTS[i] as number);
  }
  return CHECK_CHARS[sum % 11] as string;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

/** Validate a YYYYMMDD string as a real calendar date; returns the ISO form or null. */
export function parseCompactDate(yyyymmdd: string): string | null {
  if (yyyymmdd.length !== 8 || !isDigits(yyyymmdd)) return null;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  if (d > days) return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * Upgrade a 15-digit legacy number to 18 characters: insert the century "19" before the 2-digit year and
 * append the check character. Throws when the input is not 15 digits.
 */
export function upgradeLegacyId(id15: string): string {
  const s = normaliseResidentId(id15);
  if (s.length !== 15 || !isDigits(s)) {
    throw new RangeError(`id15: expected 15 digits, got "${id15}"`);
  }
  const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
  return first17 + computeCheckChar(first17);
}

/** Full validation of an 18-character (or, by default, 15-digit legacy) resident ID number. */
export function parseResidentId(raw: string, options: ResidentIdOptions = {}): ResidentIdResult {
  const s = normaliseResidentId(raw);
  if (s.length === 0) return { valid: false, reason: 'empty', detail: 'resident ID is empty' };
  let id = s;
  let upgraded = false;
  if (s.length === 15 && options.acceptLegacy !== false) {
    if (!isDigits(s)) {
      return { valid: false, reason: 'bad_characters', detail: 'a 15-character legacy ID must be all digits' };
    }
    id = upgradeLegacyId(s);
    upgraded = true;
  } else if (s.length !== 18) {
    return { valid: false, reason: 'bad_length', detail: `expected 18 characters, got ${s.length}` };
  }
  const first17 = id.slice(0, 17);
  const check = id.charAt(17);
  if (!isDigits(first17) || !(isDigits(check) || check === 'X')) {
    return {
      valid: false,
      reason: 'bad_characters',
      detail: 'the first 17 characters must be digits and the last a digit or X',
    };
  }
  const regionCode = id.slice(0, 6);
  if (!PROVINCE_PREFIXES.has(regionCode.slice(0, 2)) || regionCode.slice(2) === '0000') {
    return { valid: false, reason: 'bad_region', detail: `region code ${regionCode} is not a county-level code` };
  }
  const birth = parseCompactDate(id.slice(6, 14));
  const year = Number(id.slice(6, 10));
  if (birth === null || year < 1880 || year > 2100) {
    return { valid: false, reason: 'bad_birth_date', detail: `birth date ${id.slice(6, 14)} is not a valid date` };
  }
  if (options.asOf !== undefined && birth > options.asOf.toISOString().slice(0, 10)) {
    return { valid: false, reason: 'bad_birth_date', detail: `birth date ${birth} is in the future` };
  }
  const expected = computeCheckChar(first17);
  if (!upgraded && expected !== check) {
    return {
      valid: false,
      reason: 'bad_check_char',
      detail: `check character is ${check}, MOD 11-2 gives ${expected}`,
    };
  }
  const seq = id.charCodeAt(16) - 48;
  return { valid: true, id, upgraded, regionCode, birthDate: birth, gender: seq % 2 === 1 ? 'male' : 'female' };
}

/** True when `raw` is a valid resident ID number (18 characters, or 15 legacy digits unless disabled). */
export function isValidResidentId(raw: string, options: ResidentIdOptions = {}): boolean {
  return parseResidentId(raw, options).valid;
}

/** The normalised 18-character form of a valid number, or null. */
export function canonicalResidentId(raw: string, options: ResidentIdOptions = {}): string | null {
  const r = parseResidentId(raw, options);
  return r.valid ? r.id : null;
}

/** Birth date (YYYY-MM-DD) of a valid number, or null. */
export function residentIdBirthDate(raw: string): string | null {
  const r = parseResidentId(raw);
  return r.valid ? r.birthDate : null;
}

/** Gender of a valid number (17th digit odd = male), or null. */
export function residentIdGender(raw: string): Gender | null {
  const r = parseResidentId(raw);
  return r.valid ? r.gender : null;
}
