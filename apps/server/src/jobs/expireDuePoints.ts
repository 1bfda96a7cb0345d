// Expires points whose day has passed, member by member in batches, streaming (never loading everyone at once).
// Safe to run twice or on two server copies at once: the lease keeps one runner, and each member's expiry entry
// has an idempotency key per day, and the amount due is computed from counters the expiry itself moves.
import type { Connection } from 'mongoose';
import { ledgerModel } from '../modules/ledger/model';
import type { LedgerService, PostEntryInput } from '../modules/ledger/service';
import { type Member, memberModel } from '../modules/members/model';
import { chinaDate, dueBy } from '../modules/points/expiry';
import { withLease } from './lease';

const LEASE_MS = 10 * 60 * 1000;

export interface ExpiryRun {
  ran: boolean;
  membersScanned: number;
  membersExpired: number;
  pointsExpired: number;
}

export async function expireDuePoints(
  deps: { conn: Connection; ledger: LedgerService; now: () => number },
  options: { batchSize?: number; onProgress?: (scanned: number) => void } = {},
): Promise<ExpiryRun> {
  const outcome = await withLease(deps.conn, 'expireDuePoints', LEASE_MS, deps.now, async () => {
    // Anything that expired before today (China time) is due.
    const today = chinaDate(new Date(deps.now()));
    const yesterday = chinaDate(new Date(deps.now() - 24 * 3600 * 1000));
    const run = { ran: true, membersScanned: 0, membersExpired: 0, pointsExpired: 0 };
    const cursor = memberModel(deps.conn)
      .find({ points: { $gt: 0 }, status: 'active' }, { pointsByExpiry: 1, pointsConsumed: 1, points: 1 })
      .lean<Member[]>()
      .batchSize(options.batchSize ?? 1000)
      .cursor();
    // Batches of members become one bulk debit each: a few round trips per thousand members, not per member.
    const batchSize = options.batchSize ?? 1000;
    let batch: { input: PostEntryInput; due: number }[] = [];
    const flushBatch = async () => {
      if (batch.length === 0) return;
      const applied = await deps.ledger.postDebitsInBulk(batch.map((b) => b.input));
      run.membersExpired += applied;
      // When some debits did not apply (spent meanwhile), the next run recomputes what is due for them.
      if (applied === batch.length) run.pointsExpired += batch.reduce((sum, b) => sum + b.due, 0);
      else
        run.pointsExpired += await expiredToday(
          deps,
          batch.map((b) => b.input.idempotencyKey),
        );
      batch = [];
    };
    for await (const member of cursor) {
      run.membersScanned++;
      if (run.membersScanned % 10_000 === 0) options.onProgress?.(run.membersScanned);
      const due = Math.min(dueBy(member.pointsByExpiry ?? {}, member.pointsConsumed ?? 0, yesterday), member.points);
      if (due <= 0) continue;
      batch.push({
        due,
        input: {
          memberId: member._id,
          account: 'points',
          amount: -due,
          reason: 'expiry',
          idempotencyKey: `expire:${member._id.toHexString()}:${today}`,
          note: `${due} 积分已过期`,
        },
      });
      if (batch.length >= batchSize) await flushBatch();
    }
    await flushBatch();
    return run;
  });
  return outcome.ran ? outcome.result : { ran: false, membersScanned: 0, membersExpired: 0, pointsExpired: 0 };
}

async function expiredToday(deps: { conn: Connection }, keys: string[]): Promise<number> {
  const [row] = await ledgerModel(deps.conn).aggregate<{ total: number }>([
    { $match: { idempotencyKey: { $in: keys } } },
    { $group: { _id: null, total: { $sum: '$amount' } } },
  ]);
  return -(row?.total ?? 0);
}
