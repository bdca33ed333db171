/**
 * End to end on a small synthetic bank (its planted churn signal and ground truth): train the churn model with the
 * time-based split, score, reasons, registry versions, drift, and the HTTP API. A function of the operational backend:
 * `bank-models.test.ts` runs it on PGlite, `bank-models.postgres.test.ts` on PostgreSQL (reasons and drift are written
 * with COPY, the registry with the server's dialect).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationalBackend } from '../../../test/support/stores.ts';
import { buildApp } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { listEntries } from '../audit/audit.repo.ts';
import { addUser, signIn } from '../auth/auth.test-support.ts';
import { loadSyntheticBank } from '../synth/synth.service.ts';
import { openTestContext } from '../tags/tags.test-context.ts';
import {
  customerScores,
  listBankModels,
  ModelInputError,
  scoreBankModel,
  type TrainBankResult,
  trainBankModel,
} from './bank-models.service.ts';
import { modelsRoutes } from './models.routes.ts';

const cli = { id: 'cli', role: null };
const PLANTED = new Set(['login_drop', 'redemptions', 'large_outflow', 'aum_drop', 'inactivity', 'salary_stopped']);

export function describeBankModels(backend: OperationalBackend): void {
  let ctx: AppContext;
  let dispose: () => Promise<void>;
  let asOf: string;
  let first: TrainBankResult;

  beforeAll(async () => {
    ({ ctx, dispose } = await openTestContext(() => backend.open()));
    const bank = await loadSyntheticBank(ctx.stores, ctx.cipher, { customers: 2_500, seed: 7, checksums: false });
    asOf = bank.asOf;
    first = await trainBankModel(ctx, { kind: 'churn', asOf, windows: 2 }, cli);
  }, 120_000);

  afterAll(async () => dispose());

  describe(`churn model on the synthetic bank (chDB + ${backend.name})`, () => {
    it('learns the planted signal: holdout and out-of-time AUC well above chance', () => {
      expect(first.model.id).toBe('churn@v1');
      expect(first.promoted).toBe(true);
      expect(first.model.status).toBe('active');
      expect(first.model.trainedOnAsOf).toBe('2026-04-01');
      const m = first.model.metrics;
      expect(m.auc).toBeGreaterThan(0.85);
      expect(m.precisionAtTopDecile).toBeGreaterThan(0.1);
      const oot = m.outOfTime as { auc: number; precisionAtTopDecile: number; positives: number };
      expect(oot.positives).toBeGreaterThan(50);
      expect(oot.auc).toBeGreaterThan(0.72);
      // top decile at T is several times richer in future churners than the population
      expect(oot.precisionAtTopDecile).toBeGreaterThan(0.35);
    });

    it('writes scores with bands and reason codes to model_scores, and words to the reasons table', async () => {
      const rows = await ctx.stores.an.query<{ customer_id: number; score: number; band: string; reasons: string }>(
        `SELECT customer_id, score, band, reasons FROM model_scores
          WHERE model_id = 'churn' AND as_of = {d:Date} ORDER BY score DESC, customer_id`,
        { d: asOf },
      );
      expect(rows.length).toBe(first.scored);
      expect(new Set(rows.map((r) => r.band))).toEqual(new Set(['low', 'medium', 'high']));
      const top = rows.slice(0, 20);
      for (const r of top) {
        const codes = JSON.parse(r.reasons) as unknown;
        expect(Array.isArray(codes)).toBe(true);
        expect((codes as string[]).length).toBeGreaterThan(0);
      }
      // the reasons of the top-scored customers name the planted drivers
      const named = top.filter((r) => (JSON.parse(r.reasons) as string[]).some((c) => PLANTED.has(c)));
      expect(named.length).toBeGreaterThanOrEqual(18);
      const id = top[0]?.customer_id as number;
      const scores = await customerScores(ctx, [id]);
      const churn = scores.find((s) => s.model === 'churn');
      expect(churn?.band).toBe('high');
      expect(churn?.reasons[0]?.text.zh).toMatch(/[近已]/);
      expect(churn?.reasons[0]?.text.en.length).toBeGreaterThan(10);
    });

    it('computes drift of every input and of the score', async () => {
      const { rows } = await ctx.stores.op.query<{ n: number; score: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE feature = '__score__')::int AS score
           FROM model_drift WHERE model_id = 'churn@v1' AND as_of = $1`,
        [asOf],
      );
      expect(rows[0]?.score).toBe(1);
      expect(rows[0]?.n).toBeGreaterThan(50);
      const again = await scoreBankModel(ctx, { key: 'churn', asOf: '2026-04-01' });
      // scoring the training date: the inputs are the training distribution, so PSI stays near zero
      expect(again.maxFeaturePsi).toBeLessThan(0.1);
      expect(again.evaluation).not.toBeNull();
    });

    it('increments registry versions and keeps exactly one active version', async () => {
      const second = await trainBankModel(ctx, { kind: 'churn', asOf, windows: 1, seed: 3, score: false }, cli);
      expect(second.model.id).toBe('churn@v2');
      expect(second.promotion.activeId).toBe('churn@v1');
      expect(second.promotion.candidate).not.toBeNull();
      // the active version was re-scored on the candidate's holdout rows (not skipped as incomparable)
      expect(second.promotion.active).toBeGreaterThan(0.8);
      expect(second.promoted).toBe((second.promotion.candidate ?? 0) >= (second.promotion.active ?? 0));
      const list = await listBankModels(ctx);
      expect(list.map((m) => m.id).sort()).toEqual(['churn@v1', 'churn@v2']);
      expect(list.filter((m) => m.status === 'active')).toHaveLength(1);
      // who trained what, how it compared and whether it went live is in the audit trail
      const trained = await listEntries(ctx.stores.op, { action: 'models.trained', limit: 5 });
      expect(trained.map((e) => e.target_id)).toEqual(['churn@v2', 'churn@v1']);
      expect(trained[0]).toMatchObject({ actor_id: 'cli', target_type: 'model' });
      expect(trained[0]?.details).toMatchObject({
        key: 'churn',
        version: 2,
        metric: 'auc',
        candidate: second.promotion.candidate,
        active: second.promotion.active,
        activeBefore: 'churn@v1',
        promoted: second.promoted,
      });
      const promotedEntries = await listEntries(ctx.stores.op, { action: 'models.promoted', limit: 5 });
      expect(promotedEntries.map((e) => e.target_id)).toEqual(
        second.promoted ? ['churn@v2', 'churn@v1'] : ['churn@v1'],
      );
    }, 60_000);

    it('refuses bad input naming the field', async () => {
      await expect(trainBankModel(ctx, { kind: 'propensity' }, cli)).rejects.toThrow(ModelInputError);
      await expect(trainBankModel(ctx, { kind: 'propensity', family: 'car' }, cli)).rejects.toThrow(/family/);
      await expect(scoreBankModel(ctx, { key: 'ltv' })).rejects.toThrow(/model: no active version of ltv/);
    });

    it('serves the registry, the detail charts and a customer’s scores over HTTP', async () => {
      const app = await buildApp(ctx, [modelsRoutes]);
      try {
        await addUser(ctx, 'model-analyst', 'analyst');
        const s = await signIn(app, 'model-analyst');
        const list = await app.inject({ method: 'GET', url: '/api/v1/models', headers: s.headers });
        expect(list.statusCode).toBe(200);
        const detail = await app.inject({ method: 'GET', url: '/api/v1/models/churn@v1', headers: s.headers });
        expect(detail.statusCode).toBe(200);
        const d = detail.json() as { roc: unknown[]; lift: unknown[]; features: unknown[]; drift: unknown[] };
        expect(d.roc.length).toBeGreaterThan(10);
        expect(d.lift).toHaveLength(10);
        expect(d.features.length).toBeGreaterThan(3);
        expect(d.drift.length).toBeGreaterThanOrEqual(1);
        const missing = await app.inject({ method: 'GET', url: '/api/v1/models/nope@v1', headers: s.headers });
        expect(missing.statusCode).toBe(404);
        const bad = await app.inject({
          method: 'POST',
          url: '/api/v1/models/train',
          headers: s.headers,
          payload: { kind: 'propensity' },
        });
        expect(bad.statusCode).toBe(400);
        const [top] = await ctx.stores.an.query<{ customer_id: number }>(
          `SELECT customer_id FROM model_scores WHERE model_id = 'churn' ORDER BY score DESC LIMIT 1`,
        );
        const scores = await app.inject({
          method: 'GET',
          url: `/api/v1/customers/${top?.customer_id}/scores`,
          headers: s.headers,
        });
        expect(scores.statusCode).toBe(200);
        const body = scores.json() as { scores: { model: string; reasons: { text: { zh: string } }[] }[] };
        expect(body.scores.find((x) => x.model === 'churn')?.reasons.length).toBeGreaterThan(0);
      } finally {
        await app.close();
      }
    }, 30_000);
  });
}
