import type { PurchaseResult } from '@member-hub/shared';
import type { Member } from '../members/model';
import type { OrderDoc } from './model';

export function presentPurchase(
  order: OrderDoc,
  member: Pick<Member, 'points' | 'growth' | 'tier'>,
  replayed: boolean,
): PurchaseResult {
  return {
    orderId: order._id.toHexString(),
    memberId: order.memberId.toHexString(),
    amountFen: order.amountFen,
    offsetPoints: order.offsetPoints,
    offsetFen: order.offsetFen,
    couponFen: order.couponFen ?? 0,
    paidFen: order.paidFen,
    pointsEarned: order.pointsEarned,
    growthEarned: order.growthEarned,
    explanation: order.explanation,
    balance: { points: member.points, growth: member.growth, tier: member.tier },
    replayed,
  };
}
