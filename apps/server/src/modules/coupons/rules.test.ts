import type { CouponConditions, CouponEffect } from '@member-hub/shared';
import { type CouponOrder, type CouponTerms, evaluate, problemOf } from './rules';

const AT = new Date('2026-12-01T04:00:00Z');
const STORE_A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const STORE_B = 'bbbbbbbbbbbbbbbbbbbbbbbb';

function coupon(effect: CouponEffect, conditions: Partial<CouponConditions> = {}, extra: Partial<CouponTerms> = {}) {
  return {
    memberId: 'm1',
    status: 'available' as const,
    validFrom: new Date('2026-11-01T00:00:00Z'),
    validUntil: new Date('2026-12-31T15:59:59Z'),
    heldUntil: null,
    effect,
    conditions: { thresholdFen: 0, storeIds: [], categories: [], stackable: false, ...conditions },
    ...extra,
  };
}
const order = (amountFen: number, extra: Partial<CouponOrder> = {}): CouponOrder => ({
  memberId: 'm1',
  storeId: STORE_A,
  amountFen,
  items: [],
  at: AT,
  ...extra,
});
const off = (o: CouponOrder, ...cs: CouponTerms[]) => {
  const r = evaluate(o, cs);
  if (!r.ok) throw new Error(`${r.problem.reason}: ${r.problem.message}`);
  return r.couponFen;
};
const reason = (o: CouponOrder, ...cs: CouponTerms[]) => {
  const r = evaluate(o, cs);
  return r.ok ? null : r.problem.reason;
};

describe('coupon effects', () => {
  it('cash-off with threshold (满100减20): ¥99.99 cannot use it, ¥100.00 can', () => {
    const c = coupon({ kind: 'cash_off', valueFen: 2_000 }, { thresholdFen: 10_000 });
    expect(reason(order(9_999), c)).toBe('threshold');
    expect(evaluate(order(9_999), [c])).toMatchObject({ ok: false, problem: { message: '未满¥100.00，不能使用' } });
    expect(off(order(10_000), c)).toBe(2_000);
    expect(off(order(50_000), c)).toBe(2_000);
  });

  it('a no-threshold cash coupon never takes off more than the order', () => {
    expect(off(order(500), coupon({ kind: 'cash_off', valueFen: 1_000 }))).toBe(500);
  });

  it('discount 8.8折 with a ¥50 cap, amount off rounded down to the fen', () => {
    const c = coupon({ kind: 'discount', rateBp: 8_800, capFen: 5_000 });
    expect(off(order(10_000), c)).toBe(1_200);
    // 12% of ¥0.99 = 11.88 fen: 11 fen off, never a fraction.
    expect(off(order(99), c)).toBe(11);
    // 12% of ¥1,000 = ¥120, capped at ¥50.
    expect(off(order(100_000), c)).toBe(5_000);
    expect(off(order(100_000), coupon({ kind: 'discount', rateBp: 8_800, capFen: null }))).toBe(12_000);
  });

  it('free shipping covers the shipping items only, up to its cap', () => {
    const items = [
      { name: '衬衫', amountFen: 9_000 },
      { name: '运费', category: 'shipping', amountFen: 1_200 },
    ];
    expect(off(order(10_200, { items }), coupon({ kind: 'free_shipping', capFen: null }))).toBe(1_200);
    expect(off(order(10_200, { items }), coupon({ kind: 'free_shipping', capFen: 800 }))).toBe(800);
    expect(reason(order(9_000, { items: items.slice(0, 1) }), coupon({ kind: 'free_shipping', capFen: null }))).toBe(
      'no_benefit',
    );
  });

  it('a gift coupon is verified on its own, never applied to a purchase', () => {
    const c = coupon({ kind: 'gift', giftName: '拿铁一杯' });
    expect(reason(order(3_000), c)).toBe('gift');
    expect(problemOf(order(0), c, true)).toBeNull();
  });
});

describe('coupon conditions', () => {
  it('only at the stores it names', () => {
    const c = coupon({ kind: 'cash_off', valueFen: 500 }, { storeIds: [STORE_B] });
    expect(reason(order(10_000), c)).toBe('store');
    expect(off(order(10_000, { storeId: STORE_B }), c)).toBe(500);
    expect(reason(order(10_000, { storeId: null }), c)).toBe('store');
  });

  it('categories: only those items count towards the threshold and the discount', () => {
    const c = coupon({ kind: 'discount', rateBp: 5_000, capFen: null }, { categories: ['饮品'], thresholdFen: 3_000 });
    const items = [
      { name: '拿铁', category: '饮品', amountFen: 2_000 },
      { name: '蛋糕', category: '甜点', amountFen: 5_000 },
    ];
    expect(reason(order(7_000, { items }), c)).toBe('threshold');
    const more = [...items, { name: '美式', category: '饮品', amountFen: 1_000 }];
    expect(off(order(8_000, { items: more }), c)).toBe(1_500);
    expect(reason(order(7_000, { items: [] }), c)).toBe('category');
  });

  it('owner, status, validity and hold', () => {
    const base = { kind: 'cash_off', valueFen: 500 } as const;
    expect(reason(order(1_000, { memberId: 'm2' }), coupon(base))).toBe('owner');
    expect(reason(order(1_000), coupon(base, {}, { status: 'used' }))).toBe('used');
    expect(reason(order(1_000), coupon(base, {}, { status: 'held' }))).toBe('held');
    expect(reason(order(1_000), coupon(base, {}, { status: 'revoked' }))).toBe('revoked');
    expect(reason(order(1_000, { at: new Date('2027-01-01T00:00:00Z') }), coupon(base))).toBe('expired');
    expect(reason(order(1_000, { at: new Date('2026-10-31T00:00:00Z') }), coupon(base))).toBe('not_started');
  });

  it('one coupon per order unless every coupon stacks; stacked ones never exceed the order', () => {
    const plain = coupon({ kind: 'cash_off', valueFen: 500 });
    const stack1 = coupon({ kind: 'cash_off', valueFen: 700 }, { stackable: true });
    const stack2 = coupon({ kind: 'cash_off', valueFen: 800 }, { stackable: true });
    expect(reason(order(10_000), plain, stack1)).toBe('stacking');
    expect(off(order(10_000), stack1, stack2)).toBe(1_500);
    expect(off(order(1_000), stack1, stack2)).toBe(1_000);
    // A rate applies to what the amounts off left, whatever order the coupons were presented in.
    const rate = coupon({ kind: 'discount', rateBp: 8_800, capFen: null }, { stackable: true });
    const ten = coupon({ kind: 'cash_off', valueFen: 1_000 }, { stackable: true });
    expect(off(order(10_000), rate, ten)).toBe(1_000 + 1_080);
  });
});
