/**
 * Deterministic generator of Chinese-style customer records spread over several source systems, with the noise that
 * makes identity resolution hard: homophone surnames (张/章), homophone or mistyped given-name characters, old phone
 * numbers, formatted phones (+86, spaces), missing or mistyped resident ID numbers, legacy 15-digit IDs, birth-date
 * typos and day/month swaps, moved addresses, duplicate core-banking customer numbers.
 *
 * About a third of the persons have 2–4 records in different source systems; the rest have one.
 */
import type { InputRecord } from '@lingxi/core/identity/fellegi-sunter';
import { mulberry32 } from '@lingxi/core/identity/fellegi-sunter';
import { computeCheckChar } from '@lingxi/core/identity/resident-id';

/** [surname, relative frequency in ‰] — roughly the national distribution, heavy head. */
const SURNAMES: readonly [string, number][] = [
  ['王', 71],
  ['李', 79],
  ['张', 71],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 22],
  ['赵', 23],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 11],
  ['罗', 9],
  ['郑', 9],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 4],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 3],
  ['方', 3],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['单', 1],
  ['武', 1],
  ['戴', 1],
  ['莫', 1],
  ['孔', 1],
  ['欧阳', 1],
  ['司马', 1],
];

/** Surnames typed with another character of the same pronunciation. */
const SURNAME_HOMOPHONES: Readonly<Record<string, readonly string[]>> = {
  张: ['章'],
  章: ['张'],
  王: ['汪'],
  汪: ['王'],
  李: ['黎'],
  黎: ['李'],
  刘: ['柳'],
  杨: ['阳'],
  吴: ['武'],
  武: ['吴'],
  徐: ['许'],
  许: ['徐'],
  黄: ['皇'],
  赵: ['照'],
  何: ['贺'],
  贺: ['何'],
  冯: ['封'],
  于: ['余'],
  余: ['于'],
  蒋: ['姜', '江'],
  姜: ['蒋', '江'],
  江: ['姜', '蒋'],
  肖: ['萧'],
  陈: ['晨'],
  林: ['琳'],
};

/** Given-name characters in groups of identical toneless pinyin. */
const GIVEN_GROUPS: readonly string[] = [
  '伟玮炜威薇',
  '敏珉',
  '丽莉俐力',
  '静婧晶菁京',
  '芳方舫',
  '娜纳',
  '磊蕾',
  '强蔷',
  '军君钧均',
  '洋阳',
  '勇永咏',
  '艳燕彦雁',
  '杰洁婕',
  '涛韬',
  '明铭鸣',
  '华桦骅',
  '平萍苹',
  '刚钢',
  '辉晖',
  '霞侠',
  '玲琳霖凌',
  '鹏朋',
  '飞菲斐',
  '宇雨玉羽瑜',
  '浩昊皓灏',
  '婷庭亭',
  '欣鑫馨新心',
  '博波柏',
  '文雯闻',
  '佳嘉家',
  '子梓紫',
  '涵含晗寒',
  '怡仪宜依艺',
  '轩萱宣',
  '晨辰琛',
  '思斯',
  '俊骏',
  '峰锋丰枫',
  '超',
  '建健剑',
  '国',
  '红鸿宏洪',
  '秀',
  '英颖莹瑛',
  '梅玫',
  '兰岚蓝',
  '凤',
  '桂贵',
  '成诚城',
  '志智',
  '海',
  '东冬',
  '春',
  '秋',
  '雪',
  '天田',
];

const REGIONS: readonly [string, string, string][] = [
  ['110105', '北京', '朝阳区'],
  ['110108', '北京', '海淀区'],
  ['310101', '上海', '黄浦区'],
  ['310115', '上海', '浦东新区'],
  ['440106', '广州', '天河区'],
  ['440305', '深圳', '南山区'],
  ['510104', '成都', '锦江区'],
  ['330106', '杭州', '西湖区'],
  ['320102', '南京', '玄武区'],
  ['420102', '武汉', '江岸区'],
  ['610113', '西安', '雁塔区'],
  ['500103', '重庆', '渝中区'],
  ['370102', '济南', '历下区'],
  ['410105', '郑州', '金水区'],
  ['430104', '长沙', '岳麓区'],
  ['350203', '厦门', '思明区'],
  ['210102', '沈阳', '和平区'],
  ['220102', '长春', '南关区'],
  ['230103', '哈尔滨', '南岗区'],
  ['120101', '天津', '和平区'],
  ['130102', '石家庄', '长安区'],
  ['140105', '太原', '小店区'],
  ['340104', '合肥', '蜀山区'],
  ['360102', '南昌', '东湖区'],
  ['450103', '南宁', '青秀区'],
  ['520102', '贵阳', '南明区'],
  ['530102', '昆明', '五华区'],
  ['620102', '兰州', '城关区'],
  ['650102', '乌鲁木齐', '天山区'],
  ['150102', '呼和浩特', '新城区'],
];

const STREETS =
  '人民路 解放路 建设路 中山路 和平路 新华路 文化路 胜利路 长江路 黄河路 青年路 幸福路 光明路 民主路 朝阳路 花园路 复兴路 建国路 东风路 南京路'.split(
    ' ',
  );

const SYSTEMS = ['core', 'credit_card', 'wealth', 'mobile_app', 'loan'] as const;
/** Systems that carry the core-banking customer number (trusted key). */
const CIF_SYSTEMS: ReadonlySet<string> = new Set(['core', 'wealth', 'loan']);

export interface IdentityDataset {
  records: InputRecord[];
  /** True person of each record. */
  person: Int32Array;
  persons: number;
}

interface Person {
  surname: string;
  given: string;
  birth: string;
  id18: string;
  phone: string;
  oldPhone: string;
  region: [string, string, string];
  street: string;
  cif: string;
}

/** Generate about `targetRecords` records (exactly that many) deterministically from `seed`. */
export function generateIdentityDataset(targetRecords: number, seed = 2024): IdentityDataset {
  const rand = mulberry32(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const surnameTotal = SURNAMES.reduce((s, [, w]) => s + w, 0);
  const cumulative = new Float64Array(SURNAMES.length);
  let acc = 0;
  SURNAMES.forEach(([, w], i) => {
    acc += w / surnameTotal;
    cumulative[i] = acc;
  });
  const pickSurname = (): string => {
    const r = rand();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < r) lo = mid + 1;
      else hi = mid;
    }
    return (SURNAMES[lo] as [string, number])[0];
  };
  const givenChar = (): string => {
    const g = pick(GIVEN_GROUPS);
    return g.charAt(int(g.length));
  };
  const phone = (): string => `1${'3456789'.charAt(int(7))}${String(int(1e9)).padStart(9, '0')}`;
  const seqByPrefix = new Map<string, number>();

  const records: InputRecord[] = [];
  const person: number[] = [];
  let p = 0;
  while (records.length < targetRecords) {
    const region = pick(REGIONS);
    const year = 1950 + int(56);
    const month = 1 + int(12);
    const day = 1 + int(28);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const male = rand() < 0.5;
    const prefix = region[0] + birth;
    const used = seqByPrefix.get(prefix) ?? 0;
    seqByPrefix.set(prefix, used + 1);
    // Sequence codes are unique per region and birth date; the last digit's parity carries the gender.
    const seq = used * 2 + (male ? 1 : 0);
    const first17 = `${prefix}${String(seq % 1000).padStart(3, '0')}`;
    const who: Person = {
      surname: pickSurname(),
      given: givenChar() + (rand() < 0.7 ? givenChar() : ''),
      birth,
      id18: first17 + computeCheckChar(first17),
      phone: phone(),
      oldPhone: phone(),
      region,
      street: `${region[2]}${pick(STREETS)}${1 + int(300)}号`,
      cif: `CIF${String(p).padStart(9, '0')}`,
    };
    const copies = rand() < 1 / 3 ? 2 + int(3) : 1;
    const systems = [...SYSTEMS].sort(() => rand() - 0.5).slice(0, copies);
    for (let c = 0; c < copies && records.length < targetRecords; c++) {
      records.push(noisyRecord(who, systems[c] ?? 'core', c > 0, `${p}-${c}`));
      person.push(p);
    }
    p++;
  }

  function noisyRecord(who: Person, system: string, duplicate: boolean, id: string): InputRecord {
    const noise = duplicate ? 1 : 0.3;
    let surname = who.surname;
    const homophones = SURNAME_HOMOPHONES[surname];
    if (homophones !== undefined && rand() < 0.08 * noise) surname = pick(homophones);
    let given = who.given;
    if (rand() < 0.08 * noise) {
      const pos = int(given.length);
      const ch = given.charAt(pos);
      const group = GIVEN_GROUPS.find((g) => g.includes(ch)) ?? ch;
      const replacement = rand() < 0.7 ? group.charAt(int(group.length)) : givenChar();
      given = given.slice(0, pos) + replacement + given.slice(pos + 1);
    }
    const fields: InputRecord['fields'] = { full_name: surname + given, source_system: system };
    // Resident ID: missing for ~30%, legacy 15-digit form sometimes, one mistyped digit rarely.
    const idRoll = rand();
    if (idRoll >= 0.3) {
      let nid = who.id18;
      if (rand() < 0.04 && who.birth < '1985') nid = nid.slice(0, 6) + nid.slice(8, 17);
      else if (rand() < 0.02 * noise) {
        const pos = int(17);
        nid = `${nid.slice(0, pos)}${(Number(nid.charAt(pos)) + 1 + int(8)) % 10}${nid.slice(pos + 1)}`;
      }
      fields.national_id = rand() < 0.1 ? `${nid.slice(0, 6)} ${nid.slice(6, 14)} ${nid.slice(14)}` : nid;
    }
    // Birth date: typo or day/month swap occasionally, missing sometimes, several layouts.
    if (rand() >= 0.05 * noise) {
      let b = who.birth;
      const r = rand();
      if (r < 0.02 * noise) {
        const pos = 2 + int(6);
        b = `${b.slice(0, pos)}${(Number(b.charAt(pos)) + 1) % 10}${b.slice(pos + 1)}`;
      } else if (r < 0.03 * noise && Number(b.slice(6, 8)) <= 12) {
        b = b.slice(0, 4) + b.slice(6, 8) + b.slice(4, 6);
      }
      fields.birth_date = rand() < 0.5 ? b : `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`;
    }
    // Phone: old number, formatted, missing.
    const ph = rand();
    if (ph >= 0.1 * noise) {
      const number = ph < 0.25 * noise ? who.oldPhone : who.phone;
      fields.phone = rand() < 0.2 ? `+86 ${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}` : number;
    }
    // Address: moved (another street and city) sometimes.
    if (rand() < 0.2 * noise) {
      const moved = pick(REGIONS);
      fields.city = moved[1];
      fields.street = `${moved[2]}${pick(STREETS)}${1 + int(300)}号`;
    } else {
      fields.city = who.region[1];
      fields.street = who.street;
    }
    if (CIF_SYSTEMS.has(system)) {
      // A duplicate customer number opened at another branch now and then.
      fields.source_key = rand() < 0.3 ? `${who.cif}-${system}` : who.cif;
    }
    return { id, fields };
  }

  return { records, person: Int32Array.from(person), persons: p };
}
