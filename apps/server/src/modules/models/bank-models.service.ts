/**
 * Bank models: churn (90-day horizon), propensity per product family, LTV — trained on tag snapshots with a time-based
 * split, registered with metrics and curves, promoted by a documented rule, scored daily with per-customer reasons,
 * and monitored for drift.
 *
 * Protocol (see docs/models.md): for scoring date T, training features are the tag snapshot of A = T − 90 and labels
 * are observed in (A, T] from facts; `assertTimeSplit` refuses anything else. Scoring uses the snapshot of T.
 * Promotion: a candidate becomes active when there is no active version, or when its primary holdout metric (AUC;
 * R² for LTV) is at least the active version's on the *same* holdout rows (newer data wins ties).
 */
import { expectedCalibrationError, reliabilityBins } from '@lingxi/core/eval/calibration';
import {
  auc,
  averagePrecision,
  liftAtTop,
  logLoss,
  mae,
  precisionAtTop,
  r2,
  recallAtTop,
  rmse,
  rocCurve,
} from '@lingxi/core/eval/metrics';
import { holdoutSplit } from '@lingxi/core/eval/split';
import { type Dataset, subsetRows, subsetVector } from '@lingxi/core/gbdt/dataset';
import { featureImportance, type GbdtModel, loadModel, type TrainParamsInput } from '@lingxi/core/gbdt/model';
import { compileModel, predict } from '@lingxi/core/gbdt/predict';
import { shapValues } from '@lingxi/core/gbdt/shap';
import { train } from '@lingxi/core/gbdt/train';
import {
  addDays,
  assertNoLeakyFeatures,
  assertTimeSplit,
  buildDataset,
  classifyTags,
  type FeatureSpec,
  fitFeatureSpec,
  selectCustomers,
  type TagMatrix,
  type TagUsability,
  type TagValue,
  type TimeSplit,
  timeSplit,
} from '@lingxi/core/models/features';
import {
  annualisedRevenueYuan,
  boughtInWindow,
  type ChurnFacts,
  churnEligible,
  churnLabel,
  linearOutstandingFen,
  type ModelKind,
  modelKey,
} from '@lingxi/core/models/labels';
import {
  type BandCutoffs,
  bandCutoffs,
  bandOf,
  categoricalReference,
  histogram,
  numericReference,
  PSI_WARNING,
  type PsiReference,
  psiAgainst,
  psiReferenceSchema,
} from '@lingxi/core/models/monitoring';
import { explain, REASON_RULES, type StoredReasons, toStoredReasons } from '@lingxi/core/models/reasons';
import type { TagDefinition } from '@lingxi/core/tags/dsl';
import { Cron } from 'croner';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { loadCatalogue, localToday, refreshTags } from '../tags/tags.service.ts';
import * as repo from './models.repo.ts';

type Ctx = Pick<AppContext, 'config' | 'stores' | 'logger'>;

export const HORIZON_DAYS = 90;
export const WINDOW_STEP_DAYS = 30;
const SCORE_FEATURE = '__score__';

export const DEFAULT_PARAMS: TrainParamsInput = {
  rounds: 400,
  eta: 0.05,
  maxDepth: 4,
  minChildWeight: 5,
  lambda: 1,
  subsample: 0.8,
  colsampleBytree: 0.8,
  earlyStoppingRounds: 40,
  seed: 42,
};

export const trainBankOptionsSchema = z
  .object({
    kind: z.enum(['churn', 'propensity', 'ltv']),
    family: z.string().optional(),
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
      .optional(),
    seed: z.number().int().optional(),
    holdout: z.number().gt(0).lt(1).default(0.25),
    params: z.record(z.string(), z.unknown()).optional(),
    /** score all customers at T afterwards with the active version (default true) */
    score: z.boolean().default(true),
    /** training windows stacked (window 0: features T − 90; each further one 30 days earlier) */
    windows: z.number().int().min(1).max(6).default(3),
  })
  .strict();
export type TrainBankOptions = z.input<typeof trainBankOptionsSchema>;

export class ModelInputError extends Error {
  override name = 'ModelInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function modelName(kind: ModelKind, family: string | null): { zh: string; en: string } {
  const fam: Record<string, [string, string]> = {
    deposit: ['存款', 'deposit'],
    wealth: ['理财', 'wealth'],
    fund: ['基金', 'fund'],
    insurance: ['保险', 'insurance'],
    consumer_loan: ['消费贷', 'consumer loan'],
    credit_card: ['信用卡', 'credit card'],
    mortgage: ['房贷', 'mortgage'],
  };
  if (kind === 'churn') return { zh: '流失预警(90天)', en: 'Churn risk (90 days)' };
  if (kind === 'ltv') return { zh: '客户价值(LTV)', en: 'Customer lifetime value' };
  const f = fam[family ?? ''] ?? [family ?? '', family ?? ''];
  return { zh: `${f[0]}购买倾向`, en: `Propensity: ${f[1]}` };
}

// ------------------------------------------------------------------------------------------------ stored JSON shapes

const featureColumnSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('numeric'), name: z.string(), tag: z.string() }),
  z.object({ kind: z.literal('boolean'), name: z.string(), tag: z.string() }),
  z.object({ kind: z.literal('categorical'), name: z.string(), tag: z.string(), levels: z.array(z.string()) }),
  z.object({ kind: z.literal('set_member'), name: z.string(), tag: z.string(), level: z.string() }),
]);
const featureSpecSchema = z.object({
  columns: z.array(featureColumnSchema),
  excluded: z.array(
    z.object({
      tag: z.string(),
      reason: z.enum([
        'model_output',
        'label_definition',
        'future_window',
        'mutable_state',
        'unbounded_dimension',
        'unbounded_history',
        'not_a_feature',
      ]),
      detail: z.string(),
    }),
  ),
});
const referenceSchema = z.record(z.string(), psiReferenceSchema);
const paramsSchema = z
  .object({
    objective: z.enum(['binary:logistic', 'reg:squarederror']),
    horizonDays: z.number(),
    featureAsOf: z.string(),
    labelFrom: z.string(),
    labelTo: z.string(),
    bands: z.object({ medium: z.number(), high: z.number() }),
    target: z.string(),
  })
  .passthrough();
const curvesSchema = z.object({
  roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
  lift: z.array(z.object({ decile: z.number(), lift: z.number(), responseRate: z.number(), captured: z.number() })),
  calibration: z.array(
    z.object({
      lower: z.number(),
      upper: z.number(),
      count: z.number(),
      meanPredicted: z.number().nullable(),
      fractionPositive: z.number().nullable(),
    }),
  ),
  scoreHistogram: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number() })),
});
const importanceSchema = z.array(z.object({ feature: z.string(), gain: z.number(), splits: z.number() }));
const metricsSchema = z.record(z.string(), z.unknown());

export type ModelParams = z.infer<typeof paramsSchema>;

// ------------------------------------------------------------------------------------------------ helpers

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Makes sure the tag snapshot of a date exists (runs the tag refresh for that date when it does not). */
export async function ensureSnapshot(ctx: Ctx, asOf: string): Promise<void> {
  if ((await repo.snapshotRows(ctx.stores.an, asOf)) > 0) return;
  ctx.logger.info({ asOf }, 'models: refreshing tags for a missing snapshot');
  await refreshTags(ctx, { asOf, rebuildIndex: false });
}

function catalogueInfo(ctx: Ctx): { defs: TagDefinition[]; usability: Map<string, TagUsability> } {
  const cat = loadCatalogue(ctx.config.timezone);
  return { defs: cat.defs, usability: classifyTags(cat.compiled) };
}

/** Loads the given tags of a snapshot as a matrix over `ids` (values aligned with `ids`). */
export async function loadTagMatrix(
  ctx: Ctx,
  asOf: string,
  ids: number[],
  defs: readonly TagDefinition[],
  tags: ReadonlySet<string>,
): Promise<TagMatrix> {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const wanted = [...tags].filter((t) => byId.has(t));
  const numericTags = wanted.filter((t) => byId.get(t)?.value_type === 'number');
  const stringTags = wanted.filter((t) => byId.get(t)?.value_type !== 'number');
  const pos = new Map(ids.map((id, i) => [id, i]));
  const columns = new Map<string, TagValue[]>();
  for (const t of wanted) columns.set(t, new Array<TagValue>(ids.length).fill(null));
  for (const r of await repo.numericTagColumns(ctx.stores.an, asOf, numericTags)) {
    const col = columns.get(r.tag_id);
    if (!col) continue;
    r.ids.forEach((id, k) => {
      const p = pos.get(Number(id));
      if (p !== undefined) col[p] = Number(r.nums?.[k]);
    });
  }
  for (const r of await repo.stringTagColumns(ctx.stores.an, asOf, stringTags)) {
    const col = columns.get(r.tag_id);
    const def = byId.get(r.tag_id);
    if (!col || !def) continue;
    r.ids.forEach((id, k) => {
      const p = pos.get(Number(id));
      if (p === undefined) return;
      const s = r.strs?.[k] ?? '';
      col[p] =
        def.value_type === 'boolean'
          ? s === 'true'
          : def.value_type === 'set'
            ? s === ''
              ? []
              : s.split(',')
            : s === ''
              ? null
              : s;
    });
  }
  return { asOf, customerIds: ids, columns };
}

/** Churn facts of every customer for feature date a and label end h. */
async function churnFacts(ctx: Ctx, a: string, h: string): Promise<ChurnFacts[]> {
  const an = ctx.stores.an;
  const [ids, snapA, snapH] = await Promise.all([
    repo.customerIds(an),
    repo.snapshotDateAtOrBefore(an, a),
    repo.snapshotDateAtOrBefore(an, h),
  ]);
  const aumA = snapA ? await repo.aumAt(an, snapA) : new Map<number, number>();
  const aumH = snapH ? await repo.aumAt(an, snapH) : new Map<number, number>();
  const act = await repo.lastActivity(an, ctx.config.timezone, a, h);
  const acc = await repo.accountCounts(an, h);
  return ids.map((id) => ({
    customerId: id,
    aumStartFen: aumA.get(id) ?? 0,
    lastActivityAtStart: act.get(id)?.atA ?? null,
    aumEndFen: aumH.get(id) ?? 0,
    lastActivityAtEnd: act.get(id)?.atH ?? null,
    accountsOpened: acc.get(id)?.opened ?? 0,
    accountsClosed: acc.get(id)?.closed ?? 0,
  }));
}

interface Labelled {
  ids: number[];
  y: Float64Array;
  target: string;
}

/** Population at A and labels from facts in (A, H]. */
export async function labelsFor(
  ctx: Ctx,
  kind: ModelKind,
  family: string | null,
  a: string,
  h: string,
): Promise<Labelled> {
  const an = ctx.stores.an;
  const tz = ctx.config.timezone;
  if (kind === 'churn') {
    const facts = await churnFacts(ctx, a, h);
    const ids: number[] = [];
    const y: number[] = [];
    for (const f of facts) {
      const l = churnLabel(f, a, h);
      if (l === null) continue;
      ids.push(f.customerId);
      y.push(l);
    }
    return {
      ids,
      y: Float64Array.from(y),
      target: 'churned within 90 days (accounts closed, or AUM < ¥100 and 30 days inactive)',
    };
  }
  if (kind === 'propensity') {
    const fam = family ?? '';
    const exist = await repo.existingCustomers(an, tz, a);
    const ups = await repo.takeUps(an, tz, fam, a, h);
    const ids = [...exist].sort((p, q) => p - q);
    const y = Float64Array.from(ids, (id) => boughtInWindow(ups.get(id) ?? [], a, h));
    return { ids, y, target: `took up a ${fam} product within 90 days` };
  }
  // LTV: the churn population, target = annualised revenue proxy of the window.
  const facts = await churnFacts(ctx, a, h);
  const ids = facts.filter((f) => churnEligible(f, a)).map((f) => f.customerId);
  const y = await revenueTarget(ctx, ids, a, h);
  return { ids, y, target: 'annualised revenue proxy of the next 90 days (yuan)' };
}

async function revenueTarget(ctx: Ctx, ids: number[], a: string, h: string): Promise<Float64Array> {
  const an = ctx.stores.an;
  const dates = await repo.snapshotDatesBetween(an, a, h);
  const aumSum = new Map<number, number>();
  for (const d of dates) for (const [id, v] of await repo.aumAt(an, d)) aumSum.set(id, (aumSum.get(id) ?? 0) + v);
  const tx = new Map(
    (await repo.feesAndCardSpend(an, ctx.config.timezone, a, h)).map((r) => [Number(r.customer_id), r]),
  );
  const loanSum = new Map<number, number>();
  const loans = await repo.loans(an);
  for (const l of loans)
    for (const d of dates) {
      const o = linearOutstandingFen(Number(l.principal_fen), l.disbursed_at, l.maturity_date, d);
      if (o > 0) loanSum.set(Number(l.customer_id), (loanSum.get(Number(l.customer_id)) ?? 0) + o);
    }
  const n = Math.max(1, dates.length);
  const days = HORIZON_DAYS;
  return Float64Array.from(ids, (id) =>
    annualisedRevenueYuan(
      {
        avgAumFen: (aumSum.get(id) ?? 0) / n,
        feesFen: Number(tx.get(id)?.fees ?? 0),
        cardSpendFen: Number(tx.get(id)?.card_spend ?? 0),
        avgLoanFen: (loanSum.get(id) ?? 0) / n,
      },
      days,
    ),
  );
}

/** The population scored at date T (the same definition as the training population at A). */
async function scoringPopulation(ctx: Ctx, kind: ModelKind, asOf: string): Promise<number[]> {
  if (kind === 'propensity')
    return [...(await repo.existingCustomers(ctx.stores.an, ctx.config.timezone, asOf))].sort((p, q) => p - q);
  const facts = await churnFacts(ctx, asOf, asOf);
  return facts.filter((f) => churnEligible(f, asOf)).map((f) => f.customerId);
}

function reasonTags(): Set<string> {
  const s = new Set<string>(['value.aum', 'app.last_login_days_ago', 'hist.days_since_last_activity']);
  for (const r of REASON_RULES) for (const t of r.tags) s.add(t);
  return s;
}

function primaryMetric(objective: 'binary:logistic' | 'reg:squarederror', y: Float64Array, p: Float64Array): number {
  return objective === 'binary:logistic' ? auc(y, p) : r2(y, p);
}

/** ROC points thinned to at most ~n points (for charts). */
function thinRoc(y: Float64Array, p: Float64Array, n = 100): { fpr: number; tpr: number }[] {
  const pts = rocCurve(y, p);
  if (pts.length <= n) return pts.map((x) => ({ fpr: r4(x.fpr), tpr: r4(x.tpr) }));
  const out: { fpr: number; tpr: number }[] = [];
  const step = (pts.length - 1) / (n - 1);
  for (let i = 0; i < n; i++) {
    const q = pts[Math.round(i * step)];
    if (q) out.push({ fpr: r4(q.fpr), tpr: r4(q.tpr) });
  }
  return out;
}

/** Per-decile response rate and cumulative lift / gains. */
function decileLift(y: Float64Array, p: Float64Array) {
  const order = Array.from(p.keys()).sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
  let pos = 0;
  for (const v of y) pos += v;
  const rate = pos / Math.max(1, y.length);
  const out: { decile: number; lift: number; responseRate: number; captured: number }[] = [];
  let cum = 0;
  for (let d = 1; d <= 10; d++) {
    const from = Math.floor(((d - 1) * order.length) / 10);
    const to = Math.floor((d * order.length) / 10);
    let hit = 0;
    for (let k = from; k < to; k++) hit += y[order[k] as number] as number;
    cum += hit;
    const responseRate = to > from ? hit / (to - from) : 0;
    out.push({
      decile: d,
      responseRate: r4(responseRate),
      lift: r4(rate > 0 ? responseRate / rate : 0),
      captured: r4(pos > 0 ? cum / pos : 0),
    });
  }
  return out;
}

function binaryMetrics(y: Float64Array, p: Float64Array) {
  let pos = 0;
  for (const v of y) pos += v;
  return {
    auc: finite(auc(y, p)),
    prAuc: finite(averagePrecision(y, p)),
    precisionAtTopDecile: finite(precisionAtTop(y, p, 0.1)),
    recallAtTopDecile: finite(recallAtTop(y, p, 0.1)),
    liftTopDecile: finite(liftAtTop(y, p, 0.1)),
    logLoss: finite(logLoss(y, p)),
    brier: finite(p.reduce((s, q, i) => s + (q - (y[i] as number)) ** 2, 0) / Math.max(1, p.length)),
    ece: finite(expectedCalibrationError(y, p, 10)),
    positiveRate: finite(pos / Math.max(1, y.length)),
  };
}

function buildReference(ds: Dataset, scores: Float64Array): Record<string, PsiReference> {
  const ref: Record<string, PsiReference> = {};
  ds.numericNames.forEach((name, j) => {
    ref[name] = numericReference(ds.numeric[j] as Float64Array);
  });
  ds.categoricalNames.forEach((name, j) => {
    ref[name] = categoricalReference(ds.categorical[j] as Int32Array, ds.categoricalLevels[j] as string[]);
  });
  ref[SCORE_FEATURE] = numericReference(scores);
  return ref;
}

// ------------------------------------------------------------------------------------------------ training

export interface TrainBankResult extends Record<string, unknown> {
  ok: true;
  model: ModelSummary;
  promoted: boolean;
  promotion: { rule: string; candidate: number | null; active: number | null; activeId: string | null };
  scored: number;
  scoredAsOf: string;
  driftWarning: boolean;
  durationMs: number;
}

export const PROMOTION_RULE =
  'promote when no version is active, or when the candidate’s holdout AUC (R² for LTV) is ≥ the active version’s on the same holdout rows';

/** Who trains: a signed-in user, the CLI (`cli`) or the retraining schedule (`system`); recorded in the audit trail. */
export interface ModelActor {
  id: string;
  role: string | null;
}

export async function trainBankModel(ctx: Ctx, input: TrainBankOptions, actor: ModelActor): Promise<TrainBankResult> {
  const parsed = trainBankOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ModelInputError(String(i?.path[0] ?? 'options'), i?.message ?? 'invalid');
  }
  const opts = parsed.data;
  const t0 = performance.now();
  const kind = opts.kind;
  const family = kind === 'propensity' ? (opts.family ?? null) : null;
  let key: string;
  try {
    key = modelKey(kind, opts.family ?? null);
  } catch (e) {
    throw new ModelInputError('family', (e as Error).message.replace(/^family: /, ''));
  }
  const T = opts.asOf ?? (await repo.latestDataDate(ctx.stores.an));
  if (!T) throw new ModelInputError('asOf', 'the bank has no data yet (no tag snapshot and no holdings)');
  const split = timeSplit(T, HORIZON_DAYS);
  const A = split.featureAsOf;
  const { defs, usability } = catalogueInfo(ctx);
  const wanted = new Set<string>([...usability.values()].filter((u) => u.usable).map((u) => u.tagId));
  const objective = kind === 'ltv' ? 'reg:squarederror' : 'binary:logistic';

  // Window 0 is the protocol itself: features at T − 90, labels in (T − 90, T]. Further windows step back 30 days each
  // (features at T − 90 − 30k, labels in the 90 days after): more churn episodes at more stages of the pre-churn
  // signal. Every window passes the same guard, and every label window ends on or before T.
  const windows: { split: TimeSplit; labelled: Labelled; matrix: TagMatrix }[] = [];
  for (let k = 0; k < opts.windows; k++) {
    const ws = timeSplit(addDays(T, -WINDOW_STEP_DAYS * k), HORIZON_DAYS);
    await ensureSnapshot(ctx, ws.featureAsOf);
    const lab = await labelsFor(ctx, kind, family, ws.featureAsOf, ws.labelTo);
    if (lab.ids.length === 0) break;
    const matrix = await loadTagMatrix(ctx, ws.featureAsOf, lab.ids, defs, wanted);
    // The guard: every snapshot the features came from must precede the label window.
    assertTimeSplit(ws, [matrix.asOf]);
    windows.push({ split: ws, labelled: lab, matrix });
  }
  const w0 = windows[0];
  if (!w0 || w0.labelled.ids.length < 50)
    throw new ModelInputError(
      'asOf',
      `only ${w0?.labelled.ids.length ?? 0} customers in the training population at ${A}`,
    );
  const labelled = w0.labelled;
  let positives = 0;
  let rowsAll = 0;
  for (const w of windows) {
    rowsAll += w.labelled.ids.length;
    for (const v of w.labelled.y) positives += v > 0 ? 1 : 0;
  }
  if (objective === 'binary:logistic' && (positives < 10 || positives > rowsAll - 10))
    throw new ModelInputError('labels', `${positives} positives of ${rowsAll} rows: too few of one class to train`);

  const spec = fitFeatureSpec(defs, usability, w0.matrix);
  assertNoLeakyFeatures(spec, usability);
  const ds = concatDatasets(windows.map((w) => buildDataset(spec, w.matrix)));
  const ds0 = buildDataset(spec, w0.matrix);
  const yRaw = concatVectors(windows.map((w) => w.labelled.y));
  const rowCustomer = windows.flatMap((w) => w.labelled.ids);
  const rowWindow = windows.flatMap((w, k) => w.labelled.ids.map(() => k));
  // LTV: the revenue proxy is heavy-tailed; the model learns log1p(yuan) and predicts expm1 of it.
  const yFit = kind === 'ltv' ? Float64Array.from(yRaw, (v) => Math.log1p(Math.max(0, v))) : yRaw;

  // Holdout by customer (a customer's windows never straddle train and holdout), stratified on "ever positive".
  const seed = opts.seed ?? 42;
  const custY = new Map<number, number>();
  rowCustomer.forEach((id, i) => {
    custY.set(id, Math.max(custY.get(id) ?? 0, (yRaw[i] as number) > 0 ? 1 : 0));
  });
  const custIds = [...custY.keys()].sort((p, q) => p - q);
  const custLabel = Float64Array.from(custIds, (id) => custY.get(id) ?? 0);
  const hold = holdoutSplit(objective === 'binary:logistic' ? custLabel : custIds.length, opts.holdout, seed);
  const inner = holdoutSplit(
    objective === 'binary:logistic' ? subsetVector(custLabel, hold.train) : hold.train.length,
    0.15,
    seed + 1,
  );
  const holdCust = new Set(Array.from(hold.test, (k) => custIds[k] as number));
  const validCust = new Set(Array.from(inner.test, (k) => custIds[hold.train[k] as number] as number));
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  const holdIdx: number[] = [];
  rowCustomer.forEach((id, i) => {
    if (holdCust.has(id)) {
      if (rowWindow[i] === 0) holdIdx.push(i);
    } else if (validCust.has(id)) validIdx.push(i);
    else trainIdx.push(i);
  });
  const params: TrainParamsInput = {
    ...DEFAULT_PARAMS,
    ...(opts.params as Partial<TrainParamsInput> | undefined),
    objective,
    seed,
    evalMetric: objective === 'binary:logistic' ? 'auc' : 'rmse',
  };
  const result = train(subsetRows(ds, trainIdx), subsetVector(yFit, trainIdx), params, {
    valid: { data: subsetRows(ds, validIdx), label: subsetVector(yFit, validIdx) },
  });
  const model = result.model;

  const dsHold = subsetRows(ds, holdIdx);
  const yHold = subsetVector(yRaw, holdIdx);
  const holdIds = holdIdx.map((i) => rowCustomer[i] as number);
  const toScore = (raw: Float64Array) =>
    kind === 'ltv' ? Float64Array.from(raw, (v) => Math.max(0, Math.expm1(v))) : raw;
  const pHold = toScore(predict(model, dsHold));
  const pAll = toScore(predict(model, ds0));
  let metrics: Record<string, unknown>;
  let curves: z.infer<typeof curvesSchema>;
  if (objective === 'binary:logistic') {
    metrics = binaryMetrics(yHold, pHold);
    curves = {
      roc: thinRoc(yHold, pHold),
      lift: decileLift(yHold, pHold),
      calibration: reliabilityBins(yHold, pHold, 10).map((b) => ({
        ...b,
        meanPredicted: finite(b.meanPredicted),
        fractionPositive: finite(b.fractionPositive),
      })),
      scoreHistogram: histogram(pAll, 20, [0, 1]),
    };
  } else {
    const logHold = Float64Array.from(yHold, (v) => Math.log1p(Math.max(0, v)));
    const logPred = Float64Array.from(pHold, (v) => Math.log1p(v));
    metrics = {
      auc: null,
      precisionAtTopDecile: null,
      liftTopDecile: null,
      rmse: finite(rmse(yHold, pHold)),
      mae: finite(mae(yHold, pHold)),
      r2: finite(r2(yHold, pHold)),
      r2Log: finite(r2(logHold, logPred)),
      meanTarget: finite(yHold.reduce((s, v) => s + v, 0) / Math.max(1, yHold.length)),
    };
    curves = { roc: [], lift: [], calibration: [], scoreHistogram: histogram(pAll, 20) };
  }
  Object.assign(metrics, {
    rows: labelled.ids.length,
    windows: windows.length,
    stackedRows: rowsAll,
    trainRows: trainIdx.length,
    holdoutRows: holdIdx.length,
    positives: objective === 'binary:logistic' ? positives : null,
    trees: model.trees.length,
    features: spec.columns.length,
  });
  const bands: BandCutoffs = kind === 'ltv' ? bandCutoffs(pAll, 0.2, 0.3) : bandCutoffs(pAll);
  const modelParams: ModelParams = {
    objective,
    horizonDays: HORIZON_DAYS,
    featureAsOf: A,
    labelFrom: split.labelFrom,
    labelTo: split.labelTo,
    bands,
    target: labelled.target,
    gbdt: model.params,
    bestIteration: result.bestIteration,
    stoppedEarly: result.stoppedEarly,
    holdout: opts.holdout,
    windows: windows.map((w) => ({ ...w.split, rows: w.labelled.ids.length })),
    promotionRule: PROMOTION_RULE,
  };
  const importance = featureImportance(model)
    .filter((f) => f.splits > 0)
    .slice(0, 40)
    .map((f) => ({ feature: f.name, gain: r4(f.gain), splits: f.splits }));

  const version = await repo.nextVersion(ctx.stores.op, key);
  const id = `${key}@v${version}`;
  await repo.insertModel(ctx.stores.op, {
    id,
    key,
    kind,
    family,
    version,
    params: modelParams,
    metrics,
    curves,
    importance,
    features: spec,
    reference: buildReference(ds0, pAll),
    trainedOnAsOf: A,
    modelJson: model,
  });

  // Promotion: compare with the active version on the candidate's holdout rows.
  const active = await repo.activeModel(ctx.stores.op, key);
  const candidateMetric = primaryMetric(objective, yHold, pHold);
  let activeMetric: number | null = null;
  let promoted = false;
  if (!active) promoted = true;
  else {
    try {
      const aSpec = featureSpecSchema.parse(active.features);
      const aModel = loadModel(active.model_json);
      const holdMatrix = selectCustomers(await loadTagMatrix(ctx, A, holdIds, defs, tagsOf(aSpec)), holdIds);
      const aRaw = predict(aModel, buildDataset(aSpec, holdMatrix));
      activeMetric = primaryMetric(objective, yHold, toScore(aRaw));
    } catch (e) {
      ctx.logger.warn(
        { err: { message: (e as Error).message }, active: active.id },
        'models: active version not comparable',
      );
      activeMetric = null;
    }
    promoted = activeMetric === null || !Number.isFinite(activeMetric) || candidateMetric >= activeMetric;
  }
  // The promotion and its record commit together: the trail says who trained which version, on what, how it compared
  // with the version it would replace, and whether it replaced it.
  await ctx.stores.op.transaction(async (tx) => {
    if (promoted) await repo.promote(tx, key, id);
    const details = {
      key,
      version,
      trainedOnAsOf: A,
      metric: objective === 'binary:logistic' ? 'auc' : 'r2',
      candidate: finite(candidateMetric),
      active: activeMetric === null ? null : finite(activeMetric),
      activeBefore: active?.id ?? null,
      promoted,
    };
    await appendAudit(tx, { actor, action: 'models.trained', target: { type: 'model', id }, details });
    if (promoted) await appendAudit(tx, { actor, action: 'models.promoted', target: { type: 'model', id }, details });
  });
  ctx.logger.info(
    { model: id, promoted, candidate: r4(candidateMetric), active: activeMetric === null ? null : r4(activeMetric) },
    'models: trained',
  );

  let scored = 0;
  let driftWarning = false;
  if (opts.score) {
    const s = await scoreBankModel(ctx, { key, asOf: T });
    scored = s.scored;
    driftWarning = s.driftWarning;
    if (s.evaluation && promoted) {
      await repo.updateMetrics(ctx.stores.op, id, { ...metrics, outOfTime: s.evaluation });
    }
  }
  const row = await repo.getModel(ctx.stores.op, id);
  if (!row) throw new Error(`model ${id} vanished`);
  const summaries = await summarise(ctx, [row]);
  return {
    ok: true,
    model: summaries[0] as ModelSummary,
    promoted,
    promotion: {
      rule: PROMOTION_RULE,
      candidate: finite(candidateMetric),
      active: activeMetric === null ? null : finite(activeMetric),
      activeId: active?.id ?? null,
    },
    scored,
    scoredAsOf: T,
    driftWarning,
    durationMs: Math.round(performance.now() - t0),
  };
}

/** Rows of datasets with the same layout, one after the other. */
function concatDatasets(parts: Dataset[]): Dataset {
  const first = parts[0];
  if (!first) throw new Error('concatDatasets: nothing to concatenate');
  const n = parts.reduce((s, p) => s + p.nRows, 0);
  const numeric = first.numeric.map((_, j) => {
    const out = new Float64Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p.numeric[j] as Float64Array, o);
      o += p.nRows;
    }
    return out;
  });
  const categorical = first.categorical.map((_, j) => {
    const out = new Int32Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p.categorical[j] as Int32Array, o);
      o += p.nRows;
    }
    return out;
  });
  return { ...first, nRows: n, numeric, categorical };
}

function concatVectors(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function tagsOf(spec: FeatureSpec): Set<string> {
  return new Set(spec.columns.map((c) => c.tag));
}

// ------------------------------------------------------------------------------------------------ scoring

export interface OutOfTimeEvaluation {
  asOf: string;
  rows: number;
  positives: number;
  auc: number | null;
  precisionAtTopDecile: number | null;
  liftTopDecile: number | null;
}

export interface ScoreResult extends Record<string, unknown> {
  ok: true;
  modelId: string;
  key: string;
  asOf: string;
  scored: number;
  bands: Record<string, number>;
  scorePsi: number | null;
  maxFeaturePsi: number | null;
  driftWarning: boolean;
  driftedFeatures: { feature: string; psi: number }[];
  evaluation: OutOfTimeEvaluation | null;
  durationMs: number;
}

interface LoadedModel {
  row: repo.ModelRow;
  model: GbdtModel;
  spec: FeatureSpec;
  params: ModelParams;
  reference: Record<string, PsiReference>;
}

function loadRow(row: repo.ModelRow): LoadedModel {
  return {
    row,
    model: loadModel(row.model_json),
    spec: featureSpecSchema.parse(row.features),
    params: paramsSchema.parse(row.params),
    reference: referenceSchema.parse(row.reference),
  };
}

/**
 * Scores the scoring population of `asOf` with the active version of `key`: scores, bands and reasons to
 * `model_scores` (codes) and `model_reasons` (words), PSI of every feature and of the score to `model_drift`, a run
 * summary to `model_runs`. Logs a warning when any PSI exceeds 0.2.
 */
export async function scoreBankModel(ctx: Ctx, opts: { key: string; asOf?: string }): Promise<ScoreResult> {
  const t0 = performance.now();
  const row = await repo.activeModel(ctx.stores.op, opts.key);
  if (!row) throw new ModelInputError('model', `no active version of ${opts.key}; train one first`);
  const m = loadRow(row);
  const asOf = opts.asOf ?? (await repo.latestDataDate(ctx.stores.an));
  if (!asOf) throw new ModelInputError('asOf', 'the bank has no data yet');
  await ensureSnapshot(ctx, asOf);
  const { defs } = catalogueInfo(ctx);
  const ids = await scoringPopulation(ctx, row.kind, asOf);
  const matrix = await loadTagMatrix(ctx, asOf, ids, defs, new Set([...tagsOf(m.spec), ...reasonTags()]));
  const ds = buildDataset(m.spec, matrix);
  const cm = compileModel(m.model);
  const raw = predict(cm, ds);
  const ltv = row.kind === 'ltv';
  const scores = ltv ? Float64Array.from(raw, (v) => Math.max(0, Math.expm1(v))) : raw;

  // Reasons: top positive TreeSHAP contributions (margin units), in words with the customer's values.
  const shap = ids.length > 0 ? shapValues(cm, ds) : null;
  const byId = new Map(defs.map((d) => [d.id, d]));
  const names = (tag: string) => {
    const d = byId.get(tag);
    return d ? { zh: d.name.zh, en: d.name.en, unit: d.unit } : undefined;
  };
  const bandsCount: Record<string, number> = { low: 0, medium: 0, high: 0 };
  const scoreRows: repo.ScoreRow[] = [];
  const reasonRows: repo.ReasonRow[] = [];
  for (let i = 0; i < ids.length; i++) {
    const contributions: { feature: string; contribution: number }[] = [];
    if (shap)
      for (let f = 0; f < shap.nFeatures; f++)
        contributions.push({
          feature: shap.featureNames[f] as string,
          contribution: shap.values[i * shap.nFeatures + f] as number,
        });
    const lookup = (tag: string): TagValue => {
      const c = matrix.columns.get(tag);
      return c ? (c[i] ?? null) : null;
    };
    const reasons: StoredReasons = toStoredReasons(explain(contributions, lookup, names, 3));
    const score = scores[i] as number;
    const band = bandOf(score, m.params.bands);
    bandsCount[band] = (bandsCount[band] ?? 0) + 1;
    scoreRows.push({
      as_of: asOf,
      customer_id: ids[i] as number,
      model_id: opts.key,
      score: ltv ? Math.round(score * 100) / 100 : score,
      band,
      reasons: JSON.stringify(reasons.codes),
      version: row.version,
    });
    reasonRows.push({ customer_id: ids[i] as number, score, band, reasons: JSON.stringify(reasons) });
  }
  await repo.replaceScores(ctx.stores.an, opts.key, asOf, scoreRows);
  await repo.replaceReasons(ctx.stores.op, opts.key, row.id, asOf, reasonRows);

  // Drift: PSI of each input feature and of the score against the training distribution.
  const drift: { feature: string; psi: number }[] = [];
  if (ids.length > 0) {
    ds.numericNames.forEach((name, j) => {
      const ref = m.reference[name];
      if (ref) drift.push({ feature: name, psi: r4(psiAgainst(ref, ds.numeric[j] as Float64Array)) });
    });
    ds.categoricalNames.forEach((name, j) => {
      const ref = m.reference[name];
      if (ref)
        drift.push({
          feature: name,
          psi: r4(psiAgainst(ref, ds.categorical[j] as Int32Array, ds.categoricalLevels[j] as string[])),
        });
    });
    const sref = m.reference[SCORE_FEATURE];
    if (sref) drift.push({ feature: SCORE_FEATURE, psi: r4(psiAgainst(sref, scores)) });
  }
  const scorePsi = drift.find((d) => d.feature === SCORE_FEATURE)?.psi ?? null;
  const featureDrift = drift.filter((d) => d.feature !== SCORE_FEATURE);
  const maxFeaturePsi = featureDrift.reduce<number | null>((mx, d) => (mx === null || d.psi > mx ? d.psi : mx), null);
  const drifted = drift.filter((d) => d.psi > PSI_WARNING).sort((a, b) => b.psi - a.psi);
  const driftWarning = drifted.length > 0;
  if (driftWarning)
    ctx.logger.warn(
      { model: row.id, asOf, drifted: drifted.slice(0, 10) },
      `models: population drift (PSI > ${PSI_WARNING}) on ${drifted.length} input(s)`,
    );
  await repo.replaceDrift(ctx.stores.op, row.id, asOf, drift);

  // Out-of-time evaluation against the synthetic bank's ground truth (churn only; absent for a real bank).
  let evaluation: OutOfTimeEvaluation | null = null;
  if (row.kind === 'churn' && ids.length > 0) {
    const truth = await repo.synthChurners(ctx.stores.an, asOf, addDays(asOf, HORIZON_DAYS));
    if (truth) {
      const y = Float64Array.from(ids, (id) => (truth.has(id) ? 1 : 0));
      let pos = 0;
      for (const v of y) pos += v;
      if (pos > 0 && pos < y.length)
        evaluation = {
          asOf,
          rows: ids.length,
          positives: pos,
          auc: finite(r4(auc(y, scores))),
          precisionAtTopDecile: finite(r4(precisionAtTop(y, scores, 0.1))),
          liftTopDecile: finite(r4(liftAtTop(y, scores, 0.1))),
        };
    }
  }
  await repo.upsertRun(ctx.stores.op, {
    model_id: row.id,
    as_of: asOf,
    scored: ids.length,
    bands: bandsCount,
    histogram: histogram(scores, 20, ltv ? undefined : [0, 1]),
    score_psi: scorePsi,
    max_feature_psi: maxFeaturePsi,
    drift_warning: driftWarning,
    evaluation,
  });
  ctx.logger.info({ model: row.id, asOf, scored: ids.length, driftWarning }, 'models: scored');
  return {
    ok: true,
    modelId: row.id,
    key: opts.key,
    asOf,
    scored: ids.length,
    bands: bandsCount,
    scorePsi,
    maxFeaturePsi,
    driftWarning,
    driftedFeatures: drifted.slice(0, 20),
    evaluation,
    durationMs: Math.round(performance.now() - t0),
  };
}

// ------------------------------------------------------------------------------------------------ reads

export interface ModelSummary {
  id: string;
  key: string;
  name: { zh: string; en: string };
  kind: ModelKind;
  family: 'deposit' | 'wealth' | 'fund' | 'insurance' | 'consumer_loan' | 'credit_card' | 'mortgage' | null;
  version: number;
  status: 'candidate' | 'active' | 'retired';
  trainedAt: string | null;
  trainedOnAsOf: string;
  metrics: {
    auc: number | null;
    precisionAtTopDecile: number | null;
    liftTopDecile: number | null;
    [k: string]: unknown;
  };
  latestPsi: number | null;
  driftWarning: boolean;
  lastScoredAsOf: string | null;
}

const familySchema = z
  .enum(['deposit', 'wealth', 'fund', 'insurance', 'consumer_loan', 'credit_card', 'mortgage'])
  .nullable();

function iso(d: Date | string | null): string | null {
  if (d === null) return null;
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

async function summarise(ctx: Ctx, rows: repo.ModelRow[]): Promise<ModelSummary[]> {
  const allRuns = await repo.runs(
    ctx.stores.op,
    rows.map((r) => r.id),
  );
  const last = new Map<string, repo.RunRow>();
  for (const r of allRuns) last.set(r.model_id, r);
  return rows.map((r) => {
    const metrics = metricsSchema.parse(r.metrics);
    const run = last.get(r.id);
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return {
      id: r.id,
      key: r.model_key,
      name: modelName(r.kind, r.family),
      kind: r.kind,
      family: familySchema.parse(r.family),
      version: Number(r.version),
      status: r.status,
      trainedAt: iso(r.trained_at),
      trainedOnAsOf: r.trained_on_as_of,
      metrics: {
        ...metrics,
        auc: num(metrics.auc),
        precisionAtTopDecile: num(metrics.precisionAtTopDecile),
        liftTopDecile: num(metrics.liftTopDecile),
      },
      latestPsi: run?.score_psi ?? null,
      driftWarning: run?.drift_warning ?? false,
      lastScoredAsOf: run?.as_of ?? null,
    };
  });
}

export async function listBankModels(ctx: Ctx): Promise<ModelSummary[]> {
  return summarise(ctx, await repo.listModels(ctx.stores.op));
}

export async function bankModelDetail(ctx: Ctx, id: string) {
  const row = await repo.getModel(ctx.stores.op, id);
  if (!row) return undefined;
  const [summary] = await summarise(ctx, [row]);
  const params = paramsSchema.parse(row.params);
  const curves = curvesSchema.parse(row.curves);
  const importance = importanceSchema.parse(row.importance);
  const spec = featureSpecSchema.parse(row.features);
  const { defs } = catalogueInfo(ctx);
  const byId = new Map(defs.map((d) => [d.id, d]));
  const runs = await repo.runs(ctx.stores.op, [id]);
  const drift = await repo.driftRows(ctx.stores.op, id);
  const lastRun = runs[runs.length - 1];
  const hist = z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number() })).safeParse(lastRun?.histogram);
  return {
    model: summary as ModelSummary,
    roc: curves.roc,
    lift: curves.lift,
    calibration: curves.calibration.map((b) => ({ ...b, count: Math.round(b.count) })),
    features: importance.map((f) => {
      const d = byId.get(f.feature.split('=')[0] ?? f.feature);
      const level = f.feature.includes('=') ? ` = ${f.feature.slice(f.feature.indexOf('=') + 1)}` : '';
      return {
        feature: f.feature,
        importance: f.gain,
        splits: Math.round(f.splits),
        ...(d ? { text: { zh: `${d.name.zh}${level}`, en: `${d.name.en}${level}` } } : {}),
      };
    }),
    drift: runs.map((r) => ({
      date: r.as_of,
      psi: r.score_psi ?? 0,
      maxFeaturePsi: r.max_feature_psi,
      warning: r.drift_warning,
    })),
    featureDrift: drift
      .filter((d) => d.feature !== SCORE_FEATURE)
      .map((d) => ({ date: d.as_of, feature: d.feature, psi: d.psi })),
    scoreDistribution: (hist.success ? hist.data : curves.scoreHistogram).map((b) => ({
      ...b,
      count: Math.round(b.count),
    })),
    bands: params.bands,
    params: params as Record<string, unknown>,
    excludedTags: spec.excluded,
  };
}

const storedReasonsSchema = z.object({
  codes: z.array(z.string()),
  zh: z.array(z.string()),
  en: z.array(z.string()),
  contributions: z.array(z.number()),
});

/** The latest scores of customers (a golden record and ids merged into it) with reasons, for each active model. */
export async function customerScores(ctx: Ctx, customerIds: number[]) {
  const rows = await repo.customerReasons(ctx.stores.op, customerIds);
  const seen = new Set<string>();
  const out = [];
  for (const r of rows) {
    if (r.status !== 'active' || seen.has(r.model_key)) continue;
    seen.add(r.model_key);
    const parsed = storedReasonsSchema.safeParse(r.reasons);
    const reasons = parsed.success
      ? parsed.data.codes.map((code, k) => ({
          code,
          feature: code,
          contribution: parsed.data.contributions[k] ?? 0,
          text: { zh: parsed.data.zh[k] ?? '', en: parsed.data.en[k] ?? '' },
        }))
      : [];
    const [kind, fam] = r.model_key.split('.') as [ModelKind, string | undefined];
    out.push({
      model: r.model_key,
      modelId: r.model_id,
      version: Number(r.version),
      name: modelName(kind, fam ?? null),
      score: Number(r.score),
      band: r.band,
      asOf: r.as_of,
      reasons,
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ schedule

export interface ModelSchedule {
  /** weekly retraining (croner pattern, configured time zone); default `config.modelRetrainCron` (Sunday 04:00) */
  retrainCron?: string;
  /** daily scoring after the tag refresh; default `config.modelScoreCron` (04:30) */
  scoreCron?: string;
  /** models to keep trained and scored; default churn, every propensity family, ltv */
  models?: { kind: ModelKind; family?: string }[];
}

export const DEFAULT_SCHEDULE_MODELS: { kind: ModelKind; family?: string }[] = [
  { kind: 'churn' },
  ...(['deposit', 'wealth', 'fund', 'insurance', 'consumer_loan', 'credit_card', 'mortgage'] as const).map(
    (family) => ({
      kind: 'propensity' as const,
      family,
    }),
  ),
  { kind: 'ltv' },
];

/**
 * Weekly retraining and daily scoring (after the daily tag refresh, default 02:30). Both run for every configured model
 * in turn; a failure is logged and the next model continues. Returns a stop function.
 */
export function startModelScheduler(ctx: Ctx, schedule: ModelSchedule = {}): () => void {
  const models = schedule.models ?? DEFAULT_SCHEDULE_MODELS;
  const today = () => localToday(ctx.config.timezone);
  const retrain = new Cron(
    schedule.retrainCron ?? ctx.config.modelRetrainCron,
    { timezone: ctx.config.timezone, protect: true, name: 'model-retrain' },
    async () => {
      for (const m of models) {
        try {
          await trainBankModel(
            ctx,
            { kind: m.kind, ...(m.family ? { family: m.family } : {}), asOf: today() },
            { id: 'system', role: null },
          );
        } catch (err) {
          ctx.logger.error({ err: { message: (err as Error).message }, model: m }, 'scheduled model training failed');
        }
      }
    },
  );
  const score = new Cron(
    schedule.scoreCron ?? ctx.config.modelScoreCron,
    { timezone: ctx.config.timezone, protect: true, name: 'model-score' },
    async () => {
      for (const m of models) {
        try {
          const key = modelKey(m.kind, m.family ?? null);
          if (!(await repo.activeModel(ctx.stores.op, key))) continue;
          await scoreBankModel(ctx, { key, asOf: today() });
        } catch (err) {
          ctx.logger.error({ err: { message: (err as Error).message }, model: m }, 'scheduled model scoring failed');
        }
      }
    },
  );
  return () => {
    retrain.stop();
    score.stop();
  };
}
