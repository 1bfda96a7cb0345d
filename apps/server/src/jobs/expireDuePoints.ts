// Expires points whose day has passed, member by member in batches, streaming (never loading everyone at once).
// Safe to run twice or on two server copies at once: the lease keeps one runner, and each member's expiry entry
// has an idempotency key per day, and the amount due is computed from counters the expiry itself moves.
import type { Connection } from 'mongoose';
import type { LedgerService } from '../modules/ledger/service';
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
    for await (const member of cursor) {
      run.membersScanned++;
      if (run.membersScanned % 10_000 === 0) options.onProgress?.(run.membersScanned);
      const due = Math.min(dueBy(member.pointsByExpiry ?? {}, member.pointsConsumed ?? 0, yesterday), member.points);
      if (due <= 0) continue;
      const posted = await deps.ledger
        .post({
          memberId: member._id,
          account: 'points',
          amount: -due,
          reason: 'expiry',
          idempotencyKey: `expire:${member._id.toHexString()}:${today}`,
          note: `${due} 积分已过期`,
        })
        // The member spent points since we read them: less is due now, and the next run works it out.
        .catch((err: { code?: string }) => {
          if (err.code === 'INSUFFICIENT_POINTS') return null;
          throw err;
        });
      if (posted && !posted.replayed) {
        run.membersExpired++;
        run.pointsExpired += due;
      }
    }
    return run;
  });
  return outcome.ran ? outcome.result : { ran: false, membersScanned: 0, membersExpired: 0, pointsExpired: 0 };
}
