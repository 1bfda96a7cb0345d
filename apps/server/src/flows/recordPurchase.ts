// Recording a paid purchase: spend the agreed points, earn points and growth by the rules, raise the tier.
// The order row (unique per source + external id) carries the flow's progress: a retried request finds it and
// either returns the first result or finishes the steps a crash interrupted. Each ledger step has its own key.
import { createHash } from 'node:crypto';
import { formatFen, type LoyaltyRules, type OrderItem } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../errors';
import { BatchedReads, GroupCommit, insertErrors } from '../lib/groupCommit';
import type { Logger } from '../logger';
import type { CouponService, OrderCoupons } from '../modules/coupons/service';
import type { Balances, LedgerService, LegInput } from '../modules/ledger/service';
import { assertActiveMember, type Member, memberModel } from '../modules/members/model';
import { type OrderDoc, orderModel } from '../modules/orders/model';
import { computeEarn } from '../modules/points/earnRules';
import { chinaDate, chinaWeekday, expiryDay } from '../modules/points/expiry';
import type { ReferralService } from '../modules/referrals/service';
import type { RulesService } from '../modules/rules/service';
import type { TierService } from '../modules/tiers/service';
import { resolveSurvivor } from './mergeMembers';

export interface PurchaseInput {
  source: string;
  externalId: string;
  memberId: Types.ObjectId;
  storeId: Types.ObjectId | null;
  staffId: Types.ObjectId | null;
  amountFen: number;
  offsetPoints: number;
  items: OrderItem[];
  /** Coupon codes (scanned QR or typed digits) to apply; checked and consumed exactly once with the order. */
  couponCodes?: string[];
  /** The offset points were already debited by the caller (a till payment holds them before WeChat Pay). */
  offsetPosted?: boolean;
  /** Part of the paid amount that earns nothing: stored-value bonus is not money the member paid. */
  unearnedFen?: number;
}

type Buyer = Pick<Member, '_id' | 'status' | 'mergedInto' | 'tier' | 'referralPending'>;
type Earned = Pick<OrderDoc, 'status' | 'pointsEarned' | 'growthEarned' | 'pointsExpireOn' | 'explanation'>;

export class RecordPurchaseFlow {
  // Concurrent purchases share round trips for the two order writes every purchase makes (see GroupCommit).
  private readonly orderInserts = new GroupCommit<OrderDoc>(async (docs) => {
    try {
      await orderModel(this.conn).collection.insertMany(docs, { ordered: false });
      return undefined;
    } catch (err) {
      // A duplicate (source, external id) fails that purchase alone, with code 11000: run() treats it as a replay.
      return insertErrors(err, docs.length, () => false);
    }
  });
  private readonly orderCompletions = new GroupCommit<{ _id: Types.ObjectId; set: Earned }>(async (items) => {
    await orderModel(this.conn).collection.bulkWrite(
      items.map(({ _id, set }) => ({ updateOne: { filter: { _id }, update: { $set: set } } })),
      { ordered: false },
    );
    return undefined;
  });

  /** The buyer's status and tier, read for concurrent purchases in one query (a merged member is followed). */
  private readonly buyers = new BatchedReads<Buyer>(async (ids) => {
    const docs = (await memberModel(this.conn)
      .collection.find(
        { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } },
        { projection: { status: 1, mergedInto: 1, tier: 1, referralPending: 1 } },
      )
      .toArray()) as Buyer[];
    return new Map(docs.map((d) => [d._id.toHexString(), d]));
  });

  private async survivor(memberId: Types.ObjectId): Promise<Buyer | null> {
    const buyer = await this.buyers.load(memberId.toHexString());
    if (buyer?.status !== 'merged') return buyer;
    return resolveSurvivor(this.conn, memberId, ['tier', 'referralPending'] as const);
  }

  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly tiers: TierService,
    private readonly coupons: CouponService,
    private readonly referrals: ReferralService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** An order already recorded under this (source, external id) with the same contents: its first result. */
  private async replayOf(input: PurchaseInput, requestHash: string) {
    const existing = await orderModel(this.conn)
      .findOne({ source: input.source, externalId: input.externalId })
      .lean<OrderDoc>();
    if (!existing || existing.status === 'pending') return null;
    if (existing.requestHash !== requestHash) throw new AppError('ORDER_CONFLICT');
    return { order: existing, replayed: true, balances: null };
  }

  /**
   * `balances` are the member's right after this purchase when it moved any (null for a replay or a purchase that
   * earned nothing): callers present them without reading the member again.
   */
  async run(input: PurchaseInput): Promise<{ order: OrderDoc; replayed: boolean; balances: Balances | null }> {
    const rules = await this.rules.get();
    const member = await this.survivor(input.memberId);
    assertActiveMember(member);
    const codes = input.couponCodes ?? [];

    const requestHash = hashOf({
      memberId: member._id.toHexString(),
      amountFen: input.amountFen,
      offsetPoints: input.offsetPoints,
      items: input.items,
      ...(codes.length > 0 && { couponCodes: codes }),
    });
    // A replay must answer with the first result even though its coupons are now used (by this very order).
    const replay = codes.length > 0 ? await this.replayOf(input, requestHash) : null;
    if (replay) return replay;
    const applied: OrderCoupons = await this.coupons.forOrder(
      {
        memberId: member._id.toHexString(),
        storeId: input.storeId?.toHexString() ?? null,
        amountFen: input.amountFen,
        items: input.items,
        at: new Date(this.now()),
      },
      codes,
    );
    const offsetFen = offsetFenOf({ ...input, amountFen: input.amountFen - applied.couponFen }, rules);
    const Orders = orderModel(this.conn);
    let order: OrderDoc;
    let resumed = false;
    try {
      // Written as the complete document straight through the driver: this insert is on every purchase's path.
      order = {
        _id: new Types.ObjectId(),
        source: input.source,
        externalId: input.externalId,
        requestHash,
        memberId: member._id,
        storeId: input.storeId,
        staffId: input.staffId,
        amountFen: input.amountFen,
        offsetPoints: input.offsetPoints,
        offsetFen,
        couponFen: applied.couponFen,
        coupons: applied.lines.map((l) => ({
          couponId: l.coupon._id,
          code: l.coupon.code,
          title: l.coupon.title,
          discountFen: l.discountFen,
        })),
        paidFen: input.amountFen - applied.couponFen - offsetFen,
        items: input.items,
        pointsEarned: 0,
        growthEarned: 0,
        pointsExpireOn: null,
        explanation: '',
        status: 'pending',
        refundedFen: 0,
        createdAt: new Date(this.now()),
      };
      await this.orderInserts.submit(order);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await Orders.findOne({ source: input.source, externalId: input.externalId }).lean<OrderDoc>();
      if (!existing) throw err;
      if (existing.requestHash !== requestHash) throw new AppError('ORDER_CONFLICT');
      if (existing.status !== 'pending') return { order: existing, replayed: true, balances: null };
      order = existing; // a crash left it half done: finish it
      resumed = true;
    }

    if (order.coupons.length > 0) {
      try {
        await this.coupons.consume(
          order._id,
          order.coupons.map((c) => ({ couponId: c.couponId, discountFen: c.discountFen })),
          { storeId: order.storeId, staffId: order.staffId, amountFen: order.amountFen },
        );
      } catch (err) {
        // Another order took a coupon first: this order never happened.
        await Orders.deleteOne({ _id: order._id, status: 'pending' });
        throw err;
      }
    }

    const key = `order:${order._id.toHexString()}`;
    // A just-created order's keys are new; a resumed one may have posted some of them before the crash.
    const freshKey = !resumed;
    let balances: Balances | null = null;
    if (order.offsetPoints > 0 && !input.offsetPosted) {
      try {
        ({ balances } = await this.ledger.post({
          memberId: order.memberId,
          account: 'points',
          amount: -order.offsetPoints,
          reason: 'spend',
          idempotencyKey: `${key}:offset`,
          note: `积分抵扣 ${formatFen(order.offsetFen)}`,
          refs: { orderId: order._id.toHexString() },
          freshKey,
        }));
      } catch (err) {
        // Undo: the order never happened, so the till can retry (with fewer points) under the same key.
        await this.coupons.release(order._id);
        await Orders.deleteOne({ _id: order._id, status: 'pending' });
        throw err;
      }
    }

    const at = new Date(this.now());
    const tier = rules.tiers.find((t) => t.name === member.tier) ?? rules.tiers[0];
    if (!tier) throw new Error('no tiers configured');
    const earn = computeEarn(
      {
        paidFen: order.paidFen - (input.unearnedFen ?? 0),
        items: order.items,
        storeId: order.storeId?.toHexString() ?? null,
        tier,
        at,
        weekday: chinaWeekday(at),
        date: chinaDate(at),
      },
      rules,
    );
    const expiresOn = expiryDay(at, rules.expiryMonths);
    // Points and growth land in one member update: one round trip, and never one without the other.
    const earnLegs: LegInput[] = [
      { account: 'points', amount: earn.points, idempotencyKey: `${key}:points`, note: earn.explanation, expiresOn },
      {
        account: 'growth',
        amount: earn.growth,
        idempotencyKey: `${key}:growth`,
        note: `消费 ${formatFen(order.paidFen)}`,
      },
    ];
    const legs = earnLegs.filter((leg) => leg.amount > 0);
    const [first, ...rest] = legs;
    if (first) {
      ({ balances } = await this.ledger.post({
        memberId: order.memberId,
        ...first,
        legs: rest,
        reason: 'order',
        refs: { orderId: order._id.toHexString() },
        freshKey,
      }));
    }
    const tierNow = await this.tiers.upgradeIfReached(order.memberId, rules, `${key}:tier`, balances ?? undefined);
    const earned: Earned = {
      status: 'paid',
      pointsEarned: earn.points,
      growthEarned: earn.growth,
      pointsExpireOn: expiresOn,
      explanation: earn.explanation,
    };
    await this.orderCompletions.submit({ _id: order._id, set: earned });
    const done: OrderDoc = { ...order, ...earned };
    if (member.referralPending) {
      // The invitee's first paid order rewards both sides. A failure here must not fail the purchase: the
      // referral stays claimable (or half issued, which the release job finishes).
      await this.referrals
        .onPaidOrder(done)
        .catch((err: unknown) => this.logger.error({ err, orderId: done._id.toHexString() }, 'referral reward failed'));
    }
    return {
      order: done,
      replayed: false,
      balances: balances && { ...balances, tier: tierNow as Balances['tier'] },
    };
  }
}

/** What the offset points are worth on an order; refused past the rules' share or off the points grid. */
export function offsetFenOf(
  input: Pick<PurchaseInput, 'offsetPoints' | 'amountFen'>,
  rules: Pick<LoyaltyRules, 'pointsPerYuanOffset' | 'maxOffsetBp'>,
): number {
  const pointsPerYuan = rules.pointsPerYuanOffset;
  if (input.offsetPoints === 0) return 0;
  if ((input.offsetPoints * 100) % pointsPerYuan !== 0) {
    throw new AppError('VALIDATION_FAILED', `抵扣积分须为 ${pointsPerYuan / 100} 的整数倍`, [{ path: 'offsetPoints' }]);
  }
  const offsetFen = (input.offsetPoints * 100) / pointsPerYuan;
  if (offsetFen > Math.floor((input.amountFen * rules.maxOffsetBp) / 10_000)) throw new AppError('OFFSET_TOO_LARGE');
  return offsetFen;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
