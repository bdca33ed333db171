/**
 * GBDT benchmark: Lingxi's TypeScript GBDT against XGBoost (`tree_method=hist`, Debian's python3-xgboost via
 * /usr/bin/python3) on the same folds with the same rounds / depth / eta / lambda / min_child_weight / max_bin.
 *
 * - uci: UCI Bank Marketing (bank-additional-full, `duration` dropped as it leaks the outcome), 5-fold stratified
 *   CV; AUC = mean of fold AUCs. XGBoost gets one-hot encoded categoricals (`auc_xgb`, the common setup) and, for
 *   reference, its native partition-based categorical splits (`auc_xgb_native_cat`). Lingxi uses its native
 *   categorical splits.
 * - synthetic_1m: 1,000,000 rows × 20 numeric features (5% missing in two of them), logistic ground truth with
 *   an interaction and a non-linearity, generated deterministically; 80/20 stratified holdout.
 *
 * Times: seconds spent training summed over folds — Lingxi: `train()` including binning; XGBoost: DMatrix
 * construction + `xgb.train` (the quantile sketch happens in the latter). Lingxi is single-threaded;
 * `time_ratio` compares with XGBoost nthread=1, `time_ratio_nthread2` with nthread=2.
 * Env: GBDT_BENCH_ROWS (default 1e6), GBDT_BENCH_ROUNDS (default 100).
 * Prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auc } from '@lingxi/core/eval/metrics';
import { foldSplit, holdoutSplit, stratifiedKFold } from '@lingxi/core/eval/split';
import { type Dataset, subsetRows, subsetVector } from '@lingxi/core/gbdt/dataset';
import { compileModel, predict, predictMarginColumns, resolveColumns } from '@lingxi/core/gbdt/predict';
import { Rng } from '@lingxi/core/gbdt/rng';
import { train } from '@lingxi/core/gbdt/train';
import { tableToDataset } from '@lingxi/core/tabular/infer';
import { parse } from 'csv-parse/sync';

const here = dirname(fileURLToPath(import.meta.url));
const UCI = resolve(here, '../../shared/data/uci-bank-marketing/bank-additional-full.csv');
const PYTHON = '/usr/bin/python3';
const ROUNDS = Number(process.env.GBDT_BENCH_ROUNDS ?? 100);
const SYNTH_ROWS = Number(process.env.GBDT_BENCH_ROWS ?? 1_000_000);
const params = { rounds: ROUNDS, maxDepth: 6, eta: 0.1, lambda: 1, minChildWeight: 1, maxBin: 255, seed: 0 };
const work = mkdtempSync(join(tmpdir(), 'lingxi-gbdt-bench-'));
const log = (m: string) => process.stderr.write(`${m}\n`);
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Dense float32 row-major matrix for XGBoost: numeric columns, then categoricals (one-hot or codes). */
function toMatrix(ds: Dataset, oneHot: boolean): { X: Float32Array; d: number; types: string[] } {
  const types: string[] = ds.numeric.map(() => 'q');
  const cols: ((r: number) => number)[] = ds.numeric.map((c) => (r: number) => c[r] as number);
  ds.categorical.forEach((codes, j) => {
    if (oneHot) {
      (ds.categoricalLevels[j] as string[]).forEach((_, l) => {
        types.push('q');
        cols.push((r) => ((codes[r] as number) < 0 ? Number.NaN : codes[r] === l ? 1 : 0));
      });
    } else {
      types.push('c');
      cols.push((r) => ((codes[r] as number) < 0 ? Number.NaN : (codes[r] as number)));
    }
  });
  const d = cols.length;
  const X = new Float32Array(ds.nRows * d);
  for (let r = 0; r < ds.nRows; r++) for (let c = 0; c < d; c++) X[r * d + c] = (cols[c] as (r: number) => number)(r);
  return { X, d, types };
}

function runXgb(
  name: string,
  variant: string,
  nthread: number,
  n: number,
): { pred: Float32Array; trainS: number; version: string } | null {
  const r = spawnSync(PYTHON, [join(here, 'gbdt_xgb.py'), work, name, variant, String(nthread)], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`xgboost (${name}/${variant}/t${nthread}) failed: ${r.stderr?.slice(-500) ?? r.error?.message}`);
    return null;
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { train_s: number; version: string };
  const buf = readFileSync(join(work, `${name}.${variant}.t${nthread}.pred.f32`));
  const pred = new Float32Array(buf.buffer, buf.byteOffset, n);
  return { pred, trainS: out.train_s, version: out.version };
}

function writeTask(
  name: string,
  ds: Dataset,
  y: Float64Array,
  fold: Int32Array,
  folds: number[],
  oneHot: boolean,
): void {
  const { X, d, types } = toMatrix(ds, oneHot);
  writeFileSync(join(work, `${name}.X.f32`), X);
  writeFileSync(join(work, `${name}.y.f32`), Float32Array.from(y));
  writeFileSync(join(work, `${name}.fold.i32`), fold);
  writeFileSync(
    join(work, `${name}.meta.json`),
    JSON.stringify({ n: ds.nRows, d, feature_types: oneHot ? null : types, folds, params }),
  );
}

/** Mean over test folds of the AUC of predictions `pred` (indexed by row). */
function foldAuc(y: Float64Array, pred: ArrayLike<number>, fold: Int32Array, folds: number[]): number {
  let s = 0;
  for (const f of folds) {
    const { test } = foldSplit(fold, f);
    s += auc(
      subsetVector(y, test),
      Float64Array.from(test, (i) => pred[i] as number),
    );
  }
  return s / folds.length;
}

function lingxi(ds: Dataset, y: Float64Array, fold: Int32Array, folds: number[]): { auc: number; trainS: number } {
  const pred = new Float64Array(ds.nRows);
  let trainS = 0;
  for (const f of folds) {
    const { train: tr, test } = foldSplit(fold, f);
    const dtr = subsetRows(ds, tr);
    const ytr = subsetVector(y, tr);
    const t0 = performance.now();
    const { model } = train(dtr, ytr, params);
    trainS += (performance.now() - t0) / 1000;
    const p = predict(model, subsetRows(ds, test));
    test.forEach((i, k) => {
      pred[i] = p[k] as number;
    });
    log(`  lingxi fold ${f}: ${(trainS).toFixed(1)} s cumulative`);
  }
  return { auc: foldAuc(y, pred, fold, folds), trainS };
}

interface Section {
  [k: string]: number | string | null;
}

function compare(
  name: string,
  ds: Dataset,
  y: Float64Array,
  fold: Int32Array,
  folds: number[],
  withNative: boolean,
): Section {
  log(`${name}: ${ds.nRows} rows, ${ds.numeric.length + ds.categorical.length} features, ${folds.length} test fold(s)`);
  const ours = lingxi(ds, y, fold, folds);
  log(`  lingxi: AUC ${ours.auc.toFixed(4)}, ${ours.trainS.toFixed(2)} s`);
  writeTask(name, ds, y, fold, folds, true);
  const x1 = runXgb(name, 'onehot', 1, ds.nRows);
  const x2 = runXgb(name, 'onehot', 2, ds.nRows);
  const out: Section = {
    rows: ds.nRows,
    auc_lingxi: round4(ours.auc),
    auc_xgb: x1 ? round4(foldAuc(y, x1.pred, fold, folds)) : null,
    auc_diff: null,
    train_s_lingxi: round4(ours.trainS),
    train_s_xgb: x1 ? round4(x1.trainS) : null,
    train_s_xgb_nthread2: x2 ? round4(x2.trainS) : null,
    time_ratio: x1 ? round4(ours.trainS / x1.trainS) : null,
    time_ratio_nthread2: x2 ? round4(ours.trainS / x2.trainS) : null,
  };
  if (out.auc_xgb !== null) out.auc_diff = round4((out.auc_lingxi as number) - (out.auc_xgb as number));
  if (withNative && ds.categorical.length > 0) {
    writeTask(name, ds, y, fold, folds, false);
    const xn = runXgb(name, 'native', 1, ds.nRows);
    out.auc_xgb_native_cat = xn ? round4(foldAuc(y, xn.pred, fold, folds)) : null;
    out.train_s_xgb_native_cat = xn ? round4(xn.trainS) : null;
  }
  if (x1) out.xgboost_version = x1.version;
  log(`  xgboost: AUC ${out.auc_xgb}, ${out.train_s_xgb} s (nthread=1), ${out.train_s_xgb_nthread2} s (nthread=2)`);
  return out;
}

function uci(): Section | { skipped: string } {
  if (!existsSync(UCI)) return { skipped: `${UCI} absent` };
  const recs = parse(readFileSync(UCI), { delimiter: ';' }) as string[][];
  const header = recs[0] as string[];
  const rows = recs.slice(1);
  const yi = header.indexOf('y');
  const { dataset } = tableToDataset(header, rows, { exclude: new Set(['y', 'duration']) });
  const y = Float64Array.from(rows, (r) => (r[yi] === 'yes' ? 1 : 0));
  const fold = stratifiedKFold(y, 5, 42);
  return compare('uci', dataset, y, fold, [0, 1, 2, 3, 4], true);
}

function synthetic(n: number): { section: Section; scoring: number } {
  const rng = new Rng(20240601);
  const d = 20;
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const beta = [0.8, -0.6, 0.5, -0.4, 0.3, 0.25, -0.2, 0.15, 0.1, -0.1];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = -1;
    for (let j = 0; j < d; j++) (cols[j] as Float64Array)[i] = rng.normal();
    for (let j = 0; j < beta.length; j++) z += (beta[j] as number) * ((cols[j] as Float64Array)[i] as number);
    const a = (cols[10] as Float64Array)[i] as number;
    const b = (cols[11] as Float64Array)[i] as number;
    z += 0.5 * a * b + Math.sin(2 * ((cols[12] as Float64Array)[i] as number));
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    if (rng.next() < 0.05) (cols[0] as Float64Array)[i] = Number.NaN;
    if (rng.next() < 0.05) (cols[10] as Float64Array)[i] = Number.NaN;
  }
  const ds: Dataset = {
    nRows: n,
    numeric: cols,
    numericNames: cols.map((_, j) => `x${j}`),
    categorical: [],
    categoricalNames: [],
    categoricalLevels: [],
  };
  const split = holdoutSplit(y, 0.2, 7);
  const fold = new Int32Array(n).fill(1);
  for (const i of split.test) fold[i] = 0;
  const section = compare('synthetic', ds, y, fold, [0], false);

  // scoring throughput: the full-size model on the holdout rows (columns resolved once, as a batch scorer does)
  const { model } = train(
    subsetRows(ds, split.train.subarray(0, Math.min(split.train.length, 200_000))),
    subsetVector(y, split.train.subarray(0, Math.min(split.train.length, 200_000))),
    params,
  );
  const cm = compileModel(model);
  const test = subsetRows(ds, split.test);
  const c = resolveColumns(cm, test);
  predictMarginColumns(cm, c, Math.min(test.nRows, 10_000)); // warm-up
  const t0 = performance.now();
  predictMarginColumns(cm, c, test.nRows);
  const scoring = test.nRows / ((performance.now() - t0) / 1000);
  return { section, scoring };
}

try {
  const u = uci();
  const s = synthetic(SYNTH_ROWS);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'gbdt',
      params,
      threads_lingxi: 1,
      uci: u,
      synthetic_1m: { ...s.section, score_rows_per_s_lingxi: Math.round(s.scoring), score_trees: params.rounds },
    })}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
