/**
 * The fixed world of one synthetic bank: branches, relationship managers, products, the simulation window with its
 * seasonal calendar, month-end snapshot dates and fund NAV paths. Derived from (seed, customers, as-of) only.
 */
import { dayOf, isoDate, monthEnd, SeasonCalendar, ymd } from './calendar.ts';
import { Categorical, Rng } from './prng.ts';
import { PRODUCTS, type ProductFamily, type SynthProduct } from './products.ts';
import { GIVEN_CHARS, type Place, RESIDENCE_PLACES, SURNAMES } from './reference.ts';
import type { SynthBranch, SynthUser } from './types.ts';

/** Stream numbers of the per-entity generators (see prng.ts). */
export const STREAM = { world: 1, profile: 2, facts: 3, duplicates: 4, names: 5, settings: 6 } as const;

const DISTRICT_NAMES: Readonly<Record<string, string>> = {
  '330102': '上城',
  '330105': '拱墅',
  '330106': '西湖',
  '330108': '滨江',
  '330109': '萧山',
  '330110': '余杭',
  '330203': '海曙',
  '330205': '江北',
  '330206': '北仑',
  '330211': '镇海',
  '330212': '鄞州',
  '330302': '鹿城',
  '330303': '龙湾',
  '330304': '瓯海',
  '330402': '南湖',
  '330411': '秀洲',
  '330502': '吴兴',
  '330503': '南浔',
  '330602': '越城',
  '330603': '柯桥',
  '330604': '上虞',
  '330702': '婺城',
  '330703': '金东',
  '330802': '柯城',
  '330803': '衢江',
  '331002': '椒江',
  '331003': '黄岩',
  '331004': '路桥',
  '331102': '莲都',
  '330902': '定海',
  '330903': '普陀',
  '310101': '黄浦',
  '310104': '徐汇',
  '310105': '长宁',
  '310115': '浦东',
  '320505': '虎丘',
  '320506': '吴中',
  '320508': '姑苏',
};

/** County-level places report to the branch of this prefecture city. */
const COUNTY_PARENT: Readonly<Record<string, string>> = {
  义乌市: '金华市',
  慈溪市: '宁波市',
  诸暨市: '绍兴市',
  乐清市: '温州市',
  温岭市: '台州市',
  安吉县: '湖州市',
  桐庐县: '杭州市',
  淳安县: '杭州市',
  龙泉市: '丽水市',
};

export interface World {
  seed: number;
  customers: number;
  asOfDay: number;
  windowStart: number;
  calendar: SeasonCalendar;
  /** Month-end snapshot days (12 month-ends before as-of, then as-of), ascending. */
  snapshotDays: number[];
  branches: SynthBranch[];
  users: SynthUser[];
  products: readonly SynthProduct[];
  productsByFamily: Map<ProductFamily, SynthProduct[]>;
  /** Per residence place index: its sub-branches. */
  placeBranches: SynthBranch[][];
  residence: Categorical;
  rmsByBranch: Map<string, string[]>;
  rmsByPlace: string[][];
  allRms: string[];
  /** Fund NAV multipliers per product and month offset from the window start (index 0 = 15 months before). */
  nav: Map<string, Float64Array>;
  navBaseMonth: number;
  surnames: Categorical;
}

function shortCity(city: string): string {
  return city.length > 2 ? city.replace(/(市|县)$/, '') : city;
}

function monthIndex(day: number): number {
  const [y, m] = ymd(day);
  return y * 12 + (m - 1);
}

export function buildWorld(seed: number, customers: number, asOf: string): World {
  const asOfDay = dayOf(asOf);
  const windowStart = asOfDay - 364;
  const rng = new Rng(seed, 0, STREAM.world);

  // Branches: head office, one branch per prefecture city, sub-branches per district or county.
  const branches: SynthBranch[] = [
    {
      id: 'BR-HQ',
      nameZh: '灵犀演示银行总行营业部',
      nameEn: 'Head Office',
      province: '浙江省',
      city: '杭州市',
      parentId: null,
    },
  ];
  const cityBranch = new Map<string, SynthBranch>();
  for (const p of RESIDENCE_PLACES) {
    if (p.county) continue;
    const b: SynthBranch = {
      id: `BR-${(p.codes[0] ?? '000000').slice(0, 4)}00`,
      nameZh: `灵犀演示银行${shortCity(p.city)}分行`,
      nameEn: `${p.en} Branch`,
      province: p.province,
      city: p.city,
      parentId: 'BR-HQ',
    };
    branches.push(b);
    cityBranch.set(p.city, b);
  }
  const placeBranches: SynthBranch[][] = RESIDENCE_PLACES.map((p: Place) => {
    const parent = cityBranch.get(p.county ? (COUNTY_PARENT[p.city] ?? '杭州市') : p.city);
    const codes = p.county ? p.codes.slice(0, 1) : p.codes.slice(0, 3);
    return codes.map((code) => {
      const district = DISTRICT_NAMES[code];
      const b: SynthBranch = {
        id: `BR-${code}`,
        nameZh: p.county
          ? `灵犀演示银行${shortCity(p.city)}支行`
          : `灵犀演示银行${shortCity(p.city)}${district ?? code}支行`,
        nameEn: p.county ? `${p.en} Sub-branch` : `${p.en} ${code} Sub-branch`,
        province: p.province,
        city: p.city,
        parentId: parent?.id ?? 'BR-HQ',
      };
      branches.push(b);
      return b;
    });
  });

  // Relationship managers: about one per 400 customers, spread over sub-branches by the weight of their place.
  const nRm = Math.max(1, Math.ceil(customers / 400));
  const residence = Categorical.of(RESIDENCE_PLACES.map((p) => p.weight));
  const surnames = Categorical.of(SURNAMES.map((s) => s[1]));
  const users: SynthUser[] = [];
  const rmsByBranch = new Map<string, string[]>();
  const rmsByPlace: string[][] = RESIDENCE_PLACES.map(() => []);
  const nameRng = new Rng(seed, 0, STREAM.names);
  for (let i = 0; i < nRm; i++) {
    const pi = i < RESIDENCE_PLACES.length && i < nRm / 2 ? i : residence.sample(rng);
    const list = placeBranches[pi] ?? [];
    const branch = list[rng.int(0, list.length - 1)] ?? branches[0];
    if (!branch) throw new Error('no branch');
    const id = `rm-${String(i + 1).padStart(5, '0')}`;
    const gender = nameRng.chance(0.55) ? 'F' : 'M';
    const surname = SURNAMES[surnames.sample(nameRng)]?.[0] ?? '王';
    const pool = GIVEN_CHARS.mid[gender];
    const given = Array.from(pool);
    const displayName = surname + nameRng.pick(given) + (nameRng.chance(0.7) ? nameRng.pick(given) : '');
    users.push({ id, username: `rm${String(i + 1).padStart(5, '0')}`, displayName, roleId: 'rm', branchId: branch.id });
    const byB = rmsByBranch.get(branch.id) ?? [];
    byB.push(id);
    rmsByBranch.set(branch.id, byB);
    rmsByPlace[pi]?.push(id);
  }

  // Month-end snapshots: the 12 month-ends before as-of, then as-of itself.
  const snapshotDays: number[] = [];
  let d = asOfDay;
  for (let k = 0; k < 12; k++) {
    const [y, m] = ymd(d);
    d = Date.UTC(y, m - 1, 1) / 86_400_000 - 1; // last day of the previous month
    snapshotDays.unshift(monthEnd(d));
  }
  snapshotDays.push(asOfDay);

  const productsByFamily = new Map<ProductFamily, SynthProduct[]>();
  for (const p of PRODUCTS) {
    const list = productsByFamily.get(p.family) ?? [];
    list.push(p);
    productsByFamily.set(p.family, list);
  }

  // Fund NAV paths: monthly log-returns by risk level, 40 months back from as-of.
  const navBaseMonth = monthIndex(asOfDay) - 39;
  const nav = new Map<string, Float64Array>();
  for (const p of PRODUCTS) {
    if (p.family !== 'fund') continue;
    const vol = [0, 0.001, 0.006, 0.025, 0.05, 0.06][p.riskLevel] ?? 0.02;
    const drift = [0, 0.0015, 0.0025, 0.004, 0.005, 0.006][p.riskLevel] ?? 0.003;
    const path = new Float64Array(41);
    let v = 1;
    for (let i = 0; i < path.length; i++) {
      path[i] = v;
      v *= Math.exp(drift + vol * rng.normal());
    }
    nav.set(p.id, path);
  }

  return {
    seed,
    customers,
    asOfDay,
    windowStart,
    calendar: new SeasonCalendar(windowStart, asOfDay),
    snapshotDays,
    branches,
    users,
    products: PRODUCTS,
    productsByFamily,
    placeBranches,
    residence,
    rmsByBranch,
    rmsByPlace,
    allRms: users.map((u) => u.id),
    nav,
    navBaseMonth,
    surnames,
  };
}

/** Fund NAV multiplier at a day (1 at the start of the NAV table). */
export function navAt(world: World, productId: string, day: number): number {
  const path = world.nav.get(productId);
  if (!path) return 1;
  const i = Math.min(path.length - 1, Math.max(0, monthIndex(day) - world.navBaseMonth));
  return path[i] ?? 1;
}

export function snapshotLabel(world: World): string[] {
  return world.snapshotDays.map(isoDate);
}
