// Coupons through the HTTP API on a real engine: templates, the claim centre under a rush, use at the till and by
// the open API (exactly once under concurrency), 核销 of gift coupons, refunds, expiry, pushes, gifts and the mall.

import { createHmac, randomUUID } from 'node:crypto';
import {
  ClaimableCoupons,
  ClaimCouponResult,
  Coupon,
  CouponIssue,
  CouponPaths,
  CouponQuote,
  CouponSettings,
  CouponTemplate,
  CouponTemplateList,
  IdentityPaths,
  LoyaltyPaths,
  MyCoupons,
  OpenApiPaths,
  openApiStringToSign,
  PointsPaths,
  PurchaseResult,
  Redemption,
  SegmentPaths,
  StaffCouponView,
  StaffMemberCoupons,
  VerifyCouponResult,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { giftCoupons } from '../src/jobs/couponJobs';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let storeA: string;
let storeB: string;
let cashier: string;
let managerA: string;
let cashierB: string;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  storeA = await createStore(hub, owner, 'CPA');
  storeB = await createStore(hub, owner, 'CPB');
  cashier = (await createStaff(hub, owner, storeA, 'coupon-cashier')).token;
  managerA = (await createStaff(hub, owner, storeA, 'coupon-manager', 'manager')).token;
  cashierB = (await createStaff(hub, owner, storeB, 'coupon-cashier-b')).token;
});
afterAll(async () => {
  await hub.stop();
});

let seq = 0;
const key = (p = 'k') => `${p}-${++seq}-${randomUUID().slice(0, 8)}`;

async function newTemplate(json: Record<string, unknown>) {
  const res = await request(hub.url, 'POST', CouponPaths.adminTemplates, {
    token: owner,
    json: {
      title: '满100减20',
      effect: { kind: 'cash_off', valueFen: 2_000 },
      conditions: { thresholdFen: 10_000 },
      validity: { type: 'relative', days: 30 },
      ...json,
    },
  });
  if (res.status !== 201) throw new Error(`template failed: ${JSON.stringify(res.body)}`);
  return CouponTemplate.parse(res.body);
}

const claim = (token: string, templateId: string, k = key('claim')) =>
  request(hub.url, 'POST', CouponPaths.claims, { token, json: { templateId, idempotencyKey: k } });

async function couponFor(token: string, templateId: string) {
  const res = await claim(token, templateId);
  if (res.status !== 201) throw new Error(`claim failed: ${JSON.stringify(res.body)}`);
  return ClaimCouponResult.parse(res.body).coupon;
}

async function scanned(openid: string, staff = cashier) {
  const m = await memberLogin(hub, openid);
  const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
    token: staff,
    json: { code: (await memberCode(hub, m.token)).numeric },
  });
  expect(scan.status).toBe(200);
  return m;
}

const purchase = (memberId: string, amountFen: number, extra: Record<string, unknown> = {}, staff = cashier) =>
  request(hub.url, 'POST', PointsPaths.staffPurchases, {
    token: staff,
    json: { memberId, amountFen, idempotencyKey: key('buy'), ...extra },
  });

const couponRow = (code: string) => hub.deps.conn.collection('coupons').findOne({ code });

describe('templates', () => {
  it('creates every kind, with the validation errors an owner can act on, and changes nothing on bad input', async () => {
    const kinds = [
      { effect: { kind: 'cash_off', valueFen: 2_000 }, conditions: { thresholdFen: 10_000 } },
      { effect: { kind: 'discount', rateBp: 8_800, capFen: 5_000 } },
      { effect: { kind: 'gift', giftName: '拿铁一杯' }, title: '咖啡兑换券' },
      { effect: { kind: 'free_shipping', capFen: null }, title: '包邮券' },
    ];
    for (const k of kinds) expect((await newTemplate(k)).effect.kind).toBe(k.effect.kind);
    const before = await hub.deps.conn.collection('coupon_templates').countDocuments();
    const bad = [
      { effect: { kind: 'cash_off', valueFen: 2_000 }, conditions: { thresholdFen: 1_000 } },
      { effect: { kind: 'discount', rateBp: 10_000 } },
      { effect: { kind: 'teleport' } },
      { validity: { type: 'fixed', from: '2026-12-31', until: '2026-12-01' } },
      { totalStock: -1 },
    ];
    for (const b of bad) {
      const res = await request(hub.url, 'POST', CouponPaths.adminTemplates, {
        token: owner,
        json: {
          title: 'x',
          effect: { kind: 'cash_off', valueFen: 100 },
          validity: { type: 'relative', days: 1 },
          ...b,
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await hub.deps.conn.collection('coupon_templates').countDocuments()).toBe(before);
  });

  it('a shop starts with the birthday, monthly and referral templates the gift settings name', async () => {
    const list = CouponTemplateList.parse(
      (await request(hub.url, 'GET', CouponPaths.adminTemplates, { token: owner })).body,
    );
    const keys = list.templates.map((t) => t.systemKey).filter(Boolean);
    expect(keys).toEqual(
      expect.arrayContaining(['birthday-10', 'birthday-20', 'monthly-20', 'monthly-50', 'referral-50']),
    );
    const settings = CouponSettings.parse(
      (await request(hub.url, 'GET', CouponPaths.adminSettings, { token: owner })).body,
    );
    const referral = list.templates.find((t) => t.systemKey === 'referral-50');
    expect(settings.referral).toMatchObject({ rewardTemplateId: referral?.id, holdDays: 7, dailyLimit: 20 });
    expect(referral).toMatchObject({ effect: { valueFen: 5_000 }, conditions: { thresholdFen: 20_000 } });
  });

  it('editing stock re-bases on what was issued and refuses less than that', async () => {
    const t = await newTemplate({ totalStock: 5, claimable: true });
    const m = await memberLogin(hub, 'tpl-stock');
    await couponFor(m.token, t.id);
    const patch = (json: unknown) => request(hub.url, 'PATCH', CouponPaths.adminTemplate(t.id), { token: owner, json });
    expect((await patch({ totalStock: 10 })).body).toMatchObject({ totalStock: 10, stockLeft: 9 });
    expect((await patch({ totalStock: 0 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await patch({ title: '新名字' })).body).toMatchObject({ title: '新名字', totalStock: 10, stockLeft: 9 });
  });
});

describe('the claim centre', () => {
  it('claims once per key, honours the per-member limit and shows what is left', async () => {
    const t = await newTemplate({ claimable: true, perMemberLimit: 2, totalStock: 10 });
    const m = await memberLogin(hub, 'claim-basic');
    const k = key();
    const first = await claim(m.token, t.id, k);
    expect(first.status).toBe(201);
    const again = await claim(m.token, t.id, k);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, coupon: { id: first.body.coupon.id } });
    expect((await claim(m.token, t.id)).status).toBe(201);
    const third = await claim(m.token, t.id);
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'COUPON_LIMIT_REACHED', message: '已达到领取上限' });
    const centre = ClaimableCoupons.parse(
      (await request(hub.url, 'GET', CouponPaths.claimable, { token: m.token })).body,
    );
    expect(centre.coupons.find((c) => c.templateId === t.id)).toMatchObject({ stockLeft: 8, remainingForMe: 0 });
    const coupon = Coupon.parse(first.body.coupon);
    expect(coupon.code).toMatch(/^\d{12}$/);
    expect(coupon.qrPayload).toBe(`MHCP:${coupon.code}`);
  });

  it('refuses templates that are not in the claim centre', async () => {
    const t = await newTemplate({ claimable: false });
    const m = await memberLogin(hub, 'claim-hidden');
    const res = await claim(m.token, t.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('COUPON_NOT_CLAIMABLE');
  });

  it('1,000 concurrent claims of a 100-stock coupon issue exactly 100, no member over the limit', async () => {
    const t = await newTemplate({ claimable: true, perMemberLimit: 2, totalStock: 100, title: '限量券' });
    // 60 members, about 17 tries each, at most 2 each: both the stock and the per-member limit refuse claims.
    const members = await Promise.all(Array.from({ length: 60 }, (_, i) => memberLogin(hub, `rush-${i}`)));
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => claim((members[i % members.length] as (typeof members)[0]).token, t.id)),
    );
    const codes = results.map((r) => (r.status === 201 ? 'issued' : r.body.error?.code));
    expect(codes.filter((c) => c === 'issued')).toHaveLength(100);
    expect(new Set(codes)).toEqual(new Set(['issued', 'COUPON_SOLD_OUT', 'COUPON_LIMIT_REACHED']));
    const rows = await hub.deps.conn
      .collection('coupons')
      .find({ templateId: new Types.ObjectId(t.id) })
      .toArray();
    expect(rows).toHaveLength(100);
    const perMember = new Map<string, number>();
    for (const r of rows) perMember.set(String(r.memberId), (perMember.get(String(r.memberId)) ?? 0) + 1);
    expect(Math.max(...perMember.values())).toBeLessThanOrEqual(2);
    expect(new Set(rows.map((r) => r.code)).size).toBe(100);
    const after = await hub.deps.conn.collection('coupon_templates').findOne({ _id: new Types.ObjectId(t.id) });
    expect(after?.stockLeft).toBe(0);
  });
});

describe('using coupons at the till', () => {
  it('quotes, then applies 满100减20 on a ¥128 purchase: points and growth on what was paid', async () => {
    const t = await newTemplate({ claimable: true });
    const m = await scanned('till-coupon');
    const coupon = await couponFor(m.token, t.id);
    const usable = StaffMemberCoupons.parse(
      (await request(hub.url, 'GET', CouponPaths.staffMemberCoupons(m.memberId), { token: cashier })).body,
    );
    expect(usable.coupons.map((c) => c.code)).toContain(coupon.code);
    const quote = await request(hub.url, 'POST', CouponPaths.staffQuote, {
      token: cashier,
      json: { memberId: m.memberId, amountFen: 12_800, couponCodes: [coupon.qrPayload] },
    });
    expect(CouponQuote.parse(quote.body)).toMatchObject({ couponFen: 2_000, payableFen: 10_800 });
    const res = await purchase(m.memberId, 12_800, { couponCodes: [coupon.code] });
    expect(res.status).toBe(201);
    expect(PurchaseResult.parse(res.body)).toMatchObject({ couponFen: 2_000, paidFen: 10_800, pointsEarned: 108 });
    expect(await couponRow(coupon.code)).toMatchObject({ status: 'used', discountFen: 2_000, orderAmountFen: 12_800 });
    const used = MyCoupons.parse(
      (await request(hub.url, 'GET', `${CouponPaths.myCoupons}?tab=used`, { token: m.token })).body,
    );
    expect(used.coupons.map((c) => c.code)).toEqual([coupon.code]);
    expect(used.counts.used).toBe(1);
  });

  it('the scan shows staff the coupons the till can apply here (not gift coupons, not other stores)', async () => {
    const cash = await newTemplate({ claimable: true, title: '到店满减' });
    const gift = await newTemplate({
      claimable: true,
      title: '到店礼品',
      effect: { kind: 'gift', giftName: '小蛋糕' },
      conditions: {},
    });
    const elsewhere = await newTemplate({ claimable: true, title: '别店专用', conditions: { storeIds: [storeB] } });
    const m = await memberLogin(hub, 'scan-coupons');
    for (const t of [cash, gift, elsewhere]) await couponFor(m.token, t.id);
    const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
      token: cashier,
      json: { code: (await memberCode(hub, m.token)).numeric },
    });
    expect(scan.body.coupons.map((c: { title: string }) => c.title)).toEqual(['到店满减']);
  });

  it('refuses a coupon below its threshold or at another store, with a clear message, changing nothing', async () => {
    const onlyB = await newTemplate({ claimable: true, conditions: { thresholdFen: 0, storeIds: [storeB] } });
    const t = await newTemplate({ claimable: true });
    const m = await scanned('till-refuse');
    const c1 = await couponFor(m.token, t.id);
    const c2 = await couponFor(m.token, onlyB.id);
    const low = await purchase(m.memberId, 9_999, { couponCodes: [c1.code] });
    expect(low.status).toBe(409);
    expect(low.body.error).toMatchObject({ code: 'COUPON_NOT_USABLE', message: '未满¥100.00，不能使用' });
    const elsewhere = await purchase(m.memberId, 5_000, { couponCodes: [c2.code] });
    expect(elsewhere.body.error).toMatchObject({ code: 'COUPON_NOT_USABLE', message: '该券不适用于本门店' });
    const two = await purchase(m.memberId, 20_000, { couponCodes: [c1.code, c2.code] });
    expect(two.body.error.code).toBe('COUPON_NOT_STACKABLE');
    const other = await scanned('till-refuse-other');
    const notMine = await purchase(other.memberId, 20_000, { couponCodes: [c1.code] });
    expect(notMine.body.error).toMatchObject({ code: 'COUPON_NOT_USABLE', details: { reason: 'owner' } });
    expect(await hub.deps.conn.collection('orders').countDocuments({ memberId: new Types.ObjectId(m.memberId) })).toBe(
      0,
    );
    expect((await couponRow(c1.code))?.status).toBe('available');
  });

  it('the same coupon in 50 concurrent orders is used once; 49 get COUPON_USED and no order', async () => {
    const t = await newTemplate({ claimable: true });
    const m = await scanned('double-spend');
    const coupon = await couponFor(m.token, t.id);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => purchase(m.memberId, 15_000, { couponCodes: [coupon.code] })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(49);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('COUPON_USED');
      expect(r.body.error.message).toBe('优惠券已被使用');
    }
    const orders = await hub.deps.conn
      .collection('orders')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'paid', couponFen: 2_000, paidFen: 13_000 });
    const member = await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(m.memberId) });
    expect(member?.points).toBe(130);
  });

  it('a replayed purchase returns the first result although its coupon is now used', async () => {
    const t = await newTemplate({ claimable: true });
    const m = await scanned('replay-coupon');
    const coupon = await couponFor(m.token, t.id);
    const k = key('replay');
    const first = await purchase(m.memberId, 10_000, { couponCodes: [coupon.code], idempotencyKey: k });
    const again = await purchase(m.memberId, 10_000, { couponCodes: [coupon.code], idempotencyKey: k });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderId: first.body.orderId, couponFen: 2_000, replayed: true });
  });

  it('a full refund restores the coupon (still valid); a partial refund does not', async () => {
    const t = await newTemplate({ claimable: true, perMemberLimit: 5 });
    const m = await scanned('refund-coupon');
    const c1 = await couponFor(m.token, t.id);
    const c2 = await couponFor(m.token, t.id);
    const full = PurchaseResult.parse((await purchase(m.memberId, 10_000, { couponCodes: [c1.code] })).body);
    const part = PurchaseResult.parse((await purchase(m.memberId, 10_000, { couponCodes: [c2.code] })).body);
    const refund = (orderId: string, amountFen: number) =>
      request(hub.url, 'POST', LoyaltyPaths.staffRefunds(orderId), {
        token: managerA,
        json: { amountFen, idempotencyKey: key('refund') },
      });
    expect((await refund(part.orderId, 4_000)).status).toBe(200);
    expect((await couponRow(c2.code))?.status).toBe('used');
    expect((await refund(full.orderId, full.paidFen)).body.status).toBe('refunded');
    expect(await couponRow(c1.code)).toMatchObject({ status: 'available', usedOrderId: null });
    // Usable again.
    expect((await purchase(m.memberId, 10_000, { couponCodes: [c1.code] })).status).toBe(201);
  });

  it('points offset applies to what is left after the coupon', async () => {
    const t = await newTemplate({ claimable: true });
    const m = await scanned('offset-coupon');
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: 10_000,
      reason: 'adjustment',
      idempotencyKey: 'offset-coupon-seed',
    });
    const coupon = await couponFor(m.token, t.id);
    // ¥100 - ¥20 = ¥80: at most half, ¥40 = 4,000 points.
    const tooMuch = await purchase(m.memberId, 10_000, { couponCodes: [coupon.code], offsetPoints: 4_100 });
    expect(tooMuch.body.error.code).toBe('OFFSET_TOO_LARGE');
    const ok = await purchase(m.memberId, 10_000, { couponCodes: [coupon.code], offsetPoints: 4_000 });
    expect(ok.body).toMatchObject({ couponFen: 2_000, offsetFen: 4_000, paidFen: 4_000 });
  });

  it('the open API applies coupons too', async () => {
    const keyRes = await request(hub.url, 'POST', OpenApiPaths.storeKey(storeA), { token: owner });
    const storeKey: string = keyRes.body.key;
    const t = await newTemplate({
      claimable: true,
      effect: { kind: 'discount', rateBp: 9_000, capFen: null },
      conditions: {},
    });
    const m = await memberLogin(hub, 'open-coupon');
    const coupon = await couponFor(m.token, t.id);
    const body = JSON.stringify({
      externalOrderId: key('pos'),
      customer: { memberNo: m.memberNo },
      amountFen: 20_000,
      couponCodes: [coupon.code],
    });
    const timestamp = String(Math.floor(hub.clock.now() / 1000));
    const nonce = randomUUID();
    const signature = createHmac('sha256', storeKey)
      .update(openApiStringToSign('POST', OpenApiPaths.orders, timestamp, nonce, body))
      .digest('base64');
    const res = await fetch(`${hub.url}${OpenApiPaths.orders}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-store': 'CPA',
        'x-hub-timestamp': timestamp,
        'x-hub-nonce': nonce,
        'x-hub-signature': signature,
      },
      body,
    });
    const json = await res.json();
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ couponFen: 2_000, paidFen: 18_000 });
  });
});

describe('核销: staff verify a gift coupon on its own', () => {
  it('looks up by scan, verifies once, replays the same key, refuses another try and money coupons', async () => {
    const gift = await newTemplate({
      title: '咖啡兑换券',
      claimable: true,
      effect: { kind: 'gift', giftName: '拿铁一杯' },
      conditions: {},
    });
    const cash = await newTemplate({ claimable: true });
    const m = await memberLogin(hub, 'verify-gift');
    const g = await couponFor(m.token, gift.id);
    const c = await couponFor(m.token, cash.id);
    const view = StaffCouponView.parse(
      (await request(hub.url, 'POST', CouponPaths.staffLookup, { token: cashier, json: { code: g.qrPayload } })).body,
    );
    expect(view).toMatchObject({ verifiableAlone: true, problem: null, member: { memberNo: m.memberNo } });
    const k = key('verify');
    const verify = (code: string, idempotencyKey = k, token = cashier) =>
      request(hub.url, 'POST', CouponPaths.staffVerify, { token, json: { code, idempotencyKey } });
    const first = await verify(g.code);
    expect(VerifyCouponResult.parse(first.body)).toMatchObject({ replayed: false, coupon: { status: 'used' } });
    expect((await verify(g.code)).body).toMatchObject({ replayed: true });
    const second = await verify(g.code, key('verify'));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('COUPON_USED');
    const money = await verify(c.code, key('verify'));
    expect(money.body.error).toMatchObject({ code: 'COUPON_NOT_USABLE', message: '此券请在记录消费时使用' });
    const audit = await hub.deps.conn.collection('audit_log').countDocuments({ action: 'coupon.verify' });
    expect(audit).toBe(1);
    const unknown = await verify('123412341234', key('verify'));
    expect(unknown.status).toBe(404);
    const malformed = await verify('12345', key('verify'));
    expect(malformed.status).toBe(400);
  });

  it('a gift coupon limited to one store cannot be verified at another', async () => {
    const gift = await newTemplate({
      claimable: true,
      effect: { kind: 'gift', giftName: '甜甜圈' },
      conditions: { storeIds: [storeA] },
    });
    const m = await memberLogin(hub, 'verify-store');
    const g = await couponFor(m.token, gift.id);
    const res = await request(hub.url, 'POST', CouponPaths.staffVerify, {
      token: cashierB,
      json: { code: g.code, idempotencyKey: key('v') },
    });
    expect(res.body.error).toMatchObject({ code: 'COUPON_NOT_USABLE', message: '该券不适用于本门店' });
  });
});

describe('expiry', () => {
  it('members see lapsed coupons as expired at once; the job marks the rest and is safe to run again', async () => {
    const t = await newTemplate({ claimable: true, validity: { type: 'relative', days: 3 }, conditions: {} });
    const m = await memberLogin(hub, 'expiry-coupon');
    const c = await couponFor(m.token, t.id);
    expect(Date.parse(c.validUntil) - hub.clock.now()).toBeGreaterThan(2 * 86_400_000);
    const other = await memberLogin(hub, 'expiry-coupon-2');
    const c2 = await couponFor(other.token, t.id);
    hub.clock.advance(5 * 86_400_000);
    try {
      const mine = MyCoupons.parse((await request(hub.url, 'GET', CouponPaths.myCoupons, { token: m.token })).body);
      expect(mine.coupons.map((x) => x.code)).not.toContain(c.code);
      expect(mine.counts.expired).toBe(1);
      expect(await hub.deps.coupons.expireDue()).toBeGreaterThanOrEqual(1);
      expect((await couponRow(c2.code))?.status).toBe('expired');
      expect(await hub.deps.coupons.expireDue()).toBe(0);
    } finally {
      hub.clock.advance(-5 * 86_400_000);
    }
  });
});

/** Polls the campaign the way the admin page does, until it is done. */
async function issueDone(id: string) {
  let issue = CouponIssue.parse((await request(hub.url, 'GET', CouponPaths.adminIssue(id), { token: owner })).body);
  for (let i = 0; i < 200 && issue.status !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 25));
    issue = CouponIssue.parse((await request(hub.url, 'GET', CouponPaths.adminIssue(id), { token: owner })).body);
  }
  return issue;
}

describe('pushing a coupon to many members', () => {
  it('issues to a tier segment in the background with progress, once per campaign key, within stock', async () => {
    const t = await newTemplate({ title: '金卡专享', totalStock: 3, conditions: {} });
    const golds = await Promise.all(Array.from({ length: 4 }, (_, i) => memberLogin(hub, `push-gold-${i}`)));
    await hub.deps.conn
      .collection('members')
      .updateMany({ _id: { $in: golds.map((g) => new Types.ObjectId(g.memberId)) } }, { $set: { tier: '金卡' } });
    const segment = await request(hub.url, 'POST', SegmentPaths.segments, {
      token: owner,
      json: { name: '金卡会员', definition: { tiers: ['金卡'] } },
    });
    expect(segment.status).toBe(201);
    const k = key('push');
    const create = () =>
      request(hub.url, 'POST', CouponPaths.adminIssues, {
        token: owner,
        json: { templateId: t.id, target: { kind: 'segment', segmentId: segment.body.id }, idempotencyKey: k },
      });
    const res = await create();
    expect(res.status).toBe(202);
    const id = CouponIssue.parse(res.body).id;
    const issue = await issueDone(id);
    expect(issue).toMatchObject({ status: 'done', total: 4, issued: 3, skipped: 1 });
    expect(issue.target).toMatchObject({ kind: 'segment', segment: { name: '金卡会员', summary: '金卡' } });
    const again = await create();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, replayed: true });
    // Running it again (a resume) gives nobody a second coupon.
    await hub.deps.campaigns.run(new Types.ObjectId(id));
    expect(await hub.deps.conn.collection('coupons').countDocuments({ templateId: new Types.ObjectId(t.id) })).toBe(3);
  });

  it('issues to a list of member numbers', async () => {
    const t = await newTemplate({ title: '定向券', conditions: {} });
    const a = await memberLogin(hub, 'push-list-a');
    const b = await memberLogin(hub, 'push-list-b');
    const res = await request(hub.url, 'POST', CouponPaths.adminIssues, {
      token: owner,
      json: {
        templateId: t.id,
        target: { kind: 'members', memberNos: [a.memberNo, b.memberNo] },
        idempotencyKey: key(),
      },
    });
    const done = await issueDone(res.body.id);
    expect(done).toMatchObject({ status: 'done', total: 2, issued: 2 });
    const mine = MyCoupons.parse((await request(hub.url, 'GET', CouponPaths.myCoupons, { token: a.token })).body);
    expect(mine.coupons.find((c) => c.templateId === t.id)?.source).toBe('push');
  });
});

describe('gifts from the tier rules', () => {
  it('birthday coupons 7 days ahead by tier and monthly tier coupons, once however often the job runs', async () => {
    const today = new Date(hub.clock.now() + 8 * 3_600_000);
    const inAWeek = new Date(today.getTime() + 7 * 86_400_000).toISOString().slice(5, 10);
    const silver = await memberLogin(hub, 'gift-silver');
    const gold = await memberLogin(hub, 'gift-gold');
    const members = hub.deps.conn.collection('members');
    await members.updateOne(
      { _id: new Types.ObjectId(silver.memberId) },
      { $set: { tier: '银卡', birthday: `1990-${inAWeek}` } },
    );
    await members.updateOne({ _id: new Types.ObjectId(gold.memberId) }, { $set: { tier: '金卡' } });
    const first = await giftCoupons(hub.deps);
    const second = await giftCoupons(hub.deps);
    expect(first).toMatchObject({ birthday: 1 });
    expect(second).toMatchObject({ birthday: 0, monthly: 0 });
    const silverCoupons = MyCoupons.parse(
      (await request(hub.url, 'GET', CouponPaths.myCoupons, { token: silver.token })).body,
    );
    expect(silverCoupons.coupons.map((c) => [c.source, c.title])).toEqual([['birthday', '生日券 ¥20']]);
    const goldCoupons = MyCoupons.parse(
      (await request(hub.url, 'GET', CouponPaths.myCoupons, { token: gold.token })).body,
    );
    expect(goldCoupons.coupons.map((c) => [c.source, c.title])).toEqual([['monthly', '金卡月礼 ¥20']]);
  });
});

describe('points mall coupon items', () => {
  it('redeeming a coupon item spends the points and puts the coupon in the member wallet, once', async () => {
    const t = await newTemplate({
      title: '积分换券 ¥10',
      effect: { kind: 'cash_off', valueFen: 1_000 },
      conditions: {},
    });
    const item = await request(hub.url, 'POST', LoyaltyPaths.adminMallItems, {
      token: owner,
      json: { title: '¥10 券', pointsPrice: 500, kind: 'coupon', couponTemplateId: t.id },
    });
    expect(item.status).toBe(201);
    const noTemplate = await request(hub.url, 'POST', LoyaltyPaths.adminMallItems, {
      token: owner,
      json: { title: '坏券', pointsPrice: 500, kind: 'coupon' },
    });
    expect(noTemplate.status).toBe(400);
    const m = await memberLogin(hub, 'mall-coupon');
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: 800,
      reason: 'adjustment',
      idempotencyKey: 'mall-coupon-seed',
    });
    const k = key('mall');
    const redeem = () =>
      request(hub.url, 'POST', LoyaltyPaths.myRedemptions, {
        token: m.token,
        json: { itemId: item.body.id, idempotencyKey: k },
      });
    const first = Redemption.parse((await redeem()).body);
    expect(first).toMatchObject({ status: 'issued', pickupCode: '' });
    expect((await redeem()).body).toMatchObject({ couponId: first.couponId, replayed: true });
    const mine = MyCoupons.parse((await request(hub.url, 'GET', CouponPaths.myCoupons, { token: m.token })).body);
    expect(mine.coupons.filter((c) => c.source === 'mall')).toHaveLength(1);
    const member = await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(m.memberId) });
    expect(member?.points).toBe(300);
  });
});

describe('redemption statistics', () => {
  it('counts issued, claimed, used, the redemption rate and the sales the coupon drove', async () => {
    const t = await newTemplate({ claimable: true, title: '统计券', perMemberLimit: 1 });
    const a = await scanned('stats-a');
    const b = await memberLogin(hub, 'stats-b');
    const ca = await couponFor(a.token, t.id);
    await couponFor(b.token, t.id);
    await purchase(a.memberId, 15_000, { couponCodes: [ca.code] });
    const list = CouponTemplateList.parse(
      (await request(hub.url, 'GET', CouponPaths.adminTemplates, { token: owner })).body,
    );
    expect(list.templates.find((x) => x.id === t.id)?.stats).toEqual({
      issued: 2,
      claimed: 2,
      used: 1,
      redemptionRateBp: 5_000,
      salesFen: 15_000,
    });
  });
});

describe('bad input on coupon and referral endpoints', () => {
  it('gets a 4xx in the one error shape, never a 500, and changes nothing', async () => {
    const m = await memberLogin(hub, 'bad-input-coupons');
    const t = await newTemplate({ claimable: true, totalStock: 5 });
    const snapshot = async () => ({
      coupons: await hub.deps.conn.collection('coupons').countDocuments(),
      templates: await hub.deps.conn.collection('coupon_templates').countDocuments(),
      referrals: await hub.deps.conn.collection('referrals').countDocuments(),
      issues: await hub.deps.conn.collection('coupon_issues').countDocuments(),
      stock: (await hub.deps.conn.collection('coupon_templates').findOne({ _id: new Types.ObjectId(t.id) }))?.stockLeft,
    });
    const before = await snapshot();
    const cases: [string, string, string, unknown, number][] = [
      ['POST', CouponPaths.claims, m.token, { templateId: 'nope', idempotencyKey: 'bad-input-1' }, 400],
      ['POST', CouponPaths.claims, m.token, { templateId: t.id }, 400],
      [
        'POST',
        CouponPaths.claims,
        m.token,
        { templateId: '0123456789abcdef01234567', idempotencyKey: 'bad-input-2' },
        404,
      ],
      ['POST', CouponPaths.claims, m.token, [1, 2], 400],
      ['GET', `${CouponPaths.myCoupons}?tab=all`, m.token, undefined, 400],
      ['GET', CouponPaths.myCoupon('zzz'), m.token, undefined, 404],
      ['POST', CouponPaths.staffLookup, cashier, { code: 'MHCP:12' }, 400],
      ['POST', CouponPaths.staffVerify, cashier, { code: '123456789012' }, 400],
      [
        'POST',
        CouponPaths.staffQuote,
        cashier,
        { memberId: m.memberId, amountFen: -1, couponCodes: ['123456789012'] },
        400,
      ],
      ['POST', CouponPaths.staffQuote, cashier, { memberId: m.memberId, amountFen: 100, couponCodes: [] }, 400],
      [
        'POST',
        PointsPaths.staffPurchases,
        cashier,
        { memberId: m.memberId, amountFen: 100, couponCodes: ['x'], idempotencyKey: 'bad-input-3' },
        400,
      ],
      ['POST', CouponPaths.adminTemplates, owner, { title: '', effect: { kind: 'cash_off' }, validity: {} }, 400],
      ['PATCH', CouponPaths.adminTemplate(t.id), owner, { perMemberLimit: 0 }, 400],
      ['PATCH', CouponPaths.adminTemplate(t.id), owner, { stockLeft: 1_000 }, 400],
      [
        'POST',
        CouponPaths.adminIssues,
        owner,
        { templateId: t.id, target: { kind: 'members', memberNos: [] }, idempotencyKey: 'bad-input-4' },
        400,
      ],
      [
        'POST',
        CouponPaths.adminIssues,
        owner,
        { templateId: t.id, target: { kind: 'everyone' }, idempotencyKey: 'bad-input-5' },
        400,
      ],
      ['PUT', CouponPaths.adminSettings, owner, { tierGifts: [], referral: { enabled: true } }, 400],
      [
        'PUT',
        CouponPaths.adminSettings,
        owner,
        {
          tierGifts: [],
          referral: {
            enabled: true,
            rewardTemplateId: '0123456789abcdef01234567',
            holdDays: 7,
            dailyLimit: 20,
            acceptWithinHours: 24,
          },
        },
        400,
      ],
      ['POST', CouponPaths.acceptReferral, m.token, { token: 'x' }, 400],
      ['POST', CouponPaths.acceptReferral, m.token, { token: 'NOPE2345' }, 404],
      ['GET', CouponPaths.inviteLanding('<script>'), '', undefined, 404],
      ['GET', `${CouponPaths.adminReferrals}?limit=100000`, owner, undefined, 400],
    ];
    for (const [method, path, token, json, status] of cases) {
      const res = await request(hub.url, method, path, {
        ...(token && { token }),
        ...(json !== undefined && { json }),
      });
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(Object.keys(res.body)).toEqual(['error']);
      expect(typeof res.body.error.code).toBe('string');
      expect(typeof res.body.error.message).toBe('string');
    }
    expect(await snapshot()).toEqual(before);
  });
});
