/**
 * The catalogue on a synthetic bank (the demo bank's generator, smaller): every tag whose data exists has coverage,
 * and no enum or set tag holds a value outside its vocabulary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app-context.ts';
import { loadSyntheticBank } from '../synth/synth.service.ts';
import { listTags, type RefreshResult, refreshTags } from './tags.service.ts';
import { openTestContext } from './tags.test-context.ts';

/** Tags without data in the synthetic bank (docs/tags.md): model scores until the models module has scored, and
 * the credit-bureau band (no bureau data). */
const noData = (id: string) => id.startsWith('model.') || id === 'value.ltv_score' || id === 'fin.credit_score_band';

describe('the catalogue on a synthetic bank', () => {
  let ctx: AppContext;
  let dispose: () => Promise<void>;
  let refresh: RefreshResult;

  beforeAll(async () => {
    ({ ctx, dispose } = await openTestContext());
    await loadSyntheticBank(ctx.stores, ctx.cipher, { customers: 2000, seed: 42, asOf: '2026-03-31' });
    refresh = await refreshTags(ctx, { asOf: '2026-03-31', rebuildIndex: false });
  }, 120_000);
  afterAll(async () => dispose());

  it('gives every tag whose data exists a value for some customers', async () => {
    const { tags } = await listTags(ctx);
    expect(tags.length).toBeGreaterThanOrEqual(100);
    const empty = tags.filter((t) => !noData(t.definition.id) && !(Number(t.nonNull) > 0)).map((t) => t.definition.id);
    expect(empty).toEqual([]);
    expect(tags.filter((t) => noData(t.definition.id)).every((t) => t.nonNull === 0)).toBe(true);
  });

  it('keeps every enum and set tag inside its vocabulary', () => {
    expect(refresh.outsideVocabulary).toEqual([]);
  });
});
