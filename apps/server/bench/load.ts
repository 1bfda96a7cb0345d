// Issue 11 load run (`npm run load`): 100,000 members seeded with the driver, then mixed traffic for LOAD_DURATION_S
// seconds (default 60) from a driver in its own process (mixedTraffic.ts) against the hub, with its scheduled jobs
// running, the engine in its own process: members opening the card and points pages, tills scanning members and
// recording purchases or verifying gift coupons, members topping up through WeChat Pay (the sandbox pays and
// notifies). Then the raw floor: the same operations' database work through the driver, in the same mix, at the
// same concurrency (rawMixed.ts). Prints throughput, p50/p95/p99 per operation and the ratios; writes the section
// of docs/benchmarks.md. One run; the ratios are what matter on a shared machine.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSandboxPayKeys } from '@member-hub/wechat-sandbox';
import { startScheduler } from '../src/jobs/scheduler';
import { createLogger } from '../src/logger';
import { startHub } from '../src/runtime';
import { machineLine, ms, table, writeSection } from './benchmarksDoc';
import { benchConfig, cpuSecondsOf, seedMembers, startEngine } from './harness';
import { BENCH_APPID, prepareTraffic, writeFixtures } from './mixedSetup';
import { MIXED_WEIGHTS, OP_NAMES, type OpName, stats, type TrafficJob } from './mixedTraffic';
import { runTraffic } from './processes';
import { runRawMixed } from './rawMixed';

const MEMBERS = 100_000;
/** Members who show up during the run (tokens issued); the rest are in the database as a shop's would be. */
const ACTIVE_MEMBERS = 20_000;
const COUPONS = 20_000;
const TILLS = 8;
/** Sized for 2 cores: enough in flight to keep the hub and the engine busy without queueing for its own sake. */
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 16);
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 60);
const RAW_DURATION_S = Math.max(5, Math.min(20, Math.round(DURATION_S / 3)));
const WARMUP_S = 5;

const OP_TITLES: Record<OpName, string> = {
  card: 'card page (card + rotating code)',
  points: 'points page (balance + history)',
  purchase: 'purchase (card, scan, record)',
  coupon: 'coupon (look up, verify)',
  topUp: 'top-up (order, pay, confirm)',
};

async function main(): Promise<void> {
  const runStarted = performance.now();
  const machine = machineLine();
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
  config.wechat.appid = BENCH_APPID;
  // What RATE_LIMITS=off sets: all of this traffic comes from 127.0.0.1.
  config.rateLimits.enabled = false;
  const keys = ensureSandboxPayKeys({ dir: null, appid: BENCH_APPID });
  const hub = await startHub({ config, logger: createLogger('silent'), sandboxPayKeys: keys });
  const work = mkdtempSync(path.join(os.tmpdir(), 'hub-load-'));
  let scheduler: { stop(): void } | null = null;
  try {
    const seedStarted = performance.now();
    await seedMembers(config.database.uri, MEMBERS);
    const fixtures = await prepareTraffic(hub.deps, { activeMembers: ACTIVE_MEMBERS, coupons: COUPONS, tills: TILLS });
    const fixturesFile = path.join(work, 'fixtures.json');
    writeFixtures(fixturesFile, fixtures);
    const seedS = (performance.now() - seedStarted) / 1000;
    console.log(
      `seeded ${MEMBERS.toLocaleString('en')} members, ${COUPONS.toLocaleString('en')} coupons in ${seedS.toFixed(0)} s`,
    );

    // WeChat Pay's notifications, timed as the server handles them (verify, decrypt, credit, answer).
    const notifyMs: number[] = [];
    let notifyFailed = 0;
    let measuring = false;
    hub.server.on('request', (req, res) => {
      if (req.method !== 'POST' || req.url !== '/api/v1/pay/notify' || !measuring) return;
      const t = performance.now();
      res.once('finish', () => {
        notifyMs.push(performance.now() - t);
        if (res.statusCode >= 300) notifyFailed++;
      });
    });
    scheduler = startScheduler(hub.deps);

    const job = (durationMs: number): TrafficJob => ({
      apiUrl: hub.url,
      sandboxUrl: hub.sandboxUrl ?? '',
      fixturesFile,
      durationMs,
      concurrency: CONCURRENCY,
      weights: MIXED_WEIGHTS,
      tolerant: false,
      timeoutMs: 30_000,
      retryForMs: 0,
    });
    // Warm-up (JIT, pools, caches); its coupons are gone from the pool, so the run gets its own offset.
    await runTraffic(job(WARMUP_S * 1000)).result;
    const warmCoupons = await hub.deps.conn.collection('coupons').countDocuments({ status: 'used' });
    writeFixtures(fixturesFile, { ...fixtures, couponCodes: fixtures.couponCodes.slice(warmCoupons) });

    measuring = true;
    const hubCpu0 = process.cpuUsage();
    const engineCpu0 = cpuSecondsOf(engine.child.pid) ?? Number.NaN;
    const api = await runTraffic(job(DURATION_S * 1000)).result;
    const hubCpu = process.cpuUsage(hubCpu0);
    const engineCpu = (cpuSecondsOf(engine.child.pid) ?? Number.NaN) - engineCpu0;
    measuring = false;
    // Let the last notifications land before the floor is measured on the same engine.
    await new Promise((r) => setTimeout(r, 2_000));
    scheduler.stop();
    scheduler = null;

    const db = hub.deps.conn.db;
    if (!db) throw new Error('not connected');
    const used = await db.collection('coupons').countDocuments({ status: 'used' });
    const raw = await runRawMixed(db, fixtures, {
      weights: MIXED_WEIGHTS,
      concurrency: CONCURRENCY,
      durationMs: RAW_DURATION_S * 1000,
      couponCodes: fixtures.couponCodes.slice(used),
    });

    const apiOps = OP_NAMES.reduce((sum, o) => sum + api.ops[o].count, 0);
    const rawOps = OP_NAMES.reduce((sum, o) => sum + raw.ops[o].count, 0);
    const apiRate = apiOps / api.elapsedS;
    const rawRate = rawOps / raw.elapsedS;
    const failed = OP_NAMES.reduce((sum, o) => sum + api.ops[o].failed, 0);
    const e = api.errors;
    const notify = stats(notifyMs);
    const requests = Object.values(api.steps).reduce((sum, s) => sum + s.count, 0);
    const cpuPerOp = (seconds: number) => `${((seconds * 1000) / apiOps).toFixed(2)} ms`;

    const opRows = OP_NAMES.map((o) => {
      const a = api.ops[o];
      const r = raw.ops[o];
      return [
        OP_TITLES[o],
        (a.count / api.elapsedS).toFixed(1),
        ms(a.p50),
        ms(a.p95),
        ms(a.p99),
        ms(r.p50),
        ms(r.p99),
        (r.mean / a.mean).toFixed(2),
      ];
    });
    opRows.push([
      'WeChat Pay notification (server side)',
      (notify.count / api.elapsedS).toFixed(1),
      ms(notify.p50),
      ms(notify.p95),
      ms(notify.p99),
      ms(raw.notification.p50),
      ms(raw.notification.p99),
      (raw.notification.mean / notify.mean).toFixed(2),
    ]);
    const opHeader = [
      'operation',
      'ops/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'raw p50 ms',
      'raw p99 ms',
      'raw / API (mean)',
    ];
    const stepRows = Object.entries(api.steps)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([step, s]) => [
        step,
        s.count,
        (s.count / api.elapsedS).toFixed(1),
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        Object.entries(s.statuses)
          .map(([k, v]) => `${k}×${v}`)
          .join(' '),
      ]);
    const stepHeader = ['request', 'count', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'answers'];
    const weights = OP_NAMES.map((o) => `${o} ${MIXED_WEIGHTS[o]}`).join(', ');
    const summary = [
      `throughput: API ${apiRate.toFixed(1)} ops/s (${(requests / api.elapsedS).toFixed(0)} HTTP requests/s), raw floor ${rawRate.toFixed(1)} ops/s: ratio API / raw ${(apiRate / rawRate).toFixed(2)}`,
      `failed operations: ${failed} of ${apiOps} (${e.connection} connection errors, ${e.timeouts} timeouts, ${e.http5xx} 5xx, ${e.unexpected4xx} unexpected 4xx); notifications handled ${notify.count} (${notifyFailed} refused)`,
      `CPU per operation: hub (with the sandbox and the jobs) ${cpuPerOp((hubCpu.user + hubCpu.system) / 1e6)}, engine ${cpuPerOp(engineCpu)}`,
    ];
    const totalS = (performance.now() - runStarted) / 1000;

    console.log('');
    console.log(
      `member hub load run: ${MEMBERS.toLocaleString('en')} members (${ACTIVE_MEMBERS.toLocaleString('en')} active), ${CONCURRENCY} concurrent, ${DURATION_S} s mixed traffic, raw floor ${RAW_DURATION_S} s`,
    );
    console.log(`machine: ${machine}`);
    console.log(`weights: ${weights}`);
    console.log(table(opHeader, opRows));
    console.log('');
    console.log(table(stepHeader, stepRows));
    console.log('');
    for (const line of summary) console.log(line);
    if (api.samples.length)
      console.log(`unexpected answers (first ${api.samples.length}):\n  ${api.samples.join('\n  ')}`);
    console.log(`total run time ${totalS.toFixed(0)} s (seeding ${seedS.toFixed(0)} s)`);

    const doc = writeSection(
      'load',
      [
        '## Load run (`npm run load`)',
        '',
        `Run ${new Date().toISOString()}.`,
        `Machine: ${machine} (shared with other work:`,
        'absolute numbers are noisy, the ratios measured within the one run are what matter).',
        '',
        `${MEMBERS.toLocaleString('en')} members seeded with the driver (${ACTIVE_MEMBERS.toLocaleString('en')} of them show up), ${COUPONS.toLocaleString('en')} gift coupons, ${TILLS} tills.`,
        `The engine (mongo-lite) and the traffic driver run as their own processes; the hub runs with its scheduled jobs`,
        `(reconciliation, subscription messages) and the WeChat sandbox. ${CONCURRENCY} virtual users in a closed loop for`,
        `${DURATION_S} s after a ${WARMUP_S} s warm-up, weights ${weights}.`,
        '',
        "The raw floor is each operation's database work (auth reads included) through the driver, same mix, same",
        `concurrency, ${RAW_DURATION_S} s; it leaves out WeChat Pay's calls (JSAPI order, query, the payer) and the jobs.`,
        '`raw / API (mean)` is the raw mean latency over the API mean latency (1.00 = the hub adds nothing).',
        '',
        table(opHeader, opRows),
        '',
        ...summary.map((l) => `- ${l}`),
        '',
        '<details><summary>Per request</summary>',
        '',
        table(stepHeader, stepRows),
        '',
        '</details>',
      ].join('\n'),
    );
    console.log(`results written to ${doc}`);
    // Without faults nothing may break; a few 409s are fine (two tills racing for one member's code).
    if (e.connection + e.timeouts + e.http5xx + notifyFailed > 0 || failed > apiOps * 0.005) process.exitCode = 1;
  } finally {
    scheduler?.stop();
    await hub.stop();
    engine.child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
