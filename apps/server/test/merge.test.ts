import { IdentityPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { MERGE_STEPS, type MergeStep } from '../src/flows/mergeMembers';
import { registerMemberOwned } from '../src/lib/memberOwned';
import type { Actor } from '../src/modules/audit/model';
import { bindPhone, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
const actor: Actor = { kind: 'owner', id: 'test-owner', name: 'owner' };
const db = () => hub.deps.conn.collection('members');

// Stand-in for the coupons module (issue 8): any registered member-owned collection must follow the merge.
registerMemberOwned({ collection: 'test_member_coupons', field: 'memberId' });

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

async function pairWithValue(tag: string) {
  const source = await memberLogin(hub, `merge-src-${tag}`);
  const target = await memberLogin(hub, `merge-dst-${tag}`);
  await bindPhone(hub, source.token, `1350000${String(1000 + Number(tag)).slice(-4)}`);
  const post = (m: string, account: 'points' | 'growth' | 'walletPrincipal' | 'walletBonus', amount: number) =>
    hub.deps.ledger.post({
      memberId: new Types.ObjectId(m),
      account,
      amount,
      reason: 'adjustment',
      idempotencyKey: `seed:${tag}:${m}:${account}`,
    });
  await post(source.memberId, 'points', 300);
  await post(source.memberId, 'growth', 120);
  await post(source.memberId, 'walletPrincipal', 5_000);
  await post(source.memberId, 'walletBonus', 500);
  await post(target.memberId, 'points', 1_000);
  await post(target.memberId, 'walletPrincipal', 2_500);
  await hub.deps.conn.collection('test_member_coupons').insertMany([
    { memberId: new Types.ObjectId(source.memberId), title: '满100减20', tag },
    { memberId: new Types.ObjectId(source.memberId), title: '生日券', tag },
  ]);
  return {
    source,
    target,
    sourceId: new Types.ObjectId(source.memberId),
    targetId: new Types.ObjectId(target.memberId),
  };
}

async function expectMergedState(p: Awaited<ReturnType<typeof pairWithValue>>, tag: string) {
  const [source, target] = await Promise.all([db().findOne({ _id: p.sourceId }), db().findOne({ _id: p.targetId })]);
  expect(source).toMatchObject({
    status: 'merged',
    points: 0,
    growth: 0,
    walletPrincipalFen: 0,
    walletBonusFen: 0,
    identityKeys: [`retired:${p.source.memberId}`],
    phone: null,
  });
  expect(source?.mergedInto?.toHexString()).toBe(p.target.memberId);
  // 1,000 of its own + 300 seeded on the source + 100 the source earned for binding its phone.
  expect(target).toMatchObject({
    status: 'active',
    points: 1_400,
    growth: 120,
    walletPrincipalFen: 7_500,
    walletBonusFen: 500,
  });
  expect(target?.identityKeys).toEqual(
    expect.arrayContaining([`wx:${hub.config.wechat.appid}:merge-src-${tag}`, expect.stringMatching(/^phone:/)]),
  );
  expect(target?.phone).not.toBeNull(); // the survivor had no phone: it takes the source's
  // Ledgers: balances equal their entries, and each transfer happened exactly once.
  for (const id of [p.sourceId, p.targetId]) {
    for (const { cached, sum } of Object.values(await hub.deps.ledger.verify(id))) expect(cached).toBe(sum);
  }
  const transfers = await hub.deps.conn
    .collection('ledger_entries')
    .countDocuments({ reason: 'merge', memberId: { $in: [p.sourceId, p.targetId] } });
  // Out: points, growth, principal, bonus. In: the same, with points split in two: the 100 phone-binding points
  // keep their expiry day, the 300 adjusted (no expiry) arrive without one.
  expect(transfers).toBe(9);
  const [phoneBucket] = Object.entries(source?.pointsByExpiry ?? {});
  expect(phoneBucket?.[1]).toBe(100);
  expect(target?.pointsByExpiry?.[phoneBucket?.[0] ?? '']).toBe(100);
  expect(await hub.deps.conn.collection('test_member_coupons').countDocuments({ tag, memberId: p.targetId })).toBe(2);
  const audits = await hub.deps.conn
    .collection('audit_log')
    .countDocuments({ action: 'member.merge', memberId: p.targetId });
  expect(audits).toBe(1);
}

describe('merging two members', () => {
  it('moves identities, points, growth, stored value and owned records to the survivor, once', async () => {
    const p = await pairWithValue('1');
    await hub.deps.merge.run({ sourceId: p.sourceId, targetId: p.targetId, reason: '同一顾客两个账号', actor });
    await expectMergedState(p, '1');
    // Running it again changes nothing.
    await hub.deps.merge.run({ sourceId: p.sourceId, targetId: p.targetId, reason: '重复提交', actor });
    await expectMergedState(p, '1');
  });

  it.each(MERGE_STEPS.map((step, i) => [step, i + 2] as const))(
    'crashing right after "%s" and running again ends in the same state',
    async (crashStep: MergeStep, n: number) => {
      const tag = String(n);
      const p = await pairWithValue(tag);
      const crash = (step: MergeStep) => {
        if (step === crashStep) throw new Error(`simulated crash after ${step}`);
      };
      await expect(
        hub.deps.merge.run(
          { sourceId: p.sourceId, targetId: p.targetId, reason: 'crash test', actor },
          { afterStep: crash },
        ),
      ).rejects.toThrow('simulated crash');
      await hub.deps.merge.run({ sourceId: p.sourceId, targetId: p.targetId, reason: 'crash test', actor });
      await expectMergedState(p, tag);
    },
  );

  it('refuses value for a member while it is being merged', async () => {
    const a = await memberLogin(hub, 'merge-locked-a');
    const b = await memberLogin(hub, 'merge-locked-b');
    const lockOnly = (step: MergeStep) => {
      if (step === 'lockSource') throw new Error('stop here');
    };
    await expect(
      hub.deps.merge.run(
        { sourceId: new Types.ObjectId(a.memberId), targetId: new Types.ObjectId(b.memberId), reason: 'x', actor },
        { afterStep: lockOnly },
      ),
    ).rejects.toThrow();
    await expect(
      hub.deps.ledger.post({
        memberId: new Types.ObjectId(a.memberId),
        account: 'points',
        amount: 10,
        reason: 'task',
        idempotencyKey: 'late-points',
      }),
    ).rejects.toMatchObject({ code: 'MEMBER_MERGED' });
  });

  it('owners merge through the admin API; the merged id then shows where it went', async () => {
    const owner = await ownerToken(hub);
    const a = await memberLogin(hub, 'merge-api-a');
    const b = await memberLogin(hub, 'merge-api-b');
    const body = { sourceMemberId: a.memberId, targetMemberId: b.memberId, reason: '顾客申请合并' };
    const res = await request(hub.url, 'POST', IdentityPaths.adminMerges, { token: owner, json: body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ survivorId: b.memberId, mergedId: a.memberId, state: 'done' });
    const replay = await request(hub.url, 'POST', IdentityPaths.adminMerges, { token: owner, json: body });
    expect(replay.body).toEqual(res.body);

    const detail = await request(hub.url, 'GET', IdentityPaths.adminMember(a.memberId), { token: owner });
    expect(detail.body).toMatchObject({ status: 'merged', mergedInto: b.memberId });
    // The merged member's own session follows the survivor.
    expect((await request(hub.url, 'GET', IdentityPaths.myCard, { token: a.token })).body.memberId).toBe(b.memberId);
  });

  it('refuses impossible merges with MERGE_INVALID and changes nothing', async () => {
    const owner = await ownerToken(hub);
    const a = await memberLogin(hub, 'merge-bad-a');
    const b = await memberLogin(hub, 'merge-bad-b');
    const c = await memberLogin(hub, 'merge-bad-c');
    const merge = (s: string, t: string) =>
      request(hub.url, 'POST', IdentityPaths.adminMerges, {
        token: owner,
        json: { sourceMemberId: s, targetMemberId: t, reason: '测试合并' },
      });
    expect((await merge(a.memberId, a.memberId)).body.error.code).toBe('MERGE_INVALID');
    expect((await merge(a.memberId, b.memberId)).status).toBe(200);
    expect((await merge(c.memberId, a.memberId)).body.error.code).toBe('MERGE_INVALID'); // a is merged
    expect((await merge(a.memberId, c.memberId)).body.error.code).toBe('MERGE_INVALID'); // already went to b
    expect((await merge('0123456789abcdef01234567', b.memberId)).status).toBe(404);
    expect(await db().countDocuments({ _id: new Types.ObjectId(c.memberId), status: 'active' })).toBe(1);
  });
});
