// Whole journeys through the README's start command, in headless Chromium: the H5 mini-program (member and staff
// mode) and the admin page. Tests run in order and share one hub, as people would share one shop.
import path from 'node:path';
import { IdentityPaths } from '@member-hub/shared';
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

describe('identity: phone binding, staff scan, owner search', () => {
  const PHONE = '13800138000';
  let digits = '';

  it('the member binds a phone and shows the card with the rotating code', async () => {
    const { page, offMachine, pageErrors, close } = await openPage(browser, true);
    page.on('dialog', (dialog) => void dialog.accept(PHONE)); // the H5 stand-in for the getPhoneNumber button
    await page.goto(`${hub.url}/h5/#/pages/mine/index`);
    await page.locator('.bind-phone-button').first().click();
    await expect(page.locator('.profile-phone').innerText()).resolves.toContain(PHONE);

    await page.goto(`${hub.url}/h5/#/pages/index/index`);
    await page.locator('.member-code-numeric').waitFor();
    digits = (await page.locator('.member-code-numeric').innerText()).replace(/\D/g, '');
    expect(digits).toMatch(/^\d{8}$/);
    await expect(page.locator('.member-code-qr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.member-code-barcode').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'h5-member-card-code.png') });
    expect(offMachine).toEqual([]);
    expect(pageErrors).toEqual([]);
    await close();
  });

  it('staff log in to staff mode, enter the code and see the member summary', async () => {
    // The owner sets up a store and a cashier (through the API: the admin pages for this have their own tests).
    const api = async (method: string, url: string, body: unknown, token?: string) => {
      const res = await fetch(`${hub.url}${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, string>;
    };
    const owner = await api('POST', '/api/v1/admin/auth/login', { username: 'owner', password: 'owner123456' });
    const store = await api(
      'POST',
      IdentityPaths.adminStores,
      { name: '西湖店', code: 'HZ01', address: '杭州市西湖区' },
      owner.token,
    );
    await api(
      'POST',
      IdentityPaths.adminStaff,
      { storeId: store.id, name: '小周', username: 'xiaozhou', password: 'cashier-pass-1' },
      owner.token,
    );

    const { page, offMachine, pageErrors, close } = await openPage(browser, true);
    await page.goto(`${hub.url}/h5/#/pages/staff/login`);
    await page.locator('.staff-username input').fill('xiaozhou');
    await page.locator('.staff-password input').fill('cashier-pass-1');
    await page.locator('.staff-login-submit').click();
    await expect(page.locator('.staff-store-name').innerText()).resolves.toContain('西湖店');
    await page.locator('.staff-code-input input').fill(digits);
    await page.locator('.staff-code-submit').click();
    const summary = page.locator('.staff-member-summary');
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain('138****8000');
    await expect(summary.innerText()).resolves.not.toContain(PHONE);
    await page.screenshot({ path: path.join(ARTIFACTS, 'h5-staff-scan.png') });

    // The same code again is refused: a screenshot of a member code is worth nothing.
    await page.locator('.staff-code-input input').fill(digits);
    await page.locator('.staff-code-submit').click();
    await expect(page.locator('.staff-scan-error__message').innerText()).resolves.toContain('已被使用');
    expect(offMachine).toEqual([]);
    expect(pageErrors).toEqual([]);
    await close();
  });

  it('the owner finds the member by phone in the admin page, masked', async () => {
    const { page, offMachine, pageErrors, close } = await openPage(browser, false);
    await page.goto(`${hub.url}/admin/`);
    await page.fill('#login-username', 'owner');
    await page.fill('#login-password', 'owner123456');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.stat-member-count').waitFor();
    await page.goto(`${hub.url}/admin/#/members`);
    await page.locator('.member-search-input').fill(PHONE);
    await page.locator('.member-search-submit').click();
    // The unfiltered list stays on screen while the search runs: wait for the search's own answer.
    await page.locator('.member-row', { hasText: '138****8000' }).waitFor();
    await page.locator('.member-row').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('.member-row').count()).toBe(1);
    await page.locator('.member-row').first().click();
    await expect(page.locator('.member-detail-phone').innerText()).resolves.toContain('138****8000');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-member-detail.png') });
    expect(offMachine).toEqual([]);
    expect(pageErrors).toEqual([]);
    await close();
  });
});

describe('points: a purchase at the till reaches the member at once', () => {
  it('staff record a ¥128 purchase; the member sees +128 on the points page', async () => {
    const member = await openPage(browser, true);
    await member.page.goto(`${hub.url}/h5/#/pages/index/index`);
    await member.page.locator('.member-code-numeric').waitFor();
    const code = (await member.page.locator('.member-code-numeric').innerText()).replace(/\D/g, '');

    const staff = await openPage(browser, true);
    await staff.page.goto(`${hub.url}/h5/#/pages/staff/login`);
    await staff.page.locator('.staff-username input').fill('xiaozhou');
    await staff.page.locator('.staff-password input').fill('cashier-pass-1');
    await staff.page.locator('.staff-login-submit').click();
    await staff.page.locator('.staff-code-input input').fill(code);
    await staff.page.locator('.staff-code-submit').click();
    await staff.page.locator('.staff-member-summary').waitFor();
    await staff.page.locator('.staff-amount-input input').fill('128');
    await staff.page.locator('.staff-purchase-submit').click();
    await expect(staff.page.locator('.staff-purchase-result').innerText()).resolves.toContain('128 积分');
    await staff.page.screenshot({ path: path.join(ARTIFACTS, 'h5-staff-purchase.png') });

    await member.page.goto(`${hub.url}/h5/#/pages/points/index`);
    const entry = member.page.locator('.points-entry').first();
    await entry.waitFor();
    await expect(entry.innerText()).resolves.toContain('消费 ¥128.00');
    await expect(member.page.locator('.points-balance').innerText()).resolves.toBe('128');
    await member.page.screenshot({ path: path.join(ARTIFACTS, 'h5-points.png') });

    for (const p of [member, staff]) {
      expect(p.offMachine).toEqual([]);
      expect(p.pageErrors).toEqual([]);
      await p.close();
    }
  });
});
