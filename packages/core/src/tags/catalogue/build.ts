/** Small constructors that keep the catalogue files readable; the result is plain DSL data. */
import type { Cond, Expr, Filter, Scalar, TagDefinitionInput } from '../dsl.ts';

type Compute = TagDefinitionInput['compute'];

export interface Meta {
  family: TagDefinitionInput['family'];
  sub: string;
  type: TagDefinitionInput['value_type'];
  cls: 'C1' | 'C2';
  values?: readonly string[];
  unit?: TagDefinitionInput['unit'];
  purposes?: TagDefinitionInput['purposes'];
}

export function tag(
  id: string,
  name: readonly [zh: string, en: string],
  description: readonly [zh: string, en: string],
  meta: Meta,
  compute: Compute,
): TagDefinitionInput {
  return {
    id,
    name: { zh: name[0], en: name[1] },
    family: meta.family,
    sub_family: meta.sub,
    value_type: meta.type,
    ...(meta.values ? { values: [...meta.values] } : {}),
    ...(meta.unit ? { unit: meta.unit } : {}),
    description: { zh: description[0], en: description[1] },
    data_class: meta.cls,
    ...(meta.purposes ? { purposes: meta.purposes } : {}),
    version: 1,
    refresh: 'daily',
    compute,
  };
}

type AggFn = Extract<Compute, { kind: 'aggregate' }>['fn'];
type AggOpts = Omit<Extract<Compute, { kind: 'aggregate' }>, 'kind' | 'source' | 'fn'>;

export const agg = (source: string, fn: AggFn, opts: AggOpts = {}): Compute => ({
  kind: 'aggregate',
  source,
  fn,
  ...opts,
});

export const within = (days: number) => ({ within_days: days });
export const between = (from_days: number, to_days: number) => ({ between: { from_days, to_days } });

export const eq = (column: string, value: Scalar): Filter => ({ column, op: 'eq', value });
export const ne = (column: string, value: Scalar): Filter => ({ column, op: 'ne', value });
export const oneOf = (column: string, value: readonly string[]): Filter => ({ column, op: 'in', value: [...value] });
export const noneOf = (column: string, value: readonly string[]): Filter => ({
  column,
  op: 'not_in',
  value: [...value],
});
export const notNull = (column: string): Filter => ({ column, op: 'not_null' });

export const attr = (column: string, map?: Record<string, string>): Compute => ({
  kind: 'attribute',
  source: 'dim_customers',
  column,
  ...(map ? { map } : {}),
});

export const rule = (when: Cond, only_if?: Cond): Compute => ({ kind: 'rule', when, ...(only_if ? { only_if } : {}) });
export const cases = (list: [Cond, string][], otherwise?: string, only_if?: Cond): Compute => ({
  kind: 'rule',
  cases: list.map(([when, value]) => ({ when, value })),
  ...(otherwise !== undefined ? { else: otherwise } : {}),
  ...(only_if ? { only_if } : {}),
});

export const is = (tagId: string, op: Extract<Cond, { tag: string }>['op'], value?: Scalar | Scalar[]): Cond =>
  value === undefined ? { tag: tagId, op } : { tag: tagId, op, value };
export const cmp = (tagId: string, op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'ne', ref: Expr): Cond => ({
  tag: tagId,
  op,
  ref,
});
export const all = (...c: Cond[]): Cond => ({ all: c });
export const any = (...c: Cond[]): Cond => ({ any: c });
export const not = (c: Cond): Cond => ({ not: c });

export const t = (id: string): Expr => ({ tag: id });
export const formula = (expr: Expr): Compute => ({ kind: 'formula', expr });
export const daysSince = (of: string): Compute => ({ kind: 'date_diff', of, unit: 'day' });
export const bucket = (of: string, buckets: [string, number | undefined][]): Compute => ({
  kind: 'bucket',
  of,
  buckets: buckets.map(([value, lt]) => (lt === undefined ? { value } : { value, lt })),
});
export const model = (model_id: string, field: 'score' | 'band' | 'reasons'): Compute => ({
  kind: 'model_score',
  model_id,
  field,
});

/** ¥ → fen */
export const yuan = (v: number): number => Math.round(v * 100);
