// Builds the console (vite build, a few seconds) when dist/ is missing or older than any source file, so that
// `npm start` on a fresh clone serves the console at / and the H5 pages at /h5/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'index.html');

function newest(dir) {
  let t = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'h5')),
  newest(join(root, '..', '..', 'packages', 'contracts', 'src')),
  statSync(join(root, 'index.html')).mtimeMs,
);
if (existsSync(built) && statSync(built).mtimeMs >= sources) process.exit(0);
process.stderr.write('lingxi: building the console (vite build)…\n');
const r = spawnSync('npm', ['run', 'build', '-w', '@lingxi/console'], {
  cwd: join(root, '..', '..'),
  stdio: ['ignore', 'inherit', 'inherit'],
});
process.exit(r.status ?? 1);
