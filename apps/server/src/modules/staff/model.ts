import type { StaffRole } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface StaffDoc {
  _id: Types.ObjectId;
  storeId: Types.ObjectId;
  name: string;
  username: string;
  passwordHash: string;
  role: StaffRole;
  active: boolean;
  createdAt: Date;
}

const StaffSchema = new Schema<StaffDoc>(
  {
    storeId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ['staff', 'manager'], default: 'staff' },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
);
StaffSchema.index({ username: 1 }, { unique: true });
StaffSchema.index({ storeId: 1 });

export interface StaffInviteDoc {
  _id: Types.ObjectId;
  code: string;
  storeId: Types.ObjectId;
  role: StaffRole;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: Types.ObjectId | null;
  createdBy: string;
}

const InviteSchema = new Schema<StaffInviteDoc>(
  {
    code: { type: String, required: true },
    storeId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: ['staff', 'manager'], required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    usedBy: { type: Schema.Types.ObjectId, default: null },
    createdBy: { type: String, required: true },
  },
  { versionKey: false },
);
InviteSchema.index({ code: 1 }, { unique: true });

export function staffModel(conn: Connection): Model<StaffDoc> {
  return (conn.models.Staff as Model<StaffDoc> | undefined) ?? conn.model<StaffDoc>('Staff', StaffSchema, 'staff');
}

export function staffInviteModel(conn: Connection): Model<StaffInviteDoc> {
  return (
    (conn.models.StaffInvite as Model<StaffInviteDoc> | undefined) ??
    conn.model<StaffInviteDoc>('StaffInvite', InviteSchema, 'staff_invites')
  );
}
