import { describe, expect, it } from 'vitest';
import { inferColumn, parseNumberCell, tableToDataset } from '../../src/tabular/infer.ts';

describe('tabular type inference', () => {
  it('parses plain numbers, thousands separators, percentages and decimal commas', () => {
    expect(parseNumberCell(' -1.5e2 ')).toBe(-150);
    expect(parseNumberCell('1,234,567.5')).toBe(1234567.5);
    expect(parseNumberCell('12.5%')).toBeCloseTo(0.125, 12);
    expect(parseNumberCell('3,14', true)).toBeCloseTo(3.14, 12);
    expect(parseNumberCell('3,14')).toBeNull();
    expect(parseNumberCell('Infinity')).toBeNull();
    expect(parseNumberCell('12abc')).toBeNull();
  });

  it('infers numeric vs categorical and handles missing tokens', () => {
    expect(inferColumn('a', ['1', '2', '', 'NA', 'unknown']).kind).toBe('numeric');
    expect(inferColumn('a', ['1', '2', '', 'NA', 'unknown']).missing).toBe(3);
    expect(inferColumn('b', ['x', 'unknown', '1']).kind).toBe('categorical');
    expect(inferColumn('c', ['', 'NA']).kind).toBe('categorical');
    expect(inferColumn('d', ['1,5', '2,25', '3']).decimalComma).toBe(true);
    expect(inferColumn('e', ['1,500', '2,250', '3.5']).decimalComma).toBe(false);
    const ids = Array.from({ length: 100 }, (_, i) => `id${i}`);
    expect(inferColumn('id', ids).likelyIdentifier).toBe(true);
  });

  it('builds a Dataset with sorted levels; "unknown" stays a categorical level', () => {
    const header = ['age', 'job', 'rate', 'y'];
    const rows = [
      ['30', 'tech', '5%', 'no'],
      ['', 'admin', '7.5%', 'yes'],
      ['41', 'unknown', 'n/a', 'no'],
      ['52', '', '1,000%', 'no'],
    ];
    const { dataset, columns } = tableToDataset(header, rows, { exclude: new Set(['y']) });
    expect(columns.map((c) => [c.name, c.kind])).toEqual([
      ['age', 'numeric'],
      ['job', 'categorical'],
      ['rate', 'numeric'],
    ]);
    expect(Array.from(dataset.numeric[0] as Float64Array)).toEqual([30, Number.NaN, 41, 52]);
    expect(Array.from(dataset.numeric[1] as Float64Array)).toEqual([0.05, 0.075, Number.NaN, 10]);
    expect(dataset.categoricalLevels[0]).toEqual(['admin', 'tech', 'unknown']);
    expect(Array.from(dataset.categorical[0] as Int32Array)).toEqual([1, 0, 2, -1]);
  });
});
