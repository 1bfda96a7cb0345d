// Writes the dashboard's daily rollups: one document per (China day, store) and one per (day, all stores). By
// default yesterday, just after midnight; any past day (or range) can be re-run and its documents are recomputed
// and replaced whole (deterministic ids; documents of stores with nothing left that day are removed). The lease
// keeps one runner at a time; a second concurrent run returns at once, and two runs would write the same anyway.
import type { Connection } from 'mongoose';
import { daysBetween, yesterday } from '../modules/dashboard/days';
import { rollupModel } from '../modules/dashboard/model';
import { computeDay } from '../modules/dashboard/rollup';
import type { DashboardService } from '../modules/dashboard/service';
import { withLease } from './lease';

const LEASE_MS = 30 * 60 * 1000;

export interface RollupRun {
  ran: boolean;
  days: number;
  documents: number;
}

export async function rollupDaily(
  deps: { conn: Connection; now: () => number; dashboard: DashboardService },
  options: { from?: string; to?: string } = {},
): Promise<RollupRun> {
  const last = options.to ?? options.from ?? yesterday(deps.now());
  const days = daysBetween(options.from ?? last, last);
  const outcome = await withLease(deps.conn, 'rollupDaily', LEASE_MS, deps.now, async () => {
    const run: RollupRun = { ran: true, days: 0, documents: 0 };
    const Rollups = rollupModel(deps.conn);
    // Day by day: each day's aggregations come back as one small document per group, so memory stays flat.
    for (const day of days) {
      const docs = await computeDay(deps.conn, day);
      await Rollups.bulkWrite(
        docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
        { ordered: false },
      );
      await Rollups.deleteMany({ day, _id: { $nin: docs.map((d) => d._id) } });
      run.days++;
      run.documents += docs.length;
    }
    // The "now" figures (balances, tiers) as of this run.
    await deps.dashboard.refreshSnapshot();
    return run;
  });
  return outcome.ran ? outcome.result : { ran: false, days: 0, documents: 0 };
}
