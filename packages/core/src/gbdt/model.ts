import { z } from 'zod';

/**
 * Serialised GBDT model: versioned JSON validated by zod on load.
 *
 * Trees are stored as parallel arrays (one entry per node, root = 0). For a split node: `feature` is the model
 * feature index (numeric features first, then categorical, see `features`), numeric splits send x ≤ threshold
 * left, categorical splits send the level codes of `categories[k].left` left (other levels right), and missing
 * values follow `defaultLeft`. For a leaf `feature` is −1 and `value` is the leaf's contribution to the margin
 * (learning rate already applied). `cover` is the hessian sum of the training rows in the node (used by TreeSHAP).
 */
export const GBDT_FORMAT = 'lingxi-gbdt';
export const GBDT_VERSION = 1;

export const objectiveSchema = z.enum(['binary:logistic', 'reg:squarederror']);
export type Objective = z.infer<typeof objectiveSchema>;

export const evalMetricSchema = z.enum(['logloss', 'auc', 'rmse']);
export type EvalMetric = z.infer<typeof evalMetricSchema>;

export const trainParamsSchema = z
  .object({
    objective: objectiveSchema.default('binary:logistic'),
    /** maximum number of boosting rounds (trees) */
    rounds: z.number().int().min(1).max(100_000).default(100),
    /** shrinkage */
    eta: z.number().gt(0).max(1).default(0.3),
    maxDepth: z.number().int().min(1).max(30).default(6),
    /** 0 = 2^maxDepth (depth-wise equivalent) */
    maxLeaves: z.number().int().min(0).default(0),
    /** minimum hessian sum per child */
    minChildWeight: z.number().min(0).default(1),
    /** L2 regularisation on leaf weights */
    lambda: z.number().min(0).default(1),
    /** minimum split gain */
    gamma: z.number().min(0).default(0),
    subsample: z.number().gt(0).max(1).default(1),
    colsampleBytree: z.number().gt(0).max(1).default(1),
    /** weight multiplier of positive rows (binary only) */
    scalePosWeight: z.number().gt(0).default(1),
    maxBin: z.number().int().min(2).max(255).default(255),
    /** smoothing added to the hessian when ordering categories */
    catSmooth: z.number().min(0).default(10),
    seed: z.number().int().default(0),
    /** stop when the validation metric has not improved for this many rounds (needs a validation set) */
    earlyStoppingRounds: z.number().int().min(1).optional(),
    evalMetric: evalMetricSchema.optional(),
    /** initial margin; default: log-odds of the weighted positive rate (binary) or weighted mean (regression) */
    baseMargin: z.number().optional(),
  })
  .strict();

export type TrainParamsInput = z.input<typeof trainParamsSchema>;
export type TrainParams = z.output<typeof trainParamsSchema>;

const featureSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('numeric'), cuts: z.array(z.number()) }).strict(),
  z.object({ name: z.string(), kind: z.literal('categorical'), levels: z.array(z.string()) }).strict(),
]);
export type ModelFeature = z.infer<typeof featureSchema>;

const int = z.number().int();

export const treeSchema = z
  .object({
    feature: z.array(int.min(-1)),
    threshold: z.array(z.number()),
    defaultLeft: z.array(z.union([z.literal(0), z.literal(1)])),
    left: z.array(int.min(-1)),
    right: z.array(int.min(-1)),
    value: z.array(z.number()),
    cover: z.array(z.number().min(0)),
    gain: z.array(z.number()),
    categories: z.array(z.object({ node: int.min(0), left: z.array(int.min(0)) }).strict()),
  })
  .strict();
export type TreeJson = z.infer<typeof treeSchema>;

export const gbdtModelSchema = z
  .object({
    format: z.literal(GBDT_FORMAT),
    version: z.literal(GBDT_VERSION),
    objective: objectiveSchema,
    baseMargin: z.number(),
    features: z.array(featureSchema),
    params: trainParamsSchema,
    trees: z.array(treeSchema),
    /** rounds actually kept (early stopping truncates to the best round) */
    bestIteration: int.min(0),
  })
  .strict()
  .superRefine((m, ctx) => {
    const nf = m.features.length;
    m.trees.forEach((t, ti) => {
      const n = t.feature.length;
      const path = ['trees', ti];
      if (n === 0) ctx.addIssue({ code: 'custom', path, message: 'tree has no nodes' });
      for (const key of ['threshold', 'defaultLeft', 'left', 'right', 'value', 'cover', 'gain'] as const) {
        if (t[key].length !== n) {
          ctx.addIssue({ code: 'custom', path: [...path, key], message: `length ${t[key].length}, expected ${n}` });
        }
      }
      const catNodes = new Set(t.categories.map((c) => c.node));
      for (let i = 0; i < n; i++) {
        const f = t.feature[i] as number;
        if (f < 0) continue;
        if (f >= nf) {
          ctx.addIssue({ code: 'custom', path: [...path, 'feature', i], message: `feature ${f} out of range` });
          continue;
        }
        const l = t.left[i] as number;
        const r = t.right[i] as number;
        // children after their parent: guarantees the node graph is a tree without cycles
        if (!(l > i && l < n && r > i && r < n && l !== r)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'left', i], message: 'children must be later nodes' });
        }
        const isCat = m.features[f]?.kind === 'categorical';
        if (isCat !== catNodes.has(i)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'categories'],
            message: `node ${i}: categorical split must (only) have a category set`,
          });
        }
      }
    });
  });

export type GbdtModel = z.infer<typeof gbdtModelSchema>;

/** Serialises a model to JSON text (deterministic key order). */
export function serializeModel(model: GbdtModel): string {
  return JSON.stringify(model);
}

/** Parses and validates model JSON; throws an error naming the offending field. */
export function loadModel(json: string | unknown): GbdtModel {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (e) {
      throw new Error(`model: not valid JSON (${(e as Error).message})`);
    }
  }
  const parsed = gbdtModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new Error(`model.${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export interface FeatureImportance {
  name: string;
  /** total loss reduction of the splits on this feature */
  gain: number;
  /** number of splits on this feature */
  splits: number;
}

/** Gain and split-count importance, sorted by gain descending. */
export function featureImportance(model: GbdtModel): FeatureImportance[] {
  const gain = new Float64Array(model.features.length);
  const splits = new Float64Array(model.features.length);
  for (const t of model.trees) {
    t.feature.forEach((f, i) => {
      if (f >= 0) {
        gain[f] = (gain[f] as number) + (t.gain[i] as number);
        splits[f] = (splits[f] as number) + 1;
      }
    });
  }
  return model.features
    .map((feat, f) => ({ name: feat.name, gain: gain[f] as number, splits: splits[f] as number }))
    .sort((a, b) => b.gain - a.gain || a.name.localeCompare(b.name));
}
