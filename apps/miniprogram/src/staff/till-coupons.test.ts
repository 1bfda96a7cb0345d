import type { CouponQuote } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { coupon, staffCouponView } from '../testing/coupons';
import { fakeClock, flush } from '../testing/fake-clock';
import {
  addLookedUpCoupon,
  createQuoteTracker,
  listedCoupon,
  type QuoteState,
  tillCouponFen,
  tillCoupons,
  toggleTillCoupon,
} from './till-coupons';

const memberId = '0123456789abcdef01234567';
const single = coupon({ id: 'a', code: '100000000001' });
const other = coupon({ id: 'b', code: '100000000002' });
const stackA = coupon({
  id: 'c',
  code: '100000000003',
  conditions: { ...single.conditions, stackable: true },
});
const stackB = coupon({
  id: 'd',
  code: '100000000004',
  conditions: { ...single.conditions, stackable: true },
});
const all = [single, other, stackA, stackB];

describe('ticking coupons at the till', () => {
  it('ticks one, and another replaces it unless both stack', () => {
    expect(toggleTillCoupon([], single.code, all)).toEqual({ selected: [single.code], notice: null });
    expect(toggleTillCoupon([single.code], other.code, all)).toEqual({
      selected: [other.code],
      notice: '不可叠加的优惠券每单只能用一张，已改为使用这张',
    });
    expect(toggleTillCoupon([single.code], stackA.code, all).selected).toEqual([stackA.code]);
    expect(toggleTillCoupon([stackA.code], single.code, all).selected).toEqual([single.code]);
  });

  it('adds stackable ones to stackable ones, up to five', () => {
    expect(toggleTillCoupon([stackA.code], stackB.code, all)).toEqual({
      selected: [stackA.code, stackB.code],
      notice: null,
    });
    const many = Array.from({ length: 6 }, (_, i) =>
      coupon({ id: `s${i}`, code: `20000000000${i}`, conditions: { ...single.conditions, stackable: true } }),
    );
    const five = many.slice(0, 5).map((c) => c.code);
    expect(toggleTillCoupon(five, many[5]?.code ?? '', many)).toEqual({
      selected: five,
      notice: '每单最多使用 5 张优惠券',
    });
  });

  it('unticks a ticked one and ignores codes it does not know', () => {
    expect(toggleTillCoupon([stackA.code, stackB.code], stackA.code, all).selected).toEqual([stackB.code]);
    expect(toggleTillCoupon([single.code], '999999999999', all).selected).toEqual([single.code]);
  });

  it('offers money coupons only: gift coupons are verified on their own', () => {
    const gift = coupon({ id: 'g', code: '100000000009', effect: { kind: 'gift', giftName: '帆布袋' } });
    expect(tillCoupons([single, gift]).map((c) => c.id)).toEqual(['a']);
  });
});

describe('adding a coupon by its code', () => {
  it('finds a listed coupon by digits or by the scanned payload', () => {
    expect(listedCoupon(all, '100000000002')).toBe(other);
    expect(listedCoupon(all, 'MHCP:100000000002')).toBe(other);
    expect(listedCoupon(all, '100000000099')).toBeNull();
  });

  it('adds a looked-up coupon of this member once, and refuses others', () => {
    const found = coupon({ id: 'n', code: '300000000001' });
    const view = staffCouponView({ coupon: found });
    expect(addLookedUpCoupon([single], view, memberId)).toEqual({
      ok: true,
      coupons: [single, found],
      code: found.code,
    });
    expect(addLookedUpCoupon([single, found], view, memberId)).toMatchObject({ ok: true, coupons: [single, found] });
    expect(addLookedUpCoupon([], view, 'fedcba9876543210fedcba98')).toEqual({
      ok: false,
      message: '这张券属于会员 10000001，不能用于当前会员的消费',
    });
    expect(addLookedUpCoupon([], staffCouponView({ problem: '该券不适用于本门店' }), memberId)).toEqual({
      ok: false,
      message: '该券不适用于本门店',
    });
    expect(addLookedUpCoupon([], staffCouponView({ verifiableAlone: true }), memberId)).toMatchObject({ ok: false });
  });
});

describe('the coupon quote at the till', () => {
  const quoted = (couponFen: number, amountFen: number): CouponQuote => ({
    couponFen,
    lines: [{ code: single.code, title: single.title, discountFen: couponFen }],
    payableFen: amountFen - couponFen,
  });

  function setup(answer: (amountFen: number) => Promise<CouponQuote>) {
    const { clock, advance } = fakeClock();
    const states: QuoteState[] = [];
    const quote = jest.fn((request: { amountFen: number }) => answer(request.amountFen));
    const tracker = createQuoteTracker({ quote, onChange: (s) => states.push(s), clock, delayMs: 300 });
    return { tracker, quote, states, advance, last: () => states[states.length - 1] };
  }

  it('asks after the cashier pauses, once for the last amount typed', async () => {
    const { tracker, quote, last, advance } = setup(async (amountFen) => quoted(2_000, amountFen));
    tracker.update({ memberId, amountFen: 1_200, couponCodes: [single.code] });
    tracker.update({ memberId, amountFen: 12_800, couponCodes: [single.code] });
    expect(last()).toEqual({ status: 'loading' });
    await advance(300);
    expect(quote).toHaveBeenCalledTimes(1);
    expect(quote).toHaveBeenCalledWith({ memberId, amountFen: 12_800, items: [], couponCodes: [single.code] });
    expect(last()).toEqual({ status: 'ready', quote: quoted(2_000, 12_800) });

    // The same inputs again (a re-render) ask nothing.
    tracker.update({ memberId, amountFen: 12_800, couponCodes: [single.code] });
    await advance(1_000);
    expect(quote).toHaveBeenCalledTimes(1);
  });

  it('asks nothing without a coupon or an amount, and says none', async () => {
    const { tracker, quote, states, advance } = setup(async (amountFen) => quoted(2_000, amountFen));
    tracker.update({ memberId, amountFen: 12_800, couponCodes: [] });
    tracker.update({ memberId, amountFen: null, couponCodes: [single.code] });
    await advance(1_000);
    expect(quote).not.toHaveBeenCalled();
    expect(states).toEqual([]);
  });

  it('drops an answer for inputs that changed meanwhile', async () => {
    let release: (q: CouponQuote) => void = () => {};
    const { tracker, last, advance } = setup((amountFen) =>
      amountFen === 12_800 ? new Promise((resolve) => (release = resolve)) : Promise.resolve(quoted(0, amountFen)),
    );
    tracker.update({ memberId, amountFen: 12_800, couponCodes: [single.code] });
    await advance(300);
    tracker.update({ memberId, amountFen: 5_000, couponCodes: [single.code] });
    release(quoted(2_000, 12_800));
    await flush();
    expect(last()).toEqual({ status: 'loading' });
    await advance(300);
    expect(last()).toEqual({ status: 'ready', quote: quoted(0, 5_000) });
  });

  it('shows a refusal, and a change asks again', async () => {
    let refuse = true;
    const { tracker, last, advance } = setup(async (amountFen) => {
      if (refuse) throw new ApiError('COUPON_NOT_USABLE', '该优惠券不能用于本单', 409);
      return quoted(2_000, amountFen);
    });
    tracker.update({ memberId, amountFen: 5_000, couponCodes: [single.code] });
    await advance(300);
    expect(last()).toEqual({ status: 'error', message: '该优惠券不能用于本单' });
    refuse = false;
    tracker.update({ memberId, amountFen: 12_800, couponCodes: [single.code] });
    await advance(300);
    expect(last()).toMatchObject({ status: 'ready' });
  });

  it('stops asking once the panel is gone', async () => {
    const { tracker, quote, advance } = setup(async (amountFen) => quoted(2_000, amountFen));
    tracker.update({ memberId, amountFen: 12_800, couponCodes: [single.code] });
    tracker.stop();
    await advance(1_000);
    expect(quote).not.toHaveBeenCalled();
  });

  it('lets the purchase through only with the quote in', () => {
    expect(tillCouponFen([], { status: 'none' })).toEqual({ ok: true, couponFen: 0 });
    expect(tillCouponFen([single.code], { status: 'ready', quote: quoted(2_000, 12_800) })).toEqual({
      ok: true,
      couponFen: 2_000,
    });
    expect(tillCouponFen([single.code], { status: 'loading' })).toEqual({
      ok: false,
      message: '正在计算优惠，请稍候再提交',
    });
    expect(tillCouponFen([single.code], { status: 'error', message: '优惠券已被使用' })).toEqual({
      ok: false,
      message: '所选优惠券不能用于本单：优惠券已被使用',
    });
  });
});
