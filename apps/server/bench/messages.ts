// Issue 10 benchmark, in one run:
//  1. the daily message-trigger scan over 1,000,000 members (points expiring in 7 days, birthdays in 7, tier
//     warnings, coupons expiring in 3): time, peak RSS of the scanning process (goal < 300 MB), progress;
//  2. subscription messages sent per second by the outbox sender against the sandbox (claim, cap, quota, send,
//     record) versus bare HTTP posts of the same messages to the same sandbox endpoint: the ratio.
// Members are seeded straight into the engine by a separate process, so the RSS printed is the scan's own.
import { spawn } from 'node:child_process';
import { addDays, chinaDay, DAY_MS } from '@member-hub/shared';
import { Types } from 'mongoose';
import { dailyMessageTriggers } from '../src/jobs/messageJobs';
import { createLogger } from '../src/logger';
import { messageModels } from '../src/modules/messages/model';
import { quotaId } from '../src/modules/messages/service';
import { startHub } from '../src/runtime';
import { benchConfig, startBigEngine } from './harness';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const SENDS = Number(process.env.BENCH_SENDS ?? 2_000);
const CONCURRENCY = 16;
// 10:00 China time on 2027-03-24: points earned in March 2026 expire on 2027-03-31, 7 days later.
const NOW = Date.parse('2027-03-24T10:00:00+08:00');

async function main(): Promise<void> {
  const engine = await startBigEngine();
  const config = benchConfig(engine.uri);
  let clock = NOW;
  const hub = await startHub({ config, logger: createLogger('silent'), now: () => clock });
  try {
    const seeded = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'seed', config.database.uri ?? ''], {
        stdio: 'inherit',
      });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding exited ${code}`))));
    });
    console.log(
      `seeded ${MEMBERS.toLocaleString('en')} members in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );

    // ---- 1. the daily scan ----
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    let lastPrinted = 0;
    const run = await dailyMessageTriggers(hub.deps, (phase, done) => {
      if (phase === 'members' && done - lastPrinted < 200_000) return;
      if (phase === 'members') lastPrinted = done;
      console.log(
        `  ${phase}: ${done.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB)`,
      );
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if ('skipped' in run) throw new Error('the scan did not run');
    console.log(
      `daily trigger scan: ${run.members.toLocaleString('en')} members in ${seconds.toFixed(1)} s (${Math.round(run.members / seconds).toLocaleString('en')} members/s); found ${JSON.stringify(run.found)}, queued ${run.queued.toLocaleString('en')}`,
    );
    console.log(
      `peak RSS of the scanning process ${Math.round(peakRss / 1048576)} MB (goal < 300 MB; ${Math.round(baseRss / 1048576)} MB before the scan)`,
    );

    // ---- 2. sending ----
    const { Outbox, Quotas } = messageModels(hub.deps.conn);
    await Outbox.deleteMany({});
    const sandbox = hub.sandboxUrl ?? '';
    const appid = config.wechat.appid ?? '';
    const templateId = config.messages.templates.points_changed;
    const members = await hub.deps.conn
      .collection('members')
      .find({ status: 'active' }, { projection: { _id: 1 } })
      .limit(SENDS)
      .toArray();
    const openids: string[] = [];
    for (let i = 0; i < members.length; i += 100) {
      await Promise.all(
        members.slice(i, i + 100).map(async (_m, j) => {
          const openid = `o_bench_${i + j}`;
          openids[i + j] = openid;
          await post(sandbox, '/__control/login-codes', { appid, openid });
          // Two consents each: one for the sender's message, one for the bare post.
          await post(sandbox, '/__control/subscriptions', { appid, openid, template_ids: [templateId], count: 2 });
        }),
      );
    }
    await hub.deps.conn.collection('members').bulkWrite(
      members.map((m, i) => ({
        updateOne: { filter: { _id: m._id }, update: { $set: { wechat: [{ appid, openid: openids[i] }] } } },
      })),
    );
    await Quotas.insertMany(
      members.map((m) => ({
        _id: quotaId(m._id as Types.ObjectId, templateId),
        memberId: m._id,
        templateId,
        quota: 1,
        updatedAt: new Date(clock),
      })),
    );
    clock = Date.now(); // a daytime send on the real clock
    const at = new Date(clock);
    await hub.deps.messages.enqueue(
      members.map((m, i) => ({
        memberId: m._id as Types.ObjectId,
        kind: 'points_earned' as const,
        input: { points: 100 + i, balance: 1_000 + i, at, reason: '消费¥100.00获得积分' },
        dedupeKey: `bench:${i}`,
      })),
    );
    const bodies = (await Outbox.find({}, { data: 1 }).sort({ _id: 1 }).lean()).map((row, i) => ({
      touser: openids[i],
      template_id: templateId,
      data: Object.fromEntries(Object.entries(row.data).map(([k, value]) => [k, { value }])),
    }));

    const senderStarted = performance.now();
    const round = await hub.deps.messageSender.sendDue({ limit: SENDS, concurrency: CONCURRENCY });
    const senderSeconds = (performance.now() - senderStarted) / 1000;
    if (round.sent !== SENDS) throw new Error(`sent ${round.sent} of ${SENDS}: ${JSON.stringify(round)}`);

    const token = await hub.deps.wechat.withAccessToken(async (t) => t);
    const bareStarted = performance.now();
    let next = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let body = bodies[next++]; body; body = bodies[next++]) {
          const res = await post(sandbox, `/cgi-bin/message/subscribe/send?access_token=${token}`, body);
          if ((res as { errcode?: number }).errcode) failures++;
        }
      }),
    );
    const bareSeconds = (performance.now() - bareStarted) / 1000;
    if (failures) throw new Error(`${failures} bare posts failed`);
    const senderRate = SENDS / senderSeconds;
    const bareRate = SENDS / bareSeconds;
    console.log(
      `messages sent: ${Math.round(senderRate).toLocaleString('en')}/s through the outbox sender vs ${Math.round(bareRate).toLocaleString('en')}/s bare HTTP posts (${SENDS.toLocaleString('en')} each, ${CONCURRENCY} at once): ratio ${(senderRate / bareRate).toFixed(2)}`,
    );
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

async function post(base: string, path: string, json: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  return res.json();
}

/** Seeding mode: members with points by expiry day, birthdays across the year, some tier warnings and coupons. */
async function seed(uri: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = await MongoClient.connect(uri);
  const db = client.db();
  const today = chinaDay(NOW);
  const expiring = addDays(today, 7);
  const later = addDays(today, 38);
  const couponEnd = new Date(Date.parse(`${addDays(today, 3)}T23:59:59.999+08:00`));
  const templateId = new Types.ObjectId();
  const BATCH = 5_000;
  let pending: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < MEMBERS; start += BATCH) {
    const members = [];
    const coupons = [];
    for (let n = start; n < Math.min(MEMBERS, start + BATCH); n++) {
      const _id = new Types.ObjectId();
      const month = String((n % 12) + 1).padStart(2, '0');
      const day = String((n % 28) + 1).padStart(2, '0');
      members.push({
        _id,
        memberNo: String(30_000_000 + n),
        status: n % 200 === 0 ? 'deleted' : 'active',
        identityKeys: [`wx:bench:${n}`],
        wechat: [],
        nickname: `会员${n}`,
        tier: n % 10 === 0 ? '金卡' : '普通会员',
        points: 500 + (n % 1_000),
        growth: 0,
        walletPrincipalFen: 0,
        walletBonusFen: 0,
        // One member in 20 has points expiring in 7 days; everyone has some later.
        pointsByExpiry: n % 20 === 0 ? { [expiring]: 300, [later]: 200 + (n % 1_000) } : { [later]: 500 + (n % 1_000) },
        pointsConsumed: 0,
        // One in 30 celebrates 7 days from now; the others across the year.
        birthday:
          n % 30 === 1
            ? `19${70 + (n % 30)}-${expiring.slice(5)}`
            : n % 3 === 0
              ? null
              : `19${70 + (n % 30)}-${month}-${day}`,
        tierWarnedFor: n % 100 === 0 ? addDays(today, 30) : null,
        createdAt: new Date(NOW - 400 * DAY_MS),
      });
      if (n % 50 === 0)
        coupons.push({
          code: String(100_000_000_000 + n),
          key: `bench:${n}`,
          templateId,
          memberId: _id,
          source: 'push',
          title: '满100减20券',
          status: 'available',
          validFrom: new Date(NOW - 20 * DAY_MS),
          validUntil: couponEnd,
          receivedAt: new Date(NOW - 20 * DAY_MS),
        });
    }
    await pending;
    pending = Promise.all([
      db.collection('members').insertMany(members),
      coupons.length ? db.collection('coupons').insertMany(coupons) : null,
    ]);
    if ((start / BATCH) % 40 === 39) process.stdout.write(`  seeded ${(start + BATCH).toLocaleString('en')} members\n`);
  }
  await pending;
  await client.close();
}

(process.argv[2] === 'seed' ? seed(process.argv[3] ?? '') : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
