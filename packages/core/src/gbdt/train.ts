import { auc, logLoss, rmse } from '../eval/metrics.ts';
import { type BinnedMatrix, type BinSpec, binDataset, computeBinSpecs } from './binning.ts';
import { type Dataset, featureCount, validateDataset } from './dataset.ts';
import {
  type EvalMetric,
  GBDT_FORMAT,
  GBDT_VERSION,
  type GbdtModel,
  type ModelFeature,
  type TrainParams,
  type TrainParamsInput,
  type TreeJson,
  trainParamsSchema,
} from './model.ts';
import { Rng } from './rng.ts';
import { addTreeToMargin, type GrownTree, TreeGrower } from './tree.ts';

export interface TrainOptions {
  /** validation set (same column layout and level codes as the training set) for monitoring / early stopping */
  valid?: { data: Dataset; label: Float64Array };
  /** per-row weights (multiplied with scalePosWeight for positive rows) */
  weights?: Float64Array;
  /** called after each round */
  onRound?: (info: RoundInfo) => void;
}

export interface RoundInfo {
  round: number;
  valid?: number;
}

export interface TrainResult {
  model: GbdtModel;
  /** validation metric per round (empty without a validation set) */
  history: number[];
  metric: EvalMetric | null;
  /** number of trees kept */
  bestIteration: number;
  stoppedEarly: boolean;
}

/** Parses training parameters; throws an error naming the offending parameter. */
export function parseTrainParams(input: TrainParamsInput): TrainParams {
  const parsed = trainParamsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`params.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function checkLabels(label: Float64Array, n: number, binary: boolean, field: string): void {
  if (label.length !== n) throw new Error(`${field}: ${label.length} labels for ${n} rows`);
  for (let i = 0; i < n; i++) {
    const y = label[i] as number;
    if (binary ? y !== 0 && y !== 1 : !Number.isFinite(y)) {
      throw new Error(
        `${field}[${i}]: ${binary ? 'binary labels must be 0 or 1' : 'must be a finite number'}, got ${y}`,
      );
    }
  }
}

function metricValue(metric: EvalMetric, label: Float64Array, margin: Float64Array, binary: boolean): number {
  if (metric === 'rmse') return rmse(label, margin);
  const p = new Float64Array(margin.length);
  for (let i = 0; i < p.length; i++) p[i] = binary ? 1 / (1 + Math.exp(-(margin[i] as number))) : (margin[i] as number);
  return metric === 'auc' ? auc(label, p) : logLoss(label, p);
}

function treeToJson(tree: GrownTree, specs: BinSpec[]): TreeJson {
  const n = tree.nNodes;
  const threshold: number[] = new Array(n).fill(0);
  const categories: { node: number; left: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i] as number;
    if (f < 0) continue;
    const spec = specs[f] as BinSpec;
    if (spec.kind === 'numeric') {
      const b = tree.splitBin[i] as number;
      threshold[i] = b >= spec.cuts.length - 1 ? Number.MAX_VALUE : (spec.cuts[b] as number);
    } else {
      const left: number[] = [];
      for (let l = 0; l < spec.levels.length; l++) {
        if (tree.leftMask[i * 256 + (spec.levelToBin[l] as number)] === 1) left.push(l);
      }
      categories.push({ node: i, left });
    }
  }
  return {
    feature: Array.from(tree.feature),
    threshold,
    defaultLeft: Array.from(tree.defaultLeft, (d) => (d === 1 ? 1 : 0)),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
    cover: Array.from(tree.cover),
    gain: Array.from(tree.gain),
    categories,
  };
}

function modelFeatures(specs: BinSpec[]): ModelFeature[] {
  return specs.map((s) =>
    s.kind === 'numeric'
      ? { name: s.name, kind: 'numeric', cuts: Array.from(s.cuts) }
      : { name: s.name, kind: 'categorical', levels: [...s.levels] },
  );
}

/**
 * Trains a gradient-boosted tree ensemble. Deterministic: the same data, parameters and seed give the same model
 * (byte-identical JSON). Single-threaded.
 */
export function train(
  data: Dataset,
  label: Float64Array,
  paramsInput: TrainParamsInput,
  opts: TrainOptions = {},
): TrainResult {
  const params = parseTrainParams(paramsInput);
  validateDataset(data);
  const n = data.nRows;
  if (n === 0) throw new Error('dataset: no rows');
  const binary = params.objective === 'binary:logistic';
  checkLabels(label, n, binary, 'label');
  if (opts.weights && opts.weights.length !== n)
    throw new Error(`weights: ${opts.weights.length} weights for ${n} rows`);
  const rng = new Rng(params.seed);

  const specs = computeBinSpecs(data, { maxBin: params.maxBin, seed: params.seed });
  const m = binDataset(data, specs);
  const nf = featureCount(data);

  const w = new Float64Array(n);
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    const y = label[i] as number;
    let wi = opts.weights ? (opts.weights[i] as number) : 1;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new Error(`weights[${i}]: must be a finite number ≥ 0, got ${wi}`);
    if (binary && y === 1) wi *= params.scalePosWeight;
    w[i] = wi;
    sw += wi;
    swy += wi * y;
  }
  if (!(sw > 0)) throw new Error('weights: total weight must be > 0');
  let baseMargin = params.baseMargin;
  if (baseMargin === undefined) {
    if (binary) {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, swy / sw));
      baseMargin = Math.log(p / (1 - p));
    } else baseMargin = swy / sw;
  }

  let valid: { m: BinnedMatrix; label: Float64Array; margin: Float64Array } | null = null;
  if (opts.valid) {
    validateDataset(opts.valid.data);
    checkLabels(opts.valid.label, opts.valid.data.nRows, binary, 'valid.label');
    valid = {
      m: binDataset(opts.valid.data, specs),
      label: opts.valid.label,
      margin: new Float64Array(opts.valid.data.nRows).fill(baseMargin),
    };
  }
  const metric: EvalMetric | null = valid ? (params.evalMetric ?? (binary ? 'logloss' : 'rmse')) : null;
  const higherIsBetter = metric === 'auc';
  if (params.earlyStoppingRounds !== undefined && !valid) {
    throw new Error('params.earlyStoppingRounds: needs a validation set (options.valid)');
  }

  const grower = new TreeGrower(m, {
    maxDepth: params.maxDepth,
    maxLeaves: params.maxLeaves,
    minChildWeight: params.minChildWeight,
    lambda: params.lambda,
    gamma: params.gamma,
    eta: params.eta,
    catSmooth: params.catSmooth,
  });

  const margin = new Float64Array(n).fill(baseMargin);
  const gh = new Float64Array(2 * n);
  const trees: TreeJson[] = [];
  const history: number[] = [];
  let bestScore = higherIsBetter ? -Infinity : Infinity;
  let bestRound = -1;
  let stoppedEarly = false;
  const allFeats = Int32Array.from({ length: nf }, (_, f) => f);
  const nCols = Math.max(1, Math.round(params.colsampleBytree * nf));
  const rowBuf = params.subsample < 1 ? new Uint32Array(n) : null;

  for (let round = 0; round < params.rounds; round++) {
    // gradients and hessians of the loss at the current margin
    if (binary) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-(margin[i] as number)));
        const wi = w[i] as number;
        gh[2 * i] = (p - (label[i] as number)) * wi;
        gh[2 * i + 1] = Math.max(p * (1 - p), 1e-16) * wi;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const wi = w[i] as number;
        gh[2 * i] = ((margin[i] as number) - (label[i] as number)) * wi;
        gh[2 * i + 1] = wi;
      }
    }
    let rows: Uint32Array | null = null;
    if (rowBuf) {
      let k = 0;
      for (let i = 0; i < n; i++) if (rng.next() < params.subsample) rowBuf[k++] = i;
      if (k === 0) rowBuf[k++] = rng.nextInt(n);
      rows = rowBuf.subarray(0, k);
    }
    let feats = allFeats;
    if (nCols < nf) {
      const perm = rng.shuffle(Int32Array.from(allFeats));
      feats = perm.subarray(0, nCols).sort();
    }
    const tree = grower.grow(gh, rows, feats);
    if (rows) addTreeToMargin(tree, m, margin);
    else {
      for (let node = 0; node < tree.nNodes; node++) {
        const s = tree.leafStart[node] as number;
        if (s < 0) continue;
        const e = tree.leafEnd[node] as number;
        const v = tree.value[node] as number;
        for (let i = s; i < e; i++) {
          const r = tree.rowIndex[i] as number;
          margin[r] = (margin[r] as number) + v;
        }
      }
    }
    trees.push(treeToJson(tree, specs));

    if (valid && metric) {
      addTreeToMargin(tree, valid.m, valid.margin);
      const score = metricValue(metric, valid.label, valid.margin, binary);
      history.push(score);
      opts.onRound?.({ round, valid: score });
      if (higherIsBetter ? score > bestScore : score < bestScore) {
        bestScore = score;
        bestRound = round;
      } else if (params.earlyStoppingRounds !== undefined && round - bestRound >= params.earlyStoppingRounds) {
        stoppedEarly = true;
        break;
      }
    } else {
      opts.onRound?.({ round });
    }
  }
  const kept = params.earlyStoppingRounds !== undefined && bestRound >= 0 ? bestRound + 1 : trees.length;
  const model: GbdtModel = {
    format: GBDT_FORMAT,
    version: GBDT_VERSION,
    objective: params.objective,
    baseMargin,
    features: modelFeatures(specs),
    params,
    trees: trees.slice(0, kept),
    bestIteration: kept,
  };
  return { model, history, metric, bestIteration: kept, stoppedEarly };
}
