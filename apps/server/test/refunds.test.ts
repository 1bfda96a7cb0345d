import { IdentityPaths, LoyaltyPaths, PointsPaths, PurchaseResult, RefundResult } from '@member-hub/shared';
import { Types } from 'mongoose';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let cashier: string;
let manager: string;
let otherManager: string;

beforeAll(async () => {
  hub = await startTestHub();
  const owner = await ownerToken(hub);
  const store = await createStore(hub, owner, 'RF1');
  const store2 = await createStore(hub, owner, 'RF2');
  cashier = (await createStaff(hub, owner, store, 'rf-cashier')).token;
  manager = (await createStaff(hub, owner, store, 'rf-manager', 'manager')).token;
  otherManager = (await createStaff(hub, owner, store2, 'rf-manager2', 'manager')).token;
});
afterAll(async () => {
  await hub.stop();
});

let seq = 0;
async function paidOrder(openid: string, amountFen: number, seedPoints = 0, offsetPoints = 0) {
  const m = await memberLogin(hub, openid);
  if (seedPoints)
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: seedPoints,
      reason: 'adjustment',
      idempotencyKey: `seed-${openid}`,
    });
  await request(hub.url, 'POST', IdentityPaths.staffScan, {
    token: cashier,
    json: { code: (await memberCode(hub, m.token)).numeric },
  });
  const res = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
    token: cashier,
    json: { memberId: m.memberId, amountFen, offsetPoints, idempotencyKey: `rf-order-${++seq}` },
  });
  return { member: m, order: PurchaseResult.parse(res.body) };
}

const refund = (token: string, orderId: string, amountFen: number, key: string) =>
  request(hub.url, 'POST', LoyaltyPaths.staffRefunds(orderId), { token, json: { amountFen, idempotencyKey: key } });
const pointsOf = async (memberId: string) =>
  (await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(memberId) }))?.points;

describe('refunds', () => {
  it('partial refunds reverse points and growth in proportion and add up to the whole', async () => {
    const { member, order } = await paidOrder('rf-partial', 10_000); // 100 points, 100 growth
    const first = RefundResult.parse((await refund(manager, order.orderId, 3_333, 'refund-p-1')).body);
    expect(first).toMatchObject({ pointsReversed: 33, growthReversed: 33, status: 'partially_refunded' });
    const rest = RefundResult.parse((await refund(manager, order.orderId, 6_667, 'refund-p-2')).body);
    expect(rest).toMatchObject({ pointsReversed: 67, growthReversed: 67, status: 'refunded', refundedFen: 10_000 });
    expect(await pointsOf(member.memberId)).toBe(0);
    const over = await refund(manager, order.orderId, 1, 'refund-p-3');
    expect(over.status).toBe(400);
    expect(over.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a retried refund returns the first result', async () => {
    const { member, order } = await paidOrder('rf-retry', 5_000);
    const a = await refund(manager, order.orderId, 5_000, 'refund-r-1');
    const b = await refund(manager, order.orderId, 5_000, 'refund-r-1');
    expect(b.body).toMatchObject({ pointsReversed: a.body.pointsReversed, replayed: true });
    expect(await pointsOf(member.memberId)).toBe(0);
  });

  it('concurrent refunds of one order never refund more than was paid', async () => {
    const { member, order } = await paidOrder('rf-race', 10_000);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => refund(manager, order.orderId, 4_000, `refund-race-${i}`)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    const doc = await hub.deps.conn.collection('orders').findOne({ _id: new Types.ObjectId(order.orderId) });
    expect(doc?.refundedFen).toBe(8_000);
    expect(await pointsOf(member.memberId)).toBe(100 - 80);
  });

  it('returns the offset points of a refunded order', async () => {
    const { member, order } = await paidOrder('rf-offset', 10_000, 2_000, 2_000); // paid ¥80, earned 80
    expect(await pointsOf(member.memberId)).toBe(80);
    const res = RefundResult.parse((await refund(manager, order.orderId, 8_000, 'refund-o-1')).body);
    expect(res).toMatchObject({ pointsReversed: 80, offsetPointsReturned: 2_000 });
    expect(await pointsOf(member.memberId)).toBe(2_000);
  });

  it('a reversal of points already spent leaves a negative balance that blocks spending until earned back', async () => {
    const { member, order } = await paidOrder('rf-negative', 10_000); // +100
    const id = new Types.ObjectId(member.memberId);
    await hub.deps.ledger.post({
      memberId: id,
      account: 'points',
      amount: -90,
      reason: 'spend',
      idempotencyKey: 'rf-neg-spend',
    });
    await refund(manager, order.orderId, 10_000, 'refund-n-1');
    expect(await pointsOf(member.memberId)).toBe(-90);
    await expect(
      hub.deps.ledger.post({
        memberId: id,
        account: 'points',
        amount: -1,
        reason: 'spend',
        idempotencyKey: 'rf-neg-blocked',
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    const sums = await hub.deps.ledger.verify(id);
    expect(sums.points.cached).toBe(sums.points.sum);
  });

  it('only a manager of the order store may refund it', async () => {
    const { order } = await paidOrder('rf-auth', 1_000);
    expect((await refund(cashier, order.orderId, 1_000, 'refund-a-1')).status).toBe(403);
    expect((await refund(otherManager, order.orderId, 1_000, 'refund-a-2')).status).toBe(403);
    expect((await refund(manager, order.orderId, 1_000, 'refund-a-3')).status).toBe(200);
  });
});
