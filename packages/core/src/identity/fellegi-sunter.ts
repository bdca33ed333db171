/**
 * Probabilistic record linkage after Fellegi & Sunter (1969), estimated the way modern tools do it:
 *
 *  1. Records carry fields by *role* (given_name, birth_date, phone…); each role present gets a comparison with
 *     ordered agreement levels (exact → … → else) plus a null level when either side is missing.
 *  2. Blocking: a configurable list of key functions; the candidate pairs are the union over rules of the pairs
 *     sharing a key, each pair emitted once (a pair is skipped by rule k if an earlier rule already produced it).
 *  3. u (P(level | non-match)) is estimated from seeded random pairs. m (P(level | match)) by expectation–
 *     maximisation over the distinct comparison vectors of the blocked pairs, one EM session per blocking rule with
 *     the comparisons the rule blocks on held out (Dirichlet pseudo-counts on m, Beta prior on the session lambda);
 *     the prior lambda (P(two random records match)) by an EM fixed point over all pairs (see `trainAndScore`).
 *  4. Each level has a Bayes factor m/u; a pair's match weight is log2(prior odds) + Σ log2(m/u), its match
 *     probability 2^w / (1 + 2^w).
 *
 * Conditional independence of the comparisons is assumed, as in the classical model.
 */
import { z } from 'zod';
import {
  compactDate,
  compareDates,
  compareNames,
  comparePhones,
  damerauLevenshtein,
  hasCjk,
  jaroWinkler,
  namePinyin,
  normaliseName,
  normalisePhone,
  type ParsedDate,
  parseDate,
  soundex,
  splitChineseName,
} from './compare.ts';
import { canonicalResidentId, normaliseResidentId } from './resident-id.ts';

// ---------------------------------------------------------------------------------------------------------------
// Record model
// ---------------------------------------------------------------------------------------------------------------

export const ROLES = [
  'given_name',
  'surname',
  'full_name',
  'birth_date',
  /** Resident ID (GB 11643) when valid → deterministic key; any other value → typo-tolerant generic id. */
  'national_id',
  /** Any other identifier (social security number, passport…): never deterministic, typo-tolerant comparison. */
  'generic_id',
  'phone',
  'email',
  'street_number',
  'street',
  'address_extra',
  'suburb',
  'city',
  'postcode',
  'state',
  /** Trusted exact key across the bank's own systems (e.g. core-banking customer number): deterministic. */
  'source_key',
  /** Name of the source system (informational, not compared). */
  'source_system',
] as const;

export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export interface InputRecord {
  id: string;
  fields: Partial<Record<Role, string>>;
}

/** A record normalised once for blocking and comparison. '' means missing. */
export interface PreparedRecord {
  index: number;
  id: string;
  given: string;
  surname: string;
  /** Full name: the full_name role, else surname+given (CJK) or "given surname". */
  full: string;
  /** Surname used for blocking (derived from a Chinese full name when no surname role). */
  surnameKey: string;
  /** Phonetic key of the surname: toneless pinyin (Chinese) or Soundex (Latin). */
  surnamePhonetic: string;
  /** Phonetic key of the full name: toneless pinyin (Chinese) or the letters only (Latin). */
  fullPhonetic: string;
  dob: ParsedDate | null;
  /** Birth date as typed, digits only (used when the date does not parse). */
  dobRaw: string;
  /** Canonical 18-character resident ID when the national_id is a valid GB 11643 number. */
  residentId: string | null;
  nationalId: string;
  genericId: string;
  phone: string;
  email: string;
  streetNumber: string;
  street: string;
  addressExtra: string;
  suburb: string;
  city: string;
  postcode: string;
  state: string;
  sourceKey: string;
  sourceSystem: string;
}

function compactText(raw: string | undefined): string {
  if (raw === undefined) return '';
  return normaliseName(raw).replace(/ /g, '');
}

function spacedText(raw: string | undefined): string {
  if (raw === undefined) return '';
  return normaliseName(raw);
}

/** Normalise input records once: names, pinyin, dates, phones, IDs. */
export function prepareRecords(records: readonly InputRecord[]): PreparedRecord[] {
  const out: PreparedRecord[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as InputRecord;
    const f = r.fields;
    const given = compactText(f.given_name);
    let surname = compactText(f.surname);
    let full = compactText(f.full_name);
    let surnameKey = surname;
    if (full === '') {
      if (hasCjk(surname) || hasCjk(given)) full = surname + given;
      else if (given !== '' || surname !== '') full = `${given}${surname}`;
    } else if (surname === '' && hasCjk(full)) {
      surnameKey = splitChineseName(full).surname;
    } else if (surname === '') {
      const parts = spacedText(f.full_name).split(' ');
      surnameKey = parts[parts.length - 1] ?? '';
    }
    if (surnameKey === '') surnameKey = surname;
    const surnamePhonetic =
      surnameKey === '' ? '' : hasCjk(surnameKey) ? namePinyin(surnameKey, true) : soundex(surnameKey);
    const fullPhonetic = full === '' ? '' : hasCjk(full) ? namePinyin(full, true) : full.replace(/[^a-z]/g, '');
    const dobText = f.birth_date?.trim() ?? '';
    const dob = dobText === '' ? null : parseDate(dobText);
    const nationalId = f.national_id === undefined ? '' : normaliseResidentId(f.national_id.trim());
    const phone = f.phone === undefined ? '' : normalisePhone(f.phone);
    surname = surname === '' && surnameKey !== '' && hasCjk(full) ? surnameKey : surname;
    out[i] = {
      index: i,
      id: r.id,
      given,
      surname,
      full,
      surnameKey,
      surnamePhonetic,
      fullPhonetic,
      dob,
      dobRaw: dobText.replace(/\D/g, ''),
      residentId: nationalId === '' ? null : canonicalResidentId(nationalId),
      nationalId,
      genericId: f.generic_id === undefined ? '' : f.generic_id.replace(/\s+/g, '').toUpperCase(),
      phone,
      email: f.email === undefined ? '' : f.email.trim().toLowerCase(),
      streetNumber: compactText(f.street_number),
      street: compactText(f.street),
      addressExtra: compactText(f.address_extra),
      suburb: compactText(f.suburb),
      city: compactText(f.city),
      postcode: f.postcode === undefined ? '' : f.postcode.replace(/\s+/g, ''),
      state: compactText(f.state),
      sourceKey: f.source_key?.trim() ?? '',
      sourceSystem: f.source_system?.trim() ?? '',
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------------------------

/** A comparison: `compare` returns -1 when either side is missing, else an index into `levels` (0 = best). */
export interface Comparison {
  name: string;
  /** The role compared (used to hold the comparison out of EM sessions trained on a rule blocking on it). */
  role?: Role;
  levels: readonly string[];
  compare(a: PreparedRecord, b: PreparedRecord): number;
}

export const comparisonKindSchema = z.enum(['name', 'string', 'date', 'id', 'phone', 'email', 'exact']);
export type ComparisonKind = z.infer<typeof comparisonKindSchema>;

export const comparisonSpecSchema = z.object({
  role: roleSchema,
  kind: comparisonKindSchema.optional(),
  /** Date comparisons: the "within N days" level. */
  withinDays: z.number().int().positive().optional(),
  /** String comparisons: Jaro–Winkler thresholds of the two fuzzy levels. */
  thresholds: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
});
export type ComparisonSpec = z.infer<typeof comparisonSpecSchema>;

type StringField =
  | 'given'
  | 'surname'
  | 'full'
  | 'genericId'
  | 'phone'
  | 'email'
  | 'streetNumber'
  | 'street'
  | 'addressExtra'
  | 'suburb'
  | 'city'
  | 'postcode'
  | 'state'
  | 'sourceKey'
  | 'sourceSystem';

const ROLE_FIELD: Record<Exclude<Role, 'birth_date' | 'national_id'>, StringField> = {
  given_name: 'given',
  surname: 'surname',
  full_name: 'full',
  generic_id: 'genericId',
  phone: 'phone',
  email: 'email',
  street_number: 'streetNumber',
  street: 'street',
  address_extra: 'addressExtra',
  suburb: 'suburb',
  city: 'city',
  postcode: 'postcode',
  state: 'state',
  source_key: 'sourceKey',
  source_system: 'sourceSystem',
};

const DEFAULT_KIND: Record<Role, ComparisonKind | null> = {
  given_name: 'name',
  surname: 'name',
  full_name: 'name',
  birth_date: 'date',
  national_id: 'id',
  generic_id: 'id',
  phone: 'phone',
  email: 'email',
  street_number: 'id',
  street: 'string',
  address_extra: 'string',
  suburb: 'string',
  city: 'string',
  postcode: 'id',
  state: 'exact',
  source_key: null,
  source_system: null,
};

const NAME_LEVELS = ['exact', 'swapped', 'homophone', 'jw_0.92', 'jw_0.80', 'else'] as const;
const NAME_LEVEL_INDEX: Record<string, number> = {
  exact: 0,
  swapped: 1,
  homophone: 2,
  close: 3,
  fuzzy: 4,
  different: 5,
};

function nameComparison(role: Role, field: StringField): Comparison {
  const otherField: StringField | null = role === 'given_name' ? 'surname' : role === 'surname' ? 'given' : null;
  return {
    name: role,
    levels: NAME_LEVELS,
    compare(a, b) {
      const va = a[field];
      const vb = b[field];
      if (va === '' || vb === '') return -1;
      if (va === vb) return 0;
      if (otherField !== null) {
        const oa = a[otherField];
        const ob = b[otherField];
        if (oa !== '' && ob !== '' && va === ob && oa === vb) return 1;
      }
      return NAME_LEVEL_INDEX[compareNames(va, vb)] as number;
    },
  };
}

function stringComparison(role: Role, field: StringField, t1: number, t2: number): Comparison {
  return {
    name: role,
    levels: ['exact', `jw_${t1}`, `jw_${t2}`, 'else'],
    compare(a, b) {
      const va = a[field];
      const vb = b[field];
      if (va === '' || vb === '') return -1;
      if (va === vb) return 0;
      const jw = jaroWinkler(va, vb);
      return jw >= t1 ? 1 : jw >= t2 ? 2 : 3;
    },
  };
}

function idComparison(role: Role, read: (r: PreparedRecord) => string): Comparison {
  return {
    name: role,
    levels: ['exact', 'one_edit', 'two_edits', 'else'],
    compare(a, b) {
      const va = read(a);
      const vb = read(b);
      if (va === '' || vb === '') return -1;
      if (va === vb) return 0;
      const d = damerauLevenshtein(va, vb, 2);
      return d <= 1 ? 1 : d === 2 ? 2 : 3;
    },
  };
}

function nationalIdValue(r: PreparedRecord): string {
  return r.residentId ?? r.nationalId;
}

const DATE_LEVEL_INDEX: Record<string, number> = {
  exact: 0,
  transposed_day_month: 1,
  one_typo: 2,
  within_days: 3,
  same_year: 4,
  different: 5,
};

function dateComparison(withinDays: number): Comparison {
  return {
    name: 'birth_date',
    levels: ['exact', 'transposed_day_month', 'one_typo', `within_${withinDays}_days`, 'same_year', 'else'],
    compare(a, b) {
      if (a.dobRaw === '' || b.dobRaw === '') return -1;
      if (a.dob !== null && b.dob !== null) return DATE_LEVEL_INDEX[compareDates(a.dob, b.dob, withinDays)] as number;
      // At least one date does not parse (typing error): fall back to the digits as typed.
      const ra = a.dob !== null ? compactDate(a.dob) : a.dobRaw;
      const rb = b.dob !== null ? compactDate(b.dob) : b.dobRaw;
      if (ra === rb) return 0;
      return damerauLevenshtein(ra, rb, 1) <= 1 ? 2 : 5;
    },
  };
}

const PHONE_LEVEL_INDEX: Record<string, number> = { exact: 0, same_last8: 1, same_last4: 2, different: 3 };

function phoneComparison(): Comparison {
  return {
    name: 'phone',
    levels: ['exact', 'same_last8', 'same_last4', 'else'],
    compare(a, b) {
      if (a.phone === '' || b.phone === '') return -1;
      return PHONE_LEVEL_INDEX[comparePhones(a.phone, b.phone)] as number;
    },
  };
}

function emailComparison(): Comparison {
  return {
    name: 'email',
    levels: ['exact', 'same_local_part', 'jw_0.92', 'else'],
    compare(a, b) {
      if (a.email === '' || b.email === '') return -1;
      if (a.email === b.email) return 0;
      const la = a.email.split('@')[0] ?? '';
      const lb = b.email.split('@')[0] ?? '';
      if (la !== '' && la === lb) return 1;
      return jaroWinkler(a.email, b.email) >= 0.92 ? 2 : 3;
    },
  };
}

function exactComparison(role: Role, field: StringField): Comparison {
  return {
    name: role,
    levels: ['exact', 'else'],
    compare(a, b) {
      const va = a[field];
      const vb = b[field];
      if (va === '' || vb === '') return -1;
      return va === vb ? 0 : 1;
    },
  };
}

/** Build a comparison from its spec (role + optional kind and parameters). */
export function buildComparison(spec: ComparisonSpec): Comparison {
  return { ...buildComparisonFor(spec), role: spec.role };
}

function buildComparisonFor(spec: ComparisonSpec): Comparison {
  const role = spec.role;
  const kind = spec.kind ?? DEFAULT_KIND[role];
  if (kind === null) throw new Error(`role ${role}: not comparable (it is a deterministic or informational key)`);
  if (role === 'birth_date') {
    if (kind !== 'date') throw new Error(`role birth_date: only kind "date" is supported, got "${kind}"`);
    return dateComparison(spec.withinDays ?? 30);
  }
  if (role === 'national_id') {
    if (kind === 'exact') {
      return {
        name: role,
        levels: ['exact', 'else'],
        compare: (a, b) => {
          const va = nationalIdValue(a);
          const vb = nationalIdValue(b);
          return va === '' || vb === '' ? -1 : va === vb ? 0 : 1;
        },
      };
    }
    if (kind !== 'id') throw new Error(`role national_id: kind must be "id" or "exact", got "${kind}"`);
    return idComparison(role, nationalIdValue);
  }
  const field = ROLE_FIELD[role];
  switch (kind) {
    case 'name':
      return nameComparison(role, field);
    case 'string':
      return stringComparison(role, field, spec.thresholds?.[0] ?? 0.92, spec.thresholds?.[1] ?? 0.8);
    case 'id':
      return idComparison(role, (r) => r[field]);
    case 'phone':
      if (role !== 'phone') throw new Error(`role ${role}: kind "phone" only applies to the phone role`);
      return phoneComparison();
    case 'email':
      if (role !== 'email') throw new Error(`role ${role}: kind "email" only applies to the email role`);
      return emailComparison();
    case 'exact':
      return exactComparison(role, field);
    case 'date':
      throw new Error(`role ${role}: kind "date" only applies to birth_date`);
  }
}

/** One default comparison per comparable role present in the data. */
export function defaultComparisons(roles: Iterable<Role>): Comparison[] {
  const present = new Set(roles);
  const out: Comparison[] = [];
  for (const role of ROLES) {
    if (!present.has(role) || DEFAULT_KIND[role] === null) continue;
    out.push(buildComparison({ role }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Blocking
// ---------------------------------------------------------------------------------------------------------------

export interface BlockingRule {
  name: string;
  /**
   * Roles the key is built from. When m is trained on the pairs of this rule, comparisons of these roles are held
   * out (their agreement is forced by blocking, so the pairs say nothing about their m).
   */
  roles?: readonly Role[];
  /** Blocking key of a record, or null to keep the record out of this rule. */
  key(r: PreparedRecord): string | null;
}

function joinKey(...parts: string[]): string | null {
  for (const p of parts) if (p === '') return null;
  return parts.join('\u0001');
}

function dobKey(r: PreparedRecord): string {
  return r.dob !== null ? compactDate(r.dob) : r.dobRaw;
}

function dobYear(r: PreparedRecord): string {
  return r.dob !== null ? String(r.dob.year) : '';
}

const NAME_ROLES: readonly Role[] = ['full_name', 'given_name', 'surname'];

function rule(name: string, roles: readonly Role[], key: (r: PreparedRecord) => string | null): BlockingRule {
  return { name, roles, key };
}

/** Built-in blocking rules by name, with the roles that must be mapped for each. */
export const BLOCKING_RULES: Readonly<Record<string, { requires: readonly Role[]; rule: BlockingRule }>> = {
  national_id: {
    requires: ['national_id'],
    rule: rule('national_id', ['national_id'], (r) =>
      r.nationalId.length >= 4 ? (r.residentId ?? r.nationalId) : null,
    ),
  },
  generic_id: { requires: ['generic_id'], rule: rule('generic_id', ['generic_id'], (r) => joinKey(r.genericId)) },
  phone: { requires: ['phone'], rule: rule('phone', ['phone'], (r) => (r.phone.length >= 7 ? r.phone : null)) },
  email: { requires: ['email'], rule: rule('email', ['email'], (r) => joinKey(r.email)) },
  birth_date: { requires: ['birth_date'], rule: rule('birth_date', ['birth_date'], (r) => joinKey(dobKey(r))) },
  'birth_date+surname_phonetic': {
    requires: ['birth_date'],
    rule: rule('birth_date+surname_phonetic', ['birth_date', ...NAME_ROLES], (r) =>
      joinKey(dobKey(r), r.surnamePhonetic),
    ),
  },
  full_name: { requires: [], rule: rule('full_name', NAME_ROLES, (r) => joinKey(r.fullPhonetic)) },
  'full_name+birth_year': {
    requires: ['birth_date'],
    rule: rule('full_name+birth_year', [...NAME_ROLES, 'birth_date'], (r) => joinKey(r.fullPhonetic, dobYear(r))),
  },
  'given+surname': {
    requires: ['given_name', 'surname'],
    rule: rule('given+surname', NAME_ROLES, (r) => joinKey(r.given, r.surname)),
  },
  'surname+postcode': {
    requires: ['postcode'],
    rule: rule('surname+postcode', [...NAME_ROLES, 'postcode'], (r) => joinKey(r.surnameKey, r.postcode)),
  },
  'given+postcode': {
    requires: ['given_name', 'postcode'],
    rule: rule('given+postcode', ['given_name', 'postcode'], (r) => joinKey(r.given, r.postcode)),
  },
  'given_initial+postcode': {
    requires: ['given_name', 'postcode'],
    rule: rule('given_initial+postcode', ['given_name', 'postcode'], (r) => joinKey(r.given.slice(0, 1), r.postcode)),
  },
  'surname+city': {
    requires: ['city'],
    rule: rule('surname+city', [...NAME_ROLES, 'city'], (r) => joinKey(r.surnameKey, r.city)),
  },
  'full_name+city': {
    requires: ['city'],
    rule: rule('full_name+city', [...NAME_ROLES, 'city'], (r) => joinKey(r.fullPhonetic, r.city)),
  },
  'surname+suburb': {
    requires: ['suburb'],
    rule: rule('surname+suburb', [...NAME_ROLES, 'suburb'], (r) => joinKey(r.surnameKey, r.suburb)),
  },
  'street+suburb': {
    requires: ['street', 'suburb'],
    rule: rule('street+suburb', ['street', 'suburb'], (r) => joinKey(r.street, r.suburb)),
  },
  'surname_phonetic+birth_year': {
    requires: ['birth_date'],
    rule: rule('surname_phonetic+birth_year', [...NAME_ROLES, 'birth_date'], (r) =>
      joinKey(r.surnamePhonetic, dobYear(r)),
    ),
  },
  'phone_last8+surname_phonetic': {
    requires: ['phone'],
    rule: rule('phone_last8+surname_phonetic', [...NAME_ROLES, 'phone'], (r) =>
      r.phone.length >= 8 ? joinKey(r.phone.slice(-8), r.surnamePhonetic) : null,
    ),
  },
};

export type BlockingRuleName = keyof typeof BLOCKING_RULES;

const DEFAULT_RULE_ORDER = [
  'national_id',
  'generic_id',
  'phone',
  'email',
  'birth_date',
  'given+surname',
  'full_name',
  'surname+postcode',
  'given+postcode',
  'surname+city',
  'surname+suburb',
  'street+suburb',
] as const;

/** The built-in rules usable with the roles present (names need given+surname, or full_name). */
export function defaultBlockingRules(roles: Iterable<Role>): BlockingRule[] {
  const present = new Set(roles);
  const hasName = present.has('full_name') || present.has('surname');
  const out: BlockingRule[] = [];
  for (const name of DEFAULT_RULE_ORDER) {
    const entry = BLOCKING_RULES[name];
    if (entry === undefined) continue;
    if (!entry.requires.every((r) => present.has(r))) continue;
    if (name === 'full_name' && (present.has('given_name') || !hasName)) continue;
    if ((name === 'surname+postcode' || name === 'surname+city' || name === 'surname+suburb') && !hasName) continue;
    out.push(entry.rule);
  }
  return out;
}

/** Resolve blocking rules by name; throws naming the unknown rule. */
export function blockingRulesByName(names: readonly string[]): BlockingRule[] {
  return names.map((n) => {
    const entry = BLOCKING_RULES[n];
    if (entry === undefined) {
      throw new Error(`blocking rule "${n}" is unknown; known: ${Object.keys(BLOCKING_RULES).join(', ')}`);
    }
    return entry.rule;
  });
}

/** Growable pair of Int32 columns. */
class PairBuffer {
  a: Int32Array;
  b: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }
  push(x: number, y: number): void {
    if (this.length === this.a.length) {
      const na = new Int32Array(this.a.length * 2);
      na.set(this.a);
      this.a = na;
      const nb = new Int32Array(this.b.length * 2);
      nb.set(this.b);
      this.b = nb;
    }
    this.a[this.length] = x;
    this.b[this.length] = y;
    this.length++;
  }
}

export interface CandidatePairs {
  /** Left record index of each pair (a < b). */
  a: Int32Array;
  /** Right record index of each pair. */
  b: Int32Array;
  count: number;
  /** New (not previously produced) pairs contributed by each rule, in order. */
  perRule: { name: string; pairs: number; largestBlock: number; skippedBlocks: number }[];
  /** n(n-1)/2. */
  allPairs: number;
  /** Interned key id per rule and record (-1 = no key): pair p shares rule k's key iff keyIds[k][a] === keyIds[k][b]. */
  keyIds: Int32Array[];
  /** 1 - count / allPairs. */
  reductionRatio: number;
}

export interface BlockingOptions {
  /** Records with the same non-negative group are already linked: their pairs are not generated. */
  excludeSameGroup?: Int32Array;
  /** Blocks larger than this are skipped (and reported) to avoid a quadratic blow-up. Default 10,000. */
  maxBlockSize?: number;
}

/** Intern a blocking key per record: -1 when the record has no key. */
function internKeys(records: readonly PreparedRecord[], rule: BlockingRule): { ids: Int32Array; distinct: number } {
  const ids = new Int32Array(records.length);
  const map = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const k = rule.key(records[i] as PreparedRecord);
    if (k === null || k === '') {
      ids[i] = -1;
      continue;
    }
    let id = map.get(k);
    if (id === undefined) {
      id = map.size;
      map.set(k, id);
    }
    ids[i] = id;
  }
  return { ids, distinct: map.size };
}

/**
 * Candidate pairs: the union over blocking rules of the record pairs that share a key. A pair produced by rule k is
 * skipped when any earlier rule also gives both records the same key, so each pair appears exactly once without a
 * hash set of pairs.
 */
export function generateCandidatePairs(
  records: readonly PreparedRecord[],
  rules: readonly BlockingRule[],
  options: BlockingOptions = {},
): CandidatePairs {
  const n = records.length;
  const maxBlock = options.maxBlockSize ?? 10_000;
  const group = options.excludeSameGroup;
  const keyIds: Int32Array[] = [];
  const out = new PairBuffer(Math.max(1024, n * 2));
  const perRule: CandidatePairs['perRule'] = [];
  for (const rule of rules) {
    const { ids, distinct } = internKeys(records, rule);
    // Counting sort of record indices by key id.
    const starts = new Int32Array(distinct + 1);
    for (let i = 0; i < n; i++) {
      const k = ids[i] as number;
      if (k >= 0) starts[k + 1] = (starts[k + 1] as number) + 1;
    }
    for (let k = 0; k < distinct; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
    const fill = starts.slice(0, distinct);
    const order = new Int32Array(starts[distinct] as number);
    for (let i = 0; i < n; i++) {
      const k = ids[i] as number;
      if (k >= 0) {
        const pos = fill[k] as number;
        order[pos] = i;
        fill[k] = pos + 1;
      }
    }
    const before = out.length;
    let largest = 0;
    let skipped = 0;
    const earlier = keyIds.length;
    for (let k = 0; k < distinct; k++) {
      const lo = starts[k] as number;
      const hi = starts[k + 1] as number;
      const size = hi - lo;
      if (size < 2) continue;
      if (size > largest) largest = size;
      if (size > maxBlock) {
        skipped++;
        continue;
      }
      for (let x = lo; x < hi; x++) {
        const i = order[x] as number;
        for (let y = x + 1; y < hi; y++) {
          const j = order[y] as number;
          if (group !== undefined && (group[i] as number) >= 0 && group[i] === group[j]) continue;
          let seen = false;
          for (let e = 0; e < earlier; e++) {
            const ke = keyIds[e] as Int32Array;
            const ki = ke[i] as number;
            if (ki >= 0 && ki === ke[j]) {
              seen = true;
              break;
            }
          }
          if (seen) continue;
          if (i < j) out.push(i, j);
          else out.push(j, i);
        }
      }
    }
    keyIds.push(ids);
    perRule.push({ name: rule.name, pairs: out.length - before, largestBlock: largest, skippedBlocks: skipped });
  }
  const allPairs = (n * (n - 1)) / 2;
  return {
    a: out.a.subarray(0, out.length),
    b: out.b.subarray(0, out.length),
    count: out.length,
    perRule,
    allPairs,
    reductionRatio: allPairs === 0 ? 0 : 1 - out.length / allPairs,
    keyIds,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison vectors, u by random sampling, m and lambda by EM
// ---------------------------------------------------------------------------------------------------------------

/** Comparison vectors: row-major (pair × comparison), 0 = null, level index + 1 otherwise. */
export function computeGammas(
  records: readonly PreparedRecord[],
  a: Int32Array,
  b: Int32Array,
  comparisons: readonly Comparison[],
): Uint8Array {
  const c = comparisons.length;
  const count = a.length;
  const gammas = new Uint8Array(count * c);
  for (let p = 0; p < count; p++) {
    const ra = records[a[p] as number] as PreparedRecord;
    const rb = records[b[p] as number] as PreparedRecord;
    const base = p * c;
    for (let k = 0; k < c; k++) {
      gammas[base + k] = (comparisons[k] as Comparison).compare(ra, rb) + 1;
    }
  }
  return gammas;
}

/** Seeded 32-bit PRNG (mulberry32): deterministic sampling. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface UEstimate {
  /** u[c][level]: P(level | non-match), levels without the null level. */
  u: Float64Array[];
  sampledPairs: number;
  exhaustive: boolean;
}

/**
 * u probabilities from random record pairs (seeded). When all pairs fit in the sample they are enumerated instead.
 * Laplace smoothing (`pseudoCount`, default 1) keeps rare levels (exact ID match) away from zero.
 */
export function estimateU(
  records: readonly PreparedRecord[],
  comparisons: readonly Comparison[],
  options: { samplePairs?: number; seed?: number; pseudoCount?: number } = {},
): UEstimate {
  const n = records.length;
  const target = options.samplePairs ?? 500_000;
  const alpha = options.pseudoCount ?? 1;
  const c = comparisons.length;
  const counts = comparisons.map((cmp) => new Float64Array(cmp.levels.length));
  const tally = (i: number, j: number): void => {
    const ra = records[i] as PreparedRecord;
    const rb = records[j] as PreparedRecord;
    for (let k = 0; k < c; k++) {
      const level = (comparisons[k] as Comparison).compare(ra, rb);
      if (level >= 0) {
        const arr = counts[k] as Float64Array;
        arr[level] = (arr[level] as number) + 1;
      }
    }
  };
  const all = (n * (n - 1)) / 2;
  let sampled = 0;
  const exhaustive = all <= target;
  if (exhaustive) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) tally(i, j);
    sampled = all;
  } else {
    const rand = mulberry32(options.seed ?? 42);
    while (sampled < target) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * n);
      if (i === j) continue;
      tally(i, j);
      sampled++;
    }
  }
  const u = counts.map((arr) => {
    let total = 0;
    for (const v of arr) total += v;
    const out = new Float64Array(arr.length);
    for (let l = 0; l < arr.length; l++) out[l] = ((arr[l] as number) + alpha) / (total + alpha * arr.length);
    return out;
  });
  return { u, sampledPairs: sampled, exhaustive };
}

/** Distinct comparison vectors with their multiplicities (EM works on these, not on every pair). */
export interface GammaPatterns {
  patterns: Uint8Array;
  counts: Float64Array;
  /** Pattern index of each pair. */
  patternOf: Int32Array;
  size: number;
}

export function compressGammas(gammas: Uint8Array, comparisons: readonly Comparison[]): GammaPatterns {
  const c = comparisons.length;
  const pairs = c === 0 ? 0 : gammas.length / c;
  const radix = comparisons.map((cmp) => cmp.levels.length + 1);
  let space = 1;
  for (const r of radix) space *= r;
  const numeric = space < 2 ** 52;
  const index = new Map<number | string, number>();
  const patternOf = new Int32Array(pairs);
  const rows: number[] = [];
  const counts: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const base = p * c;
    let key: number | string;
    if (numeric) {
      let v = 0;
      for (let k = 0; k < c; k++) v = v * (radix[k] as number) + (gammas[base + k] as number);
      key = v;
    } else {
      key = Array.from(gammas.subarray(base, base + c)).join(',');
    }
    let id = index.get(key);
    if (id === undefined) {
      id = counts.length;
      index.set(key, id);
      counts.push(0);
      for (let k = 0; k < c; k++) rows.push(gammas[base + k] as number);
    }
    counts[id] = (counts[id] as number) + 1;
    patternOf[p] = id;
  }
  return {
    patterns: Uint8Array.from(rows),
    counts: Float64Array.from(counts),
    patternOf,
    size: counts.length,
  };
}

export interface EmOptions {
  maxIterations?: number;
  /** Stop when no parameter moves by more than this. Default 1e-6. */
  tolerance?: number;
  /** Initial share of matches among the candidate pairs. Default 0.3. */
  initialLambda?: number;
  /** Beta(alpha, beta) prior on lambda (MAP update); default (1, 1) = maximum likelihood. */
  lambdaPrior?: { alpha: number; beta: number };
  /** Dirichlet pseudo-count added to every m level. Default 0.1. */
  mPseudoCount?: number;
  /** Initial m per comparison; default: 0.85 on the best level, the rest halving, remainder on "else". */
  initialM?: Float64Array[];
}

export interface EmResult {
  m: Float64Array[];
  /** Match share among the candidate pairs. */
  lambda: number;
  iterations: number;
  converged: boolean;
  /** Log-likelihood after each iteration (non-decreasing up to the prior terms). */
  logLikelihood: number[];
}

function defaultInitialM(levels: number): Float64Array {
  const m = new Float64Array(levels);
  if (levels === 1) {
    m[0] = 1;
    return m;
  }
  m[0] = 0.85;
  let rest = 0.15;
  for (let l = 1; l < levels - 1; l++) {
    rest /= 2;
    m[l] = rest;
  }
  m[levels - 1] = rest;
  return m;
}

/**
 * Expectation–maximisation of m and lambda over the candidate pairs with u fixed (from `estimateU`).
 * E-step: posterior match probability of each distinct comparison vector; M-step: weighted level frequencies
 * among matches (plus pseudo-counts) and the MAP lambda under the Beta prior.
 */
export function estimateM(
  patterns: GammaPatterns,
  comparisons: readonly Comparison[],
  u: readonly Float64Array[],
  options: EmOptions = {},
): EmResult {
  const c = comparisons.length;
  const maxIter = options.maxIterations ?? 200;
  const tol = options.tolerance ?? 1e-6;
  const priorA = options.lambdaPrior?.alpha ?? 1;
  const priorB = options.lambdaPrior?.beta ?? 1;
  const alpha = options.mPseudoCount ?? 0.1;
  let lambda = options.initialLambda ?? 0.3;
  const m = comparisons.map((cmp, k) => {
    const init = options.initialM?.[k];
    return init !== undefined ? Float64Array.from(init) : defaultInitialM(cmp.levels.length);
  });
  const { patterns: rows, counts, size } = patterns;
  const post = new Float64Array(size);
  const logLikelihood: number[] = [];
  let total = 0;
  for (let p = 0; p < size; p++) total += counts[p] as number;
  let iterations = 0;
  let converged = false;
  const mAcc = comparisons.map((cmp) => new Float64Array(cmp.levels.length));
  while (iterations < maxIter) {
    iterations++;
    // E-step (log space).
    let ll = 0;
    const logL = Math.log(lambda);
    const log1L = Math.log(1 - lambda);
    for (let p = 0; p < size; p++) {
      let lm = logL;
      let lu = log1L;
      const base = p * c;
      for (let k = 0; k < c; k++) {
        const g = rows[base + k] as number;
        if (g === 0) continue;
        lm += Math.log((m[k] as Float64Array)[g - 1] as number);
        lu += Math.log((u[k] as Float64Array)[g - 1] as number);
      }
      const mx = Math.max(lm, lu);
      const lse = mx + Math.log(Math.exp(lm - mx) + Math.exp(lu - mx));
      post[p] = Math.exp(lm - lse);
      ll += (counts[p] as number) * lse;
    }
    logLikelihood.push(ll);
    // M-step.
    let matchMass = 0;
    for (const acc of mAcc) acc.fill(0);
    for (let p = 0; p < size; p++) {
      const w = (post[p] as number) * (counts[p] as number);
      matchMass += w;
      const base = p * c;
      for (let k = 0; k < c; k++) {
        const g = rows[base + k] as number;
        if (g === 0) continue;
        const acc = mAcc[k] as Float64Array;
        acc[g - 1] = (acc[g - 1] as number) + w;
      }
    }
    let delta = 0;
    const newLambda = Math.min(1 - 1e-12, Math.max(1e-12, (matchMass + priorA - 1) / (total + priorA + priorB - 2)));
    delta = Math.max(delta, Math.abs(newLambda - lambda));
    lambda = newLambda;
    for (let k = 0; k < c; k++) {
      const acc = mAcc[k] as Float64Array;
      const mk = m[k] as Float64Array;
      let sum = 0;
      for (const v of acc) sum += v;
      const denom = sum + alpha * acc.length;
      for (let l = 0; l < acc.length; l++) {
        const v = denom > 0 ? ((acc[l] as number) + alpha) / denom : 1 / acc.length;
        delta = Math.max(delta, Math.abs(v - (mk[l] as number)));
        mk[l] = v;
      }
    }
    if (delta < tol) {
      converged = true;
      break;
    }
  }
  return { m, lambda, iterations, converged, logLikelihood };
}

// ---------------------------------------------------------------------------------------------------------------
// Model and scoring
// ---------------------------------------------------------------------------------------------------------------

export function probabilityFromWeight(w: number): number {
  return 1 / (1 + 2 ** -w);
}

export function weightFromProbability(p: number): number {
  return Math.log2(p / (1 - p));
}

/** A fitted Fellegi–Sunter model. */
export class FellegiSunterModel {
  readonly comparisons: readonly Comparison[];
  readonly m: readonly Float64Array[];
  readonly u: readonly Float64Array[];
  /** Prior probability that a pair is a match (the population the weights are calibrated for). */
  readonly lambda: number;
  /** log2(m/u) per comparison and level index + 1 (index 0, the null level, is 0). */
  readonly logBayesFactors: Float64Array[];
  readonly priorWeight: number;

  constructor(
    comparisons: readonly Comparison[],
    m: readonly Float64Array[],
    u: readonly Float64Array[],
    lambda: number,
  ) {
    this.comparisons = comparisons;
    this.m = m;
    this.u = u;
    this.lambda = lambda;
    this.priorWeight = Math.log2(lambda / (1 - lambda));
    this.logBayesFactors = comparisons.map((cmp, k) => {
      const t = new Float64Array(cmp.levels.length + 1);
      for (let l = 0; l < cmp.levels.length; l++) {
        t[l + 1] = Math.log2(((m[k] as Float64Array)[l] as number) / ((u[k] as Float64Array)[l] as number));
      }
      return t;
    });
  }

  /** Match weight of one comparison vector (row `p` of a gamma matrix). */
  weightOfGammas(gammas: Uint8Array, p: number): number {
    const c = this.comparisons.length;
    let w = this.priorWeight;
    const base = p * c;
    for (let k = 0; k < c; k++) w += (this.logBayesFactors[k] as Float64Array)[gammas[base + k] as number] as number;
    return w;
  }

  /** Match weight of two records compared now. */
  weight(a: PreparedRecord, b: PreparedRecord): number {
    let w = this.priorWeight;
    for (let k = 0; k < this.comparisons.length; k++) {
      const g = (this.comparisons[k] as Comparison).compare(a, b) + 1;
      w += (this.logBayesFactors[k] as Float64Array)[g] as number;
    }
    return w;
  }

  /** Weights of all pairs of a gamma matrix. */
  scoreAll(gammas: Uint8Array): Float64Array {
    const c = this.comparisons.length;
    const count = c === 0 ? 0 : gammas.length / c;
    const out = new Float64Array(count);
    for (let p = 0; p < count; p++) out[p] = this.weightOfGammas(gammas, p);
    return out;
  }

  /** m, u and Bayes factors per comparison level, for reports. */
  describe(): {
    prior: number;
    comparisons: { name: string; levels: { level: string; m: number; u: number; bayesFactor: number }[] }[];
  } {
    return {
      prior: this.lambda,
      comparisons: this.comparisons.map((cmp, k) => ({
        name: cmp.name,
        levels: cmp.levels.map((level, l) => {
          const m = (this.m[k] as Float64Array)[l] as number;
          const u = (this.u[k] as Float64Array)[l] as number;
          return { level, m, u, bayesFactor: m / u };
        }),
      })),
    };
  }
}

export const linkageOptionsSchema = z.object({
  /** Number of random pairs for u. */
  uSamplePairs: z.number().int().positive().default(500_000),
  seed: z.number().int().default(42),
  maxEmIterations: z.number().int().positive().default(200),
  emTolerance: z.number().positive().default(1e-6),
  /** Beta prior on lambda, used in the training sessions and for the global lambda. */
  lambdaPrior: z.object({ alpha: z.number().min(1), beta: z.number().min(1) }).default({ alpha: 1, beta: 1 }),
  mPseudoCount: z.number().min(0).default(0.1),
  uPseudoCount: z.number().min(0).default(1),
  /** Blocking rules with fewer pairs than this do not get their own EM training session. */
  minSessionPairs: z.number().int().positive().default(20),
});
export type LinkageOptions = z.input<typeof linkageOptionsSchema>;

export interface EmSession {
  /** Blocking rule whose pairs trained this session ("all candidates" for the fallback session). */
  rule: string;
  pairs: number;
  /** Comparisons held out because the rule blocks on their role. */
  heldOut: string[];
  lambda: number;
  iterations: number;
  converged: boolean;
}

export interface TrainedLinkage {
  model: FellegiSunterModel;
  sessions: EmSession[];
  /** Aggregate over the sessions. */
  em: { iterations: number; converged: boolean };
  u: UEstimate;
  /** Expected matches among the candidate pairs divided by their number. */
  lambdaCandidates: number;
  /** Probability that two random records match (the prior of the weights). */
  lambdaGlobal: number;
  /** Expected number of matching pairs (sum of candidate posteriors). */
  expectedMatches: number;
  gammas: Uint8Array;
  weights: Float64Array;
}

/**
 * Estimate the model and score every candidate pair.
 *
 *  - u: random pairs (`estimateU`).
 *  - m: one EM session per blocking rule with at least `minSessionPairs` pairs, over all candidate pairs sharing that
 *    rule's key, with the comparisons of the rule's roles held out (blocking forces their agreement, so those pairs
 *    carry no information on their m). Each comparison's m is the average over the sessions that estimated it,
 *    weighted by the session's expected number of matches. A comparison held out everywhere is estimated by a
 *    fallback session over all candidate pairs.
 *  - lambda (probability that two random records match): EM fixed point over all n(n-1)/2 pairs with m and u fixed,
 *    where non-candidate pairs are taken as non-matches: lambda = (Σ_candidates P(match | γ, lambda) + α - 1) /
 *    (allPairs + α + β - 2).
 *  - weight = log2(lambda / (1 - lambda)) + Σ log2(m/u); probability = 2^w / (1 + 2^w).
 */
export function trainAndScore(
  records: readonly PreparedRecord[],
  pairs: CandidatePairs,
  comparisons: readonly Comparison[],
  options: LinkageOptions = {},
  rules: readonly BlockingRule[] = [],
): TrainedLinkage {
  const o = linkageOptionsSchema.parse(options);
  const c = comparisons.length;
  const u = estimateU(records, comparisons, { samplePairs: o.uSamplePairs, seed: o.seed, pseudoCount: o.uPseudoCount });
  const gammas = computeGammas(records, pairs.a, pairs.b, comparisons);
  const emOptions: EmOptions = {
    maxIterations: o.maxEmIterations,
    tolerance: o.emTolerance,
    lambdaPrior: o.lambdaPrior,
    mPseudoCount: o.mPseudoCount,
  };
  const mSum = comparisons.map((cmp) => new Float64Array(cmp.levels.length));
  const mWeight = new Float64Array(c);
  const sessions: EmSession[] = [];
  const runSession = (name: string, members: Int32Array, heldOut: boolean[]): void => {
    const sub = new Uint8Array(members.length * c);
    for (let q = 0; q < members.length; q++) {
      const src = (members[q] as number) * c;
      for (let k = 0; k < c; k++) sub[q * c + k] = heldOut[k] ? 0 : (gammas[src + k] as number);
    }
    const em = estimateM(compressGammas(sub, comparisons), comparisons, u.u, emOptions);
    const weight = Math.max(em.lambda * members.length, 1e-9);
    for (let k = 0; k < c; k++) {
      if (heldOut[k]) continue;
      const acc = mSum[k] as Float64Array;
      const mk = em.m[k] as Float64Array;
      for (let l = 0; l < acc.length; l++) acc[l] = (acc[l] as number) + weight * (mk[l] as number);
      mWeight[k] = (mWeight[k] as number) + weight;
    }
    sessions.push({
      rule: name,
      pairs: members.length,
      heldOut: comparisons.filter((_, k) => heldOut[k]).map((cmp) => cmp.name),
      lambda: em.lambda,
      iterations: em.iterations,
      converged: em.converged,
    });
  };
  rules.forEach((rule, r) => {
    const keys = pairs.keyIds[r];
    if (keys === undefined) return;
    const heldOut = comparisons.map((cmp) => cmp.role !== undefined && (rule.roles ?? []).includes(cmp.role));
    if (heldOut.every(Boolean)) return;
    let size = 0;
    for (let p = 0; p < pairs.count; p++) {
      const ka = keys[pairs.a[p] as number] as number;
      if (ka >= 0 && ka === keys[pairs.b[p] as number]) size++;
    }
    if (size < o.minSessionPairs) return;
    const members = new Int32Array(size);
    let q = 0;
    for (let p = 0; p < pairs.count; p++) {
      const ka = keys[pairs.a[p] as number] as number;
      if (ka >= 0 && ka === keys[pairs.b[p] as number]) members[q++] = p;
    }
    runSession(rule.name, members, heldOut);
  });
  if (Array.from(mWeight).some((w) => w === 0) && pairs.count > 0) {
    const all = new Int32Array(pairs.count);
    for (let p = 0; p < pairs.count; p++) all[p] = p;
    const missing = Array.from(mWeight, (w) => w !== 0);
    runSession('all candidates', all, missing);
  }
  const m = comparisons.map((cmp, k) => {
    const w = mWeight[k] as number;
    if (w === 0) return defaultInitialM(cmp.levels.length);
    return Float64Array.from(mSum[k] as Float64Array, (v) => v / w);
  });
  // Global lambda by fixed point over the distinct candidate comparison vectors.
  const patterns = compressGammas(gammas, comparisons);
  const bf = new Float64Array(patterns.size);
  {
    const tmp = new FellegiSunterModel(comparisons, m, u.u, 0.5);
    for (let p = 0; p < patterns.size; p++) bf[p] = tmp.weightOfGammas(patterns.patterns, p);
  }
  const allPairs = Math.max(pairs.allPairs, 1);
  const alpha = o.lambdaPrior.alpha;
  const beta = o.lambdaPrior.beta;
  let lambda = Math.min(0.5, Math.max(1e-12, (0.5 * pairs.count) / allPairs));
  let expected = 0;
  for (let it = 0; it < 1000; it++) {
    const prior = Math.log2(lambda / (1 - lambda));
    expected = 0;
    for (let p = 0; p < patterns.size; p++) {
      expected += (patterns.counts[p] as number) * probabilityFromWeight(prior + (bf[p] as number));
    }
    const next = Math.min(1 - 1e-12, Math.max(1e-15, (expected + alpha - 1) / (allPairs + alpha + beta - 2)));
    const moved = Math.abs(next - lambda) / lambda;
    lambda = next;
    if (moved < 1e-9) break;
  }
  const model = new FellegiSunterModel(comparisons, m, u.u, lambda);
  const weights = new Float64Array(pairs.count);
  for (let p = 0; p < pairs.count; p++)
    weights[p] = model.priorWeight + (bf[patterns.patternOf[p] as number] as number);
  return {
    model,
    sessions,
    em: {
      iterations: sessions.reduce((s, x) => s + x.iterations, 0),
      converged: sessions.every((x) => x.converged),
    },
    u,
    lambdaCandidates: pairs.count === 0 ? 0 : expected / pairs.count,
    lambdaGlobal: lambda,
    expectedMatches: expected,
    gammas,
    weights,
  };
}
