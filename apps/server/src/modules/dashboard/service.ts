// Owner dashboard (issue 9): reads the daily rollups per store, never raw orders, plus one snapshot of the member
// balances for the "now" figures. A year is at most 2 x 366 small documents, so answering it is cheap.
import { Readable } from 'node:stream';
import type { Dashboard, DashboardFigureKey, DashboardQuery, LoyaltyRules } from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { buildDashboard, csvLine, csvTable } from './figures';
import { ALL_STORES, type BalanceSnapshot, type DailyRollup, rollupModel, snapshotCollection } from './model';
import { computeSnapshot } from './rollup';

/** Balances older than this are refreshed in the background; the request still answers from the older ones. */
const SNAPSHOT_STALE_MS = 10 * 60 * 1000;

export type DashboardRules = Pick<LoyaltyRules, 'pointsPerYuanOffset' | 'tiers'>;

export class DashboardService {
  private refreshing: Promise<BalanceSnapshot> | null = null;

  constructor(
    readonly conn: Connection,
    readonly now: () => number = Date.now,
  ) {}

  async dashboard(query: DashboardQuery, rules: DashboardRules): Promise<Dashboard> {
    const read = (store: string) =>
      rollupModel(this.conn)
        .find({ store, day: { $gte: query.from, $lte: query.to } }, { _id: 0 })
        .lean<DailyRollup[]>();
    const [brand, scoped, snapshot] = await Promise.all([
      read(ALL_STORES),
      query.storeId ? read(query.storeId) : null,
      this.snapshot(),
    ]);
    return buildDashboard({
      query,
      brand,
      scoped: scoped ?? brand,
      snapshot,
      pointsPerYuanOffset: rules.pointsPerYuanOffset,
      tiers: rules.tiers.map((t) => t.name),
    });
  }

  /**
   * One figure as a CSV stream: a UTF-8 BOM first (so Excel reads the Chinese headers right), then a line per row.
   * The figures are computed before the stream starts, so a failure is still a proper error response.
   */
  async csv(figure: DashboardFigureKey, query: DashboardQuery, rules: DashboardRules): Promise<Readable> {
    const table = csvTable(figure, await this.dashboard(query, rules));
    function* lines() {
      yield `\uFEFF${csvLine(table.headers)}`;
      for (const row of table.rows) yield csvLine(row);
    }
    return Readable.from(lines());
  }

  /** The balances snapshot: computed now when there is none, refreshed in the background when stale. */
  async snapshot(): Promise<BalanceSnapshot> {
    const stored = await snapshotCollection(this.conn).findOne({ _id: 'now' });
    if (!stored) return this.refreshSnapshot();
    if (this.now() - stored.asOf.getTime() > SNAPSHOT_STALE_MS)
      this.refreshSnapshot().catch(() => {
        // Best effort: the next request tries again, and the rollup job writes one every night.
      });
    return stored;
  }

  /** Reads the balances of every member once (in the database) and stores the result; one refresh at a time. */
  refreshSnapshot(): Promise<BalanceSnapshot> {
    this.refreshing ??= (async () => {
      try {
        const snapshot = await computeSnapshot(this.conn, new Date(this.now()));
        await snapshotCollection(this.conn).replaceOne({ _id: 'now' }, snapshot, { upsert: true });
        return snapshot;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}
