import { LoyaltyPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { reviewTiers } from '../src/jobs/reviewTiers';
import { memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
const DAY = 24 * 3600 * 1000;
const tierOf = async (id: string) =>
  (await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(id) }))?.tier;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

it('warns 30 days ahead once, then drops exactly one tier, or keeps it when the year earned enough', async () => {
  const owner = await ownerToken(hub);
  const idle = await memberLogin(hub, 'review-idle');
  await request(hub.url, 'POST', LoyaltyPaths.adminGrantTier(idle.memberId), {
    token: owner,
    json: { tier: '金卡', reason: '开业回馈' },
  });
  const busy = await memberLogin(hub, 'review-busy');
  const busyId = new Types.ObjectId(busy.memberId);
  await hub.deps.ledger.post({
    memberId: busyId,
    account: 'growth',
    amount: 1_200,
    reason: 'order',
    idempotencyKey: 'review-busy-growth',
  });
  await hub.deps.tiers.upgradeIfReached(busyId, await hub.deps.rules.get(), 'review-busy-up');
  expect(await tierOf(busy.memberId)).toBe('银卡');

  hub.clock.advance(300 * DAY);
  expect(await reviewTiers(hub.deps)).toMatchObject({ warned: 0, reviewed: 0 });
  hub.clock.advance(40 * DAY); // 25 days before the anniversary
  expect(await reviewTiers(hub.deps)).toMatchObject({ warned: 1, reviewed: 0 }); // only the idle member is short
  expect(await reviewTiers(hub.deps)).toMatchObject({ warned: 0 }); // once

  hub.clock.advance(26 * DAY); // past the anniversary
  expect(await reviewTiers(hub.deps)).toMatchObject({ reviewed: 2, kept: 1, dropped: 1 });
  expect(await tierOf(idle.memberId)).toBe('银卡'); // one tier down, not to the bottom
  expect(await tierOf(busy.memberId)).toBe('银卡');
  expect(await reviewTiers(hub.deps)).toMatchObject({ reviewed: 0, dropped: 0 }); // rerun: nothing twice
  const history = await hub.deps.conn
    .collection('tier_changes')
    .find({ memberId: new Types.ObjectId(idle.memberId), reason: 'review' })
    .toArray();
  expect(history).toEqual([expect.objectContaining({ from: '金卡', to: '银卡' })]);
});
