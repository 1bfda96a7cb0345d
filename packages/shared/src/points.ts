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
