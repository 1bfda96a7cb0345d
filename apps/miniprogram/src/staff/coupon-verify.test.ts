import { CouponPaths, type StaffProfile } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import type { HttpRequest, HttpResponse } from '../api/transport';
import { coupon, staffCouponView } from '../testing/coupons';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memoryStore, NOW } from '../testing/fixtures';
import {
  APPLY_AT_PURCHASE,
  type CouponDeskState,
  createCouponDesk,
  describeCouponError,
  verifyVerdict,
} from './coupon-verify';
import { createStaffSession, type StoredStaffSession } from './staff-session';

const staff: StaffProfile = {
  staffId: 's1',
  name: '李店员',
  username: 'li',
  role: 'staff',
  store: { id: 'st1', name: '南山店', code: 'NS01' },
};
const gift = coupon({ effect: { kind: 'gift', giftName: '帆布袋' }, title: '帆布袋兑换券' });

function setup(routes: Record<string, (r: HttpRequest) => HttpResponse>) {
  const { transport, requests } = fakeTransport(routes);
  const store = memoryStore<StoredStaffSession>({ token: 'staff-tok', expiresAt: '2030-01-01T12:00:00Z', staff });
  const staffSession = createStaffSession({ baseUrl: '', transport, store, onSignedOut: () => {}, now: () => NOW });
  const states: CouponDeskState[] = [];
  let n = 0;
  const desk = createCouponDesk({
    lookup: staffSession.lookupCoupon,
    verify: staffSession.verifyCoupon,
    onChange: (s) => states.push(s),
    makeKey: () => `verify-key-${++n}`,
  });
  return { desk, requests, last: () => states[states.length - 1] };
}

describe('what the till does with a looked-up coupon', () => {
  it('verifies gift coupons here, sends money coupons to 记录消费, and shows problems', () => {
    expect(verifyVerdict(staffCouponView({ coupon: gift, verifiableAlone: true }))).toEqual({
      canVerify: true,
      note: null,
    });
    expect(verifyVerdict(staffCouponView())).toEqual({ canVerify: false, note: APPLY_AT_PURCHASE });
    expect(verifyVerdict(staffCouponView({ verifiableAlone: true, problem: '优惠券已过期' }))).toEqual({
      canVerify: false,
      note: '优惠券已过期',
    });
  });

  it('words failures for the cashier', () => {
    expect(describeCouponError(new ApiError('VALIDATION_FAILED', '请求参数有误', 400))).toBe('券码应为 12 位数字');
    expect(describeCouponError(new ApiError('NOT_FOUND', '资源不存在', 404))).toBe('未找到这张优惠券，请核对券码');
    expect(describeCouponError(new ApiError('COUPON_USED', '优惠券已被使用', 409))).toBe('优惠券已被使用');
  });
});

describe('核销券', () => {
  it('looks up a typed code (spaces dropped), verifies it, and a retry after a lost answer reuses the key', async () => {
    let verifies = 0;
    const { desk, requests, last } = setup({
      [`POST ${CouponPaths.staffLookup}`]: () => ok(staffCouponView({ coupon: gift, verifiableAlone: true })),
      [`POST ${CouponPaths.staffVerify}`]: () => {
        verifies += 1;
        if (verifies === 1) throw new Error('request:fail timeout');
        return ok({ coupon: { ...gift, status: 'used', usedAt: '2030-01-01T02:00:00Z' }, replayed: false });
      },
    });
    await desk.lookup(' 1234 5678 9012 ');
    expect(requests[0]?.body).toEqual({ code: '123456789012' });
    expect(requests[0]?.headers.Authorization).toBe('Bearer staff-tok');
    expect(last()).toMatchObject({ busy: false, verdict: { canVerify: true }, error: null });

    await desk.confirm();
    expect(last()).toMatchObject({
      busy: false,
      verified: null,
      error: '网络连接失败，请重试（重复提交不会重复核销）',
    });
    await desk.confirm();
    expect(last()).toMatchObject({ verified: { replayed: false }, view: { coupon: { status: 'used' } } });
    expect(requests.slice(1).map((r) => r.body)).toEqual([
      { code: '123456789012', idempotencyKey: 'verify-key-1' },
      { code: '123456789012', idempotencyKey: 'verify-key-1' },
    ]);

    // Verified once: no second verification from the same screen.
    await desk.confirm();
    expect(requests).toHaveLength(3);
  });

  it('sends a scanned payload as scanned, and offers no 确认核销 for money coupons', async () => {
    const { desk, requests, last } = setup({
      [`POST ${CouponPaths.staffLookup}`]: () => ok(staffCouponView()),
    });
    await desk.lookup('MHCP:123456789012');
    expect(requests[0]?.body).toEqual({ code: 'MHCP:123456789012' });
    expect(last()).toMatchObject({ verdict: { canVerify: false, note: APPLY_AT_PURCHASE } });
    await desk.confirm();
    expect(requests).toHaveLength(1);
  });

  it('refuses a malformed code without asking, and shows the server’s refusal', async () => {
    const { desk, requests, last } = setup({
      [`POST ${CouponPaths.staffLookup}`]: () => fail(404, 'NOT_FOUND', '资源不存在'),
    });
    await desk.lookup('12345');
    expect(last()).toMatchObject({ error: '券码应为 12 位数字', view: null });
    expect(requests).toHaveLength(0);
    await desk.lookup('123456789012');
    expect(last()).toMatchObject({ busy: false, error: '未找到这张优惠券，请核对券码', view: null });
    desk.reset();
    expect(last()).toEqual({ busy: false, view: null, verdict: null, verified: null, error: null });
  });
});
