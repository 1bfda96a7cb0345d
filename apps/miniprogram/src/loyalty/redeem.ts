import { formatPoints, type MallItem, type Redemption } from '@member-hub/shared';
import { isRouteMissing } from '../api/errors';
import { createKeyedAction, newIdempotencyKey } from './idempotency';

/**
 * Redeeming an item: one key per item until the server answers for sure, so tapping "兑换" again after a lost
 * answer returns the first redemption instead of spending the points twice.
 */
export function createRedeemer(
  redeem: (itemId: string, idempotencyKey: string) => Promise<Redemption>,
  makeKey: () => string = newIdempotencyKey,
) {
  return { redeem: createKeyedAction(redeem, makeKey) };
}

/** The mall is not on this server yet (an app build ahead of its server). */
export const mallNotBuilt = isRouteMissing;

/** "仅剩 3 件" / "已兑完" / nothing for unlimited stock. */
export function stockText(stock: number | null): string | null {
  if (stock === null) return null;
  if (stock <= 0) return '已兑完';
  return stock <= 10 ? `仅剩 ${stock} 件` : `剩余 ${stock} 件`;
}

export const REDEMPTION_STATUS: Record<Redemption['status'], string> = {
  awaiting_pickup: '待取货',
  picked_up: '已取货',
  issued: '已放入卡包',
};

/** The 确认兑换 dialog: a gift is picked up in store with a code, a coupon goes straight into the member's coupons. */
export function redeemConfirmText(item: Pick<MallItem, 'title' | 'pointsPrice' | 'kind'>): string {
  const after = item.kind === 'coupon' ? '兑换后优惠券直接放入卡包' : '兑换后到店出示取货码领取';
  return `兑换「${item.title}」将使用 ${formatPoints(item.pointsPrice)} 积分，${after}。确定兑换吗？`;
}
