// Stored value end to end, in headless Chromium through the README's start command: a member tops up ¥500 (+¥50
// bonus) through the sandbox's WeChat Pay cashier, pays ¥100 at the till from stored value after staff start the
// charge, and the owner sees what the shop still owes. Tests run in order and share one hub and one member.
import path from 'node:path';
import { IdentityPaths, WalletPaths } from '@member-hub/shared';
import type { Browser } from 'playwright-core';
import { callApi } from './api';
import { ARTIFACTS, launchBrowser, openPage } from './browser';
import { type HubProcess, startHubProcess } from './startHubProcess';

let hub: HubProcess;
let browser: Browser;
let member: Awaited<ReturnType<typeof openPage>>;

const STAFF = { username: 'xiaowu', password: 'cashier-pass-2' };

const api = (method: string, url: string, body: unknown, token?: string) => callApi(hub.url, method, url, body, token);

beforeAll(async () => {
  hub = await startHubProcess();
  browser = await launchBrowser();
  // The owner sets up a store, a cashier and the package 充 ¥500 送 ¥50 (through the API: the admin pages for
  // these have their own tests).
  const owner = await api('POST', '/api/v1/admin/auth/login', { username: 'owner', password: 'owner123456' });
  const store = await api(
    'POST',
    IdentityPaths.adminStores,
    { name: '西湖店', code: 'HZ01', address: '杭州市西湖区' },
    owner.token,
  );
  await api('POST', IdentityPaths.adminStaff, { storeId: store.id, name: '小吴', ...STAFF }, owner.token);
  await api('POST', WalletPaths.adminPackages, { name: '充500送50', payFen: 50_000, bonusFen: 5_000 }, owner.token);
  member = await openPage(browser, true);
});

afterAll(async () => {
  await member?.close();
  await browser?.close();
  if (!hub) return;
  await hub.stop();
  expect(hub.output()).toContain('member hub stopped cleanly');
});

it('the member tops up ¥500 with the WeChat Pay cashier and has ¥550.00 (本金 ¥500.00, 赠送 ¥50.00)', async () => {
  const { page } = member;
  await page.goto(`${hub.url}/h5/`);
  await page.locator('.member-card').waitFor({ timeout: 30_000 });
  await page.goto(`${hub.url}/h5/#/pages/wallet/index`);
  const pkg = page.locator('.wallet-package', { hasText: '¥500.00' });
  await pkg.waitFor();
  await expect(page.locator('.wallet-balance').innerText()).resolves.toBe('¥0.00');
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-wallet-packages.png') });

  await pkg.click();
  await page.waitForURL(/\/sandbox\/pay\/cashier\?/);
  await expect(page.locator('#wxpay-amount').innerText()).resolves.toContain('500.00');
  await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-cashier.png') });
  await page.locator('#wxpay-pay').click();

  // Back on the H5 result page (return_url + wxpay=ok): confirmed with WeChat Pay, then credited.
  await page.waitForURL(/\/h5\/#\/pages\/wallet\/top-up\?.*wxpay=ok/);
  const paid = page.locator('.topup-paid');
  await paid.waitFor({ timeout: 30_000 });
  await expect(paid.locator('.topup-title').innerText()).resolves.toContain('充值成功');
  await expect(paid.locator('.topup-amount').innerText()).resolves.toContain('¥500.00 + 赠送 ¥50.00');
  const balance = paid.locator('.topup-balance');
  await balance.waitFor();
  const text = await balance.innerText();
  expect(text).toContain('¥550.00');
  expect(text).toContain('本金 ¥500.00');
  expect(text).toContain('赠送 ¥50.00');
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-wallet-top-up-paid.png') });

  await page.goto(`${hub.url}/h5/#/pages/wallet/history`);
  await expect(page.locator('.wallet-entry').first().innerText()).resolves.toContain('+¥550.00');
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-wallet-history.png') });

  // 充值记录, from the 储值 page: the ¥500.00 top-up, credited; tapping it opens its result page.
  await page.goto(`${hub.url}/h5/#/pages/wallet/index`);
  await page.locator('.wallet-link-top-ups').click();
  const row = page.locator('.wallet-top-up').first();
  await row.waitFor({ timeout: 10_000 });
  const rowText = await row.innerText();
  expect(rowText).toContain('充500送50');
  expect(rowText).toContain('¥500.00 + 赠送 ¥50.00');
  expect(rowText).toContain('已到账');
  // The page slides in from the right: screenshot once its status tag is fully on screen.
  const tag = row.locator('.wallet-top-up__status');
  const width = page.viewportSize()?.width ?? Number.POSITIVE_INFINITY;
  for (let tries = 0; tries < 50; tries += 1) {
    const box = await tag.boundingBox();
    if (box && box.x + box.width <= width) break;
    await page.waitForTimeout(100);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-wallet-top-ups.png') });
  await row.click();
  await page.locator('.topup-paid').waitFor({ timeout: 10_000 });
  expect(member.offMachine).toEqual([]);
  expect(member.pageErrors).toEqual([]);
});

it('staff take ¥100 from stored value; the member confirms on the 付款 page; staff see 收款成功', async () => {
  await member.page.goto(`${hub.url}/h5/#/pages/index/index`);
  await member.page.locator('.member-code-numeric').waitFor();
  const code = (await member.page.locator('.member-code-numeric').innerText()).replace(/\D/g, '');

  const staff = await openPage(browser, true);
  await staff.page.goto(`${hub.url}/h5/#/pages/staff/login`);
  await staff.page.locator('.staff-username input').fill(STAFF.username);
  await staff.page.locator('.staff-password input').fill(STAFF.password);
  await staff.page.locator('.staff-login-submit').click();
  await staff.page.locator('.staff-code-input input').fill(code);
  await staff.page.locator('.staff-code-submit').click();
  await expect(staff.page.locator('.staff-member-balance').innerText()).resolves.toContain('¥550.00');
  await staff.page.locator('.staff-mode-charge').click();
  await staff.page.locator('.staff-charge-amount input').fill('100');
  await staff.page.locator('.staff-charge-submit').click();
  await expect(staff.page.locator('.staff-charge-waiting').innerText()).resolves.toContain('等待会员确认');
  await staff.page.screenshot({ path: path.join(ARTIFACTS, 'h5-staff-charge-waiting.png') });

  // The member's home page shows the payment waiting for them; the 付款 page lists it to confirm.
  await member.page.locator('.home-pending-charge').waitFor({ timeout: 10_000 });
  await member.page.goto(`${hub.url}/h5/#/pages/wallet/pay`);
  const pending = member.page.locator('.pending-charge');
  await pending.waitFor({ timeout: 10_000 });
  const lines = await pending.innerText();
  expect(lines).toContain('西湖店');
  expect(lines).toContain('¥100.00');
  await member.page.screenshot({ path: path.join(ARTIFACTS, 'h5-wallet-pending-charge.png') });
  await member.page.locator('.pending-charge-confirm').click();
  await expect(member.page.locator('.charge-done .charge-title').innerText()).resolves.toContain('支付成功');
  await member.page.screenshot({ path: path.join(ARTIFACTS, 'h5-wallet-charge-paid.png') });

  const result = staff.page.locator('.staff-charge-result');
  await result.waitFor({ timeout: 10_000 });
  await expect(result.innerText()).resolves.toContain('收款成功');
  await expect(result.innerText()).resolves.toContain('储值 ¥100.00');
  await staff.page.screenshot({ path: path.join(ARTIFACTS, 'h5-staff-charge-done.png') });

  await member.page.goto(`${hub.url}/h5/#/pages/wallet/index`);
  await expect(member.page.locator('.wallet-balance').innerText()).resolves.toBe('¥450.00');

  for (const p of [member, staff]) {
    expect(p.offMachine).toEqual([]);
    expect(p.pageErrors).toEqual([]);
  }
  await staff.close();
});

it('the owner sees the stored-value liability ¥450.00 on the 储值 page', async () => {
  const { page, offMachine, pageErrors, close } = await openPage(browser, false);
  await page.goto(`${hub.url}/admin/`);
  await page.fill('#login-username', 'owner');
  await page.fill('#login-password', 'owner123456');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.stat-member-count').waitFor();
  await page.locator('.nav-wallet').click();
  const total = page.locator('.wallet-liability-total');
  await total.waitFor({ timeout: 15_000 });
  // Principal and bonus leave in proportion (the server rounds the split); together they are what is left.
  await expect(total.innerText()).resolves.toBe('¥450.00');
  await expect(page.locator('.wallet-liability-members').innerText()).resolves.toContain('1 位');
  await expect(page.locator('.wallet-package-row').first().innerText()).resolves.toContain('充 ¥500.00 送 ¥50.00');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-wallet.png') });

  await page.locator('.wallet-tab-payments').click();
  await page.locator('.wallet-payment-row').first().waitFor();
  expect(await page.locator('.wallet-payment-row').count()).toBe(2);
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-wallet-payments.png') });
  expect(offMachine).toEqual([]);
  expect(pageErrors).toEqual([]);
  await close();
});
