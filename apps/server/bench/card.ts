// Issue 5 benchmark, one run, ratios not absolute numbers (machines are noisy):
//  1. GET /api/v1/me/card requests/s and p99 against a bare Koa route doing one indexed findOne on the same engine;
//  2. scan-to-summary p99 with 100 concurrent POST /api/v1/staff/scan.
// 100,000 members in the database; mongo-lite runs in its own process, as a database would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdentityPaths } from '@member-hub/shared';
import Koa from 'koa';
import { createLogger } from '../src/logger';
import { memberModel } from '../src/modules/members/model';
import { startHub } from '../src/runtime';
import { benchConfig, load, seedMembers, startEngine } from './harness';

const MEMBERS = 100_000;
const HOT_MEMBERS = 2_000;
const DURATION_MS = 5_000;
const CONCURRENCY = 16;
const SCAN_BURST = 100;
const SCAN_ROUNDS = 5;

async function main(): Promise<void> {
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
  const hub = await startHub({ config, logger: createLogger('silent') });
  try {
    await seedMembers(config.database.uri, MEMBERS);
    const Members = memberModel(hub.deps.conn);
    const hot = await Members.find({}, { _id: 1 }).limit(HOT_MEMBERS).lean();
    const tokens = await Promise.all(
      hot.map((m) => hub.deps.tokens.issue({ kind: 'member', id: m._id.toHexString() }).then((t) => t.token)),
    );

    // The floor: a bare Koa route, one indexed findOne on the same connection, JSON out.
    const bare = new Koa();
    bare.use(async (ctx) => {
      ctx.body = await Members.findById(ctx.path.slice(1)).lean();
    });
    const bareServer = createServer(bare.callback());
    await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
    const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

    const pick = (i: number) => (i * 7919) % hot.length;
    // Warm both paths (JIT, connection pools, each member's code for this window).
    await Promise.all(
      tokens.map((token) =>
        fetch(`${hub.url}${IdentityPaths.myCard}`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
          r.arrayBuffer(),
        ),
      ),
    );
    const order = hot.map((_, i) => pick(i));
    const bareResult = await load({
      kind: 'closed-loop',
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      requests: order.map((k) => ({ method: 'GET', url: `${bareUrl}/${hot[k]?._id.toHexString()}` })),
    });
    const card = await load({
      kind: 'closed-loop',
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      requests: order.map((k) => ({
        method: 'GET',
        url: `${hub.url}${IdentityPaths.myCard}`,
        headers: { authorization: `Bearer ${tokens[k]}` },
      })),
    });
    // The floor for a burst: the same 100-at-once pattern against the bare one-findOne route.
    const bareBurst = await load({
      kind: 'bursts',
      concurrency: SCAN_BURST,
      requests: order
        .slice(0, SCAN_BURST * SCAN_ROUNDS)
        .map((k) => ({ method: 'GET', url: `${bareUrl}/${hot[k]?._id.toHexString()}` })),
    });
    bareServer.close();

    // Scan-to-summary: 100 staff scans at once, each of a fresh member code, several rounds.
    const store = await hub.deps.stores.create({ name: '压测门店', code: 'BENCH', address: '' });
    const staff = await hub.deps.staff.create({
      storeId: store._id.toHexString(),
      name: '收银',
      username: 'bench-cashier',
      password: 'bench-password',
      role: 'staff',
    });
    const staffToken = (await hub.deps.tokens.issue({ kind: 'staff', id: staff._id.toHexString() })).token;
    const scanMembers = tokens.slice(0, SCAN_BURST * SCAN_ROUNDS);
    const codes = await Promise.all(
      scanMembers.map(async (token) => {
        const res = await fetch(`${hub.url}${IdentityPaths.myCard}`, { headers: { authorization: `Bearer ${token}` } });
        return ((await res.json()) as { code: { numeric: string } }).code.numeric;
      }),
    );
    const scans = await load({
      kind: 'bursts',
      concurrency: SCAN_BURST,
      requests: codes.map((code) => ({
        method: 'POST',
        url: `${hub.url}${IdentityPaths.staffScan}`,
        headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      })),
    });

    const fmt = (n: number) => n.toFixed(1);
    console.log(
      `member hub card benchmark: ${MEMBERS.toLocaleString('en')} members, ${CONCURRENCY} concurrent, ${DURATION_MS / 1000}s per run`,
    );
    console.log(
      `bare Koa + findOne       ${Math.round(bareResult.rps).toString().padStart(6)} req/s   p50 ${fmt(bareResult.p50)} ms   p99 ${fmt(bareResult.p99)} ms`,
    );
    console.log(
      `GET /api/v1/me/card      ${Math.round(card.rps).toString().padStart(6)} req/s   p50 ${fmt(card.p50)} ms   p99 ${fmt(card.p99)} ms`,
    );
    console.log(`ratio card / bare        ${(card.rps / bareResult.rps).toFixed(2)}   (goal >= 0.5)`);
    console.log(
      `scan -> summary, ${SCAN_BURST} at once x ${SCAN_ROUNDS}: p50 ${fmt(scans.p50)} ms   p99 ${fmt(scans.p99)} ms   ${Math.round(scans.rps)} scans/s   (goal p99 < 50 ms)`,
    );
    console.log(
      `  floor, bare findOne route ${SCAN_BURST} at once: p50 ${fmt(bareBurst.p50)} ms   p99 ${fmt(bareBurst.p99)} ms   (scan does 4 database round trips to its 1)`,
    );
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
