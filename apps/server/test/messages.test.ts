// Subscription messages end to end: consent -> quota -> outbox -> sender -> the sandbox's log, with a fixed clock
// for quiet hours and the weekly cap, WeChat's refusals, and a sender killed mid-send.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { MessageKindInfo, MessagePaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { messageModels } from '../src/modules/messages/model';
import type { EnqueueInput } from '../src/modules/messages/service';
import { memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let seq = 0;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

const templates = () => hub.config.messages.templates;
const sandbox = (method: string, p: string, json?: unknown) => request(hub.sandboxUrl ?? '', method, p, { json });

/** Moves the hub's clock to a moment given in China time, e.g. `2026-12-02T23:30`. */
function setChinaTime(local: string) {
  const target = Date.parse(`${local}:00+08:00`);
  hub.clock.advance(target - hub.clock.now());
}

async function newMember() {
  seq += 1;
  const openid = `o_msg_${seq}_${Date.now()}`;
  const login = await memberLogin(hub, openid);
  return { ...login, openid, id: new Types.ObjectId(login.memberId) };
}

/** What `wx.requestSubscribeMessage` accepting does: WeChat (the sandbox) and the hub both learn of it. */
async function consent(m: { token: string; openid: string }, templateId: string, times = 1) {
  for (let i = 0; i < times; i++) {
    const res = await request(hub.url, 'POST', MessagePaths.myConsents, {
      token: m.token,
      json: { scene: 'after_purchase', decisions: { [templateId]: 'accept' } },
    });
    expect(res.status).toBe(200);
  }
  await sandbox('POST', '/__control/subscriptions', { openid: m.openid, template_ids: [templateId], count: times });
}

async function delivered(openid: string): Promise<{ template_id: string; data: Record<string, { value: string }> }[]> {
  return (await sandbox('GET', `/__control/messages?openid=${encodeURIComponent(openid)}`)).body.messages;
}

const pointsEarned = (memberId: Types.ObjectId, key: string, points = 192): EnqueueInput => ({
  memberId,
  kind: 'points_earned',
  input: { points, balance: 1_520, at: new Date(hub.clock.now()), reason: '消费 ¥128.00，金卡 1.5 倍' },
  dedupeKey: key,
});

const couponExpiring = (memberId: Types.ObjectId, key: string): EnqueueInput => ({
  memberId,
  kind: 'coupon_expiring',
  input: { title: '满100减20券', validUntil: new Date(hub.clock.now() + 3 * 86_400_000), code: '123456789012' },
  dedupeKey: key,
});

async function statusOf(key: string) {
  return (await messageModels(hub.deps.conn).Outbox.findOne({ dedupeKey: key }).lean())?.status;
}

describe('consent', () => {
  it('counts one send per accepted template and refuses templates that are not ours', async () => {
    const m = await newMember();
    const before = await request(hub.url, 'GET', MessagePaths.myPreferences, { token: m.token });
    expect(before.status).toBe(200);
    const points = before.body.preferences.find((p: { kind: string }) => p.kind === 'points_earned');
    expect(points).toMatchObject({ quota: 0, muted: false, templateId: templates().points_changed });
    expect(before.body.scenes.after_purchase).toHaveLength(3);

    const res = await request(hub.url, 'POST', MessagePaths.myConsents, {
      token: m.token,
      json: {
        scene: 'points_page',
        decisions: { [templates().points_changed]: 'accept', [templates().tier_changed]: 'reject' },
      },
    });
    expect(res.status).toBe(200);
    const quota = (kind: string) => res.body.preferences.find((p: { kind: string }) => p.kind === kind).quota;
    expect(quota('points_earned')).toBe(1);
    expect(quota('tier_up')).toBe(0);

    const unknown = await request(hub.url, 'POST', MessagePaths.myConsents, {
      token: m.token,
      json: { scene: 'points_page', decisions: { [templates().points_changed]: 'accept', not_ours: 'accept' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'MESSAGE_TEMPLATE_UNKNOWN',
      details: { templateIds: ['not_ours'] },
    });
    const bad = await request(hub.url, 'POST', MessagePaths.myConsents, {
      token: m.token,
      json: { scene: 'nowhere', decisions: {} },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const after = await request(hub.url, 'GET', MessagePaths.myPreferences, { token: m.token });
    expect(after.body.preferences.find((p: { kind: string }) => p.kind === 'points_earned').quota).toBe(1);
  });

  it('lets a member turn a kind off; a muted message is not sent and keeps the consent', async () => {
    setChinaTime('2026-12-09T10:00');
    const m = await newMember();
    await consent(m, templates().coupon_expiring);
    const res = await request(hub.url, 'PUT', MessagePaths.myPreferences, {
      token: m.token,
      json: { muted: ['coupon_expiring'] },
    });
    expect(res.status).toBe(200);
    await hub.deps.messages.enqueue([couponExpiring(m.id, `muted:${m.memberNo}`)]);
    await hub.deps.messageSender.sendDue();
    expect(await statusOf(`muted:${m.memberNo}`)).toBe('suppressed');
    expect(await delivered(m.openid)).toHaveLength(0);
    const prefs = await request(hub.url, 'GET', MessagePaths.myPreferences, { token: m.token });
    expect(prefs.body.preferences.find((p: { kind: string }) => p.kind === 'coupon_expiring')).toMatchObject({
      quota: 1,
      muted: true,
    });
  });
});

describe('sending', () => {
  it('sends nothing without consent, and one message per consent', async () => {
    setChinaTime('2026-12-10T12:00');
    const m = await newMember();
    await hub.deps.messages.enqueue([pointsEarned(m.id, `nc:${m.memberNo}`)]);
    await hub.deps.messageSender.sendDue();
    expect(await statusOf(`nc:${m.memberNo}`)).toBe('no_quota');
    expect(await delivered(m.openid)).toHaveLength(0);

    await consent(m, templates().points_changed);
    await hub.deps.messages.enqueue([
      pointsEarned(m.id, `one:${m.memberNo}:1`),
      pointsEarned(m.id, `one:${m.memberNo}:2`),
    ]);
    const round = await hub.deps.messageSender.sendDue();
    expect(round.sent).toBe(1);
    expect(round.noQuota).toBe(1);
    const log = await delivered(m.openid);
    expect(log).toHaveLength(1);
    expect(log[0]?.template_id).toBe(templates().points_changed);
    expect(log[0]?.data).toMatchObject({
      thing1: { value: '消费 ¥128.00，金卡 1.5 倍' },
      number2: { value: '192' },
      number3: { value: '1520' },
      time4: { value: '2026-12-10 12:00' },
      phrase5: { value: '增加' },
    });
  });

  it('writes one outbox row per dedupe key, however often a trigger fires', async () => {
    const m = await newMember();
    const first = await hub.deps.messages.enqueue([pointsEarned(m.id, `dup:${m.memberNo}`)]);
    const again = await hub.deps.messages.enqueue([
      pointsEarned(m.id, `dup:${m.memberNo}`),
      pointsEarned(m.id, `dup:${m.memberNo}:other`),
    ]);
    expect(first).toEqual({ queued: 1, duplicates: 0 });
    expect(again).toEqual({ queued: 1, duplicates: 1 });
    expect(await messageModels(hub.deps.conn).Outbox.countDocuments({ memberId: m.id })).toBe(2);
  });

  it('holds marketing during quiet hours (22:00-08:00 China time) and lets transactional messages through', async () => {
    const m = await newMember();
    await consent(m, templates().coupon_expiring);
    await consent(m, templates().points_changed);
    setChinaTime('2026-12-10T23:30');
    await hub.deps.messages.enqueue([
      couponExpiring(m.id, `quiet:${m.memberNo}`),
      pointsEarned(m.id, `tx:${m.memberNo}`),
    ]);
    const night = await hub.deps.messageSender.sendDue();
    expect(night).toMatchObject({ sent: 1, deferred: 1 });
    expect(await statusOf(`tx:${m.memberNo}`)).toBe('sent');
    const held = await messageModels(hub.deps.conn)
      .Outbox.findOne({ dedupeKey: `quiet:${m.memberNo}` })
      .lean();
    expect(held?.status).toBe('pending');
    expect(held?.notBefore.toISOString()).toBe('2026-12-11T00:00:00.000Z'); // 08:00 China time
    expect(held?.attempts).toBe(0);

    setChinaTime('2026-12-11T07:59');
    await hub.deps.messageSender.sendDue();
    expect(await statusOf(`quiet:${m.memberNo}`)).toBe('pending');
    setChinaTime('2026-12-11T08:00');
    await hub.deps.messageSender.sendDue();
    expect(await statusOf(`quiet:${m.memberNo}`)).toBe('sent');
    expect(await delivered(m.openid)).toHaveLength(2);
  });

  it('caps marketing at 4 per member per China week (Monday to Sunday); transactional ones do not count', async () => {
    const m = await newMember();
    await consent(m, templates().coupon_expiring, 6);
    await consent(m, templates().points_changed, 1);
    setChinaTime('2026-12-14T09:00'); // a Monday
    const week1 = [1, 2, 3, 4, 5].map((i) => couponExpiring(m.id, `cap:${m.memberNo}:${i}`));
    await hub.deps.messages.enqueue([...week1, pointsEarned(m.id, `cap:${m.memberNo}:tx`)]);
    const round = await hub.deps.messageSender.sendDue();
    expect(round).toMatchObject({ sent: 5, suppressed: 1 });
    expect(await statusOf(`cap:${m.memberNo}:tx`)).toBe('sent');
    // The suppressed one kept its consent: next Monday 00:00 China time starts a new week.
    setChinaTime('2026-12-20T21:59'); // still Sunday of the same week
    await hub.deps.messages.enqueue([couponExpiring(m.id, `cap:${m.memberNo}:sun`)]);
    expect((await hub.deps.messageSender.sendDue()).suppressed).toBe(1);
    setChinaTime('2026-12-21T09:00');
    await hub.deps.messages.enqueue([couponExpiring(m.id, `cap:${m.memberNo}:next`)]);
    expect((await hub.deps.messageSender.sendDue()).sent).toBe(1);
    expect(await delivered(m.openid)).toHaveLength(6);
  });
});

describe('WeChat refusals', () => {
  it('43101: WeChat says the consent is used up; the hub sets its count to 0 and does not retry', async () => {
    setChinaTime('2026-12-22T10:00');
    const m = await newMember();
    // The hub thinks there are two; WeChat has none (consent given on another device, say).
    for (let i = 0; i < 2; i++)
      await request(hub.url, 'POST', MessagePaths.myConsents, {
        token: m.token,
        json: { scene: 'top_up', decisions: { [templates().points_changed]: 'accept' } },
      });
    await hub.deps.messages.enqueue([pointsEarned(m.id, `q0:${m.memberNo}`)]);
    expect((await hub.deps.messageSender.sendDue()).noQuota).toBe(1);
    const quota = await messageModels(hub.deps.conn).Quotas.findOne({ memberId: m.id }).lean();
    expect(quota?.quota).toBe(0);
    expect(await delivered(m.openid)).toHaveLength(0);
  });

  it('47003: a value breaking its rule fails the message, is logged as a bug, and gives the consent back', async () => {
    const m = await newMember();
    await consent(m, templates().points_changed);
    // Written around the catalog (which would have fitted it): a thing of 21 characters.
    await messageModels(hub.deps.conn).Outbox.create({
      dedupeKey: `bad:${m.memberNo}`,
      memberId: m.id,
      kind: 'points_earned',
      category: MessageKindInfo.points_earned.category,
      templateId: templates().points_changed,
      data: {
        thing1: '一二三四五六七八九十一二三四五六七八九十一',
        number2: '1',
        number3: '1',
        time4: '2026-12-22 10:00',
        phrase5: '增加',
      },
      page: null,
      notBefore: new Date(hub.clock.now()),
    });
    const round = await hub.deps.messageSender.sendDue();
    expect(round.failed).toBe(1);
    const row = await messageModels(hub.deps.conn)
      .Outbox.findOne({ dedupeKey: `bad:${m.memberNo}` })
      .lean();
    expect(row).toMatchObject({ status: 'failed', quotaSpent: false });
    expect(row?.error).toMatch(/^47003 /);
    expect((await messageModels(hub.deps.conn).Quotas.findOne({ memberId: m.id }).lean())?.quota).toBe(1);
  });

  it('retries -1 (system busy) with backoff and sends once WeChat is back', async () => {
    const m = await newMember();
    await consent(m, templates().points_changed);
    await sandbox('POST', '/__control/failures', { api: 'subscribe_send', errcode: -1, errmsg: 'system error' });
    await hub.deps.messages.enqueue([pointsEarned(m.id, `busy:${m.memberNo}`)]);
    expect((await hub.deps.messageSender.sendDue()).retried).toBe(1);
    const waiting = await messageModels(hub.deps.conn)
      .Outbox.findOne({ dedupeKey: `busy:${m.memberNo}` })
      .lean();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, quotaSpent: false });
    expect(waiting?.notBefore.getTime()).toBe(hub.clock.now() + 60_000);
    expect((await hub.deps.messageSender.sendDue()).sent).toBe(0); // not due yet
    hub.clock.advance(60_000);
    expect((await hub.deps.messageSender.sendDue()).sent).toBe(1);
    expect(await delivered(m.openid)).toHaveLength(1);
  });
});

describe('a sender killed after WeChat took the message', () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('is never sent again: the row becomes uncertain and the sandbox shows one message', async () => {
    const m = await newMember();
    await consent(m, templates().points_changed, 2);
    hub.clock.advance(Date.now() - hub.clock.now()); // the child runs on the real clock
    await hub.deps.messages.enqueue([pointsEarned(m.id, `crash:${m.memberNo}`)]);
    // WeChat takes the request in, then answers late: the child dies before it hears back.
    await sandbox('POST', '/__control/latency', { api: 'subscribe_send', ms: 1_500 });
    child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'fixtures/messages/sender.ts'), hub.databaseUri, hub.sandboxUrl ?? ''],
      { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (d) => {
        if (String(d).includes('sending')) setTimeout(resolve, 300); // the request is on the wire
      });
      child?.once('exit', (code) => reject(new Error(`sender exited ${code} early: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise<void>((r) =>
      child?.exitCode !== null || child?.signalCode ? r() : child?.once('exit', () => r()),
    );
    child = null;
    await new Promise((r) => setTimeout(r, 1_700)); // the sandbox finishes what it took in
    await sandbox('POST', '/__control/latency', { api: 'subscribe_send', ms: 0 });
    expect(await statusOf(`crash:${m.memberNo}`)).toBe('sending');
    expect(await delivered(m.openid)).toHaveLength(1);

    // This copy takes over once the dead sender's claim has run out, and does not send it again.
    expect((await hub.deps.messageSender.sendDue()).sent).toBe(0);
    hub.clock.advance(3 * 60_000);
    const round = await hub.deps.messageSender.sendDue();
    expect(round).toMatchObject({ sent: 0, uncertain: 1 });
    expect(await statusOf(`crash:${m.memberNo}`)).toBe('uncertain');
    expect(await delivered(m.openid)).toHaveLength(1);
  }, 30_000);
});

describe("the owner's outbox", () => {
  it('lists messages newest first with counts per status; members may not read it', async () => {
    const owner = await ownerToken(hub);
    const res = await request(hub.url, 'GET', `${MessagePaths.adminOutbox}?limit=5`, { token: owner });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    const total = await messageModels(hub.deps.conn).Outbox.countDocuments();
    expect(Object.values(res.body.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total);
    expect(res.body.counts.sent).toBeGreaterThanOrEqual(10);
    const next = await request(hub.url, 'GET', `${MessagePaths.adminOutbox}?limit=5&after=${res.body.next}`, {
      token: owner,
    });
    expect(next.body.items[0].id < res.body.items[4].id).toBe(true);
    const sent = await request(hub.url, 'GET', `${MessagePaths.adminOutbox}?status=sent&limit=100`, { token: owner });
    expect(sent.body.items.every((i: { status: string }) => i.status === 'sent')).toBe(true);
    expect((await request(hub.url, 'GET', `${MessagePaths.adminOutbox}?status=nope`, { token: owner })).status).toBe(
      400,
    );
    const m = await newMember();
    expect((await request(hub.url, 'GET', MessagePaths.adminOutbox, { token: m.token })).status).toBe(403);
  });
});
