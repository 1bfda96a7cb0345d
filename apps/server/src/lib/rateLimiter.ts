// Fixed-window request counters. A window is `windowSeconds` long and aligned to the epoch, so every server copy
// computes the same window for the same instant; its counter is one document, bumped by one atomic upsert with
// $inc. With the MongoDB store the copies behind a load balancer therefore share the counts; the memory store
// counts per copy (one process, or a deliberate choice). Time comes from the injected clock, never Date.now, so
// tests can pin it. A TTL index removes windows once they are over; correctness never waits for it, because the
// window's start is part of the document's id.
import { createHash } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { retryOnDuplicateKey } from './duplicateKey';

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Requests counted in this window, this one included. */
  count: number;
  /** Seconds until the window ends (at least 1): what Retry-After says. */
  retryAfterSeconds: number;
}

/** Adds one to the counter of `id` and returns the new count. */
export interface CounterStore {
  increment(id: string, expiresAt: Date): Promise<number>;
}

interface CounterDoc {
  _id: string;
  count: number;
  expiresAt: Date;
}
const CounterSchema = new Schema<CounterDoc>({ _id: String, count: Number, expiresAt: Date }, { versionKey: false });
CounterSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function rateLimitModel(conn: Connection): Model<CounterDoc> {
  return (
    (conn.models.RateLimitCounter as Model<CounterDoc> | undefined) ??
    conn.model<CounterDoc>('RateLimitCounter', CounterSchema, 'rate_limits')
  );
}

export class MongoCounterStore implements CounterStore {
  constructor(private readonly conn: Connection) {}

  async increment(id: string, expiresAt: Date): Promise<number> {
    const bump = () =>
      rateLimitModel(this.conn)
        .findOneAndUpdate(
          { _id: id },
          { $inc: { count: 1 }, $setOnInsert: { expiresAt } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<CounterDoc>();
    // Two first requests of a window upserting at once: one inserts, the other retries as an update.
    const doc = await retryOnDuplicateKey(bump);
    return doc?.count ?? 1;
  }
}

/** Per-process counters: each server copy limits on its own (the limit is then per copy, not per deployment). */
export class MemoryCounterStore implements CounterStore {
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries = 100_000,
  ) {}

  async increment(id: string, expiresAt: Date): Promise<number> {
    const entry = this.counters.get(id);
    if (entry) {
      entry.count += 1;
      return entry.count;
    }
    if (this.counters.size >= this.maxEntries) this.sweep();
    this.counters.set(id, { count: 1, expiresAt: expiresAt.getTime() });
    return 1;
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, entry] of this.counters) if (entry.expiresAt <= at) this.counters.delete(id);
    // Still full of live windows: drop the oldest entries rather than grow without bound.
    for (const id of this.counters.keys()) {
      if (this.counters.size < this.maxEntries) break;
      this.counters.delete(id);
    }
  }
}

export class RateLimiter {
  constructor(
    private readonly store: CounterStore,
    private readonly now: () => number,
  ) {}

  /**
   * Counts one request of `subject` (an IP, a member id...) in `bucket` (e.g. `ownerLogin.perIp`) under `rule` and
   * says whether it is within the limit.
   */
  async hit(bucket: string, subject: string, rule: RateLimitRule): Promise<RateLimitVerdict> {
    const at = this.now();
    const windowMs = rule.windowSeconds * 1000;
    const start = Math.floor(at / windowMs) * windowMs;
    const end = start + windowMs;
    // Subjects are IPs and usernames: only a digest of them is stored.
    const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 22);
    const count = await this.store.increment(`${bucket}:${digest}:${rule.windowSeconds}:${start}`, new Date(end));
    return { allowed: count <= rule.limit, count, retryAfterSeconds: Math.max(1, Math.ceil((end - at) / 1000)) };
  }
}
