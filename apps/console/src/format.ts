import i18n from './i18n/index.ts';

const locale = () => (i18n.language === 'en' ? 'en-US' : 'zh-CN');

/** Integer fen → "¥1,234.56". */
export function yuan(fen: number | null | undefined, digits = 2): string {
  if (fen === null || fen === undefined) return '–';
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(fen / 100);
}

/** Integer fen → a compact amount in yuan ("1.2亿", "35.6M"). */
export function yuanCompact(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '–';
  return new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(fen / 100);
}

export function int(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return new Intl.NumberFormat(locale()).format(n);
}

export function pct(r: number | null | undefined, digits = 1): string {
  if (r === null || r === undefined || Number.isNaN(r)) return '–';
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(r);
}

let displayTimezone = 'Asia/Shanghai';

/** The administrator's display time zone (setting `display.timezone`), applied by every date-time shown. */
export function setDisplayTimezone(tz: string): void {
  displayTimezone = tz;
}

/** Whole days from the date `day` (YYYY-MM-DD) to today in the display time zone (0: today; negative: future). */
export function daysSince(day: string, now = new Date()): number {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: displayTimezone, dateStyle: 'short' }).format(now);
  return Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000);
}

/** An ISO instant shown in the display time zone (Asia/Shanghai unless the administrator chose another). */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: displayTimezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** Looks up `prefix.value` in the dictionary, falling back to the raw value (codes from the API). */
export function label(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  const key = `${prefix}.${value}`;
  return i18n.exists(key) ? i18n.t(key) : value;
}

/** Picks the zh or en text of a bilingual API field for the current language. */
export function bi(text: { zh: string; en: string } | undefined): string {
  if (!text) return '';
  return i18n.language === 'en' ? text.en : text.zh;
}
