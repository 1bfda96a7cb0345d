// Generated members, orders, used coupons and RFM rows written straight into the engine with the driver, for the
// tests of jobs and queries over many members (tags, segments): each row is exactly what the test says, at the
// instant it says.
import { Types } from 'mongoose';
import type { TestHub } from './testHub';

let seq = 0;

export interface MemberSpec {
  nickname?: string;
  status?: 'active' | 'merged' | 'deleted';
  tier?: '普通会员' | '银卡' | '金卡' | '黑钻';
  points?: number;
  birthday?: string | null;
  gender?: 'unknown' | 'male' | 'female';
  createdAt?: Date;
  /** Sealed with the hub's keys, as a bound phone is. */
  phone?: string | null;
  tags?: Types.ObjectId[];
}

export interface SeededMember {
  id: Types.ObjectId;
  hex: string;
  memberNo: string;
}

function db(hub: TestHub) {
  const d = hub.deps.conn.db;
  if (!d) throw new Error('not connected');
  return d;
}

export async function seedMember(hub: TestHub, spec: MemberSpec = {}): Promise<SeededMember> {
  const n = ++seq;
  const id = new Types.ObjectId();
  const memberNo = String(60_000_000 + n);
  const at = spec.createdAt ?? new Date(hub.clock.now() - 400 * 86_400_000);
  await db(hub)
    .collection('members')
    .insertOne({
      _id: id,
      memberNo,
      status: spec.status ?? 'active',
      mergedInto: null,
      identityKeys: [`ext:seed:${n}`],
      nickname: spec.nickname ?? `会员${n}`,
      phone: spec.phone ? hub.deps.identity.sealPhone(spec.phone) : null,
      birthday: spec.birthday ?? null,
      gender: spec.gender ?? 'unknown',
      tier: spec.tier ?? '普通会员',
      points: spec.points ?? 0,
      growth: 0,
      walletPrincipalFen: 0,
      walletBonusFen: 0,
      tags: spec.tags ?? [],
      createdAt: at,
      updatedAt: at,
    });
  return { id, hex: id.toHexString(), memberNo };
}

export interface OrderSpec {
  at: number;
  paidFen: number;
  refundedFen?: number;
  status?: 'pending' | 'paid' | 'partially_refunded' | 'refunded';
  storeId?: string | null;
}

export async function seedOrders(hub: TestHub, memberId: Types.ObjectId, specs: OrderSpec[]): Promise<void> {
  if (!specs.length) return;
  await db(hub)
    .collection('orders')
    .insertMany(
      specs.map((s) => {
        const n = ++seq;
        const refundedFen = s.refundedFen ?? 0;
        return {
          _id: new Types.ObjectId(),
          source: 'till',
          externalId: `seed-${n}`,
          requestHash: 'x',
          memberId,
          storeId: s.storeId ? new Types.ObjectId(s.storeId) : null,
          staffId: null,
          amountFen: s.paidFen,
          paidFen: s.paidFen,
          refundedFen,
          status: s.status ?? (refundedFen > 0 ? 'partially_refunded' : 'paid'),
          items: [],
          createdAt: new Date(s.at),
        };
      }),
    );
}

/** A coupon in `status`, used at `usedAt` when used. */
export async function seedCoupon(
  hub: TestHub,
  memberId: Types.ObjectId,
  status: 'available' | 'used',
  usedAt: number | null,
): Promise<void> {
  const n = ++seq;
  await db(hub)
    .collection('coupons')
    .insertOne({
      code: String(900_000_000_000 + n),
      key: `seed-coupon-${n}`,
      templateId: new Types.ObjectId(),
      memberId,
      source: 'push',
      title: '测试券',
      status,
      usedAt: usedAt === null ? null : new Date(usedAt),
      receivedAt: new Date(hub.clock.now() - 90 * 86_400_000),
    });
}

/** A finished RFM run with these classes, made the current one (as the RFM job leaves it). */
export async function seedRfmRun(
  hub: TestHub,
  rows: { member: SeededMember; class: string }[],
  runId = `seed-run-${++seq}`,
): Promise<string> {
  const at = new Date(hub.clock.now());
  await db(hub)
    .collection<{ _id: string; [field: string]: unknown }>('rfm_runs')
    .insertOne({
      _id: runId,
      status: 'done',
      asOf: at,
      startedAt: at,
      finishedAt: at,
      settings: { windowDays: 365, churnFactorBp: 20_000, churnMinOrders: 2 },
      members: rows.length,
      buyers: rows.length,
      boundaries: { recencyDays: [], orders: [], monetaryFen: [] },
      classes: [],
      totalSpendFen: 0,
      churnWarnings: 0,
      ms: 0,
      error: null,
    });
  if (rows.length)
    await db(hub)
      .collection('member_rfm')
      .insertMany(
        rows.map((r) => ({
          runId,
          memberId: r.member.id,
          memberNo: r.member.memberNo,
          nickname: null,
          class: r.class,
          orders: 0,
          spendFen: 0,
        })),
      );
  await db(hub)
    .collection<{ _id: string }>('settings')
    .updateOne({ _id: 'rfmCurrentRun' }, { $set: { runId, updatedAt: at } }, { upsert: true });
  return runId;
}

/** Empties what these tests generate, so each starts from nothing. */
export async function clearMemberData(hub: TestHub): Promise<void> {
  for (const name of ['members', 'orders', 'coupons', 'member_rfm', 'rfm_runs', 'tags', 'tag_runs', 'segments'])
    await db(hub).collection(name).deleteMany({});
  await db(hub)
    .collection<{ _id: string }>('settings')
    .deleteMany({ _id: { $in: ['rfmCurrentRun'] } });
  await db(hub).collection<{ _id: string }>('job_leases').deleteMany({});
}
