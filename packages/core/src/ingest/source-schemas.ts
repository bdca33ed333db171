/**
 * Declared, versioned schemas of the source files Lingxi imports (batch ingest, PRODUCT.md §A).
 *
 * Each source (`core_banking_customers`, `core_banking_accounts`, `transactions`, `app_events`) has numbered versions;
 * a version lists its fields with type, whether required, data class (rulebook P8: C1/C2 — C3 is never accepted) and
 * validation. A row is validated by a zod schema compiled from the field list and the per-field options of a column
 * mapping (date format, money unit, enum value maps, constant defaults); every problem names the field and the reason.
 *
 * Pure: no I/O. `node:crypto` is used only to hash non-numeric natural keys into stable 64-bit ids.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normaliseResidentId, parseResidentId, type ResidentIdInvalidReason } from '../identity/resident-id.ts';
import { maskIdNumber } from '../pii/masking.ts';

export const SOURCE_NAMES = ['core_banking_customers', 'core_banking_accounts', 'transactions', 'app_events'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Where the rows of a source are loaded. */
export type SourceTarget = 'customers' | 'accounts' | 'transactions' | 'app_events';

export const FIELD_TYPES = [
  'text',
  'code',
  'enum',
  'integer',
  'id64',
  'money',
  'date',
  'timestamp',
  'boolean',
  'id_document',
  'mobile',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type DataClass = 'C1' | 'C2';

/** A value as read from a file: CSV gives strings; JSON Lines and Parquet also give numbers, booleans, dates. */
export type RawValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | null
  | undefined
  | readonly unknown[]
  | { readonly [key: string]: unknown };
/** A validated value: money in integer fen, dates `YYYY-MM-DD`, timestamps ISO 8601 UTC, id64 as decimal string. */
export type TypedValue = string | number | boolean | null;

export const DATE_FORMATS = ['auto', 'YYYY-MM-DD', 'YYYYMMDD', 'YYYY/MM/DD'] as const;
export const TIMESTAMP_FORMATS = ['auto', 'epoch_s', 'epoch_ms'] as const;
export const MONEY_UNITS = ['yuan', 'fen'] as const;

/** `Asia/Shanghai` (fixed +08:00, no DST), `UTC`, or a fixed offset `+HH:MM`. */
export const timezoneSchema = z
  .string()
  .regex(/^(?:Asia\/Shanghai|UTC|[+-](?:0\d|1[0-4]):[0-5]\d)$/, 'expected Asia/Shanghai, UTC or an offset like +08:00');

/** Per-field options of a column mapping. */
export const fieldOptionsSchema = z
  .object({
    /** The file's column holding this field (default: the field name or one of its aliases). */
    column: z.string().min(1).optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    timestampFormat: z.enum(TIMESTAMP_FORMATS).optional(),
    /** Time zone of timestamps without an offset (default Asia/Shanghai). */
    timezone: timezoneSchema.optional(),
    unit: z.enum(MONEY_UNITS).optional(),
    /** Maps the bank's values to ours before validation, e.g. `{ 男: M, 女: F }`. */
    values: z.record(z.string(), z.string()).optional(),
    /** Constant used when the column is absent or the cell empty. */
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .strict();
export type FieldOptions = z.infer<typeof fieldOptionsSchema>;

export interface FieldSpec {
  type: FieldType;
  required: boolean;
  dataClass: DataClass;
  description: string;
  /** A direct identifier (name, ID number, phone, account number): its value is never echoed in a reason. */
  identifying?: boolean;
  enumValues?: readonly string[];
  /** Built-in value map applied before `enumValues` (keys compared as given and lower-cased). */
  builtinValues?: Readonly<Record<string, string>>;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Default money unit (yuan unless stated). */
  unit?: (typeof MONEY_UNITS)[number];
  /** Default when absent (after the mapping's own default). */
  default?: TypedValue;
  /** id64 only: non-numeric keys are hashed to a stable 64-bit id instead of being rejected. */
  hashNonNumeric?: boolean;
  /** Other column names recognised without a mapping, with the options they imply (e.g. `amount_fen` → fen). */
  aliases?: readonly { column: string; options?: FieldOptions }[];
  /** Missing values may be derived from another field (e.g. birth date from the resident ID). */
  derivableFrom?: string;
}

export interface SourceSchema<Row extends Record<string, TypedValue> = Record<string, TypedValue>> {
  source: SourceName;
  version: number;
  target: SourceTarget;
  description: string;
  /** Field(s) identifying a row: re-importing a row with a known key adds nothing. */
  naturalKey: keyof Row & string;
  fields: { readonly [K in keyof Row & string]: FieldSpec };
  /** Checks across fields after each field validated (and derivations, e.g. gender from the resident ID). */
  crossCheck?: (row: Row, ctx: CrossCheckContext) => void;
}

export interface CrossCheckContext {
  issue(field: string, reason: string): void;
}

export interface RowIssue {
  field: string;
  /** `<field>: <what is wrong>` — never a direct identifier's value. */
  reason: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Row types of each source (v1)

export const GENDERS = ['M', 'F'] as const;
export const ID_TYPES = [
  'resident_id',
  'passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_permanent',
  'other',
] as const;
export const HOUSING = ['own', 'rent', 'family', 'other'] as const;
export const RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export const ACCOUNT_KINDS = ['current', 'savings', 'business', 'payroll'] as const;
export const ACCOUNT_STATUSES = ['open', 'dormant', 'closed'] as const;
export const DIRECTIONS = ['in', 'out'] as const;

export interface CustomerRow extends Record<string, TypedValue> {
  cif: string;
  name: string;
  gender: (typeof GENDERS)[number];
  birth_date: string;
  id_type: (typeof ID_TYPES)[number];
  id_number: string | null;
  mobile: string | null;
  province: string;
  city: string;
  county_level: boolean | null;
  city_tier: number | null;
  address: string | null;
  occupation: string;
  industry: string | null;
  employer_type: string | null;
  education: string | null;
  marital_status: string | null;
  children_count: number | null;
  housing: (typeof HOUSING)[number] | null;
  city_since: string | null;
  monthly_income: number | null;
  onboarded_at: string | null;
  home_branch: string | null;
  risk_level: (typeof RISK_LEVELS)[number] | null;
  risk_assessed_at: string | null;
}

export interface AccountRow extends Record<string, TypedValue> {
  account_id: string;
  cif: string;
  account_no: string;
  kind: (typeof ACCOUNT_KINDS)[number];
  branch: string | null;
  opened_at: string;
  closed_at: string | null;
  balance: number;
  status: (typeof ACCOUNT_STATUSES)[number];
}

export interface TransactionRow extends Record<string, TypedValue> {
  txn_id: string;
  cif: string | null;
  customer_id: number | null;
  account_id: string;
  ts: string;
  amount: number;
  direction: (typeof DIRECTIONS)[number];
  channel: string;
  txn_type: string;
  merchant_category: string;
  counterparty_type: string;
  cross_border: boolean;
}

export interface AppEventRow extends Record<string, TypedValue> {
  event_id: string;
  cif: string | null;
  customer_id: number | null;
  ts: string;
  event_type: string;
  page: string;
  product_id: string;
  product_family: string;
  session_id: string;
  duration_s: number;
  device_id: string;
  ip: string;
}

export interface SourceRows {
  core_banking_customers: CustomerRow;
  core_banking_accounts: AccountRow;
  transactions: TransactionRow;
  app_events: AppEventRow;
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers

const f = (type: FieldType, dataClass: DataClass, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type,
  required: false,
  dataClass,
  description,
  ...extra,
});
const req = (type: FieldType, dataClass: DataClass, description: string, extra: Partial<FieldSpec> = {}): FieldSpec =>
  f(type, dataClass, description, { ...extra, required: true });

const GENDER_VALUES: Record<string, string> = {
  男: 'M',
  女: 'F',
  m: 'M',
  f: 'F',
  male: 'M',
  female: 'F',
  '1': 'M', // GB/T 2261.1: 1 male, 2 female
  '2': 'F',
};
const ID_TYPE_VALUES: Record<string, string> = {
  身份证: 'resident_id',
  居民身份证: 'resident_id',
  护照: 'passport',
  港澳居民来往内地通行证: 'hk_macao_permit',
  港澳居民居住证: 'hk_macao_permit',
  台湾居民来往大陆通行证: 'taiwan_permit',
  台湾居民居住证: 'taiwan_permit',
  外国人永久居留身份证: 'foreign_permanent',
  其他: 'other',
};
const HOUSING_VALUES: Record<string, string> = {
  自有: 'own',
  自有住房: 'own',
  租房: 'rent',
  租赁: 'rent',
  与父母同住: 'family',
  家庭: 'family',
  其他: 'other',
};
const RISK_VALUES: Record<string, string> = { '1': 'C1', '2': 'C2', '3': 'C3', '4': 'C4', '5': 'C5' };
const KIND_VALUES: Record<string, string> = {
  活期: 'current',
  结算户: 'current',
  定期: 'savings',
  储蓄: 'savings',
  对公: 'business',
  经营: 'business',
  代发: 'payroll',
  工资: 'payroll',
};
const ACCOUNT_STATUS_VALUES: Record<string, string> = {
  正常: 'open',
  久悬: 'dormant',
  睡眠: 'dormant',
  不动户: 'dormant',
  销户: 'closed',
  已销户: 'closed',
};
/** 借 (debit) takes money out of the customer's account, 贷 (credit) puts it in — as on a Chinese statement. */
const DIRECTION_VALUES: Record<string, string> = {
  收: 'in',
  收入: 'in',
  入: 'in',
  转入: 'in',
  贷: 'in',
  credit: 'in',
  cr: 'in',
  c: 'in',
  支: 'out',
  支出: 'out',
  出: 'out',
  转出: 'out',
  借: 'out',
  debit: 'out',
  dr: 'out',
  d: 'out',
};

// ---------------------------------------------------------------------------------------------------------------
// Source schemas, v1

export const customersV1: SourceSchema<CustomerRow> = {
  source: 'core_banking_customers',
  version: 1,
  target: 'customers',
  description: 'Core-banking customer master (客户信息): one row per customer number (CIF).',
  naturalKey: 'cif',
  fields: {
    cif: req('code', 'C1', 'core-banking customer number (客户号)', { maxLength: 64 }),
    name: req('text', 'C2', 'full name (姓名)', { identifying: true, maxLength: 100 }),
    gender: req('enum', 'C2', 'M or F (derived from the resident ID when absent)', {
      enumValues: GENDERS,
      builtinValues: GENDER_VALUES,
      derivableFrom: 'id_number',
    }),
    birth_date: req('date', 'C2', 'date of birth (derived from the resident ID when absent)', {
      derivableFrom: 'id_number',
    }),
    id_type: f('enum', 'C2', 'ID document type; only resident_id numbers are checked against GB 11643', {
      enumValues: ID_TYPES,
      builtinValues: ID_TYPE_VALUES,
      default: 'resident_id',
    }),
    id_number: f('id_document', 'C2', 'ID document number (证件号码); resident IDs pass the GB 11643 checksum', {
      identifying: true,
      maxLength: 40,
    }),
    mobile: f('mobile', 'C2', 'mainland mobile number (11 digits, +86 prefix allowed)', { identifying: true }),
    province: req('text', 'C2', 'province of residence', { maxLength: 40 }),
    city: req('text', 'C2', 'city of residence', { maxLength: 40 }),
    county_level: f('boolean', 'C1', 'lives in a county-level area (县域)'),
    city_tier: f('integer', 'C1', 'city tier 1–4 (derived from the city when absent)', { min: 1, max: 4 }),
    address: f('text', 'C2', 'postal address (kept encrypted in the source record only)', {
      identifying: true,
      maxLength: 300,
    }),
    occupation: f('text', 'C2', 'occupation (职业)', { maxLength: 60, default: 'unknown' }),
    industry: f('text', 'C2', 'industry of employer', { maxLength: 60 }),
    employer_type: f('text', 'C2', 'employer type', { maxLength: 60 }),
    education: f('text', 'C2', 'highest education', { maxLength: 40 }),
    marital_status: f('text', 'C2', 'marital status', { maxLength: 20 }),
    children_count: f('integer', 'C2', 'number of children', { min: 0, max: 20 }),
    housing: f('enum', 'C2', 'own | rent | family | other', { enumValues: HOUSING, builtinValues: HOUSING_VALUES }),
    city_since: f('date', 'C2', 'moved to the current city on'),
    monthly_income: f('money', 'C2', 'monthly income (yuan, or fen with unit: fen)', {
      min: 0,
      aliases: [{ column: 'monthly_income_fen', options: { unit: 'fen' } }],
    }),
    onboarded_at: f('date', 'C1', 'first account opened on (开户日期)'),
    home_branch: f('code', 'C1', 'home branch id (must exist in branches)', { maxLength: 64 }),
    risk_level: f('enum', 'C1', 'risk assessment level C1–C5', { enumValues: RISK_LEVELS, builtinValues: RISK_VALUES }),
    risk_assessed_at: f('timestamp', 'C1', 'time of the last risk assessment'),
  },
  crossCheck(row, ctx) {
    if (row.id_number !== null && row.id_type === 'resident_id') {
      const r = parseResidentId(row.id_number);
      if (!r.valid) {
        ctx.issue('id_number', `${residentIdReason(r.reason, r.detail)} (${maskIdNumber(row.id_number)})`);
        return;
      }
      row.id_number = r.id;
      const idGender = r.gender === 'male' ? 'M' : 'F';
      if ((row.birth_date as string | null) === null) row.birth_date = r.birthDate;
      else if (row.birth_date !== r.birthDate)
        ctx.issue('birth_date', `${row.birth_date} differs from the birth date encoded in id_number`);
      if ((row.gender as string | null) === null) row.gender = idGender;
      else if (row.gender !== idGender)
        ctx.issue('gender', `'${row.gender}' differs from the gender encoded in id_number`);
    }
    if ((row.birth_date as string | null) === null)
      ctx.issue('birth_date', 'required field is missing or empty (and no valid resident ID to derive it from)');
    if ((row.gender as string | null) === null)
      ctx.issue('gender', 'required field is missing or empty (and no valid resident ID to derive it from)');
  },
};

export const accountsV1: SourceSchema<AccountRow> = {
  source: 'core_banking_accounts',
  version: 1,
  target: 'accounts',
  description: 'Core-banking deposit accounts (账户信息): one row per account.',
  naturalKey: 'account_id',
  fields: {
    account_id: req('id64', 'C1', 'account id in the core system (numeric; other keys are hashed)', {
      hashNonNumeric: true,
    }),
    cif: req('code', 'C1', 'owner customer number (must be imported first)', { maxLength: 64 }),
    account_no: req('text', 'C2', 'account number (stored only as keyed hash and masked)', {
      identifying: true,
      maxLength: 40,
    }),
    kind: req('enum', 'C1', 'current | savings | business | payroll', {
      enumValues: ACCOUNT_KINDS,
      builtinValues: KIND_VALUES,
    }),
    branch: f('code', 'C1', 'opening branch id (must exist in branches)', { maxLength: 64 }),
    opened_at: req('date', 'C1', 'opening date'),
    closed_at: f('date', 'C1', 'closing date'),
    balance: f('money', 'C2', 'current balance (yuan, or fen with unit: fen)', {
      default: 0,
      aliases: [{ column: 'balance_fen', options: { unit: 'fen' } }],
    }),
    status: f('enum', 'C1', 'open | dormant | closed', {
      enumValues: ACCOUNT_STATUSES,
      builtinValues: ACCOUNT_STATUS_VALUES,
      default: 'open',
    }),
  },
  crossCheck(row, ctx) {
    if (row.closed_at !== null && row.closed_at < row.opened_at)
      ctx.issue('closed_at', `${row.closed_at} is before opened_at ${row.opened_at}`);
  },
};

const customerRefCheck = (row: { cif: string | null; customer_id: number | null }, ctx: CrossCheckContext) => {
  if (row.cif === null && row.customer_id === null)
    ctx.issue('cif', 'required field is missing or empty (give cif or customer_id)');
};

const codeField = (description: string, required: boolean, extra: Partial<FieldSpec> = {}): FieldSpec =>
  required ? req('code', 'C2', description, { maxLength: 64, ...extra }) : f('code', 'C2', description, extra);

export const transactionsV1: SourceSchema<TransactionRow> = {
  source: 'transactions',
  version: 1,
  target: 'transactions',
  description: 'Card and account transactions (交易流水) with merchant category.',
  naturalKey: 'txn_id',
  fields: {
    txn_id: req('id64', 'C1', 'transaction serial (流水号; numeric, other keys are hashed)', { hashNonNumeric: true }),
    cif: f('code', 'C1', 'customer number (or customer_id)', { maxLength: 64 }),
    customer_id: f('integer', 'C1', 'Lingxi customer id (or cif)', { min: 1, max: 4_294_967_295 }),
    account_id: f('id64', 'C1', 'account id (0 when unknown)', { hashNonNumeric: true, default: '0' }),
    ts: req('timestamp', 'C1', 'transaction time (no offset: Asia/Shanghai unless the mapping says otherwise)'),
    amount: req('money', 'C2', 'amount, non-negative (yuan with up to 2 decimals, or fen with unit: fen)', {
      min: 0,
      aliases: [{ column: 'amount_fen', options: { unit: 'fen' } }],
    }),
    direction: req('enum', 'C2', 'in | out (借 = out, 贷 = in)', {
      enumValues: DIRECTIONS,
      builtinValues: DIRECTION_VALUES,
    }),
    channel: codeField('channel code, e.g. pos, atm, mobile, online, counter', true),
    txn_type: codeField('transaction type code, e.g. purchase, transfer, salary, repayment', true),
    merchant_category: codeField('merchant category (MCC group), empty when not a purchase', false, {
      maxLength: 64,
      default: '',
    }),
    counterparty_type: codeField('counterparty type code', false, { maxLength: 64, default: '' }),
    cross_border: f('boolean', 'C2', 'cross-border transaction', { default: false }),
  },
  crossCheck: customerRefCheck,
};

export const appEventsV1: SourceSchema<AppEventRow> = {
  source: 'app_events',
  version: 1,
  target: 'app_events',
  description: 'Mobile app / web behaviour events (埋点).',
  naturalKey: 'event_id',
  fields: {
    event_id: req('id64', 'C1', 'event id (numeric; other keys are hashed)', { hashNonNumeric: true }),
    cif: f('code', 'C1', 'customer number (or customer_id)', { maxLength: 64 }),
    customer_id: f('integer', 'C1', 'Lingxi customer id (or cif)', { min: 1, max: 4_294_967_295 }),
    ts: req('timestamp', 'C1', 'event time'),
    event_type: req('code', 'C1', 'event type, e.g. login, view_product, search, purchase', { maxLength: 64 }),
    page: f('text', 'C1', 'page or screen', { maxLength: 200, default: '' }),
    product_id: f('text', 'C1', 'product viewed', { maxLength: 64, default: '' }),
    product_family: f('code', 'C1', 'product family of the product viewed', { maxLength: 64, default: '' }),
    session_id: f('text', 'C1', 'session id', { maxLength: 128, default: '' }),
    duration_s: f('integer', 'C1', 'time on page in seconds', { min: 0, max: 4_294_967_295, default: 0 }),
    device_id: f('text', 'C2', 'device id (anti-fraud only, rule A1)', { maxLength: 128, default: '' }),
    ip: f('text', 'C2', 'client IP (anti-fraud only, rule A1)', { maxLength: 64, default: '' }),
  },
  crossCheck: customerRefCheck,
};

type SchemaRegistry = { [S in SourceName]: readonly SourceSchema<SourceRows[S]>[] };

/** Every declared version of every source, oldest first. */
export const sourceSchemas: SchemaRegistry = {
  core_banking_customers: [customersV1],
  core_banking_accounts: [accountsV1],
  transactions: [transactionsV1],
  app_events: [appEventsV1],
};

export class SourceSchemaError extends Error {
  override name = 'SourceSchemaError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The schema of a source at a version (default: the latest). */
export function getSourceSchema<S extends SourceName>(source: S, version?: number): SourceSchema<SourceRows[S]> {
  const versions = sourceSchemas[source] as readonly SourceSchema<SourceRows[S]>[];
  if (version === undefined) return versions[versions.length - 1] as SourceSchema<SourceRows[S]>;
  const found = versions.find((s) => s.version === version);
  if (!found)
    throw new SourceSchemaError(
      'schemaVersion',
      `${source} has no version ${version} (known: ${versions.map((s) => s.version).join(', ')})`,
    );
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// C3 detection (rule P8: authentication data is never stored — a file carrying such a column is refused)

/** Column-name tokens that denote authentication data. */
const C3_TOKENS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'passcode',
  'pin',
  'pincode',
  'otp',
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cvn',
  'cvn2',
  'cav2',
  'cvd',
  'track1',
  'track2',
  'track3',
  'magstripe',
  'biometric',
  'biometrics',
  'fingerprint',
  'faceprint',
  'iris',
  'voiceprint',
]);
/** Adjacent token pairs that denote authentication data. */
const C3_PAIRS: readonly (readonly [string, string])[] = [
  ['card', 'expiry'],
  ['card', 'exp'],
  ['card', 'expiration'],
  ['exp', 'date'],
  ['expiry', 'date'],
  ['expiration', 'date'],
  ['exp', 'month'],
  ['exp', 'year'],
  ['valid', 'thru'],
  ['track', 'data'],
  ['mag', 'stripe'],
  ['face', 'template'],
  ['face', 'feature'],
  ['chip', 'data'],
  ['pin', 'block'],
  ['security', 'code'],
  ['card', 'verification'],
];
/** Substrings (of the lower-cased name without separators) that are unambiguous. */
const C3_SUBSTRINGS: readonly string[] = [
  'password',
  'passwd',
  'cvv',
  'cvc2',
  'cvn2',
  'magstripe',
  'fingerprint',
  'biometric',
  'faceprint',
  'voiceprint',
  'trackdata',
  'track1',
  'track2',
  'cardexpiry',
  'expdate',
  'expirydate',
  'pinblock',
];
/** Chinese terms. 有效期 (expiry) is C3 for cards; an ID document's validity (证件有效期) is C2 and allowed. */
const C3_CHINESE: readonly string[] = [
  '密码',
  '口令',
  '安全码',
  '验证码',
  '磁道',
  '磁条',
  '指纹',
  '人脸',
  '面部特征',
  '虹膜',
  '声纹',
  '生物特征',
  '芯片数据',
];

function columnTokens(column: string): string[] {
  return column
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** The C3 term a column name matches, or null. */
export function c3Match(column: string): string | null {
  const tokens = columnTokens(column);
  for (const t of tokens) if (C3_TOKENS.has(t)) return t;
  for (let i = 0; i + 1 < tokens.length; i++) {
    for (const [a, b] of C3_PAIRS) if (tokens[i] === a && tokens[i + 1] === b) return `${a}_${b}`;
  }
  const compact = column.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const s of C3_SUBSTRINGS) if (compact.includes(s)) return s;
  for (const s of C3_CHINESE) if (column.includes(s)) return s;
  const expiry = column.indexOf('有效期');
  if (expiry !== -1 && !/(?:证件|身份证|证照)$/.test(column.slice(0, expiry))) return '有效期';
  return null;
}

export interface C3Finding {
  column: string;
  matched: string;
  reason: string;
}

/** Columns of a file that hold C3 authentication data (rule P8). Any finding refuses the whole file. */
export function findC3Columns(columns: readonly string[]): C3Finding[] {
  const out: C3Finding[] = [];
  for (const column of columns) {
    const matched = c3Match(column);
    if (matched !== null)
      out.push({
        column,
        matched,
        reason: `column '${column}' is C3 authentication data (matches '${matched}'); rule P8 forbids storing it`,
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Value parsers. Each returns the typed value or a reason (without the field prefix).

type Parsed = { ok: true; value: TypedValue } | { ok: false; reason: string };
const ok = (value: TypedValue): Parsed => ({ ok: true, value });
const bad = (reason: string): Parsed => ({ ok: false, reason });

function quote(spec: FieldSpec, v: string): string {
  if (spec.identifying) return `(${Array.from(v).length} characters)`;
  const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  return `'${shown}'`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1880 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return d <= days;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function offsetMinutes(tz: string): number {
  if (tz === 'UTC') return 0;
  if (tz === 'Asia/Shanghai') return 480;
  const sign = tz.startsWith('-') ? -1 : 1;
  return sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
}

const DATE_PATTERNS: Record<Exclude<(typeof DATE_FORMATS)[number], 'auto'>, RegExp> = {
  'YYYY-MM-DD': /^(\d{4})-(\d{2})-(\d{2})$/,
  YYYYMMDD: /^(\d{4})(\d{2})(\d{2})$/,
  'YYYY/MM/DD': /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
};

function parseDate(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  const tz = offsetMinutes(opts.timezone ?? 'Asia/Shanghai');
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return bad('not a date (invalid date value)');
    const local = new Date(v.getTime() + tz * 60_000);
    return ok(`${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`);
  }
  const s = String(v).trim();
  const format = opts.dateFormat ?? 'auto';
  const formats =
    format === 'auto' ? (['YYYY-MM-DD', 'YYYYMMDD', 'YYYY/MM/DD'] as const) : ([format] as const satisfies unknown);
  const expected = format === 'auto' ? 'YYYY-MM-DD or YYYYMMDD' : format;
  for (const fmt of formats) {
    const m = DATE_PATTERNS[fmt].exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!validYmd(y, mo, d)) break;
    return ok(`${m[1]}-${pad(mo)}-${pad(d)}`);
  }
  return bad(`not a date (expected ${expected}): ${quote(spec, s)}`);
}

const TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TS_COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

function parseTimestamp(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  const format = opts.timestampFormat ?? 'auto';
  const expected =
    format === 'auto' ? 'ISO 8601, YYYY-MM-DD HH:MM:SS or YYYYMMDDHHMMSS' : `${format} (a number of seconds/ms)`;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return bad('not a timestamp (invalid date value)');
    return ok(v.toISOString());
  }
  const s = String(v).trim();
  if (format !== 'auto') {
    if (!/^\d{1,16}$/.test(s)) return bad(`not a timestamp (expected ${expected}): ${quote(spec, s)}`);
    const ms = format === 'epoch_s' ? Number(s) * 1000 : Number(s);
    const d = new Date(ms);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() > 2100) return bad(`timestamp out of range: ${quote(spec, s)}`);
    return ok(d.toISOString());
  }
  let parts: string[] | null = null;
  let offset: string | undefined;
  if (s.length === 19 && s[4] === '-' && s[7] === '-' && (s[10] === ' ' || s[10] === 'T') && s[13] === ':') {
    // fast path for the most common shape, `YYYY-MM-DD HH:MM:SS` (the full pattern below is the reference)
    const [y, mo, d, h, mi, se] = [
      s.slice(0, 4),
      s.slice(5, 7),
      s.slice(8, 10),
      s.slice(11, 13),
      s.slice(14, 16),
      s.slice(17),
    ];
    if (/^\d+$/.test(y + mo + d + h + mi + se) && s[16] === ':') parts = [y, mo, d, h, mi, se, '0'];
  }
  const m = parts === null ? TS_RE.exec(s) : null;
  if (m) {
    parts = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00', m[6] ?? '00', m[7] ?? '0'] as string[];
    offset = m[8];
  } else if (parts === null) {
    const c = TS_COMPACT_RE.exec(s);
    if (c) parts = [c[1], c[2], c[3], c[4], c[5], c[6], '0'] as string[];
  }
  if (parts === null) return bad(`not a timestamp (expected ${expected}): ${quote(spec, s)}`);
  const [y, mo, d, h, mi, se] = parts.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  const ms = Number((parts[6] as string).padEnd(3, '0').slice(0, 3));
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || se > 59)
    return bad(`not a timestamp (no such date or time): ${quote(spec, s)}`);
  let offMin: number;
  if (offset === undefined) offMin = offsetMinutes(opts.timezone ?? 'Asia/Shanghai');
  else if (offset.toUpperCase() === 'Z') offMin = 0;
  else {
    const o = offset.replace(':', '');
    offMin = (o.startsWith('-') ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(3, 5)));
  }
  const epoch = Date.UTC(y, mo - 1, d, h, mi, se, ms) - offMin * 60_000;
  return ok(new Date(epoch).toISOString());
}

function parseMoney(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  const unit = opts.unit ?? spec.unit ?? 'yuan';
  let fen: number;
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isFinite(n)) return bad(`not an amount: '${String(v)}'`);
    if (unit === 'fen') {
      if (!Number.isInteger(n)) return bad(`not a whole number of fen: '${String(v)}'`);
      fen = n;
    } else {
      fen = Math.round(n * 100);
      if (Math.abs(n * 100 - fen) > 1e-6) return bad(`more than 2 decimal places of yuan: '${String(v)}'`);
    }
  } else {
    const s = String(v)
      .trim()
      .replace(/^[¥￥]/, '');
    const grouped = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(s) ? s.replaceAll(',', '') : s;
    if (unit === 'fen') {
      if (!/^[+-]?\d+$/.test(grouped)) return bad(`not a whole number of fen: ${quote(spec, s)}`);
      fen = Number(grouped);
    } else {
      const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(grouped);
      if (!m) return bad(`not an amount in yuan (expected e.g. 1234.56): ${quote(spec, s)}`);
      const decimals = m[3] ?? '';
      if (decimals.length > 2) return bad(`more than 2 decimal places of yuan: ${quote(spec, s)}`);
      fen = Number(m[2]) * 100 + Number(decimals.padEnd(2, '0'));
      if (m[1] === '-') fen = -fen;
    }
  }
  if (!Number.isSafeInteger(fen)) return bad('amount too large');
  if (fen === 0) fen = 0; // no -0
  if (spec.min !== undefined && fen < spec.min * 100) return bad(`must not be negative: ${quote(spec, String(v))}`);
  return ok(fen);
}

function parseInteger(spec: FieldSpec, v: RawValue): Parsed {
  const s = typeof v === 'string' ? v.trim() : String(v);
  if (!/^[+-]?\d+$/.test(s)) return bad(`not a whole number: ${quote(spec, s)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return bad(`number too large: ${quote(spec, s)}`);
  if (spec.min !== undefined && n < spec.min) return bad(`must be at least ${spec.min}: ${quote(spec, s)}`);
  if (spec.max !== undefined && n > spec.max) return bad(`must be at most ${spec.max}: ${quote(spec, s)}`);
  return ok(n);
}

/** Largest id64 accepted as given: fits ClickHouse UInt64 and PostgreSQL bigint alike. */
const MAX_ID64 = (1n << 63n) - 1n;

/** A stable id for a non-numeric natural key: 2^62 + the first 60 bits of its SHA-256. */
export function hashedId64(key: string): string {
  const h = BigInt(`0x${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 15)}`);
  return ((1n << 62n) + h).toString();
}

function parseId64(spec: FieldSpec, v: RawValue): Parsed {
  const s = typeof v === 'string' ? v.trim() : String(v);
  if (/^\d{1,19}$/.test(s) && BigInt(s) <= MAX_ID64) return ok(BigInt(s).toString());
  if (spec.hashNonNumeric && /^[\x21-\x7e]{1,64}$/.test(s)) return ok(hashedId64(s));
  return bad(`not an id (expected digits, or printable ASCII up to 64 characters): ${quote(spec, s)}`);
}

const TRUE_VALUES = new Set(['1', 'true', 't', 'y', 'yes', '是', 'on']);
const FALSE_VALUES = new Set(['0', 'false', 'f', 'n', 'no', '否', 'off']);

function parseBoolean(spec: FieldSpec, v: RawValue): Parsed {
  if (typeof v === 'boolean') return ok(v);
  const s = String(v).trim().toLowerCase();
  if (TRUE_VALUES.has(s)) return ok(true);
  if (FALSE_VALUES.has(s)) return ok(false);
  return bad(`not a yes/no value (expected 1/0, true/false, Y/N, 是/否): ${quote(spec, String(v))}`);
}

function mapValue(spec: FieldSpec, opts: FieldOptions, s: string): string {
  const mapped = opts.values?.[s];
  if (mapped !== undefined) return mapped;
  const builtin = spec.builtinValues?.[s] ?? spec.builtinValues?.[s.toLowerCase()];
  return builtin ?? s;
}

function parseEnum(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  const s = String(v).trim();
  const mapped = mapValue(spec, opts, s);
  const values = spec.enumValues ?? [];
  if (values.includes(mapped)) return ok(mapped);
  const ci = values.find((e) => e.toLowerCase() === mapped.toLowerCase());
  if (ci !== undefined) return ok(ci);
  return bad(`not one of ${values.join(', ')}: ${quote(spec, s)}`);
}

const CODE_RE = /^[\p{L}\p{N}_.:/-]+$/u;

function parseCode(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  const s = mapValue(spec, opts, String(v).trim());
  const max = spec.maxLength ?? 64;
  if (!CODE_RE.test(s)) return bad(`not a code (letters, digits and _ . : / - only): ${quote(spec, s)}`);
  if (Array.from(s).length > max) return bad(`longer than ${max} characters: ${quote(spec, s)}`);
  return ok(s);
}

function parseText(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  const s = mapValue(spec, opts, String(v).trim());
  const max = spec.maxLength ?? 200;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is rejected
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) return bad('contains control characters');
  if (Array.from(s).length > max) return bad(`longer than ${max} characters ${quote(spec, s)}`);
  return ok(s);
}

function parseMobile(spec: FieldSpec, v: RawValue): Parsed {
  const raw = String(v).trim();
  let s = raw.replace(/[\s\u3000\-()（）]/g, '');
  const m = /^(?:\+86|0086|86)(1\d{10})$/.exec(s);
  if (m) s = m[1] as string;
  if (!/^1[3-9]\d{9}$/.test(s))
    return bad(`not a mainland mobile number (expected 11 digits starting 13–19) ${quote(spec, raw)}`);
  return ok(s);
}

function parseIdDocument(spec: FieldSpec, v: RawValue): Parsed {
  const s = normaliseResidentId(String(v).trim()).toUpperCase();
  const max = spec.maxLength ?? 40;
  if (!/^[A-Z0-9()（）]+$/.test(s)) return bad(`not an ID document number (letters and digits only) ${quote(spec, s)}`);
  if (s.length > max) return bad(`longer than ${max} characters`);
  return ok(s);
}

function residentIdReason(reason: ResidentIdInvalidReason, detail: string): string {
  switch (reason) {
    case 'bad_check_char':
      return 'fails the GB 11643 check character (MOD 11-2)';
    case 'bad_length':
      return `not a resident ID number: ${detail}`;
    case 'bad_region':
      return 'not a resident ID number: the region code is not a county-level code';
    case 'bad_birth_date':
      return 'not a resident ID number: the birth-date digits are not a valid date';
    case 'bad_characters':
      return `not a resident ID number: ${detail}`;
    case 'empty':
      return 'not a resident ID number: empty';
  }
}

function isEmpty(v: RawValue): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Validates one field value (already taken from its column) under the mapping's options. */
export function parseFieldValue(spec: FieldSpec, opts: FieldOptions, v: RawValue): Parsed {
  let value = v;
  if (isEmpty(value) && opts.default !== undefined)
    value = typeof opts.default === 'number' ? String(opts.default) : opts.default;
  if (isEmpty(value)) {
    if (spec.default !== undefined) return ok(spec.default);
    if (spec.required && spec.derivableFrom === undefined) return bad('required field is missing or empty');
    return ok(null);
  }
  if (typeof value === 'object' && !(value instanceof Date)) return bad('not a single value');
  switch (spec.type) {
    case 'text':
      return parseText(spec, opts, value);
    case 'code':
      return parseCode(spec, opts, value);
    case 'enum':
      return parseEnum(spec, opts, value);
    case 'integer':
      return parseInteger(spec, value);
    case 'id64':
      return parseId64(spec, value);
    case 'money':
      return parseMoney(spec, opts, value);
    case 'date':
      return parseDate(spec, opts, value);
    case 'timestamp':
      return parseTimestamp(spec, opts, value);
    case 'boolean':
      return parseBoolean(spec, value);
    case 'id_document':
      return parseIdDocument(spec, value);
    case 'mobile':
      return parseMobile(spec, value);
  }
}

/** Which mapping options make sense for a field type (others are a mapping error). */
export const OPTIONS_BY_TYPE: Readonly<Record<FieldType, readonly (keyof FieldOptions)[]>> = {
  text: ['column', 'values', 'default'],
  code: ['column', 'values', 'default'],
  enum: ['column', 'values', 'default'],
  integer: ['column', 'default'],
  id64: ['column', 'default'],
  money: ['column', 'unit', 'default'],
  date: ['column', 'dateFormat', 'timezone', 'default'],
  timestamp: ['column', 'timestampFormat', 'timezone', 'default'],
  boolean: ['column', 'default'],
  id_document: ['column', 'default'],
  mobile: ['column', 'default'],
};

/**
 * The zod schema of a row (keyed by field name, values as read) under per-field options: each field's transform
 * validates and converts, then the source's cross-field check runs. Issues carry the field as path and the reason
 * as message.
 */
export function buildRowSchema<Row extends Record<string, TypedValue>>(
  schema: SourceSchema<Row>,
  options: Readonly<Record<string, FieldOptions>>,
): z.ZodType<Row, Record<string, RawValue>> {
  const shape: Record<string, z.ZodType<TypedValue, RawValue>> = {};
  for (const [name, spec] of Object.entries(schema.fields) as [string, FieldSpec][]) {
    const opts = options[name] ?? {};
    shape[name] = z
      .custom<RawValue>(() => true)
      .transform((v, ctx) => {
        const r = parseFieldValue(spec, opts, v);
        if (r.ok) return r.value;
        ctx.addIssue({ code: 'custom', message: r.reason });
        return z.NEVER;
      });
  }
  return z.object(shape).transform((row, ctx) => {
    const typed = row as Row;
    schema.crossCheck?.(typed, {
      issue(field, reason) {
        ctx.addIssue({ code: 'custom', path: [field], message: reason });
      },
    });
    return typed;
  }) as unknown as z.ZodType<Row, Record<string, RawValue>>;
}

/** Issues of a failed row parse as `{ field, reason }` with the reason prefixed by the field. */
export function rowIssues(error: z.ZodError): RowIssue[] {
  return error.issues.map((i) => {
    const field = i.path.length > 0 ? String(i.path[0]) : 'row';
    return { field, reason: `${field}: ${i.message}` };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// City tier (used when the source does not carry one)

const TIER1 = new Set(['北京', '上海', '广州', '深圳']);
const TIER2 = new Set(
  (
    '成都 重庆 杭州 武汉 西安 苏州 郑州 南京 天津 长沙 东莞 宁波 佛山 合肥 青岛 昆明 沈阳 济南 无锡 厦门 福州 温州 ' +
    '金华 哈尔滨 大连 贵阳 南宁 泉州 石家庄 长春 南昌 惠州 常州 嘉兴 徐州 南通 太原 保定 珠海 中山 兰州 临沂 潍坊 ' +
    '烟台 绍兴 台州 海口 乌鲁木齐 呼和浩特 扬州 廊坊 洛阳 芜湖'
  ).split(' '),
);

/**
 * Default city tier: 1 for Beijing/Shanghai/Guangzhou/Shenzhen, 2 for the common "new first-tier and second-tier"
 * list, 4 for county-level areas, else 3. A heuristic default; a source that carries `city_tier` overrides it.
 */
export function defaultCityTier(city: string, countyLevel: boolean): number {
  if (countyLevel) return 4;
  const c = city.trim().replace(/市$/, '');
  if (TIER1.has(c)) return 1;
  if (TIER2.has(c)) return 2;
  return 3;
}
