// The rows of each export, read from a cursor in batches (the driver's getMore), one registered source per kind.
// A source never holds more than one batch (plus a small member-number cache for ledger rows).
import {
  ChurnExportColumns,
  formatFen,
  LedgerExportColumns,
  type LedgerExportQuery,
  MemberExportColumns,
  type MemberExportQuery,
  RfmClassInfo,
  RfmExportColumns,
  type RfmExportQuery,
} from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { type LedgerAccount, type LedgerEntry, type LedgerReason, ledgerModel } from '../ledger/model';
import { type Member, memberModel } from '../members/model';
import { type MemberRfmDoc, rfmModels } from '../rfm/model';
import { currentRunId } from '../rfm/settings';
import { chinaDateTime, chinaDayRange } from './csv';

const BATCH = 500;

type Row = Array<string | number>;
type Deps = Pick<AppDeps, 'conn' | 'identity'>;

// ---- members ----
type MemberRow = Pick<
  Member,
  | '_id'
  | 'memberNo'
  | 'phone'
  | 'nickname'
  | 'tier'
  | 'points'
  | 'walletPrincipalFen'
  | 'walletBonusFen'
  | 'growth'
  | 'createdAt'
  | 'birthday'
>;

export async function* memberRows(deps: Deps, query: MemberExportQuery, masked: boolean): AsyncGenerator<Row> {
  const filter: Record<string, unknown> = { status: 'active' };
  if (query.tier) filter.tier = query.tier;
  const joined = chinaDayRange(query.joinedFrom, query.joinedTo);
  if (joined) filter.createdAt = joined;
  const cursor = memberModel(deps.conn).collection.find(filter, {
    projection: {
      memberNo: 1,
      phone: 1,
      nickname: 1,
      tier: 1,
      points: 1,
      walletPrincipalFen: 1,
      walletBonusFen: 1,
      growth: 1,
      createdAt: 1,
      birthday: 1,
    },
    sort: { _id: 1 },
    batchSize: BATCH,
  });
  for await (const doc of cursor) {
    const m = doc as unknown as MemberRow;
    const phone = masked ? deps.identity.maskedPhoneOf(m) : deps.identity.phoneOf(m);
    yield [
      m.memberNo,
      phone ?? '',
      m.nickname ?? '',
      m.tier,
      m.points,
      formatFen(m.walletPrincipalFen + m.walletBonusFen),
      m.growth,
      chinaDateTime(m.createdAt),
      m.birthday ?? '',
    ];
  }
}

// ---- ledger ----
const ACCOUNT_LABELS: Record<LedgerAccount, string> = {
  points: '积分',
  growth: '成长值',
  walletPrincipal: '储值本金',
  walletBonus: '储值赠送',
};

export const REASON_LABELS: Record<LedgerReason, string> = {
  order: '消费',
  task: '任务',
  redemption: '积分兑换',
  expiry: '过期',
  refund_reversal: '退款扣回',
  adjustment: '人工调整',
  merge: '会员合并',
  import: '导入',
  top_up: '充值',
  top_up_refund: '充值退款',
  spend: '储值消费',
  spend_refund: '消费退款',
};

export async function ledgerFilter(deps: Deps, query: LedgerExportQuery): Promise<Record<string, unknown>> {
  const filter: Record<string, unknown> = {
    account: query.account === 'points' ? 'points' : { $in: ['walletPrincipal', 'walletBonus'] },
  };
  const range = chinaDayRange(query.from, query.to);
  if (range) filter.createdAt = range;
  if (query.memberNo) {
    const member = await memberModel(deps.conn).findOne({ memberNo: query.memberNo }, { _id: 1 }).lean<Member>();
    if (!member) throw new AppError('NOT_FOUND', '没有这个会员号', { resource: 'member' });
    filter.memberId = member._id;
  }
  return filter;
}

export async function* ledgerRows(deps: Deps, filter: Record<string, unknown>): AsyncGenerator<Row> {
  // In _id order, which is the order entries were made: the _id index walks it, where a createdAt sort over all
  // entries would be an in-memory sort of the whole ledger.
  const cursor = ledgerModel(deps.conn).collection.find(filter, { sort: { _id: 1 }, batchSize: BATCH });
  // Member numbers, looked up a batch at a time; the cache is bounded so a long export stays small.
  const memberNos = new Map<string, string>();
  let batch: LedgerEntry[] = [];
  const flush = async function* () {
    const missing = [...new Set(batch.map((e) => e.memberId.toHexString()))].filter((id) => !memberNos.has(id));
    if (missing.length) {
      if (memberNos.size > 50_000) memberNos.clear();
      const found = await memberModel(deps.conn)
        .find({ _id: { $in: missing } }, { memberNo: 1 })
        .lean<Pick<Member, '_id' | 'memberNo'>[]>();
      for (const m of found) memberNos.set(m._id.toHexString(), m.memberNo);
    }
    for (const e of batch) {
      const money = e.account === 'walletPrincipal' || e.account === 'walletBonus';
      yield [
        chinaDateTime(e.createdAt),
        memberNos.get(e.memberId.toHexString()) ?? '',
        ACCOUNT_LABELS[e.account] ?? e.account,
        money ? formatFen(e.amount) : e.amount,
        REASON_LABELS[e.reason] ?? e.reason,
        e.note,
        e._id.toHexString(),
      ];
    }
    batch = [];
  };
  for await (const doc of cursor) {
    batch.push(doc as unknown as LedgerEntry);
    if (batch.length >= BATCH) yield* flush();
  }
  yield* flush();
}

// ---- RFM ----
async function runFilter(deps: Deps, query: RfmExportQuery): Promise<{ runId: string } & Record<string, unknown>> {
  const runId = await currentRunId(deps.conn);
  // No finished run yet: the export is the header only, like the empty list on the page.
  const filter: { runId: string } & Record<string, unknown> = { runId: runId ?? '\u0000none' };
  if (query.class) filter.class = query.class;
  return filter;
}

export async function* rfmRows(deps: Deps, query: RfmExportQuery): AsyncGenerator<Row> {
  const filter = await runFilter(deps, query);
  // The run's own order (the order the job wrote its rows): an index walk, no sort of a million rows.
  const cursor = rfmModels(deps.conn).MemberRfm.collection.find(filter, { sort: { _id: 1 }, batchSize: BATCH });
  for await (const doc of cursor) {
    const r = doc as unknown as MemberRfmDoc;
    yield [
      r.memberNo,
      r.nickname ?? '',
      RfmClassInfo[r.class]?.name ?? r.class,
      r.r ?? '',
      r.f ?? '',
      r.m ?? '',
      chinaDateTime(r.lastOrderAt),
      r.recencyDays ?? '',
      r.orders,
      formatFen(r.spendFen),
      r.churn ? '是' : '否',
    ];
  }
}

export async function* churnRows(deps: Deps, query: RfmExportQuery): AsyncGenerator<Row> {
  const filter = { ...(await runFilter(deps, query)), churn: true };
  // As the churn page sorts: the most valuable first, then the most overdue (the list is a few percent of members).
  const cursor = rfmModels(deps.conn).MemberRfm.collection.find(filter, {
    sort: { spendFen: -1, overdueBp: -1, memberNo: 1 },
    batchSize: BATCH,
  });
  for await (const doc of cursor) {
    const r = doc as unknown as MemberRfmDoc;
    yield [
      r.memberNo,
      r.nickname ?? '',
      RfmClassInfo[r.class]?.name ?? r.class,
      chinaDateTime(r.lastOrderAt),
      r.recencyDays ?? '',
      r.typicalGapDays ?? '',
      `${(r.overdueBp / 10_000).toFixed(2)} 倍`,
      r.orders,
      formatFen(r.spendFen),
    ];
  }
}

export const EXPORT_COLUMNS = {
  members: MemberExportColumns,
  ledger: LedgerExportColumns,
  rfm: RfmExportColumns,
  churn: ChurnExportColumns,
} as const;

export type ExportKind = keyof typeof EXPORT_COLUMNS;
