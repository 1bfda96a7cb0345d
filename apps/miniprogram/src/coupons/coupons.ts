import { ClaimableCoupons, ClaimCouponResult, Coupon, CouponPaths, MyCoupons } from '@member-hub/shared';
import type { ApiClient } from '../api/client';
import { isRouteMissing } from '../api/errors';
import { createKeyedAction, newIdempotencyKey } from '../loyalty/idempotency';
import type { Session } from '../session/session';
import type { CouponTab } from './display';

/** The member's coupons (卡包) and the claim centre (领券中心): every call logs in first. */
export interface CouponService {
  mine(tab: CouponTab): Promise<MyCoupons>;
  coupon(couponId: string): Promise<Coupon>;
  claimable(): Promise<ClaimableCoupons>;
  claim(templateId: string, idempotencyKey: string): Promise<ClaimCouponResult>;
}

export function createCouponService({ api, session }: { api: ApiClient; session: Session }): CouponService {
  const authed = <T>(call: () => Promise<T>) => session.withSession(call);
  return {
    mine: (tab) => authed(() => api.get(`${CouponPaths.myCoupons}?tab=${tab}`, MyCoupons)),
    coupon: (couponId) => authed(() => api.get(CouponPaths.myCoupon(encodeURIComponent(couponId)), Coupon)),
    claimable: () => authed(() => api.get(CouponPaths.claimable, ClaimableCoupons)),
    claim: (templateId, idempotencyKey) =>
      authed(() => api.post(CouponPaths.claims, { templateId, idempotencyKey }, ClaimCouponResult)),
  };
}

/**
 * 立即领取: one key per template until the server answers for sure, so a tap repeated after a lost answer gets
 * the coupon the first tap claimed (200, replayed) instead of a second one; an answer or a refusal lets the next
 * tap claim anew (templates that allow several per member).
 */
export function createClaimer(
  claim: CouponService['claim'],
  makeKey: () => string = newIdempotencyKey,
): (templateId: string) => Promise<ClaimCouponResult> {
  return createKeyedAction(claim, makeKey);
}

/** Coupons are not on this server yet (an app build ahead of its server): the pages say 即将上线. */
export const couponsNotBuilt = isRouteMissing;
