/**
 * Facts of one customer from its plan: accounts, holdings (with renewals, redemptions and month-end snapshots), credit
 * cards, loans, consents, and the analytics streams — transactions, app events, contacts — as TSV text.
 *
 * Ids are derived from the customer id (no global counters), so any customer can be generated on its own:
 * accounts id·8+k, holdings id·64+k, cards id·4+k, loans id·8+k, transactions and app events id·65536+k,
 * contacts id·1024+k.
 */
import { DT_SPRING, dayFromYmd, isoDate, isoTs, localToEpoch, SPRING_FESTIVAL, ymd } from './calendar.ts';
import { intensity, type Plan } from './customer.ts';
import { Categorical, mix32, type Rng, weighted } from './prng.ts';
import {
  CATEGORY_PROFILE,
  MERCHANT_CATEGORIES,
  type MerchantCategory,
  type ProductFamily,
  type SynthProduct,
} from './products.ts';
import type { ByteSink } from './tsv.ts';
import type { Persona, SynthAccount, SynthCard, SynthConsent, SynthHolding, SynthLoan, TsvTable } from './types.ts';
import { navAt, type World } from './world.ts';

export interface FactsSink {
  accounts: SynthAccount[];
  holdings: SynthHolding[];
  cards: SynthCard[];
  loans: SynthLoan[];
  consents: SynthConsent[];
  sinks: Record<TsvTable, ByteSink>;
}

const NCAT = MERCHANT_CATEGORIES.length;
const CAT_INDEX = new Map<MerchantCategory, number>(MERCHANT_CATEGORIES.map((c, i) => [c, i]));

const PERSONA_BOOST: Readonly<Record<Persona, Partial<Record<MerchantCategory, number>>>> = {
  gen_z_95: {
    digital: 2.5,
    entertainment: 2,
    beauty: 1.5,
    dining: 1.3,
    fitness: 1.6,
    public_transport: 1.5,
    electronics: 1.4,
    supermarket: 0.7,
  },
  quasi_middle_class: {
    travel: 2.5,
    airline: 2.2,
    hotel: 2.2,
    fitness: 1.6,
    health: 1.3,
    beauty: 1.3,
    education: 1.3,
    electronics: 1.2,
  },
  young_parent: { toys: 5, education: 3, supermarket: 1.3, maternity: 3 },
  new_urban_resident: { public_transport: 2, dining: 1.3, utilities: 1.2, digital: 1.3 },
  silver: {
    health: 2.5,
    pharmacy: 3,
    supermarket: 1.6,
    digital: 0.25,
    entertainment: 0.5,
    electronics: 0.5,
    fitness: 0.6,
  },
  sme_owner: { auto: 1.6, fuel: 1.6, travel: 1.4, hotel: 1.5, other: 2, dining: 1.2 },
  farmer_herder: { agriculture: 25, supermarket: 1.3, digital: 0.3, travel: 0.3, airline: 0.2, beauty: 0.5 },
};

const DAYTYPE_MOD: readonly Partial<Record<MerchantCategory, number>>[] = [
  {},
  { dining: 1.4, entertainment: 1.7, apparel: 1.3, travel: 1.2, sports: 1.4, public_transport: 0.7 },
  {
    supermarket: 2,
    apparel: 2,
    dining: 1.8,
    travel: 1.8,
    airline: 1.6,
    toys: 1.6,
    digital: 1.2,
    public_transport: 0.6,
  },
  { digital: 2.5, electronics: 3, apparel: 2.5, beauty: 2.5, maternity: 2, toys: 2 },
  { digital: 2, electronics: 2.5, apparel: 1.5, beauty: 1.5 },
  { travel: 2.8, hotel: 2.8, airline: 2.2, dining: 1.5, public_transport: 0.5 },
];

const SPEND_HOURS = Categorical.of([
  0.3, 0.1, 0.05, 0.03, 0.03, 0.1, 0.5, 2, 3, 3.5, 4, 5, 8, 6, 4, 4, 4.5, 5.5, 7.5, 8, 6.5, 4.5, 2.5, 1,
]);
const APP_HOURS = Categorical.of([
  0.8, 0.3, 0.1, 0.05, 0.05, 0.2, 1, 3.5, 5, 4, 3.5, 4, 6, 5, 3.5, 3, 3, 3.5, 4, 5, 6.5, 7.5, 6, 3,
]);
const PAGES = [
  'home',
  'wealth_market',
  'loan_centre',
  'card_centre',
  'benefits',
  'points_mall',
  'risk_assessment',
  'knowledge_quiz',
  'carbon_account',
  'bill',
] as const;
const IP_A = [
  36, 39, 42, 58, 60, 101, 106, 112, 113, 114, 115, 117, 119, 120, 122, 123, 124, 125, 180, 182, 183, 202, 218, 220,
  221, 222, 223,
];
/** An IPv4 address whose first octet is one of IP_A, drawn from `r`. */
const ipFrom = (r: Rng): string => `${r.pick(IP_A)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
const FAMILIES: readonly ProductFamily[] = [
  'deposit',
  'wealth',
  'fund',
  'insurance',
  'consumer_loan',
  'mortgage',
  'car_loan',
  'business_loan',
  'agri_loan',
  'credit_card',
];

const CAT_SHARE = Float64Array.from(MERCHANT_CATEGORIES, (c) => CATEGORY_PROFILE[c][0]);
const CAT_MEDIAN = Float64Array.from(MERCHANT_CATEGORIES, (c) => CATEGORY_PROFILE[c][1]);
const CAT_SIGMA = Float64Array.from(MERCHANT_CATEGORIES, (c) => CATEGORY_PROFILE[c][2]);
const BOOST = new Map<Persona, Float64Array>(
  (Object.keys(PERSONA_BOOST) as Persona[]).map((ps) => [
    ps,
    Float64Array.from(MERCHANT_CATEGORIES, (c) => PERSONA_BOOST[ps][c] ?? 1),
  ]),
);
const DT_MOD: Float64Array[] = DAYTYPE_MOD.map((mod) => Float64Array.from(MERCHANT_CATEGORIES, (c) => mod[c] ?? 1));
const cat = (name: MerchantCategory) => CAT_INDEX.get(name) ?? -1;
const C_GREEN = [cat('green'), cat('ev_charging'), cat('public_transport')];
const C_CAR = [cat('auto'), cat('fuel'), cat('ev_charging')];
const C_MATERNITY = cat('maternity');
const C_TOYS = cat('toys');
const C_EDU = cat('education');
const C_DIGITAL = cat('digital');
const C_TRAVEL = [cat('travel'), cat('hotel'), cat('airline')];

// Per-customer scratch (reused; the generator is single-threaded).
const catByDayType: Categorical[] = DAYTYPE_MOD.map(() => new Categorical(NCAT));
const catWeights = new Float64Array(NCAT);
const familyCat = new Categorical(FAMILIES.length);
const familyWeights = new Float64Array(FAMILIES.length);
const pageCat = new Categorical(PAGES.length);
const pageWeights = new Float64Array(PAGES.length);

interface HoldingSpan {
  h: SynthHolding;
  product: SynthProduct;
  start: number;
  end: number | null;
}

function clampInt(v: number): number {
  return Math.max(1, Math.round(v));
}

/** 16-digit card number with a Luhn check digit. */
function cardNumber(cardId: number, bin: string): string {
  const body = bin + String((cardId * 104_729 + 7_777_777) % 1_000_000_000).padStart(9, '0');
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

function accountNumber(accountId: number): string {
  return `621785${String((accountId * 7919 + 12_345) % 10_000_000_000_000).padStart(13, '0')}`;
}

function springFestivalOf(year: number): number | null {
  const iso = SPRING_FESTIVAL[year];
  if (!iso) return null;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dayFromYmd(y, m, d);
}

/**
 * Writes one customer's facts. `settingsRng` draws the customer's app settings (push notifications) on a stream of
 * their own, so adding them left every other generated value unchanged.
 */
export function emitFacts(world: World, p: Plan, rng: Rng, out: FactsSink, settingsRng: Rng): void {
  const c = p.c;
  const id = c.id;
  const asOf = world.asOfDay;
  const winStart = world.windowStart;
  const potential = c.lifecycle === 'potential';
  const historicChurn = c.lifecycle === 'churned' && p.churnDay !== null;
  const closeDay = historicChurn ? (p.churnDay as number) : null;
  const incomeFactor = Math.min(3, Math.max(0.5, (c.monthlyIncomeFen / 800_000) ** 0.35));
  const personas = c.personas;
  const has = (x: Persona) => personas.includes(x);

  const sT = out.sinks.transactions;
  const sE = out.sinks.app_events;
  const sH = out.sinks.holdings_daily;
  const sC = out.sinks.contacts;
  let txnSeq = 0;
  const txn = (
    accountId: number,
    epoch: number,
    amountFen: number,
    dir: 'in' | 'out',
    channel: string,
    type: string,
    cat: string,
    cpty: string,
    xb: 0 | 1,
  ) => {
    if (txnSeq >= 65_535) return;
    sT.row()
      .num(id * 65_536 + txnSeq++)
      .tab()
      .num(id)
      .tab()
      .num(accountId)
      .tab()
      .ts(epoch)
      .tab()
      .num(amountFen)
      .tab();
    sT.str(dir).tab().str(channel).tab().str(type).tab().str(cat).tab().str(cpty).tab().num(xb).nl();
  };
  let evSeq = 0;
  let session = 0;
  const devices = [
    (mix32(world.seed ^ id) >>> 0).toString(16).padStart(8, '0') +
      (mix32(id * 31 + 7) >>> 0).toString(16).padStart(8, '0'),
    (mix32(world.seed ^ (id + 0x9e37)) >>> 0).toString(16).padStart(8, '0') +
      (mix32(id * 17 + 3) >>> 0).toString(16).padStart(8, '0'),
  ];
  const deviceSwitch = rng.chance(0.25) ? rng.int(winStart, asOf) : Number.POSITIVE_INFINITY;
  const event = (
    epoch: number,
    type: string,
    page: string,
    productId: string,
    family: string,
    dur: number,
    ip: string,
  ) => {
    if (evSeq >= 65_535) return;
    const dev = (epoch / 86_400 >= deviceSwitch ? devices[1] : devices[0]) ?? '';
    sE.row()
      .num(id * 65_536 + evSeq++)
      .tab()
      .num(id)
      .tab()
      .ts(epoch)
      .tab()
      .str(type)
      .tab()
      .str(page)
      .tab()
      .str(productId)
      .tab();
    sE.str(family).tab().num(id).str('-').num(session).tab().num(dur).tab().str(dev).tab().str(ip).nl();
  };
  const ipAddr = () => ipFrom(rng);
  const spendTime = (day: number) => localToEpoch(day, SPEND_HOURS.sample(rng) * 3600 + rng.int(0, 3599));
  const appTime = (day: number) => localToEpoch(day, APP_HOURS.sample(rng) * 3600 + rng.int(0, 3599));
  const appChannel = () => (c.appUser && rng.chance(0.75) ? 'mobile_banking' : rng.chance(0.8) ? 'counter' : 'atm');

  // --- accounts -------------------------------------------------------------------------------------------------------
  const mine: SynthAccount[] = [];
  let savingsId = 0;
  let payrollId = 0;
  let businessId = 0;
  const onboard = p.onboardDay;
  if (!potential && onboard !== null) {
    const status: Pick<SynthAccount, 'closedAt' | 'status'> =
      closeDay !== null
        ? { closedAt: isoDate(closeDay), status: 'closed' }
        : c.lifecycle === 'dormant' && asOf - p.actEnd > 365
          ? { closedAt: null, status: 'dormant' }
          : { closedAt: null, status: 'open' };
    const add = (k: number, kind: SynthAccount['kind'], opened: number) => {
      const aid = id * 8 + k;
      mine.push({
        id: aid,
        customerId: id,
        accountNo: accountNumber(aid),
        kind,
        branchId: c.homeBranchId,
        openedAt: isoDate(opened),
        balanceFen: 0,
        ...status,
      });
      return aid;
    };
    savingsId = add(0, 'savings', onboard);
    if (p.salaryHere && c.occupation !== 'retired' && rng.chance(0.55))
      payrollId = add(1, 'payroll', Math.max(onboard, Math.min(asOf, p.actEnd - 1, onboard + rng.int(0, 400))));
    if (has('sme_owner') && rng.chance(0.85))
      businessId = add(2, 'business', Math.max(onboard, Math.min(asOf, p.actEnd - 1, onboard + rng.int(0, 700))));
    if (rng.chance(0.03))
      add(3, 'current', Math.max(onboard, Math.min(asOf, p.actEnd - 1, onboard + rng.int(0, 1000))));
  }

  // --- holdings -------------------------------------------------------------------------------------------------------
  const spans: HoldingSpan[] = [];
  let demandBase = 0;
  let investExperience = false;
  let professional = false;
  if (!potential && onboard !== null) {
    const r = p.riskNum;
    const alloc: [number, number, number, number, number] =
      r === 0
        ? [0.45, 0.5, 0, 0, 0.05]
        : r === 1
          ? [0.3, 0.5, 0.15, 0, 0.05]
          : r === 2
            ? [0.25, 0.35, 0.3, 0.05, 0.05]
            : r === 3
              ? [0.2, 0.25, 0.3, 0.17, 0.08]
              : r === 4
                ? [0.15, 0.15, 0.3, 0.32, 0.08]
                : [0.12, 0.1, 0.33, 0.4, 0.05];
    if (has('silver')) {
      alloc[1] *= 1.5;
      alloc[4] *= 1.5;
    }
    let total = 0;
    for (let i = 0; i < 5; i++) {
      alloc[i as 0] = alloc[i as 0] * Math.exp(0.5 * rng.normal()) * (rng.chance(0.2) && i > 0 ? 0 : 1);
      total += alloc[i as 0];
    }
    const aum = p.aumFen;
    const small = aum < 5_000_000;
    demandBase = small ? Math.round(aum * (0.6 + 0.3 * rng.float())) : Math.round((aum * alloc[0]) / total);
    const buckets: [ProductFamily | 'time', number][] = small
      ? [['time', aum - demandBase]]
      : [
          ['time', (aum * alloc[1]) / total],
          ['wealth', (aum * alloc[2]) / total],
          ['fund', (aum * alloc[3]) / total],
          ['insurance', (aum * alloc[4]) / total],
        ];
    let hk = 0;
    const riskValidTo = p.riskDay === null ? -1 : p.riskDay + 365;
    const riskFrom = p.riskDay ?? Number.POSITIVE_INFINITY;
    for (const [bucket, amount0] of buckets) {
      if (amount0 < 100_000) continue;
      const positions = amount0 > 40_000_000 && rng.chance(0.6) ? 2 : 1;
      for (let k = 0; k < positions; k++) {
        const amount = Math.round(amount0 / positions / 100) * 100;
        const prod = chooseProduct(world, p, rng, bucket, amount);
        if (!prod || amount < prod.minAmountFen) continue;
        const invest = prod.family === 'wealth' || prod.family === 'fund';
        if (invest && p.riskDay === null) continue;
        let amt = amount;
        if (prod.kind === 'protection')
          amt = Math.max(prod.minAmountFen, Math.round(Math.min(amount, 800_000 * incomeFactor) / 100) * 100);
        // When the first holding of this position was signed.
        const term = prod.termDays;
        const span = term === null ? 1100 : Math.min(1100, Math.round(term * 2.5));
        let s =
          c.lifecycle === 'new' ? rng.int(onboard, asOf) : Math.max(onboard + rng.int(1, 60), asOf - rng.int(0, span));
        if (s > p.actEnd - 1) s = Math.max(onboard, p.actEnd - rng.int(1, 200));
        if (invest) {
          // Investment products need a valid risk assessment when signed.
          if (s < riskFrom) s = riskFrom + rng.int(0, 30);
          if (s > riskValidTo || s > asOf || s >= p.actEnd) continue;
          investExperience = true;
        }
        // Churners take their money out in the pre-churn window (signal) or right before leaving (abrupt).
        let exitDay: number | null = null;
        if (p.churnDay !== null) {
          const from = p.rampStart !== null ? Math.max(p.rampStart + 10, s + 1) : Math.max(p.churnDay - 6, s + 1);
          const d = from >= p.churnDay ? p.churnDay - 1 : rng.int(from, p.churnDay - 1);
          const closesAll = historicChurn;
          if (closesAll || (prod.kind !== 'protection' && prod.kind !== 'whole_life' && rng.chance(0.75))) exitDay = d;
        } else if (term === null && prod.kind !== 'protection' && rng.chance(0.12)) {
          const d = rng.int(s + 20, s + 700);
          if (d <= Math.min(asOf, p.actEnd - 1)) exitDay = d;
        }
        for (let link = 0; link < 6 && hk < 64; link++) {
          const mat = term === null ? null : s + term;
          const h: SynthHolding = {
            id: id * 64 + hk++,
            customerId: id,
            productId: prod.id,
            accountId: savingsId || null,
            amountFen: amt,
            signedAt: isoTs(localToEpoch(s, rng.int(9 * 3600, 21 * 3600))),
            maturityDate: mat === null ? null : isoDate(mat),
            closedAt: null,
            status: 'active',
          };
          let end: number | null = null;
          if (exitDay !== null && exitDay <= asOf && (mat === null || exitDay < mat)) {
            h.status = 'redeemed';
            end = exitDay;
          } else if (mat !== null && mat <= asOf) {
            h.status = 'matured';
            end = mat;
          }
          if (end !== null) h.closedAt = isoDate(end);
          out.holdings.push(h);
          spans.push({ h, product: prod, start: s, end });
          if (prod.isPrivate) professional = true;
          // Transactions of this holding inside the window.
          const chan = c.appUser && rng.chance(0.7) ? 'mobile_banking' : 'counter';
          if (s >= winStart && s <= asOf) {
            const type =
              prod.family === 'deposit'
                ? 'time_deposit'
                : prod.family === 'insurance'
                  ? 'insurance_premium'
                  : 'wealth_purchase';
            const ep = localToEpoch(s, rng.int(9 * 3600, 21 * 3600));
            txn(savingsId, ep, amt, 'out', chan, type, '', 'internal', 0);
            if (chan === 'mobile_banking' && p.appDay !== null && s >= p.appDay) {
              session++;
              const ip = ipAddr();
              event(ep - 120, 'login', 'home', '', '', rng.int(60, 600), ip);
              event(ep - 60, 'product_view', 'product_detail', prod.id, prod.family, rng.int(20, 240), ip);
              event(ep, 'purchase', 'purchase', prod.id, prod.family, rng.int(10, 90), ip);
            }
          }
          // Maturities after the customer went quiet pay back silently (no customer-initiated transaction).
          if (end !== null && end >= winStart && end < p.actEnd) {
            const ep = localToEpoch(end, rng.int(9 * 3600, 21 * 3600));
            const value = Math.round(amt * growth(world, prod, s, end));
            if (h.status === 'redeemed')
              txn(
                savingsId,
                ep,
                value,
                'in',
                chan,
                prod.family === 'deposit' ? 'early_withdrawal' : 'redemption',
                '',
                'internal',
                0,
              );
            else txn(savingsId, ep, value, 'in', 'system', 'maturity', '', 'internal', 0);
          }
          if (h.status !== 'matured' || mat === null) break;
          // Roll over while the customer is still around (and, for investments, the assessment is still valid).
          const next = mat + rng.int(0, 5);
          if (next >= Math.min(p.actEnd, asOf + 1) || !rng.chance(0.72)) break;
          if (exitDay !== null && next >= exitDay) break;
          if (invest && next > riskValidTo) break;
          s = next;
        }
      }
    }
  }

  // --- credit cards ---------------------------------------------------------------------------------------------------
  let cardId = 0;
  let cardActiveFrom = Number.POSITIVE_INFINITY;
  let cardShare = 0;
  if (!potential && onboard !== null && p.age >= 20 && p.age <= 66 && c.monthlyIncomeFen >= 350_000) {
    const pc = has('quasi_middle_class') ? 0.6 : has('gen_z_95') ? 0.45 : has('silver') ? 0.12 : 0.33;
    if (rng.chance(pc)) {
      const prodId =
        has('gen_z_95') && rng.chance(0.6)
          ? 'CC-YOUTH'
          : p.traveller && rng.chance(0.5)
            ? 'CC-TRAVEL'
            : has('quasi_middle_class') && rng.chance(0.4)
              ? 'CC-PLAT'
              : p.green && rng.chance(0.4)
                ? 'CC-GREEN'
                : p.carOwner && rng.chance(0.3)
                  ? 'CC-AUTO'
                  : 'CC-GOLD';
      const recent = rng.float();
      let issued =
        c.lifecycle === 'new'
          ? Math.min(asOf, onboard + rng.int(0, 30))
          : recent < 0.1
            ? asOf - rng.int(0, 29)
            : recent < 0.2
              ? asOf - rng.int(30, 89)
              : recent < 0.35
                ? asOf - rng.int(90, 210)
                : asOf - rng.int(211, 3000);
      issued = Math.max(issued, onboard);
      if (issued >= p.actEnd) issued = Math.max(onboard, p.actEnd - rng.int(30, 400));
      const activationP = asOf - issued < 60 ? 0.6 : 0.88;
      let activated: number | null = rng.chance(activationP)
        ? issued + Math.min(60, Math.floor(-Math.log(1 - rng.float()) * 8))
        : null;
      if (activated !== null && (activated > asOf || activated >= p.actEnd)) activated = null;
      cardId = id * 4;
      const closed = closeDay !== null || (asOf - issued > 900 && rng.chance(0.03));
      const limitYuan = Math.min(
        prodId === 'CC-PLAT' || prodId === 'CC-TRAVEL' ? 500_000 : 200_000,
        Math.max(3000, Math.round(((c.monthlyIncomeFen / 100) * (2 + rng.float() * 4)) / 1000) * 1000),
      );
      out.cards.push({
        id: cardId,
        customerId: id,
        productId: prodId,
        cardNo: cardNumber(cardId, prodId === 'CC-PLAT' ? '6258' : '6259'),
        issuedAt: isoDate(issued),
        activatedAt: activated === null ? null : isoDate(activated),
        limitFen: limitYuan * 100,
        boundToWallet: activated !== null && rng.chance(has('gen_z_95') ? 0.8 : 0.5),
        status: closed ? 'closed' : activated === null ? 'issued' : 'active',
      });
      if (activated !== null && !closed) {
        // About a third of recently activated cards are not swiped yet (the first-swipe campaign target).
        const noSwipeYet = asOf - activated < 90 && rng.chance(0.35);
        cardActiveFrom = noSwipeYet ? Number.POSITIVE_INFINITY : activated;
        cardShare = has('quasi_middle_class') ? 0.7 : 0.5;
      }
    }
  }

  // --- loans ----------------------------------------------------------------------------------------------------------
  const loanSpans: { loan: SynthLoan; start: number; end: number; monthly: number; overdueFrom: number }[] = [];
  // Dormant customers hold no running loans (repayments would be activity).
  if (!potential && onboard !== null && c.lifecycle !== 'dormant') {
    const wants: [string, number][] = [];
    if (p.age >= 27 && p.age <= 55 && c.housing === 'own' && rng.chance(c.cityTier <= 2 ? 0.32 : 0.22))
      wants.push([rng.chance(0.7) ? 'LN-MORT' : 'LN-MORT-PF', 0]);
    if (p.carOwner && rng.chance(0.15)) wants.push([rng.chance(0.4) ? 'LN-CAR-NEV' : 'LN-CAR', 0]);
    if (rng.chance(has('new_urban_resident') ? 0.16 : has('gen_z_95') ? 0.12 : 0.07))
      wants.push([rng.chance(0.8) ? 'LN-CONS-E' : 'LN-CONS-DECO', 0]);
    if (has('sme_owner') && rng.chance(0.8)) wants.push([rng.chance(0.6) ? 'LN-BIZ' : 'LN-BIZ-TAX', 0]);
    if (has('farmer_herder') && rng.chance(0.62)) wants.push([rng.chance(0.7) ? 'LN-AGRI' : 'LN-AGRI-COOP', 0]);
    let lk = 0;
    for (const [prodId] of wants) {
      const prod = world.products.find((x) => x.id === prodId);
      if (!prod) continue;
      const fam = prod.family;
      const termDays =
        fam === 'mortgage'
          ? rng.pick([3650, 5475, 7300, 9125, 10950])
          : fam === 'consumer_loan'
            ? rng.pick([365, 730, 1095])
            : rng.pick([365, 730, 1095]);
      const latest = Math.min(asOf - 5, p.actEnd - 30);
      const earliest = Math.max(onboard, asOf - (fam === 'mortgage' ? 5000 : 1400));
      if (latest <= earliest) continue;
      const disbursed = rng.int(earliest, latest);
      const principalYuan =
        fam === 'mortgage'
          ? (c.monthlyIncomeFen / 100) * (60 + rng.float() * 120)
          : fam === 'car_loan'
            ? 50_000 + rng.float() * 200_000
            : fam === 'consumer_loan'
              ? 10_000 + rng.float() * 190_000 * Math.min(1, incomeFactor)
              : fam === 'business_loan'
                ? 100_000 + rng.float() * 2_900_000 * rng.float()
                : 10_000 + rng.float() * 490_000 * rng.float();
      const principalFen = Math.max(prod.minAmountFen, Math.round(principalYuan / 1000) * 100_000);
      const maturity = disbursed + termDays;
      const elapsed = Math.min(1, (asOf - disbursed) / termDays);
      const repaid = maturity <= asOf || historicChurn; // churners settle everything when they leave
      const overdue =
        !repaid && rng.chance(0.03)
          ? weighted(rng, [
              [5, 30],
              [15, 25],
              [35, 20],
              [65, 12],
              [95, 8],
              [200, 5],
            ] as [number, number][])
          : 0;
      const writtenOff = overdue >= 200 && rng.chance(0.3);
      const loan: SynthLoan = {
        id: id * 8 + lk++,
        customerId: id,
        productId: prodId,
        principalFen,
        outstandingFen: repaid
          ? 0
          : Math.round((principalFen * (1 - elapsed ** (fam === 'mortgage' ? 1.3 : 1))) / 100) * 100,
        disbursedAt: isoDate(disbursed),
        maturityDate: isoDate(maturity),
        overdueDays: overdue,
        status: writtenOff ? 'written_off' : repaid ? 'repaid' : 'active',
      };
      out.loans.push(loan);
      const end = repaid ? Math.min(maturity, historicChurn && p.churnDay !== null ? p.churnDay : maturity) : asOf + 1;
      const monthly =
        Math.round(((principalFen / (termDays / 30.4)) * (1 + (prod.benchmarkYieldBp ?? 400) / 10_000)) / 100) * 100;
      loanSpans.push({ loan, start: disbursed, end, monthly, overdueFrom: overdue > 0 ? asOf - overdue : asOf + 1 });
      if (disbursed >= winStart)
        txn(
          savingsId || businessId,
          localToEpoch(disbursed, rng.int(9 * 3600, 17 * 3600)),
          principalFen,
          'in',
          'system',
          'loan_disbursement',
          '',
          'internal',
          0,
        );
    }
  }

  // --- spend mix per day type -----------------------------------------------------------------------------------------
  const boosts = personas.map((ps) => BOOST.get(ps) as Float64Array);
  for (let i = 0; i < NCAT; i++) {
    let w = CAT_SHARE[i] as number;
    for (const b of boosts) w *= b[i] as number;
    if (p.green && C_GREEN.includes(i)) w *= 4;
    if (!p.carOwner && C_CAR.includes(i)) w *= 0.1;
    if (p.youngestChildAge !== null) {
      if (i === C_MATERNITY && p.youngestChildAge <= 3) w *= 6;
      if (i === C_TOYS && p.youngestChildAge <= 10) w *= 3;
      if (i === C_EDU && p.youngestChildAge >= 3) w *= 3;
    } else if (i === C_MATERNITY || i === C_TOYS) w *= 0.3;
    catWeights[i] = w;
  }
  for (let t = 0; t < DT_MOD.length; t++) {
    const mod = DT_MOD[t] as Float64Array;
    const cdf = catByDayType[t] as Categorical;
    cdf.setProduct(catWeights, mod);
  }

  // --- card and debit spend -------------------------------------------------------------------------------------------
  const actStart = p.actStart;
  const actEnd = Math.min(p.actEnd, asOf + 1);
  const cal = world.calendar;
  if (!potential && savingsId !== 0 && actEnd > actStart) {
    const n = rng.poisson(p.purchaseRate * (actEnd - actStart));
    for (let i = 0; i < n; i++) {
      const day = cal.sample(cal.spendCum, rng, actStart, actEnd);
      if (day < 0) break;
      const m = intensity(p, day);
      if (m < 1 && rng.float() > m) continue;
      const dt = cal.typeOf(day);
      const ci = (catByDayType[dt] as Categorical).sample(rng);
      const cat = MERCHANT_CATEGORIES[ci] as MerchantCategory;
      const amount = clampInt(rng.logNormal((CAT_MEDIAN[ci] as number) * incomeFactor, CAT_SIGMA[ci] as number) * 100);
      const onCard = day >= cardActiveFrom && rng.chance(cardShare);
      const travel = C_TRAVEL.includes(ci);
      const xb: 0 | 1 =
        (travel && rng.chance(p.traveller ? 0.35 : 0.03)) || (ci === C_DIGITAL && rng.chance(0.02)) ? 1 : 0;
      const wallet = !onCard && xb === 0 && rng.chance(p.walletShare);
      txn(
        onCard ? cardId : savingsId,
        spendTime(day),
        amount,
        'out',
        onCard ? 'credit_card' : 'debit_card',
        'purchase',
        cat,
        wallet ? 'wallet' : 'merchant',
        xb,
      );
    }
    // Utility bills by auto-pay, monthly.
    if (c.housing !== 'family' && rng.chance(0.55)) {
      const dom = rng.int(6, 14);
      const base = rng.logNormal(180, 0.4) * 100;
      const [uy, um] = ymd(actStart);
      for (let k = 0; k < 14; k++) {
        const d = dayFromYmd(uy, um + k, dom);
        if (d >= actEnd) break;
        if (d < actStart) continue;
        txn(
          savingsId,
          spendTime(d),
          clampInt(base * (0.8 + 0.4 * rng.float())),
          'out',
          'auto_debit',
          'purchase',
          'utilities',
          'merchant',
          0,
        );
      }
    }
    // Person-to-person and bank transfers.
    const nt = rng.poisson(p.transferRate * (actEnd - actStart));
    for (let i = 0; i < nt; i++) {
      const day = cal.sample(cal.spendCum, rng, actStart, actEnd);
      if (day < 0) break;
      const m = intensity(p, day);
      if (m < 1 && rng.float() > m) continue;
      const inbound = rng.chance(0.45);
      const spring = cal.typeOf(day) === DT_SPRING;
      const amount = clampInt(rng.logNormal((spring ? 1200 : 700) * incomeFactor, 1) * 100);
      const cp = rng.chance(0.7)
        ? 'individual'
        : rng.chance(has('gen_z_95') ? 0.6 : 0.35)
          ? 'internet_platform'
          : 'other_bank';
      txn(savingsId, spendTime(day), amount, inbound ? 'in' : 'out', appChannel(), 'transfer', '', cp, 0);
    }
    // Churners move their money out: several large outbound transfers in the pre-churn window, or one at the end.
    if (p.churnDay !== null) {
      const big = Math.max(500_000, p.aumFen);
      const from = p.rampStart !== null ? Math.max(p.rampStart + 20, actStart) : p.churnDay - 5;
      const k = p.rampStart !== null ? rng.int(2, 4) : 1;
      for (let i = 0; i < k; i++) {
        const day = from >= p.churnDay ? p.churnDay - 1 : rng.int(from, p.churnDay - 1);
        if (day > asOf || day < winStart) continue;
        txn(
          savingsId,
          spendTime(day),
          Math.round(big * (0.15 + 0.25 * rng.float())),
          'out',
          appChannel(),
          'transfer',
          '',
          rng.chance(0.5) ? 'internet_platform' : 'other_bank',
          0,
        );
      }
    }
  }

  // --- salary, pension, interest, fees, loan repayments (passive) -----------------------------------------------------
  if (!potential && savingsId !== 0) {
    const startD = Math.max(winStart, onboard ?? winStart);
    if (p.salaryHere) {
      let salaryEnd = Math.min(asOf + 1, p.actEnd);
      if (p.churnDay !== null && p.rampStart !== null && rng.chance(0.6))
        salaryEnd = Math.min(salaryEnd, p.churnDay - rng.int(20, 60));
      const retired = c.occupation === 'retired';
      const acct = payrollId || savingsId;
      const [y0, m0] = ymd(startD);
      for (let k = 0; k < 14; k++) {
        const day = dayFromYmd(y0, m0 + k, p.payday) + rng.int(-1, 1);
        if (day < startD) continue;
        if (day >= salaryEnd) break;
        const amt = Math.round((c.monthlyIncomeFen * (0.92 + 0.16 * rng.float())) / 100) * 100;
        txn(
          acct,
          localToEpoch(day, rng.int(7 * 3600, 11 * 3600)),
          amt,
          'in',
          'payroll',
          'salary',
          '',
          retired ? 'social_security' : 'employer',
          0,
        );
      }
      if (!retired) {
        for (const year of [ymd(startD)[0], ymd(startD)[0] + 1]) {
          const sf = springFestivalOf(year);
          if (sf === null || !rng.chance(0.5)) continue;
          const day = sf - rng.int(10, 25);
          if (day < startD || day >= salaryEnd) continue;
          txn(
            acct,
            localToEpoch(day, rng.int(7 * 3600, 11 * 3600)),
            Math.round((c.monthlyIncomeFen * (1 + 2 * rng.float())) / 100) * 100,
            'in',
            'payroll',
            'salary',
            '',
            'employer',
            0,
          );
        }
      }
    }
    // Quarterly demand-deposit interest on the 21st of Mar/Jun/Sep/Dec.
    const endOpen = closeDay ?? asOf + 1;
    const [ys] = ymd(winStart);
    for (const year of [ys, ys + 1]) {
      for (const month of [3, 6, 9, 12]) {
        const day = dayFromYmd(year, month, 21);
        if (day < startD || day >= endOpen || day > asOf) continue;
        txn(
          savingsId,
          localToEpoch(day, 2 * 3600),
          Math.max(1, Math.round((demandBase * 0.0015) / 4)),
          'in',
          'system',
          'interest',
          '',
          'internal',
          0,
        );
      }
    }
    if (rng.chance(0.12)) {
      for (let k = 0; k < 12; k++) {
        const day = asOf - 5 - 30 * k - rng.int(0, 3);
        if (day < startD || day >= endOpen) continue;
        txn(savingsId, localToEpoch(day, 3 * 3600), 200, 'out', 'system', 'fee', '', 'internal', 0);
      }
    }
    for (const ls of loanSpans) {
      const [dy, dm, dd] = ymd(ls.start);
      for (let k = 1; k < 400; k++) {
        const day = dayFromYmd(dy, dm + k, Math.min(dd, 28));
        if (day >= ls.end || day > asOf || day >= ls.overdueFrom) break;
        if (day < winStart) {
          k += Math.max(0, Math.floor((winStart - day) / 31) - 1);
          continue;
        }
        txn(
          savingsId || businessId,
          localToEpoch(day, 6 * 3600),
          ls.monthly,
          'out',
          'auto_debit',
          'loan_repayment',
          '',
          'internal',
          0,
        );
      }
    }
  }

  // --- month-end holdings snapshots -----------------------------------------------------------------------------------
  let lastDemand = 0;
  if (!potential && onboard !== null) {
    const snapIds: string[] = [];
    const snapFam: string[] = [];
    const snapVal: number[] = [];
    for (const sd of world.snapshotDays) {
      snapIds.length = 0;
      snapFam.length = 0;
      snapVal.length = 0;
      const put = (pid: string, fam: string, v: number) => {
        const at = snapIds.indexOf(pid);
        if (at >= 0) snapVal[at] = (snapVal[at] ?? 0) + v;
        else {
          snapIds.push(pid);
          snapFam.push(fam);
          snapVal.push(v);
        }
      };
      if (sd >= onboard && (closeDay === null || sd < closeDay)) {
        let f = 1;
        if (c.lifecycle !== 'dormant') f = 0.85 + 0.3 * rng.float();
        if (p.churnDay !== null && p.rampStart !== null && sd >= p.rampStart)
          f *= Math.max(0.01, 1 - (sd - p.rampStart) / (p.churnDay - p.rampStart));
        if (p.churnDay !== null && p.rampStart === null && sd >= p.churnDay - 5) f *= 0.01;
        let v = Math.round(demandBase * f);
        if (businessId !== 0) v += Math.round(p.aumFen * 0.1 * (0.7 + 0.6 * rng.float()));
        if (sd === asOf) lastDemand = v;
        put('DEP-DEMAND', 'deposit', v);
      }
      for (const sp of spans) {
        if (sd < sp.start || (sp.end !== null && sd >= sp.end)) continue;
        put(sp.product.id, sp.product.family, Math.round(sp.h.amountFen * growth(world, sp.product, sp.start, sd)));
      }
      for (let i = 0; i < snapIds.length; i++)
        sH.row()
          .date(sd)
          .tab()
          .num(id)
          .tab()
          .str(snapIds[i] ?? '')
          .tab()
          .str(snapFam[i] ?? '')
          .tab()
          .num(snapVal[i] ?? 0)
          .nl();
    }
  }
  for (const a of mine) {
    out.accounts.push(a);
    if (a.status === 'closed') continue;
    if (a.kind === 'savings')
      a.balanceFen = payrollId ? Math.round(lastDemand * 0.7) : businessId ? Math.round(demandBase) : lastDemand;
    else if (a.kind === 'payroll') a.balanceFen = lastDemand - Math.round(lastDemand * 0.7);
    else if (a.kind === 'business') a.balanceFen = Math.max(0, lastDemand - Math.round(demandBase));
    else a.balanceFen = rng.int(0, 2_000_000);
  }
  c.investmentExperience = investExperience || (p.riskNum >= 3 && rng.chance(0.3));
  if (professional) c.investorClass = 'professional';

  // --- app sessions ---------------------------------------------------------------------------------------------------
  if (c.appUser && p.appDay !== null) {
    const from = Math.max(winStart, p.appDay);
    const to = Math.min(p.appEnd, asOf + 1);
    for (let i = 0; i < FAMILIES.length; i++) {
      const fam = FAMILIES[i] as ProductFamily;
      familyWeights[i] =
        fam === 'deposit'
          ? 20
          : fam === 'wealth'
            ? p.riskNum >= 1
              ? 26
              : 10
            : fam === 'fund'
              ? p.riskNum >= 3
                ? 20
                : 6
              : fam === 'insurance'
                ? has('young_parent') || has('silver')
                  ? 14
                  : 7
                : fam === 'consumer_loan'
                  ? has('new_urban_resident') || has('gen_z_95')
                    ? 12
                    : 4
                  : fam === 'mortgage'
                    ? p.age >= 26 && p.age <= 45
                      ? 4
                      : 1
                    : fam === 'car_loan'
                      ? p.carOwner
                        ? 4
                        : 1
                      : fam === 'business_loan'
                        ? has('sme_owner')
                          ? 16
                          : 0.5
                        : fam === 'agri_loan'
                          ? has('farmer_herder')
                            ? 16
                            : 0.2
                          : 10;
    }
    familyCat.set(familyWeights);
    for (let i = 0; i < PAGES.length; i++) {
      const pg = PAGES[i];
      pageWeights[i] =
        pg === 'home'
          ? 10
          : pg === 'carbon_account'
            ? p.green
              ? 8
              : 1
            : pg === 'knowledge_quiz'
              ? has('gen_z_95')
                ? 5
                : 1
              : pg === 'risk_assessment'
                ? 2
                : pg === 'bill'
                  ? 6
                  : 4;
    }
    pageCat.set(pageWeights);
    const extraMean = has('gen_z_95') ? 1 : 0.8;
    const n = to > from ? rng.poisson(p.loginRate * (to - from)) : 0;
    for (let i = 0; i < n; i++) {
      const day = cal.sample(cal.appCum, rng, from, to);
      if (day < 0) break;
      const m = intensity(p, day);
      if (m < 1 && rng.float() > m) continue;
      session++;
      const ip = ipAddr();
      let ep = appTime(day);
      const extras = rng.poisson(extraMean);
      event(ep, 'login', 'home', '', '', rng.int(30, 900), ip);
      for (let k = 0; k < extras; k++) {
        ep += rng.int(5, 240);
        const u = rng.float();
        if (u < 0.55) {
          const fam = FAMILIES[familyCat.sample(rng)] as ProductFamily;
          const list = world.productsByFamily.get(fam) ?? [];
          const prod = list[rng.int(0, list.length - 1)];
          if (prod) event(ep, 'product_view', 'product_detail', prod.id, fam, rng.int(8, 300), ip);
        } else if (u < 0.85) event(ep, 'page_view', PAGES[pageCat.sample(rng)] ?? 'home', '', '', rng.int(5, 200), ip);
        else event(ep, 'search', 'search', '', '', rng.int(5, 60), ip);
      }
    }
    // Viewed the same product on three consecutive days without buying (the starter-gift trigger).
    if (to === asOf + 1 && p.churnDay === null && rng.chance(0.04)) {
      const fam = rng.chance(0.7) ? 'wealth' : 'fund';
      const list = world.productsByFamily.get(fam) ?? [];
      const prod = list[rng.int(0, list.length - 1)];
      if (prod) {
        for (let d = asOf - 2; d <= asOf; d++) {
          session++;
          const ip = ipAddr();
          const ep = appTime(d);
          event(ep, 'login', 'home', '', '', rng.int(30, 600), ip);
          event(ep + rng.int(10, 60), 'product_view', 'product_detail', prod.id, fam, rng.int(30, 300), ip);
        }
      }
    }
    // Push notification setting: about 70% of app users answer the permission prompt within the history (on about
    // two times in three; Gen Z turns it off more often) and about 15% of those change it later. Drawn from its own
    // stream, so the rest of the customer's data is the same with or without these events.
    const lastDay = Math.min(p.appEnd, asOf + 1) - 1;
    if (lastDay >= from && settingsRng.chance(0.7)) {
      const pushIp = ipFrom(settingsRng);
      const first = Math.min(lastDay, from + settingsRng.int(0, 60));
      let on = settingsRng.chance(has('gen_z_95') ? 0.55 : 0.68);
      const setting = (day: number) => {
        session++;
        event(
          localToEpoch(day, settingsRng.int(8 * 3600, 22 * 3600)),
          on ? 'push_opt_in' : 'push_opt_out',
          'settings',
          '',
          '',
          settingsRng.int(3, 30),
          pushIp,
        );
      };
      setting(first);
      if (lastDay > first && settingsRng.chance(0.15)) {
        on = !on;
        setting(settingsRng.int(first + 1, lastDay));
      }
    }
  }

  // --- consents -------------------------------------------------------------------------------------------------------
  const consentStart = onboard ?? p.appDay ?? asOf;
  const piplDay = dayFromYmd(2021, 11, 1);
  const recordDay = consentStart < piplDay ? piplDay + rng.int(0, 150) : consentStart;
  const notice = recordDay >= dayFromYmd(2024, 1, 1) ? 'privacy-2024.01' : 'privacy-2021.11';
  const viaApp = potential || (c.appUser && rng.chance(0.4));
  const source = viaApp ? 'app' : 'branch';
  const recTs = isoTs(localToEpoch(recordDay, rng.int(9 * 3600, 18 * 3600)));
  let ek = 0;
  const consent = (
    purpose: SynthConsent['purpose'],
    channel: string,
    status: SynthConsent['status'],
    at: string,
    src: string,
  ) => {
    out.consents.push({
      customerId: id,
      purpose,
      channel,
      status,
      noticeVersion: notice,
      source: src,
      evidence: `${src === 'app' ? 'app-session' : src === 'branch' ? 'signed-form' : src}:${c.cif}:${ek++}`,
      recordedAt: at,
    });
  };
  // Marketing: one consent covering every channel (as on the bank's form), with per-channel refusals ticked off.
  const granted = new Map<string, number>();
  const channels: [string, number][] = potential
    ? [['push', 0.12]]
    : [
        ['sms', 0.1],
        ['call', 0.3],
        ['wechat', 0.18],
        ...(c.appUser ? ([['push', 0.15]] as [string, number][]) : []),
        ['email', 0.3],
      ];
  if (rng.chance(potential ? 0.85 : 0.93)) {
    consent('marketing', 'any', 'granted', recTs, source);
    for (const [ch, refuse] of channels) {
      if (ch === 'push' && !c.appUser) continue;
      if (rng.chance(refuse)) consent('marketing', ch, 'refused', recTs, source);
      else if (ch !== 'email' || rng.chance(0.3)) granted.set(ch, Number.POSITIVE_INFINITY);
    }
  } else consent('marketing', 'any', 'refused', recTs, source);
  if (c.personalisedMarketing) consent('personalised_marketing', 'any', 'granted', recTs, source);
  else if (rng.chance(0.5) || recordDay >= asOf - 30)
    consent('personalised_marketing', 'any', 'refused', recTs, source);
  else {
    consent('personalised_marketing', 'any', 'granted', recTs, source);
    const w = rng.int(recordDay + 1, asOf);
    consent(
      'personalised_marketing',
      'any',
      'withdrawn',
      isoTs(localToEpoch(w, rng.int(8 * 3600, 22 * 3600))),
      c.appUser ? 'app' : 'call',
    );
  }
  if (!potential)
    consent('marketing_use_of_financial_data', 'any', rng.chance(0.85) ? 'granted' : 'refused', recTs, source);
  if (granted.size > 0 && recordDay < asOf - 10 && rng.chance(p.churnDay !== null ? 0.15 : 0.04)) {
    const ch = [...granted.keys()][rng.int(0, granted.size - 1)] ?? 'sms';
    const w = rng.int(recordDay + 1, asOf);
    granted.set(ch, w);
    consent(
      'marketing',
      ch,
      'withdrawn',
      isoTs(localToEpoch(w, rng.int(8 * 3600, 22 * 3600))),
      ch === 'sms' ? 'sms_keyword' : ch === 'push' ? 'app' : 'call',
    );
  }

  // --- contacts -------------------------------------------------------------------------------------------------------
  let contactSeq = 0;
  const contact = (
    epoch: number,
    channel: string,
    purpose: string,
    campaign: string,
    action: string,
    template: string,
    outcome: string,
    respond: boolean,
    nps: number | null,
  ) => {
    if (contactSeq >= 1023) return;
    sC.row()
      .num(id * 1024 + contactSeq++)
      .tab()
      .num(id)
      .tab()
      .ts(epoch)
      .tab()
      .str(channel)
      .tab()
      .str(purpose)
      .tab();
    sC.str(campaign).tab().str(action).tab().str(template).tab().str(outcome).tab();
    if (respond) sC.ts(epoch + rng.int(60, 172_800));
    else sC.nul();
    sC.tab();
    if (nps === null) sC.nul();
    else sC.num(nps);
    sC.tab().str('[]').nl();
  };
  const contactFrom = Math.max(winStart, consentStart);
  const contactTo = Math.min(asOf + 1, closeDay ?? asOf + 1, p.deathDay ?? asOf + 1);
  if (contactTo > contactFrom) {
    const rate = (potential ? 2 : c.lifecycle === 'dormant' ? 4 : 5) / 365;
    const n = rng.poisson(rate * (contactTo - contactFrom));
    const allowed = [...granted.entries()];
    for (let i = 0; i < n && allowed.length > 0; i++) {
      const day = rng.int(contactFrom, contactTo - 1);
      const [ch, until] = allowed[rng.int(0, allowed.length - 1)] ?? ['sms', 0];
      if (day >= until) continue;
      const ep = localToEpoch(day, rng.int(9 * 3600, 20 * 3600));
      const [y, m] = ymd(day);
      const campaign = `CMP-${y}${String(m).padStart(2, '0')}-${rng.int(1, 4)}`;
      const action =
        c.lifecycle === 'dormant'
          ? 'retention.dormant_reactivation'
          : potential
            ? 'onboarding.open_account'
            : rng.pick([
                'offer.wealth',
                'offer.fund',
                'offer.credit_card',
                'offer.insurance',
                'offer.consumer_loan',
                'care.birthday',
                'offer.deposit',
              ]);
      const ramp = p.rampStart !== null && day >= p.rampStart;
      const acc = 0.03 * (c.lifecycle === 'active' ? 1.3 : c.lifecycle === 'dormant' ? 0.5 : 1) * (ramp ? 0.3 : 1);
      const u = rng.float();
      const outcome = u < acc ? 'accepted' : u < acc + (ramp ? 0.2 : 0.1) ? 'declined' : 'ignored';
      contact(
        ep,
        ch,
        'marketing',
        campaign,
        action,
        rng.chance(0.5) ? 'v1' : 'v2',
        outcome,
        outcome !== 'ignored',
        null,
      );
    }
    if (!potential) {
      const ns = rng.poisson((0.8 / 365) * (contactTo - contactFrom));
      for (let i = 0; i < ns; i++) {
        const day = rng.int(contactFrom, contactTo - 1);
        const ramp = p.rampStart !== null && day >= p.rampStart;
        const nps = rng.chance(0.35)
          ? ramp
            ? rng.int(0, 6)
            : Math.min(10, Math.max(0, Math.round(8.3 + 1.6 * rng.normal())))
          : null;
        contact(
          localToEpoch(day, rng.int(9 * 3600, 18 * 3600)),
          rng.pick(['call', 'branch', 'app', 'wechat']),
          'service',
          '',
          'service.enquiry',
          '',
          'resolved',
          false,
          nps,
        );
      }
      const complaintP = p.rampStart !== null ? 0.12 : 0.012;
      if (rng.chance(complaintP)) {
        const lo = p.rampStart !== null ? Math.max(contactFrom, p.rampStart) : contactFrom;
        if (contactTo > lo) {
          const day = rng.int(lo, contactTo - 1);
          contact(
            localToEpoch(day, rng.int(9 * 3600, 20 * 3600)),
            rng.pick(['call', 'branch', 'app']),
            'complaint',
            '',
            'service.complaint',
            '',
            rng.chance(0.8) ? 'resolved' : 'escalated',
            false,
            rng.chance(0.5) ? rng.int(0, 4) : null,
          );
        }
      }
    }
  }

  // --- ground truth ---------------------------------------------------------------------------------------------------
  const sG = out.sinks.synth_truth;
  sG.row().num(id).tab().str(c.lifecycle).tab().str('[');
  for (let i = 0; i < personas.length; i++)
    sG.str(i === 0 ? "'" : ",'")
      .str(personas[i] ?? '')
      .str("'");
  sG.str(']').tab();
  if (p.churnDay === null) sG.nul();
  else sG.date(p.churnDay);
  sG.nl();
}

/** Value multiplier of a holding between two days (funds follow their NAV; wealth accrues its benchmark). */
function growth(world: World, prod: SynthProduct, from: number, to: number): number {
  if (prod.family === 'fund') return navAt(world, prod.id, to) / navAt(world, prod.id, from);
  if (prod.family === 'wealth' && prod.benchmarkYieldBp !== null)
    return 1 + ((prod.benchmarkYieldBp / 10_000) * Math.max(0, to - from)) / 365;
  return 1;
}

function chooseProduct(
  world: World,
  p: Plan,
  rng: Rng,
  bucket: ProductFamily | 'time',
  amount: number,
): SynthProduct | undefined {
  const fam: ProductFamily = bucket === 'time' ? 'deposit' : bucket;
  const list = (world.productsByFamily.get(fam) ?? []).filter((x) => x.minAmountFen <= amount && x.kind !== 'demand');
  if (list.length === 0) return undefined;
  const risk = p.riskNum;
  const personas = p.c.personas;
  const w = list.map((x) => {
    if (fam === 'wealth' || fam === 'fund') {
      if (x.riskLevel > risk) return 0;
      if (x.isPrivate) return amount >= 100 * 1_000_000 && risk >= 4 ? 6 : 0;
      if (x.id === 'WM-R3-ESG') return p.green ? 6 : 1;
      if (x.id === 'FD-QDII') return p.traveller ? 3 : 0.5;
      if (x.id === 'FD-PENSION') return p.age >= 35 && p.age <= 55 ? 3 : 0.3;
      if (x.kind === 'cash' || x.id === 'FD-MMF') return 4;
      return 2 + x.riskLevel * 0.3;
    }
    if (fam === 'insurance') {
      if (x.id === 'INS-EDU') return personas.includes('young_parent') ? 6 : 0.2;
      if (x.id === 'INS-PENSION' || x.id === 'INS-ANNUITY') return personas.includes('silver') || p.age >= 45 ? 5 : 1;
      if (x.id === 'INS-WL') return personas.includes('quasi_middle_class') ? 5 : 1;
      return 2;
    }
    // deposits
    if (x.kind === 'cd') return amount >= 20 * 1_000_000 ? 4 : 0;
    if (x.kind === 'structured') return risk >= 2 ? 2 : 0;
    if (x.kind === 'notice') return 0.5;
    if (x.termDays !== null && x.termDays >= 1095) return personas.includes('silver') ? 4 : 1.2;
    return 2;
  });
  let total = 0;
  for (const v of w) total += v;
  if (total <= 0) return undefined;
  let x = rng.float() * total;
  for (let i = 0; i < list.length; i++) {
    x -= w[i] ?? 0;
    if (x < 0) return list[i];
  }
  return list[list.length - 1];
}
