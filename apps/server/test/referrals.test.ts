// Invite a friend through the HTTP API: binding rules, the reward on the first paid order (exactly once, held,
// revoked by a refund), the mini-program code from the WeChat sandbox, and the owner's abuse signals.

import { randomUUID } from 'node:crypto';
import {
  AdminReferrals,
  CouponPaths,
  CouponSettings,
  IdentityPaths,
  InviteLanding,
  LoyaltyPaths,
  MyCoupons,
  MyReferral,
  PointsPaths,
  ReferralOverview,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { releaseReferralRewards } from '../src/jobs/couponJobs';
import { bindPhone, createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let cashier: string;
let manager: string;
let defaults: CouponSettings;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  const store = await createStore(hub, owner, 'REF1');
  cashier = (await createStaff(hub, owner, store, 'ref-cashier')).token;
  manager = (await createStaff(hub, owner, store, 'ref-manager', 'manager')).token;
  defaults = CouponSettings.parse((await request(hub.url, 'GET', CouponPaths.adminSettings, { token: owner })).body);
});
afterAll(async () => {
  await hub.stop();
});

const DAY = 86_400_000;
const key = (p: string) => `${p}-${randomUUID().slice(0, 12)}`;

async function setReferral(patch: Partial<CouponSettings['referral']>) {
  const res = await request(hub.url, 'PUT', CouponPaths.adminSettings, {
    token: owner,
    json: { ...defaults, referral: { ...defaults.referral, ...patch } },
  });
  expect(res.status).toBe(200);
}

async function tokenOf(member: { token: string }) {
  return MyReferral.parse((await request(hub.url, 'GET', CouponPaths.myReferral, { token: member.token })).body);
}

const accept = (member: { token: string }, token: string, device?: string) =>
  request(hub.url, 'POST', CouponPaths.acceptReferral, {
    token: member.token,
    json: { token, ...(device && { device }) },
  });

async function buy(member: { token: string; memberId: string }, amountFen: number) {
  await request(hub.url, 'POST', IdentityPaths.staffScan, {
    token: cashier,
    json: { code: (await memberCode(hub, member.token)).numeric },
  });
  const res = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
    token: cashier,
    json: { memberId: member.memberId, amountFen, idempotencyKey: key('ref-buy') },
  });
  expect(res.status).toBe(201);
  return res.body as { orderId: string; paidFen: number };
}

const couponsOf = async (member: { token: string }) =>
  MyCoupons.parse((await request(hub.url, 'GET', CouponPaths.myCoupons, { token: member.token })).body).coupons.filter(
    (c) => c.source === 'referral',
  );

describe('binding an invitee', () => {
  it('shows the invite (short token in a scene under 32 characters) and a public landing', async () => {
    const a = await memberLogin(hub, 'ref-show-a');
    const mine = await tokenOf(a);
    expect(mine.token).toMatch(/^[2-9A-Z]{8}$/);
    expect(mine.scene).toBe(`i=${mine.token}`);
    expect(mine.scene.length).toBeLessThanOrEqual(32);
    expect(mine.sharePath).toBe(`/pages/invite/landing?scene=${encodeURIComponent(mine.scene)}`);
    expect(mine.reward?.description).toContain('¥50');
    expect((await tokenOf(a)).token).toBe(mine.token);
    const landing = await request(hub.url, 'GET', CouponPaths.inviteLanding(mine.token));
    expect(InviteLanding.parse(landing.body).reward?.title).toBe('邀请有礼 ¥50');
    const bad = await request(hub.url, 'GET', CouponPaths.inviteLanding('NOPE2345'));
    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('REFERRAL_TOKEN_INVALID');
  });

  it('serves the mini-program code as a PNG made by WeChat (the sandbox) for the landing page and scene', async () => {
    const a = await memberLogin(hub, 'ref-code-a');
    const res = await fetch(`${hub.url}${CouponPaths.myReferralCode}`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const made = await hub.sandbox?.wxacodes({ scene: (await tokenOf(a)).scene });
    expect(made).toEqual([expect.objectContaining({ page: 'pages/invite/landing' })]);
  });

  it('refuses a self-invite, a second inviter and members who are not new; a repeat accept is an answer', async () => {
    const a = await memberLogin(hub, 'ref-rules-a');
    const c = await memberLogin(hub, 'ref-rules-c');
    const b = await memberLogin(hub, 'ref-rules-b');
    const ta = (await tokenOf(a)).token;
    expect((await accept(a, ta)).body.error.code).toBe('REFERRAL_SELF');
    const first = await accept(b, ta);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('bound');
    expect((await accept(b, ta)).status).toBe(200);
    const second = await accept(b, (await tokenOf(c)).token);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'REFERRAL_ALREADY_BOUND', message: '你已接受过邀请' });

    // Registered more than a day ago: not a new member.
    const old = await memberLogin(hub, 'ref-rules-old');
    hub.clock.advance(2 * DAY);
    try {
      expect((await accept(old, ta)).body.error.code).toBe('REFERRAL_NOT_NEW');
    } finally {
      hub.clock.advance(-2 * DAY);
    }
    // Already bought: not a new customer.
    const buyer = await memberLogin(hub, 'ref-rules-buyer');
    await buy(buyer, 1_000);
    expect((await accept(buyer, ta)).body.error.code).toBe('REFERRAL_NOT_NEW');
  });

  it('a phone that is already a member voids the invite: no reward ever', async () => {
    const a = await memberLogin(hub, 'ref-phone-a');
    const existing = await memberLogin(hub, 'ref-phone-existing');
    expect((await bindPhone(hub, existing.token, '13800138111')).status).toBe(200);
    const b = await memberLogin(hub, 'ref-phone-b');
    expect((await accept(b, (await tokenOf(a)).token)).status).toBe(200);
    const bound = await bindPhone(hub, b.token, '13800138111');
    expect(bound.body.linkedExisting).toBe(true);
    const row = await hub.deps.conn.collection('referrals').findOne({ inviteeId: new Types.ObjectId(b.memberId) });
    expect(row).toMatchObject({ status: 'void', voidReason: 'phone_registered' });
    // The survivor (the existing member) buys: nobody is rewarded.
    await buy({ token: bound.body.token, memberId: existing.memberId }, 30_000);
    expect(await couponsOf(a)).toEqual([]);
  });

  it('limits how many invitees one member brings in per day', async () => {
    await setReferral({ dailyLimit: 2 });
    try {
      const a = await memberLogin(hub, 'ref-limit-a');
      const t = (await tokenOf(a)).token;
      const invitees = await Promise.all([0, 1, 2, 3].map((i) => memberLogin(hub, `ref-limit-${i}`)));
      const results = await Promise.all(invitees.map((m) => accept(m, t)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(2);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused.map((r) => r.body.error.code)).toEqual(['REFERRAL_INVITER_LIMIT', 'REFERRAL_INVITER_LIMIT']);
    } finally {
      await setReferral({ dailyLimit: defaults.referral.dailyLimit });
    }
  });
});

describe('the reward', () => {
  it('both get the coupon on the invitee first paid order, exactly once even under concurrent purchases', async () => {
    const a = await memberLogin(hub, 'ref-reward-a');
    const b = await memberLogin(hub, 'ref-reward-b');
    await accept(b, (await tokenOf(a)).token);
    await request(hub.url, 'POST', IdentityPaths.staffScan, {
      token: cashier,
      json: { code: (await memberCode(hub, b.token)).numeric },
    });
    const orders = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(hub.url, 'POST', PointsPaths.staffPurchases, {
          token: cashier,
          json: { memberId: b.memberId, amountFen: 10_000, idempotencyKey: key('ref-rush') },
        }),
      ),
    );
    expect(orders.every((o) => o.status === 201)).toBe(true);
    await buy(b, 5_000);
    const [ca, cb] = [await couponsOf(a), await couponsOf(b)];
    expect(ca).toHaveLength(1);
    expect(cb).toHaveLength(1);
    expect(ca[0]).toMatchObject({ status: 'held', title: '邀请有礼 ¥50', effect: { valueFen: 5_000 } });
    // Held 7 days; its validity starts when the hold ends.
    const heldUntil = Date.parse(ca[0]?.heldUntil ?? '');
    expect(heldUntil - hub.clock.now()).toBe(7 * DAY);
    expect(Date.parse(ca[0]?.validFrom ?? '')).toBe(heldUntil);
    const mine = await tokenOf(a);
    expect(mine.invitees).toEqual([expect.objectContaining({ status: 'held' })]);
    expect(mine.rewardsEarned).toBe(1);

    // After the hold the job releases both.
    hub.clock.advance(7 * DAY + 1_000);
    try {
      expect(await releaseReferralRewards(hub.deps)).toMatchObject({ released: 1 });
      // A week on, the session tokens have lapsed: the members open the mini-program again.
      const [a2, b2] = [await memberLogin(hub, 'ref-reward-a'), await memberLogin(hub, 'ref-reward-b')];
      expect((await couponsOf(a2))[0]?.status).toBe('available');
      expect((await couponsOf(b2))[0]?.status).toBe('available');
      expect((await tokenOf(a2)).invitees[0]?.status).toBe('rewarded');
    } finally {
      hub.clock.advance(-(7 * DAY + 1_000));
    }
  });

  it('a refund of the rewarded order during the hold revokes both rewards; the release job leaves them revoked', async () => {
    const a = await memberLogin(hub, 'ref-revoke-a');
    const b = await memberLogin(hub, 'ref-revoke-b');
    await accept(b, (await tokenOf(a)).token);
    const order = await buy(b, 20_000);
    const refund = await request(hub.url, 'POST', LoyaltyPaths.staffRefunds(order.orderId), {
      token: manager,
      json: { amountFen: order.paidFen, idempotencyKey: key('ref-refund') },
    });
    expect(refund.status).toBe(200);
    expect((await couponsOf(a)).map((c) => c.status)).toEqual([]);
    const revoked = MyCoupons.parse(
      (await request(hub.url, 'GET', `${CouponPaths.myCoupons}?tab=expired`, { token: a.token })).body,
    );
    expect(revoked.coupons.map((c) => c.status)).toEqual(['revoked']);
    hub.clock.advance(8 * DAY);
    try {
      await releaseReferralRewards(hub.deps);
      const row = await hub.deps.conn.collection('referrals').findOne({ inviteeId: new Types.ObjectId(b.memberId) });
      expect(row?.status).toBe('revoked');
      expect(
        await hub.deps.conn.collection('coupons').countDocuments({ referralId: row?._id, status: { $ne: 'revoked' } }),
      ).toBe(0);
    } finally {
      hub.clock.advance(-8 * DAY);
    }
    // The first order was refunded: a later order does not bring a second chance.
    await buy(b, 20_000);
    expect(await couponsOf(b)).toEqual([]);
  });

  it('with no hold configured the reward is usable at once, and the reward coupon can pay at the till', async () => {
    await setReferral({ holdDays: 0 });
    try {
      const a = await memberLogin(hub, 'ref-nohold-a');
      const b = await memberLogin(hub, 'ref-nohold-b');
      await accept(b, (await tokenOf(a)).token);
      await buy(b, 8_800);
      const [reward] = await couponsOf(b);
      expect(reward?.status).toBe('available');
      await request(hub.url, 'POST', IdentityPaths.staffScan, {
        token: cashier,
        json: { code: (await memberCode(hub, b.token)).numeric },
      });
      const paid = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
        token: cashier,
        json: { memberId: b.memberId, amountFen: 20_000, couponCodes: [reward?.code], idempotencyKey: key('use') },
      });
      expect(paid.body).toMatchObject({ couponFen: 5_000, paidFen: 15_000 });
    } finally {
      await setReferral({ holdDays: defaults.referral.holdDays });
    }
  });
});

describe('the owner', () => {
  it('sees chains, top inviters and suspected abuse (shared device, phone range, bursts)', async () => {
    const a = await memberLogin(hub, 'ref-abuse-a');
    const t = (await tokenOf(a)).token;
    const phones = ['13912340001', '13912340002', '13912340003', '13912340004', '13912340005'];
    for (const [i, phone] of phones.entries()) {
      const m = await memberLogin(hub, `ref-abuse-${i}`);
      expect((await accept(m, t, 'device-fingerprint-1')).status).toBe(200);
      await bindPhone(hub, m.token, phone);
    }
    const overview = ReferralOverview.parse(
      (await request(hub.url, 'GET', CouponPaths.adminReferralOverview, { token: owner })).body,
    );
    const flagged = overview.suspicious.filter((s) => s.inviter.memberNo === a.memberNo);
    expect(flagged.map((s) => s.reason).sort()).toEqual(['burst', 'phone_prefix', 'shared_device']);
    expect(flagged.find((s) => s.reason === 'phone_prefix')?.detail).toContain('1391234');
    expect(overview.topInviters[0]).toMatchObject({ memberNo: a.memberNo, invitees: 5 });

    const chain = AdminReferrals.parse(
      (await request(hub.url, 'GET', `${CouponPaths.adminReferrals}?memberNo=${a.memberNo}`, { token: owner })).body,
    );
    expect(chain.referrals).toHaveLength(5);
    expect(chain.referrals[0]).toMatchObject({
      inviter: { memberNo: a.memberNo },
      phonePrefix: '1391234****',
      sameDeviceCount: 5,
    });
    expect((await request(hub.url, 'GET', CouponPaths.adminReferrals, { token: cashier })).status).toBe(403);
  });
});
