/**
 * One synthetic customer: profile (demographics, location, occupation, income, family), personas, lifecycle stage and
 * timeline (onboarding, app registration, dormancy, churn with its planted signal), risk assessment and wealth level.
 * The facts generator (facts.ts) turns the plan into accounts, holdings, transactions, events and contacts.
 */
import { computeCheckChar } from '../identity/resident-id.ts';
import { dayFromYmd, isoDate, isoTs, localToEpoch, ymd } from './calendar.ts';
import { type Rng, weighted } from './prng.ts';
import {
  EDUCATION,
  GIVEN_CHARS,
  MEDIAN_INCOME,
  MIGRANT_ORIGINS,
  MOBILE_PREFIXES,
  MOVED_AWAY_PLACES,
  type Occupation,
  type Place,
  RESIDENCE_PLACES,
  STREETS,
  SURNAMES,
} from './reference.ts';
import type { Lifecycle, Persona, SynthCustomer } from './types.ts';
import type { World } from './world.ts';

export interface Plan {
  c: SynthCustomer;
  age: number;
  birthDay: number;
  residence: Place;
  residenceCode: string;
  /** Index into RESIDENCE_PLACES, -1 when the customer moved away from the bank's region. */
  placeIndex: number;
  onboardDay: number | null;
  appDay: number | null;
  /** Customer-initiated activity happens in [actStart, actEnd). */
  actStart: number;
  actEnd: number;
  appEnd: number;
  churnDay: number | null;
  rampStart: number | null;
  wobbleStart: number;
  wobbleEnd: number;
  deathDay: number | null;
  riskNum: number;
  riskDay: number | null;
  aumFen: number;
  youngestChildAge: number | null;
  salaried: boolean;
  salaryHere: boolean;
  payday: number;
  /** Mean purchases, logins and transfers per day at full intensity. */
  purchaseRate: number;
  loginRate: number;
  transferRate: number;
  walletShare: number;
  traveller: boolean;
  green: boolean;
  carOwner: boolean;
  household: number;
}

const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[18, 24], 11],
  [[25, 31], 20],
  [[32, 40], 19],
  [[41, 50], 17],
  [[51, 59], 14],
  [[60, 69], 12],
  [[70, 88], 7],
];

function age(birthDay: number, day: number): number {
  const [by, bm, bd] = ymd(birthDay);
  const [y, m, d] = ymd(day);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function givenName(rng: Rng, birthYear: number, gender: 'M' | 'F'): string {
  const gen = birthYear < 1970 ? 'old' : birthYear < 1990 ? 'mid' : 'young';
  const pool = GIVEN_CHARS[gen][gender];
  const n = pool.length;
  const a = pool[rng.int(0, n - 1)] ?? '明';
  if (rng.chance(gen === 'young' ? 0.12 : 0.28)) return a;
  return a + (pool[rng.int(0, n - 1)] ?? '华');
}

export function residentId(regionCode: string, birthDay: number, gender: 'M' | 'F', rng: Rng): string {
  const [y, m, d] = ymd(birthDay);
  const seq = rng.int(0, 499) * 2 + (gender === 'M' ? 1 : 0);
  const first17 = `${regionCode}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + computeCheckChar(first17);
}

export function mobileNumber(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

function placeBy(rng: Rng, places: readonly Place[]): Place {
  return weighted(
    rng,
    places.map((p) => [p, p.weight] as const),
  );
}

function occupationFor(rng: Rng, a: number, farmer: boolean, sme: boolean): Occupation {
  if (farmer) return rng.chance(0.04) ? 'herder' : 'farmer';
  if (sme) return rng.chance(0.7) ? 'business_owner' : 'self_employed';
  if (a < 23 && rng.chance(0.6)) return 'student';
  if (a >= 60 && rng.chance(0.88)) return 'retired';
  if (a >= 55 && rng.chance(0.3)) return 'retired';
  return weighted<Occupation>(rng, [
    ['employee', 38],
    ['worker', 16],
    ['engineer', 8],
    ['teacher', 5],
    ['doctor', 3],
    ['civil_servant', 5],
    ['self_employed', 10],
    ['freelancer', a < 35 ? 10 : 5],
    ['unemployed', 3],
  ]);
}

function industryFor(rng: Rng, occ: Occupation): string | null {
  switch (occ) {
    case 'farmer':
    case 'herder':
      return 'agriculture';
    case 'teacher':
      return 'education';
    case 'doctor':
      return 'health';
    case 'civil_servant':
      return 'public_service';
    case 'engineer':
      return rng.chance(0.6) ? 'it' : 'manufacturing';
    case 'worker':
      return weighted(rng, [
        ['manufacturing', 6],
        ['construction', 3],
        ['logistics', 2],
      ]);
    case 'business_owner':
    case 'self_employed':
      return weighted(rng, [
        ['trade', 4],
        ['retail', 4],
        ['manufacturing', 3],
        ['hospitality', 2],
        ['logistics', 1],
      ]);
    case 'employee':
    case 'freelancer':
      return weighted(rng, [
        ['manufacturing', 4],
        ['retail', 3],
        ['it', 2],
        ['finance', 1],
        ['hospitality', 2],
        ['logistics', 1],
        ['trade', 2],
      ]);
    default:
      return null;
  }
}

function employerFor(rng: Rng, occ: Occupation): string | null {
  switch (occ) {
    case 'civil_servant':
      return 'government';
    case 'teacher':
    case 'doctor':
      return 'public_institution';
    case 'employee':
    case 'engineer':
      return weighted(rng, [
        ['soe', 25],
        ['private', 60],
        ['foreign', 15],
      ]);
    case 'worker':
      return rng.chance(0.8) ? 'private' : 'soe';
    case 'business_owner':
    case 'self_employed':
    case 'farmer':
    case 'herder':
    case 'freelancer':
      return 'self';
    default:
      return null;
  }
}

function educationFor(rng: Rng, a: number, occ: Occupation): string {
  if (occ === 'farmer' || occ === 'herder')
    return weighted(rng, [
      ['primary', 3],
      ['junior_high', 5],
      ['senior_high', 2],
    ]);
  if (occ === 'doctor' || occ === 'engineer')
    return weighted(rng, [
      ['bachelor', 6],
      ['master', 3],
      ['doctorate', 1],
    ]);
  if (occ === 'teacher' || occ === 'civil_servant')
    return weighted(rng, [
      ['associate', 1],
      ['bachelor', 6],
      ['master', 2],
    ]);
  const young = a < 40;
  const e = weighted<number>(rng, [
    [0, young ? 1 : 8],
    [1, young ? 10 : 25],
    [2, young ? 22 : 25],
    [3, young ? 25 : 15],
    [4, young ? 32 : 12],
    [5, young ? 8 : 3],
    [6, 1],
  ]);
  return EDUCATION[e] ?? 'senior_high';
}

const EDU_FACTOR: Readonly<Record<string, number>> = {
  primary: 0.75,
  junior_high: 0.85,
  senior_high: 0.95,
  associate: 1.05,
  bachelor: 1.25,
  master: 1.5,
  doctorate: 1.7,
};
const TIER_FACTOR = [1, 1.6, 1.25, 1, 0.85];

/** Builds the plan of customer `id` from its own random stream. */
export function planCustomer(world: World, id: number, rng: Rng): Plan {
  const asOf = world.asOfDay;
  // Age and gender.
  const band = weighted(rng, AGE_BANDS);
  const years = band[0] + rng.float() * (band[1] - band[0] + 1);
  const birthDay = asOf - Math.floor(years * 365.25) - rng.int(0, 1);
  const a = age(birthDay, asOf);
  const gender: 'M' | 'F' = rng.chance(a >= 65 ? 0.54 : 0.5) ? 'F' : 'M';
  const birthYear = ymd(birthDay)[0];

  // Residence and origin.
  const movedAway = rng.chance(0.025);
  const placeIndex = movedAway ? -1 : world.residence.sample(rng);
  const residence = movedAway ? placeBy(rng, MOVED_AWAY_PLACES) : (RESIDENCE_PLACES[placeIndex] ?? RESIDENCE_PLACES[0]);
  if (!residence) throw new Error('no residence place');
  const residenceCode = rng.pick(residence.codes);
  const inZhejiang = residence.province === '浙江省';
  let origin: Place = residence;
  if (movedAway) origin = RESIDENCE_PLACES[world.residence.sample(rng)] ?? residence;
  else {
    const pOther = (inZhejiang ? 0.14 : 0.3) * (a < 40 ? 1.5 : a >= 60 ? 0.4 : 1);
    const pIntra = inZhejiang ? 0.12 : 0.15;
    const u = rng.float();
    if (u < pOther) origin = placeBy(rng, MIGRANT_ORIGINS);
    else if (u < pOther + pIntra) origin = RESIDENCE_PLACES[world.residence.sample(rng)] ?? residence;
  }
  const migrant = origin.city !== residence.city;
  const idRegionCode = migrant ? rng.pick(origin.codes) : rng.chance(0.75) ? residenceCode : rng.pick(residence.codes);

  // Latent personas that shape the profile.
  const farmer =
    inZhejiang && a >= 25 && a <= 72 && rng.chance(residence.county ? 0.2 : residence.tier === 4 ? 0.06 : 0.012);
  const sme = !farmer && a >= 26 && a <= 62 && rng.chance(0.075);
  const occ = occupationFor(rng, a, farmer, sme);
  const education = educationFor(rng, a, occ);
  const industry = industryFor(rng, occ);
  const employerType = employerFor(rng, occ);
  const ageCurve = a < 25 ? 0.7 : a < 30 ? 0.9 : a < 50 ? 1.1 : a < 60 ? 1 : 0.9;
  const incomeYuan =
    MEDIAN_INCOME[occ] *
    (TIER_FACTOR[residence.tier] ?? 1) *
    (EDU_FACTOR[education] ?? 1) *
    ageCurve *
    Math.exp(0.45 * rng.normal());
  const monthlyIncomeFen = Math.max(50_000, Math.round(incomeYuan / 10) * 1000);

  // Family.
  const marital = weighted(
    rng,
    a < 25
      ? [
          ['single', 90],
          ['married', 10],
        ]
      : a < 31
        ? [
            ['single', 48],
            ['married', 50],
            ['divorced', 2],
          ]
        : a < 41
          ? [
              ['single', 12],
              ['married', 80],
              ['divorced', 8],
            ]
          : a < 61
            ? [
                ['single', 4],
                ['married', 86],
                ['divorced', 8],
                ['widowed', 2],
              ]
            : [
                ['single', 2],
                ['married', 74],
                ['divorced', 5],
                ['widowed', 19],
              ],
  );
  let children = 0;
  let youngest: number | null = null;
  if (marital !== 'single' && a >= 22) {
    children = weighted(rng, [
      [0, a < 30 ? 45 : 12],
      [1, 52],
      [2, a < 35 ? 18 : 30],
      [3, a > 45 ? 6 : 2],
    ]);
    if (children > 0) {
      const maxChild = Math.max(0, a - 22);
      youngest = Math.min(maxChild, Math.max(0, Math.floor(rng.float() * Math.min(maxChild + 1, a < 45 ? 14 : 40))));
    }
  }
  const household = marital === 'married' ? 1.5 : 1;

  // Where and how long they live here.
  let citySince: number | null = null;
  if (migrant) {
    const recent = rng.chance(a < 40 ? 0.45 : 0.15);
    const earliest = birthDay + 18 * 365;
    const from = recent ? Math.max(earliest, asOf - 3 * 365 + 10) : earliest;
    const to = recent ? asOf - 20 : Math.max(from, asOf - 3 * 365 - 10);
    citySince = from >= to ? to : rng.int(from, to);
  } else citySince = birthDay;
  const recentArrival = citySince !== null && asOf - citySince < 3 * 365;
  const housing = recentArrival
    ? weighted(rng, [
        ['rent', 75],
        ['family', 10],
        ['own', 15],
      ])
    : a < 28
      ? weighted(rng, [
          ['family', 45],
          ['rent', 35],
          ['own', 20],
        ])
      : weighted(rng, [
          ['own', 72],
          ['rent', 18],
          ['family', 8],
          ['other', 2],
        ]);

  // Lifecycle and timeline.
  const genZ = birthYear >= 1995;
  const silver = a >= 60;
  const lifecycle = weighted<Lifecycle>(rng, [
    ['potential', genZ ? 0.1 : silver ? 0.02 : 0.055],
    ['new', genZ ? 0.08 : 0.055],
    ['churned', genZ ? 0.1 : 0.07],
    ['dormant', silver ? 0.2 : 0.13],
    ['active', 0.66],
  ]);
  const appUserP = genZ ? 0.93 : a < 40 ? 0.86 : a < 56 ? 0.66 : a < 66 ? 0.42 : 0.18;
  const appUser = lifecycle === 'potential' || rng.chance(appUserP);
  const adult = birthDay + Math.ceil(18 * 365.25);
  let onboardDay: number | null = null;
  if (lifecycle === 'new') onboardDay = asOf - rng.int(0, 89);
  else if (lifecycle !== 'potential') {
    const maxTenure = Math.max(200, asOf - adult);
    const tenure = Math.min(maxTenure, 150 + Math.floor(-Math.log(1 - rng.float() * 0.999) * 6.5 * 365));
    onboardDay = asOf - Math.min(tenure, 30 * 365);
  }
  const appLaunch = dayFromYmd(2016, 3, 1);
  let appDay: number | null = null;
  if (appUser) {
    if (lifecycle === 'potential') appDay = asOf - rng.int(3, 600);
    else {
      const from = Math.max(onboardDay ?? asOf, appLaunch);
      appDay = from >= asOf ? asOf : rng.int(from, Math.min(asOf, from + (rng.chance(0.6) ? 30 : 900)));
    }
  }

  let actEnd = asOf + 1;
  let churnDay: number | null = null;
  let churnAfterAsOf = false;
  if (lifecycle === 'dormant') actEnd = asOf - rng.int(95, 720);
  if (lifecycle === 'churned') {
    churnDay = asOf - rng.int(30, 300);
    actEnd = churnDay;
  }
  if (lifecycle === 'potential' && rng.chance(0.35)) actEnd = asOf - rng.int(40, 300);
  if (lifecycle === 'active' && (onboardDay ?? asOf) < asOf - 200) {
    const p = 0.1 * (genZ ? 1.6 : silver ? 0.6 : 1) * (sme ? 0.7 : 1);
    if (rng.chance(p)) {
      churnDay = asOf + rng.int(1, 90);
      churnAfterAsOf = true;
    }
  }
  // A few deceased customers: all activity stops at death.
  let deathDay: number | null = null;
  if (lifecycle !== 'potential' && lifecycle !== 'new' && rng.chance(silver ? 0.012 : 0.0005)) {
    deathDay = asOf - rng.int(20, 500);
    actEnd = Math.min(actEnd, deathDay);
  }
  // Dormant and churned customers were onboarded well before they went quiet; app registration precedes the end too.
  if (onboardDay !== null && lifecycle !== 'new' && onboardDay > actEnd - 120)
    onboardDay = actEnd - 120 - rng.int(0, 900);
  if (appDay !== null && appDay >= actEnd - 7) appDay = Math.max(onboardDay ?? appDay - 400, actEnd - rng.int(8, 400));
  const churnSignal = churnDay !== null && rng.chance(0.85);
  const rampStart = churnDay !== null && churnSignal ? churnDay - rng.int(95, 130) : null;
  let wobbleStart = 0;
  let wobbleEnd = 0;
  if (churnDay === null && lifecycle === 'active' && rng.chance(0.06)) {
    wobbleStart = asOf - rng.int(60, 330);
    wobbleEnd = wobbleStart + rng.int(30, 55);
  }
  const actStart = Math.max(world.windowStart, onboardDay ?? appDay ?? asOf);
  const appEnd = actEnd;

  // Wealth at the bank (months of income), with a heavy tail.
  let aumFen = 0;
  if (lifecycle !== 'potential') {
    const months = (a < 30 ? 2.5 : a < 46 ? 7 : a < 60 ? 14 : 24) * (farmer ? 0.6 : sme ? 1.6 : 1);
    aumFen = monthlyIncomeFen * household * months * Math.exp(1.1 * rng.normal());
    if (rng.chance(0.01)) aumFen *= 10 + rng.float() * 15;
    aumFen = Math.round(Math.max(10_000 + rng.int(0, 500_000), aumFen) / 100) * 100;
  }

  // Risk assessment: most customers assessed; about a quarter of assessments expired; the rest unassessed.
  let riskNum = 0;
  let riskDay: number | null = null;
  if (lifecycle !== 'potential' && rng.chance(0.84)) {
    const hnw = aumFen >= 600 * 1_000_000;
    riskNum = weighted<number>(rng, [
      [1, silver ? 22 : 9],
      [2, silver ? 40 : 28],
      [3, 35],
      [4, silver ? 6 : genZ ? 22 : 19],
      [5, silver ? 1 : hnw ? 16 : 7],
    ]);
    const earliest = Math.max(onboardDay ?? asOf, asOf - 1100);
    const expired = rng.chance(0.25);
    const lo = expired ? Math.min(asOf - 366, Math.max(earliest, asOf - 1100)) : Math.max(earliest, asOf - 364);
    const hi = expired ? asOf - 366 : asOf;
    riskDay = lo >= hi ? Math.max(earliest, hi) : rng.int(lo, hi);
    // Assessed while still active.
    if (riskDay >= actEnd) riskDay = Math.max(onboardDay ?? riskDay - 400, actEnd - rng.int(1, 120));
  }

  // Behaviour rates.
  const hetero = Math.exp(0.55 * rng.normal() - 0.15);
  const baseBuys = genZ ? 1.75 : silver ? 0.75 : farmer ? 0.75 : 1.25;
  const purchaseRate = (baseBuys * hetero) / 30.4;
  const baseLogins = genZ ? 3.2 : a < 40 ? 2.3 : a < 56 ? 1.6 : 0.9;
  const loginRate = appUser ? (baseLogins * Math.exp(0.5 * rng.normal() - 0.12)) / 30.4 : 0;
  const transferRate = ((silver ? 0.55 : 1) * Math.exp(0.5 * rng.normal() - 0.12)) / 30.4;
  const salaried = ['employee', 'civil_servant', 'teacher', 'doctor', 'engineer', 'worker', 'retired'].includes(occ);
  const salaryHere = salaried && lifecycle !== 'potential' && rng.chance(occ === 'retired' ? 0.45 : 0.55);

  // Names and contact data.
  const surname = SURNAMES[world.surnames.sample(rng)]?.[0] ?? '王';
  const name = surname + givenName(rng, birthYear, gender);
  const idNumber = residentId(idRegionCode, birthDay, gender, rng);
  const mobile = mobileNumber(rng);
  const address = `${residence.province === residence.city ? '' : residence.province}${residence.city}${rng.pick(STREETS)}${rng.int(1, 899)}号${rng.chance(0.7) ? `${rng.int(1, 30)}幢${rng.int(1, 32)}0${rng.int(1, 6)}室` : ''}`;

  // Home branch and relationship manager.
  const branchList =
    placeIndex >= 0 ? world.placeBranches[placeIndex] : world.placeBranches[world.residence.sample(rng)];
  const branch =
    branchList?.find((b) => b.id === `BR-${residenceCode}`) ?? branchList?.[rng.int(0, (branchList?.length ?? 1) - 1)];
  const homeBranchId = branch?.id ?? 'BR-HQ';
  let rmUserId: string | null = null;
  if (lifecycle !== 'potential') {
    const local = world.rmsByBranch.get(homeBranchId);
    const city = placeIndex >= 0 ? world.rmsByPlace[placeIndex] : undefined;
    const list = local?.length ? local : city?.length ? city : world.allRms;
    rmUserId = list[rng.int(0, list.length - 1)] ?? null;
  }

  const personas: Persona[] = [];
  if (genZ) personas.push('gen_z_95');
  // The income on file (what the bank and the tag see) ≥ ¥20k a month, or AUM ≥ ¥500k.
  if (monthlyIncomeFen >= 2_000_000 || aumFen >= 50_000_000) personas.push('quasi_middle_class');
  if (a >= 25 && a <= 40 && youngest !== null && youngest <= 12) personas.push('young_parent');
  if (migrant && recentArrival && housing === 'rent') personas.push('new_urban_resident');
  if (silver) personas.push('silver');
  if (sme) personas.push('sme_owner');
  if (farmer) personas.push('farmer_herder');

  const flags: string[] = [];
  if (deathDay !== null) flags.push('deceased');
  if (lifecycle !== 'potential' && rng.chance(0.004)) flags.push('fraud_restricted');
  const personalisedMarketing = !rng.chance(0.035);
  const closed = lifecycle === 'churned' && rng.chance(0.5);

  const c: SynthCustomer = {
    id,
    cif: `CIF${String(id).padStart(10, '0')}`,
    name,
    gender,
    birthDate: isoDate(birthDay),
    idNumber,
    idRegionCode,
    mobile,
    address,
    province: residence.province,
    city: residence.city,
    cityTier: residence.tier,
    countyLevel: residence.county,
    migrant,
    occupation: occ,
    industry,
    employerType,
    education,
    maritalStatus: marital,
    childrenCount: children,
    housing,
    citySince: citySince === null ? null : isoDate(citySince),
    monthlyIncomeFen,
    onboardedAt: onboardDay === null ? null : isoDate(onboardDay),
    homeBranchId,
    rmUserId,
    riskLevel: riskNum > 0 ? `C${riskNum}` : null,
    riskAssessedAt: riskDay === null ? null : isoTs(localToEpoch(riskDay, rng.int(9 * 3600, 17 * 3600))),
    investmentExperience: false,
    investorClass: 'ordinary',
    flags,
    personalisedMarketing,
    status: closed ? 'closed' : 'active',
    appUser,
    personas,
    lifecycle,
    churnDate: churnDay === null ? null : isoDate(churnDay),
    churnAfterAsOf,
    churnSignal: churnDay !== null && churnSignal,
  };

  return {
    c,
    age: a,
    birthDay,
    residence,
    residenceCode,
    placeIndex,
    onboardDay,
    appDay,
    actStart,
    actEnd,
    appEnd,
    churnDay,
    rampStart,
    wobbleStart,
    wobbleEnd,
    deathDay,
    riskNum,
    riskDay,
    aumFen,
    youngestChildAge: youngest,
    salaried,
    salaryHere,
    payday: rng.pick([5, 10, 10, 15, 15, 20, 25]),
    purchaseRate,
    loginRate,
    transferRate,
    walletShare: genZ ? 0.72 : silver ? 0.2 : 0.5,
    traveller: personas.includes('quasi_middle_class') ? rng.chance(0.35) : rng.chance(0.05),
    green: rng.chance(genZ ? 0.3 : 0.12),
    carOwner: a >= 24 && a <= 65 && rng.chance(residence.tier <= 2 ? 0.3 : 0.45),
    household,
  };
}

/** Activity intensity at a day: 1 normally; falls linearly towards 0.08 over the pre-churn ramp; dips in a wobble. */
export function intensity(p: Plan, day: number): number {
  let m = 1;
  if (p.rampStart !== null && p.churnDay !== null && day >= p.rampStart) {
    m = Math.max(0.08, 1 - (0.92 * (day - p.rampStart)) / (p.churnDay - p.rampStart));
  }
  if (day >= p.wobbleStart && day < p.wobbleEnd) m *= 0.4;
  return m;
}
