// RFM scores and classes, and churn warnings (issue 9). (Being built.)
import type { Connection } from 'mongoose';

export class RfmService {
  constructor(
    readonly conn: Connection,
    readonly now: () => number = Date.now,
  ) {}
}
