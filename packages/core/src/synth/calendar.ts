/**
 * Calendar of the synthetic bank: day numbers (days since 1970-01-01, UTC), fast date/time formatting for TSV, the
 * Spring Festival table and the seasonal day weights (weekends, 春节, 618, National Day, 双十一).
 * Local times are Asia/Shanghai (UTC+8, no DST); storage is UTC.
 */
import type { Rng } from './prng.ts';

export const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_S = 8 * 3600;

/** ISO date (YYYY-MM-DD) → day number. Throws naming the value when it is not a real calendar date. */
export function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`date: expected YYYY-MM-DD, got "${iso}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw new RangeError(`date: "${iso}" is not a calendar date`);
  return ms / DAY_MS;
}

export function dayFromYmd(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** Year, month (1–12), day of month of a day number. */
export function ymd(day: number): [number, number, number] {
  const dt = new Date(day * DAY_MS);
  return [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()];
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

// Formatting tables: day numbers 1900-01-01 … 2099-12-31, built on first use.
const FIRST_DAY = -25_567; // 1900-01-01
const LAST_DAY = 47_481; // 2099-12-31
let dateStrings: string[] | null = null;
let hhmm: string[] | null = null;
let ss: string[] | null = null;

function tables(): { dates: string[]; hm: string[]; s: string[] } {
  if (!dateStrings) {
    dateStrings = new Array<string>(LAST_DAY - FIRST_DAY + 1);
    for (let d = FIRST_DAY; d <= LAST_DAY; d++)
      dateStrings[d - FIRST_DAY] = new Date(d * DAY_MS).toISOString().slice(0, 10);
    hhmm = new Array<string>(1440);
    for (let i = 0; i < 1440; i++)
      hhmm[i] = `${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    ss = new Array<string>(60);
    for (let i = 0; i < 60; i++) ss[i] = `:${String(i).padStart(2, '0')}`;
  }
  return { dates: dateStrings, hm: hhmm as string[], s: ss as string[] };
}

/** Day number → YYYY-MM-DD. */
export function isoDate(day: number): string {
  const t = tables();
  const s = t.dates[day - FIRST_DAY];
  if (s === undefined) throw new RangeError(`day ${day} outside 1900–2099`);
  return s;
}

/** UTC epoch seconds → "YYYY-MM-DD HH:MM:SS.000" (ClickHouse DateTime64(3) text and PostgreSQL timestamptz input). */
export function isoTs(epochSeconds: number): string {
  const t = tables();
  const day = Math.floor(epochSeconds / 86_400);
  const sec = epochSeconds - day * 86_400;
  const minute = Math.floor(sec / 60);
  return `${t.dates[day - FIRST_DAY]} ${t.hm[minute]}${t.s[sec - minute * 60]}.000`;
}

/** A local (Asia/Shanghai) day and second of day → UTC epoch seconds. */
export function localToEpoch(day: number, localSecond: number): number {
  return day * 86_400 + localSecond - SHANGHAI_OFFSET_S;
}

/** Last day of the month that contains `day`. */
export function monthEnd(day: number): number {
  const [y, m] = ymd(day);
  return dayFromYmd(y, m + 1, 1) - 1;
}

/** Spring Festival (农历正月初一) 2020–2030. */
export const SPRING_FESTIVAL: Readonly<Record<number, string>> = {
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
};

/** Day types with their own spending mix. */
export const DAY_TYPES = ['weekday', 'weekend', 'spring_festival', 'double11', 'd618', 'national_day'] as const;
export type DayType = (typeof DAY_TYPES)[number];
export const DT_WEEKDAY = 0;
export const DT_WEEKEND = 1;
export const DT_SPRING = 2;
export const DT_DOUBLE11 = 3;
export const DT_618 = 4;
export const DT_NATIONAL = 5;

/**
 * The seasonal calendar of a simulation window: per day its type and its relative weight for card spend and for app
 * use, with cumulative tables to sample a day from any sub-range in O(log n).
 */
export class SeasonCalendar {
  readonly start: number;
  readonly end: number;
  readonly dayType: Uint8Array;
  readonly spendCum: Float64Array;
  readonly appCum: Float64Array;

  constructor(start: number, end: number) {
    if (end < start) throw new RangeError('SeasonCalendar: end before start');
    this.start = start;
    this.end = end;
    const n = end - start + 1;
    this.dayType = new Uint8Array(n);
    this.spendCum = new Float64Array(n);
    this.appCum = new Float64Array(n);
    const festivals = new Map<number, number>();
    for (const iso of Object.values(SPRING_FESTIVAL)) festivals.set(dayOf(iso), 1);
    let spend = 0;
    let app = 0;
    for (let i = 0; i < n; i++) {
      const day = start + i;
      const [, m, d] = ymd(day);
      const wd = weekday(day);
      let type = wd === 0 || wd === 6 ? DT_WEEKEND : DT_WEEKDAY;
      let w = type === DT_WEEKEND ? 1.3 : 1;
      let a = type === DT_WEEKEND ? 1.1 : 1;
      // Spring Festival: shopping in the 10 days before, red envelopes and family dinners in the first week.
      for (let k = -10; k <= 6; k++) {
        if (festivals.has(day - k)) {
          type = DT_SPRING;
          w = k < 0 ? 1.9 : k <= 2 ? 1.5 : 1.3;
          a = k >= -1 && k <= 1 ? 1.5 : 1.15;
        }
      }
      if (m === 11 && d <= 11) {
        type = DT_DOUBLE11;
        w = d === 11 ? 3.2 : 1.4;
        a = d === 11 ? 1.6 : 1.15;
      } else if (m === 6 && d <= 18) {
        type = DT_618;
        w = d === 18 ? 2.2 : 1.2;
        a = d === 18 ? 1.3 : 1.05;
      } else if (m === 10 && d <= 7) {
        type = DT_NATIONAL;
        w = 1.6;
        a = 0.9;
      }
      this.dayType[i] = type;
      spend += w;
      app += a;
      this.spendCum[i] = spend;
      this.appCum[i] = app;
    }
  }

  typeOf(day: number): number {
    return this.dayType[day - this.start] ?? DT_WEEKDAY;
  }

  /** A day in [from, to) (clamped to the window) drawn by the given cumulative weights; -1 when the range is empty. */
  sample(cum: Float64Array, rng: Rng, from: number, to: number): number {
    const lo0 = Math.max(from, this.start) - this.start;
    const hi0 = Math.min(to, this.end + 1) - this.start;
    if (hi0 <= lo0) return -1;
    const base = lo0 === 0 ? 0 : (cum[lo0 - 1] ?? 0);
    const x = base + rng.float() * ((cum[hi0 - 1] ?? 0) - base);
    let lo = lo0;
    let hi = hi0 - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.start + lo;
  }
}
