// Issue 11 fault run (`npm run faults`): the hub as its own process (node --import tsx apps/server/src/main.ts) on
// a mongo-lite process with its journal in a temp folder and a WeChat sandbox process (WECHAT_SANDBOX_URL), under
// mixed traffic from a tolerant client (mixedTraffic.ts: counts connection errors, retries value-moving requests
// with the same idempotency key). Meanwhile: the sandbox answers 5xx, then times out (latency past the clients'
// timeouts), then duplicates payment notifications; the server is killed (-9) and restarted; the engine is killed
// (-9) and restarted from its journal, and later stopped (SIGTERM) and restarted. Then the system settles
// (notification retries, the reconcile job, run now through the owner API) and every invariant is checked
// (faultInvariants.ts). Exits non-zero if any fails; writes the section of docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config';
import { parseEnv } from '../src/env';
import { createLogger } from '../src/logger';
import { ownerModel } from '../src/modules/owners/model';
import { startHub } from '../src/runtime';
import { machineLine, table, writeSection } from './benchmarksDoc';
import { checkInvariants, type InvariantResult, sandboxPayments } from './faultInvariants';
import { seedMembers } from './harness';
import { BENCH_APPID, grantMessageConsent, prepareTraffic, writeFixtures } from './mixedSetup';
import { MIXED_WEIGHTS, OP_NAMES, type TrafficResult } from './mixedTraffic';
import {
  freePort,
  type Proc,
  runTraffic,
  sleep,
  startEngineProcess,
  startSandboxProcess,
  startServerProcess,
  stop,
} from './processes';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 100_000);
const ACTIVE_MEMBERS = 2_000;
/** Members who accepted subscription messages (so the sender really sends, and WeChat's log can be compared). */
const MESSAGE_MEMBERS = 1_000;
const COUPONS = 5_000;
const TILLS = 6;
const CONCURRENCY = 12;
const DURATION_S = Math.max(95, Number(process.env.FAULT_DURATION_S ?? 100));
/** Longer than one outage: a client retrying through it with the same key gets its answer. */
const RETRY_FOR_MS = 90_000;
const SETTLE_MAX_S = 240;
const BUDGET_S = 570;
const SANDBOX_SECRET = 'sandbox_secret';

interface Outage {
  at: number;
  what: string;
  detail: string;
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const elapsed = () => (performance.now() - runStarted) / 1000;
  const watchdog = setTimeout(() => {
    console.error(`fault run over its ${BUDGET_S} s budget: giving up`);
    process.exit(2);
  }, BUDGET_S * 1000);
  watchdog.unref();
  const machine = machineLine();
  const work = mkdtempSync(path.join(os.tmpdir(), 'hub-faults-'));
  const dataDir = path.join(work, 'engine');
  const keysDir = path.join(work, 'keys');
  const [enginePort, sandboxPort, serverPort] = [await freePort(), await freePort(), await freePort()];
  let engine = await startEngineProcess({ port: enginePort, dataDir });
  const sandbox = await startSandboxProcess({
    port: sandboxPort,
    payKeysDir: keysDir,
    app: { appid: BENCH_APPID, secret: SANDBOX_SECRET },
  });
  const uri = engine.uri.replace('/?', '/faults?');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(serverPort),
    MONGODB_URI: uri,
    WECHAT_APPID: BENCH_APPID,
    WECHAT_SANDBOX_URL: sandbox.url,
    WECHAT_SANDBOX_PAY_KEYS_DIR: keysDir,
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
  };
  let server: (Proc & { url: string }) | null = null;
  const outages: Outage[] = [];
  let conn: mongoose.Connection | null = null;
  let driver: Proc | null = null;
  try {
    // ---- seed and set up (through the services, from this process, before the server starts) ----
    await seedMembers(uri, MEMBERS);
    // Seeded balances would have no ledger behind them: these members start from zero.
    const seeded = mongoose.createConnection(uri);
    await seeded.asPromise();
    await seeded
      .collection('members')
      .updateMany({}, { $set: { points: 0, growth: 0, walletPrincipalFen: 0, walletBonusFen: 0 } });
    await seeded.close();
    const config = loadConfig(parseEnv(env));
    const setup = await startHub({
      config: { ...config, server: { ...config.server, port: 0 } },
      logger: createLogger('silent'),
    });
    const fixtures = await prepareTraffic(setup.deps, {
      activeMembers: ACTIVE_MEMBERS,
      coupons: COUPONS,
      tills: TILLS,
    });
    await grantMessageConsent(setup.deps, sandbox.url, fixtures.members.slice(0, MESSAGE_MEMBERS));
    const owner = await ownerModel(setup.deps.conn).findOne({}, { _id: 1 }).lean();
    if (!owner) throw new Error('no owner to run jobs with');
    const ownerToken = (await setup.deps.tokens.issue({ kind: 'owner', id: owner._id.toHexString() })).token;
    await setup.stop();
    const fixturesFile = path.join(work, 'fixtures.json');
    writeFixtures(fixturesFile, fixtures);
    console.log(`set up in ${elapsed().toFixed(0)} s: ${MEMBERS.toLocaleString('en')} members, engine ${uri}`);

    server = await startServerProcess(env);
    const apiUrl = server.url;
    console.log(`server up at ${apiUrl}, sandbox ${sandbox.url}`);

    const control = async (route: string, body: unknown) => {
      const res = await fetch(`${sandbox.url}/__control${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`sandbox ${route}: ${res.status} ${await res.text()}`);
    };
    const runJob = async (name: string) => {
      try {
        const res = await fetch(`${apiUrl}/api/v1/admin/jobs/${name}/run`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ownerToken}` },
        });
        return res.status;
      } catch {
        return 0;
      }
    };

    // ---- traffic, and the outages on a fixed timeline ----
    const traffic = runTraffic({
      apiUrl,
      sandboxUrl: sandbox.url,
      fixturesFile,
      durationMs: DURATION_S * 1000,
      concurrency: CONCURRENCY,
      weights: MIXED_WEIGHTS,
      tolerant: true,
      timeoutMs: 15_000,
      retryForMs: RETRY_FOR_MS,
      progressEveryMs: 10_000,
    });
    driver = traffic.proc;
    const trafficStarted = performance.now();
    const at = () => Math.round((performance.now() - trafficStarted) / 100) / 10;
    const until = async (second: number) => {
      const wait = trafficStarted + second * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
    };
    /** One outage: what it is, done now; logged with the time it began and what came of it. */
    const outage = async (what: string, apply: () => Promise<string>) => {
      const began = at();
      const detail = await apply();
      outages.push({ at: began, what, detail });
      console.log(`  [t=${began}s] ${what}: ${detail}`);
    };
    const restart = async (kill: () => Promise<void>, start: () => Promise<void>) => {
      const t = performance.now();
      await kill();
      await start();
      return ((performance.now() - t) / 1000).toFixed(1);
    };
    const restartServer = () =>
      restart(
        async () => {
          if (server) await stop(server, 'SIGKILL');
        },
        async () => {
          server = await startServerProcess(env);
        },
      );
    const restartEngine = (signal: NodeJS.Signals) =>
      restart(
        () => stop(engine, signal),
        async () => {
          engine = await startEngineProcess({ port: enginePort, dataDir });
        },
      );
    const paidCount = async () => (await sandboxPayments(sandbox.url)).length;

    await until(8);
    await outage('sandbox 5xx', async () => {
      await control('/failures', { api: 'pay_jsapi', errcode: 500, count: 12 });
      await control('/failures', { api: 'pay_query_out_trade_no', errcode: 503, count: 12 });
      await control('/failures', { api: 'subscribe_send', status: 502, count: 8 });
      await runJob('sendMessages');
      return 'the next 12 JSAPI orders answer 500, 12 order queries 503, 8 message sends a 502 gateway page';
    });

    await until(18);
    await outage('server kill -9', async () => `killed, restarted, serving again after ${await restartServer()} s`);

    await until(30);
    await outage('duplicate notifications', async () => {
      let duplicated = 0;
      for (let i = 0; i < 5; i++) {
        const before = await paidCount();
        await control('/pay/notifications/duplicate', { times: 3 });
        // The flag is for the next notification: wait for it before arming the next one.
        for (let w = 0; w < 30 && (await paidCount()) === before; w++) await sleep(200);
        if ((await paidCount()) > before) duplicated++;
      }
      return `${duplicated} payment notifications each delivered 3 times at once`;
    });

    await until(42);
    await outage('sandbox timeouts', async () => {
      await control('/latency', { api: 'pay_jsapi', ms: 12_000 });
      await control('/latency', { api: 'pay_query_out_trade_no', ms: 12_000 });
      await control('/latency', { api: 'subscribe_send', ms: 7_000 });
      await runJob('sendMessages');
      await until(57);
      for (const api of ['pay_jsapi', 'pay_query_out_trade_no', 'subscribe_send'])
        await control('/latency', { api, ms: 0 });
      return 'for 15 s: JSAPI and order query answer after 12 s (the server gives up at 10 s), message sends after 7 s (at 5 s)';
    });

    await until(62);
    await outage(
      'engine kill -9',
      async () => `killed, restarted from its journal, up after ${await restartEngine('SIGKILL')} s`,
    );

    await until(76);
    await outage(
      'engine restart (SIGTERM)',
      async () => `stopped, restarted, up after ${await restartEngine('SIGTERM')} s`,
    );

    await until(88);
    await outage('server kill -9', async () => `killed, restarted, serving again after ${await restartServer()} s`);

    const result: TrafficResult = await traffic.result;
    console.log(`traffic done after ${at()} s (in-flight retries included)`);

    // ---- settle: notifications retry, the reconcile job asks WeChat Pay, the sender drains ----
    conn = mongoose.createConnection(uri);
    await conn.asPromise();
    const db = conn.db;
    if (!db) throw new Error('not connected');
    const settleStarted = performance.now();
    let lastJobs = 0;
    let unsettled = Number.POSITIVE_INFINITY;
    for (;;) {
      const paid = await sandboxPayments(sandbox.url);
      const ours = new Set(
        (
          await db
            .collection('pay_orders')
            .find({ state: 'SUCCESS' }, { projection: { outTradeNo: 1 } })
            .toArray()
        ).map((o) => String(o.outTradeNo)),
      );
      unsettled = paid.filter((n) => !ours.has(n.outTradeNo)).length;
      const waited = (performance.now() - settleStarted) / 1000;
      if (unsettled === 0) break;
      if (waited > SETTLE_MAX_S || elapsed() > BUDGET_S - 60) break;
      if (performance.now() - lastJobs > 20_000) {
        await runJob('reconcileOpenPayments');
        await runJob('sendMessages');
        lastJobs = performance.now();
        console.log(`  settling (${waited.toFixed(0)} s): ${unsettled} paid orders not yet credited`);
      }
      await sleep(3_000);
    }
    await runJob('sendMessages');
    await sleep(3_000);
    const settleS = (performance.now() - settleStarted) / 1000;
    console.log(
      `settled in ${settleS.toFixed(0)} s${unsettled ? ` (${unsettled} paid orders still not credited)` : ''}`,
    );

    // ---- invariants ----
    const checks: InvariantResult[] = await checkInvariants({
      db,
      sandboxUrl: sandbox.url,
      acked: result.acked,
      expectedRefusals: result.errors.expectedRefusals,
    });
    const failed = checks.filter((c) => !c.ok);

    const opRows = OP_NAMES.map((o) => [o, result.ops[o].count, result.ops[o].ok, result.ops[o].failed]);
    const e = result.errors;
    const clientLine = `client: ${e.connection} connection errors, ${e.timeouts} timeouts, ${e.http5xx} 5xx answers, ${e.unexpected4xx} unexpected 4xx, ${e.retries} retries with the same key, ${e.gaveUp} given up`;
    const checkRows = checks.map((c) => [
      c.ok ? 'ok' : '**FAILED**',
      c.name,
      Object.entries(c.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join('; '),
    ]);
    const outageRows = outages.map((o) => [`${o.at} s`, o.what, o.detail]);
    const totalS = elapsed();

    console.log('');
    console.log(
      `member hub fault run: ${MEMBERS.toLocaleString('en')} members, ${CONCURRENCY} concurrent clients, ${DURATION_S} s of traffic`,
    );
    console.log(`machine: ${machine}`);
    console.log(table(['t', 'outage', 'what happened'], outageRows));
    console.log('');
    console.log(table(['operation', 'count', 'ok', 'failed'], opRows));
    console.log(clientLine);
    console.log(`top-ups paid whose client never came back to confirm: ${result.paidNotConfirmed}`);
    if (result.samples.length) console.log(`  first answers worth a look:\n    ${result.samples.join('\n    ')}`);
    console.log('');
    console.log(table(['', 'invariant', 'counts'], checkRows));
    for (const c of failed) console.log(`  ${c.name}:\n    ${c.examples.join('\n    ')}`);
    console.log('');
    console.log(
      failed.length === 0
        ? `all ${checks.length} invariants hold (settled in ${settleS.toFixed(0)} s, total ${totalS.toFixed(0)} s)`
        : `${failed.length} of ${checks.length} invariants FAILED`,
    );

    const doc = writeSection(
      'faults',
      [
        '## Fault run (`npm run faults`)',
        '',
        `Run ${new Date().toISOString()}.`,
        `Machine: ${machine} (shared with other work).`,
        '',
        `The server as its own process on a mongo-lite process (journal in a temp folder) and a WeChat sandbox process`,
        `(\`WECHAT_SANDBOX_URL\`); ${MEMBERS.toLocaleString('en')} members, ${CONCURRENCY} tolerant clients for ${DURATION_S} s`,
        `(weights ${OP_NAMES.map((o) => `${o} ${MIXED_WEIGHTS[o]}`).join(', ')}), value-moving requests retried with the same`,
        `idempotency key for up to ${RETRY_FOR_MS / 1000} s. Settled in ${settleS.toFixed(0)} s; whole run ${totalS.toFixed(0)} s.`,
        '',
        '### Outages applied',
        '',
        table(['t', 'outage', 'what happened'], outageRows),
        '',
        '### Traffic',
        '',
        table(['operation', 'count', 'ok', 'failed'], opRows),
        '',
        `- ${clientLine}`,
        `- second tills presenting a used coupon: ${e.expectedRefusals} refused`,
        `- top-ups paid whose client never came back to confirm (credited by the notification or the reconcile job): ${result.paidNotConfirmed}`,
        '',
        '### Invariants',
        '',
        table(['', 'invariant', 'counts'], checkRows),
        '',
        failed.length === 0
          ? `All ${checks.length} invariants hold.`
          : `${failed.length} of ${checks.length} invariants FAILED: ${failed.map((c) => `${c.name} (${c.examples.join('; ')})`).join(' / ')}`,
      ].join('\n'),
    );
    console.log(`results written to ${doc}`);
    if (failed.length > 0) process.exitCode = 1;
  } catch (err) {
    if (server) console.error(`server output (tail):\n${server.output().slice(-4000)}`);
    throw err;
  } finally {
    if (driver) await stop(driver, 'SIGKILL');
    await conn?.close();
    if (server) await stop(server, 'SIGTERM');
    await stop(sandbox, 'SIGTERM');
    await stop(engine, 'SIGTERM');
    rmSync(work, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
