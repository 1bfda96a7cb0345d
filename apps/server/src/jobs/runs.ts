// Run history for the scheduled jobs, and the rule that makes a schedule run once however many server copies
// fire it: each scheduled run first inserts its row keyed by (job, minute); the copy whose insert collides skips.
// (Leases inside the long jobs still keep a "run now" from overlapping a scheduled run.)
import { randomUUID } from 'node:crypto';
import type { JobInfo, JobRun, JobRunPage, JobRunQuery } from '@member-hub/shared';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { isDuplicateKey } from '../lib/duplicateKey';
import type { JobOutcome } from '../modules/metrics/metrics';

export interface JobDefinition {
  name: string;
  title: string;
  description: string;
  /** cron expression, China time */
  schedule: string;
  run: (deps: AppDeps) => Promise<unknown>;
}

interface JobRunDoc {
  _id: Types.ObjectId;
  job: string;
  trigger: 'schedule' | 'manual';
  /** `job@minute` for scheduled runs: unique, so a second copy's run of the same minute is refused. */
  slotKey: string | null;
  status: JobRun['status'];
  startedAt: Date;
  finishedAt: Date | null;
  ms: number | null;
  result: unknown;
  items: number | null;
  error: string | null;
  by: string | null;
  host: string;
}

const JobRunSchema = new Schema<JobRunDoc>(
  {
    job: { type: String, required: true },
    trigger: { type: String, required: true },
    slotKey: { type: String, default: null },
    status: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    ms: { type: Number, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    items: { type: Number, default: null },
    error: { type: String, default: null },
    by: { type: String, default: null },
    host: { type: String, required: true },
  },
  { versionKey: false, collection: 'job_runs', minimize: false },
);
JobRunSchema.index({ slotKey: 1 }, { unique: true, partialFilterExpression: { slotKey: { $type: 'string' } } });
JobRunSchema.index({ job: 1, _id: -1 });
// A minutely job writes 1,440 rows a day: history is kept for 30 days.
JobRunSchema.index({ startedAt: 1 }, { expireAfterSeconds: 30 * 86_400 });

export function jobRunModel(conn: Connection): Model<JobRunDoc> {
  return (conn.models.JobRun as Model<JobRunDoc> | undefined) ?? conn.model<JobRunDoc>('JobRun', JobRunSchema);
}

/** The count a job's result names first, for the "items" column: jobs report what they did under these names. */
const ITEM_KEYS = ['items', 'processed', 'members', 'sent', 'expired', 'issued', 'queued', 'released', 'campaigns'];
export function itemsOf(result: unknown): number | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as Record<string, unknown>;
  for (const key of ITEM_KEYS) {
    const v = r[key];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'object' && v !== null) {
      const nested = itemsOf(v);
      if (nested !== null) return nested;
    }
  }
  return null;
}

/** `30 2 * * *` -> 每天 02:30; `* * * * *` -> 每分钟; `*\/10 * * * *` -> 每 10 分钟. Other forms are shown as written. */
export function scheduleText(cron: string): string {
  const [minute, hour, dom, month, dow] = cron.split(' ');
  const pad = (v: string) => v.padStart(2, '0');
  if (dom !== '*' || month !== '*' || dow !== '*') return cron;
  if (minute === '*' && hour === '*') return '每分钟';
  const every = /^\*\/(\d+)$/.exec(minute ?? '');
  if (every && hour === '*') return `每 ${every[1]} 分钟`;
  if (/^\d+$/.test(minute ?? '') && /^\d+$/.test(hour ?? '')) return `每天 ${pad(hour ?? '')}:${pad(minute ?? '')}`;
  return cron;
}

function present(doc: JobRunDoc): JobRun {
  return {
    id: doc._id.toHexString(),
    job: doc.job,
    trigger: doc.trigger,
    status: doc.status,
    startedAt: doc.startedAt.toISOString(),
    finishedAt: doc.finishedAt?.toISOString() ?? null,
    ms: doc.ms,
    result: doc.result,
    items: doc.items,
    error: doc.error,
    by: doc.by,
  };
}

export class JobRunner {
  private readonly host = randomUUID().slice(0, 8);

  constructor(
    private readonly deps: AppDeps,
    private readonly jobs: JobDefinition[],
  ) {}

  private job(name: string): JobDefinition {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new AppError('NOT_FOUND', '没有这个任务', { resource: 'job' });
    return job;
  }

  /** The cron tick of one copy: runs the job unless another copy already started this minute's run. */
  async runScheduled(name: string, slotMs: number): Promise<JobRun | null> {
    const job = this.job(name);
    const slot = new Date(Math.floor(slotMs / 60_000) * 60_000);
    const row = await this.start(job, 'schedule', `${name}@${slot.toISOString()}`, null);
    if (!row) return null;
    return this.finish(job, row);
  }

  /** The owner's "run now": starts at once and answers with the running row; the run carries on in the background. */
  async runNow(name: string, by: string): Promise<{ run: JobRun; done: Promise<JobRun> }> {
    const job = this.job(name);
    const row = await this.start(job, 'manual', null, by);
    if (!row) throw new Error('a manual run cannot collide');
    return { run: present(row), done: this.finish(job, row) };
  }

  private async start(
    job: JobDefinition,
    trigger: JobRunDoc['trigger'],
    slotKey: string | null,
    by: string | null,
  ): Promise<JobRunDoc | null> {
    try {
      const created = await jobRunModel(this.deps.conn).create({
        job: job.name,
        trigger,
        slotKey,
        status: 'running',
        startedAt: new Date(this.deps.now()),
        by,
        host: this.host,
      });
      return created.toObject();
    } catch (err) {
      if (isDuplicateKey(err)) return null; // another copy runs this minute
      throw err;
    }
  }

  private async finish(job: JobDefinition, row: JobRunDoc): Promise<JobRun> {
    const started = Date.now();
    let update: Partial<JobRunDoc> & { status: JobOutcome };
    try {
      const result = await job.run(this.deps);
      // A job whose lease is held elsewhere reports { ran: false } or { skipped: true }.
      const skipped =
        typeof result === 'object' &&
        result !== null &&
        ((result as { ran?: unknown }).ran === false || (result as { skipped?: unknown }).skipped === true);
      update = { status: skipped ? 'skipped' : 'done', result: result ?? null, items: itemsOf(result) };
      this.deps.logger.info({ job: job.name, ms: Date.now() - started, result }, 'job finished');
    } catch (err) {
      update = { status: 'failed', error: String((err as Error)?.message ?? err).slice(0, 500) };
      this.deps.logger.error({ job: job.name, err }, 'job failed');
    }
    const ms = Date.now() - started;
    this.deps.metrics.jobRun(job.name, update.status, ms);
    const done = await jobRunModel(this.deps.conn)
      .findOneAndUpdate(
        { _id: row._id },
        { $set: { ...update, finishedAt: new Date(this.deps.now()), ms } },
        { returnDocument: 'after' },
      )
      .lean<JobRunDoc>();
    return present(done ?? row);
  }

  async list(): Promise<JobInfo[]> {
    const Runs = jobRunModel(this.deps.conn);
    return Promise.all(
      this.jobs.map(async (job) => {
        const last = await Runs.findOne({ job: job.name }).sort({ _id: -1 }).lean<JobRunDoc>();
        return {
          name: job.name,
          title: job.title,
          description: job.description,
          schedule: job.schedule,
          scheduleText: scheduleText(job.schedule),
          lastRun: last ? present(last) : null,
        };
      }),
    );
  }

  async runs(name: string, q: JobRunQuery): Promise<JobRunPage> {
    this.job(name);
    const filter: Record<string, unknown> = { job: name };
    if (q.before) filter._id = { $lt: new Types.ObjectId(q.before) };
    const rows = await jobRunModel(this.deps.conn)
      .find(filter)
      .sort({ _id: -1 })
      .limit(q.limit + 1)
      .lean<JobRunDoc[]>();
    const page = rows.slice(0, q.limit);
    return {
      runs: page.map(present),
      next: rows.length > q.limit ? (page[page.length - 1]?._id.toHexString() ?? null) : null,
    };
  }
}
