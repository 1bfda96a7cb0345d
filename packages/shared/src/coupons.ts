// Issue 8 contract: coupon templates, issuing and claiming, using at the till / open API, staff verification (核销),
// and invite-a-friend (老带新). Amounts are integer fen; discount rates are basis points (8.8 折 = 8800).
import { z } from 'zod';
import { ChinaDayText } from './analytics';
import { ObjectIdText } from './identity';
import { formatFen } from './money';
import { OrderItem } from './points';
import { TierNames } from './schemas';
import { SegmentSnapshot } from './segments';

const IdempotencyKey = z.string().trim().min(8).max(64);
const Fen = z.number().int();
// A day that exists: 2026-13-45 would reach the server as an Invalid Date.
const DateText = ChinaDayText;

// ---- Templates ----
export const CouponKind = z.enum(['cash_off', 'discount', 'gift', 'free_shipping']);
export type CouponKind = z.infer<typeof CouponKind>;
export const CouponKindLabels: Record<CouponKind, string> = {
  cash_off: '满减券',
  discount: '折扣券',
  gift: '兑换券',
  free_shipping: '免运费券',
};

/** What a coupon takes off; each kind is a registered effect on the server. */
export const CouponEffect = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash_off'), valueFen: Fen.min(1, '减免金额至少 ¥0.01').max(10_000_000) }),
  z.strictObject({
    kind: z.literal('discount'),
    /** 8.8 折 = 8800: the member pays this share of the eligible amount. */
    rateBp: z.number().int().min(100, '折扣不能低于 0.1 折').max(9_999, '折扣须低于 10 折'),
    /** The most it takes off; null = no cap. */
    capFen: Fen.min(1).max(10_000_000).nullable().default(null),
  }),
  z.strictObject({ kind: z.literal('gift'), giftName: z.string().trim().min(1, '请填写兑换的商品').max(30) }),
  z.strictObject({
    kind: z.literal('free_shipping'),
    /** The most shipping it covers; null = all of it. Shipping is the order's items in category `shipping`. */
    capFen: Fen.min(1).max(10_000_000).nullable().default(null),
  }),
]);
export type CouponEffect = z.infer<typeof CouponEffect>;

/** When it may be used; each field is a registered condition on the server. */
export const CouponConditions = z.strictObject({
  /** 满 100 可用: the order amount (before any coupon or points) must reach this. 0 = 无门槛. */
  thresholdFen: Fen.min(0).max(100_000_000).default(0),
  /** Empty = every store. */
  storeIds: z.array(ObjectIdText).max(200).default([]),
  /** Empty = every category; otherwise only these items count towards threshold and discount. */
  categories: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
  /** One coupon per order unless every coupon on it is stackable. */
  stackable: z.boolean().default(false),
});
export type CouponConditions = z.infer<typeof CouponConditions>;

export const CouponValidity = z.discriminatedUnion('type', [
  /** China-time days, inclusive. */
  z.strictObject({ type: z.literal('fixed'), from: DateText, until: DateText }),
  /** Valid from the moment it is received for N China days, the day it arrives being the first. */
  z.strictObject({ type: z.literal('relative'), days: z.number().int().min(1).max(3_650) }),
]);
export type CouponValidity = z.infer<typeof CouponValidity>;

export const CouponTemplateInput = z
  .strictObject({
    title: z.string().trim().min(1, '请填写名称').max(30),
    description: z.string().trim().max(200).default(''),
    effect: CouponEffect,
    conditions: CouponConditions.default({ thresholdFen: 0, storeIds: [], categories: [], stackable: false }),
    validity: CouponValidity,
    /** How many can ever be issued; null = unlimited. */
    totalStock: z.number().int().min(0).max(10_000_000).nullable().default(null),
    /** How many one member may hold from this template in all. */
    perMemberLimit: z.number().int().min(1).max(100).default(1),
    /** Shown in the claim centre (领券中心). */
    claimable: z.boolean().default(false),
    active: z.boolean().default(true),
  })
  .refine((t) => t.validity.type !== 'fixed' || t.validity.from <= t.validity.until, {
    path: ['validity', 'until'],
    message: '结束日期不能早于开始日期',
  })
  .refine(
    (t) =>
      t.effect.kind !== 'cash_off' || t.conditions.thresholdFen === 0 || t.effect.valueFen < t.conditions.thresholdFen,
    { path: ['effect', 'valueFen'], message: '减免金额须小于使用门槛' },
  );
export type CouponTemplateInput = z.input<typeof CouponTemplateInput>;

/** A PATCH names only what changes (no defaults: leaving a field out never resets it); the whole is re-checked. */
export const CouponTemplatePatch = z
  .strictObject({
    title: z.string().trim().min(1, '请填写名称').max(30),
    description: z.string().trim().max(200),
    effect: CouponEffect,
    conditions: CouponConditions,
    validity: CouponValidity,
    totalStock: z.number().int().min(0).max(10_000_000).nullable(),
    perMemberLimit: z.number().int().min(1).max(100),
    claimable: z.boolean(),
    active: z.boolean(),
  })
  .partial();
export type CouponTemplatePatch = z.input<typeof CouponTemplatePatch>;

export const CouponTemplateStats = z.object({
  issued: z.number().int(),
  /** Taken by members in the claim centre (the rest were pushed, gifted or rewarded). */
  claimed: z.number().int(),
  used: z.number().int(),
  /** used / issued, in basis points (1500 = 15%). */
  redemptionRateBp: z.number().int(),
  /** What the orders that used it came to (before the coupon), fen. */
  salesFen: Fen,
});
export type CouponTemplateStats = z.infer<typeof CouponTemplateStats>;

export const CouponTemplate = z.object({
  id: z.string(),
  /** Set on the templates the shop starts with (birthday, monthly, referral): the gift settings name them. */
  systemKey: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  effect: CouponEffect,
  conditions: CouponConditions,
  validity: CouponValidity,
  totalStock: z.number().int().nullable(),
  /** What is left to issue; null = unlimited. */
  stockLeft: z.number().int().nullable(),
  perMemberLimit: z.number().int(),
  claimable: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
  stats: CouponTemplateStats.optional(),
});
export type CouponTemplate = z.infer<typeof CouponTemplate>;
export const CouponTemplateList = z.object({ templates: z.array(CouponTemplate) });
export type CouponTemplateList = z.infer<typeof CouponTemplateList>;

/** A template in the claim centre, for one member. */
export const ClaimableCoupon = z.object({
  templateId: z.string(),
  title: z.string(),
  description: z.string(),
  effect: CouponEffect,
  conditions: CouponConditions,
  validity: CouponValidity,
  /** null = unlimited */
  stockLeft: z.number().int().nullable(),
  /** How many more this member may claim. */
  remainingForMe: z.number().int(),
});
export type ClaimableCoupon = z.infer<typeof ClaimableCoupon>;
export const ClaimableCoupons = z.object({ coupons: z.array(ClaimableCoupon) });
export type ClaimableCoupons = z.infer<typeof ClaimableCoupons>;

// ---- Coupons members hold ----
export const CouponStatus = z.enum(['held', 'available', 'used', 'expired', 'revoked']);
export type CouponStatus = z.infer<typeof CouponStatus>;
export const CouponStatusLabels: Record<CouponStatus, string> = {
  held: '待生效',
  available: '可使用',
  used: '已使用',
  expired: '已过期',
  revoked: '已作废',
};

export const CouponSource = z.enum(['claim', 'push', 'birthday', 'monthly', 'mall', 'referral', 'win_back']);
export type CouponSource = z.infer<typeof CouponSource>;
export const CouponSourceLabels: Record<CouponSource, string> = {
  claim: '领券中心',
  push: '商家发放',
  birthday: '生日礼券',
  monthly: '等级月礼',
  mall: '积分兑换',
  referral: '邀请奖励',
  win_back: '回归礼券',
};

/** The QR on the coupon page carries this prefix; the 12 digits under it are the code staff can type. */
export const COUPON_QR_PREFIX = 'MHCP';

export const Coupon = z.object({
  id: z.string(),
  /** 12 digits, unique; staff scan or type it. */
  code: z.string(),
  qrPayload: z.string(),
  templateId: z.string(),
  title: z.string(),
  description: z.string(),
  effect: CouponEffect,
  conditions: CouponConditions,
  status: CouponStatus,
  source: CouponSource,
  validFrom: z.string(),
  validUntil: z.string(),
  /** A referral reward is held until this moment (and revoked if the order it came from is refunded). */
  heldUntil: z.string().nullable(),
  receivedAt: z.string(),
  usedAt: z.string().nullable(),
  /** The order it paid towards, if any. */
  usedOrderId: z.string().nullable(),
  discountFen: Fen.nullable(),
});
export type Coupon = z.infer<typeof Coupon>;

export const MyCouponsQuery = z.strictObject({
  /** usable = available or held; used; expired = expired or revoked */
  tab: z.enum(['usable', 'used', 'expired']).default('usable'),
});
export const MyCoupons = z.object({
  coupons: z.array(Coupon),
  counts: z.object({ usable: z.number().int(), used: z.number().int(), expired: z.number().int() }),
});
export type MyCoupons = z.infer<typeof MyCoupons>;

export const ClaimCouponRequest = z.strictObject({ templateId: ObjectIdText, idempotencyKey: IdempotencyKey });
export type ClaimCouponRequest = z.infer<typeof ClaimCouponRequest>;
export const ClaimCouponResult = z.object({ coupon: Coupon, replayed: z.boolean() });
export type ClaimCouponResult = z.infer<typeof ClaimCouponResult>;

// ---- Staff ----
export const CouponCodeText = z
  .string()
  .trim()
  .min(12)
  .max(64)
  .refine((s) => /^\d{12}$/.test(s) || new RegExp(`^${COUPON_QR_PREFIX}:\\d{12}$`).test(s), '券码应为 12 位数字');

/** Staff scanned or typed a coupon: whose it is and whether it can be used now. */
export const CouponLookupRequest = z.strictObject({ code: CouponCodeText });
export const StaffCouponView = z.object({
  coupon: Coupon,
  member: z.object({ memberId: z.string(), memberNo: z.string(), nickname: z.string().nullable() }),
  /** Gift coupons are verified on their own; money coupons are applied to a purchase. */
  verifiableAlone: z.boolean(),
  /** Why it cannot be used at this store now; null = it can. */
  problem: z.string().nullable(),
});
export type StaffCouponView = z.infer<typeof StaffCouponView>;

export const VerifyCouponRequest = z.strictObject({ code: CouponCodeText, idempotencyKey: IdempotencyKey });
export type VerifyCouponRequest = z.infer<typeof VerifyCouponRequest>;
export const VerifyCouponResult = z.object({ coupon: Coupon, replayed: z.boolean() });
export type VerifyCouponResult = z.infer<typeof VerifyCouponResult>;

/** What the coupons on a purchase would take off, before it is recorded (the till shows it). */
export const CouponQuoteRequest = z.strictObject({
  memberId: ObjectIdText,
  amountFen: z.number().int().min(1).max(100_000_000),
  items: z.array(OrderItem).max(200).default([]),
  couponCodes: z.array(CouponCodeText).min(1).max(5),
});
export type CouponQuoteRequest = z.input<typeof CouponQuoteRequest>;
export const CouponQuote = z.object({
  couponFen: Fen,
  lines: z.array(z.object({ code: z.string(), title: z.string(), discountFen: Fen })),
  /** What is left to pay before any points offset. */
  payableFen: Fen,
});
export type CouponQuote = z.infer<typeof CouponQuote>;

/** The scanned member's coupons the till can apply now (available, valid, this store). */
export const StaffMemberCoupons = z.object({ coupons: z.array(Coupon) });
export type StaffMemberCoupons = z.infer<typeof StaffMemberCoupons>;

// ---- Owner: issuing to many members ----
const MembersTarget = z.strictObject({
  kind: z.literal('members'),
  memberNos: z
    .array(z.string().regex(/^\d{8}$/, '会员号应为 8 位数字'))
    .min(1)
    .max(10_000),
});
/** A saved segment's members at the time the push runs (see segments.ts). */
const SegmentTarget = z.strictObject({ kind: z.literal('segment'), segmentId: ObjectIdText });
export const IssueTarget = z.discriminatedUnion('kind', [MembersTarget, SegmentTarget]);
export type IssueTarget = z.infer<typeof IssueTarget>;

/**
 * A push's target as the campaign row keeps it: a segment push also keeps the segment as it was when pushed (its
 * name, definition and summary), so editing or deleting the segment later neither changes who a queued or
 * resumed push reaches nor what the push list says it was for.
 */
export const IssueTargetRecord = z.discriminatedUnion('kind', [
  MembersTarget,
  SegmentTarget.extend({ segment: SegmentSnapshot.optional() }),
]);
export type IssueTargetRecord = z.infer<typeof IssueTargetRecord>;

export const CreateCouponIssueRequest = z.strictObject({
  templateId: ObjectIdText,
  target: IssueTarget,
  /** One campaign per key: a repeated submit returns the first campaign and issues nothing twice. */
  idempotencyKey: IdempotencyKey,
});
export type CreateCouponIssueRequest = z.input<typeof CreateCouponIssueRequest>;

export const CouponIssueStatus = z.enum(['queued', 'running', 'done', 'failed']);
export const CouponIssue = z.object({
  id: z.string(),
  templateId: z.string(),
  templateTitle: z.string(),
  target: IssueTargetRecord,
  status: CouponIssueStatus,
  /** Members matched; known once the target is resolved. */
  total: z.number().int().nullable(),
  issued: z.number().int(),
  /** Already had their allowance, or the stock ran out. */
  skipped: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  replayed: z.boolean().optional(),
});
export type CouponIssue = z.infer<typeof CouponIssue>;
export const CouponIssueList = z.object({ issues: z.array(CouponIssue) });
export type CouponIssueList = z.infer<typeof CouponIssueList>;

// ---- Gift settings: which templates birthdays, tiers and referrals give ----
export const CouponSettings = z.strictObject({
  tierGifts: z
    .array(
      z.strictObject({
        tier: z.enum(TierNames),
        /** Issued 7 days before the birthday. */
        birthdayTemplateId: ObjectIdText.nullable(),
        /** Issued on the first of each month. */
        monthlyTemplateId: ObjectIdText.nullable(),
      }),
    )
    .max(10),
  referral: z.strictObject({
    enabled: z.boolean(),
    /** Both the inviter and the invitee get one when the invitee's first paid order is recorded. */
    rewardTemplateId: ObjectIdText.nullable(),
    /** Rewards stay unusable this long and are revoked if the order is refunded meanwhile. */
    holdDays: z.number().int().min(0).max(30),
    /** Invitees one member may bring in per day (China time). */
    dailyLimit: z.number().int().min(1).max(1_000),
    /** How long after registering a new member may still accept an invite. */
    acceptWithinHours: z.number().int().min(1).max(720),
  }),
});
export type CouponSettings = z.infer<typeof CouponSettings>;

// ---- Referrals ----
export const ReferralStatus = z.enum(['bound', 'rewarding', 'held', 'rewarded', 'revoked', 'void']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;
export const ReferralStatusLabels: Record<ReferralStatus, string> = {
  bound: '已注册，待首单',
  rewarding: '奖励发放中',
  held: '奖励待生效',
  rewarded: '奖励已到账',
  revoked: '首单已退款，奖励作废',
  void: '无效邀请',
};

/** `scene` of the mini-program code: `i=` + the inviter's token, well under WeChat's 32 characters. */
export const inviteScene = (token: string) => `i=${token}`;
export const INVITE_LANDING_PAGE = 'pages/invite/landing';

export const MyReferral = z.object({
  token: z.string(),
  scene: z.string(),
  page: z.string(),
  /** For the share card (`onShareAppMessage` path) and the H5 build. */
  sharePath: z.string(),
  reward: z.object({ title: z.string(), description: z.string() }).nullable(),
  dailyLimit: z.number().int(),
  invitees: z.array(
    z.object({
      nickname: z.string().nullable(),
      joinedAt: z.string(),
      status: ReferralStatus,
      heldUntil: z.string().nullable(),
    }),
  ),
  rewardsEarned: z.number().int(),
  /** Who invited this member, if anyone. */
  invitedBy: z.object({ nickname: z.string().nullable() }).nullable(),
});
export type MyReferral = z.infer<typeof MyReferral>;

/** The invitee's landing page, before accepting: who invites and what both get. */
export const InviteLanding = z.object({
  inviterNickname: z.string().nullable(),
  reward: z.object({ title: z.string(), description: z.string() }).nullable(),
});
export type InviteLanding = z.infer<typeof InviteLanding>;

export const AcceptReferralRequest = z.strictObject({
  token: z.string().trim().min(4).max(24),
  /** A stable id the client keeps for this device (hashed server-side; used only to spot abuse). */
  device: z.string().trim().min(8).max(128).optional(),
});
export type AcceptReferralRequest = z.infer<typeof AcceptReferralRequest>;
export const AcceptReferralResult = z.object({
  inviterNickname: z.string().nullable(),
  status: ReferralStatus,
});
export type AcceptReferralResult = z.infer<typeof AcceptReferralResult>;

export const AdminReferral = z.object({
  id: z.string(),
  inviter: z.object({ memberId: z.string(), memberNo: z.string(), nickname: z.string().nullable() }),
  invitee: z.object({ memberId: z.string(), memberNo: z.string(), nickname: z.string().nullable() }),
  status: ReferralStatus,
  createdAt: z.string(),
  rewardOrderId: z.string().nullable(),
  heldUntil: z.string().nullable(),
  /** Masked, e.g. 138****; present once the invitee bound a phone. */
  phonePrefix: z.string().nullable(),
  sameDeviceCount: z.number().int(),
});
export type AdminReferral = z.infer<typeof AdminReferral>;

export const AdminReferralsQuery = z.strictObject({
  /** The chain around one member: who invited them, and whom they invited (two levels down). */
  memberNo: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AdminReferrals = z.object({ referrals: z.array(AdminReferral) });
export type AdminReferrals = z.infer<typeof AdminReferrals>;

export const ReferralOverview = z.object({
  topInviters: z.array(
    z.object({
      memberId: z.string(),
      memberNo: z.string(),
      nickname: z.string().nullable(),
      invitees: z.number().int(),
      rewarded: z.number().int(),
    }),
  ),
  suspicious: z.array(
    z.object({
      inviter: z.object({ memberId: z.string(), memberNo: z.string(), nickname: z.string().nullable() }),
      reason: z.enum(['shared_device', 'phone_prefix', 'burst']),
      /** e.g. "5 位受邀人使用同一设备" */
      detail: z.string(),
      count: z.number().int(),
    }),
  ),
});
export type ReferralOverview = z.infer<typeof ReferralOverview>;

export const CouponPaths = {
  myCoupons: '/api/v1/me/coupons',
  myCoupon: (id: string) => `/api/v1/me/coupons/${id}`,
  claimable: '/api/v1/me/coupons/claimable',
  claims: '/api/v1/me/coupons/claims',
  staffLookup: '/api/v1/staff/coupons/lookup',
  staffVerify: '/api/v1/staff/coupons/verify',
  staffQuote: '/api/v1/staff/coupons/quote',
  staffMemberCoupons: (memberId: string) => `/api/v1/staff/members/${memberId}/coupons`,
  adminTemplates: '/api/v1/admin/coupon-templates',
  adminTemplate: (id: string) => `/api/v1/admin/coupon-templates/${id}`,
  adminIssues: '/api/v1/admin/coupon-issues',
  adminIssue: (id: string) => `/api/v1/admin/coupon-issues/${id}`,
  adminSettings: '/api/v1/admin/coupon-settings',
  myReferral: '/api/v1/me/referral',
  myReferralCode: '/api/v1/me/referral/code.png',
  acceptReferral: '/api/v1/me/inviter',
  inviteLanding: (token: string) => `/api/v1/invites/${token}`,
  adminReferrals: '/api/v1/admin/referrals',
  adminReferralOverview: '/api/v1/admin/referrals/overview',
} as const;

// ---- Display: the same words on the coupon card, the claim centre and the admin preview ----
export interface CouponFace {
  /** Big text: "¥20" / "8.8折" / "兑换券" / "免运费" */
  headline: string;
  /** "满¥100.00可用" / "无门槛" / "最高减¥50.00" */
  condition: string;
  /** "2026-12-01 至 2026-12-31" / "领取当日起 30 天内有效" */
  validity: string;
}

export function couponFace(t: { effect: CouponEffect; conditions: CouponConditions; validity: CouponValidity }) {
  const threshold = t.conditions.thresholdFen > 0 ? `满${formatFen(t.conditions.thresholdFen)}可用` : '无门槛';
  const headline = (() => {
    switch (t.effect.kind) {
      case 'cash_off':
        return formatFen(t.effect.valueFen).replace(/\.00$/, '');
      case 'discount':
        return `${(t.effect.rateBp / 1000).toString()}折`;
      case 'gift':
        return '兑换券';
      case 'free_shipping':
        return '免运费';
    }
  })();
  const extras: string[] = [threshold];
  if (t.effect.kind === 'discount' && t.effect.capFen !== null) extras.push(`最高减${formatFen(t.effect.capFen)}`);
  if (t.effect.kind === 'gift') extras.push(`兑换${t.effect.giftName}`);
  if (t.effect.kind === 'free_shipping' && t.effect.capFen !== null)
    extras.push(`运费最高减${formatFen(t.effect.capFen)}`);
  if (t.conditions.storeIds.length > 0) extras.push('限指定门店');
  if (t.conditions.categories.length > 0) extras.push(`限${t.conditions.categories.join('、')}`);
  if (t.conditions.stackable) extras.push('可与其他券叠加');
  const validity =
    t.validity.type === 'fixed'
      ? `${t.validity.from} 至 ${t.validity.until}`
      : `领取当日起 ${t.validity.days} 天内有效`;
  const face: CouponFace = { headline, condition: extras.join('，'), validity };
  return face;
}

const DAY_MS = 86_400_000;

/** "今天过期" / "3 天后过期" (within a week), else null: members see the urgency, not a countdown. */
export function expiryHint(validUntilIso: string, nowMs: number): string | null {
  const left = Date.parse(validUntilIso) - nowMs;
  if (left <= 0) return null;
  const days = Math.floor(left / DAY_MS);
  if (days === 0) return '今天过期';
  if (days <= 7) return `${days} 天后过期`;
  return null;
}
