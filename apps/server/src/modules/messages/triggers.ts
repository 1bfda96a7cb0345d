// What puts messages in the outbox, as registered triggers. Each reads the durable record of an event (orders,
// top-ups, tier changes, referrals, coupons, members) rather than being called from inside the flows, so a crash
// right after a purchase still gets its message and the purchase path does no extra write. Every message has a
// dedupe key naming its event, so scanning the same window twice (two server copies, a rerun) adds nothing.
import { DAY_MS, formatFen } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { type Member, memberModel } from '../members/model';
import { orderModel } from '../orders/model';
import { referralModels } from '../referrals/model';
import { tierChangeModel } from '../tiers/service';
import { walletModels } from '../wallet/model';
import type { EnqueueInput } from './service';

export interface TriggerContext {
  conn: Connection;
  now: number;
  tierNames: string[];
}

/** How far back the minutely scan looks: several missed minutes (a restart) are still caught. */
export const RECENT_WINDOW_MS = 15 * 60_000;

const sinceId = (ms: number) => Types.ObjectId.createFromTime(Math.floor(ms / 1000));
const idText = (id: Types.ObjectId) => id.toHexString();

async function balances(conn: Connection, ids: Types.ObjectId[]) {
  const rows = await memberModel(conn)
    .find({ _id: { $in: ids } }, { points: 1, walletPrincipalFen: 1, walletBonusFen: 1 })
    .lean<Pick<Member, '_id' | 'points' | 'walletPrincipalFen' | 'walletBonusFen'>[]>();
  return new Map(rows.map((m) => [idText(m._id), m]));
}

export interface RecentTrigger {
  kind: EnqueueInput['kind'];
  scan(ctx: TriggerContext): Promise<EnqueueInput[]>;
}

/** Messages for events of the last few minutes: points earned, top-ups, tier ups, referral rewards. */
export const RECENT_TRIGGERS: RecentTrigger[] = [
  {
    kind: 'points_earned',
    async scan({ conn, now }) {
      const orders = await orderModel(conn)
        .find(
          { _id: { $gte: sinceId(now - RECENT_WINDOW_MS) }, status: { $ne: 'pending' }, pointsEarned: { $gt: 0 } },
          { memberId: 1, pointsEarned: 1, paidFen: 1, amountFen: 1, createdAt: 1 },
        )
        .lean();
      const members = await balances(
        conn,
        orders.map((o) => o.memberId),
      );
      return orders.map((o) => ({
        memberId: o.memberId,
        kind: 'points_earned' as const,
        input: {
          points: o.pointsEarned,
          balance: members.get(idText(o.memberId))?.points ?? 0,
          at: o.createdAt,
          reason: `消费${formatFen(o.amountFen)}获得积分`,
        },
        dedupeKey: `points_earned:${idText(o._id)}`,
      }));
    },
  },
  {
    kind: 'top_up_success',
    async scan({ conn, now }) {
      // Top-ups are paid within their 2-hour window, so created in the last 3 hours and paid in the last minutes.
      const { TopUps } = walletModels(conn);
      const paid = await TopUps.find(
        { createdAt: { $gte: new Date(now - 3 * 3_600_000) }, paidAt: { $gte: new Date(now - RECENT_WINDOW_MS) } },
        { memberId: 1, payFen: 1, bonusFen: 1, paidAt: 1, outTradeNo: 1 },
      ).lean();
      const members = await balances(
        conn,
        paid.map((t) => t.memberId),
      );
      return paid.map((t) => {
        const m = members.get(idText(t.memberId));
        return {
          memberId: t.memberId,
          kind: 'top_up_success' as const,
          input: {
            paidFen: t.payFen,
            bonusFen: t.bonusFen,
            balanceFen: m ? m.walletPrincipalFen + m.walletBonusFen : 0,
            at: t.paidAt ?? new Date(now),
            orderNo: t.outTradeNo,
          },
          dedupeKey: `top_up_success:${idText(t._id)}`,
        };
      });
    },
  },
  {
    kind: 'tier_up',
    async scan({ conn, now, tierNames }) {
      const changes = await tierChangeModel(conn)
        .find({ _id: { $gte: sinceId(now - RECENT_WINDOW_MS) }, reason: { $in: ['growth', 'manual'] } })
        .lean();
      const rank = (name: string) => tierNames.indexOf(name);
      return changes
        .filter((c) => rank(c.to) > rank(c.from))
        .map((c) => ({
          memberId: c.memberId,
          kind: 'tier_up' as const,
          input: { from: c.from, to: c.to, at: c.at },
          dedupeKey: `tier_up:${idText(c._id)}`,
        }));
    },
  },
  {
    kind: 'referral_reward',
    async scan({ conn, now }) {
      // Released by a job every 10 minutes once the hold is over: two days back covers a long outage.
      const { Referrals } = referralModels(conn);
      const rewarded = await Referrals.find(
        { status: 'rewarded', heldUntil: { $gte: new Date(now - 2 * DAY_MS), $lte: new Date(now) } },
        { inviterId: 1, heldUntil: 1 },
      ).lean();
      return rewarded.map((r) => ({
        memberId: r.inviterId,
        kind: 'referral_reward' as const,
        input: { reward: '邀请好友奖励券已到账', friend: '您邀请的好友已完成首单', at: r.heldUntil ?? new Date(now) },
        dedupeKey: `referral_reward:${idText(r._id)}`,
      }));
    },
  },
];
