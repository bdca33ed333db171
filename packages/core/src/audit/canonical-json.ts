/**
 * Canonical JSON for hashing (the audit trail's hash chain): one byte-exact text per JSON value, so that a value read
 * back from the database (where `jsonb` reorders keys and drops whitespace) hashes to what was hashed on write.
 *
 * Rules (the JSON Canonicalization Scheme of RFC 8785, restricted to what the store can round-trip):
 * - object keys sorted by UTF-16 code units (JavaScript's default string order), no whitespace anywhere;
 * - properties whose value is `undefined` are omitted (as `JSON.stringify` does);
 * - numbers in ECMAScript shortest round-trip form (`JSON.stringify`), `-0` written as `0`; NaN and ±Infinity refused;
 * - strings escaped as `JSON.stringify` escapes them; strings with a lone UTF-16 surrogate are refused (PostgreSQL
 *   cannot store them, so they could never verify);
 * - only `null`, booleans, finite numbers, strings, arrays and plain objects are accepted: `undefined` in an array,
 *   bigint, Date, Map, functions and class instances are refused with a TypeError naming the path — callers convert
 *   them explicitly (e.g. a Date to its ISO string).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

// A lone surrogate: a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encodeString(s: string, path: string): string {
  if (loneSurrogate.test(s)) throw new TypeError(`${path}: string contains a lone UTF-16 surrogate`);
  return JSON.stringify(s);
}

function encode(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a finite number`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'string':
      return encodeString(value, path);
    case 'object': {
      if (seen.has(value)) throw new TypeError(`${path}: circular reference`);
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          const parts = value.map((item: unknown, i) => {
            if (item === undefined) throw new TypeError(`${path}[${i}]: undefined is not JSON`);
            return encode(item, `${path}[${i}]`, seen);
          });
          return `[${parts.join(',')}]`;
        }
        if (!isPlainObject(value)) {
          throw new TypeError(`${path}: ${value.constructor?.name ?? 'object'} is not a plain JSON object`);
        }
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort();
        const parts = keys.map((k) => `${encodeString(k, `${path}.${k}`)}:${encode(record[k], `${path}.${k}`, seen)}`);
        return `{${parts.join(',')}}`;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} is not JSON`);
  }
}

/** The canonical JSON text of `value` (see the rules above); throws a TypeError naming the offending path. */
export function canonicalJson(value: unknown): string {
  return encode(value, '$', new Set());
}
