// The points mall: owner-defined gifts priced in points, with stock and a per-member limit, picked up in store.
// Redeeming claims the member's allowance, then a stock unit, then the points, each by a conditional update,
// undoing the earlier claims if a later one fails. A retry with the same key resumes or replays; a crash can at
// worst hold back one unit of stock, never give out one too many.
import { randomInt } from 'node:crypto';
import type { UpsertMallItemRequest } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import type { z } from 'zod';
import { AppError } from '../../errors';
import type { CouponService } from '../coupons/service';
import type { LedgerService } from '../ledger/service';
import { type MallItemDoc, mallModels, type RedemptionDoc } from './model';

type ItemInput = z.infer<typeof UpsertMallItemRequest>;

export class MallService {
  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly coupons: CouponService,
    private readonly now: () => number = Date.now,
  ) {}

  private get models() {
    return mallModels(this.conn);
  }

  private limits() {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    return db.collection<{ _id: string; count: number }>('mall_member_limits');
  }

  list(onlyActive: boolean): Promise<MallItemDoc[]> {
    return this.models.Items.find(onlyActive ? { active: true } : {})
      .sort({ createdAt: -1 })
      .lean<MallItemDoc[]>();
  }

  async create(input: ItemInput): Promise<MallItemDoc> {
    if (input.couponTemplateId) await this.coupons.template(new Types.ObjectId(input.couponTemplateId));
    return (await this.models.Items.create(input)).toObject();
  }

  async update(id: string, input: Partial<ItemInput>): Promise<MallItemDoc> {
    const current = Types.ObjectId.isValid(id) ? await this.models.Items.findById(id).lean<MallItemDoc>() : null;
    if (!current) throw new AppError('NOT_FOUND', undefined, { resource: 'mall item' });
    const kind = input.kind ?? current.kind;
    const templateId =
      input.couponTemplateId === undefined ? (current.couponTemplateId?.toHexString() ?? null) : input.couponTemplateId;
    if ((kind === 'coupon') !== (templateId !== null))
      throw new AppError('VALIDATION_FAILED', '优惠券商品须选择优惠券模板', [{ path: 'couponTemplateId' }]);
    if (templateId) await this.coupons.template(new Types.ObjectId(templateId));
    const item = await this.models.Items.findByIdAndUpdate(
      id,
      { $set: input },
      { returnDocument: 'after' },
    ).lean<MallItemDoc>();
    if (!item) throw new AppError('NOT_FOUND', undefined, { resource: 'mall item' });
    return item;
  }

  myRedemptions(memberId: Types.ObjectId): Promise<RedemptionDoc[]> {
    return this.models.Redemptions.find({ memberId, status: { $ne: 'pending' } })
      .sort({ at: -1 })
      .limit(100)
      .lean<RedemptionDoc[]>();
  }

  async redeem(
    memberId: Types.ObjectId,
    itemId: Types.ObjectId,
    key: string,
  ): Promise<{ redemption: RedemptionDoc; replayed: boolean }> {
    const { Items, Redemptions } = this.models;
    const item = await Items.findById(itemId).lean<MallItemDoc>();
    if (!item?.active) throw new AppError('NOT_FOUND', undefined, { resource: 'mall item' });
    let redemption: RedemptionDoc;
    try {
      redemption = (
        await Redemptions.create({
          memberId,
          itemId,
          key,
          title: item.title,
          pointsSpent: item.pointsPrice,
          // A coupon item needs no pickup: the coupon itself is the code.
          pickupCode: item.kind === 'coupon' ? '' : String(randomInt(100_000, 1_000_000)),
          at: new Date(this.now()),
        })
      ).toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await Redemptions.findOne({ memberId, key }).lean<RedemptionDoc>();
      if (!existing) throw err;
      if (!existing.itemId.equals(itemId)) throw new AppError('ORDER_CONFLICT', '该兑换单号已用于其他商品');
      if (existing.status !== 'pending') return { redemption: existing, replayed: true };
      redemption = existing;
    }

    const limitKey = `${memberId.toHexString()}:${itemId.toHexString()}`;
    const undo: (() => Promise<unknown>)[] = [() => Redemptions.deleteOne({ _id: redemption._id, status: 'pending' })];
    const fail = async (err: unknown): Promise<never> => {
      for (const step of undo.reverse()) await step();
      throw err;
    };

    if (item.perMemberLimit !== null && !redemption.limitClaimed) {
      await this.limits().updateOne({ _id: limitKey }, { $setOnInsert: { count: 0 } }, { upsert: true });
      const claimed = await this.limits().updateOne(
        { _id: limitKey, count: { $lt: item.perMemberLimit } },
        { $inc: { count: 1 } },
      );
      if (claimed.modifiedCount === 0) await fail(new AppError('LIMIT_REACHED'));
      undo.push(() => this.limits().updateOne({ _id: limitKey }, { $inc: { count: -1 } }));
      await Redemptions.updateOne({ _id: redemption._id }, { $set: { limitClaimed: true } });
    }
    if (item.stock !== null && !redemption.stockClaimed) {
      const claimed = await Items.updateOne({ _id: itemId, active: true, stock: { $gte: 1 } }, { $inc: { stock: -1 } });
      if (claimed.modifiedCount === 0) await fail(new AppError('OUT_OF_STOCK'));
      undo.push(() => Items.updateOne({ _id: itemId }, { $inc: { stock: 1 } }));
      await Redemptions.updateOne({ _id: redemption._id }, { $set: { stockClaimed: true } });
    }
    try {
      await this.ledger.post({
        memberId,
        account: 'points',
        amount: -item.pointsPrice,
        reason: 'redemption',
        idempotencyKey: `mall:${redemption._id.toHexString()}`,
        note: `兑换「${item.title}」`,
        refs: { itemId: itemId.toHexString(), redemptionId: redemption._id.toHexString() },
      });
    } catch (err) {
      await fail(err);
    }
    // The points are spent: the coupon is owed from here on, and its key makes a resumed redemption issue it once.
    const couponId =
      item.kind === 'coupon' && item.couponTemplateId
        ? (
            await this.coupons.issue({
              templateId: item.couponTemplateId,
              memberId,
              source: 'mall',
              key: `mall:${redemption._id.toHexString()}`,
              enforceSupply: false,
            })
          ).coupon._id
        : null;
    const done = await Redemptions.findOneAndUpdate(
      { _id: redemption._id },
      { $set: { status: couponId ? 'issued' : 'awaiting_pickup', couponId } },
      { returnDocument: 'after' },
    ).lean<RedemptionDoc>();
    if (!done) throw new Error('redemption vanished');
    return { redemption: done, replayed: false };
  }
}
