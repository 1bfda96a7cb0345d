// The daily RFM run: scores every active member on their paid orders in the window, classifies them, flags
// churn, and writes a fresh snapshot (`member_rfm` rows + an `rfm_runs` summary). Rules: packages/shared/src/rfm.ts.
//
// Memory: a million members must fit well under 400 MB, so nothing holds documents. Per member the job keeps a
// slot in typed arrays (orders, spend, first and last order: 28 bytes) and its id in a typed hash table; orders
// stream past once and are folded into the slots. Three streaming passes: active member ids, orders in the window,
// then members again (number, nickname) to write their rows in batches.
//
// Safe to run twice or on two server copies: the lease keeps one runner; each run writes rows under its own run
// id and only becomes visible when its summary is marked done, after which the older runs' rows are deleted. A
// crash half way leaves rows no reader looks at, and the next run deletes them.
import { randomUUID } from 'node:crypto';
import { RFM_SCORED_CLASSES, RfmClass, RfmClassInfo, type RfmClassSummary, type RfmSettings } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { memberModel } from '../modules/members/model';
import { orderModel } from '../modules/orders/model';
import { ObjectIdIndex } from '../modules/rfm/idIndex';
import { type MemberRfmDoc, rfmModels, rfmRunsCollection } from '../modules/rfm/model';
import { type RawFields, readRawFields } from '../modules/rfm/rawBson';
import {
  classify,
  DAY_MS,
  daysSince,
  isChurn,
  overdueBp,
  quintileBoundaries,
  recencyScoreOf,
  scoreOf,
  shareBp,
  typicalGapMs,
} from '../modules/rfm/scoring';
import { readRfmSettings, setCurrentRun } from '../modules/rfm/settings';
import { withLease } from './lease';

export const RFM_JOB = 'rfmDaily';
/** Long enough for a million members on a small machine; a crashed holder's lease runs out after it. */
export const RFM_LEASE_MS = 30 * 60 * 1000;
/** Orders that count: paid, possibly in part refunded. Pending never happened; fully refunded was undone. */
export const COUNTED_STATUSES = ['paid', 'partially_refunded'] as const;

export interface RfmJobResult {
  ran: boolean;
  runId: string | null;
  members: number;
  buyers: number;
  churnWarnings: number;
}

export interface RfmJobOptions {
  batchSize?: number;
  onProgress?: (phase: 'members' | 'orders' | 'rows', done: number) => void;
  /** Fixed by tests so a run id can be asserted; otherwise random. */
  runId?: string;
}

export async function rfmDaily(
  deps: { conn: Connection; now: () => number },
  options: RfmJobOptions = {},
): Promise<RfmJobResult> {
  const outcome = await withLease(deps.conn, RFM_JOB, RFM_LEASE_MS, deps.now, () => computeRfm(deps, options));
  return outcome.ran ? outcome.result : { ran: false, runId: null, members: 0, buyers: 0, churnWarnings: 0 };
}

/** Per-member accumulators in typed arrays, indexed by slot. */
class Slots {
  readonly orders: Int32Array;
  readonly spend: Float64Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  constructor(readonly size: number) {
    this.orders = new Int32Array(size);
    // Integer fen; a Float64Array holds integers exactly up to 2^53 fen (far beyond any member's spend).
    this.spend = new Float64Array(size);
    this.first = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    this.last = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
  }
}

async function computeRfm(deps: { conn: Connection; now: () => number }, options: RfmJobOptions) {
  const started = Date.now();
  const batchSize = options.batchSize ?? 1_000;
  const asOf = deps.now();
  const settings = await readRfmSettings(deps.conn);
  const windowStart = asOf - settings.windowDays * DAY_MS;
  const runId = options.runId ?? `${new Date(asOf).toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const { MemberRfm } = rfmModels(deps.conn);
  const runs = rfmRunsCollection(deps.conn);
  const members = memberModel(deps.conn).collection;

  await runs.insertOne({
    _id: runId,
    status: 'running',
    asOf: new Date(asOf),
    startedAt: new Date(deps.now()),
    finishedAt: null,
    settings,
    members: 0,
    buyers: 0,
    boundaries: { recencyDays: [], orders: [], monetaryFen: [] },
    classes: [],
    totalSpendFen: 0,
    churnWarnings: 0,
    ms: 0,
    error: null,
  });

  try {
    // Pass 1: who is scored (active members), each given a slot.
    const slotOf = new ObjectIdIndex(await members.estimatedDocumentCount());
    // Raw BSON: the id bytes are read in place, no ObjectId made per member (see rawBson.ts).
    const fields: RawFields = { ids: {}, numbers: {} };
    for await (const raw of members.find(
      { status: 'active' },
      { projection: { _id: 1 }, batchSize: batchSize * 5, raw: true },
    )) {
      const id = readRawFields(raw as unknown as Uint8Array, fields).ids._id;
      if (id) slotOf.add(id);
      if (slotOf.size % 250_000 === 0) options.onProgress?.('members', slotOf.size);
    }
    options.onProgress?.('members', slotOf.size);
    const slots = new Slots(slotOf.size);

    // Pass 2: orders in the window, folded into the slots. No sort asked: the engine need not order millions.
    let seen = 0;
    const orders = orderModel(deps.conn).collection.find(
      {
        createdAt: { $gte: new Date(windowStart), $lte: new Date(asOf) },
        status: { $in: [...COUNTED_STATUSES] },
      },
      {
        projection: { _id: 0, memberId: 1, paidFen: 1, refundedFen: 1, createdAt: 1 },
        batchSize: batchSize * 5,
        raw: true,
      },
    );
    for await (const raw of orders) {
      if (++seen % 1_000_000 === 0) options.onProgress?.('orders', seen);
      fields.numbers.refundedFen = 0;
      const o = readRawFields(raw as unknown as Uint8Array, fields);
      const memberId = o.ids.memberId;
      const slot = memberId && slotOf.get(memberId);
      if (slot === undefined) continue; // merged away or deleted: not scored
      const at = o.numbers.createdAt as number;
      slots.orders[slot] = (slots.orders[slot] as number) + 1;
      slots.spend[slot] =
        (slots.spend[slot] as number) + (o.numbers.paidFen as number) - (o.numbers.refundedFen as number);
      if (at < (slots.first[slot] as number)) slots.first[slot] = at;
      if (at > (slots.last[slot] as number)) slots.last[slot] = at;
    }

    options.onProgress?.('orders', seen);

    // Quintile boundaries over the buyers (members with an order in the window).
    const boundaries = boundariesOf(slots, asOf);

    // Pass 3: rows, written in batches, with the class totals counted on the way.
    const totals = new Map<RfmClass, { members: number; spendFen: number }>(
      RfmClass.options.map((c) => [c, { members: 0, spendFen: 0 }]),
    );
    let churnWarnings = 0;
    let written = 0;
    const done = new Uint8Array(slots.size);
    let batch: Omit<MemberRfmDoc, '_id'>[] = [];
    // One insert in flight while the next batch is read and scored: the engine and this process work at once,
    // and memory stays at two batches.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      await inFlight;
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      inFlight = MemberRfm.collection.insertMany(rows as never[], { ordered: false }).then(() => {
        written += rows.length;
        if (written % 250_000 < rows.length) options.onProgress?.('rows', written);
      });
      // Its failure surfaces at the next await of it; this only keeps it from counting as unhandled meanwhile.
      inFlight.catch(() => {});
    };
    const memberFields: RawFields = { ids: {}, numbers: {}, strings: {} };
    for await (const raw of members.find(
      { status: 'active' },
      { projection: { _id: 1, memberNo: 1, nickname: 1 }, batchSize: batchSize * 5, raw: true },
    )) {
      const strings = memberFields.strings as Record<string, string>;
      delete strings.nickname;
      const m = readRawFields(raw as unknown as Uint8Array, memberFields);
      const idBytes = m.ids._id;
      const slot = idBytes && slotOf.get(idBytes);
      // Became a member after pass 1: scored tomorrow. Seen twice (a cursor may return a moved document
      // again): written once.
      if (slot === undefined || done[slot]) continue;
      done[slot] = 1;
      const row = rowFor(slots, slot, asOf, boundaries, settings);
      const total = totals.get(row.class) as { members: number; spendFen: number };
      total.members++;
      total.spendFen += row.spendFen;
      if (row.churn) churnWarnings++;
      batch.push({
        runId,
        memberId: new Types.ObjectId(idBytes as Uint8Array),
        memberNo: strings.memberNo ?? '',
        nickname: strings.nickname ?? null,
        ...row,
      });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await inFlight;
    options.onProgress?.('rows', written);

    const scoredMembers = written;
    const totalSpendFen = [...totals.values()].reduce((sum, t) => sum + t.spendFen, 0);
    const classes: RfmClassSummary[] = [...RFM_SCORED_CLASSES, 'none' as const].map((c) => {
      const t = totals.get(c) as { members: number; spendFen: number };
      return {
        class: c,
        name: RfmClassInfo[c].name,
        members: t.members,
        spendFen: t.spendFen,
        memberShareBp: shareBp(t.members, scoredMembers),
        spendShareBp: shareBp(t.spendFen, totalSpendFen),
      };
    });
    const buyers = scoredMembers - (totals.get('none')?.members ?? 0);
    await runs.updateOne(
      { _id: runId },
      {
        $set: {
          status: 'done',
          finishedAt: new Date(deps.now()),
          members: scoredMembers,
          buyers,
          boundaries: {
            recencyDays: boundaries.recency.map((b) => -b),
            orders: boundaries.orders,
            monetaryFen: boundaries.monetary,
          },
          classes,
          totalSpendFen,
          churnWarnings,
          ms: Date.now() - started,
        },
      },
    );
    // This run is now the one readers see; the older snapshots go (and any crashed run's leftovers).
    await setCurrentRun(deps.conn, runId, new Date(deps.now()));
    await deleteRowsOfOtherRuns(deps.conn, runId, batchSize * 10);
    await runs.updateMany(
      { _id: { $ne: runId }, status: 'running' },
      { $set: { status: 'failed', error: 'interrupted' } },
    );
    return { ran: true, runId, members: scoredMembers, buyers, churnWarnings };
  } catch (err) {
    await runs
      .updateOne({ _id: runId }, { $set: { status: 'failed', error: String(err), finishedAt: new Date(deps.now()) } })
      .catch(() => {});
    await MemberRfm.collection.deleteMany({ runId }).catch(() => {});
    throw err;
  }
}

interface Boundaries {
  /** Of the negated recency days (so "bigger is better" like the other two). */
  recency: number[];
  orders: number[];
  monetary: number[];
}

function boundariesOf(slots: Slots, asOf: number): Boundaries {
  let buyers = 0;
  for (let i = 0; i < slots.size; i++) if ((slots.orders[i] as number) > 0) buyers++;
  const recency = new Float64Array(buyers);
  const orders = new Float64Array(buyers);
  const monetary = new Float64Array(buyers);
  let j = 0;
  for (let i = 0; i < slots.size; i++) {
    if ((slots.orders[i] as number) === 0) continue;
    recency[j] = -daysSince(asOf, slots.last[i] as number);
    orders[j] = slots.orders[i] as number;
    monetary[j] = slots.spend[i] as number;
    j++;
  }
  // Typed-array sort is numeric and in place: three sorts of a million doubles, no objects.
  return {
    recency: quintileBoundaries(recency.sort()),
    orders: quintileBoundaries(orders.sort()),
    monetary: quintileBoundaries(monetary.sort()),
  };
}

function rowFor(slots: Slots, slot: number, asOf: number, b: Boundaries, settings: RfmSettings) {
  const orders = slots.orders[slot] as number;
  const spendFen = slots.spend[slot] as number;
  if (orders === 0)
    return {
      r: null,
      f: null,
      m: null,
      class: 'none' as RfmClass,
      lastOrderAt: null,
      recencyDays: null,
      orders: 0,
      spendFen: 0,
      churn: false,
      typicalGapDays: null,
      overdueBp: 0,
    };
  const span = { orders, firstMs: slots.first[slot] as number, lastMs: slots.last[slot] as number };
  const recencyDays = daysSince(asOf, span.lastMs);
  const r = recencyScoreOf(recencyDays, b.recency);
  const f = scoreOf(orders, b.orders);
  const m = scoreOf(spendFen, b.monetary);
  const gap = typicalGapMs(span);
  return {
    r,
    f,
    m,
    class: classify(r, f, m) as RfmClass,
    lastOrderAt: new Date(span.lastMs),
    recencyDays,
    orders,
    spendFen,
    churn: isChurn(span, asOf, settings),
    typicalGapDays: gap === null ? null : Math.round((gap / DAY_MS) * 10) / 10,
    overdueBp: overdueBp(span, asOf),
  };
}

/**
 * Old rows go in batches by _id: one deleteMany of a million rows would hold the engine for longer than the
 * driver's heartbeat allows (and holds every other request meanwhile).
 */
async function deleteRowsOfOtherRuns(conn: Connection, runId: string, batchSize: number): Promise<void> {
  const rows = rfmModels(conn).MemberRfm.collection;
  let ids: Types.ObjectId[] = [];
  for await (const row of rows.find({ runId: { $ne: runId } }, { projection: { _id: 1 }, batchSize })) {
    ids.push(row._id);
    if (ids.length >= batchSize) {
      await rows.deleteMany({ _id: { $in: ids } });
      ids = [];
    }
  }
  if (ids.length) await rows.deleteMany({ _id: { $in: ids } });
}
