// Issue 8 benchmark, one run: coupon claims per second in a rush through the HTTP API (members in the claim
// centre) against the raw conditional `$inc` a claim's stock step is, on the same engine; then a sold-out rush
// (1,000 concurrent claims of 100) to show the count is exact at speed.
import { randomBytes } from 'node:crypto';
import { CouponPaths, CouponTemplateInput } from '@member-hub/shared';
import { Types } from 'mongoose';
import { createLogger } from '../src/logger';
import { memberModel } from '../src/modules/members/model';
import { startHub } from '../src/runtime';
import { benchConfig, closedLoop, cpuSecondsOf, load, seedMembers, startEngine } from './harness';

const MEMBERS = 100_000;
const CLAIMERS = 20_000;
const CONCURRENCY = 32;
const DURATION_MS = 5_000;
const RUSH = 1_000;
const RUSH_STOCK = 100;

async function main(): Promise<void> {
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
  const hub = await startHub({ config, logger: createLogger('silent') });
  try {
    await seedMembers(config.database.uri, MEMBERS);
    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');
    const claimers = await memberModel(hub.deps.conn).find({}, { _id: 1 }).limit(CLAIMERS).lean();
    const tokens = await Promise.all(
      claimers.map(async (m) => (await hub.deps.tokens.issue({ kind: 'member', id: m._id.toHexString() })).token),
    );
    const template = (stock: number, title: string) =>
      hub.deps.coupons.createTemplate(
        CouponTemplateInput.parse({
          title,
          effect: { kind: 'cash_off', valueFen: 2_000 },
          conditions: { thresholdFen: 10_000 },
          validity: { type: 'relative', days: 30 },
          totalStock: stock,
          perMemberLimit: 1,
          claimable: true,
        }),
      );
    const claims = (templateId: Types.ObjectId, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        method: 'POST',
        url: `${hub.url}${CouponPaths.claims}`,
        headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          templateId: templateId.toHexString(),
          idempotencyKey: `bench-${i}-${randomBytes(4).toString('hex')}`,
        }),
      }));

    // Every claim succeeds here (stock to spare, one per member): the throughput of issuing.
    const big = await template(1_000_000, '压测券');
    const hubCpu0 = process.cpuUsage();
    const engineCpu0 = cpuSecondsOf(engine.child.pid);
    const api = await load({
      kind: 'closed-loop',
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      requests: claims(big._id, CLAIMERS),
    });
    const hubCpu = process.cpuUsage(hubCpu0);
    const engineCpu = (cpuSecondsOf(engine.child.pid) ?? Number.NaN) - (engineCpu0 ?? Number.NaN);
    const claimed = api.count;
    const perClaim = (seconds: number) => `${((seconds * 1000) / claimed).toFixed(2)} ms`;

    // The raw floor: the conditional stock decrement alone, straight through the driver, same concurrency.
    const templates = db.collection('coupon_templates');
    const rawId = new Types.ObjectId();
    await templates.insertOne({ _id: rawId, stockLeft: 100_000_000 });
    const raw = (
      await closedLoop(CONCURRENCY, DURATION_MS, () =>
        templates.updateOne({ _id: rawId, stockLeft: { $gte: 1 } }, { $inc: { stockLeft: -1 } }),
      )
    ).rate;

    // And the whole set of database work one claim does (member read, allowance, stock, coupon row), one by one.
    const counts = db.collection<{ _id: string; count: number }>('bench_counts');
    const coupons = db.collection('bench_coupons');
    const membersColl = db.collection('members');
    const rawSet = (
      await closedLoop(CONCURRENCY, DURATION_MS, async (i) => {
        const memberId = claimers[i % claimers.length]?._id as Types.ObjectId;
        await membersColl.findOne({ _id: memberId });
        await counts.updateOne({ _id: `${i}`, count: { $lt: 1 } }, { $inc: { count: 1 } }, { upsert: true });
        await templates.updateOne({ _id: rawId, stockLeft: { $gte: 1 } }, { $inc: { stockLeft: -1 } });
        await coupons.insertOne({ code: `${i}`, key: `${i}`, memberId, status: 'available', at: new Date() });
      })
    ).rate;

    // The sold-out rush: 1,000 claims fired at once at 100 coupons.
    const scarce = await template(RUSH_STOCK, '限量券');
    const rush = await load({
      kind: 'bursts',
      concurrency: RUSH,
      requests: claims(scarce._id, RUSH),
      expectedStatuses: [409],
    });
    const issued = await db.collection('coupons').countDocuments({ templateId: scarce._id });

    console.log(
      `member hub coupon benchmark: ${MEMBERS.toLocaleString('en')} members, ${CONCURRENCY} concurrent, ${DURATION_MS / 1000}s per run`,
    );
    console.log(
      `POST ${CouponPaths.claims}   ${Math.round(api.rps).toString().padStart(6)} claims/s   p50 ${api.p50.toFixed(1)} ms   p99 ${api.p99.toFixed(1)} ms`,
    );
    console.log(
      `  CPU per claim: hub ${perClaim((hubCpu.user + hubCpu.system) / 1e6)}, engine ${perClaim(engineCpu)} (2 cores shared with the load generator)`,
    );
    console.log(`raw conditional $inc (stock)  ${Math.round(raw).toString().padStart(6)} updates/s`);
    console.log(`raw: a claim's 4 operations  ${Math.round(rawSet).toString().padStart(6)} claims/s`);
    console.log(
      `ratio API / raw $inc          ${(api.rps / raw).toFixed(2)}   (API / raw claim operations ${(api.rps / rawSet).toFixed(2)})`,
    );
    console.log(
      `sold-out rush: ${RUSH} concurrent claims of ${RUSH_STOCK}: ${issued} issued, answers ${JSON.stringify(rush.statuses)}, ${Math.round(rush.rps)} answers/s, p99 ${rush.p99.toFixed(0)} ms`,
    );
    if (issued !== RUSH_STOCK) throw new Error(`over- or under-issued: ${issued}`);
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
