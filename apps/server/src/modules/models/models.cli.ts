import type { Command } from 'commander';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { runCommand } from '../../cli/output.ts';
import { listBankModels, scoreBankModel, trainBankModel } from './bank-models.service.ts';
import { formatTrainCsvReport, runTrainCsv, TrainCsvError, type TrainCsvOptions } from './train-csv.ts';

/** Raw commander options of `model train` (all strings), validated and converted by zod. */
const trainCliSchema = z
  .object({
    csv: z.string(),
    target: z.string(),
    positive: z.string().optional(),
    sep: z
      .string()
      .transform((s) => (s === '\\t' || s.toLowerCase() === 'tab' ? '\t' : s))
      .optional(),
    drop: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c.length > 0),
      )
      .optional(),
    folds: z.coerce.number().optional(),
    seed: z.coerce.number().optional(),
    rounds: z.coerce.number().optional(),
    depth: z.coerce.number().optional(),
    eta: z.coerce.number().optional(),
    json: z.boolean().optional(),
    out: z.string().optional(),
  })
  .strict();

function fail(json: boolean, field: string, message: string): void {
  process.stderr.write(`error: ${field}: ${message}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { field, message } })}\n`);
  process.exitCode = 1;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date YYYY-MM-DD');

const trainBankCliSchema = z
  .object({
    kind: z.enum(['churn', 'propensity', 'ltv']),
    family: z.enum(['deposit', 'wealth', 'fund', 'insurance', 'consumer_loan', 'credit_card', 'mortgage']).optional(),
    asOf: isoDate.optional(),
    noScore: z.boolean().optional(),
    score: z.boolean().optional(),
    json: z.boolean().optional(),
  })
  .strict();

const scoreCliSchema = z
  .object({
    model: z.string().regex(/^(churn|ltv|propensity\.[a-z_]+)$/, 'churn, ltv or propensity.<family>'),
    asOf: isoDate.optional(),
    json: z.boolean().optional(),
  })
  .strict();

function parseOr<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = String(issue?.path[0] ?? 'options').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new Error(`--${field}: ${issue?.message ?? 'invalid'}`);
}

async function withCtx<T>(openCtx: (() => Promise<AppContext>) | undefined, fn: (ctx: AppContext) => Promise<T>) {
  if (!openCtx) throw new Error('this command needs the stores (the CLI was built without a context opener)');
  const ctx = await openCtx();
  try {
    return await fn(ctx);
  } finally {
    await ctx.stores.close();
  }
}

const pct = (x: unknown) => (typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '-');
const fix = (x: unknown, d = 3) => (typeof x === 'number' ? x.toFixed(d) : '-');

/**
 * Adds `model train` (any CSV) and, with a context opener, the bank models: `model train-bank`, `model score`,
 * `model list`.
 */
export function registerModelCommands(program: Command, openCtx?: () => Promise<AppContext>): void {
  const model = program.command('model').description('predictive models (gradient-boosted trees)');
  model
    .command('train')
    .description('train and evaluate a GBDT on a CSV file (k-fold CV + holdout), optionally save the model')
    .requiredOption('--csv <file>', 'input CSV file (first row = header)')
    .requiredOption('--target <col>', 'target column')
    .option('--positive <value>', 'target value of the positive class (binary task)')
    .option('--sep <char>', 'field separator (use "\\t" or "tab" for tabs)', ',')
    .option('--drop <cols>', 'comma-separated columns to ignore (e.g. leakage like "duration")')
    .option('--folds <k>', 'cross-validation folds', '5')
    .option('--seed <n>', 'random seed (folds, holdout, sampling)', '42')
    .option('--rounds <n>', 'boosting rounds', '300')
    .option('--depth <d>', 'maximum tree depth', '5')
    .option('--eta <e>', 'learning rate', '0.05')
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--out <file>', 'write the model (trained on the non-holdout rows) as JSON')
    .action(async (raw: unknown) => {
      const cli = trainCliSchema.safeParse(raw);
      const json = typeof raw === 'object' && raw !== null && (raw as { json?: unknown }).json === true;
      if (!cli.success) {
        const issue = cli.error.issues[0];
        fail(json, `--${String(issue?.path[0] ?? 'options')}`, issue?.message ?? 'invalid');
        return;
      }
      const { json: _json, ...rest } = cli.data;
      const options: TrainCsvOptions = rest;
      try {
        const result = await runTrainCsv(options, (msg) => process.stderr.write(`${msg}\n`));
        process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${formatTrainCsvReport(result)}\n`);
      } catch (e) {
        if (e instanceof TrainCsvError) fail(json, e.field, e.message.slice(e.field.length + 2));
        else fail(json, 'model train', (e as Error).message);
      }
    });

  model
    .command('train-bank')
    .description('train a bank model on the tag snapshots (features at T−90, labels in (T−90, T]), register and score')
    .requiredOption('--kind <kind>', 'churn | propensity | ltv')
    .option('--family <family>', 'product family of a propensity model')
    .option('--as-of <date>', 'scoring date T (default: the newest tag snapshot)')
    .option('--no-score', 'do not score the customers after training')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (raw: unknown, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const o = parseOr(trainBankCliSchema, raw);
          return withCtx(openCtx, (ctx) =>
            trainBankModel(
              ctx,
              {
                kind: o.kind,
                ...(o.family ? { family: o.family } : {}),
                ...(o.asOf ? { asOf: o.asOf } : {}),
                score: o.score !== false,
              },
              { id: 'cli', role: null },
            ),
          );
        },
        (r) => {
          const m = r.model.metrics;
          const oot = (m as { outOfTime?: { auc?: number; precisionAtTopDecile?: number } | null }).outOfTime;
          return [
            `${r.model.id} trained on ${r.model.trainedOnAsOf} (${r.promoted ? 'promoted to active' : 'kept as candidate'})`,
            r.model.kind === 'ltv'
              ? `holdout: RMSE ${fix(m.rmse, 0)}  MAE ${fix(m.mae, 0)}  R² ${fix(m.r2)}`
              : `holdout: AUC ${fix(m.auc)}  PR AUC ${fix(m.prAuc)}  precision@10% ${pct(m.precisionAtTopDecile)}  lift@10% ${fix(m.liftTopDecile, 2)}`,
            ...(oot
              ? [`out of time (${r.scoredAsOf}): AUC ${fix(oot.auc)}  precision@10% ${pct(oot.precisionAtTopDecile)}`]
              : []),
            `scored ${r.scored} customers as of ${r.scoredAsOf}${r.driftWarning ? ' — DRIFT WARNING (PSI > 0.2)' : ''}`,
          ].join('\n');
        },
      ),
    );

  model
    .command('score')
    .description('score customers with the active version of a model (daily job), with reasons and drift')
    .requiredOption('--model <key>', 'churn | ltv | propensity.<family>')
    .option('--as-of <date>', 'snapshot date (default: the newest tag snapshot)')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (raw: unknown, cmd: Command) =>
      runCommand(
        cmd,
        async () => {
          const o = parseOr(scoreCliSchema, raw);
          return withCtx(openCtx, (ctx) => scoreBankModel(ctx, { key: o.model, ...(o.asOf ? { asOf: o.asOf } : {}) }));
        },
        (r) =>
          `${r.modelId}: scored ${r.scored} customers as of ${r.asOf} (high ${r.bands.high ?? 0}, medium ${r.bands.medium ?? 0}); score PSI ${fix(r.scorePsi)}, max feature PSI ${fix(r.maxFeaturePsi)}${r.driftWarning ? ' — DRIFT WARNING' : ''}`,
      ),
    );

  model
    .command('list')
    .description('list registered model versions with their metrics')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (_raw: unknown, cmd: Command) =>
      runCommand(
        cmd,
        async () => withCtx(openCtx, async (ctx) => ({ ok: true as const, models: await listBankModels(ctx) })),
        (r) =>
          r.models.length === 0
            ? 'no models yet (lingxi model train-bank --kind churn)'
            : r.models
                .map(
                  (m) =>
                    `${m.id.padEnd(28)} ${m.status.padEnd(9)} ${m.trainedOnAsOf}  ${
                      m.kind === 'ltv'
                        ? `R² ${fix(m.metrics.r2)}`
                        : `AUC ${fix(m.metrics.auc)}  P@10% ${pct(m.metrics.precisionAtTopDecile)}`
                    }${m.driftWarning ? '  drift!' : ''}`,
                )
                .join('\n'),
      ),
    );
}
