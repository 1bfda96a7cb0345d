// Coupons and invite-a-friend end to end, in headless Chromium through the README's start command: the owner makes
// a coupon with the live preview and sets the referral hold; member A invites B through the invite link in the H5
// build; B registers and accepts; staff record B's first purchase; both see the reward coupon; staff take B's
// reward at the till on the next purchase. Tests run in order and share one hub.
import path from 'node:path';
import { IdentityPaths } from '@member-hub/shared';
import type { Browser, Page } from 'playwright-core';
import { callApi } from './api';
import { ARTIFACTS, launchBrowser, openPage } from './browser';
import { type HubProcess, startHubProcess } from './startHubProcess';

let hub: HubProcess;
let browser: Browser;
let memberA: Awaited<ReturnType<typeof openPage>>;
let memberB: Awaited<ReturnType<typeof openPage>>;
let staff: Awaited<ReturnType<typeof openPage>>;
let inviteLink = '';

const STAFF = { username: 'xiaoli', password: 'cashier-pass-3' };

const api = (method: string, url: string, body: unknown, token?: string) => callApi(hub.url, method, url, body, token);

/** The member's home page shows the rotating code; staff type its digits (a scan, in a browser). */
async function memberCodeOf(page: Page): Promise<string> {
  await page.goto(`${hub.url}/h5/#/pages/index/index`);
  await page.locator('.member-code-numeric').waitFor({ timeout: 30_000 });
  return (await page.locator('.member-code-numeric').innerText()).replace(/\D/g, '');
}

async function staffScans(page: Page, code: string) {
  await page.goto(`${hub.url}/h5/#/pages/staff/index`);
  await page.locator('.staff-code-input input').fill(code);
  await page.locator('.staff-code-submit').click();
  await page.locator('.staff-member-summary').waitFor();
}

beforeAll(async () => {
  hub = await startHubProcess();
  browser = await launchBrowser();
  const owner = await api('POST', '/api/v1/admin/auth/login', { username: 'owner', password: 'owner123456' });
  const store = await api(
    'POST',
    IdentityPaths.adminStores,
    { name: '滨江店', code: 'HZ02', address: '杭州市滨江区' },
    owner.token,
  );
  await api('POST', IdentityPaths.adminStaff, { storeId: store.id, name: '小李', ...STAFF }, owner.token);
});

afterAll(async () => {
  for (const p of [memberA, memberB, staff]) await p?.close();
  await browser?.close();
  if (!hub) return;
  await hub.stop();
  expect(hub.output()).toContain('member hub stopped cleanly');
});

it('the owner designs a coupon with the live preview and releases referral rewards at once', async () => {
  const { page, offMachine, pageErrors, close } = await openPage(browser, false);
  await page.goto(`${hub.url}/admin/`);
  await page.fill('#login-username', 'owner');
  await page.fill('#login-password', 'owner123456');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.stat-member-count').waitFor({ timeout: 15_000 });

  await page.goto(`${hub.url}/admin/#/coupons`);
  // The shop starts with the referral reward template (¥50 off ¥200).
  await page.locator('.coupon-template-row', { hasText: '邀请有礼 ¥50' }).waitFor({ timeout: 15_000 });
  await page.locator('.coupon-template-new').click();
  await page.fill('#coupon-title', '满100减20');
  await page.selectOption('#coupon-kind', 'cash_off');
  await page.fill('#coupon-value', '20');
  await page.fill('#coupon-threshold', '100');
  await expect(page.locator('.coupon-preview-headline').innerText()).resolves.toBe('¥20');
  await expect(page.locator('.coupon-preview-condition').innerText()).resolves.toContain('满¥100.00可用');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-coupon-editor.png') });
  await page.locator('.coupon-template-save').click();
  await page.locator('.coupon-template-row', { hasText: '满100减20' }).waitFor();

  // Rewards are normally held 7 days (the API tests cover the hold); here they are usable at once.
  await page.goto(`${hub.url}/admin/#/coupons/settings`);
  await page.locator('#referral-hold-days').fill('0');
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/coupon-settings') && r.request().method() === 'PUT'),
    page.locator('.coupon-settings-save').click(),
  ]);
  expect(saved.status()).toBe(200);
  // A fresh load of the page shows the saved value.
  await page.reload();
  await page.locator('#referral-hold-days').waitFor({ timeout: 10_000 });
  expect(await page.locator('#referral-hold-days').inputValue()).toBe('0');
  expect(offMachine).toEqual([]);
  expect(pageErrors).toEqual([]);
  await close();
});

it('member A opens 邀请有礼 and gets an invite link and a mini-program code', async () => {
  memberA = await openPage(browser, true);
  const { page } = memberA;
  await page.goto(`${hub.url}/h5/`);
  await page.locator('.member-card').waitFor({ timeout: 30_000 });
  await page.goto(`${hub.url}/h5/#/pages/mine/index`);
  await page.locator('.mine-invite-link').click();
  const link = page.locator('.invite-link');
  await link.waitFor({ timeout: 15_000 });
  inviteLink = (await link.innerText()).trim();
  expect(inviteLink).toMatch(/#\/pages\/invite\/landing\?scene=i%3D[2-9A-Z]{8}$/);
  const image = page.locator('.invite-code-image');
  await image.waitFor();
  // Taro's <Image> wraps an <img>: the PNG from WeChat (the sandbox) has decoded when it has a width.
  await page.waitForFunction(
    "(document.querySelector('.invite-code-image img, img.invite-code-image')?.naturalWidth ?? 0) > 0",
    undefined,
    { timeout: 15_000 },
  );
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-invite.png') });
  expect(memberA.offMachine).toEqual([]);
  expect(memberA.pageErrors).toEqual([]);
});

it('B opens the link in a fresh browser, registers and accepts the invite', async () => {
  memberB = await openPage(browser, true);
  const { page } = memberB;
  await page.goto(inviteLink.replace(/^https?:\/\/[^/]+/, hub.url));
  const accept = page.locator('.accept-invite');
  await accept.waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-invite-landing.png') });
  await accept.click();
  await expect(page.locator('.invite-result').innerText()).resolves.toContain('接受邀请成功');
  await page.screenshot({ path: path.join(ARTIFACTS, 'h5-invite-accepted.png') });

  // A sees B in the invite list, waiting for the first order.
  await memberA.page.reload();
  await expect(memberA.page.locator('.invitee-row').first().innerText()).resolves.toContain('待首单');
  expect(memberB.offMachine).toEqual([]);
  expect(memberB.pageErrors).toEqual([]);
});

it("staff record B's first purchase; both A and B then hold the ¥50 reward coupon", async () => {
  staff = await openPage(browser, true);
  await staff.page.goto(`${hub.url}/h5/#/pages/staff/login`);
  await staff.page.locator('.staff-username input').fill(STAFF.username);
  await staff.page.locator('.staff-password input').fill(STAFF.password);
  await staff.page.locator('.staff-login-submit').click();
  await staff.page.locator('.staff-store-name').waitFor();
  await staffScans(staff.page, await memberCodeOf(memberB.page));
  await staff.page.locator('.staff-amount-input input').fill('88');
  await staff.page.locator('.staff-purchase-submit').click();
  await expect(staff.page.locator('.staff-purchase-result').innerText()).resolves.toContain('88 积分');

  for (const [who, member] of [
    ['a', memberA],
    ['b', memberB],
  ] as const) {
    await member.page.goto(`${hub.url}/h5/#/pages/coupons/index`);
    const card = member.page.locator('.coupon-card', { hasText: '邀请有礼 ¥50' });
    await card.waitFor({ timeout: 15_000 });
    await expect(card.locator('.coupon-status').innerText()).resolves.toContain('可使用');
    await member.page.screenshot({ path: path.join(ARTIFACTS, `h5-referral-reward-${who}.png`) });
  }
});

it('B buys again: staff take the reward coupon at the till: ¥238 purchase, ¥50 off, and it shows as used', async () => {
  // B is still at the till: the scan is good for the next purchase too (a used member code is not accepted twice).
  await staff.page.locator('.staff-purchase-another').click();
  await staff.page.locator('.staff-amount-input input').fill('238');
  const reward = staff.page.locator('.till-coupon', { hasText: '邀请有礼' });
  await reward.waitFor({ timeout: 15_000 });
  await reward.click();
  await expect(staff.page.locator('.till-coupon-fen').innerText()).resolves.toContain('¥50.00');
  await staff.page.screenshot({ path: path.join(ARTIFACTS, 'h5-staff-till-coupon.png') });
  await staff.page.locator('.staff-purchase-submit').click();
  const result = staff.page.locator('.staff-purchase-result');
  await expect(result.locator('.staff-result__coupon').innerText()).resolves.toContain('¥50.00');
  // ¥238 - ¥50 = ¥188 paid: 188 points at 1 per yuan.
  await expect(result.innerText()).resolves.toContain('188 积分');
  await staff.page.screenshot({ path: path.join(ARTIFACTS, 'h5-staff-coupon-used.png') });

  await memberB.page.goto(`${hub.url}/h5/#/pages/coupons/index`);
  await memberB.page.locator('.coupon-tab[data-tab="used"]').click();
  const used = memberB.page.locator('.coupon-card', { hasText: '邀请有礼 ¥50' });
  await used.waitFor({ timeout: 15_000 });
  await expect(used.locator('.coupon-status').innerText()).resolves.toContain('已使用');
  await memberB.page.screenshot({ path: path.join(ARTIFACTS, 'h5-coupon-used.png') });
  for (const p of [memberB, staff]) {
    expect(p.offMachine).toEqual([]);
    expect(p.pageErrors).toEqual([]);
  }
});
