// What the daily RFM job writes: one `member_rfm` row per active member per run, and one `rfm_runs` summary per
// run. Readers only look at the newest finished run, so a run in progress (or one that crashed half way) is
// never seen; the job deletes the older run's rows once its own are complete.
import type { RfmClass, RfmClassSummary, RfmRunInfo, RfmSettings } from '@member-hub/shared';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

export interface MemberRfmDoc {
  _id: Types.ObjectId;
  runId: string;
  memberId: Types.ObjectId;
  memberNo: string;
  nickname: string | null;
  /** null for class `none` (no order in the window). */
  r: number | null;
  f: number | null;
  m: number | null;
  class: RfmClass;
  lastOrderAt: Date | null;
  recencyDays: number | null;
  orders: number;
  spendFen: number;
  churn: boolean;
  /** Filled for members with two orders or more in the window. */
  typicalGapDays: number | null;
  overdueBp: number;
}

export interface RfmRunDoc {
  _id: string;
  status: 'running' | 'done' | 'failed';
  asOf: Date;
  startedAt: Date;
  finishedAt: Date | null;
  settings: RfmSettings;
  members: number;
  buyers: number;
  boundaries: RfmRunInfo['boundaries'];
  classes: RfmClassSummary[];
  totalSpendFen: number;
  churnWarnings: number;
  ms: number;
  error: string | null;
}

const MemberRfmSchema = new Schema<MemberRfmDoc>(
  {
    runId: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    memberNo: { type: String, required: true },
    nickname: { type: String, default: null },
    r: { type: Number, default: null },
    f: { type: Number, default: null },
    m: { type: Number, default: null },
    class: { type: String, required: true },
    lastOrderAt: { type: Date, default: null },
    recencyDays: { type: Number, default: null },
    orders: { type: Number, default: 0 },
    spendFen: { type: Number, default: 0 },
    churn: { type: Boolean, default: false },
    typicalGapDays: { type: Number, default: null },
    overdueBp: { type: Number, default: 0 },
  },
  { versionKey: false, collection: 'member_rfm' },
);
// One row per member per run (a second insert of the same member in a run is a bug, refused).
MemberRfmSchema.index({ runId: 1, memberId: 1 }, { unique: true });
// The class filter; segments and rule tags look members up by class too. (The churn list is a few percent of
// the rows: a scan of the run is cheap enough, and a third index would slow the million inserts of every run.)
MemberRfmSchema.index({ runId: 1, class: 1 });

const RfmRunSchema = new Schema<RfmRunDoc>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true },
    asOf: { type: Date, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    settings: { type: Schema.Types.Mixed, required: true },
    members: { type: Number, default: 0 },
    buyers: { type: Number, default: 0 },
    boundaries: { type: Schema.Types.Mixed, default: null },
    classes: { type: Schema.Types.Mixed, default: [] },
    totalSpendFen: { type: Number, default: 0 },
    churnWarnings: { type: Number, default: 0 },
    ms: { type: Number, default: 0 },
    error: { type: String, default: null },
  },
  { versionKey: false, collection: 'rfm_runs' },
);
RfmRunSchema.index({ status: 1, finishedAt: -1 });

export function rfmModels(conn: Connection): { MemberRfm: Model<MemberRfmDoc>; RfmRuns: Model<RfmRunDoc> } {
  return {
    MemberRfm:
      (conn.models.MemberRfm as Model<MemberRfmDoc> | undefined) ??
      conn.model<MemberRfmDoc>('MemberRfm', MemberRfmSchema),
    RfmRuns: (conn.models.RfmRun as Model<RfmRunDoc> | undefined) ?? conn.model<RfmRunDoc>('RfmRun', RfmRunSchema),
  };
}

/** The runs through the driver (string ids), for the job's writes. */
export function rfmRunsCollection(conn: Connection) {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return db.collection<RfmRunDoc>('rfm_runs');
}
