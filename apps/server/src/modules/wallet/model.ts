// Stored value: the owner's top-up packages, each member's top-ups, payments at the till and payment codes.
// The money itself lives in the member's ledger (accounts walletPrincipal and walletBonus); these rows say why.
import type { ChargeStatus, RefundStatus, TopUpStatus } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { registerMemberOwned } from '../../lib/memberOwned';

export interface TopUpPackageDoc {
  _id: Types.ObjectId;
  name: string;
  payFen: number;
  bonusFen: number;
  validFrom: string | null;
  validUntil: string | null;
  perMemberLimit: number | null;
  active: boolean;
  sort: number;
  createdAt: Date;
}

export interface TopUpDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  /** The member's own key: a retried tap finds this top-up. */
  clientKey: string;
  packageId: Types.ObjectId;
  packageName: string;
  payFen: number;
  bonusFen: number;
  status: TopUpStatus;
  outTradeNo: string;
  expiresAt: Date;
  paidAt: Date | null;
  refund: {
    principalFen: number;
    bonusForfeitedFen: number;
    status: RefundStatus;
    requestedAt: Date;
    finishedAt: Date | null;
  } | null;
  createdAt: Date;
}

export interface ChargeDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  storeId: Types.ObjectId;
  staffId: Types.ObjectId;
  /** staff id + the till's key: a retried submit finds this charge. */
  clientKey: string;
  amountFen: number;
  offsetPoints: number;
  offsetFen: number;
  /** Fixed when the member confirms: what stored value pays (and its split), and what WeChat Pay pays. */
  walletFen: number;
  principalFen: number;
  bonusFen: number;
  wechatFen: number;
  /** 'confirming' is internal: the member confirmed and the debit is being made. */
  status: ChargeStatus | 'confirming';
  outTradeNo: string | null;
  expiresAt: Date;
  completedAt: Date | null;
  orderId: Types.ObjectId | null;
  pointsEarned: number;
  refundedFen: number;
  createdAt: Date;
}

export interface PayCodeDoc {
  _id: Types.ObjectId;
  code: string;
  memberId: Types.ObjectId;
  expiresAt: Date;
  usedAt: Date | null;
}

const PackageSchema = new Schema<TopUpPackageDoc>(
  {
    name: { type: String, required: true },
    payFen: { type: Number, required: true },
    bonusFen: { type: Number, required: true },
    validFrom: { type: String, default: null },
    validUntil: { type: String, default: null },
    perMemberLimit: { type: Number, default: null },
    active: { type: Boolean, default: true },
    sort: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const TopUpSchema = new Schema<TopUpDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    clientKey: { type: String, required: true },
    packageId: { type: Schema.Types.ObjectId, required: true },
    packageName: { type: String, required: true },
    payFen: { type: Number, required: true },
    bonusFen: { type: Number, required: true },
    status: { type: String, required: true },
    outTradeNo: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    paidAt: { type: Date, default: null },
    refund: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
TopUpSchema.index({ memberId: 1, clientKey: 1 }, { unique: true });
TopUpSchema.index({ outTradeNo: 1 }, { unique: true });
TopUpSchema.index({ memberId: 1, packageId: 1, status: 1 });
TopUpSchema.index({ createdAt: -1 });

const ChargeSchema = new Schema<ChargeDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    storeId: { type: Schema.Types.ObjectId, required: true },
    staffId: { type: Schema.Types.ObjectId, required: true },
    clientKey: { type: String, required: true },
    amountFen: { type: Number, required: true },
    offsetPoints: { type: Number, default: 0 },
    offsetFen: { type: Number, default: 0 },
    walletFen: { type: Number, default: 0 },
    principalFen: { type: Number, default: 0 },
    bonusFen: { type: Number, default: 0 },
    wechatFen: { type: Number, default: 0 },
    status: { type: String, required: true },
    outTradeNo: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    orderId: { type: Schema.Types.ObjectId, default: null },
    pointsEarned: { type: Number, default: 0 },
    refundedFen: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
ChargeSchema.index({ clientKey: 1 }, { unique: true });
ChargeSchema.index({ memberId: 1, status: 1, createdAt: -1 });
ChargeSchema.index({ createdAt: -1 });

const PayCodeSchema = new Schema<PayCodeDoc>(
  {
    code: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
PayCodeSchema.index({ code: 1 }, { unique: true });
// Codes live a minute; the TTL index clears them an hour later (kept a while for the audit trail).
PayCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 3600 });

// A merge hands top-ups and till payments to the survivor, so refunds and history follow the person.
for (const collection of ['top_ups', 'charges']) registerMemberOwned({ collection, field: 'memberId' });

function model<T>(conn: Connection, name: string, schema: Schema<T>, collection: string): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema, collection);
}

export function walletModels(conn: Connection) {
  return {
    Packages: model(conn, 'TopUpPackage', PackageSchema, 'top_up_packages'),
    TopUps: model(conn, 'TopUp', TopUpSchema, 'top_ups'),
    Charges: model(conn, 'Charge', ChargeSchema, 'charges'),
    PayCodes: model(conn, 'PayCode', PayCodeSchema, 'pay_codes'),
  };
}
