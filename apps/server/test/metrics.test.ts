// GET /metrics on a real hub: request counts and latency by route template, ledger entries, job runs, the outbox
// backlog, WeChat calls and the database round trip, all in Prometheus text from the app's own registry; and the
// scrape token production requires.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ApiPaths, IdentityPaths, PointsPaths } from '@member-hub/shared';
import { Types } from 'mongoose';
import { register as globalRegistry } from 'prom-client';
import { buildApp } from '../src/app';
import { JobRunner } from '../src/jobs/runs';
import { JOBS } from '../src/jobs/scheduler';
import { createLogger } from '../src/logger';
import { messageModels } from '../src/modules/messages/model';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let staffToken: string;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  staffToken = (await createStaff(hub, owner, await createStore(hub, owner, 'MET1'), 'metrics-cashier')).token;
});
afterAll(async () => {
  await hub.stop();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text -> samples (comments skipped; label values here never hold quotes or commas). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const [key, raw] = pair.split('=') as [string, string];
      labels[key] = raw.slice(1, -1);
    }
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(base = hub.url, token?: string): Promise<Sample[]> {
  const res = await fetch(new URL('/metrics', base), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parse(await res.text());
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when there is none. */
function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

describe('GET /metrics', () => {
  it('counts requests by method, route template and status, never by raw URL', async () => {
    const m = await memberLogin(hub, 'o-metrics-route');
    expect((await request(hub.url, 'GET', IdentityPaths.adminMember(m.memberId), { token: owner })).status).toBe(200);
    expect((await request(hub.url, 'GET', IdentityPaths.adminMember(m.memberId), { token: owner })).status).toBe(200);
    expect((await request(hub.url, 'GET', '/no/such/page-12345')).status).toBe(404);
    // Refused before routing (a bad session token): still counted under the template it asked for.
    const bad = await request(hub.url, 'GET', IdentityPaths.adminMember(m.memberId), { token: 'not-a-token' });
    expect(bad.status).toBe(401);

    const samples = await scrape();
    const route = '/api/v1/admin/members/:id';
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', route, status: '200' })).toBe(2);
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', route, status: '401' })).toBe(1);
    expect(sampleValue(samples, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(
      sampleValue(samples, 'http_requests_total', { route: IdentityPaths.adminMember(m.memberId) }),
    ).toBeUndefined();
    expect(samples.some((s) => s.labels.route?.includes('12345'))).toBe(false);
    // The latency histogram: cumulative buckets up to +Inf, a count and a sum per series.
    const buckets = samples.filter(
      (s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === route && s.labels.status === '200',
    );
    expect(buckets.map((b) => b.labels.le)).toEqual(expect.arrayContaining(['0.005', '0.1', '1', '+Inf']));
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(2);
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { route, status: '200' })).toBe(2);
    expect(sampleValue(samples, 'http_request_duration_seconds_sum', { route, status: '200' })).toBeGreaterThan(0);
  });

  it('counts ledger entries by account, reason and direction when a purchase earns points and growth', async () => {
    const m = await memberLogin(hub, 'o-metrics-buyer');
    const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
      token: staffToken,
      json: { code: (await memberCode(hub, m.token)).numeric },
    });
    expect(scan.status).toBe(200);
    const credit = { reason: 'order', direction: 'credit' };
    const before = await scrape();
    const purchase = await request(hub.url, 'POST', PointsPaths.staffPurchases, {
      token: staffToken,
      json: { memberId: m.memberId, amountFen: 12_800, idempotencyKey: 'metrics-purchase-0001' },
    });
    expect(purchase.status).toBe(201);
    const after = await scrape();
    const moved = (account: string, name = 'ledger_entries_total') =>
      (sampleValue(after, name, { account, ...credit }) ?? 0) -
      (sampleValue(before, name, { account, ...credit }) ?? 0);
    expect(moved('points')).toBe(1);
    expect(moved('growth')).toBe(1);
    expect(moved('points', 'ledger_units_total')).toBe(128);
    // A debit is counted as one.
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: -28,
      reason: 'adjustment',
      idempotencyKey: 'metrics-debit-0001',
    });
    expect(
      sampleValue(await scrape(), 'ledger_entries_total', {
        account: 'points',
        reason: 'adjustment',
        direction: 'debit',
      }),
    ).toBe(1);
  });

  it('counts job runs and their durations by job and outcome', async () => {
    const runner = new JobRunner(hub.deps, [
      ...JOBS,
      {
        name: 'metricsFailing',
        title: '失败',
        description: '测试用',
        schedule: '0 0 1 1 *',
        run: async () => {
          throw new Error('boom');
        },
      },
    ]);
    await (await runner.runNow('expireCoupons', 'test')).done;
    await (await runner.runNow('expireCoupons', 'test')).done;
    await (await runner.runNow('metricsFailing', 'test')).done;
    const samples = await scrape();
    expect(sampleValue(samples, 'job_runs_total', { job: 'expireCoupons', outcome: 'done' })).toBe(2);
    expect(sampleValue(samples, 'job_runs_total', { job: 'metricsFailing', outcome: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'job_run_duration_seconds_count', { job: 'expireCoupons', outcome: 'done' })).toBe(2);
    expect(
      sampleValue(samples, 'job_run_duration_seconds_bucket', { job: 'expireCoupons', outcome: 'done', le: '+Inf' }),
    ).toBe(2);
  });

  it('reads the outbox backlog at scrape time: due, scheduled for later, being sent', async () => {
    const { Outbox } = messageModels(hub.deps.conn);
    const now = hub.clock.now();
    const row = (i: number, status: string, notBefore: number) => ({
      dedupeKey: `metrics-backlog-${i}`,
      memberId: new Types.ObjectId(),
      kind: 'points_changed',
      category: 'service',
      templateId: 'tpl',
      data: {},
      page: null,
      status,
      notBefore: new Date(notBefore),
      attempts: 0,
      claim: null,
      quotaSpent: false,
      msgid: null,
      sentAt: null,
      error: null,
    });
    await Outbox.collection.insertMany([
      row(1, 'pending', now - 1000),
      row(2, 'pending', now - 1000),
      row(3, 'pending', now + 3_600_000),
      row(4, 'sending', now),
      row(5, 'sent', now - 5000),
    ]);
    const samples = await scrape();
    expect(sampleValue(samples, 'message_outbox_backlog', { state: 'due' })).toBe(2);
    expect(sampleValue(samples, 'message_outbox_backlog', { state: 'scheduled' })).toBe(1);
    expect(sampleValue(samples, 'message_outbox_backlog', { state: 'sending' })).toBe(1);
    // Computed, not counted: the rows leaving are gone from the next scrape.
    await Outbox.deleteMany({ dedupeKey: /^metrics-backlog-/ });
    expect(sampleValue(await scrape(), 'message_outbox_backlog', { state: 'due' })).toBe(0);
  });

  it('counts WeChat calls by api, and their errors by errcode', async () => {
    await memberLogin(hub, 'o-metrics-wechat');
    const bad = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code: 'made-up-code' } });
    expect(bad.status).toBe(400);
    const samples = await scrape();
    expect(
      sampleValue(samples, 'wechat_api_calls_total', { service: 'mini', api: 'jscode2session' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(samples, 'wechat_api_errors_total', { service: 'mini', api: 'jscode2session', code: '40029' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'wechat_api_duration_seconds_count', { service: 'mini', api: 'jscode2session' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('counts WeChat Pay calls by api, never by order or bill', async () => {
    await hub.deps.payments.tradeBill('2026-11-30');
    const samples = await scrape();
    const calls = samples.filter((s) => s.name === 'wechat_api_calls_total' && s.labels.service === 'pay');
    expect(calls.map((s) => s.labels.api)).toContain('pay_tradebill');
    expect(calls.every((s) => /^pay_[a-z_]+$/.test(s.labels.api ?? ''))).toBe(true);
  });

  it('measures the database round trip at scrape', async () => {
    const samples = await scrape();
    expect(sampleValue(samples, 'mongodb_up')).toBe(1);
    const rtt = sampleValue(samples, 'mongodb_ping_seconds') ?? Number.NaN;
    expect(rtt).toBeGreaterThan(0);
    expect(rtt).toBeLessThan(2);
  });

  it('keeps each app on its own registry, not prom-client’s global one', async () => {
    expect(hub.deps.metrics.registry).not.toBe(globalRegistry);
    expect(await globalRegistry.getSingleMetric('http_requests_total')).toBeUndefined();
  });
});

describe('the scrape token (production requires one)', () => {
  const TOKEN = 'prometheus-scrape-token-0123456789';
  let server: Server;
  let base: string;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    // The same hub's services, as a copy configured for production would see them.
    const app = buildApp({
      ...hub.deps,
      config: { ...hub.config, metrics: { token: TOKEN } },
      logger: createLogger('info', capture),
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 401 without the token or with a wrong one, 200 with it', async () => {
    const missing = await request(base, 'GET', '/metrics');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHENTICATED');
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await request(base, 'GET', '/metrics', { token: `${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('TOKEN_INVALID');
    const short = await request(base, 'GET', '/metrics', { token: 'x' });
    expect(short.status).toBe(401);
    const samples = await scrape(base, TOKEN);
    expect(sampleValue(samples, 'http_requests_total', { route: '/metrics', status: '401' })).toBeGreaterThanOrEqual(3);
  });

  it('logs one structured line per request with its id, route template and duration', async () => {
    const m = await memberLogin(hub, 'o-metrics-log');
    const res = await request(base, 'GET', IdentityPaths.adminMember(m.memberId), {
      token: owner,
      headers: { 'x-request-id': 'req-metrics-log-1' },
    });
    expect(res.status).toBe(200);
    const line = lines.find((l) => l.requestId === 'req-metrics-log-1' && l.msg === 'request');
    expect(line).toMatchObject({
      method: 'GET',
      path: IdentityPaths.adminMember(m.memberId),
      route: '/api/v1/admin/members/:id',
      status: 200,
      ms: expect.any(Number),
    });
  });
});
