// RFM classes and churn warnings on generated data with known answers: members and orders go straight into the
// engine with the driver, the job runs on the hub's clock, and the owner reads the results over HTTP.
import {
  ChurnPage,
  IdentityPaths,
  RfmMemberPage,
  RfmPaths,
  RfmRecomputeResult,
  RfmSettings,
  RfmSummary,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { rfmDaily } from '../src/jobs/rfmDaily';
import { DAY_MS } from '../src/modules/rfm/scoring';
import { createStaff, createStore, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let cashier: string;
const cashierLogin = { username: 'rfm-cashier', password: 'staff-password-1' };

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  const store = await createStore(hub, owner, 'RFM');
  await createStaff(hub, owner, store, cashierLogin.username);
});
afterAll(async () => {
  await hub.stop();
});

const db = () => {
  const d = hub.deps.conn.db;
  if (!d) throw new Error('not connected');
  return d;
};

let memberSeq = 0;
let orderSeq = 0;

/** Every test starts from no members, no orders, no runs and default settings. */
beforeEach(async () => {
  for (const name of ['members', 'orders', 'member_rfm', 'rfm_runs']) await db().collection(name).deleteMany({});
  await db()
    .collection<{ _id: string }>('settings')
    .deleteMany({ _id: { $in: ['rfm', 'rfmCurrentRun'] } });
  // Some tests move the clock by days: sessions are renewed so they stay valid.
  owner = await ownerToken(hub);
  cashier = (await request(hub.url, 'POST', IdentityPaths.staffLogin, { json: cashierLogin })).body.token;
});

async function member(nickname: string, status = 'active'): Promise<{ id: Types.ObjectId; memberNo: string }> {
  const n = ++memberSeq;
  const id = new Types.ObjectId();
  const memberNo = String(40_000_000 + n);
  await db()
    .collection('members')
    .insertOne({
      _id: id,
      memberNo,
      status,
      nickname,
      identityKeys: [`ext:rfm-test:${n}`],
      phone: { masked: '138****0000' },
      tier: '普通会员',
      points: 0,
      createdAt: new Date(hub.clock.now()),
    });
  return { id, memberNo };
}

interface OrderSpec {
  daysAgo: number;
  paidFen: number;
  refundedFen?: number;
  status?: 'pending' | 'paid' | 'partially_refunded' | 'refunded';
  /** Extra ms added to the moment (for edges). */
  plusMs?: number;
}

async function orders(memberId: Types.ObjectId, specs: OrderSpec[]): Promise<void> {
  await db()
    .collection('orders')
    .insertMany(
      specs.map((s) => {
        const n = ++orderSeq;
        const refundedFen = s.refundedFen ?? 0;
        return {
          _id: new Types.ObjectId(),
          source: 'till',
          externalId: `rfm-${n}`,
          requestHash: 'x',
          memberId,
          storeId: null,
          staffId: null,
          amountFen: s.paidFen,
          paidFen: s.paidFen,
          refundedFen,
          status: s.status ?? (refundedFen > 0 ? 'partially_refunded' : 'paid'),
          items: [],
          createdAt: new Date(hub.clock.now() - s.daysAgo * DAY_MS + (s.plusMs ?? 0)),
        };
      }),
    );
}

/** `count` orders, the last `lastDaysAgo` days ago, one every `gapDays`, `spendFen` spread over them. */
async function history(memberId: Types.ObjectId, count: number, lastDaysAgo: number, spendFen: number, gapDays = 3) {
  const each = Math.floor(spendFen / count);
  await orders(
    memberId,
    Array.from({ length: count }, (_, k) => ({
      daysAgo: lastDaysAgo + k * gapDays,
      paidFen: k === 0 ? spendFen - each * (count - 1) : each,
    })),
  );
}

const get = (path: string, token = owner) => request(hub.url, 'GET', path, { token });
const run = () => rfmDaily(hub.deps);

async function rows(query = 'pageSize=100') {
  const res = await get(`${RfmPaths.members}?${query}`);
  expect(res.status).toBe(200);
  return RfmMemberPage.parse(res.body);
}
const byNo = (page: RfmMemberPage) => new Map(page.items.map((i) => [i.memberNo, i]));

describe('the eight classes', () => {
  it('puts each member in the class their quintile scores give, with counts and spend per class', async () => {
    // Ten buyers, two per level on each metric (so scores are exactly the levels): R level -> days since the
    // last order, F level -> orders, M level -> spend. Levels 3-5 are high, 1-2 low.
    const R = { 5: 1, 4: 10, 3: 30, 2: 90, 1: 200 } as const;
    const F = { 5: 6, 4: 4, 3: 3, 2: 2, 1: 1 } as const;
    const M = { 5: 80_000, 4: 40_000, 3: 20_000, 2: 10_000, 1: 5_000 } as const;
    type L = 1 | 2 | 3 | 4 | 5;
    const plan: [string, L, L, L][] = [
      ['important_value', 5, 5, 5],
      ['important_retain', 2, 4, 4],
      ['important_develop', 4, 2, 5],
      ['important_winback', 1, 1, 3],
      ['general_value', 3, 3, 2],
      ['general_retain', 2, 3, 2],
      ['general_develop', 3, 2, 1],
      ['general_winback', 1, 1, 1],
      // Two more buyers fill the remaining high slots of every metric.
      ['important_value', 5, 4, 4],
      ['important_value', 4, 5, 3],
    ];
    const expected = new Map<string, { cls: string; r: L; f: L; m: L }>();
    for (const [cls, r, f, m] of plan) {
      const mem = await member(`会员-${cls}`);
      await history(mem.id, F[f], R[r], M[m]);
      expected.set(mem.memberNo, { cls, r, f, m });
    }
    const idle = await member('没来过');
    const gone = await member('已注销', 'deleted');
    await history(gone.id, 5, 1, 999_999);

    const result = await run();
    expect(result).toMatchObject({ ran: true, members: 11, buyers: 10 });

    const page = await rows();
    expect(page.total).toBe(11);
    const got = byNo(page);
    for (const [no, want] of expected) {
      expect({ no, ...got.get(no) }).toMatchObject({ no, class: want.cls, r: want.r, f: want.f, m: want.m });
    }
    expect(got.get(idle.memberNo)).toMatchObject({ class: 'none', r: null, f: null, m: null, orders: 0, spendFen: 0 });
    expect(got.has(gone.memberNo)).toBe(false);
    // No phone in any row, masked or not.
    expect(JSON.stringify(page)).not.toMatch(/phone|138/);

    const summary = RfmSummary.parse((await get(RfmPaths.summary)).body);
    const counts = Object.fromEntries(summary.classes.map((c) => [c.class, c.members]));
    expect(counts).toEqual({
      important_value: 3,
      important_retain: 1,
      important_develop: 1,
      important_winback: 1,
      general_value: 1,
      general_retain: 1,
      general_develop: 1,
      general_winback: 1,
      none: 1,
    });
    const total = 80_000 + 40_000 + 80_000 + 20_000 + 10_000 + 10_000 + 5_000 + 5_000 + 40_000 + 20_000;
    expect(summary.totalSpendFen).toBe(total);
    const value = summary.classes.find((c) => c.class === 'important_value');
    expect(value).toMatchObject({ name: '重要价值', spendFen: 140_000, memberShareBp: 2_727 });
    expect(value?.spendShareBp).toBe(Math.floor((140_000 * 10_000) / total));
    expect(summary.run?.boundaries).toEqual({
      // The second of each pair of levels 1-4: a value on a boundary scores that boundary's quintile.
      recencyDays: [200, 90, 30, 10],
      orders: [1, 2, 3, 4],
      monetaryFen: [5_000, 10_000, 20_000, 40_000],
    });
    expect(summary.running).toBe(false);

    // The class filter, and sorting (ties broken by member number).
    const develop = await rows('class=important_develop');
    expect(develop.items.map((i) => i.class)).toEqual(['important_develop']);
    const bySpend = await rows('sort=spend&order=desc&pageSize=3');
    expect(bySpend.items.map((i) => i.spendFen)).toEqual([80_000, 80_000, 40_000]);
    expect((bySpend.items[0]?.memberNo ?? '') < (bySpend.items[1]?.memberNo ?? '')).toBe(true);
    const page2 = await rows('sort=orders&order=asc&pageSize=4&page=2');
    expect(page2).toMatchObject({ total: 11, page: 2, pageSize: 4 });
    // 0, 1, 1, 2 | 2, 3, 3, 4 | 4, 6, 6
    expect(page2.items.map((i) => i.orders)).toEqual([2, 3, 3, 4]);
    const last = await rows('sort=lastVisit&order=desc&pageSize=1');
    expect(last.items[0]?.recencyDays).toBe(1);
  });
});

describe('quintile boundaries and ties', () => {
  it('scores on the boundary low and just past it high; equal values share a score', async () => {
    // Five buyers spending 100..500: P20..P80 = 100, 200, 300, 400; 300 exactly is score 3 (high), 200 is 2.
    // Frequencies 1, 1, 1, 1, 2: the ones tie at score 1, the two alone scores 5.
    const ms: Types.ObjectId[] = [];
    const spends = [10_000, 20_000, 30_000, 40_000, 50_000];
    for (const [k, spend] of spends.entries()) {
      const m = await member(`边界${k}`);
      ms.push(m.id);
      if (k === 4) await history(m.id, 2, 5, spend);
      else await orders(m.id, [{ daysAgo: 5, paidFen: spend }]);
    }
    await run();
    const page = await rows('sort=spend&order=asc');
    expect(page.items.map((i) => i.m)).toEqual([1, 2, 3, 4, 5]);
    expect(page.items.map((i) => i.f)).toEqual([1, 1, 1, 1, 5]);
    // Same last-order day for all: all R tie at 1 (nobody is more recent than anybody) -> low.
    expect(page.items.map((i) => i.r)).toEqual([1, 1, 1, 1, 1]);
    expect(page.items.map((i) => i.class)).toEqual([
      'general_winback',
      'general_winback',
      'important_winback',
      'important_winback',
      'important_retain',
    ]);
  });
});

describe('window, refunds and statuses', () => {
  it('counts an order exactly windowDays old, not one a millisecond older, and follows the window setting', async () => {
    const edge = await member('窗口边缘');
    const outside = await member('窗口外');
    await orders(edge.id, [{ daysAgo: 365, paidFen: 1_000 }]);
    await orders(outside.id, [{ daysAgo: 365, plusMs: -1, paidFen: 1_000 }]);
    await run();
    let got = byNo(await rows());
    expect(got.get(edge.memberNo)).toMatchObject({ orders: 1, spendFen: 1_000, recencyDays: 365 });
    expect(got.get(outside.memberNo)).toMatchObject({ class: 'none', orders: 0 });

    const put = await request(hub.url, 'PUT', RfmPaths.settings, {
      token: owner,
      json: { windowDays: 30, churnFactorBp: 20_000, churnMinOrders: 2 },
    });
    expect(put.status).toBe(200);
    await run();
    got = byNo(await rows());
    expect(got.get(edge.memberNo)).toMatchObject({ class: 'none', orders: 0 });
    const summary = RfmSummary.parse((await get(RfmPaths.summary)).body);
    expect(summary.run?.settings.windowDays).toBe(30);
  });

  it('takes refunds off monetary; pending and fully refunded orders do not count', async () => {
    const m = await member('退款');
    await orders(m.id, [
      { daysAgo: 10, paidFen: 10_000, refundedFen: 3_000 },
      { daysAgo: 20, paidFen: 5_000 },
      { daysAgo: 2, paidFen: 8_000, status: 'pending' },
      { daysAgo: 1, paidFen: 4_000, refundedFen: 4_000, status: 'refunded' },
    ]);
    await run();
    expect(byNo(await rows()).get(m.memberNo)).toMatchObject({ orders: 2, spendFen: 12_000, recencyDays: 10 });
  });
});

describe('churn warnings', () => {
  it('lists members past factor x their mean gap, the most valuable first, and follows the factor', async () => {
    // Gap 10 days for all three-order members.
    const atTwice = await member('刚好两倍'); // last 20 days ago: exactly 2.0x, not yet
    await orders(
      atTwice.id,
      [40, 30, 20].map((d) => ({ daysAgo: d, paidFen: 10_000 })),
    );
    const past = await member('超过两倍'); // 21 days: 2.1x
    await orders(
      past.id,
      [41, 31, 21].map((d) => ({ daysAgo: d, paidFen: 20_000 })),
    );
    const valuable = await member('高价值流失'); // 80 days: 8x, and spends most
    await orders(
      valuable.id,
      [100, 90, 80].map((d) => ({ daysAgo: d, paidFen: 50_000 })),
    );
    const once = await member('只来过一次'); // one order: no baseline, never warned
    await orders(once.id, [{ daysAgo: 300, paidFen: 90_000 }]);
    const twice = await member('两单'); // two orders, gap 10, 50 days since: warned unless minOrders > 2
    await orders(
      twice.id,
      [60, 50].map((d) => ({ daysAgo: d, paidFen: 1_000 })),
    );

    await run();
    let churn = ChurnPage.parse((await get(RfmPaths.churn)).body);
    expect(churn.items.map((i) => i.memberNo)).toEqual([valuable.memberNo, past.memberNo, twice.memberNo]);
    expect(churn.items[0]).toMatchObject({
      daysSinceLastVisit: 80,
      typicalGapDays: 10,
      factorBp: 20_000,
      overdueBp: 80_000,
      orders: 3,
      valueFen: 150_000,
      nickname: '高价值流失',
    });
    expect(churn.items[1]).toMatchObject({ daysSinceLastVisit: 21, overdueBp: 21_000, valueFen: 60_000 });
    expect(churn.total).toBe(3);
    expect(JSON.stringify(churn)).not.toMatch(/phone|138/);
    const flags = byNo(await rows());
    expect(flags.get(atTwice.memberNo)?.churn).toBe(false);
    expect(flags.get(past.memberNo)?.churn).toBe(true);

    // Factor 2.5x and three orders minimum: only the 8x member remains.
    await request(hub.url, 'PUT', RfmPaths.settings, {
      token: owner,
      json: { windowDays: 365, churnFactorBp: 25_000, churnMinOrders: 3 },
    });
    await run();
    churn = ChurnPage.parse((await get(RfmPaths.churn)).body);
    expect(churn.items.map((i) => i.memberNo)).toEqual([valuable.memberNo]);
    expect(churn.items[0]?.factorBp).toBe(25_000);

    // Time moves on: 5 days and a millisecond later even the exactly-2.0x member of before is past 2.5x
    // (25 days / 10), and two orders are enough again; pages go by value.
    await request(hub.url, 'PUT', RfmPaths.settings, { token: owner, json: { churnFactorBp: 25_000 } });
    hub.clock.advance(5 * DAY_MS + 1);
    owner = await ownerToken(hub);
    await run();
    churn = ChurnPage.parse((await get(`${RfmPaths.churn}?pageSize=1&page=2`)).body);
    expect(churn).toMatchObject({ total: 4, page: 2, pageSize: 1 });
    expect(churn.items.map((i) => i.memberNo)).toEqual([past.memberNo]);
    churn = ChurnPage.parse((await get(`${RfmPaths.churn}?pageSize=2&page=2`)).body);
    expect(churn.items.map((i) => i.memberNo)).toEqual([atTwice.memberNo, twice.memberNo]);
  });
});

describe('runs', () => {
  it('is idempotent: a second run gives the same snapshot and leaves one row per member', async () => {
    for (let k = 0; k < 12; k++) {
      const m = await member(`重复${k}`);
      if (k % 3) await history(m.id, 1 + (k % 4), 2 + k * 7, 1_000 * (k + 1), 4);
    }
    const first = await run();
    const a = await rows('sort=memberNo&order=asc');
    const second = await run();
    const b = await rows('sort=memberNo&order=asc');
    expect(second.runId).not.toBe(first.runId);
    expect(b.runId).toBe(second.runId);
    expect(b.items).toEqual(a.items);
    expect(await db().collection('member_rfm').countDocuments()).toBe(12);
    const [s1, s2] = [first, second].map(({ runId: _r, ...rest }) => rest);
    expect(s2).toEqual(s1);
  });

  it('does not run twice at once: a held lease makes the second runner step aside', async () => {
    await member('并发');
    const [x, y] = await Promise.all([run(), run()]);
    expect([x.ran, y.ran].sort()).toEqual([false, true]);
    expect(await db().collection('member_rfm').countDocuments()).toBe(1);
  });

  it('recomputes on demand for the owner (202), the summary showing the new run', async () => {
    const m = await member('按需');
    await orders(m.id, [{ daysAgo: 3, paidFen: 2_000 }]);
    const res = await request(hub.url, 'POST', RfmPaths.recompute, { token: owner });
    expect(res.status).toBe(202);
    expect(RfmRecomputeResult.parse(res.body)).toEqual({ started: true, alreadyRunning: false });
    let summary = RfmSummary.parse((await get(RfmPaths.summary)).body);
    for (let i = 0; i < 100 && (summary.running || !summary.run); i++) {
      await new Promise((r) => setTimeout(r, 20));
      summary = RfmSummary.parse((await get(RfmPaths.summary)).body);
    }
    expect(summary.run?.members).toBe(1);
    expect(summary.classes.reduce((n, c) => n + c.members, 0)).toBe(1);
  });

  it('answers empty before the first run', async () => {
    const summary = RfmSummary.parse((await get(RfmPaths.summary)).body);
    expect(summary.run).toBeNull();
    expect(summary.classes).toHaveLength(9);
    expect((await rows()).items).toEqual([]);
    expect(ChurnPage.parse((await get(RfmPaths.churn)).body).total).toBe(0);
  });
});

describe('access and bad input', () => {
  it('is the owner’s: staff get 403, nobody gets 401', async () => {
    for (const path of [RfmPaths.summary, RfmPaths.members, RfmPaths.churn, RfmPaths.settings]) {
      expect((await get(path, cashier)).status).toBe(403);
      expect((await request(hub.url, 'GET', path)).status).toBe(401);
    }
    const put = await request(hub.url, 'PUT', RfmPaths.settings, { token: cashier, json: { windowDays: 90 } });
    expect(put.status).toBe(403);
    expect((await request(hub.url, 'POST', RfmPaths.recompute, { token: cashier })).status).toBe(403);
  });

  it('refuses bad queries and settings with 400 in the one error shape', async () => {
    for (const q of ['class=vip', 'pageSize=1000', 'page=0', 'sort=phone', 'order=up', 'extra=1']) {
      const res = await get(`${RfmPaths.members}?${q}`);
      expect({ q, status: res.status, code: res.body.error?.code }).toEqual({
        q,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect((await get(`${RfmPaths.churn}?pageSize=-1`)).status).toBe(400);
    for (const json of [
      { windowDays: 10 },
      { churnFactorBp: 1.5 },
      { churnFactorBp: 5_000 },
      { churnMinOrders: 1 },
      { windowDays: '365' },
      { factor: 2 },
    ]) {
      const res = await request(hub.url, 'PUT', RfmPaths.settings, { token: owner, json });
      expect({ json, status: res.status, code: res.body.error?.code }).toEqual({
        json,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    // A partial PUT fills the rest with defaults; GET gives it back.
    const ok = await request(hub.url, 'PUT', RfmPaths.settings, { token: owner, json: { windowDays: 180 } });
    expect(ok.status).toBe(200);
    expect(RfmSettings.parse((await get(RfmPaths.settings)).body)).toEqual({
      windowDays: 180,
      churnFactorBp: 20_000,
      churnMinOrders: 2,
    });
  });
});
