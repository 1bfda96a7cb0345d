// Issue 6 contract (first part): loyalty rules, purchases, points balance and history.
import { z } from 'zod';
import { ObjectIdText } from './identity';
import { TierNames } from './schemas';

/** Multipliers are integer basis points (1.5x = 15000), so no float ever touches a points calculation. */
export const BasisPoints = z.number().int().min(0).max(100_000);

export const TierRule = z.strictObject({
  name: z.enum(TierNames),
  /** Growth value needed to reach this tier. */
  threshold: z.number().int().min(0),
  multiplierBp: BasisPoints,
  benefits: z.array(z.string().trim().min(1).max(40)).max(10),
});
export type TierRule = z.infer<typeof TierRule>;

/** One configured earn rule: `type` names a registered rule object, `params` are checked by that rule's schema. */
export const EarnRuleConfig = z.strictObject({
  type: z.string().min(1).max(40),
  enabled: z.boolean().default(true),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type EarnRuleConfig = z.infer<typeof EarnRuleConfig>;

/** What one task may award: bounded, so a balance can never leave the safe-integer range. */
const TaskPoints = z.number().int().min(0).max(100_000);

export const TaskRules = z.strictObject({
  checkIn: z.strictObject({
    points: TaskPoints,
    streakDays: z.number().int().min(2).max(31),
    streakBonus: TaskPoints,
  }),
  profile: TaskPoints,
  phone: TaskPoints,
  share: z.strictObject({ points: TaskPoints, perDay: z.number().int().min(0).max(20) }),
  review: TaskPoints,
  /** Most task points a member can get in one day (China time). */
  dailyCap: z.number().int().min(0).max(1_000_000),
});
export type TaskRules = z.infer<typeof TaskRules>;

export const LoyaltyRules = z.strictObject({
  /** Points per whole yuan paid, before multipliers. */
  pointsPerYuan: z.number().int().min(0).max(100),
  /** How many points make one yuan off at checkout. */
  pointsPerYuanOffset: z.number().int().min(1).max(10_000),
  /** The largest share of an order points may pay, in basis points (5000 = 50%). */
  maxOffsetBp: BasisPoints.max(10_000),
  /** Points expire at the end of the month this many months after they were earned. */
  expiryMonths: z.number().int().min(1).max(120),
  tiers: z.array(TierRule).min(1).max(10),
  earnRules: z.array(EarnRuleConfig).max(20),
  tasks: TaskRules,
});
export type LoyaltyRules = z.infer<typeof LoyaltyRules>;

export const OrderItem = z.strictObject({
  sku: z.string().trim().max(64).optional(),
  name: z.string().trim().min(1).max(60),
  category: z.string().trim().max(40).optional(),
  amountFen: z.number().int().min(0),
});
export type OrderItem = z.infer<typeof OrderItem>;

/** Staff at the till, right after scanning the member code. */
export const RecordPurchaseRequest = z.strictObject({
  memberId: ObjectIdText,
  /** What the order costs before any points offset, in fen. */
  amountFen: z.number().int().min(1, '金额必须大于 0').max(100_000_000),
  /** Points the member agreed to spend on this order (100 = ¥1 by default). */
  offsetPoints: z.number().int().min(0).default(0),
  items: z.array(OrderItem).max(200).default([]),
  /** Coupons the member hands over (scanned or picked from their list); one per order unless all stack. */
  couponCodes: z.array(z.string().trim().min(12).max(64)).max(5).default([]),
  /** Client-generated key: a retried submit returns the first result. */
  idempotencyKey: z.string().trim().min(8).max(64),
});
export type RecordPurchaseRequest = z.infer<typeof RecordPurchaseRequest>;

export const PurchaseResult = z.object({
  orderId: z.string(),
  memberId: z.string(),
  amountFen: z.number().int(),
  offsetPoints: z.number().int(),
  offsetFen: z.number().int(),
  /** What the coupons took off (before points). */
  couponFen: z.number().int(),
  paidFen: z.number().int(),
  pointsEarned: z.number().int(),
  growthEarned: z.number().int(),
  /** e.g. "消费 ¥128.00，金卡 1.5 倍，+192" */
  explanation: z.string(),
  balance: z.object({ points: z.number().int(), growth: z.number().int(), tier: z.string() }),
  replayed: z.boolean(),
});
export type PurchaseResult = z.infer<typeof PurchaseResult>;

export const PointsEntry = z.object({
  id: z.string(),
  amount: z.number().int(),
  reason: z.string(),
  note: z.string(),
  at: z.string(),
});
export type PointsEntry = z.infer<typeof PointsEntry>;

export const PointsSummary = z.object({
  points: z.number().int(),
  /** The next expiry, if any points are due to expire. */
  nextExpiry: z.object({ points: z.number().int(), on: z.string() }).nullable(),
});
export type PointsSummary = z.infer<typeof PointsSummary>;

export const PointsHistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  after: z.string().max(64).optional(),
});
export const PointsHistory = z.object({ items: z.array(PointsEntry), next: z.string().nullable() });
export type PointsHistory = z.infer<typeof PointsHistory>;

export const PointsPaths = {
  rules: '/api/v1/admin/rules',
  staffPurchases: '/api/v1/staff/purchases',
  myPoints: '/api/v1/me/points',
  myPointsHistory: '/api/v1/me/points/history',
} as const;

// ---- Tiers ----
export const MyTier = z.object({
  tier: z.string(),
  growth: z.number().int(),
  /** The next tier up and what it takes; null at the top. */
  next: z
    .object({
      name: z.string(),
      threshold: z.number().int(),
      growthNeeded: z.number().int(),
      /** Growth is 1 per yuan paid, so this is what is left to spend: "再消费 ¥820 升级金卡". */
      spendNeededFen: z.number().int(),
    })
    .nullable(),
  tiers: z.array(
    z.object({
      name: z.string(),
      threshold: z.number().int(),
      multiplierBp: z.number().int(),
      benefits: z.array(z.string()),
    }),
  ),
  history: z.array(
    z.object({ from: z.string(), to: z.string(), reason: z.string(), note: z.string(), at: z.string() }),
  ),
});
export type MyTier = z.infer<typeof MyTier>;

export const GrantTierRequest = z.strictObject({
  tier: z.enum(TierNames),
  reason: z.string().trim().min(2, '请填写原因').max(200),
});

// ---- Tasks ----
export const TaskStatus = z.object({
  type: z.enum(['checkIn', 'profile', 'phone', 'share', 'review']),
  title: z.string(),
  points: z.number().int(),
  /** How many times it was done today (or ever, for one-off tasks) and how many count. */
  done: z.number().int(),
  limit: z.number().int(),
});
export const MyTasks = z.object({
  checkIn: z.object({
    checkedInToday: z.boolean(),
    streak: z.number().int(),
    bonusAtStreak: z.number().int(),
    bonusPoints: z.number().int(),
  }),
  tasks: z.array(TaskStatus),
  todayTaskPoints: z.number().int(),
  dailyCap: z.number().int(),
});
export type MyTasks = z.infer<typeof MyTasks>;

export const CheckInResult = z.object({
  points: z.number().int(),
  bonus: z.number().int(),
  streak: z.number().int(),
  /** True when this call found today's check-in already done (nothing was added). */
  already: z.boolean(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

// ---- Points mall ----
export const MallItem = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  pointsPrice: z.number().int(),
  /** null = unlimited */
  stock: z.number().int().nullable(),
  perMemberLimit: z.number().int().nullable(),
  /** gift: picked up in store with a code; coupon: redeeming issues a coupon of `couponTemplateId`. */
  kind: z.enum(['gift', 'coupon']),
  couponTemplateId: z.string().nullable(),
  active: z.boolean(),
});
export type MallItem = z.infer<typeof MallItem>;

const MallItemFields = {
  title: z.string().trim().min(1, '请输入名称').max(30),
  description: z.string().trim().max(200),
  imageUrl: z.url().max(512).nullable(),
  pointsPrice: z.number().int().min(1, '积分价格至少为 1'),
  /** null = unlimited */
  stock: z.number().int().min(0).nullable(),
  perMemberLimit: z.number().int().min(1).nullable(),
  kind: z.enum(['gift', 'coupon']),
  couponTemplateId: ObjectIdText.nullable(),
  active: z.boolean(),
};

export const UpsertMallItemRequest = z
  .strictObject({
    ...MallItemFields,
    description: MallItemFields.description.default(''),
    imageUrl: MallItemFields.imageUrl.default(null),
    stock: MallItemFields.stock.default(null),
    perMemberLimit: MallItemFields.perMemberLimit.default(null),
    kind: MallItemFields.kind.default('gift'),
    couponTemplateId: MallItemFields.couponTemplateId.default(null),
    active: MallItemFields.active.default(true),
  })
  .refine((i) => (i.kind === 'coupon') === (i.couponTemplateId !== null), {
    path: ['couponTemplateId'],
    message: '优惠券商品须选择优惠券模板',
  });

/** A PATCH changes only the fields it names (no defaults: leaving stock out must not reset it to unlimited). */
export const UpdateMallItemRequest = z.strictObject(MallItemFields).partial();

export const RedeemRequest = z.strictObject({
  itemId: ObjectIdText,
  idempotencyKey: z.string().trim().min(8).max(64),
});
export const Redemption = z.object({
  id: z.string(),
  itemId: z.string(),
  title: z.string(),
  pointsSpent: z.number().int(),
  /** Shown to staff when the gift is picked up in store. */
  pickupCode: z.string(),
  /** coupon items: the coupon it issued (pickupCode is then empty) */
  couponId: z.string().nullable(),
  status: z.enum(['awaiting_pickup', 'picked_up', 'issued']),
  at: z.string(),
  replayed: z.boolean(),
});
export type Redemption = z.infer<typeof Redemption>;

// ---- Owner tools ----
export const PointsAdjustmentRequest = z.strictObject({
  /** Positive adds, negative removes (never below zero). */
  amount: z
    .number()
    .int()
    // As much as an import may bring in: a balance must never leave the safe-integer range.
    .min(-1_000_000_000, '单次最多调整 10 亿积分')
    .max(1_000_000_000, '单次最多调整 10 亿积分')
    .refine((n) => n !== 0, '调整数量不能为 0'),
  reason: z.string().trim().min(2, '请填写调整原因').max(200),
  idempotencyKey: z.string().trim().min(8).max(64),
});
export const PointsLiability = z.object({
  outstandingPoints: z.number().int(),
  /** What the outstanding points are worth at the checkout offset rate. */
  valueFen: z.number().int(),
  members: z.number().int(),
});
export type PointsLiability = z.infer<typeof PointsLiability>;

export const RefundRequest = z.strictObject({
  amountFen: z.number().int().min(1),
  idempotencyKey: z.string().trim().min(8).max(64),
});
export const RefundResult = z.object({
  orderId: z.string(),
  refundedFen: z.number().int(),
  pointsReversed: z.number().int(),
  growthReversed: z.number().int(),
  offsetPointsReturned: z.number().int(),
  status: z.enum(['partially_refunded', 'refunded']),
  replayed: z.boolean(),
});
export type RefundResult = z.infer<typeof RefundResult>;

export const LoyaltyPaths = {
  myTier: '/api/v1/me/tier',
  myTasks: '/api/v1/me/tasks',
  myCheckIn: '/api/v1/me/check-in',
  mallItems: '/api/v1/mall/items',
  myRedemptions: '/api/v1/me/mall/redemptions',
  adminMallItems: '/api/v1/admin/mall/items',
  adminMallItem: (id: string) => `/api/v1/admin/mall/items/${id}`,
  adminPointsAdjustments: (memberId: string) => `/api/v1/admin/members/${memberId}/points-adjustments`,
  adminGrantTier: (memberId: string) => `/api/v1/admin/members/${memberId}/tier`,
  adminLiability: '/api/v1/admin/points/liability',
  staffRefunds: (orderId: string) => `/api/v1/staff/orders/${orderId}/refunds`,
} as const;

// ---- Open API (POS / online shop, server to server, HMAC-signed per store) ----
export const OpenOrderRequest = z.strictObject({
  externalOrderId: z.string().trim().min(1).max(64),
  /** How the POS knows the customer: its own customer id, a phone, or the member number from the card. */
  customer: z
    .strictObject({
      externalId: z.string().trim().min(1).max(64).optional(),
      phone: z
        .string()
        .regex(/^1\d{10}$/)
        .optional(),
      memberNo: z
        .string()
        .regex(/^\d{8}$/)
        .optional(),
    })
    .refine((c) => c.externalId || c.phone || c.memberNo, '至少提供 externalId、phone 或 memberNo 之一'),
  amountFen: z.number().int().min(1).max(100_000_000),
  items: z.array(OrderItem).max(200).default([]),
  /** Coupon codes the customer used at the POS / shop checkout. */
  couponCodes: z.array(z.string().trim().min(12).max(64)).max(5).default([]),
});
export type OpenOrderRequest = z.infer<typeof OpenOrderRequest>;

export const OpenRefundRequest = z.strictObject({
  externalOrderId: z.string().trim().min(1).max(64),
  externalRefundId: z.string().trim().min(1).max(64),
  amountFen: z.number().int().min(1),
});
export type OpenRefundRequest = z.infer<typeof OpenRefundRequest>;

export const OpenApiPaths = {
  orders: '/api/v1/open/orders',
  refunds: '/api/v1/open/refunds',
  /** Owner: issue (or rotate) a store's open API key; shown once. */
  storeKey: (storeId: string) => `/api/v1/admin/stores/${storeId}/open-api-key`,
} as const;

/** The string a POS signs: HMAC-SHA256 with the store key, base64, in the X-Hub-Signature header. */
export function openApiStringToSign(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${body}`;
}
