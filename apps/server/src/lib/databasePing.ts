// How long the database takes to answer an admin ping, bounded: readiness probes and metrics scrapes must answer
// even when the database does not.
import type { Connection } from 'mongoose';

/** Rejects with `${what} timeout` when `work` has not settled within `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timeout`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Seconds the ping took, or null when the database is not connected, failed or did not answer within `ms`. */
export async function pingDatabase(conn: Connection, ms: number): Promise<number | null> {
  const admin = conn.db?.admin();
  if (!admin) return null;
  const started = process.hrtime.bigint();
  try {
    await withTimeout(admin.ping(), ms, 'ping');
    return Number(process.hrtime.bigint() - started) / 1e9;
  } catch {
    return null;
  }
}
