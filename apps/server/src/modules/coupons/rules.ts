// Coupon conditions and effects as registered rule objects (like the earn rules): a condition says why a coupon
// cannot be used on an order, an effect says how much it takes off. Pure functions over the order and the
// coupon's own copy of its terms; the service does the reading and the conditional writes.
import { type CouponConditions, type CouponEffect, type CouponStatus, formatFen } from '@member-hub/shared';

export interface CouponOrder {
  memberId: string;
  storeId: string | null;
  /** Before coupons and points. */
  amountFen: number;
  items: { category?: string; amountFen: number }[];
  at: Date;
}

export interface CouponTerms {
  memberId: string;
  status: CouponStatus;
  validFrom: Date;
  validUntil: Date;
  heldUntil: Date | null;
  effect: CouponEffect;
  conditions: CouponConditions;
}

/** Why it cannot be used: a stable reason for clients and a sentence for people. */
export interface Problem {
  reason: string;
  message: string;
}

interface Condition {
  name: string;
  /** Stand-alone verification (核销 of a gift) skips the conditions that need an order. */
  needsOrder: boolean;
  check(order: CouponOrder, coupon: CouponTerms): Problem | null;
}

interface Effect<K extends CouponEffect['kind']> {
  kind: K;
  /** Applied to a purchase (gift coupons are verified on their own instead). */
  onOrders: boolean;
  discount(eligibleFen: number, order: CouponOrder, effect: Extract<CouponEffect, { kind: K }>): number;
}

const conditions: Condition[] = [];
const effects = new Map<string, Effect<CouponEffect['kind']>>();

function condition(c: Condition): void {
  conditions.push(c);
}
function effect<K extends CouponEffect['kind']>(e: Effect<K>): void {
  effects.set(e.kind, e as unknown as Effect<CouponEffect['kind']>);
}

const STATUS_PROBLEMS: Record<Exclude<CouponStatus, 'available'>, Problem> = {
  held: { reason: 'held', message: '奖励券尚未生效' },
  used: { reason: 'used', message: '优惠券已被使用' },
  expired: { reason: 'expired', message: '优惠券已过期' },
  revoked: { reason: 'revoked', message: '优惠券已作废' },
};

condition({
  name: 'owner',
  needsOrder: false,
  check: (order, c) => (c.memberId === order.memberId ? null : { reason: 'owner', message: '这张券不属于该会员' }),
});
condition({
  name: 'status',
  needsOrder: false,
  check: (_order, c) => (c.status === 'available' ? null : STATUS_PROBLEMS[c.status]),
});
condition({
  name: 'validity',
  needsOrder: false,
  check(order, c) {
    if (order.at < c.validFrom) return { reason: 'not_started', message: '未到使用时间' };
    if (order.at > c.validUntil) return { reason: 'expired', message: '优惠券已过期' };
    return null;
  },
});
condition({
  name: 'store',
  needsOrder: false,
  check(order, c) {
    const stores = c.conditions.storeIds;
    if (stores.length === 0 || (order.storeId && stores.includes(order.storeId))) return null;
    return { reason: 'store', message: '该券不适用于本门店' };
  },
});
condition({
  name: 'categories',
  needsOrder: true,
  check(order, c) {
    if (c.conditions.categories.length === 0 || eligibleFen(order, c.conditions) > 0) return null;
    return { reason: 'category', message: `本单没有适用商品（限${c.conditions.categories.join('、')}）` };
  },
});
condition({
  name: 'threshold',
  needsOrder: true,
  check(order, c) {
    const threshold = c.conditions.thresholdFen;
    if (eligibleFen(order, c.conditions) >= threshold) return null;
    return { reason: 'threshold', message: `未满${formatFen(threshold)}，不能使用` };
  },
});
condition({
  name: 'kind',
  needsOrder: true,
  check: (_order, c) =>
    effects.get(c.effect.kind)?.onOrders ? null : { reason: 'gift', message: '兑换券请由店员单独核销' },
});

effect({ kind: 'cash_off', onOrders: true, discount: (eligible, _o, e) => Math.min(e.valueFen, eligible) });
effect({
  kind: 'discount',
  onOrders: true,
  // The amount off is rounded down (to the fen): the member pays at most the stated rate, never a float.
  discount(eligible, _o, e) {
    const off = Math.floor((eligible * (10_000 - e.rateBp)) / 10_000);
    return e.capFen === null ? off : Math.min(off, e.capFen);
  },
});
effect({ kind: 'gift', onOrders: false, discount: () => 0 });
effect({
  kind: 'free_shipping',
  onOrders: true,
  discount(_eligible, order, e) {
    const shipping = order.items.filter((i) => i.category === 'shipping').reduce((s, i) => s + i.amountFen, 0);
    return e.capFen === null ? shipping : Math.min(shipping, e.capFen);
  },
});

/** The part of the order a coupon counts: everything, or only the items in its categories. */
export function eligibleFen(order: CouponOrder, terms: CouponConditions): number {
  if (terms.categories.length === 0) return order.amountFen;
  return order.items
    .filter((i) => i.category !== undefined && terms.categories.includes(i.category))
    .reduce((s, i) => s + i.amountFen, 0);
}

/** The first problem with using this coupon (on this order, or alone when `alone`), or null. */
export function problemOf(order: CouponOrder, coupon: CouponTerms, alone = false): Problem | null {
  for (const c of conditions) {
    if (alone && c.needsOrder) continue;
    const problem = c.check(order, coupon);
    if (problem) return problem;
  }
  return null;
}

export function isVerifiableAlone(effectKind: CouponEffect['kind']): boolean {
  return effects.get(effectKind)?.onOrders === false;
}

export type Evaluation<C> =
  | { ok: true; lines: { coupon: C; discountFen: number }[]; couponFen: number }
  | { ok: false; coupon: C | null; problem: Problem; stacking?: boolean };

/**
 * What a set of coupons takes off one order. One coupon per order unless every one is stackable; each is checked
 * against the order as the member presented it (thresholds on the amount before any coupon), and together they
 * never take off more than the order's amount.
 */
export function evaluate<C extends CouponTerms>(order: CouponOrder, coupons: C[]): Evaluation<C> {
  if (coupons.length > 1) {
    const loner = coupons.find((c) => !c.conditions.stackable);
    if (loner)
      return {
        ok: false,
        coupon: loner,
        stacking: true,
        problem: { reason: 'stacking', message: '每单限用一张优惠券（该券不可叠加）' },
      };
  }
  const lines: { coupon: C; discountFen: number }[] = [];
  let left = order.amountFen;
  // Stacked coupons: amounts off first, then rates on what is left (¥10 off, then 8.8折 of the remaining ¥90).
  const ordered = [...coupons].sort(
    (a, b) => Number(a.effect.kind === 'discount') - Number(b.effect.kind === 'discount'),
  );
  for (const coupon of ordered) {
    const problem = problemOf(order, coupon);
    if (problem) return { ok: false, coupon, problem };
    const fx = effects.get(coupon.effect.kind);
    if (!fx) return { ok: false, coupon, problem: { reason: 'kind', message: '未知的券类型' } };
    const eligible = Math.min(left, eligibleFen(order, coupon.conditions));
    const off = Math.min(left, fx.discount(eligible, order, coupon.effect));
    // Spending a coupon for nothing (free shipping on an order without shipping) is never what the member wants.
    if (off === 0) return { ok: false, coupon, problem: { reason: 'no_benefit', message: '本单使用该券没有优惠' } };
    left -= off;
    lines.push({ coupon, discountFen: off });
  }
  return { ok: true, lines, couponFen: order.amountFen - left };
}
