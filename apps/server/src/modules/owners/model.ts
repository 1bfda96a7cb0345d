import type { OwnerPermission } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface Owner {
  _id: Types.ObjectId;
  username: string;
  passwordHash: string;
  /** Beyond the default owner rights (e.g. exporting full phone numbers); none unless granted. */
  permissions: OwnerPermission[];
  createdAt: Date;
}

const OwnerSchema = new Schema<Owner>(
  {
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    permissions: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
OwnerSchema.index({ username: 1 }, { unique: true });

export function ownerModel(conn: Connection): Model<Owner> {
  return (conn.models.Owner as Model<Owner> | undefined) ?? conn.model<Owner>('Owner', OwnerSchema, 'owners');
}
