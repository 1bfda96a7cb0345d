// The 优惠券 tabs' loads: null where the server does not have the coupon routes yet (the tab says 即将上线).
import { isRouteMissing } from '../../api';
import { getCouponSettings, getReferralOverview, listCouponIssues, listCouponTemplates } from '../../api/coupons';

export function orMissing<T>(load: (token: string) => Promise<T>) {
  return (token: string): Promise<T | null> =>
    load(token).catch((error: unknown) => {
      if (isRouteMissing(error)) return null;
      throw error;
    });
}

export const loadTemplates = orMissing(listCouponTemplates);
export const loadIssues = orMissing(listCouponIssues);
export const loadSettings = orMissing(getCouponSettings);
export const loadReferralOverview = orMissing(getReferralOverview);

export const MISSING_TEXT = '优惠券即将上线：服务器暂未开放优惠券接口。';
