import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { expectedCalibrationError, reliabilityBins } from '@lingxi/core/eval/calibration';
import {
  alift,
  auc,
  averagePrecision,
  liftAtTop,
  logLoss,
  mae,
  meanSd,
  precisionAtTop,
  r2,
  rmse,
} from '@lingxi/core/eval/metrics';
import { psi } from '@lingxi/core/eval/psi';
import { foldSplit, holdoutSplit, kFold, stratifiedKFold } from '@lingxi/core/eval/split';
import { type Dataset, subsetRows, subsetVector } from '@lingxi/core/gbdt/dataset';
import { featureImportance, type GbdtModel, serializeModel, type TrainParams } from '@lingxi/core/gbdt/model';
import { predict } from '@lingxi/core/gbdt/predict';
import { train } from '@lingxi/core/gbdt/train';
import {
  type ColumnInfo,
  inferColumn,
  isMissingCell,
  parseNumberCell,
  tableToDataset,
} from '@lingxi/core/tabular/infer';
import { parse } from 'csv-parse';
import { z } from 'zod';

/**
 * `lingxi model train --csv …`: trains the GBDT on any CSV and reports cross-validated and holdout quality.
 *
 * Protocol: stratified k-fold CV over all usable rows (binary; plain k-fold for regression) estimates the quality
 * of the procedure; separately a stratified 20% holdout is set aside, the model is trained on the other 80%,
 * evaluated on the holdout, and that model is the one written with `--out` (so the holdout metrics describe the
 * exact model on disk). Rows whose target is missing are skipped.
 *
 * Task: binary when `--positive` is given, or when the target has exactly two values (positive = a conventional
 * positive token such as yes/1/true, else the minority value); regression when the target is numeric with more
 * than 10 distinct values and no `--positive`; anything else is an error asking for `--positive`.
 */

export const trainCsvOptionsSchema = z
  .object({
    csv: z.string().min(1, 'path required'),
    target: z.string().min(1, 'column name required'),
    positive: z.string().optional(),
    sep: z.string().length(1, 'must be a single character').default(','),
    drop: z.array(z.string().min(1)).default([]),
    folds: z.number().int().min(2).max(20).default(5),
    seed: z.number().int().default(42),
    rounds: z.number().int().min(1).max(10_000).default(300),
    depth: z.number().int().min(1).max(16).default(5),
    eta: z.number().gt(0).max(1).default(0.05),
    holdout: z.number().gt(0).lt(1).default(0.2),
    out: z.string().min(1).optional(),
  })
  .strict();

export type TrainCsvOptions = z.input<typeof trainCsvOptionsSchema>;

export class TrainCsvError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'TrainCsvError';
  }
}

export interface SkippedRow {
  line: number;
  reason: string;
}

export interface MetricSummary {
  mean: number;
  sd: number;
  folds: number[];
}

export interface TrainCsvResult {
  file: string;
  task: 'binary' | 'regression';
  target: string;
  positive: string | null;
  positiveRate: number | null;
  rows: number;
  skippedRows: number;
  skipped: SkippedRow[];
  features: { name: string; kind: ColumnInfo['kind']; missing: number; distinct: number }[];
  dropped: { name: string; reason: string }[];
  params: TrainParams;
  cv: { folds: number; stratified: boolean; metrics: Record<string, MetricSummary> };
  holdout: {
    fraction: number;
    trainRows: number;
    testRows: number;
    metrics: Record<string, number>;
    calibration?: {
      ece: number;
      bins: { lower: number; upper: number; count: number; meanPredicted: number; fractionPositive: number }[];
    };
    /** PSI of holdout scores against training scores (drift / overfitting indicator) */
    psiScores: number;
  };
  topFeatures: { name: string; gain: number; gainShare: number; splits: number }[];
  modelPath: string | null;
  trees: number;
}

type Log = (msg: string) => void;

const POSITIVE_TOKENS = ['1', 'yes', 'y', 'true', 't', 'positive', 'pos'];
const MAX_REPORTED_SKIPS = 50;

interface RawTable {
  header: string[];
  rows: string[][];
  lines: number[];
  skipped: SkippedRow[];
  skippedCount: number;
}

function isParsedItem(x: unknown): x is { record: string[]; info: { lines: number } } {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as { record?: unknown; info?: { lines?: unknown } };
  return Array.isArray(o.record) && typeof o.info?.lines === 'number';
}

/** Streams the CSV; rows with the wrong number of fields or unparsable quoting are reported and skipped. */
export async function readCsv(path: string, sep: string, log: Log): Promise<RawTable> {
  const skipped: SkippedRow[] = [];
  let skippedCount = 0;
  const skip = (line: number, reason: string) => {
    skippedCount++;
    if (skipped.length < MAX_REPORTED_SKIPS) skipped.push({ line, reason });
    if (skippedCount <= 10) log(`warning: line ${line} skipped: ${reason}`);
  };
  const parser = parse({
    delimiter: sep,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const line = err && typeof err.lines === 'number' ? err.lines : -1;
      skip(line, err?.message ?? 'unparsable record');
      return undefined;
    },
  });
  const stream = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new TrainCsvError(
      '--csv',
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  stream.pipe(parser);
  let header: string[] | null = null;
  const rows: string[][] = [];
  const lines: number[] = [];
  for await (const item of parser) {
    if (!isParsedItem(item)) continue;
    const { record, info } = item;
    if (!header) {
      header = record.map((h) => h.trim());
      continue;
    }
    if (record.length !== header.length) {
      skip(info.lines, `expected ${header.length} fields, got ${record.length}`);
      continue;
    }
    rows.push(record);
    lines.push(info.lines);
  }
  if (!header) throw new TrainCsvError('--csv', `${path} is empty (no header row)`);
  if (skippedCount > 10) log(`warning: ${skippedCount} lines skipped in total`);
  return { header, rows, lines, skipped, skippedCount };
}

interface TargetSpec {
  task: 'binary' | 'regression';
  positive: string | null;
  label: Float64Array;
  keep: number[];
}

function resolveTarget(table: RawTable, target: string, positive: string | undefined, log: Log): TargetSpec {
  const ti = table.header.indexOf(target);
  if (ti < 0) {
    throw new TrainCsvError('--target', `column "${target}" not found; available columns: ${table.header.join(', ')}`);
  }
  const keep: number[] = [];
  const values: string[] = [];
  table.rows.forEach((r, i) => {
    const v = r[ti] as string;
    if (isMissingCell(v)) return;
    keep.push(i);
    values.push(v.trim());
  });
  if (values.length < table.rows.length)
    log(`warning: ${table.rows.length - values.length} rows with a missing target skipped`);
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size === 0) throw new TrainCsvError('--target', `column "${target}" has no non-missing values`);
  if (counts.size === 1) {
    throw new TrainCsvError('--target', `column "${target}" is constant ("${values[0]}"); nothing to learn`);
  }
  const listValues = () =>
    [...counts.keys()]
      .slice(0, 20)
      .map((v) => `"${v}"`)
      .join(', ') + (counts.size > 20 ? `, … (${counts.size} distinct)` : '');
  if (positive !== undefined) {
    const pos = positive.trim();
    if (!counts.has(pos)) {
      throw new TrainCsvError(
        '--positive',
        `value "${positive}" does not occur in column "${target}"; values: ${listValues()}`,
      );
    }
    return { task: 'binary', positive: pos, label: Float64Array.from(values, (v) => (v === pos ? 1 : 0)), keep };
  }
  const info = inferColumn(target, values);
  if (info.kind === 'numeric' && counts.size > 10) {
    return {
      task: 'regression',
      positive: null,
      label: Float64Array.from(values, (v) => parseNumberCell(v, info.decimalComma) ?? Number.NaN),
      keep,
    };
  }
  if (counts.size === 2) {
    const [a, b] = [...counts.keys()] as [string, string];
    let pos = POSITIVE_TOKENS.includes(a.toLowerCase()) ? a : POSITIVE_TOKENS.includes(b.toLowerCase()) ? b : null;
    if (pos === null) {
      const ca = counts.get(a) as number;
      const cb = counts.get(b) as number;
      pos = ca < cb || (ca === cb && a > b) ? a : b;
    }
    log(`target "${target}": binary, positive class "${pos}" (pass --positive to choose)`);
    return { task: 'binary', positive: pos, label: Float64Array.from(values, (v) => (v === pos ? 1 : 0)), keep };
  }
  throw new TrainCsvError(
    '--positive',
    `column "${target}" has ${counts.size} distinct values (${listValues()}); pass --positive <value> for a one-vs-rest binary model` +
      (info.kind === 'numeric' ? ' (numeric targets with more than 10 distinct values are treated as regression)' : ''),
  );
}

function binaryMetrics(y: Float64Array, p: Float64Array): Record<string, number> {
  return {
    auc: auc(y, p),
    prAuc: averagePrecision(y, p),
    logLoss: logLoss(y, p),
    precisionAt10: precisionAtTop(y, p, 0.1),
    liftAt10: liftAtTop(y, p, 0.1),
    alift: alift(y, p),
  };
}

function regressionMetrics(y: Float64Array, p: Float64Array): Record<string, number> {
  return { rmse: rmse(y, p), mae: mae(y, p), r2: r2(y, p) };
}

function cvFold(
  ds: Dataset,
  y: Float64Array,
  test: ArrayLike<number>,
  trainIdx: ArrayLike<number>,
  params: TrainParams,
): { model: GbdtModel; pTest: Float64Array; pTrain: Float64Array } {
  const dtr = subsetRows(ds, trainIdx);
  const { model } = train(dtr, subsetVector(y, trainIdx), params);
  return { model, pTest: predict(model, subsetRows(ds, test)), pTrain: predict(model, dtr) };
}

/** Runs the whole `model train` flow; throws TrainCsvError (field + reason) on bad input. */
export async function runTrainCsv(input: TrainCsvOptions, log: Log = () => {}): Promise<TrainCsvResult> {
  const parsed = trainCsvOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrainCsvError(`--${String(issue?.path[0] ?? 'options')}`, issue?.message ?? 'invalid');
  }
  const opts = parsed.data;
  const table = await readCsv(opts.csv, opts.sep, log);
  if (table.header.length === 1 && opts.sep === ',' && table.header[0]?.includes(';')) {
    log('hint: the header contains ";" — pass --sep ";"');
  }
  const spec = resolveTarget(table, opts.target, opts.positive, log);
  for (const d of opts.drop) {
    if (!table.header.includes(d)) {
      throw new TrainCsvError('--drop', `column "${d}" not found; available columns: ${table.header.join(', ')}`);
    }
  }
  const rows = spec.keep.map((i) => table.rows[i] as string[]);
  const exclude = new Set([opts.target, ...opts.drop]);
  const dropped = opts.drop.map((name) => ({ name, reason: '--drop' }));
  const kinds = new Map<string, ColumnInfo>();
  table.header.forEach((name, j) => {
    if (exclude.has(name)) return;
    const info = inferColumn(
      name,
      rows.map((r) => r[j] as string),
    );
    if (info.likelyIdentifier) {
      exclude.add(name);
      dropped.push({ name, reason: 'identifier-like (almost all values distinct)' });
      log(`warning: column "${name}" dropped: almost all values are distinct (an identifier?)`);
    } else if (info.missing === rows.length) {
      exclude.add(name);
      dropped.push({ name, reason: 'all values missing' });
    } else kinds.set(name, info);
  });
  const { dataset, columns } = tableToDataset(table.header, rows, { exclude, kinds });
  if (columns.length === 0) throw new TrainCsvError('--drop', 'no feature columns left to train on');
  const y = spec.label;
  const n = y.length;
  const binary = spec.task === 'binary';
  if (n < opts.folds * 2) throw new TrainCsvError('--csv', `only ${n} usable rows; need at least ${opts.folds * 2}`);
  let positiveRate: number | null = null;
  if (binary) {
    const pos = y.reduce((a, b) => a + b, 0);
    positiveRate = pos / n;
    if (pos < opts.folds || n - pos < opts.folds) {
      throw new TrainCsvError(
        '--folds',
        `each class needs at least ${opts.folds} rows for ${opts.folds}-fold CV (positives: ${pos}, negatives: ${n - pos})`,
      );
    }
  }
  const params: TrainParams = {
    objective: binary ? 'binary:logistic' : 'reg:squarederror',
    rounds: opts.rounds,
    eta: opts.eta,
    maxDepth: opts.depth,
    maxLeaves: 0,
    minChildWeight: 1,
    lambda: 1,
    gamma: 0,
    subsample: 1,
    colsampleBytree: 1,
    scalePosWeight: 1,
    maxBin: 255,
    catSmooth: 10,
    seed: opts.seed,
  };
  log(
    `${n} rows, ${columns.length} features (${dataset.numeric.length} numeric, ${dataset.categorical.length} categorical), ` +
      `task ${spec.task}${binary ? `, positive rate ${((positiveRate ?? 0) * 100).toFixed(1)}%` : ''}`,
  );

  const metricsOf = binary ? binaryMetrics : regressionMetrics;
  const fold = binary ? stratifiedKFold(y, opts.folds, opts.seed) : kFold(n, opts.folds, opts.seed);
  const perFold: Record<string, number>[] = [];
  for (let k = 0; k < opts.folds; k++) {
    const t0 = performance.now();
    const { train: tr, test } = foldSplit(fold, k);
    const { pTest } = cvFold(dataset, y, test, tr, params);
    const m = metricsOf(subsetVector(y, test), pTest);
    perFold.push(m);
    const head = binary ? `AUC ${m.auc?.toFixed(4)}` : `RMSE ${m.rmse?.toPrecision(5)}`;
    log(`fold ${k + 1}/${opts.folds}: ${head} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const cvMetrics: Record<string, MetricSummary> = {};
  for (const key of Object.keys(perFold[0] ?? {})) {
    const vals = perFold.map((m) => m[key] as number);
    cvMetrics[key] = { ...meanSd(vals), folds: vals };
  }

  const split = holdoutSplit(binary ? y : n, opts.holdout, opts.seed + 1);
  const { model, pTest, pTrain } = cvFold(dataset, y, split.test, split.train, params);
  const yTest = subsetVector(y, split.test);
  const holdout: TrainCsvResult['holdout'] = {
    fraction: opts.holdout,
    trainRows: split.train.length,
    testRows: split.test.length,
    metrics: metricsOf(yTest, pTest),
    psiScores: psi(pTrain, pTest).psi,
  };
  if (binary) {
    holdout.calibration = { ece: expectedCalibrationError(yTest, pTest), bins: reliabilityBins(yTest, pTest, 10) };
  }
  const imp = featureImportance(model);
  const totalGain = imp.reduce((a, f) => a + f.gain, 0);
  const topFeatures = imp
    .slice(0, 15)
    .map((f) => ({ name: f.name, gain: f.gain, gainShare: totalGain > 0 ? f.gain / totalGain : 0, splits: f.splits }));

  let modelPath: string | null = null;
  if (opts.out) {
    try {
      await writeFile(opts.out, serializeModel(model));
    } catch (e) {
      throw new TrainCsvError(
        '--out',
        `cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    modelPath = opts.out;
    log(`model written to ${opts.out}`);
  }
  return {
    file: opts.csv,
    task: spec.task,
    target: opts.target,
    positive: spec.positive,
    positiveRate,
    rows: n,
    skippedRows: table.skippedCount,
    skipped: table.skipped,
    features: columns.map((c) => ({ name: c.name, kind: c.kind, missing: c.missing, distinct: c.distinct })),
    dropped,
    params,
    cv: { folds: opts.folds, stratified: binary, metrics: cvMetrics },
    holdout,
    topFeatures,
    modelPath,
    trees: model.trees.length,
  };
}

const LABELS: Record<string, string> = {
  auc: 'ROC AUC',
  prAuc: 'PR AUC (AP)',
  logLoss: 'log loss',
  precisionAt10: 'precision@10%',
  liftAt10: 'lift@10%',
  alift: 'ALIFT',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
};

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4)) : 'n/a');

/** Human-readable report (the non-`--json` output). */
export function formatTrainCsvReport(r: TrainCsvResult): string {
  const out: string[] = [];
  const nNum = r.features.filter((f) => f.kind === 'numeric').length;
  out.push(`File      ${r.file}`);
  out.push(
    `Rows      ${r.rows} used, ${r.skippedRows} skipped; ${r.features.length} features (${nNum} numeric, ${r.features.length - nNum} categorical)`,
  );
  if (r.dropped.length > 0) out.push(`Dropped   ${r.dropped.map((d) => `${d.name} (${d.reason})`).join(', ')}`);
  out.push(
    r.task === 'binary'
      ? `Target    ${r.target} = "${r.positive}" (binary, positive rate ${((r.positiveRate ?? 0) * 100).toFixed(2)}%)`
      : `Target    ${r.target} (regression)`,
  );
  out.push(
    `Params    rounds ${r.params.rounds}, depth ${r.params.maxDepth}, eta ${r.params.eta}, seed ${r.params.seed}`,
  );
  out.push('');
  out.push(`${r.cv.folds}-fold ${r.cv.stratified ? 'stratified ' : ''}cross-validation`);
  out.push(`  ${'metric'.padEnd(16)}${'mean'.padStart(10)}${'± sd'.padStart(10)}`);
  for (const [k, m] of Object.entries(r.cv.metrics)) {
    out.push(`  ${(LABELS[k] ?? k).padEnd(16)}${fmt(m.mean).padStart(10)}${fmt(m.sd).padStart(10)}`);
  }
  out.push('');
  out.push(
    `Holdout (${Math.round(r.holdout.fraction * 100)}%, ${r.holdout.testRows} rows; model trained on ${r.holdout.trainRows} rows)`,
  );
  for (const [k, v] of Object.entries(r.holdout.metrics))
    out.push(`  ${(LABELS[k] ?? k).padEnd(16)}${fmt(v).padStart(10)}`);
  if (r.holdout.calibration)
    out.push(`  ${'calibration ECE'.padEnd(16)}${fmt(r.holdout.calibration.ece).padStart(10)}`);
  out.push(`  ${'score PSI'.padEnd(16)}${fmt(r.holdout.psiScores).padStart(10)}`);
  out.push('');
  out.push('Top features by gain');
  out.push(`  ${'#'.padStart(3)}  ${'feature'.padEnd(24)}${'gain %'.padStart(8)}${'splits'.padStart(8)}`);
  r.topFeatures.forEach((f, i) => {
    out.push(
      `  ${String(i + 1).padStart(3)}  ${f.name.padEnd(24)}${(f.gainShare * 100).toFixed(1).padStart(8)}${String(f.splits).padStart(8)}`,
    );
  });
  if (r.modelPath) {
    out.push('');
    out.push(`Model     ${r.modelPath} (${r.trees} trees)`);
  }
  return out.join('\n');
}
