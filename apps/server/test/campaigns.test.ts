// Campaigns with a held-out control group: the split is stable, the offer goes to the treatment group once, and the
// results measure a known effect exactly (treatment members spend ¥120 each, control members ¥100).
import { CampaignPaths, SegmentPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { campaignModels } from '../src/modules/campaigns/model';
import { groupHashBp } from '../src/modules/campaigns/service';
import { couponModels } from '../src/modules/coupons/model';
import { memberModel } from '../src/modules/members/model';
import { messageModels } from '../src/modules/messages/model';
import { memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let segmentId: string;
const gold: Types.ObjectId[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  for (let i = 0; i < 144; i += 24) {
    const logins = await Promise.all(Array.from({ length: 24 }, (_, j) => memberLogin(hub, `o_camp_${i + j}`)));
    for (const [j, l] of logins.entries()) if ((i + j) % 6 !== 0) gold.push(new Types.ObjectId(l.memberId));
  }
  await memberModel(hub.deps.conn).updateMany({ _id: { $in: gold } }, { $set: { tier: '金卡' } });
  const seg = await request(hub.url, 'POST', SegmentPaths.segments, {
    token: owner,
    json: { name: '金卡会员', definition: { tiers: ['金卡'] } },
  });
  expect(seg.status).toBe(201);
  segmentId = seg.body.id;
});
afterAll(async () => {
  await hub.stop();
});

const pointsCampaign = () => ({
  name: '金卡回馈',
  segmentId,
  action: { kind: 'points', points: 100 },
  schedule: { kind: 'once', at: new Date(hub.clock.now()).toISOString() },
  controlPct: 10,
  notify: true,
});

describe('a points campaign with a 10% control group', () => {
  let campaignId: string;

  it('dry-runs without giving anything: who would be reached and the most it could cost', async () => {
    const res = await request(hub.url, 'POST', CampaignPaths.dryRun, { token: owner, json: pointsCampaign() });
    expect(res.status).toBe(200);
    expect(res.body.members).toBe(gold.length);
    expect(res.body.treatment + res.body.control).toBe(gold.length);
    expect(res.body.maxCostFen).toBe(res.body.treatment * 100);
    expect(await campaignModels(hub.deps.conn).Assigned.countDocuments()).toBe(0);
    const bad = await request(hub.url, 'POST', CampaignPaths.dryRun, {
      token: owner,
      json: { ...pointsCampaign(), controlPct: 80, action: { kind: 'points', points: 1.5 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const missing = await request(hub.url, 'POST', CampaignPaths.campaigns, {
      token: owner,
      json: { ...pointsCampaign(), segmentId: new Types.ObjectId().toHexString() },
    });
    expect(missing.status).toBe(404);
  });

  it('gives the treatment group its points once; the control group gets nothing', async () => {
    const created = await request(hub.url, 'POST', CampaignPaths.campaigns, { token: owner, json: pointsCampaign() });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    campaignId = created.body.id;
    expect((await request(hub.url, 'POST', CampaignPaths.start(campaignId), { token: owner })).body.status).toBe(
      'scheduled',
    );
    expect((await hub.deps.campaignRuns.runDue()).campaigns).toBe(1);
    expect((await hub.deps.campaignRuns.runDue()).campaigns).toBe(0); // done: not run again

    const c = await request(hub.url, 'GET', CampaignPaths.one(campaignId), { token: owner });
    expect(c.body).toMatchObject({ status: 'done', actionText: '赠送 100 积分' });
    const id = new Types.ObjectId(campaignId);
    const expectedControl = gold.filter((m) => groupHashBp(id, m) < 1_000).length;
    expect(c.body.control).toBe(expectedControl);
    expect(c.body.treatment).toBe(gold.length - expectedControl);
    // Roughly a tenth, as a stable hash would give.
    expect(expectedControl).toBeGreaterThan(gold.length * 0.03);
    expect(expectedControl).toBeLessThan(gold.length * 0.2);

    const assigned = await campaignModels(hub.deps.conn).Assigned.find({ campaignId: id }).lean();
    const members = await memberModel(hub.deps.conn)
      .find({ _id: { $in: gold } }, { points: 1 })
      .lean();
    const pointsOf = new Map(members.map((m) => [m._id.toHexString(), m.points]));
    for (const a of assigned) expect(pointsOf.get(a.memberId.toHexString())).toBe(a.group === 'treatment' ? 100 : 0);
    // One marketing message per treated member waits in the outbox (sent only with consent).
    expect(
      await messageModels(hub.deps.conn).Outbox.countDocuments({ dedupeKey: { $regex: `^campaign:${campaignId}:` } }),
    ).toBe(c.body.treatment);
  });

  it('measures the uplift of a known effect exactly, counting only the 30 days after', async () => {
    const id = new Types.ObjectId(campaignId);
    const assigned = await campaignModels(hub.deps.conn).Assigned.find({ campaignId: id }).lean();
    const order = (memberId: Types.ObjectId, amountFen: number, key: string) =>
      hub.deps.purchases.run({
        memberId,
        amountFen,
        source: 'pos',
        externalId: key,
        storeId: null,
        staffId: null,
        offsetPoints: 0,
        items: [],
      });
    hub.clock.advance(2 * 86_400_000);
    await Promise.all(
      assigned.map((a) =>
        order(a.memberId, a.group === 'treatment' ? 12_000 : 10_000, `camp-d2-${a.memberId.toHexString()}`),
      ),
    );
    hub.clock.advance(29 * 86_400_000); // day 31: outside the window
    await Promise.all(assigned.map((a) => order(a.memberId, 99_900, `camp-d31-${a.memberId.toHexString()}`)));

    owner = await ownerToken(hub);
    const res = await request(hub.url, 'GET', CampaignPaths.results(campaignId), { token: owner });
    expect(res.status).toBe(200);
    const nT = assigned.filter((a) => a.group === 'treatment').length;
    const nC = assigned.length - nT;
    expect(res.body.treatment).toMatchObject({
      members: nT,
      buyers: nT,
      revenuePerMemberFen: 12_000,
      conversionBp: 10_000,
    });
    expect(res.body.control).toMatchObject({ members: nC, buyers: nC, revenuePerMemberFen: 10_000 });
    expect(res.body.upliftBp).toBe(2_000);
    expect(res.body.incrementalRevenueFen).toBe(2_000 * nT);
    expect(res.body.costFen).toBe(100 * nT);
    expect(res.body.roiBp).toBe(190_000); // (2,000 - 100) / 100
    expect(res.body.daily[2]).toEqual({ day: 2, treatmentFen: 12_000, controlFen: 10_000 });
    expect(res.body.daily[1]).toEqual({ day: 1, treatmentFen: 0, controlFen: 0 });
  });
});

describe('a coupon campaign', () => {
  it('issues one coupon per treatment member, keyed, and cannot be started twice or after cancelling', async () => {
    const templates = await couponModels(hub.deps.conn).Templates.find({ systemKey: 'birthday-10' }).lean();
    const templateId = templates[0]?._id.toHexString();
    const created = await request(hub.url, 'POST', CampaignPaths.campaigns, {
      token: owner,
      json: { ...pointsCampaign(), name: '金卡礼券', action: { kind: 'coupon', templateId }, controlPct: 20 },
    });
    expect(created.status).toBe(201);
    await request(hub.url, 'POST', CampaignPaths.start(created.body.id), { token: owner });
    await hub.deps.campaignRuns.runDue();
    const c = (await request(hub.url, 'GET', CampaignPaths.one(created.body.id), { token: owner })).body;
    const issued = await couponModels(hub.deps.conn).Coupons.countDocuments({
      key: { $regex: `^campaign:${created.body.id}:` },
    });
    expect(issued).toBe(c.treatment);
    expect(c.control).toBeGreaterThan(0);
    const again = await request(hub.url, 'POST', CampaignPaths.start(created.body.id), { token: owner });
    expect(again.status).toBe(409);
    const results = await request(hub.url, 'GET', CampaignPaths.results(created.body.id), { token: owner });
    expect(results.body).toMatchObject({ couponsIssued: c.treatment, couponsRedeemed: 0, redemptionBp: 0 });

    const draft = await request(hub.url, 'POST', CampaignPaths.campaigns, { token: owner, json: pointsCampaign() });
    expect((await request(hub.url, 'POST', CampaignPaths.cancel(draft.body.id), { token: owner })).body.status).toBe(
      'cancelled',
    );
    expect((await request(hub.url, 'POST', CampaignPaths.start(draft.body.id), { token: owner })).status).toBe(409);
    const list = await request(hub.url, 'GET', CampaignPaths.campaigns, { token: owner });
    expect(list.body.campaigns.map((x: { status: string }) => x.status)).toEqual(['cancelled', 'done', 'done']);
  });
});
