// Recording a paid purchase: spend the agreed points, earn points and growth by the rules, raise the tier.
// The order row (unique per source + external id) carries the flow's progress: a retried request finds it and
// either returns the first result or finishes the steps a crash interrupted. Each ledger step has its own key.
import { createHash } from 'node:crypto';
import { formatFen, type LoyaltyRules, type OrderItem } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../errors';
import { BatchedReads, GroupCommit, insertErrors } from '../lib/groupCommit';
import type { Balances, LedgerService, LegInput } from '../modules/ledger/service';
import { type Member, memberModel } from '../modules/members/model';
import { type OrderDoc, orderModel } from '../modules/orders/model';
import { computeEarn } from '../modules/points/earnRules';
import { chinaDate, chinaWeekday, expiryDay } from '../modules/points/expiry';
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
  /** The offset points were already debited by the caller (a till payment holds them before WeChat Pay). */
  offsetPosted?: boolean;
  /** Part of the paid amount that earns nothing: stored-value bonus is not money the member paid. */
  unearnedFen?: number;
}

type Buyer = Pick<Member, '_id' | 'status' | 'mergedInto' | 'tier'>;
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
        { projection: { status: 1, mergedInto: 1, tier: 1 } },
      )
      .toArray()) as Buyer[];
    return new Map(docs.map((d) => [d._id.toHexString(), d]));
  });

  private async survivor(memberId: Types.ObjectId): Promise<Buyer | null> {
    const buyer = await this.buyers.load(memberId.toHexString());
    if (buyer?.status !== 'merged') return buyer;
    return resolveSurvivor(this.conn, memberId, ['tier'] as const);
  }

  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly tiers: TierService,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `balances` are the member's right after this purchase when it moved any (null for a replay or a purchase that
   * earned nothing): callers present them without reading the member again.
   */
  async run(input: PurchaseInput): Promise<{ order: OrderDoc; replayed: boolean; balances: Balances | null }> {
    const rules = await this.rules.get();
    const offsetFen = offsetFenOf(input, rules);
    const member = await this.survivor(input.memberId);
    if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
    if (member.status !== 'active')
      throw new AppError(member.status === 'deleted' ? 'MEMBER_DELETED' : 'MEMBER_MERGED');

    const requestHash = hashOf({
      memberId: member._id.toHexString(),
      amountFen: input.amountFen,
      offsetPoints: input.offsetPoints,
      items: input.items,
    });
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
        paidFen: input.amountFen - offsetFen,
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
