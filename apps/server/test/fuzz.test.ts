// Fuzz: generated malformed requests against every route the app has (read off its root router, with each
// validate()'s zod schema), sent with real member, cashier, manager, owner and POS credentials and without any.
// The property: never a 5xx, every error in the one shape with a known code, and a refused request moves no
// value (balances, ledger entries, coupons, orders, top-ups, charges). Near-valid requests are mixed in so the
// mutated ones meet real data; those may succeed and change things, but never with a 5xx either.
//
// Bounded and replayable: a fixed seed unless FUZZ_SEED is set; per route at most FUZZ_RUNS mutated requests and
// a third as many near-valid ones (at least one per principal, which also finds who the route lets in); the
// request loop shares FUZZ_BUDGET_S seconds among the routes, so a slow route (password hashing, a backup
// archive) gets fewer requests instead of making the run slow. FUZZ_BUDGET_S=0 lifts the budget: every route
// then gets all its requests, and the run is the same for the same seed. FUZZ_ROUTE fuzzes only the routes whose
// "METHOD /path" contains it. A failure prints the seed and each failing request in full.
//
// No route is skipped: the streaming ones (exports, the import report, the backup) stream small files here, and
// the ones that start background work (job runs, RFM, tag evaluation, coupon pushes, imports) are waited for
// after their 202.
import {
  AdminMemberListQuery,
  ApiPaths,
  CouponPaths,
  IdentityPaths,
  LoyaltyPaths,
  PointsPaths,
  RecordPurchaseRequest,
  WalletPaths,
  WechatLoginRequest,
} from '@member-hub/shared';
import fc from 'fast-check';
import { buildApp } from '../src/app';
import { memberCode, memberLogin } from './helpers/factories';
import { closeFuzzAgent, describeRequest, type FuzzResponse, problemOf, send } from './helpers/fuzzHttp';
import {
  type FuzzRequest,
  type FuzzRoute,
  idNamesOf,
  principalOf,
  routeArbitraries,
  routesOf,
} from './helpers/fuzzRoutes';
import {
  type FuzzWorld,
  hintsFrom,
  type Pools,
  PRINCIPALS,
  type Principal,
  readPools,
  repairWorld,
  rotatePosKey,
  seedWorld,
  settleBackground,
  settleNotifications,
  snapshotDiff,
  valueSnapshot,
} from './helpers/fuzzWorld';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_211);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const VALID_RUNS = Math.max(PRINCIPALS.length, Math.ceil(RUNS / 3));
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_S ?? 55) * 1000;
const ONLY = process.env.FUZZ_ROUTE;
/** Prints, per route, the statuses (and error codes) its requests got: what the fuzzer reached. */
const VERBOSE = Boolean(process.env.FUZZ_VERBOSE);
/** However tight the budget, each route gets this many mutated requests. */
const MIN_MUTATED = 4;
/** Per route and kind of problem, so one bug does not bury the others. */
const MAX_REPORTS = 2;

let hub: TestHub;
let world: FuzzWorld;
let routes: FuzzRoute[];

beforeAll(async () => {
  hub = await startTestHub();
  world = await seedWorld(hub);
  // The same routes the hub serves: buildApp is pure over deps, so a second app has the same router.
  routes = routesOf(buildApp(hub.deps));
}, 60_000);
afterAll(async () => {
  closeFuzzAgent();
  await hub.stop();
});

/** FNV-1a: a route's own seed, so adding a route does not change what the others are sent. */
function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h ^ SEED) >>> 0;
}

const changesNothing = (method: string) => ['GET', 'HEAD', 'OPTIONS'].includes(method);

describe('fuzzing every route', () => {
  it('finds every route, with the schemas its validate() middlewares check', () => {
    expect(routes.length).toBeGreaterThan(150);
    const byKey = new Map(routes.map((r) => [r.key, r]));
    expect(byKey.get(`POST ${ApiPaths.wechatLogin}`)?.zod.body).toBe(WechatLoginRequest);
    expect(byKey.get(`POST ${PointsPaths.staffPurchases}`)?.zod.body).toBe(RecordPurchaseRequest);
    expect(byKey.get(`GET ${IdentityPaths.adminMembers}`)?.zod.query).toBe(AdminMemberListQuery);
    expect(routes.filter((r) => Object.keys(r.zod).length).length).toBeGreaterThan(80);
  });

  it('never answers 5xx, keeps the one error shape, and a refused request moves no value', async () => {
    const started = Date.now();
    const failures: string[] = [];
    const reported = new Map<string, number>();
    const stats = { routes: 0, requests: 0, refused: 0, succeeded: 0, repairs: [] as string[] };
    const outcomes = new Map<string, Map<string, number>>();
    // Deleting routes go last, so what they remove (the members' accounts, tags, segments) is fuzzed first.
    const selected = [
      ...routes.filter((r) => r.method !== 'DELETE'),
      ...routes.filter((r) => r.method === 'DELETE'),
    ].filter((r) => !ONLY || r.key.includes(ONLY));
    const idNames = idNamesOf(routes);
    // The hub runs in this process: a __proto__ key that reached a merge would show on every object here.
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
    let baseline = await valueSnapshot(world);
    let pools: Pools | undefined;
    let created = true;

    const fail = (route: FuzzRoute, problem: string, req: FuzzRequest, who: Principal, res?: FuzzResponse) => {
      const kind = `${route.key} ${problem.replace(/\d+/g, 'N').slice(0, 40)}`;
      const n = (reported.get(kind) ?? 0) + 1;
      reported.set(kind, n);
      if (n <= MAX_REPORTS) failures.push(`${route.key}: ${problem}\n${describeRequest(req, who, res)}`);
    };

    const run = async (route: FuzzRoute, req: FuzzRequest, who: Principal): Promise<FuzzResponse> => {
      let res: FuzzResponse;
      try {
        res = await send(world, req, who);
      } catch (err) {
        res = { status: 0, contentType: '', text: `connection failed: ${(err as Error).message}` };
        fail(route, 'no answer', req, who, res);
      }
      stats.requests++;
      if (res.status >= 400) stats.refused++;
      else stats.succeeded++;
      if (VERBOSE) {
        const seen = outcomes.get(route.key) ?? new Map<string, number>();
        const code = /"code":"([A-Z_]+)"/.exec(res.text)?.[1];
        const label = `${req.kind[0]}${res.status}${code ? ` ${code}` : ''}`;
        seen.set(label, (seen.get(label) ?? 0) + 1);
        outcomes.set(route.key, seen);
      }
      const problem = problemOf(req, res);
      if (problem) fail(route, problem, req, who, res);
      if (res.status === 202) await settleBackground(world);
      if (!changesNothing(req.method)) {
        if (res.status < 300) {
          created = true;
          // A refund asked of WeChat Pay ends a moment later, with a notification: let it land now.
          await settleNotifications(hub);
        }
        const after = await valueSnapshot(world);
        if (res.status >= 400 && after !== baseline)
          fail(route, `refused with ${res.status} but moved value: ${snapshotDiff(baseline, after)}`, req, who, res);
        baseline = after;
      }
      return res;
    };

    for (const [index, route] of selected.entries()) {
      stats.routes++;
      const routeStarted = Date.now();
      const share = BUDGET_MS > 0 ? (BUDGET_MS - (routeStarted - started)) / (selected.length - index) : Infinity;
      // A near-valid request to the key route rotates the POS key; sign with a fresh one each time.
      await rotatePosKey(world);
      // New records (a created campaign, a claimed coupon) become targets once something has succeeded.
      if (!pools || created) pools = await readPools(world, idNames);
      created = false;
      const arbs = routeArbitraries(route, pools, hintsFrom(pools));
      const seed = seedOf(route.key);
      const valid = fc.sample(arbs.valid, { seed, numRuns: VALID_RUNS });
      const mutated = fc.sample(arbs.mutated, { seed: seed + 1, numRuns: RUNS });

      // The first near-valid requests go out once as each principal: whoever is not refused with 401/403 is let
      // in, and the rest of the batch mostly comes from them.
      const allowed: Principal[] = [];
      for (const [i, who] of PRINCIPALS.entries()) {
        const res = await run(route, valid[i] as FuzzRequest, who);
        if (res.status !== 401 && res.status !== 403) allowed.push(who);
      }
      const rest = valid.slice(PRINCIPALS.length);
      // A near-valid request before every few mutated ones, so mutations meet the data those create.
      const every = Math.max(1, Math.floor(mutated.length / Math.max(1, rest.length)));
      for (const [i, req] of mutated.entries()) {
        if (i >= MIN_MUTATED && Date.now() - routeStarted > share) break;
        const v = i % every === 0 ? rest[i / every] : undefined;
        if (v) await run(route, v, principalOf(v, allowed));
        await run(route, req, principalOf(req, allowed));
      }

      // GETs answer from what is there: across the whole batch they must have moved nothing.
      const after = await valueSnapshot(world);
      if (after !== baseline)
        failures.push(`${route.key}: requests that change nothing (GET) moved value: ${snapshotDiff(baseline, after)}`);
      const repaired = await repairWorld(world);
      if (repaired.length) {
        stats.repairs.push(`${route.key}: ${repaired.join(', ')}`);
        created = true;
      }
      baseline = await valueSnapshot(world);
    }

    if (Object.getOwnPropertyNames(Object.prototype).join() !== prototypeKeys)
      failures.push(`Object.prototype was polluted: ${Object.getOwnPropertyNames(Object.prototype).join()}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary =
      `fuzz: seed ${SEED}, ${stats.routes} routes, ${stats.requests} requests ` +
      `(${stats.refused} refused, ${stats.succeeded} succeeded) in ${seconds} s`;
    if (VERBOSE)
      console.info(
        [...outcomes]
          .map(([key, seen]) => `${key}: ${[...seen].map(([label, n]) => `${label}×${n}`).join(', ')}`)
          .join('\n'),
      );
    if (failures.length) {
      throw new Error(
        `${summary}\n${failures.length} problems. Replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_BUDGET_S=0 ` +
          `npx jest apps/server/test/fuzz.test.ts\n\n${failures.join('\n\n')}`,
      );
    }
    console.info(`${summary}; repaired after: ${stats.repairs.join('; ') || 'none'}`);
  }, 240_000);
});

// Each request the fuzzer once caught getting a 5xx, or moving value while refused, asked again on purpose.
describe('what the fuzzer found stays fixed', () => {
  const owner = () => world.owner;

  it('a reconciliation of a day that does not exist, or that WeChat keeps no bill for, is a 400', async () => {
    for (const date of ['2026-13-45', '2099-01-01', '2000-01-01']) {
      const res = await request(hub.url, 'GET', `${WalletPaths.adminReconciliation}?date=${date}`, { token: owner() });
      expect({ date, status: res.status, code: res.body.error?.code }).toEqual({
        date,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('a reconciliation while WeChat Pay is down is a 503 PAYMENT_UNAVAILABLE, not a 500', async () => {
    const yesterday = new Date(hub.deps.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    await request(hub.url, 'POST', `${hub.sandboxUrl}/__control/failures`, {
      json: { api: 'pay_tradebill', errcode: 500, count: 1 },
    });
    const res = await request(hub.url, 'GET', `${WalletPaths.adminReconciliation}?date=${yesterday}`, {
      token: owner(),
    });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 503, code: 'PAYMENT_UNAVAILABLE' });
  });

  it('dates that do not exist are refused in coupon templates and top-up packages', async () => {
    const template = await request(hub.url, 'POST', CouponPaths.adminTemplates, {
      token: owner(),
      json: {
        title: '坏日期',
        effect: { kind: 'cash_off', valueFen: 100 },
        validity: { type: 'fixed', from: '2026-01-01', until: '2026-13-45' },
      },
    });
    expect(template.status).toBe(400);
    const pkg = await request(hub.url, 'POST', WalletPaths.adminPackages, {
      token: owner(),
      json: { name: '坏日期', payFen: 10_000, bonusFen: 0, validUntil: '2026-02-30' },
    });
    expect(pkg.status).toBe(400);
  });

  it('points that would leave the safe-integer range are refused, in adjustments and in task rules', async () => {
    const adjust = await request(hub.url, 'POST', LoyaltyPaths.adminPointsAdjustments(world.members.member.id), {
      token: owner(),
      json: { amount: Number.MAX_SAFE_INTEGER, reason: '溢出', idempotencyKey: 'fuzz-regression-overflow' },
    });
    expect(adjust.status).toBe(400);
    const rules = (await request(hub.url, 'GET', PointsPaths.rules, { token: owner() })).body;
    const huge = { ...rules, tasks: { ...rules.tasks, checkIn: { ...rules.tasks.checkIn, points: 2 ** 52 } } };
    expect((await request(hub.url, 'PUT', PointsPaths.rules, { token: owner(), json: huge })).status).toBe(400);
  });

  it("refunding a deleted member's order is refused before the order moves", async () => {
    const m = await memberLogin(hub, 'fuzz-regression-leaver');
    const cashier = world.staff.manager.token;
    const code = (await memberCode(hub, m.token)).numeric;
    await request(hub.url, 'POST', IdentityPaths.staffScan, { token: cashier, json: { code } });
    const order = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
      token: cashier,
      json: { memberId: m.memberId, amountFen: 10_000, idempotencyKey: 'fuzz-regression-order' },
    });
    expect(order.status).toBe(201);
    expect((await request(hub.url, 'DELETE', IdentityPaths.me, { token: m.token })).status).toBeLessThan(300);
    const before = await valueSnapshot(world);
    const refund = await request(hub.url, 'POST', LoyaltyPaths.staffRefunds(order.body.orderId), {
      token: cashier,
      json: { amountFen: 5_000, idempotencyKey: 'fuzz-regression-refund' },
    });
    expect(refund.body.error?.code).toBe('MEMBER_DELETED');
    expect(await valueSnapshot(world)).toBe(before);
  });

  it('a path that leaves the H5 build, or names a directory in it, is answered with the page', async () => {
    for (const rawPath of ['/h5/..', '/h5/../..', '/h5/assets/', '/admin/..']) {
      const res = await send(
        world,
        { kind: 'mutated', mutation: 'path', pick: 0, stray: false, method: 'GET', path: rawPath, headers: {} },
        'anonymous',
      );
      expect({ rawPath, serverError: res.status >= 500 }).toEqual({ rawPath, serverError: false });
    }
  });
});
