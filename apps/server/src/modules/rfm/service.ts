// RFM scores and classes, and churn warnings (issue 9): reads the newest finished snapshot the daily job wrote
// (jobs/rfmDaily.ts), the owner's settings, and "recompute now". Never reads raw orders on a request.
import {
  type ChurnPage,
  type ChurnQuery,
  RFM_SCORED_CLASSES,
  RfmClassInfo,
  type RfmClassSummary,
  type RfmMember,
  type RfmMemberPage,
  type RfmMemberQuery,
  type RfmRecomputeResult,
  type RfmRunInfo,
  type RfmSettings,
  type RfmSummary,
} from '@member-hub/shared';
import type { Connection } from 'mongoose';
import { RFM_JOB, rfmDaily } from '../../jobs/rfmDaily';
import { type MemberRfmDoc, type RfmRunDoc, rfmModels } from './model';
import { currentRunId, readRfmSettings, writeRfmSettings } from './settings';

const SORTS: Record<RfmMemberQuery['sort'], keyof MemberRfmDoc> = {
  spend: 'spendFen',
  orders: 'orders',
  lastVisit: 'lastOrderAt',
  memberNo: 'memberNo',
};

export class RfmService {
  /** The run this process started on demand, so a second "recompute" while it goes says so. */
  private running: Promise<unknown> | null = null;

  constructor(
    readonly conn: Connection,
    readonly now: () => number = Date.now,
  ) {}

  settings(): Promise<RfmSettings> {
    return readRfmSettings(this.conn);
  }

  updateSettings(settings: RfmSettings): Promise<RfmSettings> {
    return writeRfmSettings(this.conn, settings, new Date(this.now()));
  }

  /** The newest finished run: the snapshot every read uses. */
  async latestRun(): Promise<RfmRunDoc | null> {
    const runId = await currentRunId(this.conn);
    if (!runId) return null;
    return rfmModels(this.conn).RfmRuns.findOne({ _id: runId, status: 'done' }).lean<RfmRunDoc>().exec();
  }

  async summary(): Promise<RfmSummary> {
    const run = await this.latestRun();
    const classes: RfmClassSummary[] =
      run?.classes ??
      [...RFM_SCORED_CLASSES, 'none' as const].map((c) => ({
        class: c,
        name: RfmClassInfo[c].name,
        members: 0,
        spendFen: 0,
        memberShareBp: 0,
        spendShareBp: 0,
      }));
    return {
      run: run && presentRun(run),
      running: await this.isRunning(),
      classes,
      totalSpendFen: run?.totalSpendFen ?? 0,
    };
  }

  async members(query: RfmMemberQuery): Promise<RfmMemberPage> {
    const run = await this.latestRun();
    if (!run) return { runId: null, items: [], total: 0, page: query.page, pageSize: query.pageSize };
    const filter: Record<string, unknown> = { runId: run._id };
    if (query.class) filter.class = query.class;
    const dir = query.order === 'asc' ? 1 : -1;
    const sort: Record<string, 1 | -1> = { [SORTS[query.sort]]: dir };
    // Member numbers are unique: the tiebreak that keeps pages stable.
    if (query.sort !== 'memberNo') sort.memberNo = 1;
    const { rows, total } = await this.page(filter, sort, query.page, query.pageSize);
    return { runId: run._id, items: rows.map(presentMember), total, page: query.page, pageSize: query.pageSize };
  }

  async churn(query: ChurnQuery): Promise<ChurnPage> {
    const run = await this.latestRun();
    if (!run) return { runId: null, items: [], total: 0, page: query.page, pageSize: query.pageSize };
    const filter: Record<string, unknown> = { runId: run._id, churn: true };
    if (query.class) filter.class = query.class;
    const dir = query.order === 'asc' ? 1 : -1;
    // The valuable ones first; among equal value, the most overdue.
    const { rows, total } = await this.page(
      filter,
      { spendFen: dir, overdueBp: dir, memberNo: 1 },
      query.page,
      query.pageSize,
    );
    return {
      runId: run._id,
      items: rows.map((row) => presentChurn(row, run.settings.churnFactorBp)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * Starts a run in the background unless one is going on (here, or on another server copy holding the lease).
   * `done` settles when it finishes; the route does not wait for it.
   */
  async recompute(): Promise<RfmRecomputeResult & { done: Promise<unknown> }> {
    if (this.running || (await this.isRunning()))
      return { started: false, alreadyRunning: true, done: this.running ?? Promise.resolve() };
    const done = rfmDaily({ conn: this.conn, now: this.now }).finally(() => {
      this.running = null;
    });
    this.running = done;
    return { started: true, alreadyRunning: false, done };
  }

  private async isRunning(): Promise<boolean> {
    if (this.running) return true;
    const db = this.conn.db;
    if (!db) throw new Error('not connected');
    const lease = await db
      .collection<{ _id: string; until: Date }>('job_leases')
      .findOne({ _id: RFM_JOB, until: { $gt: new Date(this.now()) } });
    return lease !== null;
  }

  private async page(
    filter: Record<string, unknown>,
    sort: Record<string, 1 | -1>,
    page: number,
    pageSize: number,
  ): Promise<{ rows: MemberRfmDoc[]; total: number }> {
    const { MemberRfm } = rfmModels(this.conn);
    const [rows, total] = await Promise.all([
      MemberRfm.find(filter)
        .sort(sort)
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<MemberRfmDoc[]>()
        .exec(),
      MemberRfm.countDocuments(filter).exec(),
    ]);
    return { rows, total };
  }
}

function presentRun(run: RfmRunDoc): RfmRunInfo {
  return {
    runId: run._id,
    asOf: run.asOf.toISOString(),
    finishedAt: (run.finishedAt ?? run.asOf).toISOString(),
    settings: run.settings,
    members: run.members,
    buyers: run.buyers,
    boundaries: run.boundaries,
    churnWarnings: run.churnWarnings,
    ms: run.ms,
  };
}

/** No phone, ever: the row names the member by number and nickname only. */
function presentMember(row: MemberRfmDoc): RfmMember {
  return {
    memberId: row.memberId.toHexString(),
    memberNo: row.memberNo,
    nickname: row.nickname,
    r: row.r,
    f: row.f,
    m: row.m,
    class: row.class,
    className: RfmClassInfo[row.class].name,
    lastVisitAt: row.lastOrderAt ? row.lastOrderAt.toISOString() : null,
    recencyDays: row.recencyDays,
    orders: row.orders,
    spendFen: row.spendFen,
    churn: row.churn,
  };
}

function presentChurn(row: MemberRfmDoc, factorBp: number) {
  return {
    memberId: row.memberId.toHexString(),
    memberNo: row.memberNo,
    nickname: row.nickname,
    class: row.class,
    className: RfmClassInfo[row.class].name,
    lastVisitAt: (row.lastOrderAt as Date).toISOString(),
    daysSinceLastVisit: row.recencyDays ?? 0,
    typicalGapDays: row.typicalGapDays ?? 0,
    factorBp,
    overdueBp: row.overdueBp,
    orders: row.orders,
    valueFen: row.spendFen,
  };
}
