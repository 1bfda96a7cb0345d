// Prometheus metrics of one app. Each app has its own Registry, never prom-client's global one: a test file starts
// many hubs in one process, and each must count only its own. Counters move where things happen (requests, ledger
// posts, job runs, WeChat calls); the outbox backlog and the database round trip are measured when Prometheus
// scrapes, so every server copy reports the same shared truth for them.
import type { Connection } from 'mongoose';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { pingDatabase, withTimeout } from '../../lib/databasePing';
import { messageModels } from '../messages/model';

/** A scrape must answer even when the database does not: a probe gives up after this. */
const PROBE_TIMEOUT_MS = 2000;
/** Methods outside this list are counted as OTHER, so a client cannot grow the label set. */
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Requests: 5 ms .. 10 s. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Jobs: a minutely job takes milliseconds, the nightly ones minutes. */
const JOB_BUCKETS = [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600];
/** WeChat and WeChat Pay answer in tens of milliseconds; the clients time out at 5 s and 10 s. */
const WECHAT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type WechatService = 'mini' | 'pay';

export interface RequestSample {
  method: string;
  /** The route template (`/api/v1/members/:id`), `unmatched` when no route took the request. */
  route: string;
  status: number;
  seconds: number;
}

/** The parts of a ledger entry the counters read. */
export interface PostedEntry {
  account: string;
  reason: string;
  amount: number;
}

export type JobOutcome = 'done' | 'failed' | 'skipped';

/** Default process metrics (CPU, memory, event loop) watch the whole process: one registry collects them. */
let processMetricsCollected = false;

export class HubMetrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly ledgerEntries = new Counter({
    name: 'ledger_entries_total',
    help: 'Ledger entries posted (points, growth, stored value), by account, reason and direction',
    labelNames: ['account', 'reason', 'direction'] as const,
    registers: [this.registry],
  });

  private readonly ledgerUnits = new Counter({
    name: 'ledger_units_total',
    help: 'Sum of posted ledger amounts (points, growth points or fen), by account, reason and direction',
    labelNames: ['account', 'reason', 'direction'] as const,
    registers: [this.registry],
  });

  private readonly jobRuns = new Counter({
    name: 'job_runs_total',
    help: 'Background job runs finished, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly jobDuration = new Histogram({
    name: 'job_run_duration_seconds',
    help: 'Time a background job run took, by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  private readonly wechatCalls = new Counter({
    name: 'wechat_api_calls_total',
    help: 'Calls to WeChat (mini) and WeChat Pay (pay) APIs, by api',
    labelNames: ['service', 'api'] as const,
    registers: [this.registry],
  });

  private readonly wechatErrors = new Counter({
    name: 'wechat_api_errors_total',
    help: 'WeChat calls that failed, by api and code (errcode, WeChat Pay code, http_<status> or unavailable)',
    labelNames: ['service', 'api', 'code'] as const,
    registers: [this.registry],
  });

  private readonly wechatDuration = new Histogram({
    name: 'wechat_api_duration_seconds',
    help: 'Time a WeChat call took, by api',
    labelNames: ['service', 'api'] as const,
    buckets: WECHAT_BUCKETS,
    registers: [this.registry],
  });

  private readonly paidCalls = new Counter({
    name: 'wechat_paid_calls_total',
    help: 'WeChat calls that cost money (手机号快速验证), by api',
    labelNames: ['api'] as const,
    registers: [this.registry],
  });

  private readonly paidCallsFen = new Counter({
    name: 'wechat_paid_calls_cost_fen_total',
    help: 'Estimated cost of paid WeChat calls, in fen, by api',
    labelNames: ['api'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly conn: Connection,
    private readonly now: () => number = Date.now,
  ) {
    const { conn: db, now: clock } = this;
    new Gauge({
      name: 'message_outbox_backlog',
      help: 'Subscription messages waiting in the outbox: due now, scheduled later (quiet hours) or being sent',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const Outbox = messageModels(db).Outbox;
        const at = new Date(clock());
        try {
          const [due, scheduled, sending] = await withTimeout(
            Promise.all([
              Outbox.countDocuments({ status: 'pending', notBefore: { $lte: at } }),
              Outbox.countDocuments({ status: 'pending', notBefore: { $gt: at } }),
              Outbox.countDocuments({ status: 'sending' }),
            ]),
            PROBE_TIMEOUT_MS,
            'outbox count',
          );
          this.labels('due').set(due);
          this.labels('scheduled').set(scheduled);
          this.labels('sending').set(sending);
        } catch {
          // No value rather than a wrong one; mongodb_up says why.
        }
      },
    });
    // Both gauges read one ping per scrape (the registry collects metrics in parallel).
    let pinging: Promise<number | null> | null = null;
    const ping = () => {
      pinging ??= pingDatabase(db, PROBE_TIMEOUT_MS).finally(() => {
        pinging = null;
      });
      return pinging;
    };
    new Gauge({
      name: 'mongodb_up',
      help: '1 when the database answered an admin ping during this scrape, else 0',
      registers: [this.registry],
      async collect() {
        this.set((await ping()) === null ? 0 : 1);
      },
    });
    new Gauge({
      name: 'mongodb_ping_seconds',
      help: 'Round trip of an admin ping to the database, measured at scrape (NaN when it did not answer)',
      registers: [this.registry],
      async collect() {
        this.set((await ping()) ?? Number.NaN);
      },
    });
  }

  /** Process metrics (CPU, memory, event loop lag, GC) for the server process: main calls this once. */
  collectProcessMetrics(): void {
    if (processMetricsCollected) return;
    processMetricsCollected = true;
    collectDefaultMetrics({ register: this.registry });
  }

  request(sample: RequestSample): void {
    const labels = {
      method: METHODS.has(sample.method) ? sample.method : 'OTHER',
      route: sample.route,
      status: String(sample.status),
    };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, sample.seconds);
  }

  ledgerPosted(entries: readonly PostedEntry[]): void {
    for (const e of entries) {
      const labels = { account: e.account, reason: e.reason, direction: e.amount > 0 ? 'credit' : 'debit' };
      this.ledgerEntries.inc(labels);
      this.ledgerUnits.inc(labels, Math.abs(e.amount));
    }
  }

  jobRun(job: string, outcome: JobOutcome, ms: number): void {
    this.jobRuns.inc({ job, outcome });
    this.jobDuration.observe({ job, outcome }, ms / 1000);
  }

  /** `failure`: null on success, else the code the failure is counted under. */
  wechatCall(service: WechatService, api: string, failure: string | null, seconds: number): void {
    this.wechatCalls.inc({ service, api });
    this.wechatDuration.observe({ service, api }, seconds);
    if (failure !== null) this.wechatErrors.inc({ service, api, code: failure });
  }

  paidCall(api: string, fen: number): void {
    this.paidCalls.inc({ api });
    this.paidCallsFen.inc({ api }, fen);
  }

  /** The text Prometheus scrapes, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
