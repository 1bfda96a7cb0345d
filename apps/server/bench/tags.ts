// Issue 9 benchmark: the rule tag job over 1,000,000 members. The shop is the RFM benchmark's (bench/rfm.ts in its
// seeding mode, run as a separate process: 14 months of orders, most members rare buyers, a few weekly regulars),
// with tiers, birthdays, phones, manual tags and used coupons added, and the RFM job run first so `rfmClass`
// conditions have classes. Eight rule tags cover every kind of data the job reads. Prints the tag job's time, its
// process's peak RSS (goal < 400 MB), per-tag counts, a second run (same answers, nothing written), and what a
// segment's live count costs. BENCH_MEMBERS sets the size (default 1,000,000).
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SegmentDefinitionInput, TagRuleInput } from '@member-hub/shared';
import { SegmentDefinition } from '@member-hub/shared';
import { type mongo, Types } from 'mongoose';
import { rfmDaily } from '../src/jobs/rfmDaily';
import { tagsDaily } from '../src/jobs/tagsDaily';
import { createLogger } from '../src/logger';
import { startHub } from '../src/runtime';
import { benchConfig, cpuSecondsOf, startBigEngine } from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
/** The RFM benchmark's clock: its seeder plays every member's orders backwards from this moment. */
const NOW = new Date('2027-06-15T04:00:00Z').getTime();
const DAY_MS = 86_400_000;

const mb = (bytes: number) => Math.round(bytes / 1048576);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function main(): Promise<void> {
  const engine = await startBigEngine();
  const config = benchConfig(engine.uri);
  const hub = await startHub({ config, logger: createLogger('silent'), now: () => NOW });
  try {
    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');

    // ---- The shop ----
    const seedStarted = performance.now();
    await runChild(path.join(__dirname, 'rfm.ts'), ['seed', config.database.uri ?? '']);
    // The additions are made by another process too: what it reads and decodes never counts as the job's memory.
    await runChild(path.join(__dirname, 'tags.ts'), ['extras', config.database.uri ?? '']);
    const members = db.collection('members');
    const vip = (await db.collection('tags').findOne({ name: 'VIP（手动）' }))?._id as Types.ObjectId;
    const someStore = (await db.collection('stores').findOne({ code: 'BENCH' }))?._id as Types.ObjectId;
    const coupons = await db.collection('coupons').estimatedDocumentCount();
    const [memberCount, orderCount] = await Promise.all([
      members.estimatedDocumentCount(),
      db.collection('orders').estimatedDocumentCount(),
    ]);
    console.log(
      `seeded ${memberCount.toLocaleString('en')} members, ${orderCount.toLocaleString('en')} orders, ${coupons.toLocaleString('en')} used coupons in ${seconds(seedStarted)} s`,
    );

    // The RFM job first, so rfmClass conditions have classes; in its own process, so its memory is not counted.
    const rfmStarted = performance.now();
    await runChild(__filename, ['rfm', engine.uri]);
    console.log(`RFM job first (for the rfmClass conditions): ${seconds(rfmStarted)} s`);

    const rules: [string, TagRuleInput][] = [
      ['高消费', { all: [{ kind: 'spend', days: 90, op: 'gte', fen: 200_000 }] }],
      ['常客', { all: [{ kind: 'visits', days: 30, op: 'gte', count: 2 }] }],
      ['沉睡', { all: [{ kind: 'visits', days: 180, op: 'lte', count: 0 }] }],
      ['高等级', { all: [{ kind: 'tier', tiers: ['金卡', '黑钻'] }] }],
      ['重要客户', { all: [{ kind: 'rfmClass', classes: ['important_value', 'important_retain'] }] }],
      ['用券达人', { all: [{ kind: 'couponsUsed', days: 30, op: 'gte', count: 1 }] }],
      [
        '旗舰店熟客',
        {
          all: [
            { kind: 'store', storeIds: [someStore.toHexString()], days: 60 },
            { kind: 'spend', days: 60, op: 'gte', fen: 50_000 },
          ],
        },
      ],
      [
        '三月寿星有手机',
        {
          all: [
            { kind: 'birthdayMonth', months: [3] },
            { kind: 'hasPhone', has: true },
            { kind: 'points', min: 1_000, max: null },
          ],
        },
      ],
    ];
    for (const [name, rule] of rules) await hub.deps.tags.create({ name, kind: 'rule', rule });

    // ---- The tag job ----
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const cpu = () => ({ job: cpuSecondsOf(process.pid) ?? 0, engine: cpuSecondsOf(engine.child.pid) ?? 0 });
    const cpuBefore = cpu();
    const started = performance.now();
    const run = await tagsDaily(hub.deps, {
      onProgress: (done) =>
        console.log(
          `  members: ${done.toLocaleString('en')} (${seconds(started)} s, RSS ${mb(process.memoryUsage().rss)} MB, heap ${mb(process.memoryUsage().heapUsed)} MB)`,
        ),
    });
    const took = (performance.now() - started) / 1000;
    const cpuAfter = cpu();
    clearInterval(sampler);
    console.log(
      `tag job: ${run.members.toLocaleString('en')} members x ${rules.length} rule tags in ${took.toFixed(1)} s (${Math.round(run.members / took).toLocaleString('en')} members/s), ${run.added.toLocaleString('en')} memberships written in ${run.writes.toLocaleString('en')} updates`,
    );
    console.log(
      `  CPU: job process ${(cpuAfter.job - cpuBefore.job).toFixed(1)} s, engine ${(cpuAfter.engine - cpuBefore.engine).toFixed(1)} s (the machine's other load shows in the wall time, not here)`,
    );
    console.log(`peak RSS of the job process ${mb(peakRss)} MB (goal < 400 MB; ${mb(baseRss)} MB before the run)`);
    console.log(`  counts: ${run.tags.map((t) => `${t.name} ${t.memberCount.toLocaleString('en')}`).join(', ')}`);

    const againCpu = cpu();
    const againStarted = performance.now();
    const again = await tagsDaily(hub.deps);
    const againCpuAfter = cpu();
    const same = again.tags.every((t, i) => t.memberCount === run.tags[i]?.memberCount);
    console.log(
      `second run: ${seconds(againStarted)} s (CPU: job ${(againCpuAfter.job - againCpu.job).toFixed(1)} s, engine ${(againCpuAfter.engine - againCpu.engine).toFixed(1)} s), same counts: ${same}, updates written: ${again.writes} (goal 0)`,
    );

    // ---- Live counts of segments (what the owner's preview costs) ----
    const tags = await hub.deps.tags.list({ sort: 'name', page: 1, pageSize: 100 });
    const idOf = (name: string) => tags.items.find((t) => t.name === name)?._id.toHexString() ?? '';
    const segments: [string, SegmentDefinitionInput][] = [
      ['tier and a tag (database only)', { tiers: ['金卡'], tags: { any: [idOf('高消费')] } }],
      ['RFM class (member_rfm merged in)', { rfmClasses: ['important_value'] }],
      [
        'active in 30 days, no VIP tag (orders merged in)',
        { activity: { activeWithinDays: 30 }, tags: { none: [vip.toHexString()] } },
      ],
    ];
    for (const [label, definition] of segments) {
      const t = performance.now();
      const count = await hub.deps.segments.count(SegmentDefinition.parse(definition));
      console.log(
        `  segment count, ${label}: ${count.toLocaleString('en')} in ${Math.round(performance.now() - t)} ms`,
      );
    }
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

function runChild(script: string, args: string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_MEMBERS: String(MEMBERS) },
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(script)} exited ${code}`)),
    );
  });
}

/** Extras mode: tiers, birthdays, phones, a manual tag and used coupons on the RFM benchmark's members. */
async function seedExtras(uri: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const members = db.collection('members');
  const vip = new Types.ObjectId();
  await db.collection('tags').insertOne({
    _id: vip,
    name: 'VIP（手动）',
    kind: 'manual',
    description: '',
    color: null,
    rule: null,
    ruleVersion: 0,
    evaluatedVersion: null,
    memberCount: 0,
    evaluatedAt: null,
    createdAt: new Date(NOW),
    updatedAt: new Date(NOW),
  });
  // Spread by member number, one update per member and a few thousand per request: one updateMany over a million
  // members would hold the engine past the driver's heartbeat.
  const extrasOf = (memberNo: string): Record<string, unknown> => {
    const set: Record<string, unknown> = {};
    if (/[0-4]7$/.test(memberNo)) set.tier = '金卡';
    if (/99$/.test(memberNo)) set.tier = '黑钻';
    if (/0$/.test(memberNo)) set.birthday = '1990-03-15';
    if (/[05]$/.test(memberNo)) set.phone = { k: 'bench', n: 'x', c: 'x' };
    if (/[0-4]3$/.test(memberNo)) set.tags = [vip];
    return set;
  };
  let coupons = 0;
  let updates: mongo.AnyBulkWriteOperation[] = [];
  let couponRows: Record<string, unknown>[] = [];
  const flush = async () => {
    if (updates.length) await members.bulkWrite(updates, { ordered: false });
    if (couponRows.length) await db.collection('coupons').insertMany(couponRows);
    updates = [];
    couponRows = [];
  };
  for await (const m of members.find({}, { projection: { _id: 1, memberNo: 1 }, batchSize: 5_000 })) {
    const set = extrasOf(String(m.memberNo));
    if (Object.keys(set).length) updates.push({ updateOne: { filter: { _id: m._id }, update: { $set: set } } });
    // A used coupon for every tenth member, within the last 60 days.
    if (String(m.memberNo).endsWith('1'))
      couponRows.push({
        code: String(800_000_000_000 + ++coupons),
        key: `bench-coupon-${coupons}`,
        templateId: vip,
        memberId: m._id,
        source: 'push',
        status: 'used',
        usedAt: new Date(NOW - (coupons % 60) * DAY_MS),
        receivedAt: new Date(NOW - 90 * DAY_MS),
      });
    if (updates.length >= 2_000 || couponRows.length >= 2_000) await flush();
  }
  await flush();
  const someStore = (await db.collection('orders').findOne({ storeId: { $ne: null } }))?.storeId as Types.ObjectId;
  await db.collection('stores').insertOne({ _id: someStore, name: '旗舰店', code: 'BENCH', address: '', active: true });
  await client.close();
}

/** RFM mode: the daily RFM job over the seeded shop, in a process of its own. */
async function runRfm(engineUri: string): Promise<void> {
  const hub = await startHub({ config: benchConfig(engineUri), logger: createLogger('silent'), now: () => NOW });
  try {
    await rfmDaily(hub.deps);
  } finally {
    await hub.stop();
  }
}

const modes: Record<string, (arg: string) => Promise<void>> = { extras: seedExtras, rfm: runRfm };
const mode = modes[process.argv[2] ?? ''];
(mode ? mode(process.argv[3] ?? '') : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
