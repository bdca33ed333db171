/**
 * Model features from tag snapshots: which catalogue tags may feed a model (point-in-time safety), how a
 * customer × tag matrix becomes a GBDT `Dataset`, and the guard that keeps features strictly before the label window.
 *
 * Leakage policy — a tag is NOT a feature when (first matching reason wins):
 * - `model_output`: a model tag (`model.*`) or anything read from `model_scores` (a model must not learn from its own or
 *   another model's scores: feedback loops, and the scores of the label period are computed after the as-of date);
 * - `label_definition`: tags that restate a label (`lifecycle.stage` churned/dormant, `basic.customer_status`,
 *   `target.dormant_reactivation`): they are the churn definition itself;
 * - `future_window`: a window looking ahead of the as-of date (`ahead_days`), directly or through a dependency;
 * - `mutable_state`: reads a dimension column that holds the *current* state, not the state at the as-of date
 *   (`status`, `closed_at`, `balance_fen`, `activated_at`, `outstanding_fen`, `overdue_days`, risk assessment, consent,
 *   flags, wallet binding, credit limit). The tag factory computes dimension tags from the dimension tables as they are
 *   today, so such a tag refreshed "as of" a past date still sees accounts closed after it — exactly the leak that makes
 *   a back-dated `lifecycle.stage = churned` predict churn perfectly;
 * - `unbounded_dimension`: aggregates a dimension table (accounts, holdings, cards, loans) without a window on its
 *   event date, so rows created after the as-of date count;
 * - `unbounded_history`: a count or sum over *all* fact history up to the as-of date (no window). Not a leak, but not
 *   stationary: history starts at the bank's first loaded date, so the same customer counts more at a later snapshot,
 *   and a model trained at T − 90 and scored at T would read the shift as signal;
 * - `not_a_feature`: raw dates (the catalogue has the day-count variants) and identifier-like attributes with hundreds
 *   of levels (home branch, city) that a tree ensemble memorises instead of generalising from (province and city tier
 *   stay).
 * Everything else reads only facts (transactions, app events, month-end holdings, contacts — the tag compiler bounds
 * them to ≤ as-of) or static customer attributes, or windowed dimension events (e.g. products signed in 12 months).
 */
import type { Dataset } from '../gbdt/dataset.ts';
import type { CompiledCatalogue, CompiledTag } from '../tags/compiler.ts';
import type { TagDefinition } from '../tags/dsl.ts';

export type LeakageReason =
  | 'model_output'
  | 'label_definition'
  | 'future_window'
  | 'mutable_state'
  | 'unbounded_dimension'
  | 'unbounded_history'
  | 'not_a_feature';

export interface TagUsability {
  tagId: string;
  usable: boolean;
  reason?: LeakageReason;
  detail?: string;
}

/** Tags that restate a label definition (churn = lifecycle churned; reactivation = dormant). */
export const LABEL_DEFINING_TAGS: readonly string[] = [
  'lifecycle.stage',
  'basic.customer_status',
  'target.dormant_reactivation',
];

/** Dimension columns whose stored value is the current state (not versioned by date). */
export const MUTABLE_COLUMNS: readonly string[] = [
  'dim_customers.status',
  'dim_customers.risk_level',
  'dim_customers.risk_assessed_at',
  'dim_customers.investment_experience',
  'dim_customers.personalised_marketing',
  'dim_customers.flags',
  'dim_accounts.status',
  'dim_accounts.closed_at',
  'dim_accounts.balance_fen',
  'dim_holdings.status',
  'dim_holdings.closed_at',
  'dim_cards.status',
  'dim_cards.activated_at',
  'dim_cards.bound_to_wallet',
  'dim_cards.limit_fen',
  'dim_loans.status',
  'dim_loans.outstanding_fen',
  'dim_loans.overdue_days',
];

/** Identifier-like attributes: too many levels to generalise (they also make meaningless "reasons"). */
export const IDENTIFIER_TAGS: readonly string[] = ['fin.home_branch', 'fin.city'];

const EVENT_DIMENSIONS = new Set(['dim_accounts', 'dim_holdings', 'dim_cards', 'dim_loans']);
const FACT_SOURCES = new Set(['transactions', 'app_events', 'holdings_daily', 'contacts']);
const CUMULATIVE_FNS = new Set(['count', 'sum', 'count_distinct', 'distinct_set']);

type Compute = TagDefinition['compute'];

function windowOf(c: Compute): unknown {
  return 'window' in c ? (c as { window?: unknown }).window : undefined;
}

/** Classifies every tag of a compiled catalogue (dependencies first, so a tag inherits its dependencies' verdict). */
export function classifyTags(catalogue: Pick<CompiledCatalogue, 'tags'>): Map<string, TagUsability> {
  const out = new Map<string, TagUsability>();
  for (const t of catalogue.tags) out.set(t.def.id, classifyOne(t, out));
  return out;
}

function classifyOne(t: CompiledTag, done: Map<string, TagUsability>): TagUsability {
  const id = t.def.id;
  const c = t.def.compute;
  const no = (reason: LeakageReason, detail: string): TagUsability => ({ tagId: id, usable: false, reason, detail });
  if (id.startsWith('model.') || c.kind === 'model_score' || t.columns.some((col) => col.startsWith('model_scores.')))
    return no('model_output', 'model score');
  if (LABEL_DEFINING_TAGS.includes(id)) return no('label_definition', 'restates the churn / dormancy label');
  const w = windowOf(c);
  if (w && typeof w === 'object' && 'ahead_days' in w) return no('future_window', 'looks ahead of the as-of date');
  const mutable = t.columns.filter((col) => MUTABLE_COLUMNS.includes(col));
  if (mutable.length > 0) return no('mutable_state', `reads current state ${mutable.join(', ')}`);
  if ((c.kind === 'aggregate' || c.kind === 'attribute') && t.source && EVENT_DIMENSIONS.has(t.source) && !w)
    return no('unbounded_dimension', `aggregates ${t.source} without a window`);
  if (c.kind === 'aggregate' && t.source && FACT_SOURCES.has(t.source) && !w && CUMULATIVE_FNS.has(c.fn))
    return no('unbounded_history', `${c.fn} over all ${t.source} history (grows with the snapshot date)`);
  for (const dep of t.deps) {
    const d = done.get(dep);
    if (d && !d.usable && d.reason !== 'not_a_feature')
      return {
        tagId: id,
        usable: false,
        reason: d.reason ?? 'mutable_state',
        detail: `depends on ${dep}: ${d.detail}`,
      };
  }
  if (t.def.value_type === 'date') return no('not_a_feature', 'raw date (the day-count variant is the feature)');
  if (IDENTIFIER_TAGS.includes(id)) return no('not_a_feature', 'identifier-like attribute with hundreds of levels');
  return { tagId: id, usable: true };
}

// ------------------------------------------------------------------------------------------------ feature matrix

/** One tag value of one customer as the tag factory stores it (null = no value). */
export type TagValue = number | string | boolean | string[] | null;

/** Customers × tags as of one snapshot date; `columns.get(tag)[i]` belongs to `customerIds[i]`. */
export interface TagMatrix {
  asOf: string;
  customerIds: number[];
  columns: Map<string, TagValue[]>;
}

export type FeatureColumn =
  | { kind: 'numeric'; name: string; tag: string }
  | { kind: 'boolean'; name: string; tag: string }
  | { kind: 'categorical'; name: string; tag: string; levels: string[] }
  | { kind: 'set_member'; name: string; tag: string; level: string };

/** The frozen feature layout of a model (stored with it, so scoring encodes exactly like training). */
export interface FeatureSpec {
  columns: FeatureColumn[];
  /** Tags refused by the leakage policy, with the reason (documentation and the training report). */
  excluded: { tag: string; reason: LeakageReason; detail: string }[];
}

export const OTHER_LEVEL = '__other__';

export interface FitSpecOptions {
  /** categorical levels kept (most frequent first); the rest map to `__other__` */
  maxLevels?: number;
  /** set members expanded into indicator columns (most frequent first) */
  maxSetMembers?: number;
}

/**
 * Chooses the feature columns from the usable tags: numbers → numeric, booleans → 0/1, enums → categorical (levels seen
 * in training, rare ones pooled), sets → one indicator column per frequent member. Tags without any value are dropped.
 */
export function fitFeatureSpec(
  defs: readonly Pick<TagDefinition, 'id' | 'value_type'>[],
  usability: Map<string, TagUsability>,
  matrix: TagMatrix,
  opts: FitSpecOptions = {},
): FeatureSpec {
  const maxLevels = opts.maxLevels ?? 48;
  const maxSet = opts.maxSetMembers ?? 12;
  const columns: FeatureColumn[] = [];
  const excluded: FeatureSpec['excluded'] = [];
  for (const def of [...defs].sort((a, b) => a.id.localeCompare(b.id))) {
    const u = usability.get(def.id);
    if (!u?.usable) {
      excluded.push({ tag: def.id, reason: u?.reason ?? 'not_a_feature', detail: u?.detail ?? 'not classified' });
      continue;
    }
    const values = matrix.columns.get(def.id);
    if (!values || values.every((v) => v === null)) continue;
    if (def.value_type === 'number') columns.push({ kind: 'numeric', name: def.id, tag: def.id });
    else if (def.value_type === 'boolean') columns.push({ kind: 'boolean', name: def.id, tag: def.id });
    else if (def.value_type === 'enum') {
      const counts = new Map<string, number>();
      for (const v of values) if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const levels = ranked.slice(0, maxLevels).map(([l]) => l);
      if (ranked.length > maxLevels) levels.push(OTHER_LEVEL);
      columns.push({ kind: 'categorical', name: def.id, tag: def.id, levels });
    } else if (def.value_type === 'set') {
      const counts = new Map<string, number>();
      for (const v of values) for (const m of asSet(v)) counts.set(m, (counts.get(m) ?? 0) + 1);
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      for (const [level] of ranked.slice(0, maxSet))
        columns.push({ kind: 'set_member', name: `${def.id}=${level}`, tag: def.id, level });
    }
  }
  return { columns, excluded };
}

function asSet(v: TagValue): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  const s = String(v);
  return s === '' ? [] : s.split(',');
}

function asNumber(v: TagValue): number {
  if (v === null) return Number.NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    if (v === 'true') return 1;
    if (v === 'false') return 0;
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : Number.NaN;
  }
  return Number.NaN;
}

/** Encodes a matrix with a frozen spec. Missing tags and values become missing (NaN / −1), never zero. */
export function buildDataset(spec: FeatureSpec, matrix: TagMatrix): Dataset {
  const n = matrix.customerIds.length;
  const numeric: Float64Array[] = [];
  const numericNames: string[] = [];
  const categorical: Int32Array[] = [];
  const categoricalNames: string[] = [];
  const categoricalLevels: string[][] = [];
  for (const col of spec.columns) {
    const values = matrix.columns.get(col.tag);
    if (col.kind === 'categorical') {
      const code = new Map(col.levels.map((l, k) => [l, k]));
      const other = code.get(OTHER_LEVEL);
      const out = new Int32Array(n).fill(-1);
      if (values)
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v === null || v === undefined) continue;
          out[i] = code.get(String(v)) ?? other ?? -1;
        }
      categorical.push(out);
      categoricalNames.push(col.name);
      categoricalLevels.push(col.levels);
      continue;
    }
    const out = new Float64Array(n).fill(Number.NaN);
    if (values)
      for (let i = 0; i < n; i++) {
        const v = values[i] ?? null;
        if (col.kind === 'set_member') out[i] = v === null ? Number.NaN : asSet(v).includes(col.level) ? 1 : 0;
        else out[i] = asNumber(v);
      }
    numeric.push(out);
    numericNames.push(col.name);
  }
  return { nRows: n, numeric, numericNames, categorical, categoricalNames, categoricalLevels };
}

/** Rows of `matrix` for the given customers, in that order (customers absent from the matrix get null values). */
export function selectCustomers(matrix: TagMatrix, ids: readonly number[]): TagMatrix {
  const pos = new Map(matrix.customerIds.map((id, i) => [id, i]));
  const columns = new Map<string, TagValue[]>();
  for (const [tag, values] of matrix.columns) {
    columns.set(
      tag,
      ids.map((id) => {
        const p = pos.get(id);
        return p === undefined ? null : (values[p] ?? null);
      }),
    );
  }
  return { asOf: matrix.asOf, customerIds: [...ids], columns };
}

// ------------------------------------------------------------------------------------------------ time split guard

export class LeakageError extends Error {
  override name = 'LeakageError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(field: string, iso: string): number {
  if (!isoDate.test(iso) || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)))
    throw new LeakageError(field, `not a date YYYY-MM-DD: ${iso}`);
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The training protocol: features as of `featureAsOf`; labels observed in (featureAsOf, featureAsOf + horizon]. */
export interface TimeSplit {
  /** snapshot date of every feature used for training */
  featureAsOf: string;
  /** first day of the label window (inclusive) */
  labelFrom: string;
  /** last day of the label window (inclusive) */
  labelTo: string;
}

/** The standard split for scoring date T and a horizon in days: features at T − h, labels in (T − h, T]. */
export function timeSplit(scoringAsOf: string, horizonDays: number): TimeSplit {
  if (!Number.isInteger(horizonDays) || horizonDays < 1)
    throw new LeakageError('horizonDays', `must be a positive integer, got ${horizonDays}`);
  dayNumber('asOf', scoringAsOf);
  const featureAsOf = addDays(scoringAsOf, -horizonDays);
  return { featureAsOf, labelFrom: addDays(featureAsOf, 1), labelTo: scoringAsOf };
}

/**
 * Refuses a training set whose features could have seen the label period: every feature snapshot date must be
 * strictly before the first day of the label window, and the window must not be empty.
 */
export function assertTimeSplit(split: TimeSplit, featureSnapshotDates: readonly string[] = [split.featureAsOf]): void {
  const from = dayNumber('labelFrom', split.labelFrom);
  const to = dayNumber('labelTo', split.labelTo);
  if (to < from)
    throw new LeakageError('labelTo', `label window ends (${split.labelTo}) before it starts (${split.labelFrom})`);
  for (const d of [split.featureAsOf, ...featureSnapshotDates]) {
    if (dayNumber('featureAsOf', d) >= from)
      throw new LeakageError(
        'featureAsOf',
        `feature snapshot ${d} is not before the label window start ${split.labelFrom} (features would see the labels)`,
      );
  }
}

/** Refuses a feature spec that uses a tag the leakage policy excludes (e.g. a spec edited by hand). */
export function assertNoLeakyFeatures(spec: FeatureSpec, usability: Map<string, TagUsability>): void {
  for (const col of spec.columns) {
    const u = usability.get(col.tag);
    if (!u) throw new LeakageError(`features.${col.name}`, `tag ${col.tag} is not in the catalogue`);
    if (!u.usable)
      throw new LeakageError(`features.${col.name}`, `tag ${col.tag} is excluded (${u.reason}: ${u.detail})`);
  }
}
