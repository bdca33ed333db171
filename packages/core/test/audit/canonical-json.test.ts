import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('orders keys by UTF-16 code units (upper case before lower case, astral after BMP)', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, é: 0, '😀': 0, '\uFFFF': 0 })).toBe(
      '{"B":0,"a":0,"b":0,"é":0,"😀":0,"\uFFFF":0}',
    );
  });

  it('keeps unicode text as characters and escapes control characters', () => {
    expect(canonicalJson({ name: '张三', emoji: '👍', ctl: '\u0001\n"\\' })).toBe(
      '{"ctl":"\\u0001\\n\\"\\\\","emoji":"👍","name":"张三"}',
    );
  });

  it('writes numbers in shortest round-trip form', () => {
    expect(canonicalJson([0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 123456789012345680000, 2 ** 53, 5e-324])).toBe(
      '[0,0,1,-1.5,0.1,1e+21,1e-7,123456789012345680000,9007199254740992,5e-324]',
    );
  });

  it('omits undefined properties but refuses undefined array items', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson([1, undefined])).toThrow(/\$\[1\]: undefined/);
  });

  it('refuses values that are not JSON, naming the path', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(/\$\.a\.b: NaN is not a finite number/);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(/not a finite number/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/\$\.when: Date is not a plain JSON object/);
    expect(() => canonicalJson({ big: 1n })).toThrow(/bigint is not JSON/);
    expect(() => canonicalJson(() => 1)).toThrow(/function is not JSON/);
    expect(() => canonicalJson({ s: 'a\uD800b' })).toThrow(/lone UTF-16 surrogate/);
    expect(() => canonicalJson({ s: '\uDC00' })).toThrow(/lone UTF-16 surrogate/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it('accepts repeated (non-circular) references and null-prototype objects', () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' });
    expect(canonicalJson({ a: shared, b: shared, c: bare })).toBe('{"a":{"x":1},"b":{"x":1},"c":{"k":"v"}}');
  });

  it('is valid JSON that parses back to an equal value, independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        const back: unknown = JSON.parse(text);
        expect(canonicalJson(back)).toBe(text);
        // Reversing every object's key order does not change the text.
        const reversed = JSON.parse(JSON.stringify(v), (_k, val: unknown) =>
          val !== null && typeof val === 'object' && !Array.isArray(val)
            ? Object.fromEntries(Object.entries(val as Record<string, unknown>).reverse())
            : val,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
