/**
 * Tag compiler: validated definitions → ClickHouse SQL.
 *
 * Plan: ONE aggregate query per source table computes every aggregate / attribute / model-score tag over that source
 * together (conditional aggregates `countIf`, `sumIf`, … over the widest window, one GROUP BY customer_id) — split in
 * two when a fact source has many short-window tags and a few over its whole history, so that the windowed ones scan
 * only their widest window instead of the whole history (see `SourceQuery.key`); a final
 * combine query joins those per-source results onto the customer universe and computes the derived tags (buckets,
 * rules, formulas, date arithmetic) in dependency order, and writes one wide row per customer into `tag_snapshot`
 * (a typed column per tag version, see `snapshot.ts`).
 * Every value from a definition travels as a bound parameter (`{pN:Type}`); identifiers come only from the source
 * registry (`registry.ts`) or from generated aliases. Columns marked anti_fraud_only are refused (rule A1).
 */
import type { DataClass } from '../schema/data-classes.ts';
import {
  type AggregateCompute,
  type Cond,
  type Expr,
  type Filter,
  type Scalar,
  type TagDefinition,
  tagDependencies,
  type ValueType,
  type Window,
} from './dsl.ts';
import {
  type ColumnType,
  getSource,
  isNumericType,
  isTemporalType,
  type SourceDef,
  type SourceName,
  sources,
} from './registry.ts';
import { SNAPSHOT_TABLE, type SnapshotColumn, snapshotColumnName } from './snapshot.ts';

export type SqlParamValue = string | number | readonly (string | number)[];
export interface SqlWithParams {
  sql: string;
  params: Record<string, SqlParamValue>;
}

export class TagCompileError extends Error {
  override name = 'TagCompileError';
  constructor(
    readonly tagId: string,
    readonly field: string,
    readonly reason: string,
    /** Rulebook id when a rule forbids the definition (e.g. A1). */
    readonly rule?: string,
  ) {
    super(`${tagId}: ${field}: ${reason}`);
  }
}

/**
 * Bound parameters of one statement. An equal value of the same type reuses its parameter, so conditions repeated
 * across tags (the same window, the same filter) are the same SQL expression and ClickHouse computes them, and
 * identical aggregates such as the shared denominator of the spend-share tags, once per row instead of once per tag.
 */
class ParamBag {
  readonly params: Record<string, SqlParamValue> = {};
  private n = 0;
  private readonly seen = new Map<string, string>();
  constructor(private readonly prefix: string) {}
  add(value: SqlParamValue, type: string): string {
    const key = `${type}\u0000${JSON.stringify(value)}`;
    const known = this.seen.get(key);
    if (known) return known;
    const name = `${this.prefix}${this.n++}`;
    this.params[name] = value;
    const ref = `{${name}:${type}}`;
    this.seen.set(key, ref);
    return ref;
  }
  set(name: string, value: SqlParamValue, type: string): string {
    this.params[name] = value;
    return `{${name}:${type}}`;
  }
}

/** SQL shape of a tag's value inside the combine query. */
type SqlKind = 'bool' | 'string' | 'number' | 'date' | 'set';
const kindOf: Record<ValueType, SqlKind> = {
  boolean: 'bool',
  enum: 'string',
  number: 'number',
  date: 'date',
  set: 'set',
};

export interface CompiledTag {
  def: TagDefinition;
  /** Position in dependency order. */
  index: number;
  /** Alias in the combine query. */
  alias: string;
  /** The source whose aggregate query computes it (aggregate, attribute, model-score tags). */
  source: SourceName | undefined;
  /** The key of that query (`SourceQuery.key`). */
  query: string | undefined;
  deps: string[];
  /** Effective data class: C2 when it reads C2 columns or C2 tags (P8/P10). */
  dataClass: DataClass;
  /** Source columns read, directly or through dependencies (`table.column`). */
  columns: string[];
}

export interface SourceQuery extends SqlWithParams {
  /**
   * Unique per query: the source name, or `<source>_history` for the tags that read the whole history (no window,
   * or a window on another column) of a fact source the compiler splits (see `compileCatalogue`).
   */
  key: string;
  source: SourceName;
  table: string;
  /** Output columns (besides customer_id): alias → tag id. */
  columns: { column: string; tagId: string }[];
}

export interface CompiledCatalogue {
  /** Tags in dependency order. */
  tags: CompiledTag[];
  byId: Map<string, CompiledTag>;
  /** One query per source table, two for a split fact source (`SELECT customer_id, … GROUP BY customer_id`). */
  sourceQueries: SourceQuery[];
  /** The combine SELECT over the per-query results (stage tables named by the caller, by `SourceQuery.key`). */
  combine(stages: Readonly<Record<string, string>>): SqlWithParams;
  /**
   * `INSERT INTO tag_snapshot … SELECT` of the combine query: one row per customer, one column per tag version
   * (`columns`, which the caller adds to the table first). Tags in `optouts` are left empty for those customers (P4).
   */
  snapshot(
    stages: Readonly<Record<string, string>>,
    versions: ReadonlyMap<string, number>,
    optouts?: ReadonlyMap<string, readonly number[]>,
  ): SnapshotPlan;
}

export interface SnapshotPlan {
  columns: SnapshotColumn[];
  insert: SqlWithParams;
}

export interface CompileOptions {
  /** Time zone for local days, hours and weekdays (default Asia/Shanghai). */
  timezone?: string;
}

const identRe = /^[A-Za-z_][A-Za-z0-9_]*$/;
function ident(name: string): string {
  if (!identRe.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

/** Orders tags so each comes after its dependencies; a cycle is an error naming it. */
export function topoOrder(defs: readonly TagDefinition[]): TagDefinition[] {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: TagDefinition[] = [];
  const visit = (d: TagDefinition, stack: string[]): void => {
    const s = state.get(d.id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(d.id)), d.id];
      throw new TagCompileError(d.id, 'compute', `dependency cycle: ${cycle.join(' → ')}`);
    }
    state.set(d.id, 'visiting');
    for (const dep of tagDependencies(d)) {
      const target = byId.get(dep);
      if (!target) throw new TagCompileError(d.id, 'compute', `references unknown tag ${dep}`);
      visit(target, [...stack, d.id]);
    }
    state.set(d.id, 'done');
    out.push(d);
  };
  for (const d of [...defs].sort((a, b) => a.id.localeCompare(b.id))) visit(d, []);
  return out;
}

function chTypeOf(t: ColumnType): string {
  switch (t) {
    case 'string':
    case 'string_array':
      return 'String';
    case 'int':
      return 'Int64';
    case 'float':
      return 'Float64';
    case 'bool':
      return 'UInt8';
    case 'date':
    case 'datetime':
      return 'Date';
  }
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Compiles per-source SQL pieces of one aggregate source query. */
class SourceCompiler {
  readonly bag: ParamBag;
  readonly selects: string[] = [];
  readonly columns: { column: string; tagId: string }[] = [];
  /** Max lookback in days over the default time column, or undefined when some tag needs the full history. */
  private lookback: number | undefined = 0;

  constructor(
    readonly key: string,
    readonly src: SourceDef,
    readonly tz: string,
    readonly asOf: string,
    /**
     * Row mode: the source has one row per customer (read FINAL) and its tags are attributes, counts and existence
     * tests only, so they are row expressions and the query needs no GROUP BY. Measured on the 1M-customer dimension
     * (23 tags): the stage takes 0.33 s instead of 2.0 s, which went to 23 `any()` states over a million groups.
     */
    readonly rowMode = false,
  ) {
    this.bag = new ParamBag(`${key.replace(/_/g, '')}_p`);
  }

  column(tagId: string, field: string, name: string): { sql: string; type: ColumnType } {
    const col = this.src.columns[name];
    if (!col) throw new TagCompileError(tagId, field, `source ${this.src.name} has no column ${name}`);
    if (col.antiFraudOnly)
      throw new TagCompileError(
        tagId,
        field,
        `${this.src.name}.${name} is anti_fraud_only: rule A1 (反电信网络诈骗法) forbids using it for marketing tags`,
        'A1',
      );
    return { sql: ident(name), type: col.type };
  }

  /** Date-time columns whose local day is computed once per row (in an inner SELECT) instead of per aggregate. */
  readonly dayColumns = new Set<string>();

  /** Local day of a temporal column. */
  localDay(sql: string, type: ColumnType): string {
    if (type !== 'datetime') return sql;
    if (identRe.test(sql) && this.src.columns[sql]) {
      this.dayColumns.add(sql);
      return `day__${sql}`;
    }
    return `toDate(${sql}, ${this.tz})`;
  }

  /** The FROM clause: the table (FINAL when versioned), with the local days of date-time columns precomputed. */
  from(): string {
    const table = `${ident(this.src.table)}${this.src.final ? ' FINAL' : ''}`;
    if (this.dayColumns.size === 0) return table;
    const days = [...this.dayColumns].map((c) => `toDate(${ident(c)}, ${this.tz}) AS day__${c}`).join(', ');
    return `(SELECT *, ${days} FROM ${table})`;
  }

  transformed(
    tagId: string,
    field: string,
    name: string,
    transform: Filter['transform'],
  ): { sql: string; type: ColumnType } {
    const c = this.column(tagId, field, name);
    if (!transform) return c;
    if (transform === 'abs') {
      if (!isNumericType(c.type))
        throw new TagCompileError(tagId, field, `abs needs a numeric column, ${name} is ${c.type}`);
      return { sql: `abs(${c.sql})`, type: c.type };
    }
    if (!isTemporalType(c.type))
      throw new TagCompileError(tagId, field, `transform ${transform} needs a date/time column, ${name} is ${c.type}`);
    if (transform === 'day') return { sql: this.localDay(c.sql, c.type), type: 'date' };
    if (transform === 'month') return { sql: `toMonth(${this.localDay(c.sql, c.type)})`, type: 'int' };
    if (transform === 'weekday') return { sql: `toDayOfWeek(${this.localDay(c.sql, c.type)})`, type: 'int' };
    if (c.type !== 'datetime')
      throw new TagCompileError(tagId, field, `transform ${transform} needs a date-time column`);
    const hour = `toHour(toTimeZone(${c.sql}, ${this.tz}))`;
    if (transform === 'hour') return { sql: hour, type: 'int' };
    return {
      sql: `multiIf(${hour} < 5, 'night', ${hour} < 11, 'morning', ${hour} < 17, 'noon', ${hour} < 23, 'evening', 'night')`,
      type: 'string',
    };
  }

  literal(tagId: string, field: string, v: Scalar | (string | number)[], type: ColumnType): string {
    const one = (x: Scalar): SqlParamValue => {
      if (type === 'string' || type === 'string_array') {
        if (typeof x !== 'string')
          throw new TagCompileError(tagId, field, `expected a string, got ${JSON.stringify(x)}`);
        return x;
      }
      if (type === 'date' || type === 'datetime') {
        if (typeof x !== 'string' || !isoDate.test(x))
          throw new TagCompileError(tagId, field, `expected a date YYYY-MM-DD, got ${JSON.stringify(x)}`);
        return x;
      }
      if (type === 'bool') {
        if (typeof x === 'boolean') return x ? 1 : 0;
        if (x === 0 || x === 1) return x;
        throw new TagCompileError(tagId, field, `expected true or false, got ${JSON.stringify(x)}`);
      }
      if (typeof x !== 'number') throw new TagCompileError(tagId, field, `expected a number, got ${JSON.stringify(x)}`);
      return x;
    };
    const ch =
      type === 'int' && (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'number' && !Number.isInteger(x))
        ? 'Float64'
        : chTypeOf(type);
    if (Array.isArray(v))
      return this.bag.add(
        v.map((x) => one(x) as string | number),
        `Array(${ch})`,
      );
    return this.bag.add(one(v), ch);
  }

  filter(tagId: string, field: string, f: Filter): string {
    const c = this.transformed(tagId, `${field}.column`, f.column, f.transform);
    const vf = `${field}.value`;
    switch (f.op) {
      case 'is_null':
        return `isNull(${c.sql})`;
      case 'not_null':
        return `isNotNull(${c.sql})`;
      case 'has':
        if (c.type !== 'string_array') throw new TagCompileError(tagId, field, `has needs an array column`);
        return `has(${c.sql}, ${this.literal(tagId, vf, f.value as Scalar, 'string')})`;
      case 'in':
      case 'not_in': {
        if (c.type === 'string_array') throw new TagCompileError(tagId, field, `use has on array column ${f.column}`);
        const list = this.literal(tagId, vf, f.value as (string | number)[], c.type);
        // IN builds a set once per query (on a LowCardinality column it is tested on the dictionary); has() scans the
        // array for every row, measured 12× slower on 34M transactions. has() stays on nullable columns, where
        // NOT IN would drop the nulls that `not_in` keeps.
        if (this.src.columns[f.column]?.nullable) {
          const expr = `has(${list}, ${c.sql})`;
          return f.op === 'in' ? expr : `NOT ${expr}`;
        }
        return `${c.sql} ${f.op === 'in' ? 'IN' : 'NOT IN'} ${list}`;
      }
      default: {
        if (c.type === 'string_array') throw new TagCompileError(tagId, field, `use has on array column ${f.column}`);
        if ((c.type === 'string' || c.type === 'bool') && !['eq', 'ne'].includes(f.op))
          throw new TagCompileError(tagId, `${field}.op`, `${f.op} needs a numeric or date column`);
        const sym = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.op];
        const lhs = c.type === 'datetime' ? this.localDay(c.sql, c.type) : c.sql;
        return `${lhs} ${sym} ${this.literal(tagId, vf, f.value as Scalar, c.type)}`;
      }
    }
  }

  /** Widens the query's pre-filter to an aggregate's lookback (`lookbackDays`; undefined: the whole history). */
  widen(days: number | undefined): void {
    if (days === undefined) this.lookback = undefined;
    else if (this.lookback !== undefined) this.lookback = Math.max(this.lookback, days);
  }

  window(tagId: string, w: Window | undefined): string | undefined {
    if (!w) return undefined;
    const colName = w.column ?? this.src.timeColumn;
    if (!colName)
      throw new TagCompileError(tagId, 'compute.window.column', `source ${this.src.name} has no time column`);
    const c = this.column(tagId, 'compute.window.column', colName);
    if (!isTemporalType(c.type)) throw new TagCompileError(tagId, 'compute.window.column', `${colName} is not a date`);
    const asOf = this.asOf;
    // Local days (as_of − to, as_of − from]; on a date-time column the bounds become two instants (the starts of the
    // local days), so rows are compared as stored instead of each being converted to a local day first.
    const days = (to: number, from: number): string => {
      if (c.type === 'datetime')
        return `${c.sql} >= ${this.dayStart(1 - to)} AND ${c.sql} < ${this.dayStart(1 - from)}`;
      const d = this.localDay(c.sql, c.type);
      return `${d} > addDays(${asOf}, ${this.bag.add(-to, 'Int32')}) AND ${d} <= addDays(${asOf}, ${this.bag.add(-from, 'Int32')})`;
    };
    if (w.within_days !== undefined) return days(w.within_days, 0);
    if (w.between !== undefined) return days(w.between.to_days, w.between.from_days);
    if (w.ahead_days !== undefined) return days(0, -w.ahead_days);
    const d = this.localDay(c.sql, c.type);
    const me = w.month_ends;
    if (!me) throw new TagCompileError(tagId, 'compute.window', 'empty window');
    const latest = `if(toLastDayOfMonth(${asOf}) = ${asOf}, ${asOf}, subtractDays(toStartOfMonth(${asOf}), 1))`;
    const from = this.bag.add(me.skip, 'UInt32');
    const to = this.bag.add(me.skip + me.last, 'UInt32');
    return `has(arrayMap(k -> toLastDayOfMonth(addMonths(${latest}, -toInt32(k))), range(${from}, ${to})), ${d})`;
  }

  /** The instant the local day `as_of + offset` starts (a constant: ClickHouse folds it once per query). */
  dayStart(offset: number): string {
    return `toDateTime64(addDays(${this.asOf}, ${this.bag.add(offset, 'Int32')}), 3, ${this.tz})`;
  }

  /** WHERE clause of the source query: the widest window on the time column, never after as_of for facts. */
  where(): string {
    const parts: string[] = [];
    const tc = this.src.timeColumn;
    if (tc && this.src.name !== 'dim_accounts' && !this.src.name.startsWith('dim_')) {
      const col = this.src.columns[tc];
      if (col?.type === 'datetime') {
        parts.push(`${ident(tc)} < ${this.dayStart(1)}`);
        if (this.lookback !== undefined && this.lookback > 0)
          parts.push(`${ident(tc)} >= ${this.dayStart(1 - this.lookback)}`);
      } else if (col) {
        const d = this.localDay(ident(tc), col.type);
        parts.push(`${d} <= ${this.asOf}`);
        if (this.lookback !== undefined && this.lookback > 0)
          parts.push(`${d} > subtractDays(${this.asOf}, ${this.bag.add(this.lookback, 'UInt32')})`);
      }
    }
    return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
  }
}

/** Aggregates that are row expressions over a source with one row per customer (see `SourceCompiler.rowMode`). */
const ROW_MODE_FNS: ReadonlySet<string> = new Set(['count', 'exists']);

/** Widest window (days) of the windowed tags of a source that still gets a separate whole-history query. */
const SPLIT_MAX_LOOKBACK_DAYS = 93;

/**
 * How many days back an aggregate reads on its source's default time column, or undefined when it reads the whole
 * history (no window, a window on another column, or looking ahead). Its source query's pre-filter is the widest of
 * these (`SourceCompiler.widen`); it also decides which sources are split.
 */
function lookbackDays(agg: AggregateCompute, src: SourceDef | undefined): number | undefined {
  const w = agg.window;
  if (!w || !src?.timeColumn || src.name.startsWith('dim_')) return undefined;
  if (w.column !== undefined && w.column !== src.timeColumn) return undefined;
  if (w.within_days !== undefined) return w.within_days;
  if (w.between !== undefined) return w.between.to_days;
  if (w.month_ends !== undefined) return (w.month_ends.last + w.month_ends.skip + 1) * 31;
  return undefined;
}

/** The SQL value kind an aggregate produces (checked against the definition's value type). */
function aggregateKind(def: TagDefinition, agg: AggregateCompute, colType: ColumnType | undefined): SqlKind {
  switch (agg.fn) {
    case 'exists':
      return 'bool';
    case 'distinct_set':
      return 'set';
    case 'min':
    case 'max':
    case 'last':
    case 'top':
      if (colType && isTemporalType(colType)) return 'date';
      if (colType === 'string') return 'string';
      if (colType === 'bool' && def.value_type === 'boolean') return 'bool';
      return 'number';
    default:
      return 'number';
  }
}

const countLike = new Set(['count', 'exists', 'sum', 'count_distinct', 'consecutive_days', 'period_avg']);

function compileAggregate(sc: SourceCompiler, def: TagDefinition, agg: AggregateCompute, alias: string): SqlKind {
  const id = def.id;
  const conds: string[] = [];
  sc.widen(lookbackDays(agg, sc.src));
  const w = sc.window(id, agg.window);
  if (w) conds.push(w);
  agg.where.forEach((f, i) => {
    conds.push(sc.filter(id, `compute.where[${i}]`, f));
  });
  let col: { sql: string; type: ColumnType } | undefined;
  if (agg.column) col = sc.transformed(id, 'compute.column', agg.column, agg.transform);
  // The most frequent value of an enum tag with a closed vocabulary is chosen among the vocabulary's values only
  // (anything else could not be stored as the tag's value), and is counted by hash (see 'top' below).
  const vocabRef =
    agg.fn === 'top' && col?.type === 'string' && def.values ? sc.bag.add([...def.values], 'Array(String)') : undefined;
  if (col && vocabRef) conds.push(`${col.sql} IN ${vocabRef}`);
  const cond = conds.length > 0 ? conds.map((c) => `(${c})`).join(' AND ') : '1';
  const kind = aggregateKind(def, agg, col?.type);
  const expected = kindOf[def.value_type];
  if (kind !== expected)
    throw new TagCompileError(
      id,
      'value_type',
      `fn ${agg.fn} over ${agg.column ?? 'rows'} gives ${kind}, not ${def.value_type}`,
    );
  const needNumeric = ['sum', 'avg', 'share', 'period_avg'].includes(agg.fn);
  if (needNumeric && col && !isNumericType(col.type))
    throw new TagCompileError(
      id,
      'compute.column',
      `fn ${agg.fn} needs a numeric column, ${agg.column} is ${col.type}`,
    );
  if (agg.fn === 'distinct_set' && col && col.type !== 'string')
    throw new TagCompileError(id, 'compute.column', 'fn distinct_set needs a string column');
  const guard = (x: string) => `if(countIf(${cond}) = 0, NULL, ${x})`;
  const c = col?.sql ?? '';
  const num = `toFloat64(${c})`;
  const asDate = (x: string) => (col?.type === 'datetime' ? `toDate(${x}, ${sc.tz})` : x);
  let sql: string;
  switch (agg.fn) {
    case 'count':
      sql = sc.rowMode ? `toFloat64(if(${cond}, 1, 0))` : `toFloat64(countIf(${cond}))`;
      break;
    case 'exists':
      sql = sc.rowMode ? `toUInt8(if(${cond}, 1, 0))` : `toUInt8(countIf(${cond}) > 0)`;
      break;
    case 'sum':
      sql = `sumIf(${num}, ${cond})`;
      break;
    case 'avg':
      sql = guard(`avgIf(${num}, ${cond})`);
      break;
    case 'min':
    case 'max':
      sql = guard(kind === 'date' ? asDate(`${agg.fn}If(${c}, ${cond})`) : `toFloat64(${agg.fn}If(${c}, ${cond}))`);
      break;
    case 'count_distinct':
      sql = `toFloat64(uniqExactIf(${c}, ${cond}))`;
      break;
    case 'last': {
      const tc = sc.src.timeColumn;
      if (!tc) throw new TagCompileError(id, 'compute.fn', `source ${sc.src.name} has no time column to order by`);
      const v = `argMaxIf(${c}, ${ident(tc)}, ${cond})`;
      sql = guard(kind === 'date' ? asDate(v) : kind === 'number' ? `toFloat64(${v})` : v);
      break;
    }
    case 'top': {
      // The most frequent value, ties to the smallest: the distinct values in ascending order, their counts, and the
      // first maximum. Exact and deterministic. Collecting the values and counting once per customer costs about
      // two thirds of a sumMap state per row (measured at 1M customers), and topK's space-saving states cost more
      // still and break ties by merge order.
      if (vocabRef) {
        // Over a vocabulary, the states hold 64-bit hashes instead of copies of the strings (34 M transactions at 1M
        // customers: the source query 5.2–6.0 → 4.7–4.9 s); the distinct hashes are ordered by the values they decode to, so the first
        // maximum is again the smallest value.
        const hashes = `groupArrayIf(cityHash64(${c}), ${cond})`;
        const decode = (h: string) => `transform(${h}, arrayMap(x -> cityHash64(x), ${vocabRef}), ${vocabRef}, '')`;
        const keys = `arraySort(k -> ${decode('k')}, arrayDistinct(${hashes}))`;
        const counts = `arrayMap(k -> countEqual(${hashes}, k), ${keys})`;
        sql = guard(decode(`${keys}[indexOf(${counts}, arrayMax(${counts}))]`));
        break;
      }
      const vals = `groupArrayIf(${c}, ${cond})`;
      const keys = `arrayDistinct(arraySort(${vals}))`;
      const counts = `arrayMap(k -> countEqual(${vals}, k), ${keys})`;
      const v = `${keys}[indexOf(${counts}, arrayMax(${counts}))]`;
      sql = guard(kind === 'date' ? asDate(v) : kind === 'number' ? `toFloat64(${v})` : v);
      break;
    }
    case 'share': {
      const den = [w, ...(agg.total_where ?? []).map((f, i) => sc.filter(id, `compute.total_where[${i}]`, f))]
        .filter((x): x is string => x !== undefined)
        .map((x) => `(${x})`)
        .join(' AND ');
      const denSql = `sumIf(${num}, ${den || '1'})`;
      sql = `if(${denSql} = 0, NULL, sumIf(${num}, ${cond}) / ${denSql})`;
      break;
    }
    case 'period_avg': {
      const n = agg.window?.month_ends?.last ?? 1;
      sql = `sumIf(${num}, ${cond}) / ${sc.bag.add(n, 'Float64')}`;
      break;
    }
    case 'consecutive_days': {
      const tc = sc.src.timeColumn;
      const tcol = tc ? sc.src.columns[tc] : undefined;
      const dayExpr = col
        ? isTemporalType(col.type)
          ? sc.localDay(col.sql, col.type)
          : undefined
        : tc && tcol
          ? sc.localDay(ident(tc), tcol.type)
          : undefined;
      if (!dayExpr) throw new TagCompileError(id, 'compute.column', 'consecutive_days needs a date column');
      // Consecutive days share (day − position); the longest run is the most frequent such key.
      const run = (days: string) => {
        const keys = `arrayMap((d, i) -> toInt64(d) - i, ${days}, arrayEnumerate(${days}))`;
        return `if(empty(${days}), 0, arrayMax(arrayMap(k -> countEqual(${keys}, k), ${keys})))`;
      };
      if (agg.per) {
        const per = sc.column(id, 'compute.per', agg.per);
        const pairs = `groupUniqArrayIf((toString(${per.sql}), ${dayExpr}), ${cond})`;
        const daysOf = `arraySort(arrayMap(x -> x.2, arrayFilter(x -> x.1 = g, ${pairs})))`;
        sql = `toFloat64(arrayMax(arrayConcat([0], arrayMap(g -> ${run(daysOf)}, arrayDistinct(arrayMap(x -> x.1, ${pairs}))))))`;
      } else {
        sql = `toFloat64(${run(`arraySort(groupUniqArrayIf(${dayExpr}, ${cond}))`)})`;
      }
      break;
    }
    case 'distinct_set':
      sql = `arraySort(groupUniqArrayIf(${c}, ${cond}))`;
      break;
  }
  sc.selects.push(`${sql} AS ${alias}`);
  return kind;
}

/** Compiles validated definitions into the refresh plan; throws TagCompileError naming the tag and field. */
export function compileCatalogue(defs: readonly TagDefinition[], opts: CompileOptions = {}): CompiledCatalogue {
  const ordered = topoOrder(defs);
  const tz = opts.timezone ?? 'Asia/Shanghai';
  const compilers = new Map<string, SourceCompiler>();
  const byId = new Map<string, CompiledTag>();
  const tags: CompiledTag[] = [];
  const kinds = new Map<string, SqlKind>();
  // A fact source whose windowed tags are many and look back a quarter or less gets a second query for its
  // whole-history tags, so the windowed ones skip the older rows (fact tables hold a year or more). Measured on the
  // 1M synthetic bank (one year of data): app_events (15 tags within 90 days, 2 over the whole history) 4.3 s → 3.2 s;
  // splitting transactions (widest window 365 days) or contacts (2 windowed tags, 6 whole-history) cost more in the
  // extra scan and stage join than it saved.
  const perSource = new Map<string, { windowed: number; history: number; widest: number }>();
  for (const def of ordered) {
    const c = def.compute;
    if (c.kind !== 'aggregate') continue;
    const n = perSource.get(c.source) ?? { windowed: 0, history: 0, widest: 0 };
    const days = lookbackDays(c, getSource(c.source));
    if (days === undefined) n.history++;
    else {
      n.windowed++;
      n.widest = Math.max(n.widest, days);
    }
    perSource.set(c.source, n);
  }
  const splitSources = new Set(
    [...perSource]
      .filter(([, n]) => n.history > 0 && n.windowed >= 2 * n.history && n.widest <= SPLIT_MAX_LOOKBACK_DAYS)
      .map(([name]) => name),
  );
  // Sources with one row per customer whose aggregate tags are all counts or existence tests compile in row mode.
  const rowSources = new Set(
    Object.values(sources())
      .filter((src) => src.oneRowPerCustomer && src.final)
      .filter((src) =>
        ordered.every(
          (d) => d.compute.kind !== 'aggregate' || d.compute.source !== src.name || ROW_MODE_FNS.has(d.compute.fn),
        ),
      )
      .map((src) => src.name),
  );
  const srcCompiler = (name: string, tagId: string, field: string, history = false): SourceCompiler => {
    const src = getSource(name);
    if (!src) throw new TagCompileError(tagId, field, `unknown source ${name}`);
    const key = history && splitSources.has(src.name) ? `${src.name}_history` : src.name;
    let sc = compilers.get(key);
    if (!sc) {
      sc = new SourceCompiler(key, src, '{tz:String}', '{as_of:Date}', rowSources.has(src.name));
      compilers.set(key, sc);
    }
    return sc;
  };

  ordered.forEach((def, index) => {
    const alias = `v${index}`;
    const deps = tagDependencies(def);
    const columns = new Set<string>();
    let dataClass: DataClass = 'C1';
    for (const dep of deps) {
      const d = byId.get(dep);
      if (!d) throw new TagCompileError(def.id, 'compute', `references unknown tag ${dep}`);
      if (d.dataClass === 'C2') dataClass = 'C2';
      for (const col of d.columns) columns.add(col);
    }
    const c = def.compute;
    let source: SourceName | undefined;
    let query: string | undefined;
    const readColumn = (src: SourceDef, col: string | undefined) => {
      const meta = col ? src.columns[col] : undefined;
      if (!meta) return;
      columns.add(`${src.table}.${col}`);
      if (meta.dataClass === 'C2') dataClass = 'C2';
    };
    if (c.kind === 'aggregate') {
      const sc = srcCompiler(c.source, def.id, 'compute.source', lookbackDays(c, getSource(c.source)) === undefined);
      source = sc.src.name;
      query = sc.key;
      const stageAlias = `a${index}`;
      kinds.set(def.id, compileAggregate(sc, def, c, stageAlias));
      sc.columns.push({ column: stageAlias, tagId: def.id });
      readColumn(sc.src, c.column);
      for (const f of [...c.where, ...(c.total_where ?? [])]) readColumn(sc.src, f.column);
      readColumn(sc.src, c.window?.column ?? (c.window ? sc.src.timeColumn : undefined));
    } else if (c.kind === 'attribute') {
      if (c.source !== 'dim_customers')
        throw new TagCompileError(def.id, 'compute.source', 'attribute tags read dim_customers (one row per customer)');
      const sc = srcCompiler(c.source, def.id, 'compute.source');
      source = sc.src.name;
      query = sc.key;
      const col = sc.column(def.id, 'compute.column', c.column);
      readColumn(sc.src, c.column);
      let sql = sc.rowMode ? col.sql : `any(${col.sql})`;
      let kind: SqlKind;
      if (col.type === 'string') {
        kind = 'string';
        if (c.map) {
          const keys = Object.keys(c.map);
          sql = `transform(${sql}, ${sc.bag.add(keys, 'Array(String)')}, ${sc.bag.add(
            keys.map((k) => c.map?.[k] ?? ''),
            'Array(String)',
          )}, ${c.map_default !== undefined ? sc.bag.add(c.map_default, 'String') : sql})`;
        }
      } else if (col.type === 'bool') kind = def.value_type === 'boolean' ? 'bool' : 'number';
      else if (col.type === 'int' || col.type === 'float') {
        kind = 'number';
        sql = `toFloat64(${sql})`;
      } else if (col.type === 'date' || col.type === 'datetime') {
        kind = 'date';
        sql = col.type === 'datetime' ? `toDate(${sql}, {tz:String})` : sql;
      } else {
        kind = 'set';
        sql = `arraySort(arrayMap(x -> toString(x), ${sc.rowMode ? col.sql : `any(${col.sql})`}))`;
      }
      if (kind !== kindOf[def.value_type])
        throw new TagCompileError(def.id, 'value_type', `column ${c.column} gives ${kind}, not ${def.value_type}`);
      const stageAlias = `a${index}`;
      sc.selects.push(`${sql} AS ${stageAlias}`);
      sc.columns.push({ column: stageAlias, tagId: def.id });
      kinds.set(def.id, kind);
    } else if (c.kind === 'model_score') {
      // the latest score over all rows: a whole-history read
      const sc = srcCompiler('model_scores', def.id, 'compute.model_id', true);
      source = sc.src.name;
      query = sc.key;
      readColumn(sc.src, c.field);
      const m = sc.bag.add(c.model_id, 'String');
      const latest = `argMaxIf(${ident(c.field)}, (as_of, version), model_id = ${m})`;
      const kind: SqlKind = c.field === 'score' ? 'number' : c.field === 'band' ? 'string' : 'set';
      if (kind !== kindOf[def.value_type])
        throw new TagCompileError(def.id, 'value_type', `model field ${c.field} gives ${kind}, not ${def.value_type}`);
      const v = c.field === 'reasons' ? `JSONExtract(${latest}, 'Array(String)')` : latest;
      const sql =
        c.field === 'reasons'
          ? `if(countIf(model_id = ${m}) = 0, [], ${v})`
          : `if(countIf(model_id = ${m}) = 0, NULL, ${v})`;
      const stageAlias = `a${index}`;
      sc.selects.push(`${sql} AS ${stageAlias}`);
      sc.columns.push({ column: stageAlias, tagId: def.id });
      kinds.set(def.id, kind);
    } else {
      kinds.set(def.id, kindOf[def.value_type]);
      checkDerived(def, byId, kinds);
    }
    if (def.data_class === 'C1' && dataClass === 'C2')
      throw new TagCompileError(
        def.id,
        'data_class',
        `declared C1 but reads C2 data (${[...columns].sort().join(', ') || 'C2 tags'}); a tag over C2 data is C2 (P8)`,
        'P8',
      );
    const tag: CompiledTag = {
      def,
      index,
      alias,
      source,
      query,
      deps,
      dataClass: def.data_class === 'C2' ? 'C2' : dataClass,
      columns: [...columns].sort(),
    };
    tags.push(tag);
    byId.set(def.id, tag);
  });

  const sourceQueries: SourceQuery[] = [...compilers.values()].map((sc) => {
    sc.bag.set('as_of', '', 'Date');
    sc.bag.set('tz', tz, 'String');
    const where = sc.where();
    const sql = `SELECT customer_id, ${sc.selects.join(', ')} FROM ${sc.from()} ${where}${sc.rowMode ? '' : ' GROUP BY customer_id'}`;
    const params = { ...sc.bag.params };
    delete params.as_of;
    return {
      key: sc.key,
      source: sc.src.name,
      table: sc.src.table,
      columns: sc.columns,
      sql: sql.replace(/\s+/g, ' ').trim(),
      params,
    };
  });

  const combine = (stages: Readonly<Record<string, string>>, bag = new ParamBag('c')): SqlWithParams => {
    bag.set('tz', tz, 'String');
    const stageAlias = new Map<string, string>();
    const joins: string[] = [];
    sourceQueries.forEach((q, i) => {
      const table = stages[q.key];
      if (!table) throw new Error(`combine: no stage table for query ${q.key}`);
      const a = `s${i}`;
      stageAlias.set(q.key, a);
      joins.push(`LEFT JOIN ${ident(table)} AS ${a} ON ${a}.customer_id = u.customer_id`);
    });
    const dc = new DerivedCompiler(bag, byId, kinds);
    const selects = tags.map((t) => {
      if (t.query) {
        const a = stageAlias.get(t.query);
        const agg = t.def.compute;
        const col = `${a}.a${t.index}`;
        const isCount = agg.kind === 'aggregate' && countLike.has(agg.fn);
        return `${isCount ? `coalesce(${col}, 0)` : col} AS ${t.alias}`;
      }
      return `${dc.derived(t.def)} AS ${t.alias}`;
    });
    const universe = `(SELECT customer_id FROM dim_customers FINAL WHERE status NOT IN ${bag.add(['erased', 'merged'], 'Array(String)')}) AS u`;
    return {
      sql: `SELECT u.customer_id AS customer_id, ${selects.join(', ')} FROM ${universe} ${joins.join(' ')}`,
      params: bag.params,
    };
  };

  const snapshot = (
    stages: Readonly<Record<string, string>>,
    versions: ReadonlyMap<string, number>,
    optouts: ReadonlyMap<string, readonly number[]> = new Map(),
  ): SnapshotPlan => {
    const bag = new ParamBag('c');
    const inner = combine(stages, bag);
    const columns: SnapshotColumn[] = [];
    const owner = new Map<string, string>();
    const values = tags.map((t) => {
      const v = t.alias;
      const version = versions.get(t.def.id) ?? t.def.version;
      const column = snapshotColumnName(t.def.id, version);
      const clash = owner.get(column);
      if (clash)
        throw new TagCompileError(t.def.id, 'id', `its snapshot column ${column} is also the column of ${clash}`);
      owner.set(column, t.def.id);
      columns.push({ tagId: t.def.id, version, column, valueType: t.def.value_type });
      let sql: string;
      switch (kinds.get(t.def.id)) {
        case 'bool':
          sql = `CAST(${v} AS Nullable(UInt8))`;
          break;
        case 'string':
          sql = `CAST(${v} AS Nullable(String))`;
          break;
        case 'number':
          sql = `if(isNaN(${v}) OR isInfinite(${v}), NULL, CAST(${v} AS Nullable(Float64)))`;
          break;
        case 'date':
          sql = `CAST(${v} AS Nullable(Date32))`;
          break;
        default:
          sql = `CAST(${v} AS Array(String))`;
      }
      // P4: a tag the customer deleted in the preference centre is not stored for them
      const out = optouts.get(t.def.id);
      if (out && out.length > 0) {
        const empty = kinds.get(t.def.id) === 'set' ? 'CAST([] AS Array(String))' : 'NULL';
        sql = `if(customer_id IN ${bag.add([...out], 'Array(UInt32)')}, ${empty}, ${sql})`;
      }
      return `${sql} AS ${column}`;
    });
    const sql =
      `INSERT INTO ${SNAPSHOT_TABLE} (as_of, customer_id, ${columns.map((c) => c.column).join(', ')}) ` +
      `SELECT {as_of:Date} AS as_of, customer_id, ${values.join(', ')} FROM (${inner.sql}) ` +
      "SETTINGS join_use_nulls = 1, join_algorithm = 'parallel_hash', max_insert_threads = 2";
    return { columns, insert: { sql, params: bag.params } };
  };

  return {
    tags,
    byId,
    sourceQueries,
    combine: (stages) => {
      const r = combine(stages);
      return { sql: `${r.sql} SETTINGS join_use_nulls = 1`, params: r.params };
    },
    snapshot,
  };
}

/** Type checks of derived tags against their dependencies. */
function checkDerived(def: TagDefinition, byId: Map<string, CompiledTag>, kinds: Map<string, SqlKind>): void {
  const c = def.compute;
  const kindOfDep = (id: string) => kinds.get(id) ?? kindOf[byId.get(id)?.def.value_type ?? 'number'];
  if (c.kind === 'bucket' && kindOfDep(c.of) !== 'number')
    throw new TagCompileError(def.id, 'compute.of', `bucket needs a number tag, ${c.of} is ${kindOfDep(c.of)}`);
  if ((c.kind === 'date_diff' || c.kind === 'date_part') && kindOfDep(c.of) !== 'date')
    throw new TagCompileError(def.id, 'compute.of', `${c.kind} needs a date tag, ${c.of} is ${kindOfDep(c.of)}`);
}

/** Compiles derived tags (buckets, rules, formulas, date arithmetic) over the aliases of their dependencies. */
class DerivedCompiler {
  constructor(
    private readonly bag: ParamBag,
    private readonly byId: Map<string, CompiledTag>,
    private readonly kinds: Map<string, SqlKind>,
  ) {}

  private ref(id: string): { sql: string; kind: SqlKind } {
    const t = this.byId.get(id);
    if (!t) throw new Error(`unknown tag ${id}`);
    return { sql: t.alias, kind: this.kinds.get(id) ?? 'number' };
  }

  derived(def: TagDefinition): string {
    const c = def.compute;
    switch (c.kind) {
      case 'bucket': {
        const x = this.ref(c.of).sql;
        const parts: string[] = [`isNull(${x})`, 'NULL'];
        c.buckets.forEach((b) => {
          if (b.lt !== undefined)
            parts.push(`${x} < ${this.bag.add(b.lt, 'Float64')}`, this.bag.add(b.value, 'String'));
          else parts.push(this.bag.add(b.value, 'String'));
        });
        return `multiIf(${parts.join(', ')})`;
      }
      case 'rule': {
        let body: string;
        if (c.when) body = `toUInt8(${this.cond(def.id, c.when)})`;
        else {
          const parts: string[] = [];
          for (const k of c.cases ?? []) parts.push(this.cond(def.id, k.when), this.bag.add(k.value, 'String'));
          parts.push(c.else !== undefined ? this.bag.add(c.else, 'String') : 'NULL');
          body = `multiIf(${parts.join(', ')})`;
        }
        return c.only_if ? `if(${this.cond(def.id, c.only_if)}, ${body}, NULL)` : body;
      }
      case 'formula':
        return `toFloat64(${this.expr(c.expr)})`;
      case 'date_diff': {
        const x = this.ref(c.of).sql;
        const a = '{as_of:Date}';
        if (c.unit === 'day') return `toFloat64(dateDiff('day', ${x}, ${a}))`;
        const months = `(toYear(${a}) * 12 + toMonth(${a})) - (toYear(${x}) * 12 + toMonth(${x})) - if(toDayOfMonth(${a}) < toDayOfMonth(${x}), 1, 0)`;
        if (c.unit === 'month') return `toFloat64(${months})`;
        return `toFloat64(intDiv(${months}, 12))`;
      }
      case 'date_part': {
        const x = this.ref(c.of).sql;
        if (c.part === 'year') return `toFloat64(toYear(${x}))`;
        if (c.part === 'month') return `toFloat64(toMonth(${x}))`;
        if (c.part === 'quarter') return `toFloat64(toQuarter(${x}))`;
        // Zodiac year begins at 立春 (about 4 February), the convention of the Chinese solar calendar.
        const animals = this.bag.add(zodiacAnimals, 'Array(String)');
        return `if(isNull(${x}), NULL, ${animals}[((toYear(${x}) - if(toMonth(${x}) * 100 + toDayOfMonth(${x}) < 204, 1, 0) - 4) % 12 + 12) % 12 + 1])`;
      }
      default:
        throw new Error(`not a derived tag: ${def.id}`);
    }
  }

  expr(e: Expr): string {
    if (typeof e === 'number') return this.bag.add(e, 'Float64');
    if ('tag' in e) {
      const r = this.ref(e.tag);
      if (r.kind !== 'number' && r.kind !== 'bool') throw new Error(`formula over non-number tag ${e.tag}`);
      return `toFloat64(${r.sql})`;
    }
    if ('coalesce' in e) return `coalesce(${e.coalesce.map((x) => this.expr(x)).join(', ')})`;
    const args = e.args.map((x) => this.expr(x));
    switch (e.op) {
      case 'add':
        return `(${args.join(' + ')})`;
      case 'sub':
        return `(${args.join(' - ')})`;
      case 'mul':
        return `(${args.join(' * ')})`;
      case 'div':
        return args.slice(1).reduce((acc, d) => `if(${d} = 0, NULL, ${acc} / ${d})`, args[0] ?? 'NULL');
      case 'min':
        return `least(${args.join(', ')})`;
      case 'max':
        return `greatest(${args.join(', ')})`;
    }
  }

  /** A two-valued condition (null comparisons are false). */
  cond(tagId: string, c: Cond): string {
    if ('all' in c) return `(${c.all.map((x) => this.cond(tagId, x)).join(' AND ')})`;
    if ('any' in c) return `(${c.any.map((x) => this.cond(tagId, x)).join(' OR ')})`;
    if ('not' in c) return `(NOT ${this.cond(tagId, c.not)})`;
    const dep = this.byId.get(c.tag);
    if (!dep) throw new TagCompileError(tagId, 'compute', `references unknown tag ${c.tag}`);
    const { sql: x, kind } = this.ref(c.tag);
    if (c.op === 'is_null') return kind === 'set' ? `empty(${x})` : `isNull(${x})`;
    if (c.op === 'not_null') return kind === 'set' ? `notEmpty(${x})` : `isNotNull(${x})`;
    const lit = (v: Scalar): string => {
      const field = `compute condition on ${c.tag}`;
      switch (kind) {
        case 'bool':
          if (v === true || v === 'true' || v === 1) return '1';
          if (v === false || v === 'false' || v === 0) return '0';
          throw new TagCompileError(tagId, field, `expected true or false, got ${JSON.stringify(v)}`);
        case 'number':
          if (typeof v !== 'number')
            throw new TagCompileError(tagId, field, `expected a number, got ${JSON.stringify(v)}`);
          return this.bag.add(v, 'Float64');
        case 'date':
          if (typeof v !== 'string' || !isoDate.test(v))
            throw new TagCompileError(tagId, field, `expected a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
          return this.bag.add(v, 'Date');
        default:
          if (typeof v !== 'string')
            throw new TagCompileError(tagId, field, `expected a string, got ${JSON.stringify(v)}`);
          if (dep.def.values && !dep.def.values.includes(v))
            throw new TagCompileError(tagId, field, `${JSON.stringify(v)} is not a value of ${c.tag}`);
          return this.bag.add(v, 'String');
      }
    };
    const list = (): string[] => (Array.isArray(c.value) ? c.value.map(lit) : []);
    const rhs = (): string => {
      if (c.ref !== undefined) return this.expr(c.ref);
      if (Array.isArray(c.value) || c.value === undefined) throw new TagCompileError(tagId, 'compute', 'missing value');
      return lit(c.value);
    };
    let sql: string;
    if (kind === 'set') {
      if (c.op === 'eq') sql = `has(${x}, ${rhs()})`;
      else if (c.op === 'in') sql = `hasAny(${x}, [${list().join(', ')}])`;
      else if (c.op === 'not_in') sql = `(notEmpty(${x}) AND NOT hasAny(${x}, [${list().join(', ')}]))`;
      else if (c.op === 'ne') sql = `(notEmpty(${x}) AND NOT has(${x}, ${rhs()}))`;
      else throw new TagCompileError(tagId, 'compute', `${c.op} is not defined on set tag ${c.tag}`);
      return sql;
    }
    if ((kind === 'string' || kind === 'bool') && ['gt', 'gte', 'lt', 'lte', 'between'].includes(c.op))
      throw new TagCompileError(tagId, 'compute', `${c.op} needs a number or date tag, ${c.tag} is ${kind}`);
    switch (c.op) {
      case 'in':
        sql = `${x} IN (${list().join(', ')})`;
        break;
      case 'not_in':
        sql = `${x} NOT IN (${list().join(', ')})`;
        break;
      case 'between': {
        const [lo, hi] = list();
        sql = `${x} >= ${lo} AND ${x} <= ${hi}`;
        break;
      }
      default: {
        const sym = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op];
        sql = `${x} ${sym} ${rhs()}`;
      }
    }
    return `coalesce(${sql}, 0)`;
  }
}

export const zodiacAnimals = [
  'rat',
  'ox',
  'tiger',
  'rabbit',
  'dragon',
  'snake',
  'horse',
  'goat',
  'monkey',
  'rooster',
  'dog',
  'pig',
] as const;
