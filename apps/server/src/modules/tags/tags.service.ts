/**
 * Tag refresh: compiles the catalogue, versions the definitions (content hash in the operational store), runs one
 * aggregate query per source into stage tables and one combine query into the wide `tag_snapshot` table (a row per
 * customer, a column per tag version, a partition per snapshot date), records per-tag coverage / distribution /
 * duration, applies retention, and swaps in a new in-process tag index.
 */
import { createHash, randomBytes } from 'node:crypto';
import { standardCatalogue, universeTagId } from '@lingxi/core/tags/catalogue/catalogue';
import type { CatalogueOptions } from '@lingxi/core/tags/catalogue/options';
import {
  type CompiledCatalogue,
  type CompiledTag,
  compileCatalogue,
  TagCompileError,
} from '@lingxi/core/tags/compiler';
import { isCustomTagId } from '@lingxi/core/tags/custom';
import { isBehaviouralTag, type TagDefinition, TagDslError, validateTagDefinition } from '@lingxi/core/tags/dsl';
import type { SourceName } from '@lingxi/core/tags/registry';
import type { SnapshotColumn } from '@lingxi/core/tags/snapshot';
import { Cron } from 'croner';
import type { AppContext } from '../../app-context.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import type { OperationalDb } from '../../db/operational.ts';
import { badRequest } from '../../http/problem.ts';
import { catalogueOptionsInForce, numericSetting } from '../compliance/compliance.service.ts';
import * as customRepo from './custom-tags.repo.ts';
import { buildTagIndex, getTagIndexHolder, type TagIndex } from './tag-index.ts';
import * as repo from './tags.repo.ts';

export const personalisationTagId = universeTagId;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in the given time zone (YYYY-MM-DD). */
export function localToday(timezone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- catalogue

export interface LoadedCatalogue {
  defs: TagDefinition[];
  byId: Map<string, TagDefinition>;
  compiled: CompiledCatalogue;
  /** Bank-specific definitions left out because they no longer validate or compile (e.g. after an upgrade). */
  broken?: { tagId: string; field: string; reason: string }[];
}
const catalogueCache = new Map<string, LoadedCatalogue>();

/**
 * The standard catalogue, validated and compiled once per time zone and thresholds (the catalogue defaults unless
 * `options` are given), or the given definitions compiled.
 */
export function loadCatalogue(
  timezone = 'Asia/Shanghai',
  defs?: TagDefinition[],
  options?: CatalogueOptions,
): LoadedCatalogue {
  if (defs) return { defs, byId: new Map(defs.map((d) => [d.id, d])), compiled: compileCatalogue(defs, { timezone }) };
  const key = `${timezone}|${options ? JSON.stringify(options) : ''}`;
  let c = catalogueCache.get(key);
  if (!c) {
    const list = standardCatalogue(options);
    c = { defs: list, byId: new Map(list.map((d) => [d.id, d])), compiled: compileCatalogue(list, { timezone }) };
    catalogueCache.set(key, c);
  }
  return c;
}

/** Per operational store: the catalogue in force as last read, with the key of the definitions it was built from. */
const activeByStore = new WeakMap<object, { key: string; cat: LoadedCatalogue }>();

/**
 * The catalogue in force: the standard tags under the bank's thresholds (settings `segmentation.*`) plus the
 * bank-specific definitions not retired, read from the operational store on every call (two small queries) and
 * compiled once per change. A stored definition that no longer validates or
 * compiles (an upgrade changed what it reads) is left out and reported in `broken`, with the tags depending on it,
 * instead of failing every tag.
 */
export async function activeCatalogue(ctx: Pick<AppContext, 'stores' | 'config'>): Promise<LoadedCatalogue> {
  const rows = await customRepo.activeCustomDefinitions(ctx.stores.op);
  const options = await catalogueOptionsInForce(ctx.stores.op);
  const key = `${ctx.config.timezone}|${JSON.stringify(options)}|${rows.map((r) => `${r.id}@${new Date(r.updated_at).toISOString()}`).join('|')}`;
  const last = activeByStore.get(ctx.stores.op);
  if (last?.key === key) return last.cat;
  const cat = compileActive(ctx.config.timezone, options, rows);
  activeByStore.set(ctx.stores.op, { key, cat });
  return cat;
}

/**
 * The catalogue in force as this process last read it (reading it on first use): for the audience hot path, which
 * would otherwise pay an operational query per count (1M-customer bench, two runs: bitmap p50 3.9 ms with a read
 * per count, 3.1 ms without). Every refresh, catalogue listing and bank-tag change in this process reads it afresh;
 * a bank tag defined by another process sharing the store cannot be counted before a refresh anyway (the index has
 * no values for it).
 */
export async function lastActiveCatalogue(ctx: Pick<AppContext, 'stores' | 'config'>): Promise<LoadedCatalogue> {
  return activeByStore.get(ctx.stores.op)?.cat ?? activeCatalogue(ctx);
}

function compileActive(
  timezone: string,
  options: CatalogueOptions,
  rows: readonly customRepo.CustomTagRow[],
): LoadedCatalogue {
  const standard = loadCatalogue(timezone, undefined, options);
  if (rows.length === 0) return standard;
  const broken: NonNullable<LoadedCatalogue['broken']> = [];
  let custom: TagDefinition[] = [];
  for (const r of rows) {
    try {
      custom.push(validateTagDefinition(r.definition));
    } catch (err) {
      if (!(err instanceof TagDslError)) throw err;
      broken.push({ tagId: r.id, field: err.issues[0]?.field ?? '(definition)', reason: err.message });
    }
  }
  for (;;) {
    try {
      return { ...loadCatalogue(timezone, [...standard.defs, ...custom]), broken };
    } catch (err) {
      // drop the failing bank tag and retry (its dependants fail next, naming themselves); an error in a standard
      // tag is a defect of the release and propagates
      if (!(err instanceof TagCompileError) || !custom.some((d) => d.id === err.tagId)) throw err;
      broken.push({ tagId: err.tagId, field: err.field, reason: err.reason });
      custom = custom.filter((d) => d.id !== err.tagId);
    }
  }
}

/** A value with its object keys sorted, so equal content serialises equally. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** Hash of the canonical JSON (sorted keys) of a definition without its version: the content that versions track. */
export function definitionHash(def: TagDefinition): string {
  const { version: _v, ...rest } = def;
  return createHash('sha256')
    .update(JSON.stringify(canonical(rest)))
    .digest('hex');
}

/** What a definition computes (not its names, description or governance): what the values of its dependants read. */
function computation(def: unknown): string {
  const d = (def ?? {}) as Partial<TagDefinition>;
  return JSON.stringify(canonical({ value_type: d.value_type, values: d.values, compute: d.compute }));
}

/**
 * Records the definitions (`tags` in dependency order, as compiled): an unchanged definition keeps its version; a
 * changed one gets a new version (at least the next one). So does a tag whose own definition is unchanged but which is
 * computed from a tag whose computation changed in this call (its values change too; `follows` records which tags);
 * a change of names or description alone does not reach the dependants. Returns the effective version of every tag
 * and the ids that got a new version.
 */
export async function registerDefinitions(
  op: OperationalDb,
  tags: readonly Pick<CompiledTag, 'def' | 'deps'>[],
): Promise<{ versions: Map<string, number>; changed: string[] }> {
  return op.transaction(async (tx) => {
    const latest = await repo.latestDefinitions(tx);
    const versions = new Map<string, number>();
    const changed: string[] = [];
    // tags whose values may change in this call: their computation changed, or that of a tag they are computed from
    const recomputed = new Set<string>();
    for (const { def, deps } of tags) {
      const hash = definitionHash(def);
      const prior = latest.get(def.id);
      const follows = deps.filter((d) => recomputed.has(d));
      if (!prior || follows.length > 0 || computation(prior.definition) !== computation(def)) recomputed.add(def.id);
      if (prior && prior.hash === hash && follows.length === 0) {
        versions.set(def.id, prior.version);
        continue;
      }
      const version = prior ? Math.max(prior.version + 1, def.version) : def.version;
      await repo.insertDefinition(tx, def, version, hash, prior?.hash === hash ? follows : null);
      versions.set(def.id, version);
      changed.push(def.id);
    }
    return { versions, changed };
  });
}

// ---------------------------------------------------------------- refresh

export interface RefreshResult extends Record<string, unknown> {
  ok: true;
  asOf: string;
  runId: string;
  tags: number;
  rows: number;
  customers: number;
  durationMs: number;
  /** One entry per source query (`query` is `<source>_history` for a fact source's whole-history tags). */
  sources: { source: SourceName; query: string; tags: number; ms: number }[];
  combineMs: number;
  statsMs: number;
  indexMs: number;
  newVersions: string[];
  droppedSnapshots: string[];
  /** Enum and set tags with customers whose value is outside the tag's vocabulary (a data or definition problem). */
  outsideVocabulary: { tagId: string; customers: number }[];
}

/** Stage tables older than this are left over from an interrupted refresh (a refresh of 1M customers takes ~30 s). */
const STALE_STAGE_SECONDS = 6 * 3600;

const locks = new WeakMap<AnalyticsDb, Promise<unknown>>();

/** Serialises refreshes per analytics store. */
async function withLock<T>(an: AnalyticsDb, fn: () => Promise<T>): Promise<T> {
  const prior = locks.get(an) ?? Promise.resolve();
  const run = prior.catch(() => undefined).then(fn);
  locks.set(an, run);
  return run;
}

export interface RefreshOptions {
  asOf?: string | undefined;
  /** Definitions to refresh instead of the standard catalogue (tests, bank-specific catalogues). */
  definitions?: TagDefinition[] | undefined;
  /** Rebuild and swap the in-process index afterwards (default true). */
  rebuildIndex?: boolean | undefined;
  /** Above this many customers, distributions are read from a fixed sample of about this size (default 100,000). */
  statsSampleCustomers?: number | undefined;
  /** What started the refresh and who (recorded in `tag_refresh_runs`; default `system`). */
  trigger?: repo.RefreshTrigger | undefined;
  actor?: string | undefined;
}

/**
 * Computes every tag in force as of a date (default today in the configured time zone) into the snapshot, records the
 * statistics and rebuilds the index. Every run, failed ones included, is recorded in `tag_refresh_runs`.
 */
export async function refreshTags(
  ctx: Pick<AppContext, 'config' | 'stores' | 'logger'>,
  opts: RefreshOptions = {},
): Promise<RefreshResult> {
  const today = localToday(ctx.config.timezone);
  const asOf = opts.asOf ?? today;
  if (!isoDate.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error(`asOf: not a date YYYY-MM-DD: ${asOf}`);
  // A snapshot dated in the future would become the newest one, serve every audience with empty windows, and make the
  // retention drop real snapshots counted back from that date.
  if (asOf > today) throw badRequest('asOf', `${asOf} is after today (${today} in ${ctx.config.timezone})`);
  const runId = randomBytes(6).toString('hex');
  const t0 = performance.now();
  const op = ctx.stores.op;
  await repo.insertRefreshRun(op, { runId, asOf, trigger: opts.trigger ?? 'system', actor: opts.actor ?? null });
  try {
    const result = await refreshRun(ctx, opts, asOf, runId);
    await repo.finishRefreshRun(op, runId, result);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await repo
      .failRefreshRun(op, runId, message, Math.round(performance.now() - t0))
      .catch((e: unknown) =>
        ctx.logger.error({ runId, err: { message: String(e) } }, 'could not record a failed refresh'),
      );
    throw err;
  }
}

async function refreshRun(
  ctx: Pick<AppContext, 'config' | 'stores' | 'logger'>,
  opts: RefreshOptions,
  asOf: string,
  runId: string,
): Promise<RefreshResult> {
  const cat = opts.definitions ? loadCatalogue(ctx.config.timezone, opts.definitions) : await activeCatalogue(ctx);
  if (cat.broken && cat.broken.length > 0)
    ctx.logger.error({ broken: cat.broken }, 'bank-specific tag definitions left out of the refresh');
  const an = ctx.stores.an;
  return withLock(an, async () => {
    const t0 = performance.now();
    const startedAt = Date.now();
    const leftovers = await repo.dropStaleStages(an, STALE_STAGE_SECONDS, startedAt);
    if (leftovers.length > 0) ctx.logger.warn({ tables: leftovers }, 'dropped stage tables of an interrupted refresh');
    const interrupted = await repo.failInterruptedRuns(ctx.stores.op, STALE_STAGE_SECONDS);
    if (interrupted.length > 0) ctx.logger.warn({ runs: interrupted }, 'marked interrupted tag refreshes as failed');
    const { versions, changed } = await registerDefinitions(ctx.stores.op, cat.compiled.tags);
    const stages: Record<string, string> = {};
    const sources: RefreshResult['sources'] = [];
    const sourceMs = new Map<string, number>();
    let combineMs = 0;
    let columns: SnapshotColumn[] = [];
    try {
      for (const q of cat.compiled.sourceQueries) {
        const table = repo.stageTableName(startedAt, runId, q.key);
        const s0 = performance.now();
        await repo.createStage(an, table, q.sql, { ...q.params, as_of: asOf });
        stages[q.key] = table;
        const ms = performance.now() - s0;
        sources.push({ source: q.source, query: q.key, tags: q.columns.length, ms: Math.round(ms) });
        for (const c of q.columns) sourceMs.set(c.tagId, ms);
      }
      const c0 = performance.now();
      // P4: tags a customer deleted in the preference centre are never stored for them again
      const plan = cat.compiled.snapshot(stages, versions, await repo.tagOptouts(ctx.stores.op));
      columns = plan.columns;
      await repo.ensureSnapshotColumns(an, columns);
      await repo.dropSnapshot(an, asOf);
      await repo.runStatement(an, plan.insert.sql, { ...plan.insert.params, as_of: asOf });
      await repo.writeSnapshotColumns(an, asOf, runId, columns);
      combineMs = performance.now() - c0;
    } finally {
      for (const table of Object.values(stages)) await repo.dropStage(an, table);
    }
    const st0 = performance.now();
    const { rows, customers, outsideVocabulary } = await recordStats(
      an,
      asOf,
      runId,
      columns,
      cat.byId,
      sourceMs,
      combineMs,
      opts.statsSampleCustomers,
    );
    if (outsideVocabulary.length > 0)
      ctx.logger.warn({ asOf, runId, outsideVocabulary }, 'tag values outside their vocabularies');
    const statsMs = performance.now() - st0;
    const cutoff = addDays(asOf, -(await snapshotRetentionDays(ctx)));
    const droppedSnapshots = await repo.dropSnapshotsBefore(an, cutoff);
    let indexMs = 0;
    // A backfill of an earlier date leaves the index on the newest snapshot, which is what audiences count on.
    const newest = (await repo.snapshotDates(an))[0];
    if (newest !== undefined && newest > asOf)
      ctx.logger.info({ asOf, newest }, 'backfilled an earlier snapshot: the tag index stays on the newest one');
    else if (opts.rebuildIndex !== false) {
      const i0 = performance.now();
      const ix = await loadTagIndex(an, asOf, cat.defs);
      if (ix) getTagIndexHolder(ctx).swap(ix);
      indexMs = performance.now() - i0;
    }
    const result: RefreshResult = {
      ok: true,
      asOf,
      runId,
      tags: cat.defs.length,
      rows,
      customers,
      durationMs: Math.round(performance.now() - t0),
      sources,
      combineMs: Math.round(combineMs),
      statsMs: Math.round(statsMs),
      indexMs: Math.round(indexMs),
      newVersions: changed,
      droppedSnapshots,
      outsideVocabulary,
    };
    ctx.logger.info(
      { asOf, runId, tags: result.tags, rows, durationMs: result.durationMs, newVersions: changed.length },
      'tags refreshed',
    );
    return result;
  });
}

/** The newest tag refreshes first (scheduled, console, CLI, system), failed ones with their error. */
export async function listRefreshRuns(ctx: Pick<AppContext, 'stores'>, limit: number) {
  return (await repo.listRefreshRuns(ctx.stores.op, limit)).map((r) => ({
    runId: r.run_id,
    asOf: r.as_of,
    trigger: r.trigger,
    actor: r.actor,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    error: r.error,
    tags: r.tags,
    customers: r.customers,
    newVersions: r.new_versions,
    durationMs: r.duration_ms,
  }));
}

/**
 * Days of tag snapshots kept: the administrator's setting `retention.tagSnapshotDays` (console settings page, audited)
 * once one is saved, else the configured default (LINGXI_TAG_SNAPSHOT_RETENTION_DAYS, 400 days).
 */
export async function snapshotRetentionDays(ctx: Pick<AppContext, 'stores' | 'config'>): Promise<number> {
  return numericSetting(ctx.stores.op, 'retention.tagSnapshotDays', ctx.config.tagSnapshotRetentionDays);
}

/**
 * Ten equal-width bins between the minimum and the maximum, counts from the empirical distribution function given by
 * the 101 percentiles (linear between them), scaled to `total` customers: each bin is within 1% of `total` of the
 * exact count, enough for a chart, and costs no second scan. A single value makes one bin.
 */
export function histogramFromPercentiles(
  percentiles: readonly number[],
  total: number,
): { lo: number; hi: number; count: number }[] {
  const lo = percentiles[0];
  const hi = percentiles[percentiles.length - 1];
  if (lo === undefined || hi === undefined || total === 0) return [];
  if (hi <= lo) return [{ lo, hi, count: total }];
  // share of customers with a value < x
  const cdf = (x: number): number => {
    if (x <= lo) return 0;
    if (x >= hi) return 1;
    let i = 0;
    while (i + 1 < percentiles.length && (percentiles[i + 1] as number) < x) i++;
    const a = percentiles[i] as number;
    const b = percentiles[i + 1] as number;
    const within = b > a ? (x - a) / (b - a) : 1;
    return (i + within) / (percentiles.length - 1);
  };
  const width = (hi - lo) / 10;
  const bins: { lo: number; hi: number; count: number }[] = [];
  for (let k = 0; k < 10; k++) {
    const a = lo + k * width;
    const b = k === 9 ? hi : lo + (k + 1) * width;
    bins.push({ lo: a, hi: b, count: Math.round((k === 9 ? 1 : cdf(b)) * total - cdf(a) * total) });
  }
  return bins;
}

/** Snapshots larger than this have their distributions computed on a fixed sample of about this many customers. */
export const STATS_SAMPLE_CUSTOMERS = 100_000;

async function recordStats(
  an: AnalyticsDb,
  asOf: string,
  runId: string,
  columns: readonly SnapshotColumn[],
  defs: ReadonlyMap<string, TagDefinition>,
  sourceMs: Map<string, number>,
  combineMs: number,
  sampleCustomers = STATS_SAMPLE_CUSTOMERS,
): Promise<{ rows: number; customers: number; outsideVocabulary: RefreshResult['outsideVocabulary'] }> {
  const vocabularies = new Map<string, readonly string[]>();
  for (const c of columns) {
    const values = defs.get(c.tagId)?.values;
    if (values) vocabularies.set(c.column, values);
  }
  const coverage = await repo.snapshotCoverage(an, asOf, columns, vocabularies);
  // Coverage and boolean counts are exact. Other value distributions describe the shape of a tag; on a large bank
  // they are read from a fixed pseudo-random sample (the same customers every run) and value and bin counts are
  // scaled to the exact coverage.
  const every = Math.max(1, Math.round(coverage.customers / Math.max(1, sampleCustomers)));
  const exact = (c: SnapshotColumn) => c.valueType === 'boolean';
  const sampled = columns.filter((c) => !exact(c));
  const dists = new Map((await repo.snapshotDistributions(an, asOf, sampled, every)).map((d) => [d.column, d]));
  for (const [column, trues] of coverage.trues) {
    const nonNull = coverage.nonNull.get(column) ?? 0;
    const values: [string, number][] = [
      ['true', trues],
      ['false', nonNull - trues],
    ];
    dists.set(column, { column, seen: nonNull, values: values.filter(([, n]) => n > 0) });
  }
  const universe = columns.find((c) => c.tagId === universeTagId);
  const customers = (universe && coverage.nonNull.get(universe.column)) ?? 0;
  const refreshedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  let values = 0;
  const outsideVocabulary: RefreshResult['outsideVocabulary'] = [];
  const rows: repo.RefreshStatRow[] = columns.map((c) => {
    const nonNull = coverage.nonNull.get(c.column) ?? 0;
    values += nonNull;
    const outside = coverage.outsideVocabulary.get(c.column) ?? 0;
    if (outside > 0) outsideVocabulary.push({ tagId: c.tagId, customers: outside });
    const flagged = outside > 0 ? { outsideVocabulary: outside } : {};
    const d = dists.get(c.column);
    const sampledHere = every > 1 && !exact(c);
    const scale = sampledHere && d && d.seen > 0 ? nonNull / d.seen : 1;
    const sample = sampledHere ? { sample: { every, customersWithValue: d?.seen ?? 0 } } : {};
    const n = d?.numeric;
    const distribution = n
      ? {
          kind: 'numeric',
          min: n.min,
          max: n.max,
          mean: n.mean,
          quantiles: Object.fromEntries(
            ([1, 10, 25, 50, 75, 90, 99] as const).map((p) => [`p${String(p).padStart(2, '0')}`, n.percentiles[p]]),
          ),
          histogram: histogramFromPercentiles(n.percentiles, nonNull),
          ...sample,
          ...flagged,
        }
      : {
          kind: 'top',
          values: (d?.values ?? [])
            .map(([value, count]) => ({ value, count: Math.round(count * scale) }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
            .slice(0, 20),
          ...sample,
          ...flagged,
        };
    return {
      as_of: asOf,
      tag_id: c.tagId,
      version: c.version,
      run_id: runId,
      refreshed_at: refreshedAt,
      total: customers,
      non_null: nonNull,
      coverage: customers > 0 ? nonNull / customers : 0,
      distribution: JSON.stringify(distribution),
      duration_ms: Math.round(sourceMs.get(c.tagId) ?? combineMs),
    };
  });
  await repo.insertRefreshStats(an, rows);
  return { rows: values, customers, outsideVocabulary };
}

// ---------------------------------------------------------------- index

/** Builds the tag index of a snapshot (the newest when asOf is omitted); undefined when there is none. */
export async function loadTagIndex(
  an: AnalyticsDb,
  asOf?: string,
  defs: readonly TagDefinition[] = loadCatalogue().defs,
): Promise<TagIndex | undefined> {
  const date = asOf ?? (await repo.snapshotDates(an))[0];
  if (!date) return undefined;
  const columns = await repo.snapshotColumns(an, date);
  if (columns.length === 0) return undefined;
  const versions = new Map(columns.map((c) => [c.tagId, c.version]));
  const byTag = new Map(columns.map((c) => [c.tagId, c]));
  const valueSets: { tag: string; value: string; ids: Uint32Array }[] = [];
  const numeric: { tag: string; ids: Uint32Array; values: Float64Array }[] = [];
  const scalar = defs
    .map((d) => byTag.get(d.id))
    .filter((c): c is SnapshotColumn => c?.valueType === 'enum' || c?.valueType === 'boolean');
  const scalarSets = await repo.loadScalarValueSets(an, date, scalar);
  for (const d of defs) {
    const col = byTag.get(d.id);
    if (!col) continue;
    if (col.valueType === 'number' || col.valueType === 'date') {
      const { ids, values } = await repo.loadNumeric(an, date, col);
      numeric.push({ tag: d.id, ids, values });
      continue;
    }
    const sets = col.valueType === 'set' ? await repo.loadSetElements(an, date, col) : scalarSets.get(col.column);
    if (!sets) throw new Error(`tag index load: no value sets for ${col.column}`);
    for (const r of sets) valueSets.push({ tag: d.id, value: r.value, ids: r.ids });
  }
  const uni = valueSets.filter((v) => v.tag === universeTagId);
  const universe = concatIds(uni.map((v) => v.ids));
  const off = uni.find((v) => v.value === 'false')?.ids ?? new Uint32Array(0);
  return buildTagIndex({ asOf: date, versions, universe, personalisationOff: off, valueSets, numeric });
}

function concatIds(parts: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The current index of the context, loading the newest snapshot on first use. */
export async function currentTagIndex(ctx: Pick<AppContext, 'stores' | 'config'>): Promise<TagIndex | undefined> {
  return getTagIndexHolder(ctx).ensure(async () =>
    loadTagIndex(ctx.stores.an, undefined, (await activeCatalogue(ctx)).defs),
  );
}

// ---------------------------------------------------------------- reads

export interface TagSummary {
  definition: TagDefinition;
  /** A bank-specific tag (`bank.*`), defined by the bank's analysts rather than shipped. */
  custom: boolean;
  version: number;
  dataClass: 'C1' | 'C2';
  behavioural: boolean;
  coverage: number | null;
  nonNull: number | null;
  total: number | null;
  asOf: string | null;
  refreshedAt: string | null;
  durationMs: number | null;
  distribution: unknown;
}

export async function listTags(
  ctx: Pick<AppContext, 'stores' | 'config'>,
): Promise<{ asOf: string | null; tags: TagSummary[]; broken: NonNullable<LoadedCatalogue['broken']> }> {
  return summarise(ctx, await activeCatalogue(ctx));
}

async function summarise(
  ctx: Pick<AppContext, 'stores'>,
  cat: LoadedCatalogue,
): Promise<{ asOf: string | null; tags: TagSummary[]; broken: NonNullable<LoadedCatalogue['broken']> }> {
  const stats = new Map((await repo.latestStats(ctx.stores.an)).map((s) => [s.tag_id, s]));
  const tags = cat.compiled.tags.map((t): TagSummary => {
    const s = stats.get(t.def.id);
    return {
      definition: t.def,
      custom: isCustomTagId(t.def.id),
      version: s ? Number(s.version) : t.def.version,
      dataClass: t.dataClass,
      behavioural: isBehaviouralTag(t.def),
      coverage: s ? Number(s.coverage) : null,
      nonNull: s ? Number(s.non_null) : null,
      total: s ? Number(s.total) : null,
      asOf: s?.as_of ?? null,
      refreshedAt: s ? `${s.refreshed_at.replace(' ', 'T')}Z` : null,
      durationMs: s ? Number(s.duration_ms) : null,
      distribution: s ? (JSON.parse(s.distribution) as unknown) : null,
    };
  });
  tags.sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  return { asOf: tags.find((t) => t.asOf)?.asOf ?? null, tags, broken: cat.broken ?? [] };
}

export async function tagDetail(ctx: Pick<AppContext, 'stores' | 'config'>, id: string) {
  const cat = await activeCatalogue(ctx);
  const { tags } = await summarise(ctx, cat);
  const summary = tags.find((t) => t.definition.id === id);
  if (!summary) return undefined;
  const compiled = cat.compiled.byId.get(id);
  return {
    ...summary,
    dependencies: compiled?.deps ?? [],
    sourceColumns: compiled?.columns ?? [],
    versions: await repo.definitionVersions(ctx.stores.op, id),
  };
}

/**
 * P4: a customer deleted some of their tags (the preference centre records them in `tag_optouts`). They leave the
 * newest snapshot and the live bitmap index at once, so audiences stop counting them now; refreshes skip them.
 */
export async function applyTagOptouts(
  ctx: Pick<AppContext, 'stores'>,
  customerId: number,
  tagIds: readonly string[],
): Promise<void> {
  const asOf = (await repo.snapshotDates(ctx.stores.an))[0];
  if (asOf) {
    const columns = (await repo.snapshotColumns(ctx.stores.an, asOf)).filter((c) => tagIds.includes(c.tagId));
    await repo.clearTagValues(ctx.stores.an, asOf, columns, [customerId]);
  }
  const ix = getTagIndexHolder(ctx).current;
  if (!ix) return;
  for (const tagId of tagIds) {
    const vi = ix.data.values.get(tagId);
    vi?.present.remove(customerId);
    for (const b of vi?.byValue.values() ?? []) b.remove(customerId);
    ix.data.numeric.get(tagId)?.present.remove(customerId);
  }
}

/** Tag values of customers (the customer and ids merged into it) in a snapshot (newest by default). */
export async function customerTags(
  ctx: Pick<AppContext, 'stores' | 'config'>,
  customerIds: number[],
  asOf?: string,
): Promise<{
  asOf: string | null;
  tags: { tagId: string; version: number; value: string | number | boolean | string[] }[];
}> {
  const date = asOf ?? (await repo.snapshotDates(ctx.stores.an))[0];
  if (!date) return { asOf: null, tags: [] };
  const columns = await repo.snapshotColumns(ctx.stores.an, date);
  // in the order asked for: the customer's own value first, else the first merged id that has one
  const rank = (r: Record<string, unknown>) => customerIds.indexOf(Number(r.customer_id));
  const rows = (await repo.customerSnapshotRows(ctx.stores.an, date, customerIds, columns)).sort(
    (a, b) => rank(a) - rank(b),
  );
  const tags: { tagId: string; version: number; value: string | number | boolean | string[] }[] = [];
  for (const c of columns) {
    for (const r of rows) {
      const value = decodeValue(c, r[c.column]);
      if (value === undefined) continue;
      tags.push({ tagId: c.tagId, version: c.version, value });
      break;
    }
  }
  return { asOf: date, tags };
}

/** A snapshot cell as the API shows it; undefined for "no value". */
function decodeValue(c: SnapshotColumn, v: unknown): string | number | boolean | string[] | undefined {
  if (v === null || v === undefined) return undefined;
  switch (c.valueType) {
    case 'boolean':
      return Number(v) !== 0;
    case 'number':
      return Number(v);
    case 'set':
      return Array.isArray(v) && v.length > 0 ? v.map(String) : undefined;
    default:
      return String(v);
  }
}

// ---------------------------------------------------------------- schedule

/** Daily refresh on `config.tagRefreshCron` (in the configured time zone). Returns a stop function. */
export function startTagScheduler(ctx: Pick<AppContext, 'config' | 'stores' | 'logger'>): () => void {
  const job = new Cron(
    ctx.config.tagRefreshCron,
    { timezone: ctx.config.timezone, protect: true, name: 'tag-refresh' },
    async () => {
      try {
        await refreshTags(ctx, { trigger: 'schedule' });
      } catch (err) {
        ctx.logger.error({ err: { message: (err as Error).message } }, 'scheduled tag refresh failed');
      }
    },
  );
  return () => job.stop();
}
