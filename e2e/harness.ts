import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotsDir = join(repoRoot, 'e2e', 'screenshots');
export const chromiumPath = process.env.LINGXI_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser suite cannot run here, or undefined when it can. */
export function browserUnavailable(): string | undefined {
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (install Debian's chromium; .ci/run does)`;
  return undefined;
}

/** Builds the console once per run (vite build) unless a build newer than the sources exists. */
export function buildConsole(): void {
  const r = spawnSync('npm', ['run', 'build', '-w', '@lingxi/console'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('console build failed');
}

export interface RunningServer {
  url: string;
  dataDir: string;
  credentials: Record<string, { username: string; password: string }>;
  /**
   * Stops the server, runs `whileStopped` (e.g. a CLI command on the data dir, which one process holds at a time) and
   * starts it again on the same data dir and port; the demo bank is not created twice.
   */
  restart(whileStopped?: () => Promise<void> | void): Promise<void>;
  stop(): Promise<void>;
}

const serverEnv = (dataDir: string, port: number, customers: number): NodeJS.ProcessEnv => ({
  ...process.env,
  LINGXI_DATA_DIR: dataDir,
  LINGXI_PORT: String(port),
  LINGXI_HOST: '127.0.0.1',
  LINGXI_DEMO_CUSTOMERS: String(customers),
  LINGXI_LOG_LEVEL: 'warn',
  // every browser session of the suite signs in from 127.0.0.1
  LINGXI_LOGINS_PER_IP_PER_MINUTE: '300',
});

/** Spawns `lingxi start` and waits for `/readyz`; demo credentials printed on a first run are added to `credentials`. */
async function spawnServer(
  env: NodeJS.ProcessEnv,
  url: string,
  credentials: RunningServer['credentials'],
): Promise<ChildProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'apps/server/bin/lingxi.mjs'), 'start'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (b: Buffer) => {
    output += b.toString();
    for (const line of output.split('\n')) {
      const m = /^lingxi-demo-credentials (\{.*\})$/.exec(line.trim());
      if (m?.[1]) Object.assign(credentials, JSON.parse(m[1]) as RunningServer['credentials']);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output.slice(-4000)}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready in time:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/**
 * Starts `lingxi start` on a fresh temp data dir with a small demo bank and waits for `/readyz`. The first-run output
 * prints the demo users' credentials once (as JSON on a line starting with `lingxi-demo-credentials`), which we read.
 */
export async function startServer(opts: { customers?: number; port?: number } = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lingxi-e2e-'));
  const port = opts.port ?? 18000 + Math.floor(Math.random() * 1000);
  const env = serverEnv(dataDir, port, opts.customers ?? 2000);
  const url = `http://127.0.0.1:${port}`;
  const credentials: RunningServer['credentials'] = {};
  let child = await spawnServer(env, url, credentials);
  return {
    url,
    dataDir,
    credentials,
    async restart(whileStopped) {
      await stopChild(child);
      await whileStopped?.();
      child = await spawnServer(env, url, credentials);
    },
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a `lingxi` CLI command on a stopped server's data dir; returns stdout, throws with stderr on failure. */
export function runCli(dataDir: string, args: readonly string[]): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'apps/server/bin/lingxi.mjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, LINGXI_DATA_DIR: dataDir, LINGXI_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`lingxi ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

export interface Watched {
  page: Page;
  context: BrowserContext;
  /** Console errors and failed requests seen so far; the suite fails on any. */
  problems: string[];
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page that records console errors, page errors and failed or 5xx requests. */
export async function watchedPage(
  browser: Browser,
  viewport = { width: 1366, height: 768 },
  allow: (p: string) => boolean = () => false,
): Promise<Watched> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  const note = (p: string) => {
    if (!allow(p)) problems.push(p);
  };
  page.on('console', (m) => {
    if (m.type() === 'error') note(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => note(`page error: ${e.message}`));
  page.on('requestfailed', (r) => note(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 500) note(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return { page, context, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** Lighthouse-style basics: a title, labelled form fields, alt text on images. Returns the violations. */
export async function basicA11y(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (!document.title.trim()) out.push('page has no title');
    for (const el of Array.from(document.querySelectorAll('input, select, textarea'))) {
      const input = el as HTMLInputElement;
      if (input.type === 'hidden' || input.closest('[aria-hidden="true"]')) continue;
      const labelled =
        input.getAttribute('aria-label') ||
        input.getAttribute('aria-labelledby') ||
        (input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`)) ||
        input.closest('label') ||
        input.getAttribute('title');
      if (!labelled) out.push(`unlabelled field: ${input.outerHTML.slice(0, 120)}`);
    }
    for (const img of Array.from(document.querySelectorAll('img'))) {
      if (!img.hasAttribute('alt')) out.push(`image without alt: ${img.src.slice(0, 120)}`);
    }
    return out;
  });
}
