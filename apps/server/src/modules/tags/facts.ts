// What rule tags and segments decide on, one member at a time, streamed in member id order: the member documents
// (one cursor sorted by _id) and, only when a rule needs them, the member's orders, used coupons and RFM row (one
// cursor each, sorted by memberId), merged by member id as in a sort-merge join. Memory is one batch of members and
// what they brought along, however many members there are. On a real MongoDB every cursor walks an index in that
// order (members `_id`, orders `{memberId, createdAt}`, coupons `{memberId, status}`, member_rfm `{runId,
// memberId}`), so nothing is sorted in memory and nothing is looked up member by member.
import type { RfmClass } from '@member-hub/shared';
import type { Connection, mongo, Types } from 'mongoose';
import { COUNTED_STATUSES } from '../../jobs/rfmDaily';
import { couponModels } from '../coupons/model';
import { memberModel } from '../members/model';
import { orderModel } from '../orders/model';
import { rfmModels } from '../rfm/model';

export interface OrderFact {
  atMs: number;
  /** Paid minus refunded, fen. */
  netFen: number;
  storeId: string | null;
}

export interface MemberFacts {
  id: Types.ObjectId;
  hex: string;
  memberNo: string;
  tier: string;
  points: number;
  gender: string;
  birthday: string | null;
  createdAtMs: number;
  hasPhone: boolean;
  /** Tag ids as hex. */
  tags: string[];
  /** Counted orders (paid, partially refunded) in the orders window; empty when not asked for. */
  orders: OrderFact[];
  /** When each coupon used in the coupons window was used. */
  couponsUsedAtMs: number[];
  /** The class in the RFM run asked for; null when not asked for or the member has no row in it. */
  rfmClass: RfmClass | null;
}

/** Which other data the rules need, and how far back. */
export interface FactNeeds {
  orders?: { sinceMs: number; untilMs: number };
  coupons?: { sinceMs: number; untilMs: number };
  /** Rows of this RFM run; with `classes`, only rows of those classes come (the others read as null). */
  rfm?: { runId: string; classes?: RfmClass[] };
}

export interface FactQuery {
  /** Conditions on the member document besides being active (run by the database). */
  memberFilter?: Record<string, unknown>;
  /** Only these members: every cursor is restricted to them. */
  ids?: Types.ObjectId[];
  /** Only members after this id (a resumed push). */
  after?: Types.ObjectId | null;
  needs: FactNeeds;
  /** `idOnly`: the member documents' id and join time only (segments test nothing else on the stream). */
  fields?: 'all' | 'idOnly';
  batchSize?: number;
}

interface MemberRow {
  _id: Types.ObjectId;
  memberNo?: string;
  tier?: string;
  points?: number;
  gender?: string;
  birthday?: string | null;
  createdAt?: Date;
  phone?: unknown;
  tags?: Types.ObjectId[];
}
interface OrderRow {
  memberId: Types.ObjectId;
  createdAt: Date;
  paidFen?: number;
  refundedFen?: number;
  storeId?: Types.ObjectId | null;
}
interface CouponRow {
  memberId: Types.ObjectId;
  usedAt: Date;
}
interface RfmRow {
  memberId: Types.ObjectId;
  class: RfmClass;
}

/**
 * A cursor read in the driver's batches, that hands out the rows of one member id at a time. Keys are ids as
 * lower-case hex, whose string order is the ids' byte order, the order MongoDB sorts them in.
 */
class MergeCursor<T> {
  private rows: T[] = [];
  private keys: string[] = [];
  private at = 0;
  private finished = false;

  constructor(
    private readonly cursor: mongo.FindCursor<T>,
    private readonly keyOf: (row: T) => string,
  ) {}

  /** The rows for `key`, dropping rows of smaller keys (members the member cursor did not bring). */
  async rowsFor(key: string): Promise<T[]> {
    const out: T[] = [];
    for (;;) {
      if (this.at >= this.rows.length && !(await this.fill())) return out;
      const k = this.keys[this.at] as string;
      if (k > key) return out;
      if (k === key) out.push(this.rows[this.at] as T);
      this.at++;
    }
  }

  /** The next row, for the driving (member) cursor. */
  async next(): Promise<{ row: T; key: string } | null> {
    if (this.at >= this.rows.length && !(await this.fill())) return null;
    const row = this.rows[this.at] as T;
    const key = this.keys[this.at] as string;
    this.at++;
    return { row, key };
  }

  close(): Promise<void> {
    return this.cursor.close();
  }

  private async fill(): Promise<boolean> {
    if (this.finished) return false;
    if (!(await this.cursor.hasNext())) {
      this.finished = true;
      return false;
    }
    this.rows = this.cursor.readBufferedDocuments();
    this.keys = this.rows.map(this.keyOf);
    this.at = 0;
    return this.rows.length > 0;
  }
}

const idRange = (field: string, q: FactQuery): Record<string, unknown> => {
  const range: Record<string, unknown> = {};
  if (q.ids) range.$in = q.ids;
  if (q.after) range.$gt = q.after;
  return Object.keys(range).length ? { [field]: range } : {};
};

const MEMBER_PROJECTION = {
  _id: 1,
  memberNo: 1,
  tier: 1,
  points: 1,
  gender: 1,
  birthday: 1,
  createdAt: 1,
  phone: 1,
  tags: 1,
} as const;

/** Batches of member facts in ascending member id order. Closing the loop early closes every cursor. */
export async function* streamMemberFacts(conn: Connection, q: FactQuery): AsyncGenerator<MemberFacts[]> {
  const batchSize = q.batchSize ?? 250;
  // Small batches on purpose: rows and facts then die young, in the cheap young-generation collections, instead of
  // piling up as old garbage that a lazy full collection lets grow into the process's peak memory.
  const options = { batchSize: Math.max(batchSize, 250), allowDiskUse: true };
  const base = { status: 'active', ...idRange('_id', q) };
  const memberFilter = q.memberFilter && Object.keys(q.memberFilter).length ? { $and: [base, q.memberFilter] } : base;
  const hex = (row: { memberId: Types.ObjectId }) => row.memberId.toHexString();
  const members = new MergeCursor<MemberRow>(
    memberModel(conn).collection.find<MemberRow>(memberFilter, {
      ...options,
      projection: q.fields === 'idOnly' ? { _id: 1, createdAt: 1 } : MEMBER_PROJECTION,
      sort: { _id: 1 },
    }),
    (row) => row._id.toHexString(),
  );
  const { orders: ordersNeed, coupons: couponsNeed, rfm: rfmNeed } = q.needs;
  const orders =
    ordersNeed &&
    new MergeCursor<OrderRow>(
      orderModel(conn).collection.find<OrderRow>(
        {
          ...idRange('memberId', q),
          createdAt: { $gte: new Date(ordersNeed.sinceMs), $lte: new Date(ordersNeed.untilMs) },
          status: { $in: [...COUNTED_STATUSES] },
        },
        {
          ...options,
          projection: { _id: 0, memberId: 1, createdAt: 1, paidFen: 1, refundedFen: 1, storeId: 1 },
          sort: { memberId: 1 },
        },
      ),
      hex,
    );
  const coupons =
    couponsNeed &&
    new MergeCursor<CouponRow>(
      couponModels(conn).Coupons.collection.find<CouponRow>(
        {
          ...idRange('memberId', q),
          status: 'used',
          usedAt: { $gte: new Date(couponsNeed.sinceMs), $lte: new Date(couponsNeed.untilMs) },
        },
        { ...options, projection: { _id: 0, memberId: 1, usedAt: 1 }, sort: { memberId: 1 } },
      ),
      hex,
    );
  const rfm =
    rfmNeed &&
    new MergeCursor<RfmRow>(
      rfmModels(conn).MemberRfm.collection.find<RfmRow>(
        {
          runId: rfmNeed.runId,
          ...idRange('memberId', q),
          ...(rfmNeed.classes && { class: { $in: rfmNeed.classes } }),
        },
        { ...options, projection: { _id: 0, memberId: 1, class: 1 }, sort: { memberId: 1 } },
      ),
      hex,
    );

  let last = '';
  let batch: MemberFacts[] = [];
  try {
    for (;;) {
      const next = await members.next();
      if (!next) break;
      const { row: m, key } = next;
      // A cursor that is not a snapshot may bring a document that moved twice: once is enough.
      if (key <= last) continue;
      last = key;
      const facts: MemberFacts = {
        id: m._id,
        hex: key,
        memberNo: m.memberNo ?? '',
        tier: m.tier ?? '普通会员',
        points: m.points ?? 0,
        gender: m.gender ?? 'unknown',
        birthday: m.birthday ?? null,
        createdAtMs: m.createdAt?.getTime() ?? 0,
        hasPhone: m.phone !== null && m.phone !== undefined,
        tags: (m.tags ?? []).map((t) => t.toHexString()),
        orders: [],
        couponsUsedAtMs: [],
        rfmClass: null,
      };
      if (orders)
        facts.orders = (await orders.rowsFor(key)).map((o) => ({
          atMs: o.createdAt.getTime(),
          netFen: (o.paidFen ?? 0) - (o.refundedFen ?? 0),
          storeId: o.storeId ? o.storeId.toHexString() : null,
        }));
      if (coupons) facts.couponsUsedAtMs = (await coupons.rowsFor(key)).map((c) => c.usedAt.getTime());
      if (rfm) facts.rfmClass = (await rfm.rowsFor(key))[0]?.class ?? null;
      batch.push(facts);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } finally {
    await Promise.all([members, orders, coupons, rfm].map((c) => c?.close().catch(() => {})));
  }
}
