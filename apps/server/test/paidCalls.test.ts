// 手机号快速验证 is billed per use: WeChat is asked only for a member without a phone, and every use is counted per
// China day in MongoDB (so all server copies add to one count), shown on the owner's dashboard with its cost.
import { IdentityPaths, PAID_CALL_DAYS, PaidCallPaths, PaidCallsSummary } from '@member-hub/shared';
import mongoose from 'mongoose';
import { paidCallModel } from '../src/modules/paidCalls/model';
import { PaidCallService } from '../src/modules/paidCalls/service';
import { bindPhone, memberLogin, ownerToken, phoneCode } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

/** Moves the hub's clock (and the sandbox's, which reads it) to `iso`. */
function setClock(iso: string): void {
  hub.clock.advance(Date.parse(iso) - hub.clock.now());
}

/** getuserphonenumber calls the sandbox answered, as its call log shows them. */
async function phoneCallsAtWechat(): Promise<number> {
  const res = await request(hub.sandboxUrl ?? '', 'GET', '/__control/calls?api=getuserphonenumber');
  return res.body.calls.length;
}

const countOn = async (day: string) =>
  (await paidCallModel(hub.deps.conn).findById(`getuserphonenumber:${day}`).lean())?.count ?? 0;

/** The dashboard's paid-call figures, read by the owner (signed in now: the tests move the clock by months). */
async function summary() {
  const res = await request(hub.url, 'GET', PaidCallPaths.summary, { token: await ownerToken(hub) });
  expect(res.status).toBe(200);
  return PaidCallsSummary.parse(res.body).apis[0];
}

describe('paid phone-number calls', () => {
  it('binding a phone asks WeChat once and counts one call; a member with a phone is refused before WeChat', async () => {
    setClock('2026-12-02T04:00:00Z'); // 12:00 China time
    const m = await memberLogin(hub, 'o-paid-first');
    const wechatBefore = await phoneCallsAtWechat();
    expect((await bindPhone(hub, m.token, '13900001001')).status).toBe(200);
    expect(await phoneCallsAtWechat()).toBe(wechatBefore + 1);
    expect(await countOn('2026-12-02')).toBe(1);

    // Tapping again (a fresh code from the phone) is refused without a paid call.
    const again = await request(hub.url, 'POST', IdentityPaths.myPhone, {
      token: m.token,
      json: { code: await phoneCode(hub, '13900001002') },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PHONE_ALREADY_BOUND', message: '已绑定手机号' });
    expect(await phoneCallsAtWechat()).toBe(wechatBefore + 1);
    expect(await countOn('2026-12-02')).toBe(1);

    const metrics = await (await fetch(new URL('/metrics', hub.url))).text();
    expect(metrics).toContain('wechat_paid_calls_total{api="getuserphonenumber"} 1');
    expect(metrics).toContain('wechat_paid_calls_cost_fen_total{api="getuserphonenumber"} 3');
  });

  it('a code WeChat refuses binds nothing and counts nothing', async () => {
    setClock('2026-12-02T05:00:00Z');
    const m = await memberLogin(hub, 'o-paid-bad-code');
    const res = await request(hub.url, 'POST', IdentityPaths.myPhone, { token: m.token, json: { code: 'made-up' } });
    expect(res.status).toBe(400);
    expect(await countOn('2026-12-02')).toBe(1);
  });

  it('counts on the China day of the call, across midnight and across a month end', async () => {
    setClock('2026-11-30T15:59:58Z'); // 23:59:58 on 30 Nov in China (still 30 Nov in UTC too)
    const late = await memberLogin(hub, 'o-paid-late');
    expect((await bindPhone(hub, late.token, '13900002001')).status).toBe(200);
    setClock('2026-11-30T16:00:01Z'); // 00:00:01 on 1 Dec in China, still 30 Nov in UTC
    const early = await memberLogin(hub, 'o-paid-early');
    expect((await bindPhone(hub, early.token, '13900002002')).status).toBe(200);
    expect(await countOn('2026-11-30')).toBe(1);
    expect(await countOn('2026-12-01')).toBe(1);
  });

  it('counts every call of every server copy when many land at once (one $inc each, no counter in memory)', async () => {
    setClock('2026-12-05T02:00:00Z');
    // Copy B has its own connection to the same database, as a second process would.
    const second = mongoose.createConnection(hub.databaseUri);
    await second.asPromise();
    try {
      const copyB = new PaidCallService(
        second,
        { getuserphonenumber: 3 },
        hub.deps.metrics,
        hub.deps.logger,
        hub.clock.now,
      );
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? copyB : hub.deps.paidCalls).record('getuserphonenumber')),
      );
    } finally {
      await second.close();
    }
    expect(await countOn('2026-12-05')).toBe(20);
  });

  it('the dashboard shows today, this month and the last 30 days with the estimated cost', async () => {
    setClock('2026-12-05T10:00:00Z'); // 18:00 on 5 Dec in China
    const m = await memberLogin(hub, 'o-paid-dashboard');
    expect((await bindPhone(hub, m.token, '13900003001')).status).toBe(200);

    const usage = await summary();
    expect(usage).toMatchObject({ api: 'getuserphonenumber', label: '手机号验证', priceFen: 3 });
    expect(usage?.today).toEqual({ day: '2026-12-05', count: 21, costFen: 63 });
    // December so far: 1 Dec (1), 2 Dec (1), 5 Dec (21); 30 Nov belongs to last month.
    expect(usage?.month).toEqual({ month: '2026-12', count: 23, costFen: 69 });
    expect(usage?.days).toHaveLength(PAID_CALL_DAYS);
    expect(usage?.days[0]?.day).toBe('2026-12-05');
    expect(usage?.days[PAID_CALL_DAYS - 1]?.day).toBe('2026-11-06');
    const on = (day: string) => usage?.days.find((d) => d.day === day);
    expect(on('2026-12-04')).toEqual({ day: '2026-12-04', count: 0, costFen: 0 });
    expect(on('2026-11-30')).toEqual({ day: '2026-11-30', count: 1, costFen: 3 });

    // Only the owner's analytics permission reads it.
    expect((await request(hub.url, 'GET', PaidCallPaths.summary, { token: m.token })).status).toBe(403);
  });

  it('a price change applies to later calls; past days keep the price they were counted at', async () => {
    // A copy started after the price went up to ¥0.05 counts into the same rows.
    const repriced = new PaidCallService(
      hub.deps.conn,
      { getuserphonenumber: 5 },
      hub.deps.metrics,
      hub.deps.logger,
      hub.clock.now,
    );
    setClock('2026-12-06T02:00:00Z');
    await repriced.record('getuserphonenumber');
    await repriced.record('getuserphonenumber');
    const usage = (await repriced.summary()).apis[0];
    expect(usage?.priceFen).toBe(5);
    expect(usage?.today).toEqual({ day: '2026-12-06', count: 2, costFen: 10 });
    expect(usage?.days.find((d) => d.day === '2026-12-05')).toEqual({ day: '2026-12-05', count: 21, costFen: 63 });
    expect(usage?.month).toEqual({ month: '2026-12', count: 25, costFen: 79 });
  });
});
