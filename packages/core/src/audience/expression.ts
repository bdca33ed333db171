/**
 * Audience expressions (人群圈选): nested and / or / not over tag conditions. Pure: evaluation goes through an abstract
 * bitmap algebra (the server plugs in roaring bitmaps), and `compileAudienceSql` gives the reference ClickHouse SQL over
 * the wide tag table, with the same semantics:
 * - a comparison on a customer without a value for the tag is false (`ne` and `not_in` need a value too);
 * - `not` is the complement within the snapshot's universe (customers without a value are included);
 * - set tags: `eq` = contains, `in` = contains any, `ne` / `not_in` = has values but not that one / none of those.
 */
import { z } from 'zod';
import { nestingDepth } from '../json/nesting.ts';
import type { TagDefinition, ValueType } from '../tags/dsl.ts';
import { isBehaviouralTag, tagIdSchema } from '../tags/dsl.ts';
import { columnSql, SNAPSHOT_TABLE, type SnapshotColumn } from '../tags/snapshot.ts';

export const leafOps = [
  'eq',
  'ne',
  'in',
  'not_in',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'is_null',
  'not_null',
] as const;
export type LeafOp = (typeof leafOps)[number];

const leafValue = z.union([z.string(), z.number().finite(), z.boolean()]);

export interface AudienceLeaf {
  tag: string;
  op: LeafOp;
  value?: string | number | boolean | (string | number | boolean)[] | undefined;
}
export type AudienceExpr = { and: AudienceExpr[] } | { or: AudienceExpr[] } | { not: AudienceExpr } | AudienceLeaf;

export const audienceLeafSchema = z
  .object({
    tag: tagIdSchema,
    op: z.enum(leafOps),
    value: z.union([leafValue, z.array(leafValue).min(1).max(1000)]).optional(),
  })
  .strict();

export const audienceExprSchema: z.ZodType<AudienceExpr> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(audienceExprSchema).min(1).max(64) }).strict(),
    z.object({ or: z.array(audienceExprSchema).min(1).max(64) }).strict(),
    z.object({ not: audienceExprSchema }).strict(),
    audienceLeafSchema,
  ]),
);

/** What the validator needs to know about a tag. */
export type TagInfo = Pick<
  TagDefinition,
  'id' | 'value_type' | 'values' | 'family' | 'sub_family' | 'compute' | 'purposes'
>;

/** A leaf with its value normalised to what the tag table stores (`value_str` or `value_num`). */
export type NormalLeaf =
  | { tag: string; kind: 'str'; op: 'eq' | 'ne' | 'in' | 'not_in'; values: string[] }
  | { tag: string; kind: 'set'; op: 'eq' | 'ne' | 'in' | 'not_in'; values: string[] }
  | {
      tag: string;
      kind: 'num';
      op: 'eq' | 'ne' | 'in' | 'not_in' | 'lt' | 'lte' | 'gt' | 'gte' | 'between';
      values: number[];
    }
  | { tag: string; kind: 'presence'; op: 'is_null' | 'not_null' };

export type NormalExpr = { and: NormalExpr[] } | { or: NormalExpr[] } | { not: NormalExpr } | { leaf: NormalLeaf };

export interface ExprIssue {
  field: string;
  reason: string;
}

export class AudienceExprError extends Error {
  override name = 'AudienceExprError';
  constructor(readonly issues: ExprIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
  }
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** Days since 1970-01-01 of an ISO date (how date tags are stored in `value_num`). */
export function epochDay(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / dayMs);
}

function storageKind(t: ValueType): 'str' | 'set' | 'num' {
  if (t === 'number' || t === 'date') return 'num';
  if (t === 'set') return 'set';
  return 'str';
}

const MAX_LEVELS = 12;
const MAX_JSON_DEPTH = 40;
const TOO_DEEP = `nested too deeply (max ${MAX_LEVELS} levels)`;

/**
 * Validates an expression (zod shape, then against the catalogue) and normalises it. Errors name the field, e.g.
 * `expression.and[1].value: expected a number for tag value.aum`.
 */
export function normaliseAudienceExpr(
  input: unknown,
  tags: ReadonlyMap<string, TagInfo>,
  root = 'expression',
): NormalExpr {
  // 12 levels of and / or / not are at most 40 of JSON; refused before the recursive schema could overflow the stack
  if (nestingDepth(input, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new AudienceExprError([{ field: root, reason: TOO_DEEP }]);
  const parsed = audienceExprSchema.safeParse(input);
  if (!parsed.success) {
    throw new AudienceExprError(
      parsed.error.issues.map((i) => ({
        field: `${root}${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`,
        reason: i.message,
      })),
    );
  }
  const issues: ExprIssue[] = [];
  let leaves = 0;
  const walk = (e: AudienceExpr, path: string, depth: number): NormalExpr => {
    if (depth > MAX_LEVELS) {
      issues.push({ field: path, reason: TOO_DEEP });
      return { and: [] }; // refused below; the deeper levels add nothing to the report
    }
    if ('and' in e) return { and: e.and.map((x, i) => walk(x, `${path}.and[${i}]`, depth + 1)) };
    if ('or' in e) return { or: e.or.map((x, i) => walk(x, `${path}.or[${i}]`, depth + 1)) };
    if ('not' in e) return { not: walk(e.not, `${path}.not`, depth + 1) };
    leaves++;
    const leaf = normaliseLeaf(e, tags, path, issues);
    return { leaf };
  };
  const out = walk(parsed.data, root, 0);
  if (leaves > 200) issues.push({ field: root, reason: `too many conditions (${leaves}, max 200)` });
  if (issues.length > 0) throw new AudienceExprError(issues);
  return out;
}

function normaliseLeaf(
  e: AudienceLeaf,
  tags: ReadonlyMap<string, TagInfo>,
  path: string,
  issues: ExprIssue[],
): NormalLeaf {
  const def = tags.get(e.tag);
  const fallback: NormalLeaf = { tag: e.tag, kind: 'presence', op: 'not_null' };
  if (!def) {
    issues.push({ field: `${path}.tag`, reason: `unknown tag ${e.tag}` });
    return fallback;
  }
  if (e.op === 'is_null' || e.op === 'not_null') {
    if (e.value !== undefined) issues.push({ field: `${path}.value`, reason: `not allowed with ${e.op}` });
    return { tag: e.tag, kind: 'presence', op: e.op };
  }
  const kind = storageKind(def.value_type);
  const list = e.op === 'in' || e.op === 'not_in' || e.op === 'between';
  if (e.value === undefined) {
    issues.push({ field: `${path}.value`, reason: `required with ${e.op}` });
    return fallback;
  }
  if (list !== Array.isArray(e.value)) {
    issues.push({
      field: `${path}.value`,
      reason: list ? `must be a list with ${e.op}` : `must be a single value with ${e.op}`,
    });
    return fallback;
  }
  const raw = Array.isArray(e.value) ? e.value : [e.value];
  if (e.op === 'between' && raw.length !== 2) {
    issues.push({ field: `${path}.value`, reason: 'between takes [low, high]' });
    return fallback;
  }
  if (kind === 'num') {
    const nums: number[] = [];
    raw.forEach((v, i) => {
      const f = Array.isArray(e.value) ? `${path}.value[${i}]` : `${path}.value`;
      if (def.value_type === 'date') {
        if (typeof v !== 'string' || !isoDate.test(v) || Number.isNaN(Date.parse(v)))
          issues.push({ field: f, reason: `expected a date YYYY-MM-DD for tag ${e.tag}` });
        else nums.push(epochDay(v));
      } else if (typeof v !== 'number') issues.push({ field: f, reason: `expected a number for tag ${e.tag}` });
      else nums.push(v);
    });
    return { tag: e.tag, kind: 'num', op: e.op, values: nums };
  }
  if (['lt', 'lte', 'gt', 'gte', 'between'].includes(e.op)) {
    issues.push({ field: `${path}.op`, reason: `${e.op} needs a number or date tag; ${e.tag} is ${def.value_type}` });
    return fallback;
  }
  const strs: string[] = [];
  raw.forEach((v, i) => {
    const f = Array.isArray(e.value) ? `${path}.value[${i}]` : `${path}.value`;
    if (def.value_type === 'boolean') {
      if (v === true || v === 'true') strs.push('true');
      else if (v === false || v === 'false') strs.push('false');
      else issues.push({ field: f, reason: `expected true or false for tag ${e.tag}` });
      return;
    }
    if (typeof v !== 'string') {
      issues.push({ field: f, reason: `expected a string for tag ${e.tag}` });
      return;
    }
    if (def.values && !def.values.includes(v)) {
      issues.push({ field: f, reason: `${JSON.stringify(v)} is not a value of ${e.tag} (${def.values.join(', ')})` });
      return;
    }
    strs.push(v);
  });
  const op = e.op as 'eq' | 'ne' | 'in' | 'not_in';
  return kind === 'set' ? { tag: e.tag, kind: 'set', op, values: strs } : { tag: e.tag, kind: 'str', op, values: strs };
}

/** Tag ids an expression uses. */
export function expressionTags(e: NormalExpr): string[] {
  const out = new Set<string>();
  const walk = (x: NormalExpr): void => {
    if ('and' in x) x.and.forEach(walk);
    else if ('or' in x) x.or.forEach(walk);
    else if ('not' in x) walk(x.not);
    else out.add(x.leaf.tag);
  };
  walk(e);
  return [...out].sort();
}

/** True when the expression uses a behavioural or model tag (rule P4 applies to marketing audiences). */
export function usesBehaviouralTags(e: NormalExpr, tags: ReadonlyMap<string, TagInfo>): boolean {
  return expressionTags(e).some((id) => {
    const d = tags.get(id);
    return d !== undefined && isBehaviouralTag(d);
  });
}

/** Tags whose definitions do not allow the audience's purpose. */
export function purposeViolations(e: NormalExpr, tags: ReadonlyMap<string, TagInfo>, purpose: string): string[] {
  return expressionTags(e).filter((id) => {
    const p = tags.get(id)?.purposes;
    return p !== undefined && !p.includes(purpose as (typeof p)[number]);
  });
}

/** A set algebra the evaluator runs on (roaring bitmaps on the server, plain sets in tests). */
export interface BitmapAlgebra<B> {
  /** Every customer of the snapshot. */
  universe(): B;
  /** Customers for whom the leaf holds. */
  leaf(leaf: NormalLeaf): B;
  and(items: B[]): B;
  or(items: B[]): B;
  /** a − b */
  andNot(a: B, b: B): B;
}

export function evaluateAudience<B>(e: NormalExpr, algebra: BitmapAlgebra<B>): B {
  if ('and' in e) {
    // Evaluate positive parts first; `not` children become a difference (no universe materialised).
    const pos = e.and.filter((x) => !('not' in x)).map((x) => evaluateAudience(x, algebra));
    const neg = e.and.filter((x): x is { not: NormalExpr } => 'not' in x).map((x) => evaluateAudience(x.not, algebra));
    let acc = pos.length > 0 ? algebra.and(pos) : algebra.universe();
    if (neg.length > 0) acc = algebra.andNot(acc, algebra.or(neg));
    return acc;
  }
  if ('or' in e) return algebra.or(e.or.map((x) => evaluateAudience(x, algebra)));
  if ('not' in e) return algebra.andNot(algebra.universe(), evaluateAudience(e.not, algebra));
  return algebra.leaf(e.leaf);
}

/** The stored value of a customer's tag (`value_str`, `value_num`), for reference evaluation. */
export interface StoredValue {
  str: string;
  num: number | null;
}

/** Whether a leaf holds for a stored value (undefined: the customer has no value for the tag). */
export function leafHolds(leaf: NormalLeaf, v: StoredValue | undefined): boolean {
  if (leaf.kind === 'presence') return leaf.op === 'not_null' ? v !== undefined : v === undefined;
  if (v === undefined) return false;
  if (leaf.kind === 'str' || leaf.kind === 'set') {
    const have = leaf.kind === 'set' ? v.str.split(',') : [v.str];
    const hit = leaf.values.some((x) => have.includes(x));
    return leaf.op === 'eq' || leaf.op === 'in' ? hit : !hit;
  }
  const n = v.num;
  if (n === null) return false;
  const [a = Number.NaN, b = Number.NaN] = leaf.values;
  switch (leaf.op) {
    case 'eq':
      return n === a;
    case 'ne':
      return n !== a;
    case 'in':
      return leaf.values.includes(n);
    case 'not_in':
      return !leaf.values.includes(n);
    case 'lt':
      return n < a;
    case 'lte':
      return n <= a;
    case 'gt':
      return n > a;
    case 'gte':
      return n >= a;
    case 'between':
      return n >= a && n <= b;
  }
}

export interface AudienceSqlOptions {
  /** Tag id present for every customer of a snapshot (the universe). */
  universeTag: string;
  /** Rule P4: count customers with personalised marketing off separately (as `excluded`). */
  excludePersonalisationOff: boolean;
  /** Boolean tag telling whether personalised marketing is on. */
  personalisationTag: string;
  /** The snapshot's column of each tag (from `tag_snapshot_columns`). */
  columns: ReadonlyMap<string, Pick<SnapshotColumn, 'column' | 'valueType'>>;
}

/**
 * Reference count over the wide tag table (`tag_snapshot`): one scan of the snapshot's partition reading the used
 * columns. Result columns: `count` (matching, after P4 exclusion), `excluded` (matching but excluded by P4).
 * Parameters: `as_of` (Date) plus generated ones. A tag the snapshot does not hold has no value for anyone.
 */
export function compileAudienceSql(
  e: NormalExpr,
  opts: AudienceSqlOptions,
): { sql: string; params: Record<string, string | number | readonly (string | number)[]> } {
  const params: Record<string, string | number | readonly (string | number)[]> = {};
  let n = 0;
  const p = (v: string | number | readonly (string | number)[], type: string) => {
    const name = `q${n++}`;
    params[name] = v;
    return `{${name}:${type}}`;
  };
  const sqlOf = (tag: string) => {
    const c = opts.columns.get(tag);
    return c ? columnSql(c) : undefined;
  };
  const leafSql = (l: NormalLeaf): string => {
    const x = sqlOf(l.tag);
    if (!x) return l.kind === 'presence' && l.op === 'is_null' ? '1' : '0';
    if (l.kind === 'presence') return l.op === 'not_null' ? x.present : `NOT ${x.present}`;
    if (l.kind === 'set') {
      const hit = `hasAny(${x.elements}, ${p(l.values, 'Array(String)')})`;
      return l.op === 'eq' || l.op === 'in' ? `(${x.present} AND ${hit})` : `(${x.present} AND NOT ${hit})`;
    }
    if (l.kind === 'str') {
      const hit = `${x.str} IN ${p(l.values, 'Array(String)')}`;
      return l.op === 'eq' || l.op === 'in' ? `(${x.present} AND ${hit})` : `(${x.present} AND NOT ${hit})`;
    }
    const v = `assumeNotNull(${x.num})`;
    const [a = 0, b = 0] = l.values;
    const f = (k: number) => p(k, 'Float64');
    const cmp: Record<typeof l.op, () => string> = {
      eq: () => `${v} = ${f(a)}`,
      ne: () => `${v} != ${f(a)}`,
      in: () => `${v} IN ${p(l.values, 'Array(Float64)')}`,
      not_in: () => `${v} NOT IN ${p(l.values, 'Array(Float64)')}`,
      lt: () => `${v} < ${f(a)}`,
      lte: () => `${v} <= ${f(a)}`,
      gt: () => `${v} > ${f(a)}`,
      gte: () => `${v} >= ${f(a)}`,
      between: () => `${v} >= ${f(a)} AND ${v} <= ${f(b)}`,
    };
    return `(${x.present} AND ${cmp[l.op]()})`;
  };
  const walk = (x: NormalExpr): string => {
    if ('and' in x) return `(${x.and.map(walk).join(' AND ')})`;
    if ('or' in x) return `(${x.or.map(walk).join(' OR ')})`;
    if ('not' in x) return `(NOT ${walk(x.not)})`;
    return leafSql(x.leaf);
  };
  const u = sqlOf(opts.universeTag)?.present ?? '0';
  const pm = sqlOf(opts.personalisationTag);
  const pmOff = opts.excludePersonalisationOff && pm ? `(${pm.present} AND ${pm.str} = 'false')` : '0';
  const sql =
    `SELECT toUInt32(countIf(m AND NOT off)) AS count, toUInt32(countIf(m AND off)) AS excluded FROM (` +
    `SELECT ${walk(e)} AS m, ${pmOff} AS off FROM ${SNAPSHOT_TABLE} WHERE as_of = {as_of:Date} AND ${u})`;
  return { sql, params };
}
