/**
 * Generic CSV deduplication: map arbitrary columns to identity roles, run the deterministic and probabilistic
 * passes, and (optionally) score the result against a CSV of true duplicate pairs.
 */
import { readFile } from 'node:fs/promises';
import { type PairwiseMetrics, pairwiseMetricsFromPairs } from '@lingxi/core/identity/cluster';
import { type ResolveOptions, resolveIdentities } from '@lingxi/core/identity/deterministic';
import { type InputRecord, ROLES, type Role, roleSchema } from '@lingxi/core/identity/fellegi-sunter';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

export const dedupeOptionsSchema = z.object({
  csv: z.string().min(1, 'csv: a file path is required'),
  /** "col=role,col=role,…" */
  map: z.string().min(1, 'map: at least one col=role entry is required'),
  /** Column holding the record id; default: "rec_id" or "id" when present, else the 1-based row number. */
  idCol: z.string().min(1).optional(),
  /** CSV of true duplicate pairs (two id columns, optional header). */
  truth: z.string().min(1).optional(),
  threshold: z.coerce
    .number({ error: 'threshold: must be a number' })
    .gt(0, 'threshold: must be > 0')
    .lt(1, 'threshold: must be < 1')
    .default(0.9),
  /** Blocking rules by name (default: chosen from the mapped roles). */
  blocking: z.array(z.string()).optional(),
  /** Random pairs used to estimate u. */
  uSamplePairs: z.number().int().positive().optional(),
  log: z.custom<(line: string) => void>((v) => typeof v === 'function').optional(),
});
export type DedupeOptions = z.input<typeof dedupeOptionsSchema>;

export interface ThresholdReport extends PairwiseMetrics {
  threshold: number;
  entities: number;
}

export interface DedupeReport {
  file: string;
  records: number;
  entities: number;
  threshold: number;
  roles: Record<string, Role>;
  deterministic: { groups: number; linkedRecords: number; linksByResidentId: number; linksBySourceKey: number };
  blockingRules: { name: string; pairs: number; largestBlock: number; skippedBlocks: number }[];
  candidatePairs: number;
  allPairs: number;
  reductionRatio: number;
  reviewPairs: number;
  em: { iterations: number; converged: boolean; lambdaCandidates: number; lambdaGlobal: number };
  uSampledPairs: number;
  clusterGuard: { rejectedByLinkage: number; rejectedByConflict: number };
  timeMs: number;
  timings: Record<string, number>;
  /** Present with --truth: the default threshold first, then a stricter and a looser one. */
  evaluation?: ThresholdReport[];
}

/** Parse "col=role,col=role" against the CSV header; errors name the bad column or role. */
export function parseRoleMap(spec: string, header: readonly string[]): Map<string, Role> {
  const out = new Map<string, Role>();
  const byRole = new Map<Role, string>();
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      throw new Error(`--map: entry "${entry}" must look like column=role`);
    }
    const col = entry.slice(0, eq).trim();
    const roleText = entry.slice(eq + 1).trim();
    const role = roleSchema.safeParse(roleText);
    if (!role.success) {
      throw new Error(`--map: role "${roleText}" (column "${col}") is unknown; roles: ${ROLES.join(', ')}`);
    }
    if (!header.includes(col)) {
      throw new Error(`--map: column "${col}" is not in the CSV header (columns: ${header.join(', ')})`);
    }
    const previous = byRole.get(role.data);
    if (previous !== undefined) {
      throw new Error(`--map: role "${role.data}" is mapped twice (columns "${previous}" and "${col}")`);
    }
    if (out.has(col)) throw new Error(`--map: column "${col}" is mapped twice`);
    byRole.set(role.data, col);
    out.set(col, role.data);
  }
  if (out.size === 0) throw new Error('--map: no col=role entry given');
  return out;
}

const rowsSchema = z.array(z.record(z.string(), z.string()));
const pairRowsSchema = z.array(z.array(z.string()));

function readCsvRecords(text: string, file: string): Record<string, string>[] {
  let parsed: unknown;
  try {
    parsed = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim()),
      ltrim: true,
      rtrim: true,
      skip_empty_lines: true,
      bom: true,
    });
  } catch (err) {
    throw new Error(`${file}: CSV parse error: ${err instanceof Error ? err.message : String(err)}`);
  }
  const rows = rowsSchema.safeParse(parsed);
  if (!rows.success) throw new Error(`${file}: expected rows of text fields`);
  return rows.data;
}

function headerOf(text: string): string[] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const parsed = pairRowsSchema.parse(parse(firstLine, { ltrim: true, rtrim: true }));
  return (parsed[0] ?? []).map((c) => c.trim());
}

/** Read true duplicate pairs as record indices; a first row naming unknown ids is treated as a header. */
function readTruth(text: string, file: string, index: Map<string, number>): [number, number][] {
  const rows = pairRowsSchema.parse(
    parse(text, { ltrim: true, rtrim: true, skip_empty_lines: true, relax_column_count: true, bom: true }),
  );
  const out: [number, number][] = [];
  rows.forEach((row, i) => {
    const a = row[0]?.trim() ?? '';
    const b = row[1]?.trim() ?? '';
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) {
      if (i === 0) return; // header
      const missing = ia === undefined ? a : b;
      throw new Error(`${file}: line ${i + 1}: id "${missing}" is not a record id of the CSV`);
    }
    out.push([ia, ib]);
  });
  return out;
}

/** Run the dedupe end to end (file I/O here; resolution in @lingxi/core). */
export async function runDedupe(options: DedupeOptions): Promise<DedupeReport> {
  const parsedOptions = dedupeOptionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    throw new Error(parsedOptions.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  }
  const o = parsedOptions.data;
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  let text: string;
  try {
    text = await readFile(o.csv, 'utf8');
  } catch (err) {
    throw new Error(`--csv: cannot read ${o.csv}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const header = headerOf(text);
  const roleMap = parseRoleMap(o.map, header);
  let idCol = o.idCol;
  if (idCol !== undefined && !header.includes(idCol)) {
    throw new Error(`--id-col: column "${idCol}" is not in the CSV header (columns: ${header.join(', ')})`);
  }
  if (idCol === undefined) idCol = header.find((h) => h === 'rec_id' || h === 'id');
  const rows = readCsvRecords(text, o.csv);
  log(`identity: read ${rows.length} records from ${o.csv}`);
  const records: InputRecord[] = rows.map((row, i) => {
    const fields: Partial<Record<Role, string>> = {};
    for (const [col, role] of roleMap) {
      const v = row[col];
      if (v !== undefined && v !== '') fields[role] = v;
    }
    return { id: idCol !== undefined ? (row[idCol] ?? String(i + 1)) : String(i + 1), fields };
  });
  const index = new Map<string, number>();
  records.forEach((r, i) => {
    if (index.has(r.id))
      throw new Error(`--id-col: id "${r.id}" appears twice (rows ${(index.get(r.id) ?? 0) + 1}, ${i + 1})`);
    index.set(r.id, i);
  });
  const resolveOptions: ResolveOptions = { threshold: o.threshold };
  if (o.blocking !== undefined) resolveOptions.blockingRules = o.blocking;
  if (o.uSamplePairs !== undefined) resolveOptions.linkage = { uSamplePairs: o.uSamplePairs };
  const result = resolveIdentities(records, resolveOptions);
  log(
    `identity: ${result.pairs.count} candidate pairs, EM ${result.linkage.em.iterations} iterations, ` +
      `${result.clusters.clusterCount} entities`,
  );
  let evaluation: ThresholdReport[] | undefined;
  if (o.truth !== undefined) {
    let truthText: string;
    try {
      truthText = await readFile(o.truth, 'utf8');
    } catch (err) {
      throw new Error(`--truth: cannot read ${o.truth}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const truth = readTruth(truthText, o.truth, index);
    const stricter = 1 - (1 - o.threshold) / 10;
    const looser = Math.max(0.05, 1 - (1 - o.threshold) * 5);
    evaluation = [o.threshold, stricter, looser].map((t) => {
      const c = t === o.threshold ? result.clusters : result.reclusterAt(t);
      return { threshold: t, entities: c.clusterCount, ...pairwiseMetricsFromPairs(c.clusterId, truth) };
    });
  }
  const roles: Record<string, Role> = {};
  for (const [col, role] of roleMap) roles[col] = role;
  const report: DedupeReport = {
    file: o.csv,
    records: records.length,
    entities: result.clusters.clusterCount,
    threshold: o.threshold,
    roles,
    deterministic: {
      groups: result.deterministic.groups,
      linkedRecords: result.deterministic.linkedRecords,
      linksByResidentId: result.deterministic.linksByResidentId,
      linksBySourceKey: result.deterministic.linksBySourceKey,
    },
    blockingRules: result.pairs.perRule,
    candidatePairs: result.pairs.count,
    allPairs: result.pairs.allPairs,
    reductionRatio: result.pairs.reductionRatio,
    reviewPairs: result.reviewPairs,
    em: {
      iterations: result.linkage.em.iterations,
      converged: result.linkage.em.converged,
      lambdaCandidates: result.linkage.lambdaCandidates,
      lambdaGlobal: result.linkage.lambdaGlobal,
    },
    uSampledPairs: result.linkage.u.sampledPairs,
    clusterGuard: {
      rejectedByLinkage: result.clusters.rejectedByLinkage,
      rejectedByConflict: result.clusters.rejectedByConflict,
    },
    timeMs: performance.now() - started,
    timings: { ...result.timings },
  };
  if (evaluation !== undefined) report.evaluation = evaluation;
  return report;
}

/** Human-readable summary lines of a report. */
export function formatDedupeReport(r: DedupeReport): string {
  const lines = [
    `records:          ${r.records}`,
    `entities:         ${r.entities}  (threshold ${r.threshold})`,
    `deterministic:    ${r.deterministic.linkedRecords} records in ${r.deterministic.groups} groups`,
    `candidate pairs:  ${r.candidatePairs} of ${r.allPairs} (reduction ratio ${r.reductionRatio.toFixed(6)})`,
    `review band:      ${r.reviewPairs} pairs`,
    `EM:               ${r.em.iterations} iterations, converged ${r.em.converged}; expected match share of candidates ` +
      `${r.em.lambdaCandidates.toFixed(4)}, P(two random records match) ${r.em.lambdaGlobal.toExponential(3)}`,
    `time:             ${r.timeMs.toFixed(0)} ms`,
  ];
  for (const e of r.evaluation ?? []) {
    lines.push(
      `threshold ${e.threshold.toFixed(4)}: precision ${e.precision.toFixed(4)} recall ${e.recall.toFixed(4)} ` +
        `F1 ${e.f1.toFixed(4)} (entities ${e.entities}, TP ${e.truePositives}/${e.truePairs}, predicted ${e.predictedPairs})`,
    );
  }
  return lines.join('\n');
}
