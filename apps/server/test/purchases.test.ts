import { IdentityPaths, PointsHistory, PointsPaths, PointsSummary, PurchaseResult } from '@member-hub/shared';
import { Types } from 'mongoose';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let staffToken: string;

beforeAll(async () => {
  hub = await startTestHub();
  const owner = await ownerToken(hub);
  staffToken = (await createStaff(hub, owner, await createStore(hub, owner, 'BUY1'), 'buy-cashier')).token;
});
afterAll(async () => {
  await hub.stop();
});

/** A member at the till: logged in and scanned by the cashier. */
async function scannedMember(openid: string) {
  const m = await memberLogin(hub, openid);
  const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
    token: staffToken,
    json: { code: (await memberCode(hub, m.token)).numeric },
  });
  expect(scan.status).toBe(200);
  return m;
}

let keySeq = 0;
const purchase = (memberId: string, amountFen: number, extra: Record<string, unknown> = {}) =>
  request(hub.url, 'POST', PointsPaths.staffPurchases, {
    token: staffToken,
    json: { memberId, amountFen, idempotencyKey: `key-${++keySeq}-padding`, ...extra },
  });

const grant = (memberId: string, amount: number, key: string) =>
  hub.deps.ledger.post({
    memberId: new Types.ObjectId(memberId),
    account: 'points',
    amount,
    reason: 'adjustment',
    idempotencyKey: key,
  });

describe('recording purchases at the till', () => {
  it('earns points and growth at once, explained, and the member sees the entry', async () => {
    const m = await scannedMember('buy-basic');
    const res = await purchase(m.memberId, 12_800);
    expect(res.status).toBe(201);
    const body = PurchaseResult.parse(res.body);
    expect(body).toMatchObject({
      paidFen: 12_800,
      pointsEarned: 128,
      growthEarned: 128,
      explanation: '消费 ¥128.00，+128',
      replayed: false,
    });
    expect(body.balance).toEqual({ points: 128, growth: 128, tier: '普通会员' });

    const summary = PointsSummary.parse((await request(hub.url, 'GET', PointsPaths.myPoints, { token: m.token })).body);
    expect(summary.points).toBe(128);
    expect(summary.nextExpiry?.points).toBe(128);
    const history = PointsHistory.parse(
      (await request(hub.url, 'GET', PointsPaths.myPointsHistory, { token: m.token })).body,
    );
    expect(history.items[0]).toMatchObject({ amount: 128, reason: 'order', note: '消费 ¥128.00，+128' });
  });

  it('uses the tier multiplier', async () => {
    const m = await scannedMember('buy-gold');
    await hub.deps.conn
      .collection('members')
      .updateOne({ _id: new Types.ObjectId(m.memberId) }, { $set: { tier: '金卡' } });
    const body = PurchaseResult.parse((await purchase(m.memberId, 12_800)).body);
    expect(body).toMatchObject({ pointsEarned: 192, explanation: '消费 ¥128.00，金卡 1.5 倍，+192' });
  });

  it('refuses a purchase for a member this cashier has not scanned', async () => {
    const m = await memberLogin(hub, 'buy-unscanned');
    const res = await purchase(m.memberId, 1_000);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('MEMBER_NOT_SCANNED');
  });

  it('returns the first result for a retried submit and refuses a reused key with other contents', async () => {
    const m = await scannedMember('buy-replay');
    const json = { memberId: m.memberId, amountFen: 5_000, idempotencyKey: 'till-retry-0001' };
    const first = await request(hub.url, 'POST', PointsPaths.staffPurchases, { token: staffToken, json });
    const again = await request(hub.url, 'POST', PointsPaths.staffPurchases, { token: staffToken, json });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderId: first.body.orderId, replayed: true, balance: { points: 50 } });
    const changed = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
      token: staffToken,
      json: { ...json, amountFen: 6_000 },
    });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('ORDER_CONFLICT');
    expect(await hub.deps.conn.collection('orders').countDocuments({ memberId: new Types.ObjectId(m.memberId) })).toBe(
      1,
    );
  });

  it('a retry after a crash that lost the audit record writes it, and only once', async () => {
    const m = await scannedMember('buy-audit-crash');
    const json = { memberId: m.memberId, amountFen: 3_000, idempotencyKey: 'till-crash-audit-01' };
    const first = await request(hub.url, 'POST', PointsPaths.staffPurchases, { token: staffToken, json });
    expect(first.status).toBe(201);
    const audit = hub.deps.conn.collection('audit_log');
    const filter = { action: 'order.record', 'details.orderId': first.body.orderId };
    expect(await audit.countDocuments(filter)).toBe(1);
    // The server died after the order and before its audit record: the till retries with the same key.
    await audit.deleteMany(filter);
    for (let i = 0; i < 2; i++) {
      const again = await request(hub.url, 'POST', PointsPaths.staffPurchases, { token: staffToken, json });
      expect(again.body).toMatchObject({ orderId: first.body.orderId, replayed: true });
    }
    expect(await audit.countDocuments(filter)).toBe(1);
  });

  it('offsets with points up to half the order; the rest earns', async () => {
    const m = await scannedMember('buy-offset');
    await grant(m.memberId, 3_000, 'offset-seed');
    const tooMuch = await purchase(m.memberId, 10_000, { offsetPoints: 5_100 });
    expect(tooMuch.body.error.code).toBe('OFFSET_TOO_LARGE');
    const ok = PurchaseResult.parse((await purchase(m.memberId, 10_000, { offsetPoints: 2_000 })).body);
    expect(ok).toMatchObject({ offsetFen: 2_000, paidFen: 8_000, pointsEarned: 80 });
    expect(ok.balance.points).toBe(3_000 - 2_000 + 80);
  });

  it('refuses an offset the member cannot afford and leaves no order behind; the same key then works', async () => {
    const m = await scannedMember('buy-poor');
    await grant(m.memberId, 100, 'poor-seed');
    const json = { memberId: m.memberId, amountFen: 10_000, offsetPoints: 1_000, idempotencyKey: 'till-poor-0001' };
    const refused = await request(hub.url, 'POST', PointsPaths.staffPurchases, { token: staffToken, json });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', message: '积分不足' });
    expect(await hub.deps.conn.collection('orders').countDocuments({ memberId: new Types.ObjectId(m.memberId) })).toBe(
      0,
    );
    const retried = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
      token: staffToken,
      json: { ...json, offsetPoints: 0 },
    });
    expect(retried.status).toBe(201);
  });

  it('raises the tier the moment growth reaches it, once, with history', async () => {
    const m = await scannedMember('buy-upgrade');
    const body = PurchaseResult.parse((await purchase(m.memberId, 100_000)).body);
    expect(body.balance.tier).toBe('银卡');
    const changes = await hub.deps.conn
      .collection('tier_changes')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    expect(changes).toEqual([expect.objectContaining({ from: '普通会员', to: '银卡', reason: 'growth' })]);
  });

  it('500 parallel burns: exactly the affordable ones succeed, the balance is exact', async () => {
    const m = await scannedMember('buy-rush');
    await grant(m.memberId, 100_000, 'rush-seed');
    // Top-ups earn nothing, so each purchase is a pure burn of 500 points (half of ¥10).
    const items = [{ name: '储值', category: 'top_up', amountFen: 1_000 }];
    const results = await Promise.all(
      Array.from({ length: 500 }, () => purchase(m.memberId, 1_000, { offsetPoints: 500, items })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(200);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'INSUFFICIENT_POINTS')).toBe(
      true,
    );
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const member = await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(m.memberId) });
    expect(member?.points).toBe(0);
    const sums = await hub.deps.ledger.verify(new Types.ObjectId(m.memberId));
    expect(sums.points).toEqual({ cached: 0, sum: 0 });
  }, 120_000);
});
