import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@lingxi/core/gbdt/model';
import { predict } from '@lingxi/core/gbdt/predict';
import { Rng } from '@lingxi/core/gbdt/rng';
import { tableToDataset } from '@lingxi/core/tabular/infer';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerModelCommands } from './models.cli.ts';
import { formatTrainCsvReport, runTrainCsv, TrainCsvError } from './train-csv.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const UCI = resolve(repoRoot, '../shared/data/uci-bank-marketing/bank-additional-full.csv');
const dir = mkdtempSync(join(tmpdir(), 'lingxi-train-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small binary CSV: churn depends on balance and segment; some cells missing. */
function writeChurnCsv(name: string, n = 600, extraLines: string[] = []): string {
  const rng = new Rng(3);
  const lines = ['id,balance,segment,tenure_pct,churn'];
  for (let i = 0; i < n; i++) {
    const balance = Math.round(rng.next() * 100_000);
    const segment = ['mass', 'affluent', 'private'][rng.nextInt(3)] as string;
    const tenure = `${(rng.next() * 100).toFixed(1)}%`;
    const z = -balance / 25_000 + (segment === 'mass' ? 1.5 : 0) + rng.normal() * 0.5;
    const bal = rng.next() < 0.05 ? '' : `"${balance.toLocaleString('en-US')}"`;
    lines.push(`c${i},${bal},${segment},${tenure},${z > 0 ? 'yes' : 'no'}`);
  }
  lines.splice(5, 0, ...extraLines);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const quick = { folds: 3, rounds: 20, depth: 3, eta: 0.3 };

async function expectError(p: Promise<unknown>, field: string, re: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrainCsvError);
  expect((err as TrainCsvError).field).toBe(field);
  expect((err as TrainCsvError).message).toMatch(re);
}

describe('runTrainCsv', () => {
  it('trains a binary model, reports CV and holdout metrics, writes a loadable model', async () => {
    const csv = writeChurnCsv('churn.csv');
    const out = join(dir, 'model.json');
    const r = await runTrainCsv({ csv, target: 'churn', positive: 'yes', out, ...quick });
    expect(r.task).toBe('binary');
    expect(r.rows).toBe(600);
    expect(r.dropped).toEqual([{ name: 'id', reason: 'identifier-like (almost all values distinct)' }]);
    expect(r.features.map((f) => [f.name, f.kind])).toEqual([
      ['balance', 'numeric'],
      ['segment', 'categorical'],
      ['tenure_pct', 'numeric'],
    ]);
    expect(Object.keys(r.cv.metrics)).toEqual(['auc', 'prAuc', 'logLoss', 'precisionAt10', 'liftAt10', 'alift']);
    expect(r.cv.metrics.auc?.folds).toHaveLength(3);
    expect(r.cv.metrics.auc?.mean).toBeGreaterThan(0.85);
    expect(r.holdout.testRows).toBe(120);
    expect(r.topFeatures[0]?.name).toBe('balance');
    const model = loadModel(readFileSync(out, 'utf8'));
    expect(model.trees).toHaveLength(20);
    const { dataset } = tableToDataset(
      ['balance', 'segment', 'tenure_pct'],
      [
        ['1,000', 'mass', '5%'],
        ['95,000', 'private', '50%'],
      ],
    );
    const [pLow, pHigh] = Array.from(predict(model, dataset));
    expect(pLow).toBeGreaterThan(pHigh as number);
    expect(formatTrainCsvReport(r)).toMatch(/ROC AUC/);
  });

  it('is deterministic for a seed', async () => {
    const csv = writeChurnCsv('det.csv');
    const a = await runTrainCsv({ csv, target: 'churn', ...quick, seed: 5 });
    const b = await runTrainCsv({ csv, target: 'churn', ...quick, seed: 5 });
    expect(a.positive).toBe('yes');
    expect(b.cv).toEqual(a.cv);
    expect(b.holdout).toEqual(a.holdout);
  });

  it('reports rows with the wrong field count by line number and skips them', async () => {
    const csv = writeChurnCsv('bad-rows.csv', 300, ['oops,1,2', 'x,1,mass,5%,no,extra']);
    const log: string[] = [];
    const r = await runTrainCsv({ csv, target: 'churn', positive: 'yes', ...quick }, (m) => log.push(m));
    expect(r.rows).toBe(300);
    expect(r.skippedRows).toBe(2);
    expect(r.skipped).toEqual([
      { line: 6, reason: 'expected 5 fields, got 3' },
      { line: 7, reason: 'expected 5 fields, got 6' },
    ]);
    expect(log.some((l) => l.includes('line 6'))).toBe(true);
  });

  it('fails clearly on a missing target, constant target, absent --positive, unknown --drop', async () => {
    const csv = writeChurnCsv('errs.csv', 50);
    await expectError(
      runTrainCsv({ csv, target: 'nope' }),
      '--target',
      /"nope" not found; available columns: id, balance, segment/,
    );
    await expectError(
      runTrainCsv({ csv, target: 'churn', positive: 'maybe' }),
      '--positive',
      /"maybe" does not occur.*"yes"/,
    );
    await expectError(runTrainCsv({ csv, target: 'churn', drop: ['zzz'] }), '--drop', /"zzz" not found/);
    await expectError(runTrainCsv({ csv, target: 'segment' }), '--positive', /3 distinct values/);
    const constant = join(dir, 'const.csv');
    writeFileSync(constant, 'a,y\n1,x\n2,x\n3,x\n');
    await expectError(runTrainCsv({ csv: constant, target: 'y' }), '--target', /constant/);
    await expectError(runTrainCsv({ csv: join(dir, 'missing.csv'), target: 'y' }), '--csv', /ENOENT/);
    await expectError(runTrainCsv({ csv, target: 'churn', folds: 1 }), '--folds', /2/);
  });

  it('switches to regression for a numeric target with many values', async () => {
    const rng = new Rng(8);
    const lines = ['x;noise;y'];
    for (let i = 0; i < 400; i++) {
      const x = rng.next() * 10;
      lines.push(
        `${x.toFixed(3).replace('.', ',')};${rng.normal().toFixed(3).replace('.', ',')};${(2 * x + rng.normal() * 0.3).toFixed(3).replace('.', ',')}`,
      );
    }
    const csv = join(dir, 'reg.csv');
    writeFileSync(csv, lines.join('\n'));
    const r = await runTrainCsv({ csv, target: 'y', sep: ';', ...quick, rounds: 50 });
    expect(r.task).toBe('regression');
    expect(Object.keys(r.cv.metrics)).toEqual(['rmse', 'mae', 'r2']);
    expect(r.cv.metrics.r2?.mean).toBeGreaterThan(0.9);
    expect(r.holdout.calibration).toBeUndefined();
  });
});

describe('model train command', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const program = new Command('lingxi').exitOverride();
    registerModelCommands(program);
    await program.parseAsync(['model', 'train', ...args], { from: 'user' });
    return { stdout, stderr };
  }

  it('--json prints exactly one JSON object on stdout, progress on stderr', async () => {
    const csv = writeChurnCsv('cli.csv', 300);
    const { stdout, stderr } = await run([
      '--csv',
      csv,
      '--target',
      'churn',
      '--positive',
      'yes',
      '--folds',
      '3',
      '--rounds',
      '10',
      '--json',
    ]);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const obj = JSON.parse(stdout) as { task: string; cv: { folds: number } };
    expect(obj.task).toBe('binary');
    expect(obj.cv.folds).toBe(3);
    expect(stderr).toMatch(/fold 1\/3/);
    expect(process.exitCode).toBeUndefined();
  });

  it('exits 1 with an error naming the field', async () => {
    const csv = writeChurnCsv('cli-err.csv', 50);
    const { stdout, stderr } = await run(['--csv', csv, '--target', 'nope', '--json']);
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { field: '--target' } });
    expect(stderr).toMatch(/--target: column "nope" not found/);
    const bad = await run(['--csv', csv, '--target', 'churn', '--rounds', 'many']);
    expect(process.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/--rounds/);
  });
});

describe('UCI Bank Marketing acceptance', () => {
  const present = existsSync(UCI);
  if (!present) {
    it.skip(`skipped: ${UCI} is absent (public dataset not checked out)`, () => {});
    return;
  }
  it('5-fold stratified CV AUC ≥ 0.79 without the duration leak', async () => {
    const r = await runTrainCsv({
      csv: UCI,
      target: 'y',
      positive: 'yes',
      sep: ';',
      drop: ['duration'],
      folds: 5,
      rounds: 100,
      depth: 5,
      eta: 0.1,
      seed: 42,
    });
    expect(r.rows).toBe(41188);
    expect(r.skippedRows).toBe(0);
    expect(r.features).toHaveLength(19);
    expect(r.cv.metrics.auc?.mean).toBeGreaterThanOrEqual(0.79);
    expect(r.holdout.metrics.auc).toBeGreaterThanOrEqual(0.78);
    expect(r.cv.metrics.liftAt10?.mean).toBeGreaterThan(3.5);
  });
});
