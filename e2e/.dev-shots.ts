// Ad-hoc: node --import tsx e2e/.dev-shots.ts <role> <path> [<path>...]
import { readFileSync } from 'node:fs';
import { basicA11y, launchBrowser, watchedPage } from './harness.ts';

const log = readFileSync('/tmp/lxdev1.log', 'utf8');
const m = /lingxi-demo-credentials (\{.*\})/.exec(log);
const creds = JSON.parse(m![1]!) as Record<string, { username: string; password: string }>;
const [role, ...paths] = process.argv.slice(2);
const url = 'http://127.0.0.1:18123';
const browser = await launchBrowser();
const mobile = process.env.MOBILE === '1';
const w = await watchedPage(browser, mobile ? { width: 375, height: 667 } : { width: 1366, height: 768 });
const { page } = w;
if (role !== 'none') {
  await page.goto(`${url}/login`);
  await page.getByLabel(/用户名|Username/).fill(creds[role!]!.username);
  await page.getByLabel(/密码|Password/).fill(creds[role!]!.password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.waitForSelector('nav');
  await page.waitForTimeout(2500);
}
for (const p of paths) {
  await page.goto(`${url}${p}`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(Number(process.env.WAIT ?? 800));
  const name = `${role}-${p.replace(/[^a-z0-9]+/gi, '_')}`;
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: process.env.FULL === '1' });
  console.log(name, await page.title(), JSON.stringify(await basicA11y(page)));
}
console.log('problems', JSON.stringify(w.problems, null, 1));
await browser.close();
