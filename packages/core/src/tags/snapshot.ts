/**
 * Wide tag snapshots: one row per customer and snapshot date in `tag_snapshot`, one typed column per tag version.
 *
 * A tag's column is named after its id and version (`t_<id with . as __>_v<version>`), so a definition that changes
 * gets a new column and the snapshots written under the old version stay readable in theirs. `tag_snapshot_columns`
 * records which column and value type each snapshot used for each tag.
 *
 * The helpers here build the SQL fragments every reader shares (presence, the string form the audience expressions
 * compare with, the numeric form), so the tag factory, the audience reference SQL, the dashboards and the models read
 * a column the same way. Pure: no I/O.
 */
import type { ValueType } from './dsl.ts';

export const SNAPSHOT_TABLE = 'tag_snapshot';

export interface SnapshotColumn {
  tagId: string;
  version: number;
  column: string;
  valueType: ValueType;
}

/** ClickHouse type of a tag column. Set tags store the empty array for "no value". */
export const snapshotColumnType: Record<ValueType, string> = {
  boolean: 'Nullable(UInt8)',
  enum: 'LowCardinality(Nullable(String))',
  number: 'Nullable(Float64)',
  date: 'Nullable(Date32)',
  set: 'Array(LowCardinality(String))',
};

const columnRe = /^t_[a-z0-9_]+_v[0-9]+$/;

/** Whether a column name is a tag value column of `tag_snapshot`. */
export function isSnapshotValueColumn(name: string): boolean {
  return columnRe.test(name);
}

/** The column holding a tag version. */
export function snapshotColumnName(tagId: string, version: number): string {
  const name = `t_${tagId.replace(/\./g, '__')}_v${version}`;
  if (!columnRe.test(name) || !Number.isInteger(version) || version < 1)
    throw new Error(`cannot name a snapshot column for tag ${tagId} version ${version}`);
  return name;
}

/** A validated column identifier (the names come from the metadata table; they are checked before use in SQL). */
export function snapshotIdent(column: string): string {
  if (!columnRe.test(column)) throw new Error(`not a tag snapshot column: ${column}`);
  return column;
}

export interface ColumnSql {
  /** True when the customer has a value. */
  present: string;
  /** The value as the audience expressions and the API see it as text ('true'/'false', the enum, 'a,b' for sets). */
  str: string;
  /** The value as a number (numbers; dates as days since 1970-01-01; booleans 1/0); NULL for text tags. */
  num: string;
  /** The value as `Array(String)`: a set's elements, or the text of a scalar value (empty when there is none). */
  elements: string;
}

/** SQL fragments reading one tag column (optionally qualified with a table alias). */
export function columnSql(c: Pick<SnapshotColumn, 'column' | 'valueType'>, alias?: string): ColumnSql {
  const col = `${alias ? `${alias}.` : ''}${snapshotIdent(c.column)}`;
  const scalar = (present: string, str: string, num: string): ColumnSql => ({
    present,
    str,
    num,
    elements: `if(${present}, [${str}], CAST([] AS Array(String)))`,
  });
  switch (c.valueType) {
    case 'boolean':
      return scalar(`isNotNull(${col})`, `if(${col} != 0, 'true', 'false')`, `toFloat64(${col})`);
    case 'enum':
      return scalar(`isNotNull(${col})`, `toString(assumeNotNull(${col}))`, 'CAST(NULL AS Nullable(Float64))');
    case 'number':
      return scalar(`isNotNull(${col})`, `toString(${col})`, col);
    case 'date':
      return scalar(`isNotNull(${col})`, `toString(${col})`, `toFloat64(toInt32(${col}))`);
    case 'set':
      return {
        present: `notEmpty(${col})`,
        str: `arrayStringConcat(${col}, ',')`,
        num: 'CAST(NULL AS Nullable(Float64))',
        elements: `CAST(${col} AS Array(String))`,
      };
  }
}
