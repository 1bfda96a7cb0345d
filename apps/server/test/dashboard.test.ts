// The owner's dashboard on a real engine: rollups written by the job from data with known answers (seeded directly
// on two past days), the store filter, an idempotent re-run, refunds, walk-in sales through the open API, the CSV
// export and input validation.
import { createHmac, randomBytes } from 'node:crypto';
import {
  Dashboard,
  DashboardPaths,
  OpenApiPaths,
  OpenSalePaths,
  openApiStringToSign,
  PurchaseResult,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { rollupDaily } from '../src/jobs/rollupDaily';
import { chinaDate } from '../src/modules/dashboard/days';
import { createStore, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let storeA: string;
let storeB: string;
let keyA: string;

const D0 = '2025-01-20'; // 40 days before D2: outside the 30-day window
const D1 = '2025-03-01';
const D2 = '2025-03-02';
const at = (day: string, time = '12:00:00') => new Date(`${day}T${time}+08:00`);
const oid = () => new Types.ObjectId();

function db() {
  const d = hub.deps.conn.db;
  if (!d) throw new Error('not connected');
  return d;
}

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  storeA = await createStore(hub, owner, 'DASHA');
  storeB = await createStore(hub, owner, 'DASHB');
  keyA = (await request(hub.url, 'POST', OpenApiPaths.storeKey(storeA), { token: owner })).body.key;
  await seedKnownDays();
});
afterAll(async () => {
  await hub.stop();
});

const m = { m1: oid(), m2: oid(), m3: oid(), m4: oid(), merged: oid(), m6: oid(), m7: oid() };
const t = { claim: oid(), birthday: oid(), monthly: oid() };

function member(_id: Types.ObjectId, createdAt: Date, extra: Record<string, unknown> = {}) {
  return {
    _id,
    memberNo: String(60_000_000 + Math.floor(Math.random() * 1e7)),
    status: 'active',
    identityKeys: [`ext:dash:${_id.toHexString()}`],
    tier: '普通会员',
    points: 0,
    growth: 0,
    walletPrincipalFen: 0,
    walletBonusFen: 0,
    createdAt,
    updatedAt: createdAt,
    ...extra,
  };
}

/**
 * D1: 3 members join (one later merged away); m1 buys ¥100 at A. D2: 2 join; m1 buys ¥200 at A, m2 ¥50 at B, m3's
 * order is still pending; ¥10 of m1's D1 order is refunded; A sells to walk-ins ¥30 + ¥70 and refunds ¥10; points,
 * coupons, top-ups and tier changes as below. m4 bought on D0, outside the window.
 */
async function seedKnownDays() {
  const a = new Types.ObjectId(storeA);
  const b = new Types.ObjectId(storeB);
  await db()
    .collection('members')
    .insertMany([
      member(m.m1, at(D1, '09:00:00'), { points: 100, tier: '银卡' }),
      member(m.m2, at(D1, '23:59:59'), { points: 200, walletPrincipalFen: 5_000, walletBonusFen: 500 }),
      member(m.merged, at(D1, '10:00:00'), { status: 'merged', points: 0, tier: '金卡' }),
      member(m.m3, at(D2, '00:00:00')),
      member(m.m6, at(D2, '18:00:00'), { walletPrincipalFen: 1_000 }),
      member(m.m4, at(D0)),
    ]);
  const order = (memberId: Types.ObjectId, storeId: Types.ObjectId, day: string, paidFen: number, status = 'paid') => ({
    _id: oid(),
    source: 'seed',
    externalId: randomBytes(6).toString('hex'),
    requestHash: 'x',
    memberId,
    storeId,
    amountFen: paidFen,
    paidFen,
    status,
    refundedFen: 0,
    createdAt: at(day),
  });
  const o1 = { ...order(m.m1, a, D1, 10_000, 'partially_refunded'), refundedFen: 1_000 };
  await db()
    .collection('orders')
    .insertMany([
      o1,
      order(m.m1, a, D2, 20_000),
      order(m.m2, b, D2, 5_000),
      order(m.m3, a, D2, 9_999, 'pending'),
      order(m.m4, a, D0, 8_000),
    ]);
  await db()
    .collection('order_refunds')
    .insertOne({ _id: oid(), orderId: o1._id, key: 'r1', amountFen: 1_000, status: 'done', createdAt: at(D2) });
  await db()
    .collection('store_sales')
    .insertMany([
      {
        _id: oid(),
        storeId: a,
        externalId: 'w1',
        amountFen: 3_000,
        refundedFen: 1_000,
        refunds: [{ externalId: 'wr1', amountFen: 1_000, at: at(D2, '15:00:00') }],
        createdAt: at(D2),
      },
      { _id: oid(), storeId: a, externalId: 'w2', amountFen: 7_000, refundedFen: 0, refunds: [], createdAt: at(D2) },
    ]);
  const entry = (reason: string, amount: number, day = D2) => ({
    _id: oid(),
    memberId: m.m1,
    account: 'points',
    amount,
    reason,
    idempotencyKey: randomBytes(8).toString('hex'),
    createdAt: at(day),
  });
  await db()
    .collection('ledger_entries')
    .insertMany([
      entry('order', 300),
      entry('task', 50),
      entry('adjustment', -10),
      entry('spend', -200),
      entry('redemption', -100),
      entry('refund_reversal', -30),
      entry('refund_reversal', 20),
      entry('expiry', -40),
      entry('merge', -70),
      entry('merge', 70),
      { ...entry('order', 999), account: 'growth' },
      entry('order', 100, D1),
    ]);
  const coupon = (templateId: Types.ObjectId, source: string, title: string, used: boolean) => ({
    _id: oid(),
    code: randomBytes(6).toString('hex'),
    templateId,
    memberId: m.m1,
    key: randomBytes(6).toString('hex'),
    source,
    title,
    status: used ? 'used' : 'available',
    receivedAt: at(D2, '08:00:00'),
    usedAt: used ? at(D2, '20:00:00') : null,
  });
  await db()
    .collection('coupons')
    .insertMany([
      coupon(t.claim, 'claim', '满100减20', true),
      coupon(t.claim, 'claim', '满100减20', false),
      coupon(t.claim, 'claim', '满100减20', false),
      coupon(t.claim, 'claim', '满100减20', false),
      coupon(t.birthday, 'birthday', '生日券', true),
      coupon(t.birthday, 'birthday', '生日券', false),
      coupon(t.monthly, 'monthly', '金卡月礼', false),
    ]);
  const topUp = (payFen: number, bonusFen: number, refund: unknown = null) => ({
    _id: oid(),
    memberId: m.m2,
    clientKey: randomBytes(6).toString('hex'),
    outTradeNo: randomBytes(6).toString('hex'),
    payFen,
    bonusFen,
    status: refund ? 'refunded' : 'paid',
    paidAt: at(D2, '10:00:00'),
    refund,
    createdAt: at(D2, '09:59:00'),
  });
  await db()
    .collection('top_ups')
    .insertMany([
      topUp(50_000, 5_000),
      topUp(50_000, 5_000, { principalFen: 20_000, status: 'succeeded', finishedAt: at(D2, '16:00:00') }),
    ]);
  const change = (from: string, to: string) => ({
    _id: oid(),
    memberId: m.m1,
    from,
    to,
    dedupeKey: oid().toHexString(),
    at: at(D2),
  });
  await db()
    .collection('tier_changes')
    .insertMany([change('普通会员', '银卡'), change('普通会员', '银卡'), change('金卡', '银卡')]);
}

const rollup = (from: string, to = from) => rollupDaily(hub.deps, { from, to });
const dashboard = (query: Record<string, string>) =>
  request(hub.url, 'GET', `${DashboardPaths.dashboard}?${new URLSearchParams(query)}`, { token: owner });

describe('the dashboard over rollups', () => {
  let dash: Dashboard;

  beforeAll(async () => {
    expect(await rollup(D0, D2)).toMatchObject({ ran: true, days: 42 });
    const res = await dashboard({ from: D1, to: D2 });
    expect(res.status).toBe(200);
    dash = Dashboard.parse(res.body);
  });

  it('counts new members per day, merged duplicates left out', () => {
    expect(dash.figures.newMembers).toMatchObject({
      total: 4,
      series: [
        { day: D1, value: 2 },
        { day: D2, value: 2 },
      ],
    });
    expect(dash.missingDays).toEqual([]);
  });

  it('active members and repurchase rate as of each day over 30 days', () => {
    expect(dash.figures.activeMembers).toMatchObject({
      value: 2,
      series: [
        { day: D1, value: 1 },
        { day: D2, value: 2 },
      ],
    });
    expect(dash.figures.repurchaseRate).toMatchObject({ rateBp: 5_000, repeatMembers: 1, buyingMembers: 2 });
    expect(dash.figures.repurchaseRate.series[0]).toMatchObject({ rateBp: 0, buyingMembers: 1 });
  });

  it('member vs walk-in sales: refunds reduce them, pending orders do not count', () => {
    // Members: 100 + 200 + 50 - 10 refunded = ¥340 over 3 orders; walk-ins: 30 + 70 - 10 = ¥90 over 2.
    expect(dash.figures.averageOrderValue).toMatchObject({
      memberFen: 11_333,
      nonMemberFen: 4_500,
      memberOrders: 3,
      nonMemberOrders: 2,
    });
    expect(dash.figures.memberSalesShare).toMatchObject({
      shareBp: 7_907, // 340 / 430
      memberSalesFen: 34_000,
      nonMemberSalesFen: 9_000,
      memberRefundFen: 1_000,
      nonMemberRefundFen: 1_000,
    });
    expect(dash.figures.memberSalesShare.series).toEqual([
      { day: D1, shareBp: 10_000, memberSalesFen: 10_000, nonMemberSalesFen: 0 },
      { day: D2, shareBp: 7_273, memberSalesFen: 24_000, nonMemberSalesFen: 9_000 },
    ]);
  });

  it('points issued, redeemed and expired by ledger reason; merges count nowhere', () => {
    expect(dash.figures.pointsIssued).toMatchObject({ total: 100 + 310 }); // 300 + 50 - 10 - 30 on D2
    expect(dash.figures.pointsRedeemed.total).toBe(280); // 200 + 100 - 20 given back
    expect(dash.figures.pointsExpired.total).toBe(40);
    expect(dash.figures.pointsIssued.series).toEqual([
      { day: D1, value: 100 },
      { day: D2, value: 310 },
    ]);
  });

  it('coupon redemption per template and benefit usage', () => {
    const c = dash.figures.couponRedemption;
    expect(c).toMatchObject({ issued: 7, used: 2, rateBp: 2_857 });
    expect(c.templates[0]).toEqual({
      templateId: t.claim.toHexString(),
      title: '满100减20',
      issued: 4,
      used: 1,
      rateBp: 2_500,
    });
    expect(dash.figures.benefitUsage).toMatchObject({
      issued: 3,
      used: 1,
      rateBp: 3_333,
      bySource: [
        { source: 'birthday', label: '生日礼券', issued: 2, used: 1, rateBp: 5_000 },
        { source: 'monthly', label: '等级月礼', issued: 1, used: 0, rateBp: 0 },
      ],
    });
  });

  it('top-ups, liabilities and tiers now, tier movement in the range', () => {
    expect(dash.figures.topUps).toMatchObject({ count: 2, payFen: 100_000, bonusFen: 10_000, refundedFen: 20_000 });
    expect(dash.figures.pointsLiability).toMatchObject({
      outstandingPoints: 300,
      valueFen: 300,
      pointsPerYuanOffset: 100,
      members: 2,
    });
    expect(dash.figures.storedValueLiability).toMatchObject({
      principalFen: 6_000,
      bonusFen: 500,
      totalFen: 6_500,
      members: 2,
    });
    expect(dash.figures.tierDistribution).toMatchObject({
      total: 5,
      tiers: [
        { tier: '普通会员', members: 4, shareBp: 8_000 },
        { tier: '银卡', members: 1, shareBp: 2_000 },
        { tier: '金卡', members: 0, shareBp: 0 },
        { tier: '黑钻', members: 0, shareBp: 0 },
      ],
    });
    expect(dash.figures.tierMovement).toMatchObject({
      ups: 2,
      downs: 1,
      transitions: [
        { from: '普通会员', to: '银卡', count: 2 },
        { from: '金卡', to: '银卡', count: 1 },
      ],
    });
  });

  it('every figure explains itself in Chinese', () => {
    for (const figure of Object.values(dash.figures)) {
      expect(figure.title).toMatch(/[\u4e00-\u9fff]/);
      expect(figure.explain.length).toBeGreaterThan(20);
    }
  });

  it('filters the store-scoped figures by store and leaves brand-wide ones alone', async () => {
    const a = Dashboard.parse((await dashboard({ from: D1, to: D2, storeId: storeA })).body);
    expect(a.query.storeId).toBe(storeA);
    expect(a.figures.averageOrderValue).toMatchObject({ memberFen: 14_500, nonMemberFen: 4_500, memberOrders: 2 });
    expect(a.figures.memberSalesShare).toMatchObject({
      memberSalesFen: 29_000,
      nonMemberSalesFen: 9_000,
      shareBp: 7_632,
    });
    expect(a.figures.activeMembers.value).toBe(1);
    expect(a.figures.repurchaseRate).toMatchObject({ rateBp: 10_000, repeatMembers: 1, buyingMembers: 1 });
    expect(a.figures.newMembers.total).toBe(4);
    const b = Dashboard.parse((await dashboard({ from: D1, to: D2, storeId: storeB })).body);
    expect(b.figures.memberSalesShare).toMatchObject({ memberSalesFen: 5_000, nonMemberSalesFen: 0, shareBp: 10_000 });
    expect(b.figures.activeMembers.series).toEqual([
      { day: D1, value: 0 },
      { day: D2, value: 1 },
    ]);
    expect(b.figures.repurchaseRate.rateBp).toBe(0);
  });

  it('re-running a past day replaces its documents with identical ones, even twice at once', async () => {
    const read = () => db().collection('daily_rollups').find({ day: D2 }).sort({ _id: 1 }).toArray();
    const before = await read();
    expect(before.map((d) => d.store).sort()).toEqual(['all', storeA, storeB].sort());
    const runs = await Promise.all([rollup(D2), rollup(D2)]);
    expect(runs.filter((r) => r.ran).length).toBeGreaterThanOrEqual(1);
    await rollup(D2);
    expect(await read()).toEqual(before);
    // A change to that day's data shows after its re-run, and only that day moves.
    await db()
      .collection('orders')
      .insertOne({
        _id: oid(),
        source: 'seed',
        externalId: 'late-1',
        memberId: m.m7,
        storeId: new Types.ObjectId(storeB),
        paidFen: 1_000,
        status: 'paid',
        createdAt: at(D2),
      });
    await rollup(D2);
    const after = Dashboard.parse((await dashboard({ from: D1, to: D2 })).body);
    expect(after.figures.memberSalesShare.memberSalesFen).toBe(35_000);
    expect(after.figures.activeMembers.series).toEqual([
      { day: D1, value: 1 },
      { day: D2, value: 3 },
    ]);
  });

  it('marks days the job has not run for, and shows them as zero', async () => {
    const res = Dashboard.parse((await dashboard({ from: D2, to: '2025-03-04' })).body);
    expect(res.missingDays).toEqual(['2025-03-03', '2025-03-04']);
    expect(res.figures.newMembers.series.map((p) => p.value)).toEqual([2, 0, 0]);
    expect(res.figures.activeMembers.value).toBe(3); // as of the last day with a rollup
  });
});

describe('walk-in sales through the open API', () => {
  function signed(path: string, body: unknown) {
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(hub.clock.now() / 1000));
    const nonce = randomBytes(12).toString('base64url');
    const signature = createHmac('sha256', keyA)
      .update(openApiStringToSign('POST', path, timestamp, nonce, raw))
      .digest('base64');
    return request(hub.url, 'POST', path, {
      raw,
      headers: {
        'x-hub-store': 'DASHA',
        'x-hub-timestamp': timestamp,
        'x-hub-nonce': nonce,
        'x-hub-signature': signature,
      },
    });
  }

  it("members and walk-ins, each with a refund, land in today's rollup for the store", async () => {
    const today = chinaDate(new Date(hub.clock.now()));
    const order = await signed(OpenApiPaths.orders, {
      externalOrderId: 'DASH-1',
      customer: { externalId: 'dash-cust-1' },
      amountFen: 12_800,
    });
    expect(PurchaseResult.parse(order.body).paidFen).toBe(12_800);
    await signed(OpenApiPaths.refunds, { externalOrderId: 'DASH-1', externalRefundId: 'DR-1', amountFen: 2_800 });
    expect((await signed(OpenSalePaths.sales, { externalSaleId: 'W-1', amountFen: 5_000 })).status).toBe(201);
    await signed(OpenSalePaths.saleRefunds, { externalSaleId: 'W-1', externalRefundId: 'WR-1', amountFen: 1_000 });
    await rollup(today);
    const res = Dashboard.parse((await dashboard({ from: today, to: today, storeId: storeA })).body);
    expect(res.figures.memberSalesShare).toMatchObject({
      memberSalesFen: 10_000,
      nonMemberSalesFen: 4_000,
      memberRefundFen: 2_800,
      nonMemberRefundFen: 1_000,
      shareBp: 7_143,
    });
    expect(res.figures.averageOrderValue).toMatchObject({ memberFen: 10_000, nonMemberFen: 4_000 });
    expect(res.figures.newMembers.total).toBe(1);
    expect(res.figures.pointsIssued.total).toBe(128 - 28);
  });
});

describe('CSV export and input checks', () => {
  it('streams each figure as CSV with a BOM and Chinese headers', async () => {
    const res = await fetch(new URL(`${DashboardPaths.export('newMembers')}?from=${D1}&to=${D2}`, hub.url), {
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(`日期,新增会员\r\n${D1},2\r\n${D2},2\r\n`);
    const coupons = await request(hub.url, 'GET', `${DashboardPaths.export('couponRedemption')}?from=${D1}&to=${D2}`, {
      token: owner,
    });
    expect(coupons.body).toContain(`${t.claim.toHexString()},满100减20,4,1,25.00%`);
  });

  it('refuses bad ranges, days, stores and figures with the one error shape, and non-owners', async () => {
    const bad: Record<string, string>[] = [
      { from: D2, to: D1 },
      { from: '2024-01-01', to: '2025-01-01' }, // 367 days
      { from: '2025-02-30', to: '2025-03-01' },
      { from: 'abc', to: D2 },
      { from: '2025-13-45', to: D2 },
      { from: D1, to: D2, storeId: 'nope' },
      { from: D1 },
      { from: D1, to: D2, extra: '1' },
    ];
    for (const query of bad) {
      const res = await dashboard(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await dashboard({ from: '2024-01-01', to: '2024-12-31' })).status).toBe(200); // 366 days
    const figure = await request(hub.url, 'GET', `/api/v1/admin/dashboard/export/nope?from=${D1}&to=${D2}`, {
      token: owner,
    });
    expect(figure.body.error.code).toBe('VALIDATION_FAILED');
    expect((await request(hub.url, 'GET', `${DashboardPaths.dashboard}?from=${D1}&to=${D2}`)).status).toBe(401);
  });
});
