// Rate limits through the HTTP API on a fixed clock: 429 with Retry-After and the one error shape, a refused
// request changes nothing, counters per IP / staff member / member / store key, shared by two server copies on one
// database, and the RATE_LIMITS=off switch that production refuses.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ApiPaths,
  CouponPaths,
  CouponTemplate,
  IdentityPaths,
  OpenApiPaths,
  OpenSalePaths,
  openApiStringToSign,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { buildApp } from '../src/app';
import { type AppConfig, loadConfig, REPO_ROOT } from '../src/config';
import { parseEnv } from '../src/env';
import { MemoryCounterStore, RateLimiter } from '../src/lib/rateLimiter';
import { createLogger } from '../src/logger';
import { memberModel } from '../src/modules/members/model';
import { startHub } from '../src/runtime';
import { configProblemsOf } from './helpers/configProblems';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request, sandboxLoginCode } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let storeId: string;
let loaded: AppConfig['rateLimits'];

beforeAll(async () => {
  hub = await startTestHub();
  loaded = structuredClone(hub.config.rateLimits);
  storeId = await createStore(hub, await ownerToken(hub), 'RL1');
});
afterAll(async () => {
  await hub.stop();
});
// Each test moves the clock by up to an hour: a fresh owner session keeps well inside its 12 hours.
beforeEach(async () => {
  owner = await ownerToken(hub);
});
// config/test.json's limits are far above these tests; each test lowers the rule it is about. The hub reads them
// on every request.
afterEach(() => {
  hub.config.rateLimits = structuredClone(loaded);
});

const rules = () => hub.config.rateLimits.rules;
const HOUR = 3_600_000;

/** Moves the clock `offsetSeconds` into the next hour: a fresh window for every rule here (each divides an hour). */
function freshWindow(offsetSeconds = 0): void {
  const now = hub.clock.now();
  hub.clock.advance(Math.floor(now / HOUR) * HOUR + HOUR + offsetSeconds * 1000 - now);
}

const ownerLogin = (username: string, password: string, base = hub.url, headers?: Record<string, string>) =>
  request(base, 'POST', ApiPaths.ownerLogin, { json: { username, password }, headers });

function expectLimited(
  res: { status: number; headers: Headers; body: unknown },
  details: { limit: number; windowSeconds: number; retryAfterSeconds: number; scope: string },
): void {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(details.retryAfterSeconds));
  expect(res.body).toEqual({ error: { code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试', details } });
}

describe('logins', () => {
  it('refuses the member login over the per-IP limit until the window ends, without spending the WeChat code', async () => {
    rules().memberLogin.perIp = { limit: 3, windowSeconds: 60 };
    freshWindow(20);
    for (let i = 0; i < 3; i++) await memberLogin(hub, `rl-login-${i}`);
    const members = await memberModel(hub.deps.conn).countDocuments();
    const code = await sandboxLoginCode(hub.sandboxUrl ?? '', hub.config.wechat.appid ?? '', 'rl-login-late');
    const login = () => request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code } });

    expectLimited(await login(), { limit: 3, windowSeconds: 60, retryAfterSeconds: 40, scope: 'perIp' });
    expect(await memberModel(hub.deps.conn).countDocuments()).toBe(members);
    const english = await request(hub.url, 'POST', ApiPaths.wechatLogin, {
      json: { code },
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.error.message).toBe('Too many requests');

    hub.clock.advance(39_000);
    expect((await login()).headers.get('retry-after')).toBe('1');
    hub.clock.advance(1_000);
    const later = await login();
    expect(later.status).toBe(201);
    expect(later.body.isNewMember).toBe(true);
  });

  it('guards the owner password per IP + username, and the IP as a whole', async () => {
    rules().ownerLogin = {
      perIp: { limit: 5, windowSeconds: 900 },
      perIpAndUsername: { limit: 2, windowSeconds: 900 },
    };
    freshWindow(100);
    expect((await ownerLogin('owner', 'wrong-guess-1')).status).toBe(401);
    expect((await ownerLogin('owner', 'wrong-guess-2')).status).toBe(401);
    // Even the right password waits: the guesser cannot learn it from the answer.
    expectLimited(await ownerLogin('owner', 'owner123456'), {
      limit: 2,
      windowSeconds: 900,
      retryAfterSeconds: 800,
      scope: 'perIpAndUsername',
    });
    // Other usernames from the address have their own count, up to the address's limit.
    expect((await ownerLogin('boss-2', 'x')).status).toBe(401);
    expect((await ownerLogin('boss-3', 'x')).status).toBe(401);
    expectLimited(await ownerLogin('boss-4', 'x'), {
      limit: 5,
      windowSeconds: 900,
      retryAfterSeconds: 800,
      scope: 'perIp',
    });
    hub.clock.advance(800_000);
    expect((await ownerLogin('owner', 'owner123456')).status).toBe(200);
  });

  it('guards staff login per IP + username', async () => {
    await createStaff(hub, owner, storeId, 'rl-login-staff');
    rules().staffLogin.perIpAndUsername = { limit: 1, windowSeconds: 300 };
    freshWindow(0);
    const login = (username: string) =>
      request(hub.url, 'POST', IdentityPaths.staffLogin, { json: { username, password: 'staff-password-1' } });
    expect((await login('rl-login-staff')).status).toBe(200);
    expectLimited(await login('rl-login-staff'), {
      limit: 1,
      windowSeconds: 300,
      retryAfterSeconds: 300,
      scope: 'perIpAndUsername',
    });
    expect((await login('someone-else')).status).toBe(401);
  });

  it('behind the load balancer counts each client address apart, taken from the last X-Forwarded-For entry', async () => {
    // What production builds: app.proxy on.
    const app = buildApp({ ...hub.deps, config: { ...hub.deps.config, env: 'production' } });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      rules().ownerLogin = { perIp: { limit: 1, windowSeconds: 900 }, perIpAndUsername: null };
      freshWindow(0);
      const from = (forwardedFor: string) => ownerLogin('nobody', 'x', base, { 'x-forwarded-for': forwardedFor });
      expect((await from('198.51.100.7')).status).toBe(401);
      expect((await from('198.51.100.7')).status).toBe(429);
      expect((await from('198.51.100.8')).status).toBe(401);
      // A client cannot pick its address: the load balancer appends the one it saw.
      expect((await from('203.0.113.99, 198.51.100.7')).status).toBe(429);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('at the till', () => {
  it('limits scanning per staff member: the colleague at the next till is not slowed, and nothing is spent', async () => {
    const a = await createStaff(hub, owner, storeId, 'rl-cashier-a');
    const b = await createStaff(hub, owner, storeId, 'rl-cashier-b');
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await memberLogin(hub, `rl-scan-${i}`));
    const [m0, m1, m2, m3] = members as [
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
    ];
    rules().staffScan.perActor = { limit: 2, windowSeconds: 60 };
    freshWindow(0);
    const scan = async (staff: { token: string }, code: string) =>
      request(hub.url, 'POST', IdentityPaths.staffScan, { token: staff.token, json: { code } });
    const codeOf = async (m: { token: string }) => (await memberCode(hub, m.token)).numeric;

    expect((await scan(a, await codeOf(m0))).status).toBe(200);
    expect((await scan(a, await codeOf(m1))).status).toBe(200);
    const code2 = await codeOf(m2);
    expectLimited(await scan(a, code2), { limit: 2, windowSeconds: 60, retryAfterSeconds: 60, scope: 'perActor' });
    // A coupon lookup is scanning too, on the same budget.
    const lookup = await request(hub.url, 'POST', CouponPaths.staffLookup, {
      token: a.token,
      json: { code: '123456789012' },
    });
    expect(lookup.status).toBe(429);
    // The refused scan neither used the member's code nor wrote an audit record.
    const audits = await hub.deps.conn
      .collection('audit_log')
      .countDocuments({ action: 'member.scan', memberId: new Types.ObjectId(m2.memberId) });
    expect(audits).toBe(0);
    expect((await scan(b, code2)).status).toBe(200);
    expect((await scan(b, await codeOf(m3))).status).toBe(200);
  });
});

describe('members', () => {
  it('limits coupon claims per member; a refused claim issues nothing', async () => {
    const res = await request(hub.url, 'POST', CouponPaths.adminTemplates, {
      token: owner,
      json: {
        title: '限流测试券',
        effect: { kind: 'cash_off', valueFen: 1_000 },
        conditions: { thresholdFen: 5_000 },
        validity: { type: 'relative', days: 30 },
        claimable: true,
        totalStock: 100,
        perMemberLimit: 10,
      },
    });
    expect(res.status).toBe(201);
    const template = CouponTemplate.parse(res.body);
    const m = await memberLogin(hub, 'rl-claimer');
    const other = await memberLogin(hub, 'rl-claimer-2');
    rules().couponClaim.perActor = { limit: 2, windowSeconds: 60 };
    freshWindow(30);
    const claim = (token: string) =>
      request(hub.url, 'POST', CouponPaths.claims, {
        token,
        json: { templateId: template.id, idempotencyKey: `rl-${randomUUID()}` },
      });
    expect((await claim(m.token)).status).toBe(201);
    expect((await claim(m.token)).status).toBe(201);
    expectLimited(await claim(m.token), { limit: 2, windowSeconds: 60, retryAfterSeconds: 30, scope: 'perActor' });
    const issued = () =>
      hub.deps.conn.collection('coupons').countDocuments({ templateId: new Types.ObjectId(template.id) });
    expect(await issued()).toBe(2);
    const stored = await hub.deps.conn.collection('coupon_templates').findOne({ _id: new Types.ObjectId(template.id) });
    expect(stored?.stockLeft).toBe(98);
    expect((await claim(other.token)).status).toBe(201);
    hub.clock.advance(30_000);
    expect((await claim(m.token)).status).toBe(201);
    expect(await issued()).toBe(4);
  });

  it('limits referral binding per IP and per member; a refused accept binds nothing', async () => {
    const inviter = await memberLogin(hub, 'rl-inviter');
    const invitees = [];
    for (let i = 0; i < 3; i++) invitees.push(await memberLogin(hub, `rl-invitee-${i}`));
    const token = (await request(hub.url, 'GET', CouponPaths.myReferral, { token: inviter.token })).body.token;
    const accept = (m: { token: string }) =>
      request(hub.url, 'POST', CouponPaths.acceptReferral, { token: m.token, json: { token } });
    const [i0, i1, i2] = invitees as [(typeof invitees)[0], (typeof invitees)[0], (typeof invitees)[0]];

    rules().referralBind = { perActor: { limit: 5, windowSeconds: 3600 }, perIp: { limit: 2, windowSeconds: 3600 } };
    freshWindow(600);
    expect((await accept(i0)).status).toBe(200);
    expect((await accept(i1)).status).toBe(200);
    expectLimited(await accept(i2), { limit: 2, windowSeconds: 3600, retryAfterSeconds: 3000, scope: 'perIp' });
    expect(
      await hub.deps.conn.collection('referrals').countDocuments({ inviteeId: new Types.ObjectId(i2.memberId) }),
    ).toBe(0);

    // A scope set to null is not limited; the member's own count still is.
    rules().referralBind = { perActor: { limit: 1, windowSeconds: 3600 }, perIp: null };
    freshWindow(0);
    expect((await accept(i2)).body.status).toBe('bound');
    expectLimited(await accept(i2), { limit: 1, windowSeconds: 3600, retryAfterSeconds: 3600, scope: 'perActor' });
  });
});

describe('open API', () => {
  const storeKey = async (id: string) =>
    (await request(hub.url, 'POST', OpenApiPaths.storeKey(id), { token: owner })).body.key as string;

  /** A signed walk-in sale as a POS sends it; `send` sends the very same bytes again. */
  function signedSale(store: string, key: string, externalSaleId: string) {
    const raw = JSON.stringify({ externalSaleId, amountFen: 3_000 });
    const timestamp = String(Math.floor(hub.clock.now() / 1000));
    const nonce = randomBytes(12).toString('base64url');
    const signature = createHmac('sha256', key)
      .update(openApiStringToSign('POST', OpenSalePaths.sales, timestamp, nonce, raw))
      .digest('base64');
    const headers = {
      'x-hub-store': store,
      'x-hub-timestamp': timestamp,
      'x-hub-nonce': nonce,
      'x-hub-signature': signature,
    };
    return { send: () => request(hub.url, 'POST', OpenSalePaths.sales, { raw, headers }) };
  }

  it('limits per store key; a refused request can be sent again later, nonce and all', async () => {
    const keyA = await storeKey(storeId);
    const otherStore = await createStore(hub, owner, 'RL2');
    const keyB = await storeKey(otherStore);
    rules().openApi.perStore = { limit: 2, windowSeconds: 60 };
    freshWindow(50);
    expect((await signedSale('RL1', keyA, 'RL-1').send()).status).toBe(201);
    expect((await signedSale('RL1', keyA, 'RL-2').send()).status).toBe(201);
    const third = signedSale('RL1', keyA, 'RL-3');
    expectLimited(await third.send(), { limit: 2, windowSeconds: 60, retryAfterSeconds: 10, scope: 'perStore' });
    const sales = () =>
      hub.deps.conn.collection('store_sales').countDocuments({ storeId: new Types.ObjectId(storeId) });
    expect(await sales()).toBe(2);
    // Another store's key has its own count; a bad signature is not counted against the store.
    expect((await signedSale('RL2', keyB, 'RL-B1').send()).status).toBe(201);
    expect((await signedSale('RL2', 'not-the-key', 'RL-B2').send()).status).toBe(401);
    expect((await signedSale('RL2', keyB, 'RL-B3').send()).status).toBe(201);

    hub.clock.advance(10_000);
    expect((await third.send()).status).toBe(201);
    expect(await sales()).toBe(3);
  });
});

describe('several server copies', () => {
  it('share the counters through the database', async () => {
    const config = structuredClone(hub.config);
    config.database.uri = hub.databaseUri;
    // The same instant on both copies, as two machines with synchronised clocks.
    const second = await startHub({ config, logger: createLogger('silent'), now: hub.clock.now });
    try {
      const limit = { perIp: null, perIpAndUsername: { limit: 2, windowSeconds: 900 } };
      rules().ownerLogin = limit;
      config.rateLimits.rules.ownerLogin = structuredClone(limit);
      freshWindow(0);
      expect((await ownerLogin('owner', 'wrong-1')).status).toBe(401);
      expect((await ownerLogin('owner', 'wrong-2', second.url)).status).toBe(401);
      expect((await ownerLogin('owner', 'owner123456', second.url)).status).toBe(429);
      expect((await ownerLogin('owner', 'owner123456')).status).toBe(429);
    } finally {
      await second.stop();
    }
  });

  it('count per copy with the memory store', async () => {
    let t = 10 * HOUR;
    const limiter = new RateLimiter(new MemoryCounterStore(() => t), () => t);
    const rule = { limit: 2, windowSeconds: 60 };
    const hits = async () => (await limiter.hit('test.perIp', '10.0.0.1', rule)).allowed;
    expect([await hits(), await hits(), await hits()]).toEqual([true, true, false]);
    expect((await limiter.hit('test.perIp', '10.0.0.2', rule)).allowed).toBe(true);
    t += 60_000;
    expect(await hits()).toBe(true);
  });
});

describe('switches', () => {
  it('RATE_LIMITS=off turns every limit off', async () => {
    const off = loadConfig(parseEnv({ NODE_ENV: 'test', RATE_LIMITS: 'off' })).rateLimits;
    expect(off.enabled).toBe(false);
    expect(loadConfig(parseEnv({ NODE_ENV: 'test', RATE_LIMITS: 'on' })).rateLimits.enabled).toBe(true);
    expect(loadConfig(parseEnv({ NODE_ENV: 'test' })).rateLimits.enabled).toBe(true);
    hub.config.rateLimits = off;
    rules().ownerLogin = {
      perIp: { limit: 1, windowSeconds: 900 },
      perIpAndUsername: { limit: 1, windowSeconds: 900 },
    };
    freshWindow(0);
    for (let i = 0; i < 3; i++) expect((await ownerLogin('owner', 'wrong')).status).toBe(401);
    expect((await ownerLogin('owner', 'owner123456')).status).toBe(200);
    expect(configProblemsOf(() => parseEnv({ RATE_LIMITS: 'maybe' }))).toEqual([
      expect.stringMatching(/^RATE_LIMITS: must be on or off/),
    ]);
  });

  it('production refuses RATE_LIMITS=off and per-copy counters', () => {
    expect(configProblemsOf(() => loadConfig(parseEnv({ NODE_ENV: 'production', RATE_LIMITS: 'off' })))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^RATE_LIMITS=off: not allowed in production/)]),
    );
    expect(configProblemsOf(() => loadConfig(parseEnv({ NODE_ENV: 'production' })))).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^RATE_LIMITS/)]),
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-config-'));
    writeFileSync(path.join(dir, 'default.json'), readFileSync(path.join(REPO_ROOT, 'config', 'default.json')));
    writeFileSync(path.join(dir, 'production.json'), JSON.stringify({ rateLimits: { store: 'memory' } }));
    expect(configProblemsOf(() => loadConfig(parseEnv({ NODE_ENV: 'production' }), dir))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^rateLimits\.store: must be "mongo" in production/)]),
    );
  });
});
