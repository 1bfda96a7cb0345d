// The owner's admin page end to end, in headless Chromium through the README's start command: the first page stays
// within its size budget; the owner opens the dashboard, makes a rule tag (金卡) and evaluates it, builds a segment
// on it and sees its live count equal the 金卡 members seeded, pushes a coupon to that segment and sees the push
// finish with that many issued, then imports a small CSV with one bad row, sees the report name that row, and
// finishes the import. Tests run in order and share one hub and one browser page.
import path from 'node:path';
import { CouponPaths, ImportPaths } from '@member-hub/shared';
import type { Browser, Page } from 'playwright-core';
import { budgetText, measureFirstPage } from '../../apps/admin/scripts/bundleBudget';
import { callApi } from './api';
import { ARTIFACTS, launchBrowser, openPage } from './browser';
import { type HubProcess, startHubProcess } from './startHubProcess';

const ADMIN_DIST = path.resolve(__dirname, '../../apps/admin/dist');
/** The members seeded before the browser starts: three 金卡, two 银卡. */
const SEED_CSV = [
  '手机号,姓名,等级',
  '13800000101,金一,金卡',
  '13800000102,金二,金卡',
  '13800000103,金三,金卡',
  '13800000104,银一,银卡',
  '13800000105,银二,银卡',
].join('\n');
const GOLD_MEMBERS = 3;
/** What the owner imports in the browser: row 4 (the header is row 1) has a phone that is not one. */
const IMPORT_CSV = ['手机号,姓名,积分', '13900000201,新一,100', '13900000202,新二,200', '12345,坏行,50'].join('\n');
const BAD_ROW = 4;

let hub: HubProcess;
let browser: Browser;
let admin: Awaited<ReturnType<typeof openPage>>;
let page: Page;
let token = '';
let segmentId = '';

const api = (method: string, url: string, body: unknown) => callApi(hub.url, method, url, body, token);

/**
 * Waits until an element matching `selector` has `attribute` = `expected` (a page that updates by itself). A selector,
 * not a script: the admin page's CSP allows no eval.
 */
async function waitForAttribute(selector: string, attribute: string, expected: string | number, timeout = 15_000) {
  await page.locator(`${selector}[${attribute}="${expected}"]`).first().waitFor({ timeout });
}

/** The import API, step by step, for members that are not under test here. */
async function seedMembers(csv: string) {
  const upload = await fetch(`${hub.url}${ImportPaths.uploads}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'x-file-name': 'seed.csv' },
    body: csv,
  });
  if (!upload.ok) throw new Error(`upload -> ${upload.status} ${await upload.text()}`);
  const { importId } = (await upload.json()) as { importId: string };
  await api('PUT', ImportPaths.mapping(importId), {
    columns: { phone: 0, name: 1, tier: 2 },
    externalSource: 'import',
  });
  await api('POST', ImportPaths.start(importId), {});
  for (let tries = 0; tries < 100; tries++) {
    const detail = (await api('GET', ImportPaths.one(importId), undefined)) as unknown as { state: string };
    if (detail.state === 'done') return;
    if (detail.state === 'failed') throw new Error(`seed import failed: ${JSON.stringify(detail)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('seed import did not finish');
}

// The hub builds the H5 and admin pages before it listens: on a busy machine that takes a few minutes.
beforeAll(async () => {
  hub = await startHubProcess(480_000);
  browser = await launchBrowser();
  const owner = await callApi(hub.url, 'POST', '/api/v1/admin/auth/login', {
    username: 'owner',
    password: 'owner123456',
  });
  token = owner.token ?? '';
  await seedMembers(SEED_CSV);
  await api('POST', CouponPaths.adminTemplates, {
    title: '金卡专享满200减30',
    effect: { kind: 'cash_off', valueFen: 3_000 },
    conditions: { thresholdFen: 20_000, storeIds: [], categories: [], stackable: false },
    validity: { type: 'relative', days: 30 },
  });
  admin = await openPage(browser, false);
  page = admin.page;
}, 600_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  if (!hub) return;
  await hub.stop();
  expect(hub.output()).toContain('member hub stopped cleanly');
});

afterEach(() => {
  expect(admin?.offMachine).toEqual([]);
  expect(admin?.pageErrors).toEqual([]);
});

it('the first page (login + overview shell) of the build just started is within 500 KB gzipped', () => {
  const report = measureFirstPage(ADMIN_DIST);
  console.log(budgetText(report));
  expect(report.ok).toBe(true);
});

it('the owner logs in and opens the dashboard', async () => {
  await page.goto(`${hub.url}/admin/`);
  await page.fill('#login-username', 'owner');
  await page.fill('#login-password', 'owner123456');
  await page.getByRole('button', { name: '登录' }).click();
  const count = page.locator('.stat-member-count');
  await count.waitFor({ timeout: 15_000 });
  expect(Number(await count.getAttribute('data-value'))).toBe(5);
  await page.locator('.dashboard').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-owner-dashboard.png'), fullPage: true });
});

it('creates a rule tag for 金卡, evaluates it now and sees its members counted', async () => {
  await page.goto(`${hub.url}/admin/#/tags`);
  // Keyboard: the dialog takes the focus, Escape closes it and gives the focus back.
  await page.locator('.tag-new').click();
  await page.locator('#tag-name:focus').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.modal').waitFor({ state: 'detached' });
  await page.locator('.tag-new:focus').waitFor();

  await page.locator('.tag-new').click();
  await page.fill('#tag-name', '金卡会员');
  await page.selectOption('.condition-kind', 'tier');
  await page.locator('.condition-tier-option[value="金卡"]').check();
  await expect(page.locator('.rule-sentence').innerText()).resolves.toContain('金卡');
  // Enter in the name submits the dialog's form.
  await page.locator('#tag-name').press('Enter');
  const row = page.locator('.tag-row', { hasText: '金卡会员' });
  await row.waitFor({ timeout: 10_000 });

  await page.locator('.tag-evaluate').click();
  await page.locator('.tag-evaluate-status', { hasText: '重新计算完成' }).waitFor({ timeout: 30_000 });
  await waitForAttribute('.tag-row[data-kind="rule"]', 'data-members', GOLD_MEMBERS);
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-tags.png') });
});

it('builds a segment on the tag and sees its live count equal the 金卡 members', async () => {
  await page.goto(`${hub.url}/admin/#/segments/new`);
  await page.fill('#segment-name', '金卡人群');
  await page.locator('.tag-picker-all .tag-picker-add').selectOption({ label: '金卡会员' });
  const live = page.locator('.segment-live-count[data-state="ready"]');
  await waitForAttribute('.segment-live-count[data-state="ready"]', 'data-count', GOLD_MEMBERS);
  await expect(live.innerText()).resolves.toBe(`${GOLD_MEMBERS} 位会员`);
  await expect(page.locator('.segment-sentence').innerText()).resolves.toBe('带有标签「金卡会员」');
  expect(await page.locator('.segment-sample tbody tr').count()).toBe(GOLD_MEMBERS);
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-segment-editor.png') });

  await page.locator('.segment-save').click();
  await page.waitForURL(/#\/segments\/[0-9a-f]{24}$/, { timeout: 10_000 });
  segmentId = page.url().split('/').pop() ?? '';
  await expect(page.locator('.segment-saved-count').innerText()).resolves.toContain(`${GOLD_MEMBERS} 位会员`);
});

it('pushes a coupon to the segment and sees the push finish with that many issued', async () => {
  await page.goto(`${hub.url}/admin/#/coupons/issues`);
  const option = page.locator('#issue-template option', { hasText: '金卡专享满200减30' });
  await option.waitFor({ state: 'attached', timeout: 15_000 });
  await page.selectOption('#issue-template', (await option.getAttribute('value')) ?? '');
  await page.locator('.issue-target-segment').check();
  await page.locator(`#issue-segment option[value="${segmentId}"]`).waitFor({ state: 'attached' });
  await page.selectOption('#issue-segment', segmentId);
  await waitForAttribute('.segment-picker .segment-live-count', 'data-count', GOLD_MEMBERS);
  await page.locator('.issue-submit').click();
  const push = page.locator('.issue-row').first();
  await page.locator('.issue-row[data-status="done"]').first().waitFor({ timeout: 30_000 });
  await expect(push.locator('.issue-target').innerText()).resolves.toContain('分群「金卡人群」');
  await expect(push.locator('.issue-progress-text').innerText()).resolves.toContain(
    `已发 ${GOLD_MEMBERS} · 跳过 0 · 共 ${GOLD_MEMBERS}`,
  );
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-coupon-push-segment.png') });
});

it('imports a small CSV: the report names the bad row, and the good rows are imported', async () => {
  await page.goto(`${hub.url}/admin/#/imports`);
  await page.locator('.import-file').setInputFiles({
    name: '新会员.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(IMPORT_CSV, 'utf8'),
  });
  await page.waitForURL(/#\/imports\/[0-9a-f]{24}$/, { timeout: 15_000 });
  // The columns are prefilled from the header names.
  const columns = page.locator('.import-column');
  await columns.first().waitFor({ timeout: 10_000 });
  const mapped = await Promise.all((await columns.all()).map((select) => select.inputValue()));
  expect(mapped).toEqual(['phone', 'name', 'points']);
  expect(await page.locator('.import-preview tbody tr').count()).toBe(3);

  await page.locator('.import-validate').click();
  await expect(page.locator('.import-validation-summary').innerText()).resolves.toContain('2 行可导入，1 行有问题');
  const bad = page.locator(`.import-issue-row[data-row="${BAD_ROW}"]`);
  await bad.waitFor({ timeout: 10_000 });
  await expect(bad.innerText()).resolves.toContain(`第 ${BAD_ROW} 行`);
  await expect(bad.locator('.import-issue-reason').innerText()).resolves.toBe('手机号格式不正确');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-import-report.png'), fullPage: true });

  await page.locator('.import-dry-run').click();
  await expect(page.locator('.import-dry-run-result').innerText()).resolves.toContain('新建会员 2 位');
  await page.locator('.import-start').click();
  const result = page.locator('.import-result');
  await result.waitFor({ timeout: 30_000 });
  await expect(result.innerText()).resolves.toContain('导入完成：新建 2 位');
  await expect(page.locator('.import-progress').getAttribute('data-percent')).resolves.toBe('100');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-import-done.png'), fullPage: true });
});
