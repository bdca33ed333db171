import { Dictionary, Int32, Uint8, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { groupIdsByValue } from './tags.repo.ts';

const asObject = (groups: { value: string; ids: Uint32Array }[]) =>
  Object.fromEntries(groups.map((g) => [g.value, [...g.ids]]));

describe('grouping an Arrow column of the tag index load by value', () => {
  it('reads dictionary batches with their own dictionaries, offsets and nulls', () => {
    const type = () => new Dictionary(new Utf8(), new Int32());
    // the first batch is a slice (offset 1) of its data; the second batch has another dictionary
    const first = vectorFromArray(['x', null, 'y', 'x'], type()).slice(1);
    const second = vectorFromArray(['y', 'z', null], type());
    const column = first.concat(second);
    expect(column.data.map((d) => d.offset)).toEqual([1, 0]);
    const ids = Uint32Array.of(10, 11, 12, 13, 14, 15);
    expect(asObject(groupIdsByValue(column, ids, 'c'))).toEqual({ y: [11, 13], x: [12], z: [14] });
  });

  it('reads bytes as booleans (0 false, anything else true) and skips nulls', () => {
    const column = vectorFromArray([0, 1, null, 7, 0], new Uint8());
    const ids = Uint32Array.of(1, 2, 3, 4, 5);
    expect(asObject(groupIdsByValue(column, ids, 'b'))).toEqual({ false: [1, 5], true: [2, 4] });
  });

  it('refuses a column of another type, and a row count that does not match the ids', () => {
    expect(() => groupIdsByValue(vectorFromArray([1.5, 2.5]), Uint32Array.of(1, 2), 'n')).toThrow(
      /column n did not arrive as bytes or a string dictionary/,
    );
    expect(() => groupIdsByValue(vectorFromArray([0, 1], new Uint8()), Uint32Array.of(1), 'b')).toThrow(
      /column b has 2 rows, not 1/,
    );
  });
});
