/**
 * The tag definition language: tags are data (JSON or YAML), validated by zod, compiled to ClickHouse SQL by
 * `compiler.ts`. See docs/tags.md for the reference.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { nestingDepth } from '../json/nesting.ts';

export const tagIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be a dot-separated lower-case id such as "hist.spend_30d"')
  .max(80);
const identSchema = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a column name');
const i18nSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

export const families = ['basic', 'financial', 'app', 'history', 'segmentation', 'model'] as const;
export type Family = (typeof families)[number];
export const valueTypes = ['boolean', 'enum', 'number', 'date', 'set'] as const;
export type ValueType = (typeof valueTypes)[number];
export const purposes = ['marketing', 'service', 'regulatory'] as const;
export type Purpose = (typeof purposes)[number];

const scalarSchema = z.union([z.string(), z.number().finite(), z.boolean()]);
export type Scalar = z.infer<typeof scalarSchema>;

/** Per-row transforms of a column before filtering or aggregating (time transforms use the local time zone). */
export const transforms = ['day', 'hour', 'weekday', 'month', 'time_band', 'abs'] as const;
export type Transform = (typeof transforms)[number];

export const filterOps = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'has', 'is_null', 'not_null'] as const;
export type FilterOp = (typeof filterOps)[number];

export const filterSchema = z
  .object({
    column: identSchema,
    transform: z.enum(transforms).optional(),
    op: z.enum(filterOps),
    value: z.union([scalarSchema, z.array(z.union([z.string(), z.number().finite()])).min(1)]).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const list = f.op === 'in' || f.op === 'not_in';
    const none = f.op === 'is_null' || f.op === 'not_null';
    if (none && f.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `not allowed with ${f.op}` });
    if (!none && f.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `required with ${f.op}` });
    if (list && f.value !== undefined && !Array.isArray(f.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a non-empty list with ${f.op}` });
    if (!list && Array.isArray(f.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a single value with ${f.op}` });
  });
export type Filter = z.infer<typeof filterSchema>;

const days = z.number().int().min(0).max(3660);

/**
 * A rolling window counted back from the as-of date, on the source's time column (or `column`):
 * `within_days: N` = the N days ending on as_of; `between: {from_days, to_days}` = (as_of − to_days, as_of − from_days];
 * `ahead_days: N` = (as_of, as_of + N] (maturities); `month_ends: {last, skip}` = the `last` month-end dates ≤ as_of
 * after skipping the `skip` most recent (snapshot tables).
 */
export const windowSchema = z
  .object({
    within_days: days.min(1).optional(),
    between: z
      .object({ from_days: days, to_days: days.min(1) })
      .strict()
      .refine((b) => b.to_days > b.from_days, { message: 'to_days must be greater than from_days', path: ['to_days'] })
      .optional(),
    ahead_days: days.min(1).optional(),
    month_ends: z
      .object({ last: z.number().int().min(1).max(36), skip: z.number().int().min(0).max(120).default(0) })
      .strict()
      .optional(),
    column: identSchema.optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    const n = [w.within_days, w.between, w.ahead_days, w.month_ends].filter((x) => x !== undefined).length;
    if (n !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'exactly one of within_days, between, ahead_days, month_ends is required',
      });
  });
export type Window = z.infer<typeof windowSchema>;

export const aggregateFns = [
  'count',
  'exists',
  'sum',
  'avg',
  'min',
  'max',
  'count_distinct',
  'last',
  'top',
  'share',
  'period_avg',
  'consecutive_days',
  'distinct_set',
] as const;
export type AggregateFn = (typeof aggregateFns)[number];

const aggregateSchema = z
  .object({
    kind: z.literal('aggregate'),
    source: identSchema,
    fn: z.enum(aggregateFns),
    column: identSchema.optional(),
    transform: z.enum(transforms).optional(),
    /** `consecutive_days` only: count runs separately per value of this column (e.g. per product). */
    per: identSchema.optional(),
    where: z.array(filterSchema).default([]),
    /** `share` only: the denominator's filters (defaults to none: share of the whole window). */
    total_where: z.array(filterSchema).optional(),
    window: windowSchema.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const needsColumn = !['count', 'exists', 'consecutive_days'].includes(a.fn);
    if (needsColumn && !a.column)
      ctx.addIssue({ code: 'custom', path: ['column'], message: `required for fn ${a.fn}` });
    if (a.per && a.fn !== 'consecutive_days')
      ctx.addIssue({ code: 'custom', path: ['per'], message: 'only allowed with fn consecutive_days' });
    if (a.total_where && a.fn !== 'share')
      ctx.addIssue({ code: 'custom', path: ['total_where'], message: 'only allowed with fn share' });
    if (a.fn === 'period_avg' && !a.window?.month_ends)
      ctx.addIssue({ code: 'custom', path: ['window'], message: 'fn period_avg needs a month_ends window' });
  });

/** Arithmetic over other tags (null-propagating; division by zero gives null). */
export type Expr =
  | number
  | { tag: string }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max'; args: Expr[] }
  | { coalesce: Expr[] };
export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.number().finite(),
    z.object({ tag: tagIdSchema }).strict(),
    z
      .object({ op: z.enum(['add', 'sub', 'mul', 'div', 'min', 'max']), args: z.array(exprSchema).min(2).max(8) })
      .strict(),
    z.object({ coalesce: z.array(exprSchema).min(2).max(8) }).strict(),
  ]),
);

export const condOps = [
  'eq',
  'ne',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_null',
  'not_null',
] as const;
export type CondOp = (typeof condOps)[number];

/** A condition over other tags (a null tag value makes a comparison false). */
export type Cond =
  | { all: Cond[] }
  | { any: Cond[] }
  | { not: Cond }
  | { tag: string; op: CondOp; value?: Scalar | Scalar[] | undefined; ref?: Expr | undefined };
export const condSchema: z.ZodType<Cond> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(condSchema).min(1) }).strict(),
    z.object({ any: z.array(condSchema).min(1) }).strict(),
    z.object({ not: condSchema }).strict(),
    z
      .object({
        tag: tagIdSchema,
        op: z.enum(condOps),
        value: z.union([scalarSchema, z.array(scalarSchema).min(1)]).optional(),
        ref: exprSchema.optional(),
      })
      .strict()
      .superRefine((c, ctx) => {
        const none = c.op === 'is_null' || c.op === 'not_null';
        const list = c.op === 'in' || c.op === 'not_in' || c.op === 'between';
        if (none && (c.value !== undefined || c.ref !== undefined))
          ctx.addIssue({ code: 'custom', path: ['value'], message: `not allowed with ${c.op}` });
        if (!none && (c.value === undefined) === (c.ref === undefined))
          ctx.addIssue({
            code: 'custom',
            path: ['value'],
            message: `exactly one of value or ref is required with ${c.op}`,
          });
        if (list && c.ref !== undefined)
          ctx.addIssue({ code: 'custom', path: ['ref'], message: `not allowed with ${c.op}` });
        if (list && c.value !== undefined && !Array.isArray(c.value))
          ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a list with ${c.op}` });
        if (c.op === 'between' && Array.isArray(c.value) && c.value.length !== 2)
          ctx.addIssue({ code: 'custom', path: ['value'], message: 'between takes [low, high]' });
        if (!list && Array.isArray(c.value))
          ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a single value with ${c.op}` });
      }),
  ]),
);

const bucketSchema = z
  .object({
    kind: z.literal('bucket'),
    of: tagIdSchema,
    /** Ascending: a value goes to the first bucket whose `lt` exceeds it; the last bucket has no `lt`. */
    buckets: z.array(z.object({ value: z.string().min(1), lt: z.number().finite().optional() }).strict()).min(2),
  })
  .strict()
  .superRefine((b, ctx) => {
    b.buckets.forEach((bk, i) => {
      const last = i === b.buckets.length - 1;
      if (last && bk.lt !== undefined)
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'lt'], message: 'the last bucket is open-ended' });
      if (!last && bk.lt === undefined)
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'lt'], message: 'required except on the last bucket' });
      const prev = b.buckets[i - 1]?.lt;
      if (prev !== undefined && bk.lt !== undefined && bk.lt <= prev)
        ctx.addIssue({ code: 'custom', path: ['buckets', i, 'lt'], message: 'bounds must be ascending' });
    });
  });

const ruleSchema = z
  .object({
    kind: z.literal('rule'),
    /** Boolean tags: the condition. */
    when: condSchema.optional(),
    /** Enum tags: the first matching case gives the value. */
    cases: z
      .array(z.object({ when: condSchema, value: z.string().min(1) }).strict())
      .min(1)
      .optional(),
    else: z.string().min(1).optional(),
    /** The value is null unless this holds (e.g. card tags only for card holders). */
    only_if: condSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.when === undefined) === (r.cases === undefined))
      ctx.addIssue({ code: 'custom', path: ['when'], message: 'exactly one of when (boolean) or cases (enum)' });
    if (r.else !== undefined && r.cases === undefined)
      ctx.addIssue({ code: 'custom', path: ['else'], message: 'only allowed with cases' });
  });

const formulaSchema = z.object({ kind: z.literal('formula'), expr: exprSchema }).strict();
const dateDiffSchema = z
  .object({ kind: z.literal('date_diff'), of: tagIdSchema, unit: z.enum(['day', 'month', 'year']) })
  .strict();
const datePartSchema = z
  .object({ kind: z.literal('date_part'), of: tagIdSchema, part: z.enum(['year', 'month', 'quarter', 'zodiac']) })
  .strict();
const attributeSchema = z
  .object({
    kind: z.literal('attribute'),
    source: identSchema,
    column: identSchema,
    /** Recode values (e.g. M → male); unmapped values pass through unless `map_default` is given. */
    map: z.record(z.string(), z.string()).optional(),
    map_default: z.string().optional(),
  })
  .strict();
const modelScoreSchema = z
  .object({
    kind: z.literal('model_score'),
    model_id: z.string().regex(/^[a-z][a-z0-9_.]*$/, 'must be a model id'),
    field: z.enum(['score', 'band', 'reasons']),
  })
  .strict();

export const computeSchema = z.discriminatedUnion('kind', [
  aggregateSchema,
  bucketSchema,
  ruleSchema,
  formulaSchema,
  dateDiffSchema,
  datePartSchema,
  attributeSchema,
  modelScoreSchema,
]);
export type Compute = z.infer<typeof computeSchema>;
export type AggregateCompute = Extract<Compute, { kind: 'aggregate' }>;

export const tagDefinitionSchema = z
  .object({
    id: tagIdSchema,
    name: i18nSchema,
    family: z.enum(families),
    sub_family: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case identifier'),
    value_type: z.enum(valueTypes),
    /** Enum and set tags: the allowed values (absent: an open vocabulary such as cities or branches). */
    values: z.array(z.string().min(1)).min(1).optional(),
    unit: z.enum(['fen', 'days', 'months', 'years', 'count', 'pct', 'ratio', 'minutes', 'score']).optional(),
    description: i18nSchema,
    data_class: z.enum(['C1', 'C2']),
    /** Purposes an audience may use this tag for. */
    purposes: z.array(z.enum(purposes)).min(1).default(['marketing', 'service', 'regulatory']),
    version: z.number().int().min(1).default(1),
    refresh: z.enum(['daily', 'realtime']).default('daily'),
    compute: computeSchema,
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.values && d.value_type !== 'enum' && d.value_type !== 'set')
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'only for enum and set tags' });
    const c = d.compute;
    if (c.kind === 'bucket' && d.value_type !== 'enum')
      ctx.addIssue({ code: 'custom', path: ['value_type'], message: 'bucket tags are enum' });
    if (c.kind === 'bucket' && d.values) {
      c.buckets.forEach((b, i) => {
        if (!d.values?.includes(b.value))
          ctx.addIssue({ code: 'custom', path: ['compute', 'buckets', i, 'value'], message: `not in values` });
      });
    }
    if (c.kind === 'rule') {
      if (c.when && d.value_type !== 'boolean')
        ctx.addIssue({ code: 'custom', path: ['compute', 'when'], message: 'when is for boolean tags; use cases' });
      if (c.cases && d.value_type !== 'enum')
        ctx.addIssue({ code: 'custom', path: ['compute', 'cases'], message: 'cases are for enum tags' });
      c.cases?.forEach((k, i) => {
        if (d.values && !d.values.includes(k.value))
          ctx.addIssue({ code: 'custom', path: ['compute', 'cases', i, 'value'], message: 'not in values' });
      });
      if (c.else !== undefined && d.values && !d.values.includes(c.else))
        ctx.addIssue({ code: 'custom', path: ['compute', 'else'], message: 'not in values' });
    }
    if ((c.kind === 'formula' || c.kind === 'date_diff') && d.value_type !== 'number')
      ctx.addIssue({ code: 'custom', path: ['value_type'], message: `${c.kind} tags are numbers` });
    if (c.kind === 'date_part' && c.part === 'zodiac' && d.value_type !== 'enum')
      ctx.addIssue({ code: 'custom', path: ['value_type'], message: 'zodiac is an enum' });
    if (c.kind === 'date_part' && c.part !== 'zodiac' && d.value_type !== 'number')
      ctx.addIssue({ code: 'custom', path: ['value_type'], message: `date part ${c.part} is a number` });
  });
export type TagDefinition = z.infer<typeof tagDefinitionSchema>;
/** A definition as written (defaults not yet applied). */
export type TagDefinitionInput = z.input<typeof tagDefinitionSchema>;

export interface DslIssue {
  /** Dotted path of the offending field, prefixed with the definition index and id when known. */
  field: string;
  reason: string;
}

export class TagDslError extends Error {
  override name = 'TagDslError';
  constructor(readonly issues: DslIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
  }
}

function pathString(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Validates one definition; errors name the field (`compute.window.within_days: ...`). */
/** Far deeper than any real definition (a rule with a dozen levels of and / or / not is about 40). */
const MAX_DEFINITION_DEPTH = 64;

export function validateTagDefinition(input: unknown): TagDefinition {
  const id = typeof input === 'object' && input !== null && 'id' in input ? String(input.id) : undefined;
  // refused before the recursive schemas of rules and expressions could overflow the stack
  if (nestingDepth(input, MAX_DEFINITION_DEPTH) > MAX_DEFINITION_DEPTH)
    throw new TagDslError([
      {
        field: `${id ? `${id}: ` : ''}(definition)`,
        reason: `nested too deeply (more than ${MAX_DEFINITION_DEPTH} levels)`,
      },
    ]);
  const r = tagDefinitionSchema.safeParse(input);
  if (r.success) return r.data;
  throw new TagDslError(
    r.error.issues.map((i) => ({
      field: `${id ? `${id}: ` : ''}${pathString(i.path) || '(definition)'}`,
      reason: i.message,
    })),
  );
}

/** Validates a list of definitions and checks ids are unique. */
export function validateTagDefinitions(input: unknown): TagDefinition[] {
  const list = z.array(z.unknown()).safeParse(input);
  if (!list.success) throw new TagDslError([{ field: '(root)', reason: 'expected a list of tag definitions' }]);
  const issues: DslIssue[] = [];
  const out: TagDefinition[] = [];
  const seen = new Set<string>();
  list.data.forEach((item, idx) => {
    try {
      const def = validateTagDefinition(item);
      if (seen.has(def.id)) issues.push({ field: `[${idx}] ${def.id}: id`, reason: 'duplicate tag id' });
      seen.add(def.id);
      out.push(def);
    } catch (err) {
      if (!(err instanceof TagDslError)) throw err;
      issues.push(...err.issues.map((i) => ({ field: `[${idx}] ${i.field}`, reason: i.reason })));
    }
  });
  if (issues.length > 0) throw new TagDslError(issues);
  return out;
}

/**
 * Parses definitions from text (JSON or YAML; `format` defaults to sniffing: JSON when the text starts with `[` or
 * `{`). A single object or a list, or `{ tags: [...] }`.
 */
export function parseTagDefinitions(text: string, format?: 'json' | 'yaml'): TagDefinition[] {
  const fmt = format ?? (/^\s*[[{]/.test(text) ? 'json' : 'yaml');
  let data: unknown;
  try {
    data = fmt === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new TagDslError([{ field: '(text)', reason: `not valid ${fmt.toUpperCase()}: ${(err as Error).message}` }]);
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && 'tags' in data) data = data.tags;
  return validateTagDefinitions(Array.isArray(data) ? data : [data]);
}

/** Tag ids a definition reads (its direct dependencies). */
export function tagDependencies(def: TagDefinition): string[] {
  const out = new Set<string>();
  const expr = (e: Expr): void => {
    if (typeof e === 'number') return;
    if ('tag' in e) out.add(e.tag);
    else if ('op' in e) e.args.forEach(expr);
    else e.coalesce.forEach(expr);
  };
  const cond = (c: Cond): void => {
    if ('all' in c) c.all.forEach(cond);
    else if ('any' in c) c.any.forEach(cond);
    else if ('not' in c) cond(c.not);
    else {
      out.add(c.tag);
      if (c.ref !== undefined) expr(c.ref);
    }
  };
  const c = def.compute;
  switch (c.kind) {
    case 'bucket':
    case 'date_diff':
    case 'date_part':
      out.add(c.of);
      break;
    case 'rule':
      if (c.when) cond(c.when);
      for (const k of c.cases ?? []) cond(k.when);
      if (c.only_if) cond(c.only_if);
      break;
    case 'formula':
      expr(c.expr);
      break;
    default:
      break;
  }
  return [...out].sort();
}

/**
 * Behavioural tags (app / history / interest / warning families) and model tags: audiences using them exclude
 * customers who switched personalised marketing off (rule P4), except for service and regulatory purposes.
 */
export function isBehaviouralTag(def: Pick<TagDefinition, 'family' | 'sub_family' | 'compute'>): boolean {
  return (
    def.compute.kind === 'model_score' ||
    def.family === 'app' ||
    def.family === 'history' ||
    def.family === 'model' ||
    (def.family === 'basic' && (def.sub_family === 'interest' || def.sub_family === 'risk_warning'))
  );
}
