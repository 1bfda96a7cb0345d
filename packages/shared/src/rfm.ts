// Issue 9 contract: RFM scores and the eight classic classes, and churn warnings. Computed daily by a job over a
// window of paid orders; the admin page reads snapshots, never raw orders. Money is integer fen, shares and the
// churn factor are basis points (10000 = 100% / 1.0x).
//
// How it is computed (the owner's tooltips quote this):
// - Window: orders with `createdAt` in [now - windowDays, now], status `paid` or `partially_refunded` (pending
//   orders never happened; fully refunded orders were undone and count as nothing).
// - Per active member: R = whole days since the last order in the window; F = orders in the window; M = paid
//   minus refunded over those orders, fen.
// - Scores 1-5 by quintiles over the members who bought in the window (nearest-rank): sort the values, take the
//   boundaries b_k = value at rank ceil(k * n / 5) for k = 1..4, and score = 1 + how many boundaries the value
//   is strictly better than (fewer days for R, more for F and M). Equal values always get equal scores, whatever
//   order they were read in, so ties never split across scores (a value shared by many members may leave a
//   score empty: with 70% one-time buyers, F = 1 is score 1 and F = 2 may already be score 4).
// - High / low: a score of 3 or more is high (the middle quintile and up). A fixed line, not "above the mean
//   score", because with quintiles the mean is about 3 anyway, and a mean moved by ties would shift classes
//   from day to day without any member changing.
// - Members with no order in the window are not scored (scores null) and get the class `none` (窗口内无消费):
//   ranking them would fill the lowest quintiles with non-buyers. They are counted separately in the summary.
// - Churn warning: a member with at least `minOrders` orders in the window (two orders make one gap) whose time
//   since the last order exceeds their typical gap times the factor. The typical gap is the MEAN gap between
//   their orders in the window, (last - first) / (orders - 1) (the domain rules say "their own average gap"; the
//   mean needs no per-member list of dates). Strictly greater: exactly factor x typical gap is not yet a warning.
import { z } from 'zod';

const Fen = z.number().int();
const Bp = z.number().int();
const Score = z.number().int().min(1).max(5);

// ---- Settings ----
export const RfmSettings = z.strictObject({
  /** How far back orders count, days. */
  windowDays: z.number().int().min(30, '统计窗口至少 30 天').max(1_095, '统计窗口最多 3 年').default(365),
  /** Churn when days since the last order > typical gap x factor. 20000 = 2.0x. */
  churnFactorBp: z.number().int().min(10_000, '流失倍数至少为 1.0').max(100_000, '流失倍数最多为 10.0').default(20_000),
  /** Orders in the window a member needs before their typical gap means anything (at least 2: one gap). */
  churnMinOrders: z.number().int().min(2, '至少需要 2 笔订单').max(50).default(2),
});
export type RfmSettings = z.infer<typeof RfmSettings>;
export const DEFAULT_RFM_SETTINGS: RfmSettings = { windowDays: 365, churnFactorBp: 20_000, churnMinOrders: 2 };

// ---- Classes ----
/** The eight classic classes, named by R / F / M high (1) or low (0), plus `none` (no order in the window). */
export const RfmClass = z.enum([
  'important_value',
  'important_retain',
  'important_develop',
  'important_winback',
  'general_value',
  'general_retain',
  'general_develop',
  'general_winback',
  'none',
]);
export type RfmClass = z.infer<typeof RfmClass>;
export const RFM_SCORED_CLASSES = RfmClass.options.filter((c) => c !== 'none') as Exclude<RfmClass, 'none'>[];

/** High = score >= this. */
export const RFM_HIGH_SCORE = 3;

/** Names, and which of R, F, M are high, for each class (the table owners see; the server classifies by it). */
export const RfmClassInfo: Record<
  RfmClass,
  { name: string; r: boolean | null; f: boolean | null; m: boolean | null; hint: string }
> = {
  important_value: { name: '重要价值', r: true, f: true, m: true, hint: '最近来过、常来、花得多：重点维护' },
  important_retain: { name: '重要保持', r: false, f: true, m: true, hint: '常来、花得多，但最近没来：主动联系' },
  important_develop: { name: '重要发展', r: true, f: false, m: true, hint: '最近来过、花得多，但来得少：提高频次' },
  important_winback: { name: '重要挽留', r: false, f: false, m: true, hint: '花得多，但来得少且很久没来：尽快挽回' },
  general_value: { name: '一般价值', r: true, f: true, m: false, hint: '最近来过、常来，但花得少：提高客单价' },
  general_retain: { name: '一般保持', r: false, f: true, m: false, hint: '常来但花得少，最近没来' },
  general_develop: { name: '一般发展', r: true, f: false, m: false, hint: '新近来过一两次的顾客：培养习惯' },
  general_winback: { name: '一般挽留', r: false, f: false, m: false, hint: '来得少、花得少、很久没来' },
  none: { name: '窗口内无消费', r: null, f: null, m: null, hint: '统计窗口内没有有效订单，不参与评分' },
};

// ---- Summary ----
export const RfmRunInfo = z.object({
  runId: z.string(),
  /** When the run started: "now" for days since the last order. ISO. */
  asOf: z.string(),
  finishedAt: z.string(),
  settings: RfmSettings,
  /** Active members considered, and how many of them bought in the window. */
  members: z.number().int(),
  buyers: z.number().int(),
  /**
   * The four quintile boundaries of each metric, for the tooltips. F (orders) and M (fen) ascend: a value scores
   * 1 + how many it is above. R (days) descends, fewer days being better: 1 + how many it is below.
   */
  boundaries: z.object({
    recencyDays: z.array(z.number().int()),
    orders: z.array(z.number().int()),
    monetaryFen: z.array(Fen),
  }),
  churnWarnings: z.number().int(),
  ms: z.number().int(),
});
export type RfmRunInfo = z.infer<typeof RfmRunInfo>;

export const RfmClassSummary = z.object({
  class: RfmClass,
  name: z.string(),
  members: z.number().int(),
  /** Paid minus refunded in the window, fen. */
  spendFen: Fen,
  /** members / all active members, and spend / all spend in the window, basis points. */
  memberShareBp: Bp,
  spendShareBp: Bp,
});
export type RfmClassSummary = z.infer<typeof RfmClassSummary>;

/** GET rfm: the last finished run (null before the first) and one row per class, the eight first then `none`. */
export const RfmSummary = z.object({
  run: RfmRunInfo.nullable(),
  /** A run is going on now (the daily job or "recompute now"). */
  running: z.boolean(),
  classes: z.array(RfmClassSummary),
  totalSpendFen: Fen,
});
export type RfmSummary = z.infer<typeof RfmSummary>;

// ---- Member rows ----
export const RfmSortField = z.enum(['spend', 'orders', 'lastVisit', 'memberNo']);
export type RfmSortField = z.infer<typeof RfmSortField>;

const PageFields = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
};

export const RfmMemberQuery = z.strictObject({
  class: RfmClass.optional(),
  sort: RfmSortField.default('spend'),
  ...PageFields,
});
export type RfmMemberQuery = z.infer<typeof RfmMemberQuery>;

export const RfmMember = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  nickname: z.string().nullable(),
  /** null for class `none`. */
  r: Score.nullable(),
  f: Score.nullable(),
  m: Score.nullable(),
  class: RfmClass,
  className: z.string(),
  /** Last order in the window, ISO; null for `none`. */
  lastVisitAt: z.string().nullable(),
  recencyDays: z.number().int().nullable(),
  orders: z.number().int(),
  spendFen: Fen,
  churn: z.boolean(),
});
export type RfmMember = z.infer<typeof RfmMember>;

/** Pages of one run's snapshot; `total` counts the filtered rows. Ties are broken by member number. */
export const RfmMemberPage = z.object({
  runId: z.string().nullable(),
  items: z.array(RfmMember),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type RfmMemberPage = z.infer<typeof RfmMemberPage>;

// ---- Churn warnings ----
export const ChurnQuery = z.strictObject({
  class: RfmClass.optional(),
  ...PageFields,
});
export type ChurnQuery = z.infer<typeof ChurnQuery>;

export const ChurnWarning = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  nickname: z.string().nullable(),
  class: RfmClass,
  className: z.string(),
  lastVisitAt: z.string(),
  /** Whole days since the last order. */
  daysSinceLastVisit: z.number().int(),
  /** Mean gap between their orders in the window, days, one decimal. */
  typicalGapDays: z.number(),
  /** The factor the run used, and how far past their gap they are (time since / typical gap), basis points. */
  factorBp: Bp,
  overdueBp: Bp,
  orders: z.number().int(),
  /** Their spend in the window, fen: the list is sorted by this, largest first, so the valuable ones come first. */
  valueFen: Fen,
});
export type ChurnWarning = z.infer<typeof ChurnWarning>;

/** Sorted by value (desc; `order=asc` reverses), then by how overdue, then member number. */
export const ChurnPage = z.object({
  runId: z.string().nullable(),
  items: z.array(ChurnWarning),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ChurnPage = z.infer<typeof ChurnPage>;

/** POST recompute: the run starts in the background (202); `alreadyRunning` when one is going on. */
export const RfmRecomputeResult = z.object({ started: z.boolean(), alreadyRunning: z.boolean() });
export type RfmRecomputeResult = z.infer<typeof RfmRecomputeResult>;

export const RfmPaths = {
  /** GET RfmSummary */
  summary: '/api/v1/admin/rfm',
  /** GET RfmMemberQuery -> RfmMemberPage */
  members: '/api/v1/admin/rfm/members',
  /** GET / PUT RfmSettings (PUT: the whole object, an omitted field takes its default; the next run uses it) */
  settings: '/api/v1/admin/rfm/settings',
  /** POST -> 202 RfmRecomputeResult */
  recompute: '/api/v1/admin/rfm/recompute',
  /** GET ChurnQuery -> ChurnPage */
  churn: '/api/v1/admin/churn',
} as const;
