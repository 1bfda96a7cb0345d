// Issue 6 benchmark, one run: purchases recorded per second through the HTTP API (staff at the till) against the
// raw cost of the same database writes done directly with the driver, with 100,000 members.
import { randomBytes } from 'node:crypto';
import { PointsPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { createLogger } from '../src/logger';
import { memberModel } from '../src/modules/members/model';
import { startHub } from '../src/runtime';
import { benchConfig, load, seedMembers, startEngine } from './harness';

const MEMBERS = 100_000;
const HOT = 2_000;
const CONCURRENCY = 16;
const DURATION_MS = 5_000;

async function main(): Promise<void> {
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
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
    const requests = Array.from({ length: 40_000 }, (_, i) => ({
      method: 'POST',
      url: `${hub.url}${PointsPaths.staffPurchases}`,
      headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        memberId: hot[i % HOT]?._id.toHexString(),
        amountFen: amount(i),
        idempotencyKey: `bench-${i}-${randomBytes(4).toString('hex')}`,
      }),
    }));
    const api = await load({ kind: 'closed-loop', concurrency: CONCURRENCY, durationMs: DURATION_MS, requests });

    // The raw floor: what a purchase writes, done directly with the driver, at the same concurrency.
    const orders = db.collection('bench_orders');
    const members = db.collection<{ _id: Types.ObjectId; ledgerOutbox: { _id: Types.ObjectId }[] }>('members');
    const ledger = db.collection('bench_ledger');
    const audit = db.collection('bench_audit');
    let done = 0;
    let next = 0;
    const started = performance.now();
    const deadline = started + DURATION_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const i = next++;
          const memberId = hot[i % HOT]?._id as Types.ObjectId;
          const points = Math.floor(amount(i) / 100);
          const orderId = new Types.ObjectId();
          const entries = [
            {
              _id: new Types.ObjectId(),
              memberId,
              account: 'points',
              amount: points,
              idempotencyKey: `raw:${orderId}:p`,
              createdAt: new Date(),
            },
            {
              _id: new Types.ObjectId(),
              memberId,
              account: 'growth',
              amount: points,
              idempotencyKey: `raw:${orderId}:g`,
              createdAt: new Date(),
            },
          ];
          await orders.insertOne({ _id: orderId, memberId, amountFen: amount(i), status: 'pending' });
          await members.updateOne(
            { _id: memberId },
            { $inc: { points, growth: points }, $push: { ledgerOutbox: { $each: entries } } },
          );
          await ledger.insertMany(entries);
          await members.updateOne(
            { _id: memberId },
            { $pull: { ledgerOutbox: { _id: { $in: entries.map((e) => e._id) } } } },
          );
          await orders.updateOne({ _id: orderId }, { $set: { status: 'paid', pointsEarned: points } });
          await audit.insertOne({ at: new Date(), action: 'order.record', memberId, details: { orderId } });
          done++;
        }
      }),
    );
    const raw = done / ((performance.now() - started) / 1000);

    console.log(
      `member hub purchase benchmark: ${MEMBERS.toLocaleString('en')} members, ${CONCURRENCY} concurrent, ${DURATION_MS / 1000}s per run`,
    );
    console.log(
      `POST /api/v1/staff/purchases   ${Math.round(api.rps).toString().padStart(6)} purchases/s   p50 ${api.p50.toFixed(1)} ms   p99 ${api.p99.toFixed(1)} ms`,
    );
    console.log(
      `raw driver writes, same set    ${Math.round(raw).toString().padStart(6)} purchases/s   (6 writes each)`,
    );
    console.log(`ratio API / raw                ${(api.rps / raw).toFixed(2)}   (goal >= 0.4)`);
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
