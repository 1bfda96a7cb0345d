import { TierNames } from '@member-hub/shared';
import { type Connection, type HydratedDocument, type Model, Schema, type Types } from 'mongoose';
import { AppError } from '../../errors';
import type { SealedValue } from '../../lib/personalData';
import type { LedgerEntry } from '../ledger/model';

export type MemberStatus = 'active' | 'merging' | 'merged' | 'deleted';

export interface Member {
  _id: Types.ObjectId;
  memberNo: string;
  status: MemberStatus;
  /** Set once a merge into another member has started; the survivor. */
  mergedInto: Types.ObjectId | null;
  /**
   * Every key that identifies this person, one unique multikey index over all of them:
   * `wx:<appid>:<openid>`, `union:<unionid>`, `phone:<blind index>`, `ext:<source>:<id>`.
   */
  identityKeys: string[];
  wechat: { appid: string; openid: string }[];
  unionid: string | null;
  phone: SealedValue | null;
  externalIds: { source: string; id: string }[];
  nickname: string | null;
  avatarUrl: string | null;
  birthday: string | null;
  birthdayLocked: boolean;
  gender: 'unknown' | 'male' | 'female';
  region: { province: string; city: string; district: string } | null;
  tier: (typeof TierNames)[number];
  // Balance caches: ledger_entries + ledgerOutbox are the truth; these always equal their sums.
  points: number;
  growth: number;
  walletPrincipalFen: number;
  walletBonusFen: number;
  /**
   * Points earned, by the day they expire (yyyy-MM-dd, China time), and points consumed (spent, expired) in all.
   * Spending takes the oldest first, so what expires on day D is max(0, earned up to D - consumed): no per-lot
   * bookkeeping, and both counters move in the same update as the balance.
   */
  pointsByExpiry: Record<string, number>;
  pointsConsumed: number;
  /** When the current tier was reached or kept: its yearly review falls on this day a year later. */
  tierSince: Date | null;
  /** The review date a "your tier will drop" warning was already raised for. */
  tierWarnedFor: string | null;
  /** Task points and counts for one day (China time); reset lazily when a new day's first task arrives. */
  taskDay: { date: string; points: number; counts: Record<string, number> } | null;
  checkIn: { lastDate: string; streak: number } | null;
  /** Entries written in the same single-document update as the balance change, copied out to ledger_entries. */
  ledgerOutbox: LedgerEntry[];
  /** Recently applied idempotency keys: a replay racing its own flush is still refused. */
  ledgerKeys: string[];
  /** Bound to an inviter and not yet rewarded: the purchase flow reads it with the buyer (see modules/referrals). */
  referralPending: boolean;
  /** The current rotating member code (see modules/cards). */
  cardCode: { window: number; numeric: string } | null;
  /**
   * Tag ids, manual and rule (see modules/tags). Kept on the member, not in a collection of its own: a segment is
   * then one query over members (tags with tier, points, birthday... in the same filter), the member list shows
   * and filters tags without a join, and a member has a handful of tags, so the array stays small.
   */
  tags: Types.ObjectId[];
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const OutboxEntrySchema = new Schema<LedgerEntry>({
  memberId: Schema.Types.ObjectId,
  account: String,
  amount: Number,
  reason: String,
  idempotencyKey: String,
  note: String,
  refs: Schema.Types.Mixed,
  createdAt: Date,
});

const SealedSchema = new Schema<SealedValue>({ k: String, n: String, c: String }, { _id: false });

const MemberSchema = new Schema<Member>(
  {
    memberNo: { type: String, required: true },
    status: { type: String, enum: ['active', 'merging', 'merged', 'deleted'], default: 'active' },
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    identityKeys: { type: [String], default: [] },
    wechat: { type: [{ _id: false, appid: String, openid: String }], default: [] },
    unionid: { type: String, default: null },
    phone: { type: SealedSchema, default: null },
    externalIds: { type: [{ _id: false, source: String, id: String }], default: [] },
    nickname: { type: String, default: null },
    avatarUrl: { type: String, default: null },
    birthday: { type: String, default: null },
    birthdayLocked: { type: Boolean, default: false },
    gender: { type: String, enum: ['unknown', 'male', 'female'], default: 'unknown' },
    region: { type: new Schema({ province: String, city: String, district: String }, { _id: false }), default: null },
    tier: { type: String, enum: TierNames, default: '普通会员' },
    points: { type: Number, default: 0 },
    growth: { type: Number, default: 0 },
    walletPrincipalFen: { type: Number, default: 0 },
    walletBonusFen: { type: Number, default: 0 },
    pointsByExpiry: { type: Schema.Types.Mixed, default: {} },
    pointsConsumed: { type: Number, default: 0 },
    tierSince: { type: Date, default: null },
    tierWarnedFor: { type: String, default: null },
    taskDay: { type: Schema.Types.Mixed, default: null },
    checkIn: { type: Schema.Types.Mixed, default: null },
    ledgerOutbox: { type: [OutboxEntrySchema], default: [] },
    ledgerKeys: { type: [String], default: [] },
    referralPending: { type: Boolean, default: false },
    cardCode: { type: new Schema({ window: Number, numeric: String }, { _id: false }), default: null },
    tags: { type: [Schema.Types.ObjectId], default: [] },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);

// One person, one member: no key may point at two members.
MemberSchema.index({ identityKeys: 1 }, { unique: true });
MemberSchema.index({ memberNo: 1 }, { unique: true });
// Members of a tag (counts, segments, the member list's tag filter): one multikey index.
MemberSchema.index({ tags: 1 });

/** What the member can spend from stored value: principal and bonus together. */
/** A member who can take part in an order, an entry or a change: missing is NOT_FOUND, else deleted or merged. */
export function assertActiveMember<T extends Pick<Member, 'status'>>(
  member: T | null | undefined,
): asserts member is T {
  if (!member) throw new AppError('NOT_FOUND', undefined, { resource: 'member' });
  if (member.status !== 'active') throw new AppError(member.status === 'deleted' ? 'MEMBER_DELETED' : 'MEMBER_MERGED');
}

export function storedValueFen(member: Pick<Member, 'walletPrincipalFen' | 'walletBonusFen'>): number {
  return member.walletPrincipalFen + member.walletBonusFen;
}

export type MemberDocument = HydratedDocument<Member>;
export type MemberModel = Model<Member>;

export function memberModel(conn: Connection): MemberModel {
  return (conn.models.Member as MemberModel | undefined) ?? conn.model<Member>('Member', MemberSchema, 'members');
}
