import type { OrderItem } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { registerMemberOwned } from '../../lib/memberOwned';

export interface OrderDoc {
  _id: Types.ObjectId;
  /** Where the order came from: `till` (staff in the mini-program) or a POS / shop source name. */
  source: string;
  /** The id the source gives the order (for the till: staff id + the client's idempotency key). */
  externalId: string;
  /** Hash of what was asked, so a reused id with different contents is refused rather than replayed. */
  requestHash: string;
  memberId: Types.ObjectId;
  storeId: Types.ObjectId | null;
  staffId: Types.ObjectId | null;
  amountFen: number;
  offsetPoints: number;
  offsetFen: number;
  /** What the coupons took off; `paidFen` = amount - coupons - points offset. */
  couponFen: number;
  coupons: { couponId: Types.ObjectId; code: string; title: string; discountFen: number }[];
  paidFen: number;
  items: OrderItem[];
  /** Filled when the earn step ran; the tier and multiplier used are kept for refunds and explanations. */
  pointsEarned: number;
  growthEarned: number;
  pointsExpireOn: string | null;
  explanation: string;
  status: 'pending' | 'paid' | 'partially_refunded' | 'refunded';
  refundedFen: number;
  createdAt: Date;
}

const OrderSchema = new Schema<OrderDoc>(
  {
    source: { type: String, required: true },
    externalId: { type: String, required: true },
    requestHash: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    storeId: { type: Schema.Types.ObjectId, default: null },
    staffId: { type: Schema.Types.ObjectId, default: null },
    amountFen: { type: Number, required: true },
    offsetPoints: { type: Number, default: 0 },
    offsetFen: { type: Number, default: 0 },
    couponFen: { type: Number, default: 0 },
    coupons: {
      type: [
        new Schema(
          { couponId: Schema.Types.ObjectId, code: String, title: String, discountFen: Number },
          { _id: false },
        ),
      ],
      default: [],
    },
    paidFen: { type: Number, required: true },
    items: {
      type: [new Schema({ sku: String, name: String, category: String, amountFen: Number }, { _id: false })],
      default: [],
    },
    pointsEarned: { type: Number, default: 0 },
    growthEarned: { type: Number, default: 0 },
    pointsExpireOn: { type: String, default: null },
    explanation: { type: String, default: '' },
    status: { type: String, enum: ['pending', 'paid', 'partially_refunded', 'refunded'], default: 'pending' },
    refundedFen: { type: Number, default: 0 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
// An order is recorded once per (source, external order id).
OrderSchema.index({ source: 1, externalId: 1 }, { unique: true });
OrderSchema.index({ memberId: 1, createdAt: -1 });

// A merge hands the source member's orders to the survivor (refunds and history follow the person).
registerMemberOwned({ collection: 'orders', field: 'memberId' });

export function orderModel(conn: Connection): Model<OrderDoc> {
  return (conn.models.Order as Model<OrderDoc> | undefined) ?? conn.model<OrderDoc>('Order', OrderSchema, 'orders');
}
