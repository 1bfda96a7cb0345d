// Mixed traffic for the load and fault runs, run as its own process (see processes.ts runTraffic). Virtual users in
// a closed loop each pick an operation by weight: members open the card page (card + rotating code) and the points
// page (balance + history); tills scan a member's code and record a purchase, or look up and verify (核销) a gift
// coupon; members top up (order through the API, the sandbox's payer pays, the client confirms) while WeChat Pay
// notifies the server. Every request's latency is recorded per step, and every operation's end to end.
// In tolerant mode (fault runs) the client behaves as a real one through outages: connection errors, timeouts and
// 5xx are counted, value-moving requests are retried with the SAME idempotency key, and the answers that
// acknowledged a value move are reported so the fault run can check each is reflected exactly once.
// Reads the job as JSON on stdin, prints one JSON result on stdout, progress on stderr.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export type OpName = 'card' | 'points' | 'purchase' | 'coupon' | 'topUp';
export const OP_NAMES: OpName[] = ['card', 'points', 'purchase', 'coupon', 'topUp'];
/** A shop's day: members look at their card and points far more often than value moves. */
export const MIXED_WEIGHTS: Record<OpName, number> = { card: 35, points: 25, purchase: 20, coupon: 10, topUp: 10 };

export interface TrafficFixtures {
  members: { id: string; openid: string; token: string }[];
  /** One staff account per till. */
  staff: { id: string; token: string }[];
  /** Gift coupons (12 digits), each verified once by the traffic. */
  couponCodes: string[];
  packageId: string;
}

export interface TrafficJob {
  apiUrl: string;
  sandboxUrl: string;
  fixturesFile: string;
  durationMs: number;
  concurrency: number;
  weights: Record<OpName, number>;
  tolerant: boolean;
  /** Per request: a request without an answer by then counts as a timeout. */
  timeoutMs: number;
  /** Tolerant mode: how long one value-moving request is retried before the client gives up. */
  retryForMs: number;
  progressEveryMs?: number;
}

export interface LatencyStats {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Acknowledged {
  purchases: { orderId: string; key: string; staffId: string; memberId: string; pointsEarned: number }[];
  verifies: { code: string; key: string; staffId: string; couponId: string }[];
  topUps: { topUpId: string; outTradeNo: string; key: string; memberId: string }[];
  /** The sandbox's payer paid these orders. */
  payments: string[];
  /** Top-ups a confirm answered as paid (credited). */
  credits: { topUpId: string; outTradeNo: string }[];
}

export interface TrafficResult {
  elapsedS: number;
  ops: Record<OpName, LatencyStats & { ok: number; failed: number }>;
  steps: Record<string, LatencyStats & { statuses: Record<string, number> }>;
  errors: {
    connection: number;
    timeouts: number;
    http5xx: number;
    /** 4xx answers that were not the expected refusal of a used coupon. */
    unexpected4xx: number;
    retries: number;
    gaveUp: number;
    /** A second till presenting an already verified coupon: refused (409), as it must be. */
    expectedRefusals: number;
  };
  samples: string[];
  acked: Acknowledged;
  /** Tolerant mode: top-ups paid whose client never came back to confirm. */
  paidNotConfirmed: number;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely; their schemas are the server's tests' job
  body: any;
}

class NetError extends Error {
  constructor(
    readonly kind: 'connection' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 2_000;
const SAMPLES = 12;

/** mulberry32: the same job gives the same sequence of operations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function stats(values: number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newKey = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`;

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as TrafficJob;
  const fx = JSON.parse(readFileSync(job.fixturesFile, 'utf8')) as TrafficFixtures;
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency * 2 });

  const stepLatencies = new Map<string, number[]>();
  const stepStatuses = new Map<string, Record<string, number>>();
  const opLatencies = new Map<OpName, number[]>(OP_NAMES.map((o) => [o, []]));
  const opCounts = new Map<OpName, { ok: number; failed: number }>(OP_NAMES.map((o) => [o, { ok: 0, failed: 0 }]));
  const errors: TrafficResult['errors'] = {
    connection: 0,
    timeouts: 0,
    http5xx: 0,
    unexpected4xx: 0,
    retries: 0,
    gaveUp: 0,
    expectedRefusals: 0,
  };
  const samples: string[] = [];
  const acked: Acknowledged = { purchases: [], verifies: [], topUps: [], payments: [], credits: [] };
  const verifiedCodes: string[] = [];
  let nextCoupon = 0;
  let paidNotConfirmed = 0;

  const note = (step: string, status: string, ms: number) => {
    const list = stepLatencies.get(step) ?? [];
    list.push(ms);
    stepLatencies.set(step, list);
    const statuses = stepStatuses.get(step) ?? {};
    statuses[status] = (statuses[status] ?? 0) + 1;
    stepStatuses.set(step, statuses);
  };
  const sampled = new Set<string>();
  /** The first answer of each kind (step and status), so one outage's flood does not hide the rest. */
  const sample = (kind: string, line: string) => {
    if (samples.length >= SAMPLES || sampled.has(kind)) return;
    sampled.add(kind);
    samples.push(line.slice(0, 300));
  };

  const send = (method: string, url: string, token: string | null, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (text !== undefined) headers['content-type'] = 'application/json';
      const req = request(url, { method, headers, agent, timeout: job.timeoutMs }, (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          raw += chunk;
        });
        res.on('end', () => {
          let parsed: unknown = raw;
          try {
            parsed = raw ? JSON.parse(raw) : null;
          } catch {
            // not JSON (a gateway page): kept as text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (err) => reject(new NetError('connection', err.message)));
      });
      req.on('timeout', () => req.destroy(new NetError('timeout', `no answer in ${job.timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof NetError ? err : new NetError('connection', err.message)));
      req.end(text);
    });

  /** One request, recorded under `step`; null when there was no answer (connection error, timeout). */
  const call = async (step: string, method: string, url: string, token: string | null, body?: unknown) => {
    const t = performance.now();
    try {
      const answer = await send(method, url, token, body);
      note(step, String(answer.status), performance.now() - t);
      if (answer.status >= 500) {
        errors.http5xx++;
        sample(`${step} ${answer.status}`, `${step} ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer;
    } catch (err) {
      const kind = err instanceof NetError ? err.kind : 'connection';
      note(step, kind, performance.now() - t);
      if (kind === 'timeout') errors.timeouts++;
      else errors.connection++;
      return null;
    }
  };

  const retryable = (a: Answer | null) =>
    a === null || a.status >= 500 || a.status === 429 || (a.status === 409 && a.body?.error?.code === 'CONFLICT');

  /** A value-moving request: in tolerant mode retried with the same body (and so the same key) until answered. */
  const moveValue = async (step: string, method: string, url: string, token: string | null, body?: unknown) => {
    const deadline = Date.now() + job.retryForMs;
    let wait = RETRY_FIRST_MS;
    for (;;) {
      const answer = await call(step, method, url, token, body);
      if (!job.tolerant || !retryable(answer)) return answer;
      if (Date.now() + wait > deadline) {
        errors.gaveUp++;
        sample(
          `${step} gave up`,
          `${step}: gave up after ${job.retryForMs} ms (${answer ? answer.status : 'no answer'})`,
        );
        return null;
      }
      errors.retries++;
      await sleep(wait);
      wait = Math.min(wait * 2, RETRY_MAX_MS);
    }
  };

  const unexpected = (step: string, a: Answer | null) => {
    if (a && a.status >= 400 && a.status < 500) {
      errors.unexpected4xx++;
      sample(`${step} ${a.status}`, `${step} ${a.status} ${JSON.stringify(a.body)}`);
    }
    return false;
  };
  const api = (path: string) => `${job.apiUrl}${path}`;
  type Member = TrafficFixtures['members'][number];
  type Staff = TrafficFixtures['staff'][number];

  const ops: Record<OpName, (m: Member, s: Staff, rand: () => number) => Promise<boolean>> = {
    async card(m) {
      const a = await call('card', 'GET', api('/api/v1/me/card'), m.token);
      return a?.status === 200 || unexpected('card', a);
    },
    async points(m) {
      const balance = await call('points.balance', 'GET', api('/api/v1/me/points'), m.token);
      if (balance?.status !== 200) return unexpected('points.balance', balance);
      const history = await call('points.history', 'GET', api('/api/v1/me/points/history?limit=20'), m.token);
      return history?.status === 200 || unexpected('points.history', history);
    },
    async purchase(m, s, rand) {
      // The member shows the card; the till scans it. A lost answer leaves the code used: show a fresh one.
      const deadline = Date.now() + (job.tolerant ? job.retryForMs : 0);
      let scanned = false;
      do {
        const card = await call('purchase.card', 'GET', api('/api/v1/me/card'), m.token);
        if (card?.status === 200) {
          const scan = await call('purchase.scan', 'POST', api('/api/v1/staff/scan'), s.token, {
            code: card.body.code.qrPayload,
          });
          if (scan?.status === 200) scanned = true;
          else if (!job.tolerant) return unexpected('purchase.scan', scan);
        } else if (!job.tolerant) return unexpected('purchase.card', card);
        if (!scanned && job.tolerant) await sleep(RETRY_FIRST_MS);
      } while (!scanned && Date.now() < deadline);
      if (!scanned) return false;
      const key = newKey('p');
      const a = await moveValue('purchase.record', 'POST', api('/api/v1/staff/purchases'), s.token, {
        memberId: m.id,
        amountFen: 1_000 + Math.floor(rand() * 49_000),
        idempotencyKey: key,
      });
      if (a?.status !== 200 && a?.status !== 201) return unexpected('purchase.record', a);
      acked.purchases.push({
        orderId: a.body.orderId,
        key,
        staffId: s.id,
        memberId: m.id,
        pointsEarned: a.body.pointsEarned,
      });
      return true;
    },
    async coupon(m, s, rand) {
      if (job.tolerant && verifiedCodes.length > 0 && rand() < 0.1) {
        // Another till presents a coupon already used: it must be refused.
        const code = verifiedCodes[Math.floor(rand() * verifiedCodes.length)] as string;
        const key = newKey('v');
        const a = await moveValue('coupon.reuse', 'POST', api('/api/v1/staff/coupons/verify'), s.token, {
          code,
          idempotencyKey: key,
        });
        if (a?.status === 409) {
          errors.expectedRefusals++;
          return true;
        }
        if (a?.status === 200) acked.verifies.push({ code, key, staffId: s.id, couponId: a.body.coupon.id });
        return unexpected('coupon.reuse', a);
      }
      const code = fx.couponCodes[nextCoupon++];
      if (!code) return ops.card(m, s, rand); // every coupon used: the member just looks at the card
      const lookup = await moveValue('coupon.lookup', 'POST', api('/api/v1/staff/coupons/lookup'), s.token, { code });
      if (lookup?.status !== 200) return unexpected('coupon.lookup', lookup);
      const key = newKey('v');
      const a = await moveValue('coupon.verify', 'POST', api('/api/v1/staff/coupons/verify'), s.token, {
        code,
        idempotencyKey: key,
      });
      if (a?.status !== 200) return unexpected('coupon.verify', a);
      acked.verifies.push({ code, key, staffId: s.id, couponId: a.body.coupon.id });
      verifiedCodes.push(code);
      return true;
    },
    async topUp(m, _s, rand) {
      const key = newKey('t');
      const created = await moveValue('topUp.create', 'POST', api('/api/v1/me/wallet/top-ups'), m.token, {
        packageId: fx.packageId,
        idempotencyKey: key,
      });
      if (created?.status !== 201) return unexpected('topUp.create', created);
      const { id: topUpId, outTradeNo } = created.body.topUp as { id: string; outTradeNo: string };
      acked.topUps.push({ topUpId, outTradeNo, key, memberId: m.id });
      if (!created.body.payment) return false;
      // The payer pays at WeChat (wx.requestPayment); WeChat Pay then notifies the server.
      const paid = await moveValue(
        'topUp.pay',
        'POST',
        `${job.sandboxUrl}/__control/pay/orders/${outTradeNo}/pay`,
        null,
        { result: 'pay' },
      );
      if (paid?.status !== 200) return unexpected('topUp.pay', paid);
      acked.payments.push(outTradeNo);
      // Some members close the mini-program right after paying: only WeChat Pay's notification (or the reconcile
      // job) can credit them then.
      if (job.tolerant && rand() < 0.3) {
        paidNotConfirmed++;
        return true;
      }
      // Back from the payment sheet, the client asks the server to confirm (it asks WeChat Pay, credits if paid).
      const confirmed = await moveValue(
        'topUp.confirm',
        'POST',
        api(`/api/v1/me/wallet/top-ups/${topUpId}/confirm`),
        m.token,
      );
      if (confirmed?.status !== 200) return unexpected('topUp.confirm', confirmed);
      if (confirmed.body.status === 'paid') acked.credits.push({ topUpId, outTradeNo });
      return true;
    },
  };

  const weighted = OP_NAMES.filter((o) => job.weights[o] > 0);
  const total = weighted.reduce((sum, o) => sum + job.weights[o], 0);
  const pick = (r: number): OpName => {
    let x = r * total;
    for (const o of weighted) {
      x -= job.weights[o];
      if (x < 0) return o;
    }
    return weighted[weighted.length - 1] as OpName;
  };

  const started = performance.now();
  const deadline = started + job.durationMs;
  let done = 0;
  const progress = job.progressEveryMs
    ? setInterval(() => {
        const t = ((performance.now() - started) / 1000).toFixed(0);
        process.stderr.write(
          `  traffic t=${t}s ops=${done} conn-errors=${errors.connection} timeouts=${errors.timeouts} 5xx=${errors.http5xx} retries=${errors.retries}\n`,
        );
      }, job.progressEveryMs)
    : null;
  await Promise.all(
    Array.from({ length: job.concurrency }, async (_, vu) => {
      const rand = prng(vu + 1);
      const staff = fx.staff[vu % fx.staff.length] as Staff;
      while (performance.now() < deadline) {
        const op = pick(rand());
        const member = fx.members[Math.floor(rand() * fx.members.length)] as Member;
        const t = performance.now();
        let ok = false;
        try {
          ok = await ops[op](member, staff, rand);
        } catch (err) {
          sample(`${op} threw`, `${op} threw ${(err as Error).message}`);
        }
        (opLatencies.get(op) as number[]).push(performance.now() - t);
        const counts = opCounts.get(op) as { ok: number; failed: number };
        if (ok) counts.ok++;
        else counts.failed++;
        done++;
      }
    }),
  );
  if (progress) clearInterval(progress);
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  const result: TrafficResult = {
    elapsedS,
    ops: Object.fromEntries(
      OP_NAMES.map((o) => [o, { ...stats(opLatencies.get(o) ?? []), ...(opCounts.get(o) ?? { ok: 0, failed: 0 }) }]),
    ) as TrafficResult['ops'],
    steps: Object.fromEntries(
      [...stepLatencies].map(([step, list]) => [step, { ...stats(list), statuses: stepStatuses.get(step) ?? {} }]),
    ),
    errors,
    samples,
    acked,
    paidNotConfirmed,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
