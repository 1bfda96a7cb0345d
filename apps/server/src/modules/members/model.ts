import { TierNames } from '@member-hub/shared';
import { type Connection, type HydratedDocument, type Model, Schema, type Types } from 'mongoose';

export interface Member {
  _id: Types.ObjectId;
  memberNo: string;
  appid: string;
  openid: string;
  unionid: string | null;
  nickname: string | null;
  tier: (typeof TierNames)[number];
  points: number;
  growth: number;
  storedValueFen: number;
  createdAt: Date;
  updatedAt: Date;
}

const MemberSchema = new Schema<Member>(
  {
    memberNo: { type: String, required: true },
    appid: { type: String, required: true },
    openid: { type: String, required: true },
    unionid: { type: String, default: null },
    nickname: { type: String, default: null },
    tier: { type: String, enum: TierNames, default: '普通会员' },
    // Balance caches: the ledgers (later issues) are the truth; these are kept equal to their sums.
    points: { type: Number, default: 0 },
    growth: { type: Number, default: 0 },
    storedValueFen: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);

// One member per (appid, openid): a second login finds, never creates.
MemberSchema.index({ appid: 1, openid: 1 }, { unique: true });
MemberSchema.index({ memberNo: 1 }, { unique: true });
MemberSchema.index({ unionid: 1 }, { unique: true, partialFilterExpression: { unionid: { $type: 'string' } } });

export type MemberDocument = HydratedDocument<Member>;
export type MemberModel = Model<Member>;

export function memberModel(conn: Connection): MemberModel {
  return (conn.models.Member as MemberModel | undefined) ?? conn.model<Member>('Member', MemberSchema, 'members');
}
