// Coupons: templates, issuing (claim centre, pushes, gifts, mall, referral rewards), use on orders, stand-alone
// verification (核销), restoring on refund and expiry. Every move of a coupon is one conditional update on its row,
// so a coupon is consumed exactly once however many tills try at the same moment; stock and per-member allowances
// are conditional counters, so a rush never issues more than there is.
import { randomInt } from 'node:crypto';
import {
  COUPON_QR_PREFIX,
  type CouponSource,
  type CouponTemplateInput,
  CouponTemplateInput as CouponTemplateSchema,
  type CouponTemplateStats,
  type CouponValidity,
} from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import type { z } from 'zod';
import { AppError } from '../../errors';
import { BatchedReads, GroupCommit, insertErrors } from '../../lib/groupCommit';
import { chinaDate } from '../points/expiry';
import { type CouponDoc, type CouponTemplateDoc, couponModels } from './model';
import { type CouponOrder, evaluate, isVerifiableAlone, type Problem, problemOf } from './rules';

type TemplateInput = z.output<typeof CouponTemplateSchema>;

const DAY_MS = 86_400_000;
/** A coupon given back by an order (the order failed, or was fully refunded): usable again, no trace of the use. */
const UNUSED = {
  status: 'available',
  usedAt: null,
  usedOrderId: null,
  usedStoreId: null,
  usedStaffId: null,
  discountFen: null,
  orderAmountFen: null,
} as const;
const CODE_ATTEMPTS = 5;
const DUPLICATE = 11000;
const isDuplicate = (err: unknown) => (err as { code?: number }).code === DUPLICATE;

/** Start and end (inclusive, to the millisecond) of a China-time day. */
const chinaDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00.000+08:00`));
const chinaDayEnd = (day: string) => new Date(Date.parse(`${day}T23:59:59.999+08:00`));

/**
 * When a coupon received at `from` may be used: fixed dates, or N China days counting the day it arrives
 * (领取当日起 N 天内有效: 30 days from 1 December end with 30 December).
 */
export function validityWindow(validity: CouponValidity, from: Date): { validFrom: Date; validUntil: Date } {
  if (validity.type === 'fixed')
    return { validFrom: chinaDayStart(validity.from), validUntil: chinaDayEnd(validity.until) };
  const lastDay = chinaDate(new Date(from.getTime() + (validity.days - 1) * DAY_MS));
  return { validFrom: from, validUntil: chinaDayEnd(lastDay) };
}

/** A scanned QR (`MHCP:<digits>`) or typed digits, as the 12-digit code. */
export function parseCouponCode(input: string): string {
  const text = input.trim();
  const digits = text.startsWith(`${COUPON_QR_PREFIX}:`) ? text.slice(COUPON_QR_PREFIX.length + 1) : text;
  if (!/^\d{12}$/.test(digits)) throw new AppError('VALIDATION_FAILED', '券码应为 12 位数字', [{ path: 'code' }]);
  return digits;
}

export interface IssueInput {
  templateId: Types.ObjectId;
  memberId: Types.ObjectId;
  source: CouponSource;
  /** One coupon per key, ever: a repeated event returns the coupon it issued the first time. */
  key: string;
  /** Claims and pushes honour stock and the per-member limit; gifts and rewards the shop promised do not. */
  enforceSupply: boolean;
  /** Held coupons (referral rewards) become usable at this moment; their validity starts then. */
  heldUntil?: Date | null;
  referralId?: Types.ObjectId | null;
}

export interface OrderCoupons {
  coupons: CouponDoc[];
  lines: { coupon: CouponDoc; discountFen: number }[];
  couponFen: number;
}

export class CouponService {
  // A claim rush is many members at one template: concurrent claims share the template read, the allowance
  // upserts, the stock decrement and the coupon inserts (see GroupCommit); each caller still gets its own answer.
  private readonly templateReads = new BatchedReads<CouponTemplateDoc>(async (ids) => {
    const docs = (await this.models.Templates.collection
      .find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })
      .toArray()) as CouponTemplateDoc[];
    return new Map(docs.map((d) => [d._id.toHexString(), d]));
  });

  /** At the limit the filter misses and the upsert collides with the member's row: that item fails with 11000. */
  private readonly allowances = new GroupCommit<{ _id: string; limit: number }>(async (items) => {
    try {
      await this.counts().bulkWrite(
        items.map((i) => ({
          updateOne: { filter: { _id: i._id, count: { $lt: i.limit } }, update: { $inc: { count: 1 } }, upsert: true },
        })),
        { ordered: false },
      );
      return undefined;
    } catch (err) {
      return insertErrors(err, items.length, () => false);
    }
  });

  private readonly stockClaims = new GroupCommit<Types.ObjectId>(async (ids) => {
    const out: Array<Error | null> = ids.map(() => null);
    const byTemplate = new Map<string, number[]>();
    ids.forEach((id, i) => {
      byTemplate.set(id.toHexString(), [...(byTemplate.get(id.toHexString()) ?? []), i]);
    });
    for (const [hex, indexes] of byTemplate) {
      const granted = await this.takeStock(new Types.ObjectId(hex), indexes.length);
      for (const i of indexes.slice(granted)) out[i] = new AppError('COUPON_SOLD_OUT');
    }
    return out;
  });

  /** Allowances given back (a claim that then found no stock), one bulk write for concurrent ones. */
  private readonly allowanceReturns = new GroupCommit<string>(async (ids) => {
    await this.counts().bulkWrite(
      ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $inc: { count: -1 } } } })),
      { ordered: false },
    );
    return undefined;
  });

  /** "Was this event already answered?": the replay check of refused claims in a rush, read together. */
  private readonly byKey = new BatchedReads<CouponDoc>(async (keys) => {
    const docs = (await this.models.Coupons.collection.find({ key: { $in: keys } }).toArray()) as CouponDoc[];
    return new Map(docs.map((d) => [d.key, d]));
  });

  private readonly couponInserts = new GroupCommit<CouponDoc>(async (docs) => {
    try {
      await this.models.Coupons.collection.insertMany(docs, { ordered: false });
      return undefined;
    } catch (err) {
      return insertErrors(err, docs.length, () => false);
    }
  });

  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes up to `want` units of a template's stock, never below zero: all at once when there is enough, else
   * exactly what is left (compare-and-set on the count just read).
   */
  private async takeStock(id: Types.ObjectId, want: number): Promise<number> {
    const Templates = this.models.Templates.collection;
    const all = await Templates.updateOne({ _id: id, stockLeft: { $gte: want } }, { $inc: { stockLeft: -want } });
    if (all.modifiedCount === 1) return want;
    for (let attempt = 0; attempt < 20; attempt++) {
      const doc = await Templates.findOne({ _id: id }, { projection: { stockLeft: 1 } });
      const left = typeof doc?.stockLeft === 'number' ? doc.stockLeft : 0;
      if (left <= 0) return 0;
      const take = Math.min(left, want);
      const res = await Templates.updateOne({ _id: id, stockLeft: left }, { $inc: { stockLeft: -take } });
      if (res.modifiedCount === 1) return take;
    }
    throw new AppError('CONFLICT');
  }

  private get models() {
    return couponModels(this.conn);
  }

  private counts() {
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    return db.collection<{ _id: string; count: number }>('coupon_member_counts');
  }

  // ---- Templates ----
  async listTemplates(): Promise<{ template: CouponTemplateDoc; stats: CouponTemplateStats }[]> {
    const templates = await this.models.Templates.find().sort({ createdAt: -1 }).lean<CouponTemplateDoc[]>();
    const rows = await this.models.Coupons.aggregate<{
      _id: Types.ObjectId;
      issued: number;
      claimed: number;
      used: number;
      salesFen: number;
    }>([
      {
        $group: {
          _id: '$templateId',
          issued: { $sum: 1 },
          claimed: { $sum: { $cond: [{ $eq: ['$source', 'claim'] }, 1, 0] } },
          used: { $sum: { $cond: [{ $eq: ['$status', 'used'] }, 1, 0] } },
          salesFen: { $sum: { $cond: [{ $eq: ['$status', 'used'] }, { $ifNull: ['$orderAmountFen', 0] }, 0] } },
        },
      },
    ]);
    const byTemplate = new Map(rows.map((r) => [r._id.toHexString(), r]));
    return templates.map((template) => {
      const r = byTemplate.get(template._id.toHexString());
      const issued = r?.issued ?? 0;
      const used = r?.used ?? 0;
      return {
        template,
        stats: {
          issued,
          claimed: r?.claimed ?? 0,
          used,
          redemptionRateBp: issued === 0 ? 0 : Math.floor((used * 10_000) / issued),
          salesFen: r?.salesFen ?? 0,
        },
      };
    });
  }

  async template(id: Types.ObjectId): Promise<CouponTemplateDoc> {
    const t = await this.templateReads.load(id.toHexString());
    if (!t) throw new AppError('NOT_FOUND', undefined, { resource: 'coupon template' });
    return t;
  }

  async createTemplate(input: TemplateInput, systemKey: string | null = null): Promise<CouponTemplateDoc> {
    const at = new Date(this.now());
    const doc = {
      _id: new Types.ObjectId(),
      systemKey,
      ...input,
      stockLeft: input.totalStock,
      createdAt: at,
      updatedAt: at,
    };
    await this.models.Templates.collection.insertOne(doc);
    return doc;
  }

  /**
   * A change applies to coupons issued from now on. Stock is re-based on what was already issued, by a
   * conditional update, so a concurrent claim is never lost or doubled.
   */
  async updateTemplate(id: Types.ObjectId, patch: Partial<CouponTemplateInput>): Promise<CouponTemplateDoc> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.template(id);
      const { stockLeft: _s, createdAt: _c, updatedAt: _u, _id, systemKey: _k, ...editable } = current;
      const parsed = CouponTemplateSchema.safeParse({ ...editable, ...patch });
      if (!parsed.success)
        throw new AppError(
          'VALIDATION_FAILED',
          undefined,
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      const next = parsed.data;
      let stockLeft = current.stockLeft;
      if (next.totalStock !== current.totalStock) {
        const issuedFromStock = current.totalStock === null ? 0 : current.totalStock - (current.stockLeft ?? 0);
        if (next.totalStock === null) stockLeft = null;
        else if (next.totalStock < issuedFromStock)
          throw new AppError('VALIDATION_FAILED', '总库存不能少于已发放数量', [
            { path: 'totalStock', issued: issuedFromStock },
          ]);
        else stockLeft = next.totalStock - issuedFromStock;
      }
      const updated = await this.models.Templates.findOneAndUpdate(
        { _id: id, stockLeft: current.stockLeft },
        { $set: { ...next, stockLeft, updatedAt: new Date(this.now()) } },
        { returnDocument: 'after' },
      ).lean<CouponTemplateDoc>();
      if (updated) return updated;
    }
    throw new AppError('CONFLICT');
  }

  // ---- Issuing ----
  async issue(input: IssueInput, known?: CouponTemplateDoc): Promise<{ coupon: CouponDoc; replayed: boolean }> {
    const { Templates, Coupons } = this.models;
    const template = known ?? (await this.template(input.templateId));
    if (!template.active && input.enforceSupply) throw new AppError('COUPON_NOT_CLAIMABLE', '该优惠券已停用');
    const replay = async (err: unknown): Promise<{ coupon: CouponDoc; replayed: boolean }> => {
      const existing = await this.byKey.load(input.key);
      if (existing) return { coupon: existing, replayed: true };
      throw err;
    };
    const undo: (() => Promise<unknown>)[] = [];
    const rollback = async () => {
      for (const step of undo.reverse()) await step();
    };

    if (input.enforceSupply) {
      const countId = `${template._id.toHexString()}:${input.memberId.toHexString()}`;
      try {
        await this.allowances.submit({ _id: countId, limit: template.perMemberLimit });
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        return replay(new AppError('COUPON_LIMIT_REACHED'));
      }
      undo.push(() => this.allowanceReturns.submit(countId));
      if (template.stockLeft !== null) {
        try {
          await this.stockClaims.submit(template._id);
        } catch (err) {
          await rollback();
          return replay(err);
        }
        undo.push(() => Templates.updateOne({ _id: template._id }, { $inc: { stockLeft: 1 } }));
      }
    }

    const at = new Date(this.now());
    const heldUntil = input.heldUntil && input.heldUntil > at ? input.heldUntil : null;
    const window = validityWindow(template.validity, heldUntil ?? at);
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const coupon: CouponDoc = {
        _id: new Types.ObjectId(),
        code: String(randomInt(100_000_000_000, 1_000_000_000_000)),
        templateId: template._id,
        memberId: input.memberId,
        key: input.key,
        source: input.source,
        title: template.title,
        description: template.description,
        effect: template.effect,
        conditions: template.conditions,
        status: heldUntil ? 'held' : 'available',
        ...window,
        heldUntil,
        referralId: input.referralId ?? null,
        receivedAt: at,
        usedAt: null,
        usedOrderId: null,
        usedStoreId: null,
        usedStaffId: null,
        usedKey: null,
        discountFen: null,
        orderAmountFen: null,
      };
      try {
        await this.couponInserts.submit(coupon);
        return { coupon, replayed: false };
      } catch (err) {
        if (!isDuplicate(err)) {
          await rollback();
          throw err;
        }
        const existing = await Coupons.findOne({ key: input.key }).lean<CouponDoc>();
        if (existing) {
          // The same event again: give back what this attempt took and answer with the first coupon.
          await rollback();
          return { coupon: existing, replayed: true };
        }
        // Two codes collided (1 in 10^12 per pair): draw another.
      }
    }
    await rollback();
    throw new Error('could not draw a unique coupon code');
  }

  /** The claim centre: a member takes one coupon of a claimable template. */
  async claim(memberId: Types.ObjectId, templateId: Types.ObjectId, idempotencyKey: string) {
    const template = await this.template(templateId);
    const key = `claim:${memberId.toHexString()}:${idempotencyKey}`;
    if (!template.claimable || !template.active || this.ended(template)) {
      const existing = await this.models.Coupons.findOne({ key }).lean<CouponDoc>();
      if (existing) return { coupon: existing, replayed: true };
      throw new AppError('COUPON_NOT_CLAIMABLE');
    }
    const result = await this.issue({ templateId, memberId, source: 'claim', key, enforceSupply: true }, template);
    if (!result.coupon.templateId.equals(templateId))
      throw new AppError('ORDER_CONFLICT', '该领取单号已用于其他优惠券');
    return result;
  }

  private ended(t: CouponTemplateDoc): boolean {
    return t.validity.type === 'fixed' && chinaDayEnd(t.validity.until).getTime() < this.now();
  }

  async claimable(memberId: Types.ObjectId): Promise<{ template: CouponTemplateDoc; held: number }[]> {
    const templates = (
      await this.models.Templates.find({ claimable: true, active: true })
        .sort({ createdAt: -1 })
        .lean<CouponTemplateDoc[]>()
    ).filter((t) => !this.ended(t));
    const ids = templates.map((t) => `${t._id.toHexString()}:${memberId.toHexString()}`);
    const counts = await this.counts()
      .find({ _id: { $in: ids } })
      .toArray();
    const held = new Map(counts.map((c) => [c._id, c.count]));
    return templates.map((template) => ({
      template,
      held: held.get(`${template._id.toHexString()}:${memberId.toHexString()}`) ?? 0,
    }));
  }

  // ---- A member's coupons ----
  async mine(memberId: Types.ObjectId, tab: 'usable' | 'used' | 'expired') {
    await this.expireFor(memberId);
    const statuses = { usable: ['available', 'held'], used: ['used'], expired: ['expired', 'revoked'] } as const;
    const coupons = await this.models.Coupons.find({ memberId, status: { $in: [...statuses[tab]] } })
      .sort(tab === 'usable' ? { validUntil: 1 } : { receivedAt: -1 })
      .limit(200)
      .lean<CouponDoc[]>();
    const grouped = await this.models.Coupons.aggregate<{ _id: string; n: number }>([
      { $match: { memberId } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const n = (s: string) => grouped.find((g) => g._id === s)?.n ?? 0;
    return {
      coupons,
      counts: { usable: n('available') + n('held'), used: n('used'), expired: n('expired') + n('revoked') },
    };
  }

  async one(memberId: Types.ObjectId, id: Types.ObjectId): Promise<CouponDoc> {
    await this.expireFor(memberId);
    const coupon = await this.models.Coupons.findOne({ _id: id, memberId }).lean<CouponDoc>();
    if (!coupon) throw new AppError('NOT_FOUND', undefined, { resource: 'coupon' });
    return coupon;
  }

  /** A member's own lists never show a lapsed coupon as usable, even before the nightly job marks it. */
  private async expireFor(memberId: Types.ObjectId): Promise<void> {
    await this.models.Coupons.updateMany(
      { memberId, status: 'available', validUntil: { $lt: new Date(this.now()) } },
      { $set: { status: 'expired' } },
    );
  }

  // ---- Staff ----
  async byCode(input: string): Promise<CouponDoc> {
    const coupon = await this.models.Coupons.findOne({ code: parseCouponCode(input) }).lean<CouponDoc>();
    if (!coupon) throw new AppError('NOT_FOUND', '找不到该券码', { resource: 'coupon' });
    return coupon;
  }

  /** Why this coupon cannot be verified alone at this store now (null = it can). */
  problemAlone(coupon: CouponDoc, storeId: string): Problem | null {
    return problemOf(this.orderStub(coupon, storeId), this.terms(coupon), true);
  }

  private orderStub(coupon: CouponDoc, storeId: string | null): CouponOrder {
    return { memberId: coupon.memberId.toHexString(), storeId, amountFen: 0, items: [], at: new Date(this.now()) };
  }

  private terms(c: CouponDoc) {
    return { ...c, memberId: c.memberId.toHexString() };
  }

  /** 核销: staff verify a gift coupon on its own. Exactly once; a retry with the same key answers as a replay. */
  async verifyAlone(input: { code: string; storeId: string; staffId: string; key: string }) {
    const coupon = await this.byCode(input.code);
    const usedKey = `${input.staffId}:${input.key}`;
    if (coupon.status === 'used' && coupon.usedKey === usedKey) return { coupon, replayed: true };
    if (!isVerifiableAlone(coupon.effect.kind))
      throw new AppError('COUPON_NOT_USABLE', '此券请在记录消费时使用', { reason: 'needs_order' });
    const problem = this.problemAlone(coupon, input.storeId);
    if (problem) throw this.problemError(problem);
    const at = new Date(this.now());
    const used = await this.models.Coupons.findOneAndUpdate(
      { _id: coupon._id, status: 'available', validUntil: { $gte: at } },
      {
        $set: {
          status: 'used',
          usedAt: at,
          usedKey,
          usedStoreId: new Types.ObjectId(input.storeId),
          usedStaffId: new Types.ObjectId(input.staffId),
          discountFen: 0,
        },
      },
      { returnDocument: 'after' },
    ).lean<CouponDoc>();
    if (used) return { coupon: used, replayed: false };
    const now = await this.models.Coupons.findById(coupon._id).lean<CouponDoc>();
    if (now?.status === 'used' && now.usedKey === usedKey) return { coupon: now, replayed: true };
    throw new AppError('COUPON_USED');
  }

  private problemError(problem: Problem, code?: string): AppError {
    if (problem.reason === 'used') return new AppError('COUPON_USED', undefined, { code });
    return new AppError('COUPON_NOT_USABLE', problem.message, { reason: problem.reason, code });
  }

  /** The member's coupons the till could apply now at this store (money coupons, available, in validity). */
  async usableAt(memberId: Types.ObjectId, storeId: string): Promise<CouponDoc[]> {
    const at = new Date(this.now());
    const coupons = await this.models.Coupons.find({
      memberId,
      status: 'available',
      validFrom: { $lte: at },
      validUntil: { $gte: at },
    })
      .sort({ validUntil: 1 })
      .limit(100)
      .lean<CouponDoc[]>();
    return coupons.filter((c) => !isVerifiableAlone(c.effect.kind) && this.problemAlone(c, storeId) === null);
  }

  // ---- Orders ----
  /**
   * Reads and checks the coupons presented for an order; throws a clear error for the first that cannot be used.
   * Nothing is written: `consume` does that once the order row exists.
   */
  async forOrder(order: CouponOrder, codes: string[]): Promise<OrderCoupons> {
    if (codes.length === 0) return { coupons: [], lines: [], couponFen: 0 };
    const parsed = codes.map(parseCouponCode);
    if (new Set(parsed).size !== parsed.length)
      throw new AppError('VALIDATION_FAILED', '同一张券不能重复使用', [{ path: 'couponCodes' }]);
    const found = await this.models.Coupons.find({ code: { $in: parsed } }).lean<CouponDoc[]>();
    const coupons = parsed.map((code) => {
      const c = found.find((f) => f.code === code);
      if (!c) throw new AppError('NOT_FOUND', `找不到券码 ${code}`, { resource: 'coupon', code });
      return c;
    });
    const result = evaluate(
      order,
      coupons.map((c) => ({ ...this.terms(c), doc: c })),
    );
    if (!result.ok) {
      if (result.stacking) throw new AppError('COUPON_NOT_STACKABLE', undefined, { code: result.coupon?.code });
      throw this.problemError(result.problem, result.coupon?.code);
    }
    return {
      coupons,
      lines: result.lines.map((l) => ({ coupon: l.coupon.doc, discountFen: l.discountFen })),
      couponFen: result.couponFen,
    };
  }

  /**
   * Marks the order's coupons used, each by a conditional update (available -> used). A coupon already used by
   * this very order (a resumed order) counts as done. If one was taken by another order meanwhile, the ones this
   * call took are given back and COUPON_USED is thrown.
   */
  async consume(
    orderId: Types.ObjectId,
    lines: { couponId: Types.ObjectId; discountFen: number }[],
    meta: { storeId: Types.ObjectId | null; staffId: Types.ObjectId | null; amountFen: number },
  ): Promise<void> {
    const Coupons = this.models.Coupons;
    const at = new Date(this.now());
    const taken: Types.ObjectId[] = [];
    for (const line of lines) {
      const res = await Coupons.updateOne(
        { _id: line.couponId, status: 'available', validUntil: { $gte: at } },
        {
          $set: {
            status: 'used',
            usedAt: at,
            usedOrderId: orderId,
            usedStoreId: meta.storeId,
            usedStaffId: meta.staffId,
            discountFen: line.discountFen,
            orderAmountFen: meta.amountFen,
          },
        },
      );
      if (res.modifiedCount === 1) {
        taken.push(line.couponId);
        continue;
      }
      const mine = await Coupons.exists({ _id: line.couponId, status: 'used', usedOrderId: orderId });
      if (mine) continue;
      await this.release(orderId, taken);
      throw new AppError('COUPON_USED');
    }
  }

  /** Gives back coupons an order took (the order did not go through). */
  async release(orderId: Types.ObjectId, couponIds?: Types.ObjectId[]): Promise<void> {
    await this.models.Coupons.updateMany(
      { usedOrderId: orderId, status: 'used', ...(couponIds && { _id: { $in: couponIds } }) },
      { $set: UNUSED },
    );
  }

  /** A fully refunded order gives its coupons back if they are still within their validity. */
  async restoreForRefund(orderId: Types.ObjectId): Promise<number> {
    const res = await this.models.Coupons.updateMany(
      { usedOrderId: orderId, status: 'used', validUntil: { $gt: new Date(this.now()) } },
      { $set: UNUSED },
    );
    return res.modifiedCount;
  }

  // ---- Jobs ----
  /** Marks lapsed coupons expired. Safe to run any number of times, concurrently. */
  async expireDue(): Promise<number> {
    const res = await this.models.Coupons.updateMany(
      { status: 'available', validUntil: { $lt: new Date(this.now()) } },
      { $set: { status: 'expired' } },
    );
    return res.modifiedCount;
  }

  /** Held rewards whose time has come become usable (unless revoked first: both are conditional). */
  async releaseHeld(filter: { referralId?: Types.ObjectId } = {}): Promise<number> {
    const res = await this.models.Coupons.updateMany(
      { status: 'held', heldUntil: { $lte: new Date(this.now()) }, ...filter },
      { $set: { status: 'available' } },
    );
    return res.modifiedCount;
  }

  async revokeHeld(referralId: Types.ObjectId): Promise<number> {
    const res = await this.models.Coupons.updateMany({ referralId, status: 'held' }, { $set: { status: 'revoked' } });
    return res.modifiedCount;
  }
}
