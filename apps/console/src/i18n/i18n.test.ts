/**
 * The console's two dictionaries against each other and against the tag catalogue: every key has both languages, and
 * every value a catalogue tag can take has a label (the audience builder, the tag drawer and the charts show labels,
 * never raw codes).
 */
import { AUDIT_ACTIONS } from '@lingxi/core/audit/actions';
import { standardCatalogue } from '@lingxi/core/tags/catalogue/catalogue';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';

type Dict = { [k: string]: string | Dict };

/** Every text of a dictionary as [dotted key, text]. */
function texts(d: Dict, prefix = ''): [string, string][] {
  return Object.entries(d).flatMap(([k, v]): [string, string][] =>
    typeof v === 'string' ? [[`${prefix}${k}`, v]] : texts(v, `${prefix}${k}.`),
  );
}

describe('console dictionaries', () => {
  it('zh-CN and en have the same keys, none empty', () => {
    const [zh, enTexts] = [texts(zhCN as Dict), texts(en as Dict)];
    expect(enTexts.map(([k]) => k).sort()).toEqual(zh.map(([k]) => k).sort());
    expect([...zh, ...enTexts].filter(([, v]) => v === '').map(([k]) => k)).toEqual([]);
  });

  it('every value of every catalogue enum and set tag, and every refresh cadence, has a label in both languages', () => {
    const values = new Set(standardCatalogue().flatMap((d) => d.values ?? []));
    expect(values.size).toBeGreaterThan(50);
    for (const [lang, dict] of [
      ['zh-CN', zhCN.tagValues],
      ['en', en.tagValues],
    ] as const) {
      const labels: Record<string, string> = dict;
      expect(
        [...values].filter((v) => !labels[v]),
        `${lang}: tag values without a label`,
      ).toEqual([]);
    }
    const refresh = new Set(standardCatalogue().map((d) => d.refresh));
    for (const dict of [zhCN.tagRefresh, en.tagRefresh] as const) {
      const labels: Record<string, string> = dict;
      expect([...refresh].filter((v) => !labels[v])).toEqual([]);
    }
  });

  it('every audit action has a label in both languages (the audit page shows labels)', () => {
    for (const dict of [zhCN, en] as const) {
      const labels = new Map(texts(dict.auditActions as Dict));
      expect(AUDIT_ACTIONS.filter((a) => !labels.has(a))).toEqual([]);
      expect([...labels.keys()].filter((k) => !(AUDIT_ACTIONS as readonly string[]).includes(k))).toEqual([]);
    }
  });
});
