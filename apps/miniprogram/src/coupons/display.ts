import {
  type ClaimableCoupon,
  type Coupon,
  type CouponFace,
  CouponStatusLabels,
  type CouponValidity,
  couponFace,
  expiryHint,
  formatFen,
  type MyCoupons,
} from '@member-hub/shared';
import { formatDate, formatDateTime } from '../loyalty/format';

export const COUPONS_PAGE = '/pages/coupons/index';
export const COUPON_DETAIL_PAGE = '/pages/coupons/detail';
export const CLAIM_PAGE = '/pages/coupons/claim';

export function couponDetailPath(couponId: string): string {
  return `${COUPON_DETAIL_PAGE}?id=${encodeURIComponent(couponId)}`;
}

export type CouponTab = keyof MyCoupons['counts'];
export const COUPON_TABS: readonly { tab: CouponTab; label: string }[] = [
  { tab: 'usable', label: '可使用' },
  { tab: 'used', label: '已使用' },
  { tab: 'expired', label: '已过期' },
];

/** A coupon's tab as the page asks for it: `?tab=` values other than the three fall back to 可使用. */
export function readCouponTab(value: string | null | undefined): CouponTab {
  return value === 'used' || value === 'expired' ? value : 'usable';
}

/**
 * The days a held coupon runs, as couponFace shows a template's fixed dates (China days). `validUntil` is the end
 * of the last day, whether the server writes 23:59:59.999 or the next midnight: a millisecond before it is that day.
 */
export function couponValidity(
  coupon: Pick<Coupon, 'validFrom' | 'validUntil'>,
): Extract<CouponValidity, { type: 'fixed' }> {
  const until = Date.parse(coupon.validUntil);
  const lastDay = Number.isNaN(until) ? formatDate(coupon.validUntil) : formatDate(new Date(until - 1).toISOString());
  return { type: 'fixed', from: formatDate(coupon.validFrom), until: lastDay };
}

/** "待生效，03月08日起可用": a referral reward waits until the rewarded order can no longer be refunded. */
export function heldHint(heldUntilIso: string): string {
  const day = formatDateTime(heldUntilIso);
  if (day === heldUntilIso) return '待生效';
  return `待生效，${day.slice(5, 7)}月${day.slice(8, 10)}日起可用`;
}

export interface CouponCardView {
  face: CouponFace;
  /** 可使用 / 待生效 / 已使用 / 已过期 / 已作废 */
  status: string;
  /** "3 天后过期" / "今天过期" for a usable coupon running out within a week. */
  expiry: string | null;
  /** For a held coupon: when it becomes usable. */
  held: string | null;
  /** For a used one: when, and what it took off. */
  used: string | null;
}

/** What one card in 我的优惠券 says. */
export function couponCard(coupon: Coupon, nowMs: number): CouponCardView {
  const usable = coupon.status === 'available' || coupon.status === 'held';
  const used =
    coupon.status === 'used' && coupon.usedAt
      ? `${formatDateTime(coupon.usedAt)} 已使用${coupon.discountFen ? `，优惠 ${formatFen(coupon.discountFen)}` : ''}`
      : null;
  return {
    face: couponFace({ effect: coupon.effect, conditions: coupon.conditions, validity: couponValidity(coupon) }),
    status: CouponStatusLabels[coupon.status],
    expiry: usable ? expiryHint(coupon.validUntil, nowMs) : null,
    held: coupon.status === 'held' ? heldHint(coupon.heldUntil ?? coupon.validFrom) : null,
    used,
  };
}

/** The terms the coupon page lists under the code, one line each. */
export function couponTerms(coupon: Pick<Coupon, 'effect' | 'conditions' | 'validFrom' | 'validUntil'>): string[] {
  const { conditions, effect } = coupon;
  const validity = couponValidity(coupon);
  const lines = [conditions.thresholdFen > 0 ? `订单满 ${formatFen(conditions.thresholdFen)} 可用` : '无使用门槛'];
  if (effect.kind === 'discount' && effect.capFen !== null) lines.push(`最高优惠 ${formatFen(effect.capFen)}`);
  if (effect.kind === 'gift') lines.push(`到店兑换：${effect.giftName}`);
  if (effect.kind === 'free_shipping') {
    lines.push(effect.capFen === null ? '免运费' : `运费最多减免 ${formatFen(effect.capFen)}`);
  }
  lines.push(conditions.storeIds.length > 0 ? '仅限指定门店使用' : '全部门店可用');
  if (conditions.categories.length > 0) lines.push(`仅限 ${conditions.categories.join('、')} 类商品`);
  lines.push(conditions.stackable ? '可与其他可叠加的优惠券同时使用' : '不可与其他优惠券同时使用');
  lines.push(`有效期 ${validity.from} 至 ${validity.until}`);
  return lines;
}

export type ClaimButton = { label: '立即领取' | '已领完' | '已领取'; disabled: boolean };

/** The claim centre's button: sold out first (nobody can get one), then this member's allowance. */
export function claimButton(coupon: Pick<ClaimableCoupon, 'stockLeft' | 'remainingForMe'>): ClaimButton {
  if (coupon.stockLeft !== null && coupon.stockLeft <= 0) return { label: '已领完', disabled: true };
  if (coupon.remainingForMe <= 0) return { label: '已领取', disabled: true };
  return { label: '立即领取', disabled: false };
}

/** "剩余 12 张" when stock is limited and short; nothing for unlimited. */
export function claimStockText(stockLeft: number | null): string | null {
  if (stockLeft === null || stockLeft <= 0) return null;
  return stockLeft <= 100 ? `仅剩 ${stockLeft} 张` : null;
}

/**
 * The claim centre right after a tap, before the list is read again: a claim takes one from the stock and from
 * this member's allowance; a refusal for stock or allowance shows 已领完 / 已领取 at once.
 */
export function afterClaim(
  list: readonly ClaimableCoupon[],
  templateId: string,
  outcome: 'claimed' | 'replayed' | 'COUPON_SOLD_OUT' | 'COUPON_LIMIT_REACHED',
): ClaimableCoupon[] {
  return list.map((c) => {
    if (c.templateId !== templateId || outcome === 'replayed') return c;
    if (outcome === 'COUPON_SOLD_OUT') return { ...c, stockLeft: 0 };
    if (outcome === 'COUPON_LIMIT_REACHED') return { ...c, remainingForMe: 0 };
    return {
      ...c,
      stockLeft: c.stockLeft === null ? null : Math.max(0, c.stockLeft - 1),
      remainingForMe: Math.max(0, c.remainingForMe - 1),
    };
  });
}
