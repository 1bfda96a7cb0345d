// Every trigger with a known answer: the minutely scan of recent events (the real clock: ObjectIds carry it) and
// the daily reminders with a fixed clock (points expiring in 7 days, coupons in 3, birthdays in 7 with the
// birthday coupon, tier-drop warnings, win-back after 30 / 90 days with its coupon). Reruns add nothing.
import { CouponTemplateInput, IdentityPaths, MessagePaths, PointsPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { dailyMessageTriggers, scanRecentEvents, sendMessages } from '../src/jobs/messageJobs';
import { rfmDaily } from '../src/jobs/rfmDaily';
import { couponModels } from '../src/modules/coupons/model';
import { memberModel } from '../src/modules/members/model';
import { messageModels } from '../src/modules/messages/model';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let staffToken: string;
let seq = 0;

beforeAll(async () => {
  hub = await startTestHub();
  const owner = await ownerToken(hub);
  staffToken = (await createStaff(hub, owner, await createStore(hub, owner, 'MSG1'), 'msg-cashier')).token;
});
afterAll(async () => {
  await hub.stop();
});

const outbox = () => messageModels(hub.deps.conn).Outbox;
const rowsOf = (memberId: Types.ObjectId) => outbox().find({ memberId }).sort({ _id: 1 }).lean();

async function newMember() {
  seq += 1;
  const openid = `o_trg_${seq}_${Date.now()}`;
  const login = await memberLogin(hub, openid);
  return { ...login, openid, id: new Types.ObjectId(login.memberId) };
}

async function buy(m: { token: string; memberId: string }, amountFen: number) {
  const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
    token: staffToken,
    json: { code: (await memberCode(hub, m.token)).numeric },
  });
  expect(scan.status).toBe(200);
  const res = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
    token: staffToken,
    json: { memberId: m.memberId, amountFen, idempotencyKey: `trg-buy-${++seq}-padding` },
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('recent events (every minute)', () => {
  it('a purchase reaches the member as "points earned" within minutes, once, and a tier up is announced', async () => {
    const m = await newMember();
    const templates = hub.config.messages.templates;
    await request(hub.url, 'POST', MessagePaths.myConsents, {
      token: m.token,
      json: {
        scene: 'after_purchase',
        decisions: { [templates.points_changed]: 'accept', [templates.tier_changed]: 'accept' },
      },
    });
    await request(hub.sandboxUrl ?? '', 'POST', '/__control/subscriptions', {
      json: { openid: m.openid, template_ids: [templates.points_changed, templates.tier_changed] },
    });
    const boughtAt = hub.clock.now();
    // ¥1,280: 1,280 growth crosses 银卡's 1,000.
    const result = await buy(m, 128_000);
    expect(result.balance.tier).toBe('银卡');

    hub.clock.advance(60_000); // the next minute's job
    const round = await sendMessages(hub.deps);
    expect(round.scanned.queued).toBeGreaterThanOrEqual(2);
    const rows = await rowsOf(m.id);
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ['points_earned', 'sent'],
      ['tier_up', 'sent'],
    ]);
    const earned = rows[0];
    expect(earned?.data).toMatchObject({ thing1: '消费¥1,280.00获得积分', number2: String(result.pointsEarned) });
    expect((earned?.sentAt?.getTime() ?? Number.POSITIVE_INFINITY) - boughtAt).toBeLessThanOrEqual(5 * 60_000);
    expect(rows[1]?.data).toMatchObject({ phrase1: '普通会员', phrase2: '银卡' });

    // The next minutes see the same order again: nothing new.
    hub.clock.advance(60_000);
    expect(await scanRecentEvents(hub.deps)).toMatchObject({ queued: 0 });
    const log = await request(hub.sandboxUrl ?? '', 'GET', `/__control/messages?openid=${m.openid}`);
    expect(log.body.messages).toHaveLength(2);
  });
});

describe('daily reminders (fixed clock: 2027-01-24 10:00 China time)', () => {
  const memberIds: Record<string, Types.ObjectId> = {};

  beforeAll(async () => {
    for (const name of ['expiring', 'birthday', 'coupon', 'warned', 'winBack', 'cameBack', 'quiet']) {
      memberIds[name] = (await newMember()).id;
    }
    // Orders 30 days before the reminder day (2026-12-25, China time); one member came back on 2027-01-14.
    hub.clock.advance(Date.parse('2026-12-25T12:00:00+08:00') - hub.clock.now());
    for (const name of ['winBack', 'cameBack']) await orderAt(memberIds[name] as Types.ObjectId, `${name}-1`);
    hub.clock.advance(Date.parse('2027-01-14T12:00:00+08:00') - hub.clock.now());
    await orderAt(memberIds.cameBack as Types.ObjectId, 'cameBack-2');

    hub.clock.advance(Date.parse('2027-01-24T10:00:00+08:00') - hub.clock.now());
    // 500 points expire on 2027-01-31 (in 7 days), 300 a month later; 200 already spent (oldest first).
    const ledger = hub.deps.ledger;
    const exp = memberIds.expiring as Types.ObjectId;
    await ledger.post({
      memberId: exp,
      account: 'points',
      amount: 700,
      reason: 'adjustment',
      idempotencyKey: 'trg-e1',
      expiresOn: '2027-01-31',
    });
    await ledger.post({
      memberId: exp,
      account: 'points',
      amount: 300,
      reason: 'adjustment',
      idempotencyKey: 'trg-e2',
      expiresOn: '2027-02-28',
    });
    await ledger.post({
      memberId: exp,
      account: 'points',
      amount: -200,
      reason: 'redemption',
      idempotencyKey: 'trg-e3',
    });
    await memberModel(hub.deps.conn).updateOne(
      { _id: memberIds.birthday },
      { $set: { birthday: '1990-01-31', nickname: '王小明' } },
    );
    await memberModel(hub.deps.conn).updateOne({ _id: memberIds.quiet }, { $set: { birthday: '1990-02-01' } });
    await memberModel(hub.deps.conn).updateOne(
      { _id: memberIds.warned },
      { $set: { tier: '金卡', tierWarnedFor: '2027-02-20' } },
    );
    // A coupon whose last day is 2027-01-27 (4 days counting today), and one lasting longer.
    const t = await hub.deps.coupons.createTemplate(
      CouponTemplateInput.parse({
        title: '满100减20券',
        effect: { kind: 'cash_off', valueFen: 2_000 },
        conditions: { thresholdFen: 10_000 },
        validity: { type: 'relative', days: 4 },
      }),
    );
    const long = await hub.deps.coupons.createTemplate(
      CouponTemplateInput.parse({
        title: '长期券',
        effect: { kind: 'cash_off', valueFen: 500 },
        validity: { type: 'relative', days: 30 },
      }),
    );
    for (const [template, key] of [
      [t, 'trg-c1'],
      [long, 'trg-c2'],
    ] as const)
      await hub.deps.coupons.issue({
        templateId: template._id,
        memberId: memberIds.coupon as Types.ObjectId,
        source: 'push',
        key,
        enforceSupply: false,
      });
    await rfmDaily(hub.deps);
  });

  async function orderAt(memberId: Types.ObjectId, key: string) {
    await hub.deps.purchases.run({
      memberId,
      amountFen: 5_000,
      source: 'pos',
      externalId: key,
      storeId: null,
      staffId: null,
      offsetPoints: 0,
      items: [],
    });
  }

  it('finds each reminder once, with its numbers', async () => {
    const run = await dailyMessageTriggers(hub.deps);
    expect(run).toMatchObject({
      found: { points_expiring: 1, birthday: 1, coupon_expiring: 1, tier_down_warning: 1, win_back: 1 },
    });
    const one = async (name: string) => {
      const rows = await rowsOf(memberIds[name] as Types.ObjectId);
      expect(rows).toHaveLength(1);
      return rows[0];
    };
    expect(await one('expiring')).toMatchObject({
      kind: 'points_expiring',
      data: { number1: '500', date2: '2027年1月31日', number3: '800' },
    });
    expect(await one('birthday')).toMatchObject({ kind: 'birthday', data: { name1: '王小明' } });
    expect(await one('coupon')).toMatchObject({
      kind: 'coupon_expiring',
      data: { thing1: '满100减20券', date2: '2027年1月27日' },
    });
    expect(await one('warned')).toMatchObject({
      kind: 'tier_down_warning',
      data: { phrase1: '金卡', phrase2: '银卡' },
    });
    const winBack = await one('winBack');
    expect(winBack).toMatchObject({
      kind: 'win_back',
      category: 'marketing',
      data: { thing1: '好久不见 ¥10', amount2: '¥10.00' },
    });
    const coupon = await couponModels(hub.deps.conn)
      .Coupons.findOne({ memberId: memberIds.winBack, source: 'win_back' })
      .lean();
    expect(coupon?.code).toBe(winBack?.data.character_string4);
    expect(await rowsOf(memberIds.cameBack as Types.ObjectId)).toHaveLength(0);
    expect(await rowsOf(memberIds.quiet as Types.ObjectId)).toHaveLength(0);

    // Run again (a second server copy, a retry): nothing new, no second win-back coupon.
    const again = await dailyMessageTriggers(hub.deps);
    expect(again).toMatchObject({ queued: 0, duplicates: 5 });
    expect(await couponModels(hub.deps.conn).Coupons.countDocuments({ source: 'win_back' })).toBe(1);
  });
});
