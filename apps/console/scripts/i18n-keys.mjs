// Lists t('…') keys used in src that are missing from either dictionary, and keys present in one file only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../src/', import.meta.url).pathname;
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(f)) files.push(p);
  }
};
walk(root);
const used = new Set();
for (const f of files) {
  const s = readFileSync(f, 'utf8');
  for (const m of s.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
  for (const m of s.matchAll(/title(?:Key)?[=:]\s*["']((?:nav|login|customer|h5)\.[a-zA-Z0-9_.]+)["']/g))
    used.add(m[1]);
}
const flat = (o, pre = '', out = new Set()) => {
  for (const [k, v] of Object.entries(o)) {
    const key = pre ? `${pre}.${k}` : k;
    if (v && typeof v === 'object') flat(v, key, out);
    else out.add(key);
  }
  return out;
};
const zh = flat(JSON.parse(readFileSync(join(root, 'i18n/zh-CN.json'), 'utf8')));
const en = flat(JSON.parse(readFileSync(join(root, 'i18n/en.json'), 'utf8')));
const missing = [...used].filter((k) => !zh.has(k) || !en.has(k)).sort();
const onlyZh = [...zh].filter((k) => !en.has(k)).sort();
const onlyEn = [...en].filter((k) => !zh.has(k)).sort();
console.log(JSON.stringify({ missing, onlyZh, onlyEn }, null, 1));
