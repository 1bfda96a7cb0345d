// Issue 6 benchmark, one run: purchases recorded per second through the HTTP API (staff at the till) against the
// raw cost of the same database writes done directly with the driver, with 100,000 members.
//
// The two sides take turns (API, raw, API, raw, ...) after a warm-up, so a noisy neighbour or a garbage collection
// in the engine lands on both rather than on one; the ratio is over the totals of all rounds.
// BENCH_MONITOR=1 also counts the commands the hub sends per purchase; BENCH_HUB_PROFILE=DIR profiles the API rounds.
import { randomBytes } from 'node:crypto';
import { formatFen, PointsPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { createLogger } from '../src/logger';
import { memberModel } from '../src/modules/members/model';
import { expiryDay } from '../src/modules/points/expiry';
import { tierFor, tierRank } from '../src/modules/tiers/service';
import { startHub } from '../src/runtime';
import {
  benchConfig,
  closedLoop,
  cpuSecondsOf,
  type LoadRequest,
  load,
  profiled,
  seedMembers,
  startEngine,
} from './harness';

const MEMBERS = 100_000;
const HOT = 2_000;
const CONCURRENCY = 16;
const ROUNDS = 3;
const ROUND_MS = 4_000;
const WARMUP_MS = 2_000;

interface Side {
  count: number;
  seconds: number;
  hubCpu: number;
  engineCpu: number;
}

async function main(): Promise<void> {
  const engine = await startEngine();
  const base = benchConfig(engine.uri);
  const monitor = Boolean(process.env.BENCH_MONITOR);
  const uri = monitor ? `${base.database.uri}&monitorCommands=true` : base.database.uri;
  const config = { ...base, database: { ...base.database, uri } };
  const hub = await startHub({ config, logger: createLogger('silent') });
  try {
    await seedMembers(config.database.uri, MEMBERS);
    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');
    const hot = await memberModel(hub.deps.conn).find({}, { _id: 1 }).limit(HOT).lean();
    const store = await hub.deps.stores.create({ name: '压测门店', code: 'BENCH', address: '' });
    const staff = await hub.deps.staff.create({
      storeId: store._id.toHexString(),
      name: '收银',
      username: 'bench-till',
      password: 'bench-password',
      role: 'staff',
    });
    const staffToken = (await hub.deps.tokens.issue({ kind: 'staff', id: staff._id.toHexString() })).token;
    // The cashier has just scanned each of these members (what the till requires before recording a purchase).
    await db.collection('card_codes').insertMany(
      hot.map((m, i) => ({
        numeric: String(90_000_000 + i),
        window: 0,
        attempt: 0,
        memberId: m._id,
        usedAt: new Date(),
        usedBy: staff._id.toHexString(),
        expiresAt: new Date(Date.now() + 3_600_000),
      })),
    );

    const amount = (i: number) => 1_000 + ((i * 7919) % 49_000);
    // Each request has its own key (a reused one would be a cheap replay).
    const requestsFrom = (first: number, count: number): LoadRequest[] =>
      Array.from({ length: count }, (_, k) => {
        const i = first + k;
        return {
          method: 'POST',
          url: `${hub.url}${PointsPaths.staffPurchases}`,
          headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            memberId: hot[i % HOT]?._id.toHexString(),
            amountFen: amount(i),
            idempotencyKey: `bench-${i}-${randomBytes(4).toString('hex')}`,
          }),
        };
      });

    // The raw side: the writes one purchase makes, with the same documents, into the same collections (so the same
    // indexes are kept up), done directly with the driver one after another.
    const rules = await hub.deps.rules.get();
    const orders = db.collection('orders');
    const members = db.collection('members');
    const ledger = db.collection('ledger_entries');
    const audit = db.collection('audit_log');
    const tierChanges = db.collection('tier_changes');
    const rawPurchase = async (i: number) => {
      const memberId = hot[i % HOT]?._id as Types.ObjectId;
      const amountFen = amount(i);
      const points = Math.floor(amountFen / 100);
      const orderId = new Types.ObjectId();
      const key = `order:${orderId.toHexString()}`;
      const createdAt = new Date();
      const expiresOn = expiryDay(createdAt, rules.expiryMonths);
      const explanation = `消费 ${formatFen(amountFen)}，+${points}`;
      await orders.insertOne({
        _id: orderId,
        source: 'raw',
        externalId: `${staff._id.toHexString()}:raw-${i}`,
        requestHash: randomBytes(32).toString('base64url'),
        memberId,
        storeId: store._id,
        staffId: staff._id,
        amountFen,
        offsetPoints: 0,
        offsetFen: 0,
        couponFen: 0,
        coupons: [],
        paidFen: amountFen,
        items: [],
        pointsEarned: 0,
        growthEarned: 0,
        pointsExpireOn: null,
        explanation: '',
        status: 'pending',
        refundedFen: 0,
        createdAt,
      });
      const entries = (['points', 'growth'] as const).map((account) => ({
        _id: new Types.ObjectId(),
        memberId,
        account,
        amount: points,
        reason: 'order',
        idempotencyKey: `${key}:${account}`,
        note: account === 'points' ? explanation : `消费 ${formatFen(amountFen)}`,
        refs: { orderId: orderId.toHexString() },
        createdAt,
      }));
      const after = await members.findOneAndUpdate(
        { _id: memberId, status: { $in: ['active'] }, ledgerKeys: { $ne: `${key}:points` } },
        {
          $inc: { points, growth: points, [`pointsByExpiry.${expiresOn}`]: points },
          $push: { ledgerOutbox: { $each: entries }, ledgerKeys: { $each: [`${key}:points`], $slice: -200 } },
        } as never, // the driver's update types know no field of an untyped collection
        {
          projection: { points: 1, growth: 1, walletPrincipalFen: 1, walletBonusFen: 1, tier: 1 },
          returnDocument: 'after',
        },
      );
      await ledger.insertMany(entries, { ordered: false });
      await members.updateOne({ _id: memberId }, {
        $pull: { ledgerOutbox: { _id: { $in: entries.map((e) => e._id) } } },
      } as never);
      // A purchase that crosses a tier line also raises the tier and logs the change, as the API's does.
      const target = after && tierFor(after.growth as number, rules);
      if (after && target && tierRank(target.name, rules) > tierRank(after.tier as string, rules)) {
        await members.updateOne(
          { _id: memberId, tier: after.tier },
          { $set: { tier: target.name, tierSince: createdAt, tierWarnedFor: null, updatedAt: createdAt } },
        );
        await tierChanges.insertOne({
          _id: new Types.ObjectId(),
          memberId,
          from: after.tier,
          to: target.name,
          reason: 'growth',
          note: `成长值达到 ${target.threshold}`,
          dedupeKey: `${key}:tier`,
          at: createdAt,
        });
      }
      await orders.updateOne(
        { _id: orderId },
        {
          $set: { status: 'paid', pointsEarned: points, growthEarned: points, pointsExpireOn: expiresOn, explanation },
        },
      );
      await audit.insertOne({
        _id: new Types.ObjectId(),
        at: new Date(),
        actor: { kind: 'staff', id: staff._id.toHexString(), name: '收银' },
        action: 'order.record',
        memberId,
        storeId: store._id,
        ip: '127.0.0.1',
        details: {
          orderId: orderId.toHexString(),
          amountFen,
          offsetPoints: 0,
          couponFen: 0,
          coupons: [],
          pointsEarned: points,
        },
        dedupeKey: `order.record:${orderId.toHexString()}`,
      });
    };

    const cpu = () => ({ hub: cpuSecondsOf(process.pid) ?? Number.NaN, engine: cpuSecondsOf(engine.child.pid) ?? 0 });
    const measured = async (side: Side, run: () => Promise<{ count: number; seconds: number }>) => {
      const before = cpu();
      const { count, seconds } = await run();
      const after = cpu();
      side.count += count;
      side.seconds += seconds;
      side.hubCpu += after.hub - before.hub;
      side.engineCpu += after.engine - before.engine;
      return count / seconds;
    };
    const commands: Record<string, number> = {};
    let counting = false;
    if (monitor) {
      hub.deps.conn.getClient().on('commandStarted', (e) => {
        if (!counting) return;
        const name = `${e.commandName} ${String(e.command[e.commandName])}`;
        commands[name] = (commands[name] ?? 0) + 1;
      });
    }

    // Warm-up, not measured: the hub's and the engine's code paths get compiled and the connection pools fill.
    await load({
      kind: 'closed-loop',
      concurrency: CONCURRENCY,
      durationMs: WARMUP_MS,
      requests: requestsFrom(1_000_000, 4_000),
    });
    // One sequence over warm-up and rounds: each raw order needs its own (source, external id).
    let nextRaw = 0;
    for (let i = 0; i < 200; i++) await rawPurchase(nextRaw++);

    const api: Side = { count: 0, seconds: 0, hubCpu: 0, engineCpu: 0 };
    const raw: Side = { count: 0, seconds: 0, hubCpu: 0, engineCpu: 0 };
    const latencies: { p50: number; p99: number }[] = [];
    const rounds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      counting = true;
      // Built before the measurement starts: making 10,000 request bodies is the benchmark's work, not the hub's.
      const requests = requestsFrom(round * 10_000, 10_000);
      const apiRate = await measured(api, async () => {
        const result = await profiled(round, () =>
          load({ kind: 'closed-loop', concurrency: CONCURRENCY, durationMs: ROUND_MS, requests }),
        );
        latencies.push(result);
        return { count: result.count, seconds: result.count / result.rps };
      });
      counting = false;
      const rawRate = await measured(raw, () => closedLoop(CONCURRENCY, ROUND_MS, () => rawPurchase(nextRaw++)));
      rounds.push(`${Math.round(apiRate)}/${Math.round(rawRate)} = ${(apiRate / rawRate).toFixed(2)}`);
    }

    const rate = (s: Side) => s.count / s.seconds;
    const perPurchase = (s: Side) =>
      `this process ${((s.hubCpu * 1000) / s.count).toFixed(2)} ms, engine ${((s.engineCpu * 1000) / s.count).toFixed(2)} ms CPU per purchase`;
    const worst = (key: 'p50' | 'p99') => Math.max(...latencies.map((l) => l[key])).toFixed(1);
    console.log(
      `member hub purchase benchmark: ${MEMBERS.toLocaleString('en')} members, ${CONCURRENCY} concurrent, ${ROUNDS} rounds of ${ROUND_MS / 1000}s per side`,
    );
    console.log(
      `POST /api/v1/staff/purchases   ${Math.round(rate(api)).toString().padStart(6)} purchases/s   p50 ${worst('p50')} ms   p99 ${worst('p99')} ms (worst round)`,
    );
    console.log(`    ${perPurchase(api)}`);
    if (monitor) {
      const total = Object.values(commands).reduce((a, b) => a + b, 0);
      console.log(`    ${(total / api.count).toFixed(2)} commands per purchase:`, commands);
    }
    console.log(
      `raw driver writes, same set    ${Math.round(rate(raw)).toString().padStart(6)} purchases/s   (6 writes each, 8 on a tier change)`,
    );
    console.log(`    ${perPurchase(raw)}`);
    console.log(`rounds (API/raw)               ${rounds.join('   ')}`);
    console.log(`ratio API / raw                ${(rate(api) / rate(raw)).toFixed(2)}   (goal >= 0.4)`);
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
