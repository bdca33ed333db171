/** All SQL of the tag factory (bound parameters only; identifiers come from the compiler or are validated here). */
import type { TagDefinition } from '@lingxi/core/tags/dsl';
import type { AnalyticsDb, ChParams } from '../../db/analytics.ts';
import type { OperationalQueryable } from '../../db/operational.ts';

const identRe = /^[a-z_][a-z0-9_]*$/;
function ident(name: string): string {
  if (!identRe.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

// ---------------------------------------------------------------- definitions (operational store)

export interface StoredDefinition {
  id: string;
  version: number;
  hash: string;
}

export async function latestDefinitions(op: OperationalQueryable): Promise<Map<string, StoredDefinition>> {
  const { rows } = await op.query<StoredDefinition>(
    'SELECT DISTINCT ON (id) id, version, hash FROM tag_definitions ORDER BY id, version DESC',
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, version: Number(r.version), hash: r.hash }]));
}

export async function insertDefinition(
  op: OperationalQueryable,
  def: TagDefinition,
  version: number,
  hash: string,
): Promise<void> {
  await op.query('INSERT INTO tag_definitions (id, version, hash, definition) VALUES ($1, $2, $3, $4)', [
    def.id,
    version,
    hash,
    JSON.stringify({ ...def, version }),
  ]);
}

export async function definitionVersions(
  op: OperationalQueryable,
  id: string,
): Promise<{ version: number; hash: string; definition: unknown; created_at: string }[]> {
  const { rows } = await op.query<{ version: number; hash: string; definition: unknown; created_at: Date }>(
    'SELECT version, hash, definition, created_at FROM tag_definitions WHERE id = $1 ORDER BY version DESC',
    [id],
  );
  return rows.map((r) => ({ ...r, version: Number(r.version), created_at: new Date(r.created_at).toISOString() }));
}

// ---------------------------------------------------------------- refresh (analytics store)

/** Runs one compiled source query into a Memory stage table. */
export async function createStage(an: AnalyticsDb, table: string, sql: string, params: ChParams): Promise<void> {
  await an.command(`CREATE TABLE ${ident(table)} ENGINE = Memory AS ${sql}`, params);
}

export async function dropStage(an: AnalyticsDb, table: string): Promise<void> {
  await an.command(`DROP TABLE IF EXISTS ${ident(table)}`);
}

export async function dropSnapshot(an: AnalyticsDb, asOf: string): Promise<void> {
  await an.command('ALTER TABLE tag_values DROP PARTITION {as_of:Date}', { as_of: asOf });
}

/** Tags customers deleted in the preference centre (rule P4), grouped by tag. */
export async function tagOptouts(db: OperationalQueryable): Promise<Map<string, number[]>> {
  const { rows } = await db.query<{ tag_id: string; ids: number[] }>(
    'SELECT tag_id, array_agg(customer_id::int ORDER BY customer_id) AS ids FROM tag_optouts GROUP BY tag_id',
  );
  return new Map(rows.map((r) => [r.tag_id, r.ids]));
}

/** Removes the values of one tag for some customers from a snapshot. */
export async function deleteTagValues(
  an: AnalyticsDb,
  asOf: string,
  tagId: string,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  await an.command(
    'DELETE FROM tag_values WHERE as_of = {as_of:Date} AND tag_id = {tag:String} AND customer_id IN {ids:Array(UInt32)}',
    { as_of: asOf, tag: tagId, ids: [...ids] },
  );
}

export async function runStatement(an: AnalyticsDb, sql: string, params: ChParams): Promise<void> {
  await an.command(sql, params);
}

/** Snapshot dates held (newest first). */
export async function snapshotDates(an: AnalyticsDb): Promise<string[]> {
  const rows = await an.query<{ as_of: string }>(
    `SELECT DISTINCT toString(toDate(partition)) AS as_of FROM system.parts
      WHERE database = currentDatabase() AND table = 'tag_values' AND active ORDER BY as_of DESC`,
  );
  return rows.map((r) => r.as_of);
}

export async function dropSnapshotsBefore(an: AnalyticsDb, cutoff: string): Promise<string[]> {
  const old = (await snapshotDates(an)).filter((d) => d < cutoff);
  for (const d of old) await dropSnapshot(an, d);
  return old;
}

export interface TagCountRow {
  tag_id: string;
  version: number;
  non_null: number;
}

export async function tagCounts(an: AnalyticsDb, asOf: string): Promise<TagCountRow[]> {
  return an.query<TagCountRow>(
    `SELECT tag_id, toUInt32(any(version)) AS version, toUInt32(count()) AS non_null
       FROM tag_values WHERE as_of = {as_of:Date} GROUP BY tag_id`,
    { as_of: asOf },
  );
}

export async function topValues(
  an: AnalyticsDb,
  asOf: string,
  tags: string[],
  setTags: string[],
): Promise<{ tag_id: string; value: string; count: number }[]> {
  if (tags.length === 0 && setTags.length === 0) return [];
  return an.query(
    `SELECT tag_id, value, toUInt32(count()) AS count FROM (
        SELECT tag_id, if(has({sets:Array(String)}, tag_id), arrayJoin(splitByChar(',', value_str)), value_str) AS value
          FROM tag_values WHERE as_of = {as_of:Date} AND tag_id IN {tags:Array(String)})
      GROUP BY tag_id, value ORDER BY tag_id, count DESC, value LIMIT 20 BY tag_id`,
    { as_of: asOf, tags: [...tags, ...setTags], sets: setTags },
  );
}

export interface NumericSummary {
  tag_id: string;
  min: number;
  max: number;
  mean: number;
  quantiles: number[];
  histogram: [number, number, number][];
}

export async function numericSummaries(an: AnalyticsDb, asOf: string, tags: string[]): Promise<NumericSummary[]> {
  if (tags.length === 0) return [];
  return an.query<NumericSummary>(
    `SELECT tag_id, min(value_num) AS min, max(value_num) AS max, avg(value_num) AS mean,
            quantilesExact(0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99)(assumeNotNull(value_num)) AS quantiles,
            histogram(10)(assumeNotNull(value_num)) AS histogram
       FROM tag_values WHERE as_of = {as_of:Date} AND tag_id IN {tags:Array(String)} AND isNotNull(value_num)
      GROUP BY tag_id`,
    { as_of: asOf, tags },
  );
}

export interface RefreshStatRow {
  as_of: string;
  tag_id: string;
  version: number;
  run_id: string;
  refreshed_at: string;
  total: number;
  non_null: number;
  coverage: number;
  distribution: string;
  duration_ms: number;
}

export async function insertRefreshStats(an: AnalyticsDb, rows: RefreshStatRow[]): Promise<void> {
  await an.insert('tag_refresh_stats', rows as unknown as Record<string, unknown>[]);
}

/** The latest statistics of each tag (from the newest snapshot that has them). */
export async function latestStats(an: AnalyticsDb, asOf?: string): Promise<RefreshStatRow[]> {
  const rows = await an.query<RefreshStatRow & { snapshot: string; refreshed: string }>(
    `SELECT toString(as_of) AS snapshot, tag_id, version, run_id, toString(refreshed_at) AS refreshed, total, non_null,
            coverage, distribution, duration_ms
       FROM tag_refresh_stats FINAL
      WHERE as_of = ${asOf ? '{as_of:Date}' : '(SELECT max(as_of) FROM tag_refresh_stats)'}
      ORDER BY tag_id`,
    asOf ? { as_of: asOf } : {},
  );
  return rows.map(({ snapshot, refreshed, ...r }) => ({ ...r, as_of: snapshot, refreshed_at: refreshed }));
}

export async function customerTagValues(
  an: AnalyticsDb,
  asOf: string,
  customerIds: number[],
): Promise<{ tag_id: string; version: number; value_str: string; value_num: number | null }[]> {
  return an.query(
    `SELECT tag_id, version, value_str, value_num FROM tag_values
      WHERE as_of = {as_of:Date} AND customer_id IN {ids:Array(UInt32)} ORDER BY tag_id, customer_id`,
    { as_of: asOf, ids: customerIds },
  );
}

// ---------------------------------------------------------------- index loading

/** Sorted ids of every value of the given tags, delta-encoded to keep the transfer small. */
export async function loadValueSets(
  an: AnalyticsDb,
  asOf: string,
  tag: string,
): Promise<{ value: string; first: number; deltas: number[] }[]> {
  return an.query(
    `SELECT value, ids[1] AS first, arrayPopFront(arrayDifference(ids)) AS deltas FROM (
        SELECT value_str AS value, arraySort(groupArray(customer_id)) AS ids
          FROM tag_values WHERE as_of = {as_of:Date} AND tag_id = {tag:String} GROUP BY value_str)`,
    { as_of: asOf, tag },
  );
}

export async function loadNumeric(
  an: AnalyticsDb,
  asOf: string,
  tag: string,
): Promise<{ ids: number[]; values: number[] }> {
  const rows = await an.query<{ ids: number[]; values: number[] }>(
    `SELECT groupArray(customer_id) AS ids, groupArray(v) AS values FROM (
        SELECT customer_id, assumeNotNull(value_num) AS v FROM tag_values
         WHERE as_of = {as_of:Date} AND tag_id = {tag:String} AND isNotNull(value_num) ORDER BY v, customer_id)`,
    { as_of: asOf, tag },
  );
  return rows[0] ?? { ids: [], values: [] };
}
