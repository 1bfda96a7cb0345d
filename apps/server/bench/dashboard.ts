// Issue 9 benchmark: the owner's dashboard over a year of daily rollups (brand-wide and 20 stores, for 1,000,000
// members' worth of activity) through the HTTP API against reading the same rollup documents with the driver; and
// the daily rollup job over 1,000,000 members with a month of orders and ledger entries (time, peak memory).
import { spawn } from 'node:child_process';
import { ApiPaths, DashboardPaths, TierNames } from '@member-hub/shared';
import { Types } from 'mongoose';
import { rollupDaily } from '../src/jobs/rollupDaily';
import { createLogger } from '../src/logger';
import { addDays, daysBetween } from '../src/modules/dashboard/days';
import type { DailyRollup } from '../src/modules/dashboard/model';
import { startHub } from '../src/runtime';
import { benchConfig, startEngine } from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const ORDERS_PER_DAY = Number(process.env.BENCH_ORDERS_PER_DAY ?? 5_000);
const STORES = 20;
const YEAR = { from: '2026-01-01', to: '2026-12-31' };
// The job runs just after midnight on 2027-01-01 and rolls up 2026-12-31.
const NOW = new Date('2027-01-01T00:30:00+08:00').getTime();
const DAY = '2026-12-31';
const ROUNDS = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const at = (day: string, secondOfDay: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + secondOfDay * 1000);

async function main(): Promise<void> {
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
  const hub = await startHub({ config, logger: createLogger('silent'), now: () => NOW });
  try {
    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');
    const stores = Array.from({ length: STORES }, () => new Types.ObjectId());

    // ---- 1. The dashboard over a year of rollups ----
    const docs = yearOfRollups(stores);
    await db.collection<DailyRollup>('daily_rollups').insertMany(docs);
    const login = await fetch(new URL(ApiPaths.ownerLogin, hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'owner', password: 'owner123456' }),
    });
    const { token } = (await login.json()) as { token: string };
    const api = async (query: string) => {
      const started = performance.now();
      const res = await fetch(new URL(`${DashboardPaths.dashboard}?${query}`, hub.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`dashboard ${res.status}: ${await res.text()}`);
      await res.json();
      return performance.now() - started;
    };
    const direct = async (store: string) => {
      const started = performance.now();
      await db
        .collection('daily_rollups')
        .find({ store, day: { $gte: YEAR.from, $lte: YEAR.to } })
        .toArray();
      return performance.now() - started;
    };
    const brandQuery = `from=${YEAR.from}&to=${YEAR.to}`;
    const storeQuery = `${brandQuery}&storeId=${stores[0]?.toHexString()}`;
    // The first request takes the balances snapshot (no job has run yet); warm both paths up once.
    await api(brandQuery);
    await direct('all');
    const apiMs: number[] = [];
    const apiStoreMs: number[] = [];
    const directMs: number[] = [];
    const directStoreMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      apiMs.push(await api(brandQuery));
      directMs.push(await direct('all'));
      apiStoreMs.push(await api(storeQuery));
      // The store view reads the store's documents and the brand-wide ones.
      directStoreMs.push((await direct(stores[0]?.toHexString() ?? '')) + (await direct('all')));
    }
    console.log(
      `dashboard over a year (${docs.length.toLocaleString('en')} rollup documents: ${docs.length / (STORES + 1)} days x (brand + ${STORES} stores)), median of ${ROUNDS}:`,
    );
    console.log(
      `  brand-wide: API ${median(apiMs).toFixed(1)} ms vs driver find ${median(directMs).toFixed(1)} ms (ratio ${(median(apiMs) / median(directMs)).toFixed(2)}x; goal < 1000 ms)`,
    );
    console.log(
      `  one store:  API ${median(apiStoreMs).toFixed(1)} ms vs driver find ${median(directStoreMs).toFixed(1)} ms (ratio ${(median(apiStoreMs) / median(directStoreMs)).toFixed(2)}x)`,
    );

    // ---- 2. The daily rollup job over 1,000,000 members ----
    // Seeded by a separate process, so the peak memory below is the job's own.
    const seedStarted = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', __filename, 'seed', config.database.uri ?? '', stores.map(String).join(',')],
        { stdio: 'inherit' },
      );
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding exited ${code}`))));
    });
    const counts = await Promise.all(
      ['members', 'orders', 'ledger_entries', 'coupons', 'top_ups', 'tier_changes', 'store_sales'].map(
        async (c) => `${(await db.collection(c).estimatedDocumentCount()).toLocaleString('en')} ${c}`,
      ),
    );
    console.log(`seeded ${counts.join(', ')} in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    await db.collection('daily_rollups').deleteMany({ day: DAY });
    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    const baseRss = peakRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    const started = performance.now();
    const run = await rollupDaily(hub.deps);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const all = await db.collection<DailyRollup>('daily_rollups').findOne({ _id: `${DAY}:all` });
    console.log(
      `rollup job for ${DAY}: ${run.documents} documents (brand + stores) in ${seconds.toFixed(1)} s, incl. the balances snapshot over ${MEMBERS.toLocaleString('en')} members; active members (30 days) ${all?.activeMembers.toLocaleString('en')}, repeat ${all?.repeatMembers.toLocaleString('en')}, new ${all?.newMembers}`,
    );
    console.log(
      `peak RSS of the job process ${Math.round(peakRss / 1048576)} MB (${Math.round(baseRss / 1048576)} MB before it; goal < 400 MB)`,
    );
    const again = await rollupDaily(hub.deps);
    const same = await db.collection<DailyRollup>('daily_rollups').findOne({ _id: `${DAY}:all` });
    console.log(`second run: ${again.documents} documents, identical: ${JSON.stringify(same) === JSON.stringify(all)}`);
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

/** A year of rollups shaped like a busy brand of 1,000,000 members (deterministic pseudo-random figures). */
function yearOfRollups(stores: Types.ObjectId[]): DailyRollup[] {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const templates = Array.from({ length: 20 }, () => new Types.ObjectId().toHexString());
  const out: DailyRollup[] = [];
  for (const day of daysBetween(YEAR.from, YEAR.to)) {
    const base = (store: string, storeId: Types.ObjectId | null, share: number): DailyRollup => ({
      _id: `${day}:${store}`,
      day,
      store,
      storeId,
      memberOrders: Math.round(ORDERS_PER_DAY * share) + rnd(100),
      memberPaidFen: Math.round(ORDERS_PER_DAY * share * 8_000) + rnd(100_000),
      memberRefundFen: rnd(200_000),
      nonMemberOrders: Math.round(ORDERS_PER_DAY * share * 0.4) + rnd(50),
      nonMemberPaidFen: Math.round(ORDERS_PER_DAY * share * 0.4 * 5_000) + rnd(50_000),
      nonMemberRefundFen: rnd(50_000),
      activeMembers: Math.round(250_000 * share) + rnd(1_000),
      repeatMembers: Math.round(60_000 * share) + rnd(500),
      newMembers: 0,
      pointsIssued: 0,
      pointsRedeemed: 0,
      pointsExpired: 0,
      pointsByReason: {},
      coupons: [],
      topUpCount: 0,
      topUpPayFen: 0,
      topUpBonusFen: 0,
      topUpRefundFen: 0,
      tierChanges: [],
      tierUps: 0,
      tierDowns: 0,
    });
    const all = base('all', null, 1);
    all.newMembers = 2_700 + rnd(300);
    all.pointsIssued = 800_000 + rnd(50_000);
    all.pointsRedeemed = 300_000 + rnd(50_000);
    all.pointsExpired = rnd(100_000);
    all.pointsByReason = {
      order: { in: 780_000, out: 0 },
      task: { in: 30_000, out: 0 },
      spend: { in: 0, out: 250_000 },
    };
    all.coupons = templates.map((templateId, k) => ({
      templateId,
      title: `券模板 ${k + 1}`,
      source: k === 0 ? 'birthday' : k === 1 ? 'monthly' : 'claim',
      issued: 500 + rnd(500),
      used: 50 + rnd(200),
    }));
    all.topUpCount = 300 + rnd(100);
    all.topUpPayFen = all.topUpCount * 50_000;
    all.topUpBonusFen = all.topUpCount * 5_000;
    all.tierChanges = [
      { from: TierNames[0], to: TierNames[1], count: 200 + rnd(50) },
      { from: TierNames[1], to: TierNames[2], count: 40 + rnd(20) },
      { from: TierNames[2], to: TierNames[1], count: rnd(10) },
    ];
    all.tierUps = (all.tierChanges[0]?.count ?? 0) + (all.tierChanges[1]?.count ?? 0);
    all.tierDowns = all.tierChanges[2]?.count ?? 0;
    out.push(all);
    for (const storeId of stores) out.push(base(storeId.toHexString(), storeId, 1 / stores.length));
  }
  return out;
}

/**
 * Seeding mode: 1,000,000 members (joined over the past year, balances and tiers spread), 30 days of member orders
 * with their points entries, walk-in sales, refunds, tasks, spends, coupons, top-ups and tier changes.
 */
async function seed(uri: string, storeList: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const stores = storeList.split(',').map((s) => new Types.ObjectId(s));
  const memberIds: Types.ObjectId[] = [];
  const BATCH = 5_000;
  // Two inserts in flight: the next batch is built and encoded while the engine stores the last one.
  const inFlight: Promise<unknown>[] = [];
  const insert = async (collection: string, docs: object[]) => {
    if (docs.length === 0) return;
    inFlight.push(db.collection(collection).insertMany(docs, { ordered: false }));
    if (inFlight.length >= 2) await inFlight.shift();
  };
  for (let start = 0; start < MEMBERS; start += BATCH) {
    const batch = [];
    for (let n = start; n < Math.min(MEMBERS, start + BATCH); n++) {
      const _id = new Types.ObjectId();
      memberIds.push(_id);
      const joined = at(addDays(DAY, -(n % 365)), n % 86_400);
      batch.push({
        _id,
        memberNo: String(40_000_000 + n),
        status: n % 500 === 0 ? 'merged' : 'active',
        identityKeys: [`ext:bench:${n}`],
        tier: TierNames[n % 97 === 0 ? 3 : n % 23 === 0 ? 2 : n % 5 === 0 ? 1 : 0],
        points: n % 3_000,
        growth: n % 7_000,
        walletPrincipalFen: n % 10 === 0 ? (n % 100) * 1_000 : 0,
        walletBonusFen: n % 10 === 0 ? (n % 100) * 100 : 0,
        pointsByExpiry: {},
        pointsConsumed: 0,
        ledgerOutbox: [],
        ledgerKeys: [],
        createdAt: joined,
        updatedAt: joined,
      });
    }
    await insert('members', batch);
  }
  // 30 days of orders ending on DAY: a member buys every ~100 days on average, some far more often.
  let k = 0;
  for (let d = 29; d >= 0; d--) {
    const day = addDays(DAY, -d);
    for (let start = 0; start < ORDERS_PER_DAY; start += BATCH) {
      const orders = [];
      const entries = [];
      for (let i = start; i < Math.min(ORDERS_PER_DAY, start + BATCH); i++, k++) {
        const memberId = memberIds[(k * 7_919) % (i % 4 === 0 ? 50_000 : MEMBERS)] ?? new Types.ObjectId();
        const _id = new Types.ObjectId();
        const paidFen = 2_000 + ((k * 37) % 20_000);
        const createdAt = at(day, (i * 7) % 86_400);
        orders.push({
          _id,
          source: 'bench',
          externalId: `o${k}`,
          requestHash: 'x',
          memberId,
          storeId: stores[k % stores.length],
          amountFen: paidFen,
          offsetPoints: 0,
          offsetFen: 0,
          couponFen: 0,
          coupons: [],
          paidFen,
          items: [{ name: '商品', amountFen: paidFen }],
          pointsEarned: Math.floor(paidFen / 100),
          growthEarned: Math.floor(paidFen / 100),
          status: k % 50 === 0 ? 'partially_refunded' : 'paid',
          refundedFen: k % 50 === 0 ? 1_000 : 0,
          createdAt,
        });
        for (const [account, amount, reason] of [
          ['points', Math.floor(paidFen / 100), 'order'],
          ...(k % 5 === 0 ? [['points', 5, 'task']] : []),
          ...(k % 10 === 0 ? [['points', -500, 'spend']] : []),
        ] as [string, number, string][])
          entries.push({
            _id: new Types.ObjectId(),
            memberId,
            account,
            amount,
            reason,
            idempotencyKey: `b:${k}:${account}:${reason}`,
            note: '',
            refs: { orderId: _id.toHexString() },
            createdAt,
          });
      }
      await insert('orders', orders);
      await insert('ledger_entries', entries);
      const refunds = orders
        .filter((o) => o.status === 'partially_refunded')
        .map((o) => ({
          _id: new Types.ObjectId(),
          orderId: o._id,
          key: `r${o.externalId}`,
          amountFen: 1_000,
          status: 'done',
          createdAt: o.createdAt,
        }));
      await insert('order_refunds', refunds);
      const sales = orders
        .filter((_, j) => j % 5 === 0)
        .map((o, j) => ({
          _id: new Types.ObjectId(),
          storeId: o.storeId,
          externalId: `s${o.externalId}`,
          requestHash: 'x',
          amountFen: 1_000 + (j % 5_000),
          items: [],
          refundedFen: 0,
          refunds: [],
          createdAt: o.createdAt,
        }));
      await insert('store_sales', sales);
      const coupons = orders
        .filter((_, j) => j % 4 === 0)
        .map((o, j) => ({
          _id: new Types.ObjectId(),
          code: `c${o.externalId}`,
          templateId: new Types.ObjectId(`${'0'.repeat(23)}${j % 8}`),
          memberId: o.memberId,
          key: `k${o.externalId}`,
          source: j % 8 === 0 ? 'birthday' : j % 8 === 1 ? 'monthly' : 'claim',
          title: `券 ${j % 8}`,
          status: j % 3 === 0 ? 'used' : 'available',
          receivedAt: o.createdAt,
          usedAt: j % 3 === 0 ? o.createdAt : null,
        }));
      await insert('coupons', coupons);
    }
    await insert(
      'top_ups',
      Array.from({ length: 300 }, (_, i) => ({
        _id: new Types.ObjectId(),
        memberId: memberIds[i * 13] ?? new Types.ObjectId(),
        clientKey: `t${day}:${i}`,
        outTradeNo: `t${day}:${i}`,
        packageName: '充 500 送 50',
        payFen: 50_000,
        bonusFen: 5_000,
        status: 'paid',
        paidAt: at(day, i * 60),
        refund: null,
        createdAt: at(day, i * 60),
      })),
    );
    await insert(
      'tier_changes',
      Array.from({ length: 200 }, (_, i) => ({
        _id: new Types.ObjectId(),
        memberId: memberIds[i * 17] ?? new Types.ObjectId(),
        from: TierNames[i % 10 === 0 ? 2 : 0],
        to: TierNames[1],
        reason: i % 10 === 0 ? 'review' : 'growth',
        dedupeKey: `tc${day}:${i}`,
        at: at(day, i * 120),
      })),
    );
  }
  // Expiries of the night of DAY.
  await insert(
    'ledger_entries',
    Array.from({ length: 5_000 }, (_, i) => ({
      _id: new Types.ObjectId(),
      memberId: memberIds[i * 101] ?? new Types.ObjectId(),
      account: 'points',
      amount: -100,
      reason: 'expiry',
      idempotencyKey: `exp:${i}`,
      note: '',
      refs: {},
      createdAt: at(DAY, 60),
    })),
  );
  await Promise.all(inFlight);
  await client.close();
}

(process.argv[2] === 'seed' ? seed(process.argv[3] ?? '', process.argv[4] ?? '') : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
