import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface MallItemDoc {
  _id: Types.ObjectId;
  title: string;
  description: string;
  imageUrl: string | null;
  pointsPrice: number;
  /** null = unlimited */
  stock: number | null;
  perMemberLimit: number | null;
  /** gift: picked up in store with a code; coupon: redeeming issues a coupon of `couponTemplateId`. */
  kind: 'gift' | 'coupon';
  couponTemplateId: Types.ObjectId | null;
  active: boolean;
  createdAt: Date;
}

export interface RedemptionDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  itemId: Types.ObjectId;
  key: string;
  title: string;
  pointsSpent: number;
  pickupCode: string;
  /** Coupon items: the coupon the redemption issued. */
  couponId: Types.ObjectId | null;
  status: 'pending' | 'awaiting_pickup' | 'picked_up' | 'issued';
  /** Progress marks: each claim happens at most once, even when a crashed redemption is resumed. */
  limitClaimed: boolean;
  stockClaimed: boolean;
  at: Date;
}

const ItemSchema = new Schema<MallItemDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, default: '' },
    imageUrl: { type: String, default: null },
    pointsPrice: { type: Number, required: true },
    stock: { type: Number, default: null },
    perMemberLimit: { type: Number, default: null },
    kind: { type: String, enum: ['gift', 'coupon'], default: 'gift' },
    couponTemplateId: { type: Schema.Types.ObjectId, default: null },
    active: { type: Boolean, default: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

const RedemptionSchema = new Schema<RedemptionDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    itemId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    title: String,
    pointsSpent: Number,
    pickupCode: String,
    couponId: { type: Schema.Types.ObjectId, default: null },
    status: { type: String, enum: ['pending', 'awaiting_pickup', 'picked_up', 'issued'], default: 'pending' },
    limitClaimed: { type: Boolean, default: false },
    stockClaimed: { type: Boolean, default: false },
    at: Date,
  },
  { versionKey: false },
);
RedemptionSchema.index({ memberId: 1, key: 1 }, { unique: true });
RedemptionSchema.index({ memberId: 1, at: -1 });

export function mallModels(conn: Connection) {
  return {
    Items:
      (conn.models.MallItem as Model<MallItemDoc> | undefined) ??
      conn.model<MallItemDoc>('MallItem', ItemSchema, 'mall_items'),
    Redemptions:
      (conn.models.MallRedemption as Model<RedemptionDoc> | undefined) ??
      conn.model<RedemptionDoc>('MallRedemption', RedemptionSchema, 'mall_redemptions'),
  };
}
