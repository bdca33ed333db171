import type { Command } from 'commander';
import { z } from 'zod';
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

/** Adds `model train` to the `lingxi` CLI. */
export function registerModelCommands(program: Command): void {
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
}
