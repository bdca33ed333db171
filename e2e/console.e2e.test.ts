/**
 * The staff console and the customer H5 pages in a real browser (playwright-core + Debian's Chromium) against a real
 * `lingxi start` on a fresh data dir with a small demo bank. Every page visited is screenshotted to e2e/screenshots/,
 * checked for a title, labelled form fields and image alt text, and the run fails on any console error, failed request
 * or 5xx response (the few 4xx a test provokes on purpose are allowed by URL).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rolePermissions } from '@lingxi/core/auth/permissions';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowed, navPages } from '../apps/console/src/nav.ts';
import {
  basicA11y,
  browserUnavailable,
  buildConsole,
  launchBrowser,
  type RunningServer,
  runCli,
  screenshot,
  startServer,
  type Watched,
  watchedPage,
} from './harness.ts';

const unavailable = browserUnavailable();
if (unavailable) console.warn(`console e2e skipped: ${unavailable}`);

type Role = keyof typeof rolePermissions;
const roles = Object.keys(rolePermissions) as Role[];

let server: RunningServer;
let browser: Browser;

const inflight = new WeakMap<Page, Set<unknown>>();

/** A watched page that also tracks its requests in flight (see settle). */
async function open(viewport?: { width: number; height: number }, allow?: (p: string) => boolean): Promise<Watched> {
  const w = await watchedPage(browser, viewport, allow);
  const pending = new Set<unknown>();
  w.page.on('request', (r) => pending.add(r));
  w.page.on('requestfinished', (r) => pending.delete(r));
  w.page.on('requestfailed', (r) => pending.delete(r));
  inflight.set(w.page, pending);
  return w;
}

/** Waits until no request has been in flight for a while, so that navigating away aborts nothing. */
async function settle(page: Page): Promise<void> {
  const pending = inflight.get(page);
  for (let quiet = 0, n = 0; quiet < 3 && n < 300; n++) {
    await page.waitForTimeout(150);
    quiet = pending && pending.size > 0 ? 0 : quiet + 1;
  }
}

/** Fails the test on console errors, failed requests, 5xx and accessibility basics of the current page. */
async function checkPage(w: Watched, name: string): Promise<void> {
  await settle(w.page);
  await screenshot(w.page, name);
  expect(await basicA11y(w.page), `${name}: accessibility basics`).toEqual([]);
  expect(w.problems, `${name}: console errors / failed requests`).toEqual([]);
}

async function signIn(page: Page, who: string): Promise<void> {
  const c = server.credentials[who];
  if (!c) throw new Error(`no demo credentials for ${who}: ${Object.keys(server.credentials).join(', ')}`);
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(c.username);
  await page.getByLabel('密码').fill(c.password);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.status() === 200),
    page.getByRole('button', { name: /登\s*录/ }).click(),
  ]);
  await page.getByRole('navigation').waitFor();
  // the home page is loaded on first use: wait until it has rendered (and fired its requests) before settling
  await page.getByRole('heading', { level: 1 }).waitFor();
  await settle(page);
}

/** Calls the API from the page's session (cookie + CSRF token), like the console does. */
async function apiCall<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json() as Promise<{ csrfToken: string }>);
      const r = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          'x-csrf-token': me.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, data: (text ? JSON.parse(text) : null) as T };
    },
    { method, path, body },
  );
}

describe.skipIf(unavailable !== undefined)('console in a browser', () => {
  beforeAll(async () => {
    buildConsole();
    server = await startServer({ customers: 2000 });
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints the demo credentials of every role', () => {
    for (const r of [...roles, 'rm2']) expect(server.credentials[r], r).toBeDefined();
  });

  it('login page: title, labels, lockout message after five wrong passwords', async () => {
    const w = await open(undefined, (p) => /status of (401|423)/.test(p));
    const { page } = w;
    await page.goto(`${server.url}/`);
    await page.getByLabel('用户名').waitFor();
    expect(page.url()).toContain('/login');
    await checkPage(w, 'login');
    // A throwaway account so that locking it out does not disturb the other tests.
    const admin = await open();
    await signIn(admin.page, 'admin');
    const created = await apiCall<{ user: { username: string } }>(admin.page, 'POST', '/api/v1/users', {
      username: 'e2e.lockout',
      role: 'executive',
      password: 'Lockout-Test-Password-42',
    });
    expect(created.status).toBe(201);
    await admin.context.close();
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('用户名').fill('e2e.lockout');
      await page.getByLabel('密码').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByRole('alert').waitFor();
      await settle(page);
    }
    await page.getByLabel('密码').fill('Lockout-Test-Password-42');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('账户已锁定');
    await screenshot(page, 'login-locked');
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  for (const role of roles) {
    it(`${role}: navigation shows exactly the pages the role may use; the API refuses the others`, async () => {
      const w = await open();
      const { page } = w;
      await signIn(page, role);
      const can = (p: string) => (rolePermissions[role] as readonly string[]).includes(p);
      const expected = navPages.filter((p) => allowed(p, can)).map((p) => p.path);
      const shown = await page
        .getByRole('navigation')
        .locator('a')
        .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      expect(shown.sort()).toEqual([...expected].sort());
      await checkPage(w, `${role}-home`);
      // A hidden page reached by URL says "not allowed" (and its API answers 403).
      const hidden = navPages.find((p) => !allowed(p, can));
      if (hidden) {
        await page.goto(`${server.url}${hidden.path}`);
        await page.getByText('无权访问').waitFor();
        await checkPage(w, `${role}-forbidden`);
      }
      const refusals: [string, string][] = [
        ['users.read', '/api/v1/users'],
        ['audit.read', '/api/v1/audit'],
        ['audiences.read', '/api/v1/audiences'],
      ];
      for (const [perm, path] of refusals) {
        const r = await apiCall(page, 'GET', path);
        expect(r.status, `${role} GET ${path}`).toBe(can(perm) ? 200 : 403);
      }
      // The user menu names the role and signs out.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('user-role').waitFor();
      await page.getByText('退出登录').click();
      await page.getByLabel('用户名').waitFor();
      expect(w.problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
      await w.context.close();
    });
  }

  it('every staff page renders (screenshots at 1366×768), and the language switch turns it English', async () => {
    const byPage = new Map<string, Role>();
    for (const p of navPages) {
      const who = (['compliance', 'marketer', 'admin', 'analyst', 'executive', 'rm'] as Role[]).find((r) =>
        allowed(p, (x) => (rolePermissions[r] as readonly string[]).includes(x)),
      );
      if (who) byPage.set(p.key, who);
    }
    const sessions = new Map<Role, Watched>();
    for (const p of navPages) {
      const role = byPage.get(p.key);
      if (!role) continue;
      let w = sessions.get(role);
      if (!w) {
        w = await open();
        await signIn(w.page, role);
        sessions.set(role, w);
      }
      await w.page.goto(`${server.url}${p.path}`);
      await w.page.getByRole('heading', { level: 1 }).waitFor();
      await checkPage(w, `page-${p.key}`);
      expect(await w.page.title()).toMatch(/灵犀/);
      // the demo bank's notice (administrator setting demo.banner, on by default)
      expect(await w.page.getByTestId('demo-banner').isVisible()).toBe(true);
    }
    const w = sessions.get('marketer');
    if (w) {
      await w.page.goto(`${server.url}/tags`);
      await w.page.getByLabel('语言').click();
      await w.page.getByTitle('English').click();
      await w.page.getByRole('link', { name: 'Customers' }).waitFor();
      await checkPage(w, 'page-tags-en');
      expect(await w.page.title()).toContain('Lingxi');
      await w.page.getByLabel('Language').click();
      await w.page.getByTitle('简体中文').click();
    }
    for (const s of sessions.values()) await s.context.close();
  });

  it('audience builder: the live count equals the API count; save and snapshot', async () => {
    const w = await open();
    const { page } = w;
    await signIn(page, 'marketer');
    await page.goto(`${server.url}/audiences`);
    await page.getByLabel('人群名称').fill('e2e 活跃客户');
    await page.getByLabel('标签').first().click();
    await page.keyboard.type('lifecycle.stage');
    await page.locator('.ant-select-item-option:visible').filter({ hasText: '生命周期阶段' }).first().click();
    await page.getByLabel('取值').first().click();
    await page.locator('.ant-select-item-option:visible').filter({ hasText: /^活跃/ }).first().click();
    const count = page.getByTestId('audience-count');
    await expect
      .poll(
        async () => (await count.getAttribute('data-pending')) === 'false' && (await count.getAttribute('data-count')),
        { timeout: 20_000 },
      )
      .toBeTruthy();
    const shown = Number(await count.getAttribute('data-count'));
    const api = await apiCall<{ count: number }>(page, 'POST', '/api/v1/audiences/count', {
      expression: { and: [{ tag: 'lifecycle.stage', op: 'eq', value: 'active' }] },
      purpose: 'marketing',
    });
    expect(api.status).toBe(200);
    expect(shown).toBe(api.data.count);
    expect(shown).toBeGreaterThan(0);
    await page.getByRole('button', { name: '保 存' }).click();
    await page.getByText('已保存“e2e 活跃客户”').waitFor();
    await page.getByRole('button', { name: '冻结快照' }).click();
    await page.getByTestId('snapshot').waitFor();
    expect((await page.getByTestId('snapshot').textContent())?.replace(/[,\s]/g, '')).toContain(String(shown));
    // the frozen snapshot is listed with its export
    const list = page.getByTestId('snapshot-list');
    await expect
      .poll(async () => (await list.textContent())?.replace(/[,\s]/g, ''), { timeout: 20_000 })
      .toMatch(new RegExp(`#\\d+\\d{4}-\\d{2}-\\d{2}${shown}`));
    expect(await list.getByRole('button', { name: /导出/ }).count()).toBe(1);
    // the bank-wide marketer samples from every member
    await expect
      .poll(async () => (await page.getByTestId('sample-scope').textContent())?.replace(/[,\s]/g, ''), {
        timeout: 20_000,
      })
      .toContain(`全部${shown}位`);
    // P10: the masked list is level-3 data, so the export is asked for, decided by compliance, then used once
    await page.getByRole('button', { name: '申请导出审批' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('导出事由').fill('e2e 分行回访名单');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    const waiting = page.getByRole('button', { name: /审批中 #\d+/ });
    await waiting.waitFor();
    const approvalId = Number((await waiting.textContent())?.match(/#(\d+)/)?.[1]);
    const checker = await open();
    await signIn(checker.page, 'compliance');
    const decided = await apiCall(checker.page, 'POST', `/api/v1/approvals/${approvalId}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    await checker.context.close();
    // the page looks again while an approval is pending: the button becomes the export
    const exportButton = page.getByRole('button', { name: `导出（审批 #${approvalId}）` });
    await exportButton.waitFor({ timeout: 30_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    const csv = readFileSync(await file.path(), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.trim().split('\n')).toHaveLength(shown + 1);
    // used up: the next export needs a new approval
    await page.getByRole('button', { name: '申请导出审批' }).first().waitFor();
    await checkPage(w, 'audience-built');
    await w.context.close();
  });

  it('copy checker: a violating copy is highlighted', async () => {
    const w = await open();
    const { page } = w;
    await signIn(page, 'compliance');
    await page.goto(`${server.url}/compliance/checker`);
    await page.getByRole('button', { name: '载入示例' }).click();
    await page.getByRole('button', { name: '检 查' }).click();
    await page.getByTestId('checker-verdict').waitFor();
    expect(await page.getByTestId('checker-verdict').textContent()).toContain('存在违规');
    const marks = page.getByTestId('highlighted-copy').locator('mark.lx-mark.error');
    expect(await marks.count()).toBeGreaterThan(0);
    expect(await marks.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/保本|稳赚/)]));
    await checkPage(w, 'checker-findings');
    await w.context.close();
  });

  it('customer 360: PII is masked; unmasking asks for a reason and lands in the audit trail', async () => {
    const w = await open();
    const { page } = w;
    await signIn(page, 'compliance');
    await page.goto(`${server.url}/customers`);
    await page.getByLabel('搜索客户').fill('1');
    await page.getByLabel('搜索客户').press('Enter');
    await page.getByRole('link').filter({ hasText: '*' }).first().click();
    await page.getByTestId('customer-name').waitFor();
    const masked = await page.getByTestId('customer-name').textContent();
    expect(masked).toContain('*');
    expect(await page.getByTestId('customer-mobile').textContent()).toContain('****');
    await checkPage(w, 'customer-360');
    const id = page.url().split('/').pop();
    await page.getByTestId('unmask').click();
    await page.getByLabel('查看原因').fill('e2e: verify identity before a callback');
    await page.getByRole('button', { name: '确认查看' }).click();
    await page.getByTestId('unmask-audit').waitFor();
    const clear = await page.getByTestId('customer-name').textContent();
    expect(clear).not.toContain('*');
    const seq = /#(\d+)/.exec((await page.getByTestId('unmask-audit').textContent()) ?? '')?.[1];
    expect(seq).toBeDefined();
    await screenshot(page, 'customer-360-unmasked');
    await page.goto(`${server.url}/compliance/audit?target=${encodeURIComponent(`customer:${id}`)}`);
    const row = page.getByRole('row').filter({ hasText: 'e2e: verify identity before a callback' });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain(seq ?? '?');
    expect(await row.first().textContent()).toContain('查看明文信息'); // the action's label, beside its code
    await page.getByTestId('verify-chain').click();
    await page.getByTestId('verify-result').waitFor();
    expect(await page.getByTestId('verify-result').textContent()).toContain('哈希链完整');
    await checkPage(w, 'audit-trail');
    await w.context.close();
  });

  it("an RM reaches own customers, not another RM's customer by URL", async () => {
    const admin = await open();
    await signIn(admin.page, 'compliance');
    const users = await apiCall<{ users: { id: string; username: string }[] }>(
      admin.page,
      'GET',
      '/api/v1/users?role=rm',
    );
    const idOf = (who: string) => users.data.users.find((u) => u.username === server.credentials[who]?.username)?.id;
    const rm1 = idOf('rm');
    const rm2 = idOf('rm2');
    expect(rm1 && rm2).toBeTruthy();
    let own: number | undefined;
    let other: number | undefined;
    for (let id = 1; id <= 400 && (own === undefined || other === undefined); id++) {
      const r = await apiCall<{ customers: { id: number; rmUserId: string | null }[] }>(
        admin.page,
        'GET',
        `/api/v1/customers?q=${id}`,
      );
      const c = r.data.customers.find((x) => x.id === id);
      if (c?.rmUserId === rm1) own ??= id;
      if (c?.rmUserId === rm2) other ??= id;
    }
    await admin.context.close();
    expect(own && other).toBeTruthy();
    const w = await open(undefined, (p) => /status of 404/.test(p));
    const { page } = w;
    await signIn(page, 'rm');
    await page.goto(`${server.url}/customers/${own}`);
    await page.getByTestId('customer-name').waitFor();
    await checkPage(w, 'rm-own-customer');
    await page.goto(`${server.url}/customers/${other}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('未找到');
    expect(await page.getByTestId('customer-name').count()).toBe(0);
    await screenshot(page, 'rm-other-customer-refused');
    const direct = await apiCall(page, 'GET', `/api/v1/customers/${other}/360`);
    expect(direct.status).toBe(404);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('H5 risk assessment on a phone (375×667) changes the risk level in the 360', async () => {
    const staff = await open();
    await signIn(staff.page, 'rm');
    const users = await apiCall<{ users: unknown[] }>(staff.page, 'GET', '/api/v1/auth/me');
    expect(users.status).toBe(200);
    const search = await apiCall<{ customers: { id: number; riskLevel: string | null }[] }>(
      staff.page,
      'GET',
      '/api/v1/customers?q=1',
    );
    const target = search.data.customers[0];
    expect(target).toBeDefined();
    const link = await apiCall<{ url: string }>(staff.page, 'POST', `/api/v1/customers/${target?.id}/h5-links`, {
      kind: 'assessment',
    });
    expect(link.status).toBe(201);
    const phone = await open({ width: 375, height: 667 });
    await phone.page.goto(new URL(link.data.url, server.url).toString());
    await phone.page.getByTestId('start-assessment').click();
    await checkPage(phone, 'h5-assessment-level1');
    // Always take the most cautious option: the result must be C1 (or stay the lowest level).
    for (;;) {
      const q = phone.page.getByTestId('question');
      await q.waitFor();
      await q.getByRole('button').first().click();
      if (await phone.page.getByTestId('finish').isVisible()) {
        if (await phone.page.getByTestId('finish').isEnabled()) break;
      }
      await phone.page.waitForTimeout(400);
    }
    await phone.page.getByTestId('finish').click();
    await phone.page.getByTestId('assessment-result').waitFor();
    const level = ((await phone.page.getByTestId('assessment-level').textContent()) ?? '').trim();
    expect(level).toMatch(/^C[1-5]$/);
    await checkPage(phone, 'h5-assessment-result');
    await phone.context.close();
    await staff.page.goto(`${server.url}/customers/${target?.id}`);
    await staff.page.getByTestId('customer-name').waitFor();
    expect(await staff.page.getByTestId('risk-level').first().textContent()).toBe(level);
    await checkPage(staff, 'customer-360-after-assessment');
    await staff.context.close();
  });

  it('H5 preference centre on a phone: withdraw SMS marketing and delete an interest tag', async () => {
    const staff = await open();
    await signIn(staff.page, 'rm');
    const list = await apiCall<{ customers: { id: number }[] }>(staff.page, 'GET', '/api/v1/customers?limit=1');
    const id = list.data.customers[0]?.id;
    expect(id).toBeDefined();
    const link = await apiCall<{ url: string }>(staff.page, 'POST', `/api/v1/customers/${id}/h5-links`, {
      kind: 'preferences',
    });
    expect(link.status).toBe(201);
    const phone = await open({ width: 375, height: 667 });
    await phone.page.goto(new URL(link.data.url, server.url).toString());
    await phone.page.getByRole('heading', { level: 1 }).waitFor();
    await checkPage(phone, 'h5-preferences');
    const sms = phone.page.getByLabel('营销 · 短信');
    await sms.waitFor();
    if ((await sms.getAttribute('aria-checked')) !== 'true') {
      await sms.click(); // grant first, so that the withdrawal below is a change
      await phone.page.getByRole('button', { name: /保\s*存/ }).click();
      await phone.page.getByRole('alert').waitFor();
    }
    await phone.page.getByLabel('营销 · 短信').click();
    const interests = phone.page.getByTestId('interests').getByRole('img');
    const hadInterest = (await interests.count()) > 0;
    if (hadInterest) await interests.first().click();
    await phone.page.getByRole('button', { name: /保\s*存/ }).click();
    await phone.page.getByRole('alert').waitFor();
    await checkPage(phone, 'h5-preferences-saved');
    await phone.context.close();
    const consents = await apiCall<{ state: { purpose: string; channel: string; status: string }[] }>(
      staff.page,
      'GET',
      `/api/v1/customers/${id}/consents`,
    );
    expect(consents.data.state.find((x) => x.purpose === 'marketing' && x.channel === 'sms')?.status).toBe('withdrawn');
    await staff.context.close();
  });

  it('maker–checker: compliance approves the demo marketer’s wealth SMS in the approvals queue', async () => {
    const w = await open();
    await signIn(w.page, 'compliance');
    await w.page.goto(`${server.url}/compliance/approvals`);
    const row = w.page.getByRole('row', { name: /四季度稳健理财新品短信/ });
    await row.waitFor();
    await row.getByRole('button', { name: /通\s*过/ }).click();
    await w.page.getByLabel('审批意见').fill('披露完整，同意发送');
    await Promise.all([
      w.page.waitForResponse((r) => /\/api\/v1\/approvals\/\d+\/decision$/.test(r.url()) && r.status() === 200),
      w.page.getByRole('button', { name: /提\s*交/ }).click(),
    ]);
    await settle(w.page);
    const approved = await apiCall<{ approvals: { title: string; status: string; decidedBy: string | null }[] }>(
      w.page,
      'GET',
      '/api/v1/approvals?status=approved',
    );
    const item = approved.data.approvals.find((a) => a.title === '四季度稳健理财新品短信');
    expect(item?.status).toBe('approved');
    expect(item?.decidedBy).not.toBeNull();
    // the demo's export request shows the checker what would leave: audience, members, columns, level, reason
    const exportRow = w.page.getByRole('row', { name: /新客户名单（脱敏）导出/ });
    await exportRow.getByRole('button', { name: /展开|expand/i }).click();
    const detail = w.page.locator('[data-testid^="approval-detail-"]');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('新客户欢迎');
    expect(text).toContain('3 级');
    expect(text).toContain('mobile_masked');
    await checkPage(w, 'approvals-decided');
    await w.context.close();
  });
  it('an administrator tunes the wealth tier bounds: a pair that does not fit is refused naming the field', async () => {
    const w = await open(undefined, (p) => /status of 400/.test(p));
    const { page } = w;
    await signIn(page, 'admin');
    await page.goto(`${server.url}/admin/settings`);
    const thresholds = page.getByRole('table', { name: '标签分层阈值' });
    await thresholds.getByRole('row', { name: /segmentation\.wealthAffluentFromYuan/ }).waitFor();
    const hnw = page.getByLabel('segmentation.wealthHnwFromYuan');
    expect(await hnw.inputValue()).toBe('6000000');
    await hnw.fill('400000');
    await page.getByLabel('原因').fill('e2e: tier review');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'values.segmentation.wealthHnwFromYuan: must exceed segmentation.wealthAffluentFromYuan' })
      .waitFor();
    await hnw.fill('8000000');
    await page.getByLabel('segmentation.wealthAffluentFromYuan').fill('800000');
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/settings') && r.request().method() === 'PATCH' && r.status() === 200,
      ),
      page.getByRole('button', { name: /保\s*存/ }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    const view = await apiCall<{ settings: { key: string; updatedBy: string | null }[] }>(
      page,
      'GET',
      '/api/v1/settings',
    );
    const by = view.data.settings.find((x) => x.key === 'segmentation.wealthHnwFromYuan')?.updatedBy;
    expect(by).toBeTruthy();
    await thresholds
      .getByRole('row', { name: /segmentation\.wealthHnwFromYuan/ })
      .filter({ hasText: String(by) })
      .waitFor();
    await checkPage(w, 'settings-thresholds-saved');
    // the tag catalogue describes the wealth tier with the new bounds (applied to values at the next refresh)
    const tier = await apiCall<{ definition: { description: { en: string } } }>(
      page,
      'GET',
      '/api/v1/tags/wealth.tier',
    );
    expect(tier.data.definition.description.en).toContain('mass < ¥800000, affluent < ¥8000000');
    // the analyst refreshes from the tags page; the run is listed and the drawer's version history says why the
    // new version exists
    const a = await open();
    await signIn(a.page, 'analyst');
    await a.page.goto(`${server.url}/tags`);
    await a.page.getByRole('button', { name: '立即刷新' }).click();
    await a.page
      .getByRole('status')
      .filter({ hasText: /个标签升版本/ })
      .waitFor({ timeout: 120_000 });
    const runs = a.page.getByRole('table', { name: '标签刷新' });
    await runs
      .getByRole('row', { name: /控制台\/API.*成功/ })
      .first()
      .waitFor();
    await checkPage(a, 'tag-refreshes');
    // the demo's snapshot is today's: no staleness warning
    expect(await a.page.getByTestId('tag-snapshot-stale').count()).toBe(0);
    await a.page.goto(`${server.url}/tags?tag=wealth.tier`);
    const versions = a.page.getByTestId('tag-detail').getByRole('table', { name: '版本历史' });
    await versions.getByRole('row', { name: /v2 .*定义变更/ }).waitFor();
    await versions.getByRole('row', { name: /v1 .*首个版本/ }).waitFor();
    await checkPage(a, 'tag-version-history');
    await a.context.close();
    const restored = await apiCall(page, 'PATCH', '/api/v1/settings', {
      values: { 'segmentation.wealthAffluentFromYuan': 500000, 'segmentation.wealthHnwFromYuan': 6000000 },
      reason: 'e2e: restore the defaults',
    });
    expect(restored.status).toBe(200);
    await w.context.close();
  });

  it('an analyst adds a bank-specific tag in the console (errors name the field), sees it listed and retires it', async () => {
    const w = await open(undefined, (p) => /status of 400/.test(p));
    const { page } = w;
    await signIn(page, 'analyst');
    await page.goto(`${server.url}/tags`);
    await page.getByRole('button', { name: '新建自定义标签' }).click();
    const editor = page.getByLabel('标签定义');
    const template = await editor.inputValue();
    await editor.fill(template.replace('id: bank.dining_spend_90d', 'id: hist.dining_spend_90d'));
    await page.getByRole('button', { name: /校\s*验/ }).click();
    await page.getByRole('alert').filter({ hasText: 'hist.dining_spend_90d: id' }).waitFor();
    await editor.fill(template);
    await page.getByRole('button', { name: /校\s*验/ }).click();
    const result = page.getByTestId('bank-tag-result');
    await result.filter({ hasText: '校验通过' }).waitFor();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await result.filter({ hasText: '已保存 1 个标签' }).waitFor();
    await checkPage(w, 'bank-tag-saved');
    await page.keyboard.press('Escape');
    await page.getByLabel('筛选标签').fill('bank.');
    const row = page.getByRole('row', { name: /bank\.dining_spend_90d/ });
    await row.getByText('自定义').waitFor();
    await row.getByRole('link').click();
    await page.getByTestId('tag-detail').waitFor();
    await page.getByTestId('tag-detail').getByLabel('原因').fill('e2e: not needed');
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().includes('/api/v1/tags/definitions/bank.dining_spend_90d') && r.status() === 204,
      ),
      page.getByRole('button', { name: /停\s*用/ }).click(),
    ]);
    await settle(page);
    const list = await apiCall<{ tags: { custom: boolean }[] }>(page, 'GET', '/api/v1/tags');
    expect(list.data.tags.filter((x) => x.custom)).toEqual([]);
    await checkPage(w, 'bank-tag-retired');
    // a standard tag copied as the starting point of a bank tag checks as it is
    await page.goto(`${server.url}/tags?tag=hist.spend_30d`);
    await page.getByRole('button', { name: '复制为自定义标签' }).click();
    expect(await page.getByLabel('标签定义').inputValue()).toContain('"id": "bank.hist_spend_30d"');
    await page.getByRole('button', { name: /校\s*验/ }).click();
    await page.getByTestId('bank-tag-result').filter({ hasText: '校验通过' }).waitFor();
    await checkPage(w, 'bank-tag-copied');
    await w.context.close();
  });

  // Last: it stops and restarts the server to import a file on its data dir.
  it('an imported product family outside the catalogue vocabulary is flagged in the tag drawer after a refresh', async () => {
    const w = await open();
    await signIn(w.page, 'analyst');
    const list = await apiCall<{ customers: { id: number }[] }>(w.page, 'GET', '/api/v1/customers?limit=1');
    const id = list.data.customers[0]?.id;
    expect(id).toBeDefined();
    await w.context.close();
    // one product view yesterday (local time) of a family the catalogue does not know
    const d = new Date(Date.now() - 86_400_000);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(d);
    const file = join(server.dataDir, 'e2e-app-events.csv');
    writeFileSync(
      file,
      `event_id,customer_id,ts,event_type,product_id,product_family\n987654321,${id},${local} 12:00:00,product_view,X1,crypto_asset\n`,
    );
    await server.restart(async () => {
      const out = JSON.parse(
        runCli(server.dataDir, ['import', '--source', 'app_events', '--file', file, '--json']),
      ) as {
        rowsLoaded: number;
      };
      expect(out.rowsLoaded).toBe(1);
    });
    const a = await open();
    await signIn(a.page, 'analyst');
    const refreshed = await apiCall<{ outsideVocabulary: { tagId: string; customers: number }[] }>(
      a.page,
      'POST',
      '/api/v1/tags/refresh',
      {},
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.data.outsideVocabulary).toEqual([{ tagId: 'app.viewed_families_30d', customers: 1 }]);
    await a.page.goto(`${server.url}/tags?tag=app.viewed_families_30d`);
    const alert = a.page.getByTestId('tag-outside-vocabulary');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('1 位客户的取值不在该标签的取值范围内');
    await checkPage(a, 'tag-outside-vocabulary');
    await a.context.close();
  });
});
