// Owner dashboard (issue 9): reads the daily rollups per store, never raw orders. (Being built.)
import type { Connection } from 'mongoose';

export class DashboardService {
  constructor(
    readonly conn: Connection,
    readonly now: () => number = Date.now,
  ) {}
}
