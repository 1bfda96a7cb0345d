// Issue 6 benchmark: the points-expiry job over 1,000,000 ledger entries (100,000 members x 10 earnings, half of
// them due), streaming members in batches. Prints time, progress and the job process's peak memory.
import { spawn } from 'node:child_process';
import { Types } from 'mongoose';
import { expireDuePoints } from '../src/jobs/expireDuePoints';
import { createLogger } from '../src/logger';
import { startHub } from '../src/runtime';
import { benchConfig, startEngine } from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const ENTRIES_PER_MEMBER = 10;
// The job runs "today" = 2027-06-15; half of each member's points expired in early 2026.
const NOW = new Date('2027-06-15T04:00:00Z').getTime();

async function main(): Promise<void> {
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
  // The job runs "today" = 2027-06-15; entries earned Jan..Oct 2025 expire at the end of Jan..Oct 2026.
  const hub = await startHub({ config, logger: createLogger('silent'), now: () => NOW });
  try {
    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');
    // Seeded by a separate process, so the peak memory below is the job's own.
    const seedStarted = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'seed', config.database.uri ?? ''], {
        stdio: 'inherit',
      });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding exited ${code}`))));
    });
    const seeded = await db.collection('ledger_entries').countDocuments();
    console.log(
      `seeded ${seeded.toLocaleString('en')} ledger entries for ${MEMBERS.toLocaleString('en')} members in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const run = await expireDuePoints(hub.deps, {
      batchSize: 1_000,
      onProgress: (scanned) => process.stdout.write(`  progress: ${scanned.toLocaleString('en')} members scanned\n`),
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const again = await expireDuePoints(hub.deps);
    console.log(
      `expiry job: ${run.membersScanned.toLocaleString('en')} members scanned, ${run.membersExpired.toLocaleString('en')} expired, ${run.pointsExpired.toLocaleString('en')} points, in ${seconds.toFixed(1)} s (${Math.round(run.membersScanned / seconds)} members/s)`,
    );
    console.log(
      `peak RSS of the job process ${Math.round(peakRss / 1048576)} MB (goal < 300 MB); second run expired ${again.pointsExpired} points (goal 0)`,
    );
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

/** Seeding mode: 100,000 members whose counters match their 10 ledger entries each. */
async function seed(uri: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const now = new Date(NOW);
  for (let start = 0; start < MEMBERS; start += 2_000) {
    const members = [];
    const entries = [];
    for (let n = start; n < start + 2_000; n++) {
      const _id = new Types.ObjectId();
      const buckets: Record<string, number> = {};
      for (let k = 0; k < ENTRIES_PER_MEMBER; k++) {
        // Half expired (early 2026), half not yet (late 2027).
        const day = k < 5 ? `2026-0${k + 1}-28` : `2027-1${Math.min(k - 5, 2)}-28`;
        buckets[day] = (buckets[day] ?? 0) + 10;
        entries.push({
          _id: new Types.ObjectId(),
          memberId: _id,
          account: 'points',
          amount: 10,
          reason: 'order',
          idempotencyKey: `seed:${n}:${k}`,
          note: '',
          refs: {},
          createdAt: now,
        });
      }
      members.push({
        _id,
        memberNo: String(30_000_000 + n),
        status: 'active',
        identityKeys: [`ext:bench:${n}`],
        points: ENTRIES_PER_MEMBER * 10,
        growth: 0,
        walletPrincipalFen: 0,
        walletBonusFen: 0,
        pointsByExpiry: buckets,
        pointsConsumed: 0,
        ledgerOutbox: [],
        ledgerKeys: [],
        tier: '普通会员',
      });
    }
    await db.collection('members').insertMany(members);
    await db.collection('ledger_entries').insertMany(entries);
  }
  await client.close();
}

(process.argv[2] === 'seed' ? seed(process.argv[3] ?? '') : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
