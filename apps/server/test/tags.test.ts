// Tags on generated data with known answers: members, orders, coupons and RFM rows go straight into the engine, the
// rule tag job runs on the hub's clock (fixed at 01:30 China time, still the previous day in UTC, so a window that
// started at UTC midnight would give other answers), and the owner works through the HTTP API.
import {
  Tag,
  TagEvaluationStatus,
  TagMembersResult,
  TagPage,
  TagPaths,
  type TagRuleInput,
  windowStartMs,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { tagsDaily } from '../src/jobs/tagsDaily';
import { createStore, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import {
  clearMemberData,
  type SeededMember,
  seedCoupon,
  seedMember,
  seedOrders,
  seedRfmRun,
} from './helpers/memberData';
import { startTestHub, type TestHub } from './helpers/testHub';

const NOW = Date.parse('2026-12-10T01:30:00+08:00');
const DAY = 86_400_000;

let hub: TestHub;
let owner: string;
let storeA: string;
let storeB: string;

beforeAll(async () => {
  hub = await startTestHub();
  hub.clock.advance(NOW - hub.clock.now());
  owner = await ownerToken(hub);
  storeA = await createStore(hub, owner, 'TGA');
  storeB = await createStore(hub, owner, 'TGB');
});
afterAll(async () => {
  await hub.stop();
});
beforeEach(async () => {
  await clearMemberData(hub);
});

const api = (method: string, path: string, json?: unknown) => request(hub.url, method, path, { token: owner, json });
const run = () => tagsDaily(hub.deps);

async function ruleTag(name: string, rule: TagRuleInput): Promise<Tag> {
  const res = await api('POST', TagPaths.tags, { name, kind: 'rule', rule });
  if (res.status !== 201) throw new Error(`tag failed: ${JSON.stringify(res.body)}`);
  return Tag.parse(res.body);
}

async function manualTag(name: string): Promise<Tag> {
  const res = await api('POST', TagPaths.tags, { name, kind: 'manual', color: '#ff6600' });
  if (res.status !== 201) throw new Error(`tag failed: ${JSON.stringify(res.body)}`);
  return Tag.parse(res.body);
}

async function tagsOf(member: SeededMember): Promise<string[]> {
  const doc = await hub.deps.conn.collection('members').findOne({ _id: member.id });
  return ((doc?.tags ?? []) as Types.ObjectId[]).map((t) => t.toHexString()).sort();
}

/** For each member, whether it has the tag after the run. */
async function membership(tag: Tag, members: Record<string, SeededMember>): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const [name, m] of Object.entries(members)) out[name] = (await tagsOf(m)).includes(tag.id);
  return out;
}

const start7 = windowStartMs(NOW, 7);
const start30 = windowStartMs(NOW, 30);

describe('each rule condition, at its boundaries', () => {
  it('windows are China days: 近 7 天 starts at 00:00 China time six days before today', () => {
    expect(new Date(start7).toISOString()).toBe('2026-12-03T16:00:00.000Z');
  });

  it('spend: at least / at most, net of refunds, counted statuses only, the window edge to the millisecond', async () => {
    const rich = await ruleTag('近7天消费满2000', { all: [{ kind: 'spend', days: 7, op: 'gte', fen: 200_000 }] });
    const light = await ruleTag('近30天消费不超过10元', { all: [{ kind: 'spend', days: 30, op: 'lte', fen: 1_000 }] });
    const m = {
      exactly: await seedMember(hub),
      justBelow: await seedMember(hub),
      edgeOut: await seedMember(hub),
      edgeIn: await seedMember(hub),
      refunded: await seedMember(hub),
      notCounted: await seedMember(hub),
      dayBefore: await seedMember(hub),
      firstMoment: await seedMember(hub),
    };
    await seedOrders(hub, m.exactly.id, [{ at: NOW - DAY, paidFen: 200_000 }]);
    await seedOrders(hub, m.justBelow.id, [{ at: NOW - DAY, paidFen: 199_999 }]);
    await seedOrders(hub, m.edgeOut.id, [
      { at: NOW - DAY, paidFen: 150_000 },
      { at: start7 - 1, paidFen: 100_000 },
    ]);
    await seedOrders(hub, m.edgeIn.id, [
      { at: NOW - 60_000, paidFen: 100_000 },
      { at: start7, paidFen: 100_000 },
    ]);
    // 300,000 paid, 100,001 refunded: 199,999 net.
    await seedOrders(hub, m.refunded.id, [{ at: NOW - DAY, paidFen: 300_000, refundedFen: 100_001 }]);
    await seedOrders(hub, m.notCounted.id, [
      { at: NOW - DAY, paidFen: 500_000, refundedFen: 500_000, status: 'refunded' },
      { at: NOW - DAY, paidFen: 500_000, status: 'pending' },
    ]);
    // The window's first day begins at 00:00 China time (16:00 UTC the day before), not at UTC midnight.
    await seedOrders(hub, m.dayBefore.id, [{ at: Date.parse('2026-12-03T23:59:59.999+08:00'), paidFen: 200_000 }]);
    await seedOrders(hub, m.firstMoment.id, [{ at: Date.parse('2026-12-04T00:00:00.000+08:00'), paidFen: 200_000 }]);
    const light1 = await seedMember(hub);
    const light2 = await seedMember(hub);
    await seedOrders(hub, light1.id, [{ at: NOW - DAY, paidFen: 1_000 }]);
    await seedOrders(hub, light2.id, [{ at: NOW - DAY, paidFen: 1_001 }]);

    await run();
    expect(await membership(rich, m)).toEqual({
      exactly: true,
      justBelow: false,
      edgeOut: false,
      edgeIn: true,
      refunded: false,
      notCounted: false,
      dayBefore: false,
      firstMoment: true,
    });
    // At most ¥10: no spend at all is at most ¥10; exactly ¥10 is; a fen more is not.
    expect(await membership(light, { none: m.notCounted, exactly: light1, over: light2, rich: m.exactly })).toEqual({
      none: true,
      exactly: true,
      over: false,
      rich: false,
    });
  });

  it('visits: paid orders in the window, at least and at most', async () => {
    const regular = await ruleTag('常客', { all: [{ kind: 'visits', days: 7, op: 'gte', count: 2 }] });
    const quiet = await ruleTag('近30天没来', { all: [{ kind: 'visits', days: 30, op: 'lte', count: 0 }] });
    const m = {
      two: await seedMember(hub),
      onePlusPending: await seedMember(hub),
      onePlusOld: await seedMember(hub),
      none: await seedMember(hub),
    };
    await seedOrders(hub, m.two.id, [
      { at: start7, paidFen: 100 },
      { at: NOW, paidFen: 100 },
    ]);
    await seedOrders(hub, m.onePlusPending.id, [
      { at: NOW - DAY, paidFen: 100 },
      { at: NOW - DAY, paidFen: 100, status: 'pending' },
    ]);
    await seedOrders(hub, m.onePlusOld.id, [
      { at: NOW - DAY, paidFen: 100 },
      { at: start30 - 1, paidFen: 100 },
    ]);
    await run();
    expect(await membership(regular, m)).toEqual({ two: true, onePlusPending: false, onePlusOld: false, none: false });
    expect(await membership(quiet, m)).toEqual({ two: false, onePlusPending: false, onePlusOld: false, none: true });
  });

  it('tier, points range, birthday month, joined within, phone', async () => {
    const tier = await ruleTag('高等级', { all: [{ kind: 'tier', tiers: ['金卡', '黑钻'] }] });
    const points = await ruleTag('积分100到200', { all: [{ kind: 'points', min: 100, max: 200 }] });
    const december = await ruleTag('12月生日', { all: [{ kind: 'birthdayMonth', months: [12] }] });
    const fresh = await ruleTag('新会员', { all: [{ kind: 'joinedWithin', days: 7 }] });
    const phone = await ruleTag('有手机号', { all: [{ kind: 'hasPhone', has: true }] });
    const m = {
      gold: await seedMember(hub, { tier: '金卡', points: 100, birthday: '1990-12-31', createdAt: new Date(start7) }),
      silver: await seedMember(hub, { tier: '银卡', points: 200, birthday: '1990-11-30', phone: '13800001111' }),
      black: await seedMember(hub, { tier: '黑钻', points: 99, createdAt: new Date(start7 - 1) }),
      plain: await seedMember(hub, { points: 201, birthday: '1988-01-12', createdAt: new Date(NOW) }),
    };
    await run();
    expect(await membership(tier, m)).toEqual({ gold: true, silver: false, black: true, plain: false });
    expect(await membership(points, m)).toEqual({ gold: true, silver: true, black: false, plain: false });
    expect(await membership(december, m)).toEqual({ gold: true, silver: false, black: false, plain: false });
    expect(await membership(fresh, m)).toEqual({ gold: true, silver: false, black: false, plain: true });
    expect(await membership(phone, m)).toEqual({ gold: false, silver: true, black: false, plain: false });
  });

  it('coupons used, store visited, RFM class; several conditions are all required', async () => {
    const coupons = await ruleTag('近7天用过券', { all: [{ kind: 'couponsUsed', days: 7, op: 'gte', count: 1 }] });
    const storeTag = await ruleTag('A店顾客', { all: [{ kind: 'store', storeIds: [storeA], days: 30 }] });
    const rfm = await ruleTag('重要价值', { all: [{ kind: 'rfmClass', classes: ['important_value'] }] });
    const both = await ruleTag('A店重要价值', {
      all: [
        { kind: 'rfmClass', classes: ['important_value'] },
        { kind: 'store', storeIds: [storeA], days: 30 },
      ],
    });
    const m = {
      usedAtEdge: await seedMember(hub),
      usedBefore: await seedMember(hub),
      unused: await seedMember(hub),
      noClass: await seedMember(hub),
    };
    await seedCoupon(hub, m.usedAtEdge.id, 'used', start7);
    await seedCoupon(hub, m.usedBefore.id, 'used', start7 - 1);
    await seedCoupon(hub, m.unused.id, 'available', null);
    await seedOrders(hub, m.usedAtEdge.id, [{ at: NOW - DAY, paidFen: 100, storeId: storeA }]);
    await seedOrders(hub, m.usedBefore.id, [{ at: NOW - DAY, paidFen: 100, storeId: storeB }]);
    await seedOrders(hub, m.unused.id, [{ at: start30 - 1, paidFen: 100, storeId: storeA }]);
    await seedOrders(hub, m.noClass.id, [{ at: start30, paidFen: 100, storeId: storeA }]);
    const runId = await seedRfmRun(hub, [
      { member: m.usedAtEdge, class: 'important_value' },
      { member: m.usedBefore, class: 'important_value' },
      { member: m.unused, class: 'general_value' },
    ]);
    const result = await run();
    expect(await membership(coupons, m)).toEqual({
      usedAtEdge: true,
      usedBefore: false,
      unused: false,
      noClass: false,
    });
    expect(await membership(storeTag, m)).toEqual({
      usedAtEdge: true,
      usedBefore: false,
      unused: false,
      noClass: true,
    });
    expect(await membership(rfm, m)).toEqual({ usedAtEdge: true, usedBefore: true, unused: false, noClass: false });
    expect(await membership(both, m)).toEqual({ usedAtEdge: true, usedBefore: false, unused: false, noClass: false });
    const run1 = await hub.deps.conn
      .collection<{ _id: string; rfmRunId: string | null }>('tag_runs')
      .findOne({ _id: result.runId as string });
    expect(run1?.rfmRunId).toBe(runId);
  });

  it('an rfmClass condition holds for nobody before the first RFM run', async () => {
    const rfm = await ruleTag('重要价值', { all: [{ kind: 'rfmClass', classes: ['important_value'] }] });
    const m = await seedMember(hub);
    await run();
    expect(await membership(rfm, { m })).toEqual({ m: false });
  });
});

describe('the job', () => {
  it('twice gives the same result and writes only what changed; manual tags are left alone', async () => {
    const rich = await ruleTag('近7天消费满100', { all: [{ kind: 'spend', days: 7, op: 'gte', fen: 10_000 }] });
    const vip = await manualTag('VIP');
    const gone = new Types.ObjectId();
    const a = await seedMember(hub, { tags: [new Types.ObjectId(vip.id)] });
    const b = await seedMember(hub);
    // A rule tag someone wrote by hand is corrected; an id of a tag that no longer exists is cleaned away.
    const c = await seedMember(hub, { tags: [new Types.ObjectId(rich.id), gone] });
    const deleted = await seedMember(hub, { status: 'deleted' });
    await seedOrders(hub, a.id, [{ at: NOW - DAY, paidFen: 10_000 }]);
    await seedOrders(hub, deleted.id, [{ at: NOW - DAY, paidFen: 99_999 }]);

    const first = await run();
    expect(first).toMatchObject({ ran: true, members: 3, added: 1, removed: 1, writes: 2 });
    expect(first.tags).toEqual([
      { tagId: new Types.ObjectId(rich.id), name: '近7天消费满100', memberCount: 1, added: 1, removed: 1 },
    ]);
    expect(await tagsOf(a)).toEqual([rich.id, vip.id].sort());
    expect(await tagsOf(b)).toEqual([]);
    expect(await tagsOf(c)).toEqual([]);
    expect(await tagsOf(deleted)).toEqual([]);

    const again = await run();
    expect(again).toMatchObject({ ran: true, members: 3, added: 0, removed: 0, writes: 0 });
    expect(again.tags[0]?.memberCount).toBe(1);
    expect(await tagsOf(a)).toEqual([rich.id, vip.id].sort());

    // B buys, A's order is refunded: exactly two writes.
    await seedOrders(hub, b.id, [{ at: NOW - 3_600_000, paidFen: 10_000 }]);
    await hub.deps.conn
      .collection('orders')
      .updateMany({ memberId: a.id }, { $set: { status: 'refunded', refundedFen: 10_000 } });
    const third = await run();
    expect(third).toMatchObject({ added: 1, removed: 1, writes: 2 });
    expect(await tagsOf(a)).toEqual([vip.id]);
    expect(await tagsOf(b)).toEqual([rich.id]);

    const tags = TagPage.parse((await api('GET', `${TagPaths.tags}?sort=name`)).body);
    const byName = Object.fromEntries(tags.items.map((t) => [t.name, t]));
    expect(byName.近7天消费满100).toMatchObject({ memberCount: 1, pendingEvaluation: false });
    expect(byName.近7天消费满100?.evaluatedAt).toBe(new Date(NOW).toISOString());
    expect(byName.VIP).toMatchObject({ memberCount: 1, evaluatedAt: null, pendingEvaluation: false });
  });

  it('one run at a time: a held lease answers alreadyRunning; "evaluate now" runs in the background', async () => {
    const tag = await ruleTag('金卡会员', { all: [{ kind: 'tier', tiers: ['金卡'] }] });
    const gold = await seedMember(hub, { tier: '金卡' });
    const leases = hub.deps.conn.collection<{ _id: string; holder: string; until: Date }>('job_leases');
    await leases.insertOne({ _id: 'tagsDaily', holder: 'another-copy', until: new Date(NOW + 60_000) });
    const busy = await api('POST', TagPaths.evaluate);
    expect(busy.status).toBe(202);
    expect(busy.body).toEqual({ started: false, alreadyRunning: true });
    expect(await run()).toMatchObject({ ran: false });
    expect(await tagsOf(gold)).toEqual([]);
    expect(TagEvaluationStatus.parse((await api('GET', TagPaths.evaluation)).body)).toEqual({
      running: true,
      latest: null,
    });

    await leases.deleteMany({});
    const started = await api('POST', TagPaths.evaluate, { tagIds: [tag.id] });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ started: true, alreadyRunning: false });
    let status = TagEvaluationStatus.parse((await api('GET', TagPaths.evaluation)).body);
    for (let i = 0; i < 200 && (status.running || status.latest?.status !== 'done'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = TagEvaluationStatus.parse((await api('GET', TagPaths.evaluation)).body);
    }
    expect(status.latest).toMatchObject({ trigger: 'manual', status: 'done', members: 1, added: 1, removed: 0 });
    expect(status.latest?.tags).toEqual([{ tagId: tag.id, name: '金卡会员', memberCount: 1, added: 1, removed: 0 }]);
    expect(await tagsOf(gold)).toEqual([tag.id]);
    const audit = await hub.deps.conn.collection('audit_log').findOne({ action: 'tag.evaluate' });
    expect(audit?.details).toEqual({ tagIds: [tag.id] });
  });
});

describe('manual tags', () => {
  it('bulk add and remove by member numbers are idempotent and audited', async () => {
    const vip = await manualTag('VIP');
    const a = await seedMember(hub);
    const b = await seedMember(hub);
    const merged = await seedMember(hub, { status: 'merged' });
    const add = () =>
      api('POST', TagPaths.tagMembers(vip.id), {
        action: 'add',
        target: { kind: 'members', memberNos: [a.memberNo, b.memberNo, a.memberNo, merged.memberNo, '99999999'] },
      });
    const first = TagMembersResult.parse((await add()).body);
    expect(first).toEqual({
      tagId: vip.id,
      action: 'add',
      matched: 2,
      changed: 2,
      notFound: [merged.memberNo, '99999999'],
      memberCount: 2,
    });
    const second = TagMembersResult.parse((await add()).body);
    expect(second).toMatchObject({ matched: 2, changed: 0, memberCount: 2 });
    expect(await tagsOf(a)).toEqual([vip.id]);

    const remove = () =>
      api('POST', TagPaths.tagMembers(vip.id), {
        action: 'remove',
        target: { kind: 'members', memberNos: [a.memberNo] },
      });
    expect(TagMembersResult.parse((await remove()).body)).toMatchObject({ matched: 1, changed: 1, memberCount: 1 });
    expect(TagMembersResult.parse((await remove()).body)).toMatchObject({ matched: 1, changed: 0, memberCount: 1 });
    expect(await tagsOf(a)).toEqual([]);
    expect(await tagsOf(b)).toEqual([vip.id]);

    const trail = await hub.deps.conn
      .collection('audit_log')
      .find({ action: { $in: ['tag.members.add', 'tag.members.remove'] }, 'details.tagId': vip.id })
      .toArray();
    expect(trail.map((t) => [t.action, t.details.changed])).toEqual([
      ['tag.members.add', 2],
      ['tag.members.add', 0],
      ['tag.members.remove', 1],
      ['tag.members.remove', 0],
    ]);
  });

  it('bulk add to a segment; a rule tag refuses manual changes', async () => {
    const vip = await manualTag('VIP');
    const gold = await seedMember(hub, { tier: '金卡' });
    const silver = await seedMember(hub, { tier: '银卡' });
    const seg = await api('POST', '/api/v1/admin/segments', { name: '金卡', definition: { tiers: ['金卡'] } });
    expect(seg.status).toBe(201);
    const res = await api('POST', TagPaths.tagMembers(vip.id), {
      action: 'add',
      target: { kind: 'segment', segmentId: seg.body.id },
    });
    expect(res.body).toMatchObject({ matched: 1, changed: 1, memberCount: 1 });
    expect(await tagsOf(gold)).toEqual([vip.id]);
    expect(await tagsOf(silver)).toEqual([]);

    const rule = await ruleTag('金卡规则', { all: [{ kind: 'tier', tiers: ['金卡'] }] });
    const refused = await api('POST', TagPaths.tagMembers(rule.id), {
      action: 'add',
      target: { kind: 'members', memberNos: [silver.memberNo] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('TAG_NOT_MANUAL');
    expect(await tagsOf(silver)).toEqual([]);
  });
});

describe('tag CRUD', () => {
  it('describes rules with store names, marks a changed rule pending, refuses duplicates and deletes cleanly', async () => {
    const tag = await ruleTag('A店大客户', {
      all: [
        { kind: 'spend', days: 90, op: 'gte', fen: 200_000 },
        { kind: 'store', storeIds: [storeA], days: 90 },
      ],
    });
    expect(tag).toMatchObject({
      kind: 'rule',
      ruleText: '近 90 天消费满 ¥2,000.00 且 近 90 天在门店TGA消费过',
      pendingEvaluation: true,
      evaluatedAt: null,
      memberCount: 0,
    });
    await run();
    expect(Tag.parse((await api('GET', TagPaths.tag(tag.id))).body).pendingEvaluation).toBe(false);
    const patched = await api('PATCH', TagPaths.tag(tag.id), {
      rule: { all: [{ kind: 'tier', tiers: ['金卡'] }] },
      color: '#123456',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ ruleText: '金卡', color: '#123456', pendingEvaluation: true });
    // The same rule again is no change: still pending only from the edit before.
    const renamed = await api('PATCH', TagPaths.tag(tag.id), { name: '金卡大客户' });
    expect(renamed.body).toMatchObject({ name: '金卡大客户', pendingEvaluation: true });

    const dup = await api('POST', TagPaths.tags, { name: '金卡大客户', kind: 'manual' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('TAG_NAME_TAKEN');

    const manual = await manualTag('待删除');
    const m = await seedMember(hub, { tags: [new Types.ObjectId(manual.id)] });
    const seg = await api('POST', '/api/v1/admin/segments', {
      name: '用到标签',
      definition: { tags: { none: [manual.id] } },
    });
    const inUse = await api('DELETE', TagPaths.tag(manual.id));
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'TAG_IN_USE', details: { segments: ['用到标签'] } });
    await api('DELETE', `/api/v1/admin/segments/${seg.body.id}`);
    expect((await api('DELETE', TagPaths.tag(manual.id))).status).toBe(204);
    expect(await tagsOf(m)).toEqual([]);
    expect((await api('GET', TagPaths.tag(manual.id))).status).toBe(404);
  });

  it('lists with paging, kind filter and sort by members', async () => {
    const a = await manualTag('甲');
    await manualTag('乙');
    await ruleTag('丙', { all: [{ kind: 'hasPhone', has: true }] });
    await seedMember(hub, { tags: [new Types.ObjectId(a.id)] });
    await run();
    const page = TagPage.parse((await api('GET', `${TagPaths.tags}?kind=manual&sort=members&pageSize=1`)).body);
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(page.items.map((t) => [t.name, t.memberCount])).toEqual([['甲', 1]]);
    const second = TagPage.parse(
      (await api('GET', `${TagPaths.tags}?kind=manual&sort=members&pageSize=1&page=2`)).body,
    );
    expect(second.items.map((t) => t.name)).toEqual(['乙']);
  });
});

describe('bad input on every tag endpoint: 400 in the one error shape, and nothing changes', () => {
  it('refuses each bad request without touching tags or members', async () => {
    const vip = await manualTag('VIP');
    const m = await seedMember(hub);
    const snapshot = async () =>
      JSON.stringify([
        await hub.deps.conn.collection('tags').find().sort({ _id: 1 }).toArray(),
        await hub.deps.conn.collection('members').find().sort({ _id: 1 }).toArray(),
        await hub.deps.conn.collection('tag_runs').countDocuments(),
      ]);
    const before = await snapshot();
    const cases: [string, string, unknown, string][] = [
      ['GET', `${TagPaths.tags}?pageSize=0`, undefined, 'pageSize'],
      ['GET', `${TagPaths.tags}?kind=smart`, undefined, 'kind'],
      ['POST', TagPaths.tags, { name: '', kind: 'manual' }, 'name'],
      ['POST', TagPaths.tags, { name: '规则', kind: 'rule' }, 'rule'],
      [
        'POST',
        TagPaths.tags,
        { name: '规则', kind: 'rule', rule: { all: [{ kind: 'spend', days: 0, op: 'gte', fen: 1 }] } },
        'rule.all.0.days',
      ],
      [
        'POST',
        TagPaths.tags,
        {
          name: '规则',
          kind: 'rule',
          rule: { all: [{ kind: 'store', storeIds: ['0123456789abcdef01234567'], days: 7 }] },
        },
        'rule.all.0.storeIds.0',
      ],
      ['POST', TagPaths.tags, { name: '颜色', kind: 'manual', color: 'red' }, 'color'],
      ['POST', TagPaths.tags, { name: '多余', kind: 'manual', owner: 'x' }, ''],
      ['PATCH', TagPaths.tag(vip.id), {}, ''],
      ['PATCH', TagPaths.tag(vip.id), { rule: { all: [{ kind: 'hasPhone', has: true }] } }, 'rule'],
      [
        'POST',
        TagPaths.tagMembers(vip.id),
        { action: 'toggle', target: { kind: 'members', memberNos: [m.memberNo] } },
        'action',
      ],
      [
        'POST',
        TagPaths.tagMembers(vip.id),
        { action: 'add', target: { kind: 'members', memberNos: ['123'] } },
        'target.memberNos.0',
      ],
      [
        'POST',
        TagPaths.tagMembers(vip.id),
        { action: 'add', target: { kind: 'members', memberNos: [] } },
        'target.memberNos',
      ],
      [
        'POST',
        TagPaths.tagMembers(vip.id),
        { action: 'add', target: { kind: 'segment', segmentId: 'nope' } },
        'target.segmentId',
      ],
      ['POST', TagPaths.evaluate, { tagIds: ['xyz'] }, 'tagIds.0'],
      ['POST', TagPaths.evaluate, { tagIds: [vip.id] }, 'tagIds'],
    ];
    for (const [method, path, json, field] of cases) {
      const res = await api(method, path, json);
      expect({ method, path, field, status: res.status }).toEqual({ method, path, field, status: 400 });
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求参数有误' });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect(await snapshot()).toBe(before);
    // Ids that name nothing are 404, in the same shape.
    const missing = await api('POST', TagPaths.tagMembers('0123456789abcdef01234567'), {
      action: 'add',
      target: { kind: 'members', memberNos: [m.memberNo] },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await api('GET', TagPaths.tag('not-an-id'))).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });
});
