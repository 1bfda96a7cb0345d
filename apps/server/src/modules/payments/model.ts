// Our record of every WeChat Pay order and refund: what we asked for, and what WeChat said happened.
import type { PaymentKind, RequestPaymentParams } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { registerMemberOwned } from '../../lib/memberOwned';

export interface PayOrderDoc {
  _id: Types.ObjectId;
  /** Unique; derived from what is being paid (a top-up, a till payment), so a retry finds the same order. */
  outTradeNo: string;
  kind: PaymentKind;
  refId: Types.ObjectId;
  memberId: Types.ObjectId;
  amountFen: number;
  description: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  /** time_expire: WeChat refuses payment after this. */
  expiresAt: Date;
  /** What wx.requestPayment was given; handed out again to a client that retries. */
  payment: RequestPaymentParams | null;
  transactionId: string | null;
  paidAt: Date | null;
  createdAt: Date;
}

const PayOrderSchema = new Schema<PayOrderDoc>(
  {
    outTradeNo: { type: String, required: true },
    kind: { type: String, required: true },
    refId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    amountFen: { type: Number, required: true },
    description: { type: String, required: true },
    state: { type: String, enum: ['NOTPAY', 'SUCCESS', 'CLOSED'], default: 'NOTPAY' },
    expiresAt: { type: Date, required: true },
    payment: { type: Schema.Types.Mixed, default: null },
    transactionId: { type: String, default: null },
    paidAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
PayOrderSchema.index({ outTradeNo: 1 }, { unique: true });
PayOrderSchema.index({ state: 1, createdAt: 1 });
PayOrderSchema.index({ paidAt: 1 });

export interface PayRefundDoc {
  _id: Types.ObjectId;
  outRefundNo: string;
  outTradeNo: string;
  kind: PaymentKind;
  refId: Types.ObjectId;
  memberId: Types.ObjectId;
  amountFen: number;
  totalFen: number;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  createdAt: Date;
  finishedAt: Date | null;
}

const PayRefundSchema = new Schema<PayRefundDoc>(
  {
    outRefundNo: { type: String, required: true },
    outTradeNo: { type: String, required: true },
    kind: { type: String, required: true },
    refId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    amountFen: { type: Number, required: true },
    totalFen: { type: Number, required: true },
    status: { type: String, enum: ['PROCESSING', 'SUCCESS', 'ABNORMAL', 'CLOSED'], default: 'PROCESSING' },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
PayRefundSchema.index({ outRefundNo: 1 }, { unique: true });
PayRefundSchema.index({ status: 1, createdAt: 1 });
PayRefundSchema.index({ finishedAt: 1 });

for (const collection of ['pay_orders', 'pay_refunds']) registerMemberOwned({ collection, field: 'memberId' });

export function payModels(conn: Connection): { Orders: Model<PayOrderDoc>; Refunds: Model<PayRefundDoc> } {
  return {
    Orders:
      (conn.models.PayOrder as Model<PayOrderDoc> | undefined) ??
      conn.model<PayOrderDoc>('PayOrder', PayOrderSchema, 'pay_orders'),
    Refunds:
      (conn.models.PayRefund as Model<PayRefundDoc> | undefined) ??
      conn.model<PayRefundDoc>('PayRefund', PayRefundSchema, 'pay_refunds'),
  };
}
