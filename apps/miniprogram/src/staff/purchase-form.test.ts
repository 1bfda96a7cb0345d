import { IdentityPaths, PointsPaths, type PurchaseResult, type StaffProfile } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import type { HttpResponse } from '../api/transport';
import { fail, fakeTransport, ok } from '../testing/fake-transport';
import { memoryStore, NOW } from '../testing/fixtures';
import {
  checkPurchase,
  checkTillPurchase,
  createPurchaseSubmitter,
  describePurchaseError,
  maxOffsetPoints,
  offsetFenFor,
  parseAmount,
  purchaseCouponLine,
  purchaseHeadline,
  purchasePaidLine,
} from './purchase-form';
import { createStaffSession, type StoredStaffSession } from './staff-session';

const staff: StaffProfile = {
  staffId: 's1',
  name: '李店员',
  username: 'li',
  role: 'staff',
  store: { id: 'st1', name: '南山店', code: 'NS01' },
};
const memberId = '0123456789abcdef01234567';
const recorded: PurchaseResult = {
  orderId: 'o1',
  memberId,
  amountFen: 12_800,
  offsetPoints: 0,
  offsetFen: 0,
  couponFen: 0,
  paidFen: 12_800,
  pointsEarned: 128,
  growthEarned: 128,
  explanation: '消费 ¥128.00，+128',
  balance: { points: 1_328, growth: 1_328, tier: '银卡' },
  replayed: false,
};

describe('parseAmount (yuan typed at the till)', () => {
  it('accepts whole yuan and up to two decimals', () => {
    expect(parseAmount('128')).toEqual({ ok: true, fen: 12_800 });
    expect(parseAmount(' 128.5 ')).toEqual({ ok: true, fen: 12_850 });
    expect(parseAmount('0.01')).toEqual({ ok: true, fen: 1 });
    expect(parseAmount('¥99.90')).toEqual({ ok: true, fen: 9_990 });
  });

  it.each([
    ['', '请输入消费金额'],
    ['   ', '请输入消费金额'],
    ['12.345', '金额最多保留两位小数'],
    ['-5', '金额不能为负数'],
    ['abc', '请输入正确的金额，例如 128 或 128.50'],
    ['12,80', '请输入正确的金额，例如 128 或 128.50'],
    ['1e3', '请输入正确的金额，例如 128 或 128.50'],
    ['0', '金额必须大于 0'],
    ['0.00', '金额必须大于 0'],
    ['1000000.01', '单笔金额不能超过 ¥1,000,000.00'],
  ])('refuses %j: %s', (text, message) => {
    expect(parseAmount(text)).toEqual({ ok: false, message });
  });
});

describe('maxOffsetPoints (100 积分 = ¥1, at most 50% of the order)', () => {
  it('is half the order in points when the member has enough', () => {
    expect(maxOffsetPoints(12_800, 100_000)).toBe(6_400); // ¥128 -> ¥64 -> 6,400 points
  });

  it('is the member’s balance when that is less', () => {
    expect(maxOffsetPoints(12_800, 1_200)).toBe(1_200);
  });

  it('rounds half of an odd fen amount down, the way the server checks it', () => {
    expect(maxOffsetPoints(12_801, 100_000)).toBe(6_400); // floor(12801 * 5000 / 10000) = 6400 fen
    expect(maxOffsetPoints(1, 100_000)).toBe(0);
  });

  it('is 0 for no points, a negative balance (refund reversal) or no amount', () => {
    expect(maxOffsetPoints(12_800, 0)).toBe(0);
    expect(maxOffsetPoints(12_800, -50)).toBe(0);
    expect(maxOffsetPoints(0, 1_000)).toBe(0);
  });

  it('follows other rules: only whole fen, within the share allowed', () => {
    // 300 points per yuan: 3 points buy 1 fen, so only multiples of 3 work; 30% of ¥10 = 300 fen = 900 points.
    const rules = { pointsPerYuanOffset: 300, maxOffsetBp: 3_000 };
    expect(maxOffsetPoints(1_000, 100_000, rules)).toBe(900);
    expect(maxOffsetPoints(1_000, 500, rules)).toBe(498);
    expect(offsetFenFor(498, rules)).toBe(166);
  });
});

describe('checkPurchase', () => {
  it('without offset sends only the amount', () => {
    expect(checkPurchase({ amount: '128', useOffset: false, offset: '999' }, 0)).toEqual({
      ok: true,
      amountFen: 12_800,
      offsetPoints: 0,
    });
  });

  it('checks the offset against the balance and the order share', () => {
    const check = (offset: string, points = 10_000) =>
      checkPurchase({ amount: '128', useOffset: true, offset }, points);
    expect(check('6400')).toEqual({ ok: true, amountFen: 12_800, offsetPoints: 6_400 });
    expect(check('6401')).toEqual({
      ok: false,
      errors: [{ field: 'offset', message: '本单最多可抵扣 6,400 积分（不超过订单金额的 50%）' }],
    });
    expect(check('500', 300)).toEqual({
      ok: false,
      errors: [{ field: 'offset', message: '积分不足：会员只有 300 积分' }],
    });
    expect(check('12.5')).toMatchObject({ ok: false, errors: [{ field: 'offset', message: '抵扣积分须为整数' }] });
    expect(check('')).toMatchObject({ ok: false, errors: [{ field: 'offset' }] });
  });

  it('reports a bad amount first', () => {
    expect(checkPurchase({ amount: '12.345', useOffset: true, offset: '100' }, 1_000)).toEqual({
      ok: false,
      errors: [{ field: 'amount', message: '金额最多保留两位小数' }],
    });
  });
});

describe('checkPurchase with coupons (the offset is capped on the amount after them)', () => {
  it('caps the offset at half of amount minus couponFen', () => {
    // ¥128 with a ¥28 coupon: ¥100 left, at most ¥50 = 5,000 points.
    const check = (offset: string) =>
      checkPurchase({ amount: '128', useOffset: true, offset }, 100_000, { couponFen: 2_800 });
    expect(check('5000')).toEqual({ ok: true, amountFen: 12_800, offsetPoints: 5_000 });
    expect(check('5001')).toEqual({
      ok: false,
      errors: [{ field: 'offset', message: '本单最多可抵扣 5,000 积分（不超过优惠券抵扣后金额的 50%）' }],
    });
    expect(maxOffsetPoints(12_800 - 12_800, 100_000)).toBe(0);
  });

  it('sends the ticked coupons only once their quote is in', () => {
    const draft = { amount: '128', useOffset: true, offset: '5000' };
    expect(checkTillPurchase(draft, 100_000, ['123456789012'], { ok: true, couponFen: 2_800 })).toEqual({
      ok: true,
      amountFen: 12_800,
      offsetPoints: 5_000,
      couponCodes: ['123456789012'],
    });
    expect(checkTillPurchase(draft, 100_000, [], { ok: true, couponFen: 0 })).toMatchObject({
      ok: true,
      couponCodes: [],
    });
    expect(
      checkTillPurchase(draft, 100_000, ['123456789012'], { ok: false, message: '正在计算优惠，请稍候再提交' }),
    ).toEqual({ ok: false, errors: [{ field: 'coupons', message: '正在计算优惠，请稍候再提交' }] });
    // The amount is wrong first, whatever the coupons.
    expect(checkTillPurchase({ ...draft, amount: '' }, 100_000, ['123456789012'], { ok: false, message: 'x' })).toEqual(
      { ok: false, errors: [{ field: 'amount', message: '请输入消费金额' }] },
    );
  });
});

describe('recording a purchase', () => {
  function setup(answers: (() => HttpResponse)[]) {
    const { transport, requests } = fakeTransport({
      [`POST ${PointsPaths.staffPurchases}`]: () => {
        const next = answers.shift();
        if (!next) throw new Error('no more answers');
        return next();
      },
      [`POST ${IdentityPaths.staffScan}`]: () => fail(500, 'INTERNAL'),
    });
    const store = memoryStore<StoredStaffSession>({ token: 'staff-tok', expiresAt: '2030-01-01T12:00:00Z', staff });
    const staffSession = createStaffSession({ baseUrl: '', transport, store, onSignedOut: () => {}, now: () => NOW });
    let n = 0;
    const submitter = createPurchaseSubmitter(staffSession.recordPurchase, () => `till-key-${++n}`);
    const keys = () => requests.map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);
    return { submitter, requests, keys };
  }
  const input = { memberId, amountFen: 12_800, offsetPoints: 0 };
  const lost = () => {
    throw new Error('request:fail timeout');
  };

  it('retries after a network error with the same key, and the next sale gets a new one', async () => {
    const { submitter, requests, keys } = setup([lost, () => ok({ ...recorded, replayed: true }), () => ok(recorded)]);

    const error = await submitter.submit(input).catch((e: unknown) => e);
    expect(describePurchaseError(error)).toMatchObject({ unknownOutcome: true, rescan: false });
    await expect(submitter.submit(input)).resolves.toMatchObject({ replayed: true });
    await submitter.submit(input);

    expect(keys()).toEqual(['till-key-1', 'till-key-1', 'till-key-2']);
    expect(requests[0]?.body).toEqual({ ...input, items: [], couponCodes: [], idempotencyKey: 'till-key-1' });
    expect(requests[0]?.headers.Authorization).toBe('Bearer staff-tok');
  });

  it('keeps the key after a server error too (the sale may be half recorded; the server resumes it)', async () => {
    const { submitter, keys } = setup([() => fail(503, 'DATABASE_UNAVAILABLE', '服务暂时不可用'), () => ok(recorded)]);
    await submitter.submit(input).catch(() => {});
    await submitter.submit(input);
    expect(keys()).toEqual(['till-key-1', 'till-key-1']);
  });

  it('keeps the key after a refusal (nothing was recorded) and after a corrected retry succeeds, renews it', async () => {
    const { submitter, keys } = setup([
      () => fail(400, 'OFFSET_TOO_LARGE', '积分抵扣超过订单金额上限'),
      () => ok(recorded),
      () => ok(recorded),
    ]);
    const error = await submitter.submit({ ...input, offsetPoints: 9_000 }).catch((e: unknown) => e);
    expect(describePurchaseError(error)).toEqual({
      errors: [{ field: 'offset', message: '积分抵扣超过订单金额上限' }],
      rescan: false,
      unknownOutcome: false,
    });
    await submitter.submit(input);
    await submitter.submit(input);
    expect(keys()).toEqual(['till-key-1', 'till-key-1', 'till-key-2']);
  });

  it('an order conflict (an earlier attempt with other numbers went through) starts a new key', async () => {
    const { submitter, keys } = setup([() => fail(409, 'ORDER_CONFLICT'), () => ok(recorded)]);
    await submitter.submit(input).catch(() => {});
    await submitter.submit(input);
    expect(keys()).toEqual(['till-key-1', 'till-key-2']);
  });

  it('asks to rescan when the scan is too old', () => {
    expect(describePurchaseError(new ApiError('MEMBER_NOT_SCANNED', '请先扫描会员码再记录消费', 409))).toMatchObject({
      rescan: true,
      unknownOutcome: false,
    });
  });

  it('puts a validation refusal about the offset under the offset field', () => {
    const error = new ApiError('VALIDATION_FAILED', '抵扣积分须为 3 的整数倍', 400, [{ path: 'offsetPoints' }]);
    expect(describePurchaseError(error).errors).toEqual([{ field: 'offset', message: '抵扣积分须为 3 的整数倍' }]);
  });

  it('says what was recorded', () => {
    expect(purchaseHeadline(recorded)).toBe('已记录 ¥128.00，会员获得 128 积分');
    expect(purchaseCouponLine(recorded)).toBeNull();
    const withCoupon = { ...recorded, couponFen: 2_000, paidFen: 10_800 };
    expect(purchaseCouponLine(withCoupon)).toBe('优惠券抵扣 -¥20.00');
    expect(purchasePaidLine(withCoupon)).toBe('应收 ¥108.00');
  });

  it('sends the coupon codes with the purchase', async () => {
    const { submitter, requests } = setup([() => ok({ ...recorded, couponFen: 2_000 })]);
    await submitter.submit({ ...input, couponCodes: ['123456789012'] });
    expect(requests[0]?.body).toEqual({
      ...input,
      items: [],
      couponCodes: ['123456789012'],
      idempotencyKey: 'till-key-1',
    });
  });

  it('puts coupon refusals under the coupons field, keeping the key (nothing was recorded)', async () => {
    const { submitter, keys } = setup([() => fail(409, 'COUPON_USED', '优惠券已被使用'), () => ok(recorded)]);
    const error = await submitter.submit({ ...input, couponCodes: ['123456789012'] }).catch((e: unknown) => e);
    expect(describePurchaseError(error)).toEqual({
      errors: [{ field: 'coupons', message: '优惠券已被使用' }],
      rescan: false,
      unknownOutcome: false,
    });
    await submitter.submit(input);
    expect(keys()).toEqual(['till-key-1', 'till-key-1']);
    const invalid = new ApiError('VALIDATION_FAILED', '请求参数有误', 400, [
      { path: ['couponCodes', 0], message: '券码应为 12 位数字' },
    ]);
    expect(describePurchaseError(invalid).errors).toEqual([{ field: 'coupons', message: '券码应为 12 位数字' }]);
  });
});
