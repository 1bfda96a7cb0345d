import { PointsPaths, PointsSummary } from '@member-hub/shared';
import { Types } from 'mongoose';
import { expireDuePoints } from '../src/jobs/expireDuePoints';
import { chinaDate, dueBy, expiryDay, nextExpiry } from '../src/modules/points/expiry';
import { memberLogin } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

/** A moment in China time (UTC+8). */
const cst = (text: string) => new Date(`${text}+08:00`);

describe('expiry dates', () => {
  it('end of the month twelve months on, in China time, across month ends and leap years', () => {
    expect(expiryDay(cst('2026-01-15T12:00:00'), 12)).toBe('2027-01-31');
    expect(expiryDay(cst('2023-02-15T12:00:00'), 12)).toBe('2024-02-29'); // into a leap February
    expect(expiryDay(cst('2024-02-29T12:00:00'), 12)).toBe('2025-02-28'); // out of one
    expect(expiryDay(cst('2026-12-31T23:59:00'), 12)).toBe('2027-12-31');
    // 23:30 UTC on Nov 30 is already Dec 1 in China: the December rule applies.
    expect(expiryDay(new Date('2026-11-30T23:30:00Z'), 12)).toBe('2027-12-31');
    expect(chinaDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
  });

  it('spending takes the oldest points first', () => {
    const buckets = { '2027-01-31': 100, '2027-03-31': 50 };
    expect(dueBy(buckets, 30, '2027-01-31')).toBe(70);
    expect(dueBy(buckets, 130, '2027-01-31')).toBe(0);
    expect(dueBy(buckets, 130, '2027-03-31')).toBe(20);
    expect(nextExpiry(buckets, 30, '2026-12-01')).toEqual({ on: '2027-01-31', points: 70 });
    expect(nextExpiry(buckets, 100, '2026-12-01')).toEqual({ on: '2027-03-31', points: 50 });
    expect(nextExpiry(buckets, 150, '2026-12-01')).toBeNull();
  });
});

describe('the expiry job', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub.stop();
  });

  it('expires what is due, oldest first, and a second or concurrent run changes nothing', async () => {
    const m = await memberLogin(hub, 'expiry-member');
    const id = new Types.ObjectId(m.memberId);
    const earn = (amount: number, at: string, key: string) =>
      hub.deps.ledger.post({
        memberId: id,
        account: 'points',
        amount,
        reason: 'order',
        idempotencyKey: key,
        expiresOn: expiryDay(cst(at), 12),
      });
    await earn(100, '2026-01-15T12:00:00', 'exp-jan');
    await earn(50, '2026-03-10T12:00:00', 'exp-mar');
    await hub.deps.ledger.post({
      memberId: id,
      account: 'points',
      amount: -30,
      reason: 'spend',
      idempotencyKey: 'exp-spend',
    });

    const at = (text: string) => {
      hub.clock.advance(cst(text).getTime() - hub.clock.now());
    };
    at('2027-01-31T23:00:00'); // the last day: nothing is due yet
    expect((await expireDuePoints(hub.deps)).pointsExpired).toBe(0);
    const summary = PointsSummary.parse(
      (await request(hub.url, 'GET', PointsPaths.myPoints, { token: (await memberLogin(hub, 'expiry-member')).token }))
        .body,
    );
    expect(summary).toEqual({ points: 120, nextExpiry: { on: '2027-01-31', points: 70 } });

    at('2027-02-01T00:05:00');
    const [a, b] = await Promise.all([expireDuePoints(hub.deps), expireDuePoints(hub.deps)]);
    expect([a.ran, b.ran].filter(Boolean)).toHaveLength(1); // the lease lets one runner in
    expect(a.pointsExpired + b.pointsExpired).toBe(70);
    expect((await expireDuePoints(hub.deps)).pointsExpired).toBe(0); // run again: nothing more
    const member = await hub.deps.conn.collection('members').findOne({ _id: id });
    expect(member?.points).toBe(50);
    const sums = await hub.deps.ledger.verify(id);
    expect(sums.points.cached).toBe(sums.points.sum);

    at('2027-04-01T08:00:00');
    expect((await expireDuePoints(hub.deps)).pointsExpired).toBe(50);
    const expiries = await hub.deps.conn
      .collection('ledger_entries')
      .find({ memberId: id, reason: 'expiry' })
      .toArray();
    expect(expiries.map((e) => e.amount)).toEqual([-70, -50]);
  });
});
