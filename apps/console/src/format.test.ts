import { afterEach, describe, expect, it } from 'vitest';
import { daysSince, setDisplayTimezone } from './format.ts';

describe('daysSince', () => {
  afterEach(() => setDisplayTimezone('Asia/Shanghai'));

  it('counts whole days to today in the display time zone', () => {
    // 2026-11-23 17:30 UTC is already 24 November in Shanghai (UTC+8), still 23 November in UTC
    const now = new Date('2026-11-23T17:30:00Z');
    expect(daysSince('2026-11-24', now)).toBe(0);
    expect(daysSince('2026-11-22', now)).toBe(2);
    expect(daysSince('2026-03-31', now)).toBe(238);
    setDisplayTimezone('UTC');
    expect(daysSince('2026-11-24', now)).toBe(-1);
    expect(daysSince('2026-11-22', now)).toBe(1);
  });
});
