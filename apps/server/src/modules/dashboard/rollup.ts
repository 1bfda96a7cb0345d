// Computes one China day's rollup documents from the source collections. A day's sums are aggregations the
// database runs (one document per group comes back); the 30-day distinct counts and the balances snapshot stream
// a few fields per document in batches and keep only counters; lookups by id (refund -> order's store) are batched.
import { ACTIVE_WINDOW_DAYS, TierNames } from '@member-hub/shared';
import type { Connection, Types } from 'mongoose';
import { addDays, dayBounds, dayStart } from './days';
import { pointsFigures, type ReasonFlows, tierMoves } from './figures';
import { ALL_STORES, type BalanceSnapshot, type CouponRollup, type DailyRollup } from './model';

const LOOKUP_BATCH = 1_000;
const STREAM_BATCH = 2_000;

type Db = NonNullable<Connection['db']>;
type StoreKey = string;

/** Orders that count as a sale: paid (and still so, or partly refunded when the window is read). */
const SOLD = ['paid', 'partially_refunded', 'refunded'];
const ACTIVE = ['paid', 'partially_refunded'];

function dbOf(conn: Connection): Db {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return db;
}

const keyOf = (storeId: Types.ObjectId | null | undefined): StoreKey | null => (storeId ? storeId.toHexString() : null);

function emptyRollup(day: string, store: StoreKey, storeId: Types.ObjectId | null): DailyRollup {
  return {
    _id: `${day}:${store}`,
    day,
    store,
    storeId,
    memberOrders: 0,
    memberPaidFen: 0,
    memberRefundFen: 0,
    nonMemberOrders: 0,
    nonMemberPaidFen: 0,
    nonMemberRefundFen: 0,
    activeMembers: 0,
    repeatMembers: 0,
    newMembers: 0,
    pointsIssued: 0,
    pointsRedeemed: 0,
    pointsExpired: 0,
    pointsByReason: {},
    coupons: [],
    topUpCount: 0,
    topUpPayFen: 0,
    topUpBonusFen: 0,
    topUpRefundFen: 0,
    tierChanges: [],
    tierUps: 0,
    tierDowns: 0,
  };
}

/** The brand-wide document and one per store that had anything that day (or active members as of it). */
export async function computeDay(conn: Connection, day: string): Promise<DailyRollup[]> {
  const db = dbOf(conn);
  const { start, end } = dayBounds(day);
  const inDay = { $gte: start, $lt: end };
  const all = emptyRollup(day, ALL_STORES, null);
  const stores = new Map<StoreKey, DailyRollup>();
  const storeDoc = (storeId: Types.ObjectId | null | undefined): DailyRollup | null => {
    const key = keyOf(storeId);
    if (!key || !storeId) return null;
    let doc = stores.get(key);
    if (!doc) {
      doc = emptyRollup(day, key, storeId);
      stores.set(key, doc);
    }
    return doc;
  };
  const both = (storeId: Types.ObjectId | null | undefined, apply: (doc: DailyRollup) => void) => {
    apply(all);
    const doc = storeDoc(storeId);
    if (doc) apply(doc);
  };

  // Member sales recorded that day, by store.
  for (const row of await db
    .collection('orders')
    .aggregate<{ _id: Types.ObjectId | null; n: number; paid: number }>([
      { $match: { createdAt: inDay, status: { $in: SOLD } } },
      { $group: { _id: '$storeId', n: { $sum: 1 }, paid: { $sum: '$paidFen' } } },
    ])
    .toArray())
    both(row._id, (d) => {
      d.memberOrders += row.n;
      d.memberPaidFen += row.paid;
    });

  // Member refunds made that day, against the store of their order (looked up by id, in batches).
  const refunds = await db
    .collection('order_refunds')
    .aggregate<{ _id: Types.ObjectId; fen: number }>([
      { $match: { createdAt: inDay, status: 'done' } },
      { $group: { _id: '$orderId', fen: { $sum: '$amountFen' } } },
    ])
    .toArray();
  for (let i = 0; i < refunds.length; i += LOOKUP_BATCH) {
    const batch = refunds.slice(i, i + LOOKUP_BATCH);
    const storeOf = new Map<string, Types.ObjectId | null>();
    for (const o of await db
      .collection('orders')
      .find({ _id: { $in: batch.map((r) => r._id) } }, { projection: { storeId: 1 } })
      .toArray())
      storeOf.set(String(o._id), (o.storeId as Types.ObjectId | null) ?? null);
    for (const r of batch)
      both(storeOf.get(String(r._id)), (d) => {
        d.memberRefundFen += r.fen;
      });
  }

  // Walk-in sales (no member) and their refunds.
  for (const row of await db
    .collection('store_sales')
    .aggregate<{ _id: Types.ObjectId; n: number; paid: number }>([
      { $match: { createdAt: inDay } },
      { $group: { _id: '$storeId', n: { $sum: 1 }, paid: { $sum: '$amountFen' } } },
    ])
    .toArray())
    both(row._id, (d) => {
      d.nonMemberOrders += row.n;
      d.nonMemberPaidFen += row.paid;
    });
  for (const row of await db
    .collection('store_sales')
    .aggregate<{ _id: Types.ObjectId; fen: number }>([
      { $match: { 'refunds.at': inDay } },
      { $unwind: '$refunds' },
      { $match: { 'refunds.at': inDay } },
      { $group: { _id: '$storeId', fen: { $sum: '$refunds.amountFen' } } },
    ])
    .toArray())
    both(row._id, (d) => {
      d.nonMemberRefundFen += row.fen;
    });

  // Active and repeat members as of the end of the day: orders in the 30 days ending with it, counted per member
  // (brand-wide, and per store: a member active in two stores is one member brand-wide). Streamed in batches of two
  // ids each; only the counters stay in memory, one small entry per member (and per store) who bought.
  const brandCounts = new Map<string, number>();
  const storeCounts = new Map<string, Map<string, number>>();
  const window = db
    .collection('orders')
    .find(
      { createdAt: { $gte: dayStart(addDays(day, 1 - ACTIVE_WINDOW_DAYS)), $lt: end }, status: { $in: ACTIVE } },
      { projection: { _id: 0, memberId: 1, storeId: 1 }, batchSize: STREAM_BATCH },
    );
  for await (const o of window) {
    // The id's 12 raw bytes as a one-byte string: half the memory of its hex form, per member kept.
    const member = Buffer.from((o.memberId as Types.ObjectId).id).toString('latin1');
    brandCounts.set(member, (brandCounts.get(member) ?? 0) + 1);
    const store = keyOf(o.storeId as Types.ObjectId | null);
    if (!store || !storeDoc(o.storeId as Types.ObjectId)) continue;
    let counts = storeCounts.get(store);
    if (!counts) {
      counts = new Map();
      storeCounts.set(store, counts);
    }
    counts.set(member, (counts.get(member) ?? 0) + 1);
  }
  const tally = (counts: Map<string, number>, doc: DailyRollup) => {
    doc.activeMembers = counts.size;
    for (const n of counts.values()) if (n >= 2) doc.repeatMembers++;
  };
  tally(brandCounts, all);
  for (const [store, counts] of storeCounts) {
    const doc = stores.get(store);
    if (doc) tally(counts, doc);
  }
  brandCounts.clear();
  storeCounts.clear();

  // ---- Brand-wide figures ----
  all.newMembers = await db
    .collection('members')
    .countDocuments({ createdAt: inDay, status: { $nin: ['merged', 'merging'] } });

  const flows: ReasonFlows = {};
  for (const row of await db
    .collection('ledger_entries')
    .aggregate<{ _id: string; in: number; out: number }>([
      { $match: { account: 'points', createdAt: inDay } },
      {
        $group: {
          _id: '$reason',
          in: { $sum: { $cond: [{ $gt: ['$amount', 0] }, '$amount', 0] } },
          out: { $sum: { $cond: [{ $lt: ['$amount', 0] }, { $subtract: [0, '$amount'] }, 0] } },
        },
      },
    ])
    .toArray())
    flows[row._id] = { in: row.in, out: row.out };
  const points = pointsFigures(flows);
  all.pointsByReason = flows;
  all.pointsIssued = points.issued;
  all.pointsRedeemed = points.redeemed;
  all.pointsExpired = points.expired;

  const coupons = new Map<string, CouponRollup>();
  const couponRow = (templateId: Types.ObjectId, source: string, title: string) => {
    const key = `${String(templateId)}:${source}`;
    let row = coupons.get(key);
    if (!row) {
      row = { templateId: String(templateId), title, source, issued: 0, used: 0 };
      coupons.set(key, row);
    }
    return row;
  };
  type CouponGroup = { _id: { t: Types.ObjectId; s: string }; n: number; title: string };
  for (const row of await db
    .collection('coupons')
    .aggregate<CouponGroup>([
      { $match: { receivedAt: inDay } },
      { $group: { _id: { t: '$templateId', s: '$source' }, n: { $sum: 1 }, title: { $last: '$title' } } },
    ])
    .toArray())
    couponRow(row._id.t, row._id.s, row.title ?? '').issued += row.n;
  for (const row of await db
    .collection('coupons')
    .aggregate<CouponGroup>([
      { $match: { usedAt: inDay, status: 'used' } },
      { $group: { _id: { t: '$templateId', s: '$source' }, n: { $sum: 1 }, title: { $last: '$title' } } },
    ])
    .toArray())
    couponRow(row._id.t, row._id.s, row.title ?? '').used += row.n;
  // Sorted, so a re-run over the same data writes the very same document.
  all.coupons = [...coupons.values()].sort((a, b) =>
    a.templateId === b.templateId ? a.source.localeCompare(b.source) : a.templateId.localeCompare(b.templateId),
  );

  const [topUps] = await db
    .collection('top_ups')
    .aggregate<{ n: number; pay: number; bonus: number }>([
      { $match: { paidAt: inDay } },
      { $group: { _id: null, n: { $sum: 1 }, pay: { $sum: '$payFen' }, bonus: { $sum: '$bonusFen' } } },
    ])
    .toArray();
  all.topUpCount = topUps?.n ?? 0;
  all.topUpPayFen = topUps?.pay ?? 0;
  all.topUpBonusFen = topUps?.bonus ?? 0;
  const [topUpRefunds] = await db
    .collection('top_ups')
    .aggregate<{ fen: number }>([
      { $match: { 'refund.finishedAt': inDay, 'refund.status': 'succeeded' } },
      { $group: { _id: null, fen: { $sum: '$refund.principalFen' } } },
    ])
    .toArray();
  all.topUpRefundFen = topUpRefunds?.fen ?? 0;

  const changes = await db
    .collection('tier_changes')
    .aggregate<{ _id: { from: string; to: string }; n: number }>([
      { $match: { at: inDay } },
      { $group: { _id: { from: '$from', to: '$to' }, n: { $sum: 1 } } },
    ])
    .toArray();
  all.tierChanges = changes
    .map((c) => ({ from: c._id.from, to: c._id.to, count: c.n }))
    .sort((a, b) => (a.from === b.from ? a.to.localeCompare(b.to) : a.from.localeCompare(b.from)));
  const moves = tierMoves(all.tierChanges, TierNames);
  all.tierUps = moves.ups;
  all.tierDowns = moves.downs;

  return [all, ...[...stores.values()].sort((a, b) => a.store.localeCompare(b.store))];
}

/**
 * The "now" figures: member balances and tiers in one streamed pass over the members (five small fields each, in
 * batches), summed as they come. Points count for active members (as the points liability page); stored value for
 * everyone holding any (as the stored-value page): it is owed whatever the account's state.
 */
export async function computeSnapshot(conn: Connection, at: Date): Promise<BalanceSnapshot> {
  const snapshot: BalanceSnapshot = {
    _id: 'now',
    asOf: at,
    tiers: [],
    outstandingPoints: 0,
    pointMembers: 0,
    walletPrincipalFen: 0,
    walletBonusFen: 0,
    walletMembers: 0,
  };
  const tiers = new Map<string, number>();
  const members = dbOf(conn)
    .collection('members')
    .find(
      {},
      {
        projection: { _id: 0, tier: 1, status: 1, points: 1, walletPrincipalFen: 1, walletBonusFen: 1 },
        batchSize: STREAM_BATCH,
      },
    );
  for await (const m of members) {
    const principal = Number(m.walletPrincipalFen ?? 0);
    const bonus = Number(m.walletBonusFen ?? 0);
    if (principal !== 0 || bonus !== 0) {
      snapshot.walletPrincipalFen += principal;
      snapshot.walletBonusFen += bonus;
      snapshot.walletMembers++;
    }
    if (m.status !== 'active') continue;
    const tier = String(m.tier ?? '普通会员');
    tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
    const points = Number(m.points ?? 0);
    if (points > 0) {
      snapshot.outstandingPoints += points;
      snapshot.pointMembers++;
    }
  }
  snapshot.tiers = [...tiers]
    .map(([tier, count]) => ({ tier, members: count }))
    .sort((a, b) => a.tier.localeCompare(b.tier));
  return snapshot;
}
