/**
 * A growable byte buffer that writes ASCII TSV (ClickHouse TabSeparated) without allocating a string per row: the
 * generator's analytics streams (tens of millions of rows) go straight into bytes the loader hands to `insertRaw`.
 * Only ASCII values are written here (codes, numbers, dates); callers never pass tabs, newlines or backslashes.
 */
import { DAY_MS } from './calendar.ts';

const TAB = 9;
const NL = 10;
const FIRST_DAY = -25_567; // 1900-01-01
const DAYS = 73_049; // through 2099-12-31
let dateBytes: Uint8Array | null = null;

function dates(): Uint8Array {
  if (!dateBytes) {
    dateBytes = new Uint8Array(DAYS * 10);
    for (let i = 0; i < DAYS; i++) {
      const s = new Date((FIRST_DAY + i) * DAY_MS).toISOString();
      for (let k = 0; k < 10; k++) dateBytes[i * 10 + k] = s.charCodeAt(k);
    }
  }
  return dateBytes;
}

export class ByteSink {
  private buf: Uint8Array;
  private pos = 0;
  rows = 0;

  constructor(capacity = 1 << 20) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /** Reserves room for one row (rows are short: codes, numbers and dates); call before writing a row. */
  row(): this {
    if (this.pos + 1024 > this.buf.length) this.ensure(1024);
    return this;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** A non-negative or negative safe integer. */
  num(v: number): this {
    const b = this.buf;
    let x = v;
    if (x < 0) {
      b[this.pos++] = 45;
      x = -x;
    }
    if (x < 10) {
      b[this.pos++] = 48 + x;
      return this;
    }
    let digits = 0;
    if (x < 2_147_483_648) {
      for (let t = x; t > 0; t = (t / 10) | 0) digits++;
      let p = this.pos + digits - 1;
      while (x > 0) {
        const q = (x / 10) | 0;
        b[p--] = 48 + x - q * 10;
        x = q;
      }
    } else {
      for (let t = x; t >= 1; t = Math.floor(t / 10)) digits++;
      let p = this.pos + digits - 1;
      while (x >= 1) {
        const q = Math.floor(x / 10);
        b[p--] = 48 + (x - q * 10);
        x = q;
      }
    }
    this.pos += digits;
    return this;
  }

  /** An ASCII string. */
  str(s: string): this {
    const n = s.length;
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
    return this;
  }

  tab(): this {
    this.buf[this.pos++] = TAB;
    return this;
  }

  /** Ends a row. */
  nl(): this {
    this.buf[this.pos++] = NL;
    this.rows++;
    return this;
  }

  /** `\N` (NULL). */
  nul(): this {
    this.buf[this.pos++] = 92;
    this.buf[this.pos++] = 78;
    return this;
  }

  /** YYYY-MM-DD of a day number. */
  date(day: number): this {
    const i = (day - FIRST_DAY) * 10;
    if (i < 0 || i >= DAYS * 10) throw new RangeError(`day ${day} outside 1900–2099`);
    const t = dateBytes ?? dates();
    const b = this.buf;
    const p = this.pos;
    for (let k = 0; k < 10; k++) b[p + k] = t[i + k] as number;
    this.pos = p + 10;
    return this;
  }

  /** "YYYY-MM-DD HH:MM:SS.000" of UTC epoch seconds. */
  ts(epochSeconds: number): this {
    const day = Math.floor(epochSeconds / 86_400);
    let sec = epochSeconds - day * 86_400;
    this.date(day);
    const b = this.buf;
    const h = Math.floor(sec / 3600);
    sec -= h * 3600;
    const m = Math.floor(sec / 60);
    sec -= m * 60;
    let p = this.pos;
    b[p++] = 32;
    b[p++] = 48 + Math.floor(h / 10);
    b[p++] = 48 + (h % 10);
    b[p++] = 58;
    b[p++] = 48 + Math.floor(m / 10);
    b[p++] = 48 + (m % 10);
    b[p++] = 58;
    b[p++] = 48 + Math.floor(sec / 10);
    b[p++] = 48 + (sec % 10);
    b[p++] = 46;
    b[p++] = 48;
    b[p++] = 48;
    b[p++] = 48;
    this.pos = p;
    return this;
  }

  /** A copy of the bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
    this.rows = 0;
  }
}

/** Splits TSV bytes into rows of fields (tests and tools; not for the hot path). */
export function parseTsv(bytes: Uint8Array): string[][] {
  const text = new TextDecoder().decode(bytes);
  const out: string[][] = [];
  for (const line of text.split('\n')) if (line.length > 0) out.push(line.split('\t'));
  return out;
}
