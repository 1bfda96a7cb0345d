// Refunding (part of) a paid order takes back, in proportion, the points and growth that part earned and gives
// back the offset points it used. Totals are computed on the cumulative refunded amount, so any sequence of
// partial refunds adds up to exactly the full reversal. A refund row per (order, key) makes retries safe; the
// order's refundedFen moves by a conditional update, so concurrent refunds of one order never both count.
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { AppError } from '../errors';
import { share } from '../lib/proportion';
import type { LedgerService } from '../modules/ledger/service';
import { assertActiveMember, type Member, memberModel } from '../modules/members/model';
import { type OrderDoc, orderModel } from '../modules/orders/model';
import { expiryDay } from '../modules/points/expiry';
import type { RulesService } from '../modules/rules/service';

interface RefundDoc {
  _id: Types.ObjectId;
  orderId: Types.ObjectId;
  key: string;
  amountFen: number;
  /** The order's refunded total before this refund: fixes this refund's share once claimed. */
  prevRefundedFen: number | null;
  pointsReversed: number;
  growthReversed: number;
  offsetPointsReturned: number;
  status: 'pending' | 'done';
  /** Set by the one request applying this refund (a concurrent retry of it waits instead of claiming twice). */
  claimedAt: Date | null;
  createdAt: Date;
}

const RefundSchema = new Schema<RefundDoc>(
  {
    orderId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    amountFen: { type: Number, required: true },
    prevRefundedFen: { type: Number, default: null },
    pointsReversed: { type: Number, default: 0 },
    growthReversed: { type: Number, default: 0 },
    offsetPointsReturned: { type: Number, default: 0 },
    status: { type: String, enum: ['pending', 'done'], default: 'pending' },
    claimedAt: { type: Date, default: null },
    createdAt: Date,
  },
  { versionKey: false },
);
RefundSchema.index({ orderId: 1, key: 1 }, { unique: true });

export function refundModel(conn: Connection): Model<RefundDoc> {
  return (
    (conn.models.OrderRefund as Model<RefundDoc> | undefined) ??
    conn.model<RefundDoc>('OrderRefund', RefundSchema, 'order_refunds')
  );
}

const CLAIM_ATTEMPTS = 5;
const CLAIM_WAIT_ROUNDS = 100;
const CLAIM_WAIT_MS = 20;
const CLAIM_STALE_MS = 30_000;

/** What else a fully refunded order undoes: its coupons come back, a referral reward on hold is revoked. */
export type OnFullyRefunded = (orderId: Types.ObjectId) => Promise<unknown>;

export class RefundOrderFlow {
  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly onFullyRefunded: OnFullyRefunded[],
    private readonly now: () => number = Date.now,
  ) {}

  async run(input: {
    orderId: Types.ObjectId;
    key: string;
    amountFen: number;
  }): Promise<{ order: OrderDoc; refund: RefundDoc; replayed: boolean }> {
    const Orders = orderModel(this.conn);
    const Refunds = refundModel(this.conn);
    let refund: RefundDoc;
    try {
      refund = (
        await Refunds.create({
          orderId: input.orderId,
          key: input.key,
          amountFen: input.amountFen,
          createdAt: new Date(this.now()),
        })
      ).toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await Refunds.findOne({ orderId: input.orderId, key: input.key }).lean<RefundDoc>();
      if (!existing) throw err;
      if (existing.amountFen !== input.amountFen)
        throw new AppError('ORDER_CONFLICT', '该退款单号已用于另一笔不同金额的退款');
      refund = existing;
      if (existing.status === 'done') {
        const order = await Orders.findById(input.orderId).lean<OrderDoc>();
        if (!order) throw new AppError('NOT_FOUND', undefined, { resource: 'order' });
        return { order, refund: existing, replayed: true };
      }
    }

    if (refund.prevRefundedFen === null) {
      // One caller per refund row claims the order's slice; a concurrent retry of the same refund waits for it.
      const claimer = await Refunds.findOneAndUpdate(
        // A claim older than CLAIM_STALE_MS belonged to a request that crashed: take it over.
        {
          _id: refund._id,
          prevRefundedFen: null,
          $or: [{ claimedAt: null }, { claimedAt: { $lt: new Date(this.now() - CLAIM_STALE_MS) } }],
        },
        { $set: { claimedAt: new Date(this.now()) } },
        { returnDocument: 'after' },
      ).lean<RefundDoc>();
      if (!claimer) return this.awaitClaim(refund._id, input.orderId);
    }
    const found = await Orders.findById(input.orderId).lean<OrderDoc>();
    if (!found || found.status === 'pending') throw new AppError('NOT_FOUND', undefined, { resource: 'order' });
    let order: OrderDoc = found;
    if (refund.prevRefundedFen === null) {
      await this.refuseIfMemberGone(order, refund._id);
      // Claim this refund's slice of the order; retry if another refund of the same order moved it first.
      for (let attempt = 0; refund.prevRefundedFen === null; attempt++) {
        if (attempt === CLAIM_ATTEMPTS) {
          await Refunds.updateOne({ _id: refund._id, prevRefundedFen: null }, { $set: { claimedAt: null } });
          throw new AppError('CONFLICT');
        }
        const prev: number = order.refundedFen;
        if (prev + input.amountFen > order.paidFen) {
          await Refunds.deleteOne({ _id: refund._id, prevRefundedFen: null });
          throw new AppError('VALIDATION_FAILED', '退款金额超过可退金额', [
            { path: 'amountFen', refundableFen: order.paidFen - prev },
          ]);
        }
        const next = prev + input.amountFen;
        const claimed: OrderDoc | null = await Orders.findOneAndUpdate(
          { _id: order._id, refundedFen: prev },
          { $set: { refundedFen: next, status: next === order.paidFen ? 'refunded' : 'partially_refunded' } },
          { returnDocument: 'after' },
        ).lean<OrderDoc>();
        if (claimed) {
          const deltas = {
            prevRefundedFen: prev,
            pointsReversed:
              share(order.pointsEarned, next, order.paidFen) - share(order.pointsEarned, prev, order.paidFen),
            growthReversed:
              share(order.growthEarned, next, order.paidFen) - share(order.growthEarned, prev, order.paidFen),
            offsetPointsReturned:
              share(order.offsetPoints, next, order.paidFen) - share(order.offsetPoints, prev, order.paidFen),
          };
          await Refunds.updateOne({ _id: refund._id }, { $set: deltas });
          refund = { ...refund, ...deltas };
          order = claimed;
        } else {
          order = (await Orders.findById(input.orderId).lean<OrderDoc>()) ?? order;
        }
      }
    }

    const key = `refund:${refund._id.toHexString()}`;
    const refs = { orderId: order._id.toHexString(), refundId: refund._id.toHexString() };
    if (refund.pointsReversed > 0) {
      // May go below zero when the points were already spent: spending is then blocked until earned back.
      await this.ledger.post({
        memberId: order.memberId,
        account: 'points',
        amount: -refund.pointsReversed,
        reason: 'refund_reversal',
        idempotencyKey: `${key}:points`,
        note: '退款扣回积分',
        refs,
        allowNegative: true,
        ...(order.pointsExpireOn && { expiresOn: order.pointsExpireOn }),
      });
    }
    if (refund.growthReversed > 0) {
      await this.ledger.post({
        memberId: order.memberId,
        account: 'growth',
        amount: -refund.growthReversed,
        reason: 'refund_reversal',
        idempotencyKey: `${key}:growth`,
        note: '退款扣回成长值',
        refs,
        allowNegative: true,
      });
    }
    if (refund.offsetPointsReturned > 0) {
      const rules = await this.rules.get();
      await this.ledger.post({
        memberId: order.memberId,
        account: 'points',
        amount: refund.offsetPointsReturned,
        reason: 'refund_reversal',
        idempotencyKey: `${key}:offset`,
        note: '退款退回抵扣积分',
        refs,
        expiresOn: expiryDay(new Date(this.now()), rules.expiryMonths),
      });
    }
    // Before the refund is marked done, so a crash here is finished by the retry (each step is conditional).
    if (order.status === 'refunded') for (const undo of this.onFullyRefunded) await undo(order._id);
    await Refunds.updateOne({ _id: refund._id }, { $set: { status: 'done' } });
    return { order, refund: { ...refund, status: 'done' }, replayed: false };
  }

  /**
   * The reversal goes to the order's member: when that member can no longer take ledger entries (the account was
   * deleted), refuse before the order's refunded amount moves, so the refusal changes nothing.
   */
  private async refuseIfMemberGone(order: OrderDoc, refundId: Types.ObjectId): Promise<void> {
    if (order.pointsEarned <= 0 && order.growthEarned <= 0 && order.offsetPoints <= 0) return;
    const member = await memberModel(this.conn).findById(order.memberId, { status: 1 }).lean<Pick<Member, 'status'>>();
    if (member?.status === 'active') return;
    await refundModel(this.conn).deleteOne({ _id: refundId, prevRefundedFen: null });
    assertActiveMember(member);
  }

  /** Another request is applying this very refund: wait for it, then answer as a replay. */
  private async awaitClaim(refundId: Types.ObjectId, orderId: Types.ObjectId) {
    const Refunds = refundModel(this.conn);
    for (let i = 0; i < CLAIM_WAIT_ROUNDS; i++) {
      const current = await Refunds.findById(refundId).lean<RefundDoc>();
      if (current?.status === 'done') {
        const order = await orderModel(this.conn).findById(orderId).lean<OrderDoc>();
        if (!order) throw new AppError('NOT_FOUND', undefined, { resource: 'order' });
        return { order, refund: current, replayed: true };
      }
      await new Promise((resolve) => setTimeout(resolve, CLAIM_WAIT_MS));
    }
    throw new AppError('CONFLICT');
  }
}
