import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempAnalytics } from '../../../test/support/stores.ts';
import type { AnalyticsDb } from '../../db/analytics.ts';
import { dropStaleStages, stageTableName } from './tags.repo.ts';
import { histogramFromPercentiles } from './tags.service.ts';
import { describeTagRefresh } from './tags.suite.ts';
import { pgliteBackend } from './tags.test-context.ts';

describeTagRefresh(pgliteBackend());

describe('histogram from percentiles', () => {
  it('spreads a uniform distribution evenly and keeps the total', () => {
    const p = Array.from({ length: 101 }, (_, i) => i);
    const h = histogramFromPercentiles(p, 1000);
    expect(h).toHaveLength(10);
    expect(h.map((b) => b.count)).toEqual(Array(10).fill(100));
    expect(h[0]).toMatchObject({ lo: 0, hi: 10 });
    expect(h[9]?.hi).toBe(100);
  });

  it('puts a mass of equal values in one bin, and a constant in a single bin', () => {
    // 60% zeros, the rest spread over 1…40
    const p = Array.from({ length: 101 }, (_, i) => (i <= 60 ? 0 : i - 60));
    const h = histogramFromPercentiles(p, 500);
    expect(h[0]?.count).toBeGreaterThanOrEqual(300);
    expect(h.reduce((a, b) => a + b.count, 0)).toBe(500);
    expect(histogramFromPercentiles(Array(101).fill(7), 42)).toEqual([{ lo: 7, hi: 7, count: 42 }]);
    expect(histogramFromPercentiles([], 0)).toEqual([]);
  });
});

describe('stage tables of an interrupted refresh', () => {
  let an: AnalyticsDb;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ an, dispose } = await openTempAnalytics());
  });
  afterAll(async () => dispose());

  it('drops the stage tables of refreshes started before the given age, and nothing else', async () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const create = (name: string) =>
      an.command(`CREATE TABLE ${name} (customer_id UInt32) ENGINE = MergeTree ORDER BY customer_id`);
    const running = stageTableName(now - 60_000, 'aaaaaaaaaaaa', 'transactions');
    const killed = stageTableName(now - 7 * 3600_000, 'bbbbbbbbbbbb', 'app_events_history');
    await create(running);
    await create(killed);
    await create('tag_stage_0123456789ab_contacts'); // an older version's name, without the start
    await create('tag_stages_kept');
    expect(killed).toMatch(/^tag_stage_\d{10}_bbbbbbbbbbbb_app_events_history$/);
    expect(await dropStaleStages(an, 6 * 3600, now)).toEqual(['tag_stage_0123456789ab_contacts', killed].sort());
    const left = await an.query<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'tag_stage') ORDER BY name",
    );
    expect(left.map((r) => r.name)).toEqual([running, 'tag_stages_kept'].sort());
  });
});
