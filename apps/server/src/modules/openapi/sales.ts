// Sales a POS reports for walk-in customers (no member): kept apart from orders, which always belong to a member
// and move ledgers. They exist so the dashboard can set members against non-members; nothing else reads them.
// Idempotent per (store, external sale id) and per (sale, external refund id), like the member open API.
import { createHash } from 'node:crypto';
import type { OpenSaleRefundRequest, OpenSaleRequest, OpenSaleResult } from '@member-hub/shared';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import { AppError } from '../../errors';

export interface StoreSaleDoc {
  _id: Types.ObjectId;
  storeId: Types.ObjectId;
  externalId: string;
  /** Hash of what was asked, so a reused id with different contents is refused rather than replayed. */
  requestHash: string;
  amountFen: number;
  items: OpenSaleRequest['items'];
  refundedFen: number;
  refunds: { externalId: string; amountFen: number; at: Date }[];
  createdAt: Date;
}

const StoreSaleSchema = new Schema<StoreSaleDoc>(
  {
    storeId: { type: Schema.Types.ObjectId, required: true },
    externalId: { type: String, required: true },
    requestHash: { type: String, required: true },
    amountFen: { type: Number, required: true },
    items: { type: Schema.Types.Mixed, default: [] },
    refundedFen: { type: Number, default: 0 },
    refunds: { type: [new Schema({ externalId: String, amountFen: Number, at: Date }, { _id: false })], default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
StoreSaleSchema.index({ storeId: 1, externalId: 1 }, { unique: true });

export function storeSaleModel(conn: Connection): Model<StoreSaleDoc> {
  return (
    (conn.models.StoreSale as Model<StoreSaleDoc> | undefined) ??
    conn.model<StoreSaleDoc>('StoreSale', StoreSaleSchema, 'store_sales')
  );
}

function present(sale: StoreSaleDoc, replayed: boolean): OpenSaleResult {
  return {
    saleId: sale._id.toHexString(),
    externalSaleId: sale.externalId,
    amountFen: sale.amountFen,
    refundedFen: sale.refundedFen,
    status: sale.refundedFen === 0 ? 'paid' : sale.refundedFen >= sale.amountFen ? 'refunded' : 'partially_refunded',
    replayed,
  };
}

export class StoreSaleService {
  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  async record(storeId: Types.ObjectId, input: OpenSaleRequest): Promise<OpenSaleResult> {
    const Sales = storeSaleModel(this.conn);
    const requestHash = createHash('sha256')
      .update(JSON.stringify([input.amountFen, input.items]))
      .digest('base64url');
    try {
      const sale = await Sales.create({
        _id: new Types.ObjectId(),
        storeId,
        externalId: input.externalSaleId,
        requestHash,
        amountFen: input.amountFen,
        items: input.items,
        createdAt: new Date(this.now()),
      });
      return present(sale.toObject(), false);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await Sales.findOne({ storeId, externalId: input.externalSaleId }).lean<StoreSaleDoc>();
      if (!existing) throw err;
      if (existing.requestHash !== requestHash) throw new AppError('ORDER_CONFLICT');
      return present(existing, true);
    }
  }

  async refund(storeId: Types.ObjectId, input: OpenSaleRefundRequest): Promise<OpenSaleResult> {
    const Sales = storeSaleModel(this.conn);
    const sale = await Sales.findOne({ storeId, externalId: input.externalSaleId }).lean<StoreSaleDoc>();
    if (!sale) throw new AppError('NOT_FOUND', undefined, { resource: 'sale' });
    const known = sale.refunds.find((r) => r.externalId === input.externalRefundId);
    if (known) {
      if (known.amountFen !== input.amountFen)
        throw new AppError('ORDER_CONFLICT', '该退款单号已用于另一笔不同金额的退款');
      return present(sale, true);
    }
    // One conditional update: the refund id is new and the total stays within the sale, so concurrent refunds
    // (or a retry racing its first attempt) can neither apply twice nor refund more than was paid.
    const updated = await Sales.findOneAndUpdate(
      {
        _id: sale._id,
        'refunds.externalId': { $ne: input.externalRefundId },
        refundedFen: { $lte: sale.amountFen - input.amountFen },
      },
      {
        $inc: { refundedFen: input.amountFen },
        $push: {
          refunds: { externalId: input.externalRefundId, amountFen: input.amountFen, at: new Date(this.now()) },
        },
      },
      { returnDocument: 'after' },
    ).lean<StoreSaleDoc>();
    if (updated) return present(updated, false);
    const after = await Sales.findById(sale._id).lean<StoreSaleDoc>();
    const raced = after?.refunds.find((r) => r.externalId === input.externalRefundId);
    if (after && raced?.amountFen === input.amountFen) return present(after, true);
    throw new AppError('REFUND_NOT_ALLOWED', '退款金额超过可退金额', {
      refundableFen: (after ?? sale).amountFen - (after ?? sale).refundedFen,
    });
  }
}
