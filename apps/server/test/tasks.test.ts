import { DEFAULT_LOYALTY_RULES, LoyaltyPaths, MyTasks, PointsPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { bindPhone, memberLogin } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  hub = await startTestHub();
  // Noon in China, so "a day later" never crosses midnight by surprise.
  const noon = new Date(`${new Date(hub.clock.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)}T12:00:00+08:00`);
  hub.clock.advance(noon.getTime() - hub.clock.now() + DAY);
});
afterAll(async () => {
  await hub.stop();
});

const pointsOf = async (memberId: string) =>
  (await hub.deps.conn.collection('members').findOne({ _id: new Types.ObjectId(memberId) }))?.points;
const checkIn = (token: string) => request(hub.url, 'POST', LoyaltyPaths.myCheckIn, { token });

describe('tasks', () => {
  it('check-in pays once a day and a seven-day streak earns the bonus', async () => {
    const m = await memberLogin(hub, 'task-checkin');
    const [a, b] = await Promise.all([checkIn(m.token), checkIn(m.token)]);
    expect([a.body.already, b.body.already].sort()).toEqual([false, true]);
    expect(await pointsOf(m.memberId)).toBe(5);
    for (let day = 2; day <= 7; day++) {
      hub.clock.advance(DAY);
      const res = await checkIn(m.token);
      expect(res.body.streak).toBe(day);
      expect(res.body.bonus).toBe(day === 7 ? 20 : 0);
    }
    expect(await pointsOf(m.memberId)).toBe(7 * 5 + 20);
    hub.clock.advance(2 * DAY); // a missed day breaks the streak
    const again = await memberLogin(hub, 'task-checkin'); // a week on, the session token has expired
    expect((await checkIn(again.token)).body.streak).toBe(1);
    const status = MyTasks.parse((await request(hub.url, 'GET', LoyaltyPaths.myTasks, { token: again.token })).body);
    expect(status.checkIn).toMatchObject({ checkedInToday: true, streak: 1, bonusAtStreak: 7 });
  });

  it("shares count only when a friend opens them, at most three a day, never the sharer's own visit", async () => {
    const sharer = await memberLogin(hub, 'task-sharer');
    const visit = async (visitorToken: string, shareId: string) =>
      (await request(hub.url, 'POST', '/api/v1/share-visits', { token: visitorToken, json: { shareId } })).body
        .credited;
    const share = async () =>
      (await request(hub.url, 'POST', '/api/v1/me/shares', { token: sharer.token })).body.shareId as string;
    const first = await share();
    expect(await visit(sharer.token, first)).toBe(false); // opening one's own link
    const [friend, ...others] = await Promise.all(
      Array.from({ length: 5 }, (_, i) => memberLogin(hub, `task-friend-${i}`)),
    );
    if (!friend) throw new Error('no friend');
    expect(await visit(friend.token, first)).toBe(true);
    expect(await visit(friend.token, first)).toBe(false); // the same friend again
    for (const f of others) await visit(f.token, await share());
    expect(await pointsOf(sharer.memberId)).toBe(3 * 10);
    const history = await request(hub.url, 'GET', PointsPaths.myPointsHistory, { token: sharer.token });
    expect(history.body.items.every((e: { reason: string }) => e.reason === 'task')).toBe(true);
  });

  it('profile completion and phone binding pay once; the daily cap holds', async () => {
    const m = await memberLogin(hub, 'task-profile');
    const full = {
      nickname: '阿花',
      birthday: '1995-05-05',
      gender: 'female',
      region: { province: '上海市', city: '上海市', district: '徐汇区' },
    };
    await request(hub.url, 'PATCH', '/api/v1/me/profile', { token: m.token, json: full });
    await request(hub.url, 'PATCH', '/api/v1/me/profile', { token: m.token, json: { nickname: '阿花花' } });
    expect(await pointsOf(m.memberId)).toBe(50);
    await bindPhone(hub, m.token, '13600001234');
    expect(await pointsOf(m.memberId)).toBe(150);
    await checkIn(m.token);
    expect(await pointsOf(m.memberId)).toBe(155);
    const status = MyTasks.parse((await request(hub.url, 'GET', LoyaltyPaths.myTasks, { token: m.token })).body);
    expect(status).toMatchObject({ todayTaskPoints: 155, dailyCap: DEFAULT_LOYALTY_RULES.tasks.dailyCap });
    // Reviews (20 each): 175, 195, then one that would pass the 200 cap is refused whole.
    const id = new Types.ObjectId(m.memberId);
    await hub.deps.tasks.reviewed(id, 'order-x');
    await hub.deps.tasks.reviewed(id, 'order-y');
    await expect(hub.deps.tasks.reviewed(id, 'order-z')).rejects.toMatchObject({ code: 'TASK_DAILY_CAP' });
    expect(await pointsOf(m.memberId)).toBe(195);
    // A review of the same order again pays nothing more.
    expect((await hub.deps.tasks.reviewed(id, 'order-x'))?.replayed).toBe(true);
  });
});
