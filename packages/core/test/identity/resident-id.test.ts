import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalResidentId,
  computeCheckChar,
  isValidResidentId,
  normaliseResidentId,
  parseResidentId,
  residentIdBirthDate,
  residentIdGender,
  upgradeLegacyId,
} from '../../src/identity/resident-id.ts';

describe('GB 11643 resident ID', () => {
  it('accepts the example numbers of the standard and extracts birth date and gender', () => {
    const female = parseResidentId('11010519491231002X');
    expect(female).toEqual({
      valid: true,
      id: '11010519491231002X',
      upgraded: false,
      regionCode: '110105',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    expect(residentIdGender('440524188001010014')).toBe('male');
    expect(residentIdBirthDate('440524188001010014')).toBe('1880-01-01');
  });

  it('computes MOD 11-2 check characters, including X for 10', () => {
    expect(computeCheckChar('11010519491231002')).toBe('X');
    expect(computeCheckChar('44052418800101001')).toBe('4');
    // Constructed: Shanghai Huangpu, 1990-03-07, sequence 123 (odd → male).
    const first17 = '31010119900307123';
    const id = first17 + computeCheckChar(first17);
    expect(isValidResidentId(id)).toBe(true);
    expect(residentIdGender(id)).toBe('male');
    expect(() => computeCheckChar('1234')).toThrow(/17 digits/);
    expect(() => computeCheckChar('1101051949123100A')).toThrow(/not a digit/);
  });

  it('normalises lower-case x, spaces, hyphens and full-width digits', () => {
    expect(normaliseResidentId(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(normaliseResidentId('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
    expect(canonicalResidentId('110105-19491231-002x')).toBe('11010519491231002X');
  });

  it('rejects bad check characters, dates, regions, lengths and characters with a reason', () => {
    expect(parseResidentId('110105194912310021')).toMatchObject({ valid: false, reason: 'bad_check_char' });
    const badDate = '11010519490230002';
    expect(parseResidentId(badDate + computeCheckChar(badDate))).toMatchObject({ reason: 'bad_birth_date' });
    const badRegion = '99010519491231002';
    expect(parseResidentId(badRegion + computeCheckChar(badRegion))).toMatchObject({ reason: 'bad_region' });
    expect(parseResidentId('1101051949')).toMatchObject({ reason: 'bad_length' });
    expect(parseResidentId('11010519491231X02X')).toMatchObject({ reason: 'bad_characters' });
    expect(parseResidentId('')).toMatchObject({ reason: 'empty' });
    const future = '11010520990101002';
    expect(parseResidentId(future + computeCheckChar(future), { asOf: new Date('2025-01-01') })).toMatchObject({
      reason: 'bad_birth_date',
    });
  });

  it('upgrades 15-digit legacy numbers to 18 characters', () => {
    expect(upgradeLegacyId('110105491231002')).toBe('11010519491231002X');
    const upgraded = upgradeLegacyId('440524800101001');
    expect(upgraded.slice(0, 17)).toBe('44052419800101001');
    expect(isValidResidentId(upgraded)).toBe(true);
    const r = parseResidentId('110105491231002');
    expect(r).toMatchObject({ valid: true, id: '11010519491231002X', upgraded: true, gender: 'female' });
    expect(parseResidentId('110105491231002', { acceptLegacy: false })).toMatchObject({ reason: 'bad_length' });
    expect(() => upgradeLegacyId('11010549123100')).toThrow(/15 digits/);
  });

  it('detects every single-digit substitution (property)', () => {
    const arb = fc.record({
      province: fc.constantFrom('11', '31', '44', '51', '65'),
      county: fc.integer({ min: 101, max: 9999 }),
      days: fc.integer({ min: 0, max: 40000 }),
      seq: fc.integer({ min: 0, max: 999 }),
      pos: fc.integer({ min: 0, max: 16 }),
      delta: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(arb, ({ province, county, days, seq, pos, delta }) => {
        const date = new Date(Date.UTC(1920, 0, 1) + days * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
        const first17 = `${province}${String(county).padStart(4, '0')}${date}${String(seq).padStart(3, '0')}`;
        const id = first17 + computeCheckChar(first17);
        expect(isValidResidentId(id)).toBe(true);
        const d = (Number(first17[pos]) + delta) % 10;
        const mutated = `${first17.slice(0, pos)}${d}${first17.slice(pos + 1)}${id[17]}`;
        expect(isValidResidentId(mutated)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
