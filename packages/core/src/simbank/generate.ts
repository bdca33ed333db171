/**
 * The synthetic bank: a deterministic generator of customers, products, accounts, holdings, cards, loans, consents,
 * source records (with noisy duplicates), transactions, app events, month-end holdings snapshots and contact history,
 * with personas, lifecycle dynamics, seasonality and a planted churn signal. Pure: no I/O; the loader in
 * apps/server/src/modules/simbank writes the output through the stores.
 *
 * Every customer is generated from its own PRNG stream seeded by (seed, customer id), so the output does not depend on
 * batch sizes and any customer can be regenerated alone. Analytics facts are emitted as TSV lines (ClickHouse
 * TabSeparated) because building strings once is the fast path at 1M customers / 20M+ transactions.
 */
import { Rng } from '../gbdt/rng.ts';
import { computeCheckChar } from '../identity/resident-id.ts';
import {
  type City,
  categoryTicketYuan,
  cities,
  femaleGivenChars,
  homophoneSurnames,
  type MerchantCategory,
  maleGivenChars,
  merchantCategories,
  mobilePrefixes,
  type ProductDef,
  type ProductFamily,
  products,
  springFestivals,
  surnames,
} from './reference.ts';

export interface SimOptions {
  customers: number;
  seed: number;
  /** The simulated "today"; all history lies before it. Default 2026-06-30. */
  asOf?: string;
  /** Create noisy duplicate source records for about a third of customers. */
  duplicates?: boolean;
}

export const DEFAULT_AS_OF = '2026-06-30';
const DAY = 86_400_000;
/** History simulated before the as-of date (13 months of transactions; app events only in the last 120 days). */
export const HISTORY_DAYS = 395;
export const APP_EVENT_DAYS = 120;

export const personaIds = [
  'gen_z_95',
  'quasi_middle_class',
  'young_parent',
  'new_urban_resident',
  'silver',
  'sme_owner',
  'farmer_herder',
] as const;
export type Persona = (typeof personaIds)[number];

/** Ground-truth lifecycle at the as-of date (what the generator intended; tags compute their own). */
export type TruthLifecycle = 'potential' | 'new' | 'active' | 'dormant' | 'churned';

export interface SimCustomer {
  id: number;
  cif: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  mobile: string;
  province: string;
  city: string;
  cityTier: number;
  county: boolean;
  occupation: string;
  industry: string;
  employerType: string;
  education: string;
  maritalStatus: string;
  children: number;
  housing: string;
  citySince: string | null;
  incomeFen: number;
  onboardedAt: string | null;
  branchId: string;
  rmUserId: string | null;
  riskLevel: string | null;
  riskAssessedAt: string | null;
  experience: boolean;
  flags: string[];
  personalised: boolean;
  status: 'active' | 'closed';
  personas: Persona[];
  lifecycle: TruthLifecycle;
  churnDate: string | null;
}

export interface SimAccount {
  id: number;
  customerId: number;
  accountNo: string;
  kind: 'current' | 'savings' | 'business' | 'payroll';
  branchId: string;
  openedAt: string;
  closedAt: string | null;
  balanceFen: number;
  status: 'open' | 'dormant' | 'closed';
}

export interface SimHolding {
  id: number;
  customerId: number;
  productId: string;
  family: ProductFamily;
  accountId: number | null;
  amountFen: number;
  signedAt: string;
  maturityDate: string | null;
  closedAt: string | null;
  status: 'active' | 'redeemed' | 'matured';
}

export interface SimCard {
  id: number;
  customerId: number;
  productId: string;
  cardNo: string;
  issuedAt: string;
  activatedAt: string | null;
  limitFen: number;
  boundToWallet: boolean;
  status: 'issued' | 'active' | 'closed';
}

export interface SimLoan {
  id: number;
  customerId: number;
  productId: string;
  principalFen: number;
  outstandingFen: number;
  disbursedAt: string;
  maturityDate: string;
  overdueDays: number;
  status: 'active' | 'repaid';
}

export interface SimConsent {
  customerId: number;
  purpose: string;
  channel: string;
  status: 'granted' | 'withdrawn' | 'refused';
  noticeVersion: string;
  source: string;
  recordedAt: string;
}

export interface SimSourceRecord {
  /** The customer's first record (core banking, or the app for potential customers); duplicates arrive unlinked. */
  primary: boolean;
  sourceSystem: string;
  sourceKey: string;
  customerId: number;
  receivedAt: string;
  attrs: {
    name: string;
    id_number: string | null;
    mobile: string | null;
    birth_date: string;
    gender: string;
    city: string;
  };
}

export interface SimBatch {
  customers: SimCustomer[];
  accounts: SimAccount[];
  holdings: SimHolding[];
  cards: SimCard[];
  loans: SimLoan[];
  consents: SimConsent[];
  sourceRecords: SimSourceRecord[];
  /** TSV lines: txn_id, customer_id, account_id, ts, amount_fen, direction, channel, txn_type, merchant_category, counterparty_type, cross_border */
  transactions: string[];
  /** TSV lines: event_id, customer_id, ts, event_type, page, product_id, product_family, session_id, duration_s, device_id, ip */
  appEvents: string[];
  /** TSV lines: date, customer_id, product_id, product_family, balance_fen */
  holdingsDaily: string[];
  /** TSV lines: contact_id, customer_id, ts, channel, purpose, campaign_id, action_id, template_version, outcome, response_ts, nps, rule_ids */
  contacts: string[];
}

export const transactionColumns = [
  'txn_id',
  'customer_id',
  'account_id',
  'ts',
  'amount_fen',
  'direction',
  'channel',
  'txn_type',
  'merchant_category',
  'counterparty_type',
  'cross_border',
] as const;
export const appEventColumns = [
  'event_id',
  'customer_id',
  'ts',
  'event_type',
  'page',
  'product_id',
  'product_family',
  'session_id',
  'duration_s',
  'device_id',
  'ip',
] as const;
export const holdingsDailyColumns = ['date', 'customer_id', 'product_id', 'product_family', 'balance_fen'] as const;
export const contactColumns = [
  'contact_id',
  'customer_id',
  'ts',
  'channel',
  'purpose',
  'campaign_id',
  'action_id',
  'template_version',
  'outcome',
  'response_ts',
  'nps',
  'rule_ids',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Dates

const toDay = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const dayStrings = new Map<number, string>();
function dayString(day: number): string {
  let v = dayStrings.get(day);
  if (v === undefined) {
    v = isoDay(day);
    dayStrings.set(day, v);
  }
  return v;
}
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
/** A UTC timestamp 'YYYY-MM-DD HH:MM:SS.000' for a Shanghai-local time on a day (UTC+8, no DST); allocation-light. */
function tsAt(day: number, shanghaiSeconds: number): string {
  let sec = Math.floor(shanghaiSeconds) - 8 * 3600;
  let d = day;
  while (sec < 0) {
    sec += 86_400;
    d--;
  }
  while (sec >= 86_400) {
    sec -= 86_400;
    d++;
  }
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return `${dayString(d)} ${two(h)}:${two(m)}:${two(sec % 60)}.000`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reference-data samplers (built once per module)

function cdf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] ?? 0;
    out[i] = sum;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}
function pick(c: Float64Array, u: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u <= (c[mid] ?? 1)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const surnameCdf = cdf(surnames.map(([, w]) => w));
const cityCdf = cdf(cities.map((c) => c.weight));
const homeCities = cities.filter((c) => c.province === '浙江省');
const homeCityCdf = cdf(homeCities.map((c) => c.weight));
const productById = new Map(products.map((p) => [p.id, p]));
const prod = (id: string): ProductDef => {
  const p = productById.get(id);
  if (!p) throw new Error(`unknown product ${id}`);
  return p;
};

/** Branch of a city: one branch per (city) plus the head office; ids are stable. */
export function branchIdOf(city: City): string {
  return `BR-${city.code4}-${city.county ? 'C' : 'U'}${city.districts[0] ?? '00'}`;
}
export function branchList(): { id: string; nameZh: string; nameEn: string; province: string; city: string }[] {
  const seen = new Map<string, { id: string; nameZh: string; nameEn: string; province: string; city: string }>();
  seen.set('BR-HQ', { id: 'BR-HQ', nameZh: '总行营业部', nameEn: 'Head office', province: '浙江省', city: '杭州市' });
  for (const c of cities) {
    const id = branchIdOf(c);
    if (!seen.has(id)) {
      seen.set(id, { id, nameZh: `${c.city}分行`, nameEn: `${c.city} branch`, province: c.province, city: c.city });
    }
  }
  return [...seen.values()];
}

/** RM users: about one per 400 customers, spread over branches by customer weight. */
export function rmUsers(customers: number): { id: string; username: string; displayName: string; branchId: string }[] {
  const n = Math.max(2, Math.ceil(customers / 400));
  const rng = new Rng(0x5eed_0001);
  const out: { id: string; username: string; displayName: string; branchId: string }[] = [];
  for (let i = 0; i < n; i++) {
    const city = homeCities[pick(homeCityCdf, rng.next())] ?? homeCities[0]!;
    const s = surnames[pick(surnameCdf, rng.next())]?.[0] ?? '王';
    const given = femaleGivenChars[rng.nextInt(femaleGivenChars.length)] ?? '芳';
    out.push({
      id: `rm-${String(i + 1).padStart(4, '0')}`,
      username: `rm${String(i + 1).padStart(4, '0')}`,
      displayName: `${s}${given}`,
      branchId: branchIdOf(city),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Behaviour tables

const baseCatWeights: Record<MerchantCategory, number> = {
  dining: 22,
  supermarket: 20,
  travel: 2,
  hotel: 1.5,
  airline: 1,
  fitness: 1.5,
  sports: 1,
  health: 2,
  pharmacy: 3,
  beauty: 2,
  digital: 3,
  electronics: 1,
  education: 1,
  auto: 0.8,
  fuel: 4,
  green: 1,
  ev_charging: 0.5,
  public_transport: 6,
  maternity: 0.3,
  toys: 0.3,
  apparel: 6,
  entertainment: 4,
  utilities: 3,
  agriculture: 0.2,
  other: 5,
};
const personaCatBoost: Record<Persona, Partial<Record<MerchantCategory, number>>> = {
  gen_z_95: { digital: 8, entertainment: 6, beauty: 3, fitness: 3, dining: 8, green: 2, ev_charging: 1 },
  quasi_middle_class: { travel: 5, hotel: 3, airline: 3, fitness: 3, health: 2, electronics: 2, auto: 2 },
  young_parent: { maternity: 8, education: 6, toys: 6, supermarket: 6, health: 2 },
  new_urban_resident: { public_transport: 6, supermarket: 4, utilities: 2, dining: 4 },
  silver: { health: 6, pharmacy: 6, supermarket: 8, travel: 1 },
  sme_owner: { auto: 3, fuel: 4, dining: 6, other: 6, electronics: 2 },
  farmer_herder: { agriculture: 12, supermarket: 4, fuel: 3 },
};
const outboundShare = 0.15;

// ---------------------------------------------------------------------------------------------------------------
// Seasonality: weekday/weekend and festival multipliers per day of the history window

function buildDayWeights(startDay: number, days: number): Float64Array {
  const w = new Float64Array(days);
  const festivals = springFestivals.map(toDay);
  for (let i = 0; i < days; i++) {
    const day = startDay + i;
    const dow = new Date(day * DAY).getUTCDay();
    let m = dow === 0 || dow === 6 ? 1.35 : 0.88;
    for (const f of festivals) {
      const d = day - f;
      if (d >= -21 && d < 0)
        m *= 1.6; // 春节 shopping
      else if (d >= 0 && d < 7) m *= 0.7; // holiday week: shops closed, less spend
    }
    const iso = isoDay(day);
    const md = iso.slice(5);
    if (md >= '11-09' && md <= '11-11') m *= 3.0; // 双十一
    if (md >= '06-16' && md <= '06-18') m *= 2.0; // 618
    w[i] = m;
  }
  return w;
}

// ---------------------------------------------------------------------------------------------------------------
// Identity helpers

function residentId(rng: Rng, city: City, birthDate: string, gender: 'M' | 'F'): string {
  const district = city.districts[rng.nextInt(city.districts.length)] ?? '01';
  const seq = 10 + rng.nextInt(89);
  let last = rng.nextInt(10);
  if ((last % 2 === 1) !== (gender === 'M')) last = (last + 1) % 10;
  const first17 = `${city.code4}${district}${birthDate.replaceAll('-', '')}${String(seq).padStart(2, '0')}${last}`;
  return first17 + computeCheckChar(first17);
}

function mobileNumber(rng: Rng): string {
  const prefix = mobilePrefixes[rng.nextInt(mobilePrefixes.length)] ?? '138';
  return prefix + String(rng.nextInt(100_000_000)).padStart(8, '0');
}

function cardNumber(rng: Rng, bin: string): string {
  const body = bin + String(rng.nextInt(1_000_000_000)).padStart(9, '0');
  // Luhn check digit
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const typoChars = '伟玮炜芳方敏民静晶丽莉娜纳强墙军君';
function noisyName(rng: Rng, name: string): string {
  const r = rng.next();
  const surname =
    name.length > 2 && surnames.some(([s]) => s.length === 2 && name.startsWith(s))
      ? name.slice(0, 2)
      : name.slice(0, 1);
  const given = name.slice(surname.length);
  if (r < 0.45 && homophoneSurnames[surname]) return (homophoneSurnames[surname] ?? surname) + given;
  if (r < 0.8 && given.length > 0) {
    const i = rng.nextInt(given.length);
    const c = typoChars[rng.nextInt(typoChars.length)] ?? '伟';
    return surname + given.slice(0, i) + c + given.slice(i + 1);
  }
  return name;
}

function swapDayMonth(iso: string): string {
  const [y, m, d] = iso.split('-');
  return Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : iso;
}

/** GB 11643 18-digit → the legacy 15-digit form (drops century and check char). */
function legacy15(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

// ---------------------------------------------------------------------------------------------------------------
// Per-customer generation

const occupationsUrban = ['engineer', 'teacher', 'doctor', 'civil_servant', 'sales', 'clerk', 'worker', 'freelancer'];
const educationLevels = ['high_school', 'college', 'bachelor', 'master', 'doctorate'];
const campaigns = ['CMP-2601-WM', 'CMP-2603-CARD', 'CMP-2604-REACT', 'CMP-2605-INS', 'CMP-2606-618'];

export class SyntheticBank {
  readonly asOf: string;
  readonly asOfDay: number;
  readonly startDay: number;
  private readonly dayWeights: Float64Array;
  private readonly maxDayWeight: number;
  private readonly rms: ReturnType<typeof rmUsers>;
  private readonly rmsByBranch = new Map<string, string[]>();

  constructor(readonly options: SimOptions) {
    this.asOf = options.asOf ?? DEFAULT_AS_OF;
    this.asOfDay = toDay(this.asOf);
    this.startDay = this.asOfDay - HISTORY_DAYS;
    this.dayWeights = buildDayWeights(this.startDay, HISTORY_DAYS + 1);
    this.maxDayWeight = Math.max(...this.dayWeights);
    this.rms = rmUsers(options.customers);
    for (const rm of this.rms) {
      const list = this.rmsByBranch.get(rm.branchId) ?? [];
      list.push(rm.id);
      this.rmsByBranch.set(rm.branchId, list);
    }
  }

  get rmUsers() {
    return this.rms;
  }

  /** Customers `from`..`to-1` (1-based ids), generated independently of each other. */
  batch(from: number, to: number): SimBatch {
    const b: SimBatch = {
      customers: [],
      accounts: [],
      holdings: [],
      cards: [],
      loans: [],
      consents: [],
      sourceRecords: [],
      transactions: [],
      appEvents: [],
      holdingsDaily: [],
      contacts: [],
    };
    for (let id = from; id < to; id++) this.customer(id, b);
    return b;
  }

  private customer(id: number, b: SimBatch): void {
    const rng = new Rng((this.options.seed * 1_000_003 + id * 7919) | 0);
    const asOf = this.asOfDay;

    // --- demographics
    const gender: 'M' | 'F' = rng.next() < 0.5 ? 'M' : 'F';
    const ageU = rng.next();
    const age =
      ageU < 0.13
        ? 18 + rng.nextInt(8)
        : ageU < 0.36
          ? 26 + rng.nextInt(10)
          : ageU < 0.56
            ? 36 + rng.nextInt(10)
            : ageU < 0.74
              ? 46 + rng.nextInt(10)
              : ageU < 0.88
                ? 56 + rng.nextInt(10)
                : 66 + rng.nextInt(20);
    const birthDay = asOf - Math.floor(age * 365.25) - rng.nextInt(365);
    const birthDate = isoDay(birthDay);
    const birthYear = Number(birthDate.slice(0, 4));
    const migrant = age < 50 && rng.next() < 0.18;
    const city = migrant
      ? (homeCities[pick(homeCityCdf, rng.next())] ?? homeCities[0]!)
      : (cities[pick(cityCdf, rng.next())] ?? cities[0]!);
    const origin = migrant ? (cities[pick(cityCdf, rng.next())] ?? city) : city;
    const idCity =
      migrant && origin.province !== city.province ? origin : migrant ? (cities[15 + rng.nextInt(6)] ?? city) : city;
    const surname = surnames[pick(surnameCdf, rng.next())]?.[0] ?? '王';
    const chars = gender === 'M' ? maleGivenChars : femaleGivenChars;
    const given =
      (chars[rng.nextInt(chars.length)] ?? '') + (rng.next() < 0.7 ? (chars[rng.nextInt(chars.length)] ?? '') : '');
    const name = surname + given;
    const idNumber = residentId(rng, idCity, birthDate, gender);
    const mobile = mobileNumber(rng);

    // --- personas and occupation
    const personas: Persona[] = [];
    const farmer = (city.county || city.tier === 4) && age >= 30 && rng.next() < 0.3;
    const sme = !farmer && age >= 28 && age < 65 && rng.next() < 0.08;
    const occupation = farmer
      ? rng.next() < 0.9
        ? 'farmer'
        : 'herder'
      : sme
        ? 'business_owner'
        : age >= 62
          ? 'retired'
          : age < 22
            ? 'student'
            : (occupationsUrban[rng.nextInt(occupationsUrban.length)] ?? 'clerk');
    const industry = farmer
      ? 'agriculture'
      : sme
        ? 'retail_trade'
        : occupation === 'civil_servant'
          ? 'government'
          : occupation === 'doctor'
            ? 'healthcare'
            : occupation === 'teacher'
              ? 'education'
              : 'services';
    const employerType = sme
      ? 'self_employed'
      : occupation === 'civil_servant' || occupation === 'teacher'
        ? 'public_institution'
        : farmer || occupation === 'retired' || occupation === 'student'
          ? 'none'
          : rng.next() < 0.3
            ? 'soe'
            : 'private';
    const married = age >= 24 && rng.next() < Math.min(0.9, (age - 20) / 12);
    const children = married && age >= 25 ? (rng.next() < 0.75 ? 1 + (rng.next() < 0.3 ? 1 : 0) : 0) : 0;
    const renting = migrant ? rng.next() < 0.75 : age < 30 ? rng.next() < 0.4 : rng.next() < 0.08;
    const citySinceDays = migrant ? 60 + rng.nextInt(6 * 365) : age * 365 - rng.nextInt(3650);
    const citySince = isoDay(asOf - Math.max(30, Math.min(citySinceDays, age * 365)));
    const incomeBase = farmer
      ? 4500
      : sme
        ? 18_000
        : occupation === 'retired'
          ? 4200
          : occupation === 'student'
            ? 1500
            : occupation === 'doctor'
              ? 16_000
              : 8500;
    const tierBoost = city.tier === 1 ? 1.5 : city.tier === 2 ? 1.2 : city.tier === 3 ? 1.0 : 0.8;
    const income = Math.round(incomeBase * tierBoost * Math.exp(0.5 * rng.normal()));
    const incomeFen = income * 100;

    if (birthYear >= 1995 && birthYear <= 2009) personas.push('gen_z_95');
    if (children > 0 && age >= 25 && age <= 40) personas.push('young_parent');
    if (migrant && renting && asOf - toDay(citySince) < 3 * 365) personas.push('new_urban_resident');
    if (age >= 60) personas.push('silver');
    if (sme) personas.push('sme_owner');
    if (farmer) personas.push('farmer_herder');

    // --- lifecycle truth
    const lu = rng.next();
    let lifecycle: TruthLifecycle;
    let onboardDay: number | null;
    let churnDay: number | null = null;
    let lastActiveDay = asOf;
    if (lu < 0.04) {
      lifecycle = 'potential';
      onboardDay = null;
    } else if (lu < 0.095) {
      lifecycle = 'new';
      onboardDay = asOf - 1 - rng.nextInt(85);
    } else {
      onboardDay = asOf - 120 - rng.nextInt(Math.max(200, Math.min(age - 17, 15) * 365));
      if (lu < 0.145) {
        lifecycle = 'churned'; // left before the last 90 days
        churnDay = Math.max(onboardDay + 200, asOf - 90 - 1 - rng.nextInt(110));
        if (churnDay >= asOf - 90) churnDay = asOf - 91;
      } else if (lu < 0.275) {
        lifecycle = 'churned'; // left within the last 90 days: the churn model's positives at T = as-of − 90
        churnDay = asOf - 1 - rng.nextInt(89);
      } else if (lu < 0.38) {
        lifecycle = 'dormant';
        lastActiveDay = asOf - 95 - rng.nextInt(200);
      } else lifecycle = 'active';
    }
    if (churnDay !== null) lastActiveDay = churnDay;

    // --- risk profile
    const assessed = onboardDay !== null && rng.next() < 0.8;
    const riskBase = age >= 65 ? 1.6 : age >= 55 ? 2.3 : age < 30 ? 3.2 : 2.9;
    const riskNum = Math.max(1, Math.min(5, Math.round(riskBase + rng.normal() * 0.9 + (income > 20_000 ? 0.5 : 0))));
    const riskLevel = assessed ? `C${riskNum}` : null;
    const riskAssessedAt = assessed
      ? tsAt(Math.max(onboardDay ?? asOf, asOf - rng.nextInt(700)), 9 * 3600 + rng.nextInt(9 * 3600))
      : null;
    const experience = assessed && riskNum >= 2 && rng.next() < 0.7;

    const flags: string[] = [];
    if (rng.next() < 0.003) flags.push('fraud_restricted');
    if (age > 75 && rng.next() < 0.01) flags.push('deceased');
    const personalised = rng.next() > 0.05;

    const branchId = branchIdOf(city);
    const rmPool = this.rmsByBranch.get(branchId) ?? this.rms.map((r) => r.id);
    const rmUserId = onboardDay === null ? null : (rmPool[id % rmPool.length] ?? null);

    // --- accounts and products (nothing for potential customers)
    const accounts: SimAccount[] = [];
    const holdings: SimHolding[] = [];
    const cards: SimCard[] = [];
    const loans: SimLoan[] = [];
    const closeDay = churnDay;
    let seq = 0;
    const nextId = () => id * 1000 + ++seq;
    const hnw = age >= 35 && rng.next() < 0.006;
    const wealthScale =
      Math.exp(0.55 * rng.normal()) * (age >= 45 ? 2.2 : age >= 30 ? 1.3 : 0.6) * tierBoost * (hnw ? 40 : 1);
    const salaryHere = onboardDay !== null && employerType !== 'none' && !sme && rng.next() < 0.45;
    let payrollAccount = 0;
    if (onboardDay !== null) {
      const kind: SimAccount['kind'] = salaryHere ? 'payroll' : 'savings';
      const accId = nextId();
      payrollAccount = accId;
      accounts.push({
        id: accId,
        customerId: id,
        accountNo: `6228${String(city.code4)}${String(id).padStart(9, '0')}`.slice(0, 19),
        kind,
        branchId,
        openedAt: isoDay(onboardDay),
        closedAt: closeDay !== null ? isoDay(closeDay) : null,
        balanceFen: closeDay !== null ? 0 : Math.round(income * (0.5 + rng.next() * 3) * 100),
        status: closeDay !== null ? 'closed' : lifecycle === 'dormant' ? 'dormant' : 'open',
      });
      if (sme) {
        accounts.push({
          id: nextId(),
          customerId: id,
          accountNo: `6229${String(city.code4)}${String(id).padStart(9, '0')}`.slice(0, 19),
          kind: 'business',
          branchId,
          openedAt: isoDay(onboardDay + rng.nextInt(200)),
          closedAt: closeDay !== null ? isoDay(closeDay) : null,
          balanceFen: closeDay !== null ? 0 : Math.round(income * (2 + rng.next() * 8) * 100),
          status: closeDay !== null ? 'closed' : 'open',
        });
      }
      const addHolding = (productId: string, amountYuan: number, signDay: number) => {
        const pd = prod(productId);
        const matDay = pd.termDays ? signDay + pd.termDays : null;
        let closed: number | null = null;
        let status: SimHolding['status'] = 'active';
        if (closeDay !== null && signDay < closeDay) {
          closed = closeDay - rng.nextInt(40);
          status = 'redeemed';
        } else if (matDay !== null && matDay < asOf) {
          closed = matDay;
          status = 'matured';
        }
        if (closed !== null && closed <= signDay) closed = signDay + 1;
        holdings.push({
          id: nextId(),
          customerId: id,
          productId,
          family: pd.family,
          accountId: payrollAccount,
          amountFen: Math.max(pd.minFen, Math.round(amountYuan * 100)),
          signedAt: tsAt(signDay, 9 * 3600 + rng.nextInt(10 * 3600)),
          maturityDate: matDay !== null ? isoDay(matDay) : null,
          closedAt: closed !== null ? isoDay(closed) : null,
          status,
        });
      };
      const span = Math.max(30, (closeDay ?? asOf) - onboardDay);
      const signAt = () => onboardDay + rng.nextInt(span);
      const r = riskNum;
      if (rng.next() < 0.45) addHolding(rng.next() < 0.6 ? 'DEP-1Y' : 'DEP-3M', 30_000 * wealthScale, signAt());
      if (wealthScale > 2.5 && rng.next() < 0.35) addHolding('DEP-3Y', 250_000 * wealthScale, signAt());
      if (rng.next() < 0.08) addHolding('DEP-SD', 50_000 * wealthScale, signAt());
      const invests = assessed && rng.next() < (age < 30 ? 0.35 : 0.45);
      if (invests) {
        const wm =
          r >= 4 && rng.next() < 0.3
            ? 'WM-R4'
            : r >= 3 && rng.next() < 0.4
              ? 'WM-R3'
              : r >= 2
                ? rng.next() < 0.5
                  ? 'WM-R2A'
                  : 'WM-R2B'
                : 'WM-R1';
        addHolding(wm, 60_000 * wealthScale, signAt());
        if (rng.next() < 0.5) addHolding('WM-R1', 20_000 * wealthScale, signAt());
        if (r >= 4 && wealthScale > 6 && rng.next() < 0.5) addHolding('WM-PV', 1_200_000 * (wealthScale / 6), signAt());
      }
      if (assessed && rng.next() < (personas.includes('gen_z_95') ? 0.45 : 0.2)) {
        const fd = r >= 5 ? 'FD-QDII' : r >= 4 ? 'FD-EQ' : r >= 3 ? 'FD-MIX' : r >= 2 ? 'FD-BOND' : 'FD-MM';
        addHolding(fd, 15_000 * wealthScale, signAt());
        if (rng.next() < 0.4) addHolding('FD-MM', 5_000 * wealthScale, signAt());
      }
      if (rng.next() < (age >= 30 && age < 60 ? 0.22 : 0.08)) {
        addHolding(rng.next() < 0.6 ? 'INS-HLTH' : 'INS-ANN', rng.next() < 0.6 ? 600 : 30_000 * wealthScale, signAt());
      }
      // Recent purchases (the 90 days before as-of) for propensity labels: spread over families.
      if (lifecycle === 'active' && rng.next() < 0.12) {
        const choices = ['DEP-1Y', 'WM-R2A', 'FD-BOND', 'INS-HLTH', 'WM-R1'];
        const pid = choices[rng.nextInt(choices.length)] ?? 'DEP-1Y';
        if (!(pid.startsWith('WM') || pid.startsWith('FD')) || assessed)
          addHolding(pid, 20_000 * wealthScale, asOf - 1 - rng.nextInt(85));
      }

      // credit cards
      if (age >= 20 && age < 65 && rng.next() < (personas.includes('gen_z_95') ? 0.6 : 0.42)) {
        const issueDay = Math.max(onboardDay, asOf - rng.nextInt(730));
        const activated = rng.next() < 0.8 ? issueDay + 1 + rng.nextInt(40) : null;
        const act = activated !== null && activated < asOf ? activated : null;
        const productId = personas.includes('gen_z_95') ? 'CC-YOUTH' : income > 20_000 ? 'CC-PLAT' : 'CC-STD';
        cards.push({
          id: nextId(),
          customerId: id,
          productId,
          cardNo: cardNumber(rng, productId === 'CC-PLAT' ? '625906' : '622588'),
          issuedAt: isoDay(issueDay),
          activatedAt: act !== null ? isoDay(act) : null,
          limitFen: Math.round(Math.min(200_000, income * (2 + rng.next() * 4)) / 1000) * 1000 * 100,
          boundToWallet: act !== null && rng.next() < 0.55,
          status: closeDay !== null ? 'closed' : act !== null ? 'active' : 'issued',
        });
      }
      // loans
      const addLoan = (productId: string, principalYuan: number, ageDays: number) => {
        const pd = prod(productId);
        const disb = Math.max(onboardDay, asOf - ageDays);
        const term = pd.termDays ?? 1095;
        const paid = Math.min(1, (asOf - disb) / term);
        const overdue = rng.next() < 0.035 ? 1 + rng.nextInt(rng.next() < 0.3 ? 120 : 30) : 0;
        loans.push({
          id: nextId(),
          customerId: id,
          productId,
          principalFen: Math.round(principalYuan) * 100,
          outstandingFen: Math.round(principalYuan * (1 - paid)) * 100,
          disbursedAt: isoDay(disb),
          maturityDate: isoDay(disb + term),
          overdueDays: paid >= 1 ? 0 : overdue,
          status: paid >= 1 ? 'repaid' : 'active',
        });
      };
      if (age >= 27 && age < 52 && rng.next() < 0.14)
        addLoan('LN-MORT', 800_000 * tierBoost * (0.6 + rng.next()), rng.nextInt(3000));
      if (age >= 24 && age < 55 && rng.next() < 0.05)
        addLoan('LN-CAR', 120_000 * (0.5 + rng.next()), rng.nextInt(1000));
      if (age >= 22 && age < 60 && rng.next() < 0.1) addLoan('LN-CONS', 50_000 * (0.3 + rng.next()), rng.nextInt(900));
      if (sme && rng.next() < 0.6) addLoan('LN-BIZ', 500_000 * (0.4 + rng.next()), rng.nextInt(900));
      if (farmer && rng.next() < 0.5) addLoan('LN-AGRI', 80_000 * (0.4 + rng.next()), rng.nextInt(600));
    }

    // --- AUM and quasi-middle-class persona
    let aumYuan = 0;
    for (const h of holdings) if (h.status === 'active' && h.family !== 'insurance') aumYuan += h.amountFen / 100;
    for (const a of accounts) aumYuan += a.balanceFen / 100;
    if (income * (married ? 1.7 : 1) >= 20_000 || aumYuan >= 500_000) personas.push('quasi_middle_class');
    personas.sort((x, y) => personaIds.indexOf(x) - personaIds.indexOf(y));

    const status: SimCustomer['status'] = churnDay !== null && rng.next() < 0.5 ? 'closed' : 'active';
    const cust: SimCustomer = {
      id,
      cif: `CIF${String(id).padStart(10, '0')}`,
      name,
      gender,
      birthDate,
      idNumber,
      mobile,
      province: city.province,
      city: city.city,
      cityTier: city.tier,
      county: city.county,
      occupation,
      industry,
      employerType,
      education:
        educationLevels[Math.min(4, Math.max(0, Math.round(1.5 + rng.normal() * 0.9 + (income > 15_000 ? 0.8 : 0))))] ??
        'bachelor',
      maritalStatus: married ? 'married' : age >= 24 && rng.next() < 0.1 ? 'divorced' : 'single',
      children,
      housing: renting ? 'rent' : rng.next() < 0.85 ? 'own' : 'family',
      citySince,
      incomeFen,
      onboardedAt: onboardDay !== null ? isoDay(onboardDay) : null,
      branchId,
      rmUserId,
      riskLevel,
      riskAssessedAt,
      experience,
      flags,
      personalised,
      status,
      personas,
      lifecycle,
      churnDate: churnDay !== null ? isoDay(churnDay) : null,
    };
    b.customers.push(cust);
    b.accounts.push(...accounts);
    b.holdings.push(...holdings);
    b.cards.push(...cards);
    b.loans.push(...loans);

    // --- source records (every onboarded customer in core banking; app users in the app system)
    const recvDay = (d: number | null) => tsAt(Math.max(this.startDay, d ?? asOf - 30), 3600 * 10);
    const attrs = { name, id_number: idNumber, mobile, birth_date: birthDate, gender, city: city.city };
    b.sourceRecords.push({
      primary: true,
      sourceSystem: onboardDay === null ? 'app' : 'core_banking',
      sourceKey: onboardDay === null ? `APP${id}` : cust.cif,
      customerId: id,
      receivedAt: recvDay(onboardDay),
      attrs: onboardDay === null ? { ...attrs, id_number: null } : attrs,
    });
    if (this.options.duplicates && onboardDay !== null && rng.next() < 1 / 3) {
      const systems = ['cards', 'wealth', 'app', 'crm'];
      for (let i = systems.length - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [systems[i], systems[j]] = [systems[j] ?? 'crm', systems[i] ?? 'crm'];
      }
      const n = 1 + rng.nextInt(3);
      for (let k = 0; k < n; k++) {
        const sys = systems[k] ?? 'crm';
        const u = rng.next();
        const noisy = {
          name: rng.next() < 0.35 ? noisyName(rng, name) : name,
          id_number: u < 0.3 ? null : u < 0.38 ? legacy15(idNumber) : idNumber,
          mobile: rng.next() < 0.25 ? mobileNumber(rng) : rng.next() < 0.1 ? null : mobile,
          birth_date: rng.next() < 0.06 ? swapDayMonth(birthDate) : birthDate,
          gender,
          city: rng.next() < 0.1 ? (cities[pick(cityCdf, rng.next())]?.city ?? city.city) : city.city,
        };
        b.sourceRecords.push({
          primary: false,
          sourceSystem: sys,
          sourceKey: `${sys.toUpperCase()}-${id}-${k}`,
          customerId: id,
          receivedAt: recvDay((onboardDay ?? asOf) + rng.nextInt(300)),
          attrs: noisy,
        });
      }
    }

    // --- consents
    if (onboardDay !== null) {
      const recorded = tsAt(onboardDay, 10 * 3600);
      const consent = (purpose: string, channel: string, p: number) => {
        const u = rng.next();
        const st: SimConsent['status'] = u < p ? 'granted' : u < p + (1 - p) / 2 ? 'refused' : 'withdrawn';
        b.consents.push({
          customerId: id,
          purpose,
          channel,
          status: st === 'withdrawn' ? 'granted' : st,
          noticeVersion: 'PN-2024-01',
          source: 'branch',
          recordedAt: recorded,
        });
        if (st === 'withdrawn') {
          b.consents.push({
            customerId: id,
            purpose,
            channel,
            status: 'withdrawn',
            noticeVersion: 'PN-2024-01',
            source: 'sms_reply',
            recordedAt: tsAt(onboardDay + 1 + rng.nextInt(Math.max(1, asOf - onboardDay - 1)), 15 * 3600),
          });
        }
      };
      consent('marketing', 'sms', 0.85);
      consent('marketing', 'push', 0.75);
      consent('marketing', 'call', 0.6);
      consent('marketing_use_of_financial_data', 'any', 0.8);
      b.consents.push({
        customerId: id,
        purpose: 'personalised_marketing',
        channel: 'any',
        status: personalised ? 'granted' : 'withdrawn',
        noticeVersion: 'PN-2024-01',
        source: 'app',
        recordedAt: recorded,
      });
    }

    this.facts(rng, cust, accounts, holdings, cards, loans, onboardDay, lastActiveDay, churnDay, b);
  }

  /** Activity multiplier on a day: 1 normally; churners fade over the 120 days before leaving; 0 when inactive. */
  private activity(day: number, start: number, lastActive: number, churnDay: number | null): number {
    if (day < start || day > lastActive) return 0;
    if (churnDay !== null) {
      const before = churnDay - day;
      if (before < 120) return 0.12 + 0.88 * (before / 120);
    }
    return 1;
  }

  private facts(
    rng: Rng,
    c: SimCustomer,
    accounts: SimAccount[],
    holdings: SimHolding[],
    cards: SimCard[],
    loans: SimLoan[],
    onboardDay: number | null,
    lastActiveDay: number,
    churnDay: number | null,
    b: SimBatch,
  ): void {
    const asOf = this.asOfDay;
    const id = c.id;
    let txnSeq = 0;
    const txnId = () => id * 100_000 + ++txnSeq;
    const mainAccount = accounts[0]?.id ?? 0;
    const age = Math.floor((asOf - toDay(c.birthDate)) / 365.25);

    if (onboardDay !== null) {
      const start = Math.max(this.startDay, onboardDay);
      // purchases: persona-dependent category mix and rate, with seasonality and churn fade
      const weights = merchantCategories.map((cat) => {
        let w = baseCatWeights[cat];
        for (const p of c.personas) w += personaCatBoost[p][cat] ?? 0;
        return w;
      });
      const catCdf = cdf(weights);
      // Card/debit purchases per month (calibrated so 1M customers give 30–40M transactions over 13 months).
      const monthly =
        (c.personas.includes('gen_z_95')
          ? 2.6
          : c.personas.includes('silver')
            ? 1.1
            : c.personas.includes('farmer_herder')
              ? 0.9
              : 1.7) *
        (c.personas.includes('quasi_middle_class') ? 1.4 : 1) *
        Math.exp(0.4 * rng.normal());
      const activeCard = cards.find((k) => k.activatedAt !== null);
      const cardStart = activeCard?.activatedAt ? toDay(activeCard.activatedAt) : Number.POSITIVE_INFINITY;
      const swipes = activeCard ? rng.next() > 0.12 : false;
      const walletUser = rng.next() < (c.personas.includes('gen_z_95') ? 0.7 : 0.4);
      const days = lastActiveDay - start + 1;
      const expected = days > 0 ? (monthly * days) / 30 : 0;
      const n = Math.round(expected * 0.85 + rng.next() * expected * 0.3);
      for (let k = 0; k < n; k++) {
        let day = 0;
        for (let tries = 0; tries < 8; tries++) {
          day = start + rng.nextInt(Math.max(1, days));
          const w = (this.dayWeights[day - this.startDay] ?? 1) * this.activity(day, start, lastActiveDay, churnDay);
          if (rng.next() * this.maxDayWeight <= w) break;
        }
        if (this.activity(day, start, lastActiveDay, churnDay) === 0) continue;
        const cat = merchantCategories[pick(catCdf, rng.next())] ?? 'other';
        const amount = Math.max(100, Math.round(categoryTicketYuan[cat] * 100 * Math.exp(0.6 * rng.normal())));
        const useCard = swipes && day >= cardStart && rng.next() < 0.55;
        const wallet = !useCard && walletUser && rng.next() < 0.7;
        const cross = (cat === 'travel' || cat === 'hotel' || cat === 'airline') && rng.next() < outboundShare ? 1 : 0;
        const channel = useCard
          ? 'credit_card'
          : wallet
            ? rng.next() < 0.5
              ? 'wechat_pay'
              : 'alipay'
            : age >= 60 && rng.next() < 0.4
              ? 'counter'
              : 'pos';
        b.transactions.push(
          `${txnId()}\t${id}\t${useCard ? (activeCard?.id ?? mainAccount) : mainAccount}\t${tsAt(day, 8 * 3600 + rng.nextInt(14 * 3600))}\t${amount}\tout\t${channel}\tpurchase\t${cat}\t${wallet ? 'wallet' : 'merchant'}\t${cross}`,
        );
      }
      // monthly flows: salary, utilities, transfers, interest
      const payroll = accounts.find((a) => a.kind === 'payroll');
      for (let m = 0; m < 14; m++) {
        const day10 = this.startDay + m * 30 + 9;
        if (day10 < start || day10 > asOf) continue;
        const act = this.activity(day10, start, lastActiveDay, churnDay);
        if (payroll && day10 <= lastActiveDay) {
          b.transactions.push(
            `${txnId()}\t${id}\t${payroll.id}\t${tsAt(day10, 10 * 3600)}\t${c.incomeFen}\tin\tcounter\tsalary\tother\temployer\t0`,
          );
        }
        if (act > 0 && m % 2 === 0 && rng.next() < act) {
          const td = day10 + rng.nextInt(15);
          if (td <= asOf) {
            b.transactions.push(
              `${txnId()}\t${id}\t${mainAccount}\t${tsAt(td, 20 * 3600)}\t${Math.round(200 * 100 * Math.exp(0.4 * rng.normal()))}\tout\tmobile_app\tpurchase\tutilities\tmerchant\t0`,
            );
            const amt = Math.round((c.incomeFen * 0.2 + 50_000) * Math.exp(0.7 * rng.normal()));
            b.transactions.push(
              `${txnId()}\t${id}\t${mainAccount}\t${tsAt(td + 1, 12 * 3600)}\t${amt}\t${rng.next() < 0.55 ? 'out' : 'in'}\tmobile_app\ttransfer\tother\tperson\t0`,
            );
          }
        }
        if (day10 <= lastActiveDay && m % 3 === 0) {
          b.transactions.push(
            `${txnId()}\t${id}\t${mainAccount}\t${tsAt(day10 + 11, 2 * 3600)}\t${100 + rng.nextInt(5000)}\tin\tcounter\tinterest\tother\tbank\t0`,
          );
        }
      }
      // loan repayments
      for (const l of loans) {
        for (let d = Math.max(start, toDay(l.disbursedAt) + 30); d <= Math.min(asOf, toDay(l.maturityDate)); d += 30) {
          b.transactions.push(
            `${txnId()}\t${id}\t${mainAccount}\t${tsAt(d, 9 * 3600)}\t${Math.round(l.principalFen / 36)}\tout\tcounter\tloan_repayment\tother\tbank\t0`,
          );
        }
      }
      // wealth subscriptions and redemptions; churners redeem and move money out before leaving
      for (const h of holdings) {
        const sd = toDay(h.signedAt.slice(0, 10));
        if (sd >= this.startDay && sd <= asOf) {
          b.transactions.push(
            `${txnId()}\t${id}\t${mainAccount}\t${h.signedAt}\t${h.amountFen}\tout\tmobile_app\tsubscription\tother\tbank_product\t0`,
          );
        }
        if (h.closedAt && (h.family === 'wealth' || h.family === 'fund') && h.status === 'redeemed') {
          const cd = toDay(h.closedAt);
          if (cd >= this.startDay && cd <= asOf) {
            b.transactions.push(
              `${txnId()}\t${id}\t${mainAccount}\t${tsAt(cd, 11 * 3600)}\t${h.amountFen}\tin\tmobile_app\tredemption\tother\tbank_product\t0`,
            );
          }
        }
      }
      if (churnDay !== null) {
        // extra partial redemptions and a large outflow in the weeks before leaving (the planted signal)
        const nRed = 1 + rng.nextInt(3);
        for (let k = 0; k < nRed; k++) {
          const d = churnDay - rng.nextInt(60);
          if (d > this.startDay && d <= asOf) {
            b.transactions.push(
              `${txnId()}\t${id}\t${mainAccount}\t${tsAt(d, 14 * 3600)}\t${Math.round(20_000 * 100 * Math.exp(0.8 * rng.normal()))}\tin\tmobile_app\tredemption\tother\tbank_product\t0`,
            );
          }
        }
        let total = 0;
        for (const h of holdings) if (h.family !== 'insurance') total += h.amountFen;
        total += accounts.length * Math.round(c.incomeFen * 2);
        const out = Math.max(1_000_000, Math.round(total * (0.6 + rng.next() * 0.4)));
        const d = churnDay - rng.nextInt(10);
        if (d > this.startDay && d <= asOf) {
          b.transactions.push(
            `${txnId()}\t${id}\t${mainAccount}\t${tsAt(d, 15 * 3600)}\t${out}\tout\tmobile_app\ttransfer\tother\tother_bank\t0`,
          );
        }
      }
    }

    // --- app events (last APP_EVENT_DAYS days only)
    const appStart = Math.max(asOf - APP_EVENT_DAYS, onboardDay ?? asOf - APP_EVENT_DAYS);
    const appUser = onboardDay === null || rng.next() < (age < 35 ? 0.92 : age < 55 ? 0.75 : age < 65 ? 0.45 : 0.2);
    let evSeq = 0;
    if (appUser) {
      const loginsPerMonth =
        (age < 30 ? 8 : age < 45 ? 5 : age < 60 ? 3 : 2) *
        Math.exp(0.5 * rng.normal()) *
        (onboardDay === null ? 0.4 : 1);
      const device = `dev-${((id * 2654435761) >>> 0).toString(16)}`;
      const ip = `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;
      const favFamily =
        (['wealth', 'fund', 'insurance', 'deposit', 'consumer_loan', 'credit_card'] as const)[rng.nextInt(6)] ??
        'wealth';
      const favProducts = products.filter((p) => p.family === favFamily);
      const lastDay = onboardDay === null ? asOf : lastActiveDay;
      for (let day = appStart; day <= Math.min(asOf, lastDay); day++) {
        const act = onboardDay === null ? 1 : this.activity(day, onboardDay, lastActiveDay, churnDay);
        if (rng.next() >= (loginsPerMonth / 30) * act) continue;
        const session = `${id}-${day}`;
        const t0 = 7 * 3600 + rng.nextInt(16 * 3600);
        b.appEvents.push(
          `${id * 10_000 + ++evSeq}\t${id}\t${tsAt(day, t0)}\tlogin\thome\t\t\t${session}\t0\t${device}\t${ip}`,
        );
        const views = rng.nextInt(3);
        for (let v = 0; v < views; v++) {
          const pd =
            rng.next() < 0.6 ? favProducts[rng.nextInt(favProducts.length)] : products[rng.nextInt(products.length)];
          if (!pd) continue;
          b.appEvents.push(
            `${id * 10_000 + ++evSeq}\t${id}\t${tsAt(day, t0 + 30 + v * 40)}\tproduct_view\tproduct_detail\t${pd.id}\t${pd.family}\t${session}\t${20 + rng.nextInt(200)}\t${device}\t${ip}`,
          );
        }
        if (rng.next() < 0.15) {
          b.appEvents.push(
            `${id * 10_000 + ++evSeq}\t${id}\t${tsAt(day, t0 + 200)}\tsearch\tsearch\t\t${favFamily}\t${session}\t15\t${device}\t${ip}`,
          );
        }
      }
      // viewed the same product three days running without buying, ending just before as-of (starter-gift trigger)
      if (onboardDay !== null && lastActiveDay === asOf && rng.next() < 0.04) {
        const pd = favProducts[0] ?? products[0]!;
        for (let k = 3; k >= 1; k--) {
          b.appEvents.push(
            `${id * 10_000 + ++evSeq}\t${id}\t${tsAt(asOf - k + 1, 20 * 3600 + k * 60)}\tproduct_view\tproduct_detail\t${pd.id}\t${pd.family}\t${id}-v${k}\t90\t${device}\t${ip}`,
          );
        }
      }
      for (const h of holdings) {
        const sd = toDay(h.signedAt.slice(0, 10));
        if (sd >= appStart && sd <= asOf && rng.next() < 0.6) {
          b.appEvents.push(
            `${id * 10_000 + ++evSeq}\t${id}\t${h.signedAt}\tpurchase\tcheckout\t${h.productId}\t${h.family}\t${id}-p${sd}\t60\t${device}\t${ip}`,
          );
        }
      }
      if (rng.next() < 0.6) {
        b.appEvents.push(
          `${id * 10_000 + ++evSeq}\t${id}\t${tsAt(appStart, 9 * 3600)}\t${rng.next() < 0.8 ? 'push_opt_in' : 'push_opt_out'}\tsettings\t\t\t${id}-s\t5\t${device}\t${ip}`,
        );
      }
    }

    // --- month-end holdings snapshots (per product family) for 12 month-ends plus the as-of date
    if (onboardDay !== null) {
      const snapshots: number[] = [];
      const a = new Date(asOf * DAY);
      for (let m = 12; m >= 1; m--) {
        const me = Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - m + 1, 0) / DAY;
        snapshots.push(me);
      }
      snapshots.push(asOf);
      for (const day of snapshots) {
        const byFamily = new Map<string, number>();
        for (const h of holdings) {
          if (h.family === 'insurance') continue;
          const sd = toDay(h.signedAt.slice(0, 10));
          const cd = h.closedAt ? toDay(h.closedAt) : Number.POSITIVE_INFINITY;
          if (sd <= day && cd > day) byFamily.set(h.family, (byFamily.get(h.family) ?? 0) + h.amountFen);
        }
        if (day >= onboardDay) {
          const live = churnDay === null || day < churnDay;
          const bal = live ? accounts[0]?.balanceFen || Math.round(c.incomeFen * 1.5) : 0;
          const wobble = live ? Math.round(bal * 0.15 * Math.sin((day / 30) * 1.3 + id)) : 0;
          byFamily.set('deposit', (byFamily.get('deposit') ?? 0) + Math.max(0, bal + wobble));
        }
        for (const [family, bal] of byFamily) {
          b.holdingsDaily.push(
            `${isoDay(day)}\t${id}\t${family === 'deposit' ? 'DEP-ALL' : `${family.toUpperCase()}-ALL`}\t${family}\t${bal}`,
          );
        }
      }
    }

    // --- contact history (last 180 days)
    if (onboardDay !== null) {
      const n = Math.round(rng.next() * 8);
      let cSeq = 0;
      for (let k = 0; k < n; k++) {
        const day = asOf - rng.nextInt(180);
        if (day < onboardDay) continue;
        const channel = (['sms', 'push', 'call', 'wechat', 'email', 'branch'] as const)[rng.nextInt(6)] ?? 'sms';
        const purpose = rng.next() < 0.8 ? 'marketing' : 'service';
        const u = rng.next();
        const outcome = u < 0.08 ? 'accepted' : u < 0.2 ? 'declined' : u < 0.21 ? 'complaint' : 'ignored';
        const nps = rng.next() < 0.05 ? String(rng.nextInt(11)) : '\\N';
        const resp = outcome === 'ignored' ? '\\N' : tsAt(day + 1, 12 * 3600);
        const campaign = purpose === 'marketing' ? (campaigns[rng.nextInt(campaigns.length)] ?? '') : '';
        b.contacts.push(
          `${id * 1000 + ++cSeq}\t${id}\t${tsAt(day, 10 * 3600 + rng.nextInt(8 * 3600))}\t${channel}\t${purpose}\t${campaign}\t${campaign ? `${campaign}-A` : ''}\t${campaign ? 'v1' : ''}\t${outcome}\t${resp}\t${nps}\t[]`,
        );
      }
      if (rng.next() < 0.03) {
        b.contacts.push(
          `${id * 1000 + ++cSeq}\t${id}\t${tsAt(asOf - rng.nextInt(300), 11 * 3600)}\tbranch\tservice\t\t\t\treferral\t\\N\t\\N\t[]`,
        );
      }
    }
  }
}
