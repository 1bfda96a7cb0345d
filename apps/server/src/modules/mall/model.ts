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
  kind: 'gift';
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
  status: 'pending' | 'awaiting_pickup' | 'picked_up';
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
    kind: { type: String, enum: ['gift'], default: 'gift' },
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
    status: { type: String, enum: ['pending', 'awaiting_pickup', 'picked_up'], default: 'pending' },
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
