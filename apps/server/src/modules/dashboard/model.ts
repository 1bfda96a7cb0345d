// The daily rollups the dashboard reads: one document per (China day, store) and one per (day, all stores), written
// whole by the rollup job, plus one "now" snapshot of the member balances. The ids are deterministic, so a re-run
// replaces a day's documents instead of adding to them.
import type { Connection, Model, Types } from 'mongoose';
import { Schema } from 'mongoose';

/** `store` of the brand-wide document of a day. */
export const ALL_STORES = 'all';

export interface CouponRollup {
  templateId: string;
  title: string;
  source: string;
  issued: number;
  used: number;
}

export interface DailyRollup {
  /** `${day}:${store}` */
  _id: string;
  day: string;
  /** A store id (hex) or `all`; an equality key, so reading a year of one store is an index lookup. */
  store: string;
  storeId: Types.ObjectId | null;
  // ---- Store-scoped (orders of that store; `all` = every order, with or without a store) ----
  memberOrders: number;
  memberPaidFen: number;
  memberRefundFen: number;
  nonMemberOrders: number;
  nonMemberPaidFen: number;
  nonMemberRefundFen: number;
  /** As of the end of this day: members with an order in the 30 days ending here, and those with two or more. */
  activeMembers: number;
  repeatMembers: number;
  // ---- Brand-wide only (zero / empty on store documents) ----
  newMembers: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  /** Points in and out per ledger reason that day, for audits of the three figures above. */
  pointsByReason: Record<string, { in: number; out: number }>;
  coupons: CouponRollup[];
  topUpCount: number;
  topUpPayFen: number;
  topUpBonusFen: number;
  topUpRefundFen: number;
  tierChanges: { from: string; to: string; count: number }[];
  tierUps: number;
  tierDowns: number;
}

export interface BalanceSnapshot {
  _id: 'now';
  asOf: Date;
  tiers: { tier: string; members: number }[];
  outstandingPoints: number;
  pointMembers: number;
  walletPrincipalFen: number;
  walletBonusFen: number;
  walletMembers: number;
}

const RollupSchema = new Schema<DailyRollup>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    store: { type: String, required: true },
    storeId: { type: Schema.Types.ObjectId, default: null },
    memberOrders: Number,
    memberPaidFen: Number,
    memberRefundFen: Number,
    nonMemberOrders: Number,
    nonMemberPaidFen: Number,
    nonMemberRefundFen: Number,
    activeMembers: Number,
    repeatMembers: Number,
    newMembers: Number,
    pointsIssued: Number,
    pointsRedeemed: Number,
    pointsExpired: Number,
    pointsByReason: Schema.Types.Mixed,
    coupons: Schema.Types.Mixed,
    topUpCount: Number,
    topUpPayFen: Number,
    topUpBonusFen: Number,
    topUpRefundFen: Number,
    tierChanges: Schema.Types.Mixed,
    tierUps: Number,
    tierDowns: Number,
  },
  { versionKey: false, minimize: false },
);
RollupSchema.index({ store: 1, day: 1 });
RollupSchema.index({ day: 1 });

export function rollupModel(conn: Connection): Model<DailyRollup> {
  return (
    (conn.models.DailyRollup as Model<DailyRollup> | undefined) ??
    conn.model<DailyRollup>('DailyRollup', RollupSchema, 'daily_rollups')
  );
}

export function snapshotCollection(conn: Connection) {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return db.collection<BalanceSnapshot>('dashboard_snapshots');
}

/**
 * The time indexes the job's day queries need on a real MongoDB (they are range scans: without these each would
 * read the whole collection). Additive, owned here because only the rollup reads by these fields.
 */
const SOURCE_INDEXES: [collection: string, keys: Record<string, 1>][] = [
  ['orders', { createdAt: 1 }],
  ['order_refunds', { createdAt: 1 }],
  ['store_sales', { createdAt: 1 }],
  ['store_sales', { 'refunds.at': 1 }],
  ['members', { createdAt: 1 }],
  ['ledger_entries', { createdAt: 1 }],
  ['coupons', { receivedAt: 1 }],
  ['coupons', { usedAt: 1 }],
  ['top_ups', { paidAt: 1 }],
  ['top_ups', { 'refund.finishedAt': 1 }],
  ['tier_changes', { at: 1 }],
];

export async function initDashboardModels(conn: Connection): Promise<void> {
  await rollupModel(conn).init();
  const db = conn.db;
  if (!db) throw new Error('not connected');
  for (const [collection, keys] of SOURCE_INDEXES) await db.collection(collection).createIndex(keys);
}
