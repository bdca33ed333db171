import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareChineseNames,
  compareDates,
  compareNames,
  comparePersonNames,
  comparePhones,
  damerauLevenshtein,
  jaro,
  jaroWinkler,
  levenshtein,
  namePinyin,
  normalisePhone,
  parseDate,
  soundex,
} from '../../src/identity/compare.ts';

function date(s: string) {
  const d = parseDate(s);
  if (d === null) throw new Error(`bad test date ${s}`);
  return d;
}

describe('string comparators', () => {
  it('Jaro–Winkler matches the published reference values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.8133, 4);
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.9444, 4);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('abc', '')).toBe(0);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('Levenshtein and Damerau (OSA) distances, bounded', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(damerauLevenshtein('ca', 'ac')).toBe(1);
    expect(levenshtein('ca', 'ac')).toBe(2);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3);
    expect(damerauLevenshtein('19600210', '19602010')).toBe(1);
    // Long strings grow the scratch buffers.
    expect(levenshtein('a'.repeat(200), `${'a'.repeat(199)}b`)).toBe(1);
  });

  it('edit distances are symmetric and the bound is exact (property)', () => {
    const s = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '张', '章'), maxLength: 9 });
    fc.assert(
      fc.property(s, s, fc.integer({ min: 0, max: 4 }), (a, b, k) => {
        const d = levenshtein(a, b);
        expect(levenshtein(b, a)).toBe(d);
        expect(levenshtein(a, b, k)).toBe(Math.min(d, k + 1));
        const od = damerauLevenshtein(a, b);
        expect(od).toBeLessThanOrEqual(d);
        expect(damerauLevenshtein(a, b, k)).toBe(Math.min(od, k + 1));
        const jw = jaroWinkler(a, b);
        expect(jw).toBeGreaterThanOrEqual(0);
        expect(jw).toBeLessThanOrEqual(1);
        expect(jaroWinkler(b, a)).toBeCloseTo(jw, 12);
      }),
      { numRuns: 500 },
    );
  });

  it('Soundex', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('123')).toBe('');
  });
});

describe('dates', () => {
  it('parses several layouts and rejects impossible dates', () => {
    expect(date('19600210')).toMatchObject({ year: 1960, month: 2, day: 10 });
    expect(date('1960-2-10').dayNumber).toBe(date('19600210').dayNumber);
    expect(date('1960年2月10日').dayNumber).toBe(date('19600210').dayNumber);
    expect(date('1970-01-01').dayNumber).toBe(0);
    expect(parseDate('19600230')).toBeNull();
    expect(parseDate('19000229')).toBeNull();
    expect(parseDate('20000229')).not.toBeNull();
    expect(parseDate('hello')).toBeNull();
  });

  it('orders proximity levels', () => {
    expect(compareDates(date('19800304'), date('19800304'))).toBe('exact');
    expect(compareDates(date('19800304'), date('19800403'))).toBe('transposed_day_month');
    expect(compareDates(date('19800304'), date('19810304'))).toBe('one_typo');
    expect(compareDates(date('19800131'), date('19800202'), 30)).toBe('within_days');
    expect(compareDates(date('19800131'), date('19800202'), 1)).toBe('same_year');
    expect(compareDates(date('19800101'), date('19851231'))).toBe('different');
  });
});

describe('phones', () => {
  it('normalises +86, 0086, spaces and dashes', () => {
    expect(normalisePhone('+86 138 0013 8000')).toBe('13800138000');
    expect(normalisePhone('0086-13800138000')).toBe('13800138000');
    expect(normalisePhone('8613800138000')).toBe('13800138000');
    expect(normalisePhone('010-6552 9988')).toBe('01065529988');
  });

  it('grades exact, last-8 and last-4 agreement', () => {
    expect(comparePhones('13800138000', normalisePhone('+86 13800138000'))).toBe('exact');
    expect(comparePhones('13800138000', '15900138000')).toBe('same_last8');
    expect(comparePhones('13800138000', '13912348000')).toBe('same_last4');
    expect(comparePhones('13800138000', '13912341234')).toBe('different');
  });
});

describe('names', () => {
  it('scores Chinese homophones as a near match, not as exact', () => {
    expect(namePinyin('张伟')).toBe('zhangwei');
    expect(namePinyin('单田芳')).toBe('shantianfang');
    expect(compareChineseNames('张伟', '张伟')).toBe('exact');
    expect(compareChineseNames('张伟', '章伟')).toBe('homophone');
    expect(compareChineseNames('王小明', '汪小明')).toBe('homophone');
    expect(compareChineseNames('王小明', '王晓敏')).toBe('close');
    expect(compareChineseNames('张伟', '李娜')).toBe('different');
    expect(compareNames('张伟', 'zhang wei')).toBe('homophone');
  });

  it('grades Latin names by Jaro–Winkler and detects given/surname swaps', () => {
    expect(compareNames('catherine', 'katherine')).toBe('close');
    expect(compareNames('jon', 'john')).toBe('close');
    expect(compareNames('jon', 'jonathan')).toBe('fuzzy');
    expect(compareNames('smith', 'jones')).toBe('different');
    expect(comparePersonNames('john', 'smith', 'smith', 'john')).toBe('swapped');
    expect(comparePersonNames('john', 'smith', 'john', 'smith')).toBe('exact');
    expect(comparePersonNames('jon', 'smith', 'jonathan', 'smith')).toBe('fuzzy');
  });
});
