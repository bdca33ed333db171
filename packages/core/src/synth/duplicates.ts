/**
 * Source records of a customer. Every customer has its core-banking record (linked, clean). With the `duplicates`
 * option about a third of customers also appear in 1–3 other systems (cards, wealth, app, crm — 2–4 systems in all),
 * unlinked (customer_id null) and with the noise manual keying and system migrations leave behind:
 * - name: homophone surname (张/章, 王/汪 …), a confusable given-name character, a dropped last character;
 * - ID number: missing (often in the app and CRM), a 15-digit first-generation number (people born before 1985),
 *   a transposed pair of digits (fails the checksum);
 * - mobile: an old number, or missing; birth date: day and month swapped, or missing; gender missing (app).
 * `truthId` always names the real customer.
 */
import { dayOf, isoTs, localToEpoch } from './calendar.ts';
import { mobileNumber } from './customer.ts';
import { mix32, type Rng } from './prng.ts';
import { CONFUSABLE_GIVEN, HOMOPHONE_SURNAMES } from './reference.ts';
import type { SourceSystem, SynthCustomer, SynthSourceRecord } from './types.ts';

const KEY_PREFIX: Readonly<Record<SourceSystem, string>> = {
  core_banking: 'CIF',
  cards: 'CRD',
  wealth: 'WM',
  app: 'U',
  crm: 'CRM',
};

export function sourceKey(system: SourceSystem, customerId: number, salt: number): string {
  if (system === 'core_banking') return `CIF${String(customerId).padStart(10, '0')}`;
  return `${KEY_PREFIX[system]}${String(customerId).padStart(9, '0')}${String((mix32(customerId ^ salt) % 90) + 10)}`;
}

function baseAttrs(c: SynthCustomer): Record<string, string> {
  return {
    name: c.name,
    gender: c.gender,
    birth_date: c.birthDate,
    province: c.province,
    city: c.city,
    occupation: c.occupation,
    id_type: 'resident_id',
    id_number: c.idNumber,
    mobile: c.mobile,
    address: c.address,
  };
}

/** First-generation 15-digit number: region + YYMMDD + sequence (no century, no check character). */
export function legacyId(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

function noisyName(rng: Rng, name: string): string {
  const chars = Array.from(name);
  const u = rng.float();
  if (u < 0.1) {
    const first = chars[0] ?? '';
    const alt = HOMOPHONE_SURNAMES[first];
    if (alt && chars.length >= 2) return alt + chars.slice(1).join('');
  } else if (u < 0.16) {
    for (let i = chars.length - 1; i >= 1; i--) {
      const alt = CONFUSABLE_GIVEN[chars[i] ?? ''];
      if (alt) {
        chars[i] = alt;
        return chars.join('');
      }
    }
  } else if (u < 0.18 && chars.length >= 3) return chars.slice(0, -1).join('');
  return name;
}

function transposeDigits(rng: Rng, id: string): string {
  const i = rng.int(6, 15);
  const a = id[i] ?? '0';
  const b = id[i + 1] ?? '0';
  if (a === b) return id.slice(0, i) + String((Number(a) + 1) % 10) + id.slice(i + 1);
  return id.slice(0, i) + b + a + id.slice(i + 2);
}

export function sourceRecords(
  c: SynthCustomer,
  rng: Rng | null,
  opts: { hasCard: boolean; hasWealth: boolean; onboardDay: number | null; asOfDay: number },
): SynthSourceRecord[] {
  const since = opts.onboardDay ?? (c.onboardedAt ? dayOf(c.onboardedAt) : dayOf(c.birthDate) + 18 * 365);
  const out: SynthSourceRecord[] = [
    {
      sourceSystem: 'core_banking',
      sourceKey: c.cif,
      customerId: c.id,
      truthId: c.id,
      attrs: baseAttrs(c),
      idNumberForHash: c.idNumber,
      mobile: c.mobile,
      birthDate: c.birthDate,
      receivedAt: isoTs(localToEpoch(since, 10 * 3600)),
    },
  ];
  if (rng === null || !rng.chance(1 / 3)) return out;
  const preferred: SourceSystem[] = [];
  if (opts.hasCard) preferred.push('cards');
  if (opts.hasWealth) preferred.push('wealth');
  if (c.appUser) preferred.push('app');
  preferred.push('crm');
  const others: SourceSystem[] = (['cards', 'wealth', 'app', 'crm'] as SourceSystem[]).filter(
    (s) => !preferred.includes(s),
  );
  const pool = [...preferred, ...others];
  const extra = Math.min(pool.length, rng.chance(0.55) ? 1 : rng.chance(0.6) ? 2 : 3);
  const [by, bm, bd] = c.birthDate.split('-') as [string, string, string];
  for (let k = 0; k < extra; k++) {
    const system = pool[k] as SourceSystem;
    const attrs = baseAttrs(c);
    attrs.name = noisyName(rng, c.name);
    let idForHash: string | null = c.idNumber;
    const missingId = system === 'app' ? 0.6 : system === 'crm' ? 0.3 : system === 'cards' ? 0.05 : 0.03;
    if (rng.chance(missingId)) {
      delete attrs.id_number;
      delete attrs.id_type;
      idForHash = null;
    } else if (Number(by) < 1985 && (system === 'crm' || system === 'cards') && rng.chance(0.25)) {
      attrs.id_number = legacyId(c.idNumber);
    } else if (rng.chance(0.02)) {
      attrs.id_number = transposeDigits(rng, c.idNumber);
      idForHash = attrs.id_number;
    }
    let mobile: string | null = c.mobile;
    if (system !== 'app' && rng.chance(0.08)) {
      delete attrs.mobile;
      mobile = null;
    } else if (rng.chance(0.15)) {
      mobile = mobileNumber(rng);
      attrs.mobile = mobile;
    }
    let birth: string | null = c.birthDate;
    if (system === 'app' && rng.chance(0.4)) {
      delete attrs.birth_date;
      birth = null;
    } else if (Number(bd) <= 12 && bd !== bm && rng.chance(0.04)) {
      birth = `${by}-${bd}-${bm}`;
      attrs.birth_date = birth;
    }
    if (system === 'app' && rng.chance(0.5)) delete attrs.gender;
    if (rng.chance(system === 'app' ? 0.7 : 0.2)) delete attrs.address;
    if (system === 'app') delete attrs.occupation;
    out.push({
      sourceSystem: system,
      sourceKey: sourceKey(system, c.id, 0x51ed + k),
      customerId: null,
      truthId: c.id,
      attrs,
      idNumberForHash: idForHash,
      mobile,
      birthDate: birth,
      receivedAt: isoTs(localToEpoch(Math.min(opts.asOfDay, since + rng.int(0, 900)), rng.int(8 * 3600, 20 * 3600))),
    });
  }
  return out;
}
