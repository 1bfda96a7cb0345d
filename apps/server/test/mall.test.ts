import { LoyaltyPaths, MallItem, PointsLiability, Redemption } from '@member-hub/shared';
import { Types } from 'mongoose';
import { memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
});
afterAll(async () => {
  await hub.stop();
});

const grant = (memberId: string, amount: number, key: string) =>
  hub.deps.ledger.post({
    memberId: new Types.ObjectId(memberId),
    account: 'points',
    amount,
    reason: 'adjustment',
    idempotencyKey: key,
  });
const pointsOf = async (memberId: string) =>
  (await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(memberId) }))?.points;
const newItem = async (json: Record<string, unknown>) =>
  MallItem.parse(
    (
      await request(hub.url, 'POST', LoyaltyPaths.adminMallItems, {
        token: owner,
        json: { title: '帆布袋', pointsPrice: 300, ...json },
      })
    ).body,
  );
let seq = 0;
const redeem = (token: string, itemId: string, key = `redeem-${++seq}-xx`) =>
  request(hub.url, 'POST', LoyaltyPaths.myRedemptions, { token, json: { itemId, idempotencyKey: key } });

describe('points mall', () => {
  it('redeems a gift for points with a pickup code; a retry replays', async () => {
    const item = await newItem({ stock: 10 });
    const m = await memberLogin(hub, 'mall-basic');
    await grant(m.memberId, 1_000, 'mall-basic-seed');
    const first = await redeem(m.token, item.id, 'mall-basic-key');
    expect(first.status).toBe(201);
    const body = Redemption.parse(first.body);
    expect(body).toMatchObject({ title: '帆布袋', pointsSpent: 300, status: 'awaiting_pickup', replayed: false });
    expect(body.pickupCode).toMatch(/^\d{6}$/);
    const again = await redeem(m.token, item.id, 'mall-basic-key');
    expect(again.body).toMatchObject({ id: body.id, replayed: true });
    expect(await pointsOf(m.memberId)).toBe(700);
    const mine = await request(hub.url, 'GET', LoyaltyPaths.myRedemptions, { token: m.token });
    expect(mine.body).toHaveLength(1);
  });

  it('never gives out more than the stock under a rush, and refunds nothing it did not take', async () => {
    const item = await newItem({ stock: 5, title: '限量杯' });
    const members = await Promise.all(Array.from({ length: 20 }, (_, i) => memberLogin(hub, `mall-rush-${i}`)));
    await Promise.all(members.map((m, i) => grant(m.memberId, 300, `mall-rush-seed-${i}`)));
    const results = await Promise.all(members.map((m) => redeem(m.token, item.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    const after = await hub.deps.conn.collection('mall_items').findOne({ _id: new Types.ObjectId(item.id) });
    expect(after?.stock).toBe(0);
    const points = await Promise.all(members.map((m) => pointsOf(m.memberId)));
    expect(points.filter((p) => p === 0)).toHaveLength(5);
    expect(points.filter((p) => p === 300)).toHaveLength(15);
  });

  it('holds the per-member limit, and gives back stock and allowance when points are short', async () => {
    const item = await newItem({ stock: 3, perMemberLimit: 1, title: '会员专享' });
    const rich = await memberLogin(hub, 'mall-limit');
    await grant(rich.memberId, 10_000, 'mall-limit-seed');
    const [a, b] = await Promise.all([redeem(rich.token, item.id), redeem(rich.token, item.id)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((a.status === 409 ? a : b).body.error.code).toBe('LIMIT_REACHED');

    const poor = await memberLogin(hub, 'mall-poor');
    const refused = await redeem(poor.token, item.id);
    expect(refused.body.error.code).toBe('INSUFFICIENT_POINTS');
    const stock = (await hub.deps.conn.collection('mall_items').findOne({ _id: new Types.ObjectId(item.id) }))?.stock;
    expect(stock).toBe(2); // only the one real redemption took stock
    await grant(poor.memberId, 300, 'mall-poor-seed');
    expect((await redeem(poor.token, item.id)).status).toBe(201); // the failed try did not use up the allowance
  });

  it('a PATCH changes only what it names', async () => {
    const item = await newItem({ stock: 7, perMemberLimit: 2, description: '环保帆布袋' });
    const res = await request(hub.url, 'PATCH', LoyaltyPaths.adminMallItem(item.id), {
      token: owner,
      json: { active: false },
    });
    expect(MallItem.parse(res.body)).toMatchObject({
      active: false,
      stock: 7,
      perMemberLimit: 2,
      description: '环保帆布袋',
    });
  });
});

describe('owner tools', () => {
  it('adjusts points with a reason, audited, never below zero, once per key', async () => {
    const m = await memberLogin(hub, 'adjust-member');
    const adjust = (amount: number, key: string) =>
      request(hub.url, 'POST', LoyaltyPaths.adminPointsAdjustments(m.memberId), {
        token: owner,
        json: { amount, reason: '线下活动补发', idempotencyKey: key },
      });
    expect((await adjust(500, 'adjust-key-1')).body).toEqual({ points: 500, replayed: false });
    expect((await adjust(500, 'adjust-key-1')).body).toEqual({ points: 500, replayed: true });
    const tooMuch = await adjust(-600, 'adjust-key-2');
    expect(tooMuch.body.error.code).toBe('INSUFFICIENT_POINTS');
    expect((await adjust(-200, 'adjust-key-3')).body.points).toBe(300);
    const audits = await hub.deps.conn
      .collection('audit_log')
      .countDocuments({ action: 'points.adjust', memberId: new Types.ObjectId(m.memberId) });
    expect(audits).toBe(2);
  });

  it('reports the outstanding points and what they are worth', async () => {
    const res = PointsLiability.parse(
      (await request(hub.url, 'GET', LoyaltyPaths.adminLiability, { token: owner })).body,
    );
    const all = await hub.deps.conn
      .collection('members')
      .find({ status: 'active', points: { $gt: 0 } })
      .toArray();
    const total = all.reduce((s, m) => s + (m.points as number), 0);
    expect(res).toEqual({ outstandingPoints: total, valueFen: total, members: all.length }); // 100 points = ¥1
  });

  it('grants a tier by hand with a reason, recorded in the tier history', async () => {
    const m = await memberLogin(hub, 'grant-tier');
    const res = await request(hub.url, 'POST', LoyaltyPaths.adminGrantTier(m.memberId), {
      token: owner,
      json: { tier: '金卡', reason: '老顾客回馈' },
    });
    expect(res.body).toEqual({ from: '普通会员', to: '金卡' });
    const tier = await request(hub.url, 'GET', LoyaltyPaths.myTier, { token: m.token });
    expect(tier.body).toMatchObject({ tier: '金卡', next: { name: '黑钻', spendNeededFen: 2_000_000 } });
    expect(tier.body.history[0]).toMatchObject({ from: '普通会员', to: '金卡', reason: 'manual', note: '老顾客回馈' });
  });
});
