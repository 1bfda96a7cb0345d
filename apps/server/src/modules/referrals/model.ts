import type { ReferralStatus } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { registerMemberOwned } from '../../lib/memberOwned';
import type { SealedValue } from '../../lib/personalData';

/** A member's invite token: short and random (never the member id), carried in the mini-program code's scene. */
export interface InviteTokenDoc {
  _id: string;
  memberId: Types.ObjectId;
  createdAt: Date;
}

export interface ReferralDoc {
  _id: Types.ObjectId;
  inviterId: Types.ObjectId;
  /** Unique: one inviter per invitee, the first one. */
  inviteeId: Types.ObjectId;
  token: string;
  status: ReferralStatus;
  /** Why a referral became void (the invitee's phone was already a member...). */
  voidReason: string | null;
  /** Keyed hashes, only to spot many invitees on one device or one phone range; never shown. */
  deviceHash: string | null;
  phonePrefixHash: string | null;
  /** The first 7 digits (号段, e.g. 1381234), sealed like every phone; for the owner's abuse view only. */
  phonePrefix: SealedValue | null;
  rewardOrderId: Types.ObjectId | null;
  heldUntil: Date | null;
  createdAt: Date;
  rewardedAt: Date | null;
}

const TokenSchema = new Schema<InviteTokenDoc>(
  { _id: String, memberId: { type: Schema.Types.ObjectId, required: true }, createdAt: Date },
  { versionKey: false },
);
TokenSchema.index({ memberId: 1 });

const ReferralSchema = new Schema<ReferralDoc>(
  {
    inviterId: { type: Schema.Types.ObjectId, required: true },
    inviteeId: { type: Schema.Types.ObjectId, required: true },
    token: String,
    status: { type: String, required: true },
    voidReason: { type: String, default: null },
    deviceHash: { type: String, default: null },
    phonePrefixHash: { type: String, default: null },
    phonePrefix: { type: new Schema({ k: String, n: String, c: String }, { _id: false }), default: null },
    rewardOrderId: { type: Schema.Types.ObjectId, default: null },
    heldUntil: { type: Date, default: null },
    createdAt: Date,
    rewardedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
ReferralSchema.index({ inviteeId: 1 }, { unique: true });
ReferralSchema.index({ inviterId: 1, createdAt: -1 });
ReferralSchema.index({ status: 1, heldUntil: 1 });
ReferralSchema.index({ rewardOrderId: 1 }, { partialFilterExpression: { rewardOrderId: { $type: 'objectId' } } });

// When the inviter's account is merged, their invitees follow them. The invitee side is deliberately not
// re-pointed: an invitee merged into an existing member was not new, and the referral is voided instead.
registerMemberOwned({ collection: 'referrals', field: 'inviterId' });
registerMemberOwned({ collection: 'invite_tokens', field: 'memberId' });

export function referralModels(conn: Connection) {
  return {
    Tokens:
      (conn.models.InviteToken as Model<InviteTokenDoc> | undefined) ??
      conn.model<InviteTokenDoc>('InviteToken', TokenSchema, 'invite_tokens'),
    Referrals:
      (conn.models.Referral as Model<ReferralDoc> | undefined) ??
      conn.model<ReferralDoc>('Referral', ReferralSchema, 'referrals'),
  };
}
