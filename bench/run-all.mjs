#!/usr/bin/env node
// Runs every benchmark in bench/ one after another (they compete for the same two cores otherwise) and relays each
// one's single JSON line. Pass names to run a subset: `npm run bench -- synth tags`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.includes('-data') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.size === 0 || wanted.has(name))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stderr.write(`bench: ${name}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    failed++;
    process.stdout.write(`${JSON.stringify({ bench: name, error: `exit ${r.status}` })}\n`);
  } else process.stdout.write(`${line}\n`);
}
process.exitCode = failed ? 1 : 0;
