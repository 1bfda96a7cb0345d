// Coupon templates (what the owner defines), coupons (what a member holds, one row each with a unique code) and
// issuing campaigns (a push to many members, with progress). An issued coupon keeps a copy of its template's terms:
// editing a template later never changes a coupon a member already holds.
import type {
  CouponConditions,
  CouponEffect,
  CouponSource,
  CouponStatus,
  CouponValidity,
  IssueTarget,
} from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { registerMemberOwned } from '../../lib/memberOwned';

export interface CouponTemplateDoc {
  _id: Types.ObjectId;
  /** The templates a shop starts with (birthday, monthly, referral) carry a key; owner-made ones have null. */
  systemKey: string | null;
  title: string;
  description: string;
  effect: CouponEffect;
  conditions: CouponConditions;
  validity: CouponValidity;
  totalStock: number | null;
  /** Decremented by a conditional update per claim: never below zero, so never over-issued. */
  stockLeft: number | null;
  perMemberLimit: number;
  claimable: boolean;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CouponDoc {
  _id: Types.ObjectId;
  code: string;
  templateId: Types.ObjectId;
  memberId: Types.ObjectId;
  /** Unique: the event that issued it (a claim tap, a campaign x member, a birthday, a referral...). */
  key: string;
  source: CouponSource;
  title: string;
  description: string;
  effect: CouponEffect;
  conditions: CouponConditions;
  status: CouponStatus;
  validFrom: Date;
  validUntil: Date;
  heldUntil: Date | null;
  /** The referral this coupon rewards, so a refund of the rewarded order can revoke it. */
  referralId: Types.ObjectId | null;
  receivedAt: Date;
  usedAt: Date | null;
  usedOrderId: Types.ObjectId | null;
  usedStoreId: Types.ObjectId | null;
  usedStaffId: Types.ObjectId | null;
  /** Staff id + client key of a stand-alone verification (核销): a retried verify answers as a replay. */
  usedKey: string | null;
  discountFen: number | null;
  /** The order's amount before coupons, for "sales driven". */
  orderAmountFen: number | null;
}

export interface CouponIssueDoc {
  _id: Types.ObjectId;
  key: string;
  templateId: Types.ObjectId;
  templateTitle: string;
  target: IssueTarget;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number | null;
  issued: number;
  skipped: number;
  /** The last member id handled: a resumed run continues after it. */
  cursor: Types.ObjectId | null;
  createdBy: string;
  createdAt: Date;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

const TemplateSchema = new Schema<CouponTemplateDoc>(
  {
    systemKey: { type: String, default: null },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    effect: { type: Schema.Types.Mixed, required: true },
    conditions: { type: Schema.Types.Mixed, required: true },
    validity: { type: Schema.Types.Mixed, required: true },
    totalStock: { type: Number, default: null },
    stockLeft: { type: Number, default: null },
    perMemberLimit: { type: Number, default: 1 },
    claimable: { type: Boolean, default: false },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
TemplateSchema.index({ systemKey: 1 }, { unique: true, partialFilterExpression: { systemKey: { $type: 'string' } } });

const CouponSchema = new Schema<CouponDoc>(
  {
    code: { type: String, required: true },
    templateId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    source: { type: String, required: true },
    title: String,
    description: String,
    effect: Schema.Types.Mixed,
    conditions: Schema.Types.Mixed,
    status: { type: String, required: true },
    validFrom: Date,
    validUntil: Date,
    heldUntil: { type: Date, default: null },
    referralId: { type: Schema.Types.ObjectId, default: null },
    receivedAt: Date,
    usedAt: { type: Date, default: null },
    usedOrderId: { type: Schema.Types.ObjectId, default: null },
    usedStoreId: { type: Schema.Types.ObjectId, default: null },
    usedStaffId: { type: Schema.Types.ObjectId, default: null },
    usedKey: { type: String, default: null },
    discountFen: { type: Number, default: null },
    orderAmountFen: { type: Number, default: null },
  },
  { versionKey: false, minimize: false },
);
CouponSchema.index({ code: 1 }, { unique: true });
CouponSchema.index({ key: 1 }, { unique: true });
CouponSchema.index({ memberId: 1, status: 1 });
CouponSchema.index({ templateId: 1 });
CouponSchema.index({ status: 1, validUntil: 1 });
CouponSchema.index({ usedOrderId: 1 }, { partialFilterExpression: { usedOrderId: { $type: 'objectId' } } });

const IssueSchema = new Schema<CouponIssueDoc>(
  {
    key: { type: String, required: true },
    templateId: { type: Schema.Types.ObjectId, required: true },
    templateTitle: String,
    target: { type: Schema.Types.Mixed, required: true },
    status: { type: String, default: 'queued' },
    total: { type: Number, default: null },
    issued: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
    cursor: { type: Schema.Types.ObjectId, default: null },
    createdBy: String,
    createdAt: Date,
    heartbeatAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
IssueSchema.index({ key: 1 }, { unique: true });

// A merge hands the source member's coupons to the survivor.
registerMemberOwned({ collection: 'coupons', field: 'memberId' });

export function couponModels(conn: Connection) {
  return {
    Templates:
      (conn.models.CouponTemplate as Model<CouponTemplateDoc> | undefined) ??
      conn.model<CouponTemplateDoc>('CouponTemplate', TemplateSchema, 'coupon_templates'),
    Coupons:
      (conn.models.Coupon as Model<CouponDoc> | undefined) ?? conn.model<CouponDoc>('Coupon', CouponSchema, 'coupons'),
    Issues:
      (conn.models.CouponIssue as Model<CouponIssueDoc> | undefined) ??
      conn.model<CouponIssueDoc>('CouponIssue', IssueSchema, 'coupon_issues'),
  };
}
