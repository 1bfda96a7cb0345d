// A lease in MongoDB so that one server copy at a time runs a job. A crashed holder's lease simply runs out.
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';

interface LeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

export async function withLease<T>(
  conn: Connection,
  job: string,
  ttlMs: number,
  now: () => number,
  run: () => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  const leases = db.collection<LeaseDoc>('job_leases');
  const holder = randomUUID();
  const at = new Date(now());
  try {
    await leases.updateOne(
      { _id: job, until: { $lte: at } },
      { $set: { holder, until: new Date(at.getTime() + ttlMs) } },
      { upsert: true },
    );
  } catch (err) {
    // The upsert hit the existing, unexpired lease's _id: someone else holds it.
    if ((err as { code?: number }).code === 11000) return { ran: false };
    throw err;
  }
  const held = await leases.findOne({ _id: job });
  if (held?.holder !== holder) return { ran: false };
  try {
    return { ran: true, result: await run() };
  } finally {
    await leases.updateOne({ _id: job, holder }, { $set: { until: new Date(0) } });
  }
}
