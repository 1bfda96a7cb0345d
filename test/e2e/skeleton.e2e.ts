// The thin path through every room: a new member logs in to the H5 mini-program and sees the card; the owner
// logs in to the admin page and sees one member.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchBrowser, openPage } from './browser';
import { type HubProcess, startHubProcess } from './startHubProcess';

let hub: HubProcess;
let browser: Browser;

beforeAll(async () => {
  hub = await startHubProcess();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (!hub) return;
  // SIGTERM reaches npm, then the server: it finishes in-flight work, closes the database and says so.
  await hub.stop();
  expect(hub.output()).toContain('member hub stopped cleanly');
});

it('a new member logs in to the H5 mini-program and sees the member card', async () => {
  const { page, offMachine, pageErrors, close } = await openPage(browser, true);
  await page.goto(`${hub.url}/h5/`);
  const card = page.locator('.member-card');
  await card.waitFor({ timeout: 30_000 });
  await expect(page.locator('.member-no').innerText()).resolves.toMatch(/\d{8}/);
  await expect(page.locator('.member-tier').innerText()).resolves.toContain('普通会员');
  await expect(page.locator('.member-points').innerText()).resolves.toMatch(/(^|\D)0(\D|$)/);
  await expect(page.locator('.member-balance').innerText()).resolves.toContain('¥0.00');
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-member-card.png') });

  // Reloading keeps the same member (the session token is stored; no second member is created).
  const memberNo = await page.locator('.member-no').innerText();
  await page.reload();
  await page.locator('.member-card').waitFor();
  expect(await page.locator('.member-no').innerText()).toBe(memberNo);

  expect(offMachine).toEqual([]);
  expect(pageErrors).toEqual([]);
  await close();
});

it('the owner logs in to the admin page and sees member count 1', async () => {
  const { page, offMachine, pageErrors, close } = await openPage(browser, false);
  await page.goto(`${hub.url}/admin/`);
  await page.fill('#login-username', 'owner');
  await page.fill('#login-password', 'wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('.form-error').innerText()).resolves.toContain('账号或密码错误');

  await page.fill('#login-password', 'owner123456');
  await page.getByRole('button', { name: '登录' }).click();
  const count = page.locator('.stat-member-count');
  await count.waitFor({ timeout: 15_000 });
  expect(await count.getAttribute('data-value')).toBe('1');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-overview.png') });

  expect(offMachine).toEqual([]);
  expect(pageErrors).toEqual([]);
  await close();
});
