import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface StoreDoc {
  _id: Types.ObjectId;
  name: string;
  code: string;
  address: string;
  active: boolean;
  createdAt: Date;
}

const StoreSchema = new Schema<StoreDoc>(
  {
    name: { type: String, required: true },
    code: { type: String, required: true },
    address: { type: String, default: '' },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
);
StoreSchema.index({ code: 1 }, { unique: true });

export function storeModel(conn: Connection): Model<StoreDoc> {
  return (conn.models.Store as Model<StoreDoc> | undefined) ?? conn.model<StoreDoc>('Store', StoreSchema, 'stores');
}
