import { ApiPaths, type ClaimableCoupon, CouponPaths } from '@member-hub/shared';
import { createApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { createSession, type StoredSession } from '../session/session';
import { coupon } from '../testing/coupons';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memberCard, memoryStore, NOW } from '../testing/fixtures';
import { couponDigits, isCouponCode, readCouponCode } from './code';
import { couponsNotBuilt, createClaimer, createCouponService } from './coupons';
import {
  afterClaim,
  claimButton,
  claimStockText,
  couponCard,
  couponDetailPath,
  couponTerms,
  couponValidity,
  heldHint,
  readCouponTab,
} from './display';

function setup(routes: Record<string, (r: HttpRequest) => HttpResponse | Promise<HttpResponse>>) {
  const store = memoryStore<StoredSession>({ token: 'tok-a', expiresAt: '2030-01-02T00:00:00Z' });
  const { transport, requests } = fakeTransport({
    [`POST ${ApiPaths.wechatLogin}`]: () =>
      ok({ token: 'tok-b', expiresAt: '2030-01-02T00:00:00Z', isNewMember: false, member: memberCard }),
    ...routes,
  });
  const platform = { login: jest.fn(async () => ({ code: 'c' })) };
  const api = createApiClient({ baseUrl: '', transport, getToken: () => session.token() });
  const session = createSession({ api, platform, store, now: () => NOW });
  return { coupons: createCouponService({ api, session }), requests, platform };
}

const claimable: ClaimableCoupon = {
  templateId: '0123456789abcdef0123cccc',
  title: '新人券',
  description: '',
  effect: { kind: 'cash_off', valueFen: 1_000 },
  conditions: { thresholdFen: 0, storeIds: [], categories: [], stackable: false },
  validity: { type: 'relative', days: 30 },
  stockLeft: 5,
  remainingForMe: 1,
};

describe('coupon codes staff scan or type', () => {
  it('takes the QR payload as scanned and the digits with or without spaces', () => {
    expect(readCouponCode('MHCP:123456789012')).toEqual({ ok: true, code: 'MHCP:123456789012' });
    expect(readCouponCode(' mhcp:123456789012 ')).toEqual({ ok: true, code: 'MHCP:123456789012' });
    expect(readCouponCode('1234 5678 9012')).toEqual({ ok: true, code: '123456789012' });
    expect(readCouponCode('1234-5678-9012')).toEqual({ ok: true, code: '123456789012' });
  });

  it('refuses empty and malformed codes, and tells member codes apart', () => {
    expect(readCouponCode('  ')).toEqual({ ok: false, message: '请扫描或输入券码' });
    expect(readCouponCode('12345678')).toEqual({ ok: false, message: '券码应为 12 位数字' });
    expect(readCouponCode('MHCP:12345')).toEqual({ ok: false, message: '券码应为 12 位数字' });
    expect(isCouponCode('12345678')).toBe(false);
    expect(isCouponCode('123456789012345678')).toBe(false);
    expect(isCouponCode('123456789012')).toBe(true);
    expect(couponDigits('MHCP:123456789012')).toBe('123456789012');
    expect(couponDigits('123456789012')).toBe('123456789012');
  });
});

describe('the coupon card', () => {
  it('shows the face, status and a week-long expiry warning for usable coupons', () => {
    // Valid until the end of 2030-01-03 China time; now is 2030-01-01 08:00 China time.
    const soon = coupon({ validUntil: '2030-01-03T16:00:00.000Z' });
    expect(couponCard(soon, NOW)).toEqual({
      face: { headline: '¥20', condition: '满¥100.00可用', validity: '2030-01-01 至 2030-01-03' },
      status: '可使用',
      expiry: '2 天后过期',
      held: null,
      used: null,
    });
    expect(couponCard(coupon(), NOW).expiry).toBeNull();
    expect(couponCard(coupon({ status: 'expired', validUntil: '2030-01-03T16:00:00.000Z' }), NOW).expiry).toBeNull();
  });

  it('says when a held referral reward becomes usable', () => {
    const held = coupon({ status: 'held', heldUntil: '2030-03-07T16:00:00.000Z' });
    expect(couponCard(held, NOW)).toMatchObject({ status: '待生效', held: '待生效，03月08日起可用' });
    expect(heldHint('not a date')).toBe('待生效');
  });

  it('says when a used coupon was used and what it took off', () => {
    const used = coupon({ status: 'used', usedAt: '2030-01-01T04:05:00Z', discountFen: 2_000 });
    expect(couponCard(used, NOW)).toMatchObject({ status: '已使用', used: '2030-01-01 12:05 已使用，优惠 ¥20.00' });
  });

  it('reads the last valid day whether validUntil is the last millisecond or the next midnight', () => {
    expect(couponValidity({ validFrom: '2029-12-31T16:00:00Z', validUntil: '2030-01-31T15:59:59.999Z' })).toEqual({
      type: 'fixed',
      from: '2030-01-01',
      until: '2030-01-31',
    });
    expect(couponValidity({ validFrom: '2029-12-31T16:00:00Z', validUntil: '2030-01-31T16:00:00Z' }).until).toBe(
      '2030-01-31',
    );
  });

  it('lists the terms', () => {
    expect(couponTerms(coupon())).toEqual([
      '订单满 ¥100.00 可用',
      '全部门店可用',
      '不可与其他优惠券同时使用',
      '有效期 2030-01-01 至 2030-01-31',
    ]);
    const limited = coupon({
      effect: { kind: 'discount', rateBp: 8_800, capFen: 5_000 },
      conditions: { thresholdFen: 0, storeIds: ['0123456789abcdef01234567'], categories: ['饮品'], stackable: true },
    });
    expect(couponTerms(limited)).toEqual([
      '无使用门槛',
      '最高优惠 ¥50.00',
      '仅限指定门店使用',
      '仅限 饮品 类商品',
      '可与其他可叠加的优惠券同时使用',
      '有效期 2030-01-01 至 2030-01-31',
    ]);
  });

  it('opens the coupon page by id, and reads the tab', () => {
    expect(couponDetailPath('c 1')).toBe('/pages/coupons/detail?id=c%201');
    expect(readCouponTab('used')).toBe('used');
    expect(readCouponTab('nonsense')).toBe('usable');
    expect(readCouponTab(undefined)).toBe('usable');
  });
});

describe('the claim centre', () => {
  it('labels the button: sold out before this member’s allowance', () => {
    expect(claimButton({ stockLeft: 3, remainingForMe: 1 })).toEqual({ label: '立即领取', disabled: false });
    expect(claimButton({ stockLeft: null, remainingForMe: 1 })).toEqual({ label: '立即领取', disabled: false });
    expect(claimButton({ stockLeft: 0, remainingForMe: 1 })).toEqual({ label: '已领完', disabled: true });
    expect(claimButton({ stockLeft: 0, remainingForMe: 0 })).toEqual({ label: '已领完', disabled: true });
    expect(claimButton({ stockLeft: 3, remainingForMe: 0 })).toEqual({ label: '已领取', disabled: true });
    expect(claimStockText(5)).toBe('仅剩 5 张');
    expect(claimStockText(null)).toBeNull();
    expect(claimStockText(5_000)).toBeNull();
  });

  it('shows a tap’s effect before the list is read again', () => {
    const other = { ...claimable, templateId: 'other' };
    expect(afterClaim([claimable, other], claimable.templateId, 'claimed')).toEqual([
      { ...claimable, stockLeft: 4, remainingForMe: 0 },
      other,
    ]);
    expect(afterClaim([{ ...claimable, stockLeft: null }], claimable.templateId, 'claimed')[0]?.stockLeft).toBeNull();
    expect(afterClaim([claimable], claimable.templateId, 'replayed')).toEqual([claimable]);
    expect(afterClaim([claimable], claimable.templateId, 'COUPON_SOLD_OUT')[0]?.stockLeft).toBe(0);
    expect(afterClaim([claimable], claimable.templateId, 'COUPON_LIMIT_REACHED')[0]?.remainingForMe).toBe(0);
  });

  it('claims with one key per tap, and resends it only after a lost answer', async () => {
    let answers = 0;
    const { coupons, requests } = setup({
      [`POST ${CouponPaths.claims}`]: () => {
        answers += 1;
        if (answers === 1) throw new Error('request:fail timeout');
        if (answers === 3) return fail(409, 'COUPON_LIMIT_REACHED', '已达到领取上限');
        return { status: 201, data: { coupon: coupon(), replayed: answers === 2 } };
      },
    });
    let n = 0;
    const claim = createClaimer(coupons.claim, () => `claim-key-${++n}`);
    await expect(claim(claimable.templateId)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(claim(claimable.templateId)).resolves.toMatchObject({ replayed: true });
    await expect(claim(claimable.templateId)).rejects.toMatchObject({ code: 'COUPON_LIMIT_REACHED' });
    await expect(claim(claimable.templateId)).resolves.toMatchObject({ replayed: false });
    expect(requests.map((r) => r.body)).toEqual([
      { templateId: claimable.templateId, idempotencyKey: 'claim-key-1' },
      { templateId: claimable.templateId, idempotencyKey: 'claim-key-1' },
      { templateId: claimable.templateId, idempotencyKey: 'claim-key-2' },
      { templateId: claimable.templateId, idempotencyKey: 'claim-key-3' },
    ]);
    expect(requests[0]?.headers.Authorization).toBe('Bearer tok-a');
  });
});

describe('my coupons over the API', () => {
  it('asks for one tab with the counts, and one coupon by id; logs in again once on an expired token', async () => {
    const { coupons, requests, platform } = setup({
      [`GET ${CouponPaths.myCoupons}?tab=used`]: (r) =>
        r.headers.Authorization === 'Bearer tok-b'
          ? ok({ coupons: [coupon({ status: 'used' })], counts: { usable: 2, used: 1, expired: 0 } })
          : fail(401, 'TOKEN_EXPIRED'),
      [`GET ${CouponPaths.myCoupon('cp1')}`]: () => ok(coupon()),
      [`GET ${CouponPaths.claimable}`]: () => ok({ coupons: [claimable] }),
    });
    await expect(coupons.mine('used')).resolves.toMatchObject({ counts: { usable: 2, used: 1, expired: 0 } });
    expect(platform.login).toHaveBeenCalledTimes(1);
    await expect(coupons.coupon('cp1')).resolves.toMatchObject({ code: '123456789012' });
    await expect(coupons.claimable()).resolves.toEqual({ coupons: [claimable] });
    expect(requests.filter((r) => r.method === 'GET').map((r) => r.url)).toEqual([
      '/api/v1/me/coupons?tab=used',
      '/api/v1/me/coupons?tab=used',
      '/api/v1/me/coupons/cp1',
      '/api/v1/me/coupons/claimable',
    ]);
  });

  it('reads a server without coupons as 即将上线', () => {
    expect(couponsNotBuilt(new ApiError('ROUTE_NOT_FOUND', '接口不存在', 404))).toBe(true);
    expect(couponsNotBuilt(new ApiError('NOT_FOUND', '资源不存在', 404))).toBe(false);
  });
});
