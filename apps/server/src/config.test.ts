import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('config', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'lingxi-cfg-'));

  it('has defaults: ./.lingxi, port 8080, embedded stores', () => {
    const c = loadConfig({}, cwd);
    expect(c.dataDir).toBe(join(cwd, '.lingxi'));
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.clickhouseUrl).toBeUndefined();
  });

  it('reads LINGXI_* env over lingxi.config.json, LINGXI_PORT over PORT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lingxi-cfg-'));
    writeFileSync(join(dir, 'lingxi.config.json'), JSON.stringify({ port: 9000, demoCustomers: 5 }));
    expect(loadConfig({}, dir).port).toBe(9000);
    expect(loadConfig({ PORT: '9100' }, dir).port).toBe(9100);
    expect(loadConfig({ PORT: '9100', LINGXI_PORT: '9200' }, dir).port).toBe(9200);
    expect(loadConfig({}, dir).demoCustomers).toBe(5);
  });

  it('fails fast naming the bad key', () => {
    expect(() => loadConfig({ LINGXI_PORT: 'eighty' }, cwd)).toThrow(/port \(env LINGXI_PORT\)/);
    expect(() => loadConfig({ LINGXI_MASTER_KEY: 'short' }, cwd)).toThrow(/masterKey.*64 hex/);
    const dir = mkdtempSync(join(tmpdir(), 'lingxi-cfg-'));
    writeFileSync(join(dir, 'lingxi.config.json'), JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({}, dir)).toThrow(/prot/);
  });

  it('refuses a time zone or a schedule the server could not use, naming the variable', () => {
    expect(() => loadConfig({ LINGXI_TIMEZONE: 'Asia/Beijing' }, cwd)).toThrow(
      /timezone \(env LINGXI_TIMEZONE\): not an IANA time zone/,
    );
    expect(() => loadConfig({ LINGXI_TAG_REFRESH_CRON: '30 25 * * *' }, cwd)).toThrow(
      /tagRefreshCron \(env LINGXI_TAG_REFRESH_CRON\): not a cron pattern: .*hour/i,
    );
    expect(() => loadConfig({ LINGXI_MODEL_SCORE_CRON: 'daily' }, cwd)).toThrow(
      /modelScoreCron \(env LINGXI_MODEL_SCORE_CRON\)/,
    );
    const c = loadConfig(
      { LINGXI_TIMEZONE: 'Asia/Urumqi', LINGXI_TAG_REFRESH_CRON: '0 1 * * *', LINGXI_MODEL_RETRAIN_CRON: '0 3 * * 6' },
      cwd,
    );
    expect(c).toMatchObject({
      timezone: 'Asia/Urumqi',
      tagRefreshCron: '0 1 * * *',
      modelRetrainCron: '0 3 * * 6',
      modelScoreCron: '30 4 * * *',
    });
  });
});
