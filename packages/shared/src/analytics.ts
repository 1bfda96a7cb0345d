// Issue 9 contract (dashboard part): the owner's dashboard over a range of China days, read from daily rollups.
// Money is integer fen, rates are integer basis points (10000 = 100%) and null when there is nothing to divide by,
// so no float ever leaves the server. Every figure carries a Chinese `explain` (how it is computed) for the tooltip.
import { z } from 'zod';
import { ObjectIdText } from './identity';

/** A China-time calendar day, yyyy-MM-dd, that really exists (no 2025-02-30). */
export const ChinaDayText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  // zod runs the refinement even when the format failed: an unparseable text must answer false, not throw.
  .refine((d) => {
    const at = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === d;
  }, '日期不存在');

/** The longest range one dashboard request may cover (a leap year, inclusive). */
export const DASHBOARD_MAX_DAYS = 366;

/** Days from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export const DashboardQuery = z
  .strictObject({
    /** First China day of the range, inclusive. */
    from: ChinaDayText,
    /** Last China day of the range, inclusive; "as of" figures (active members, repurchase rate) use this day. */
    to: ChinaDayText,
    /** Only this store's orders for the figures marked `storeScoped`; the others are brand-wide either way. */
    storeId: ObjectIdText.optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: '结束日期不能早于开始日期' })
  .refine((q) => dayCount(q.from, q.to) <= DASHBOARD_MAX_DAYS, {
    path: ['to'],
    message: `时间范围最长 ${DASHBOARD_MAX_DAYS} 天`,
  });
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export const DashboardFigureKey = z.enum([
  'newMembers',
  'activeMembers',
  'repurchaseRate',
  'averageOrderValue',
  'memberSalesShare',
  'pointsIssued',
  'pointsRedeemed',
  'pointsExpired',
  'pointsLiability',
  'couponRedemption',
  'benefitUsage',
  'storedValueLiability',
  'topUps',
  'tierDistribution',
  'tierMovement',
]);
export type DashboardFigureKey = z.infer<typeof DashboardFigureKey>;

/** The same query plus the figure to export, as CSV (UTF-8 with BOM, Chinese headers). */
export const DashboardExportQuery = DashboardQuery;

/** Where the active-members and repurchase windows end: the day itself and the 29 before it. */
export const ACTIVE_WINDOW_DAYS = 30;
/** Coupon sources that are member benefits (what a tier or a birthday gives), for the benefit usage rate. */
export const BENEFIT_COUPON_SOURCES = ['birthday', 'monthly'] as const;

export interface DashboardFigureInfo {
  title: string;
  /** How it is computed, in Chinese, shown as the figure's tooltip. */
  explain: string;
  /** True when the store filter applies; false means the figure is always for the whole brand. */
  storeScoped: boolean;
  /** True for "now" figures (balances at `asOf`), false for figures over the range. */
  snapshot: boolean;
}

export const DashboardFigureInfos: Record<DashboardFigureKey, DashboardFigureInfo> = {
  newMembers: {
    title: '新增会员',
    explain: '每天新注册的会员数（按中国时间注册日统计；已合并到其他会员的重复账号不计）。合计为所选时间段内每天之和。',
    storeScoped: false,
    snapshot: false,
  },
  activeMembers: {
    title: '活跃会员（30天）',
    explain:
      '截至某天（含当天）最近 30 天内至少有 1 笔有效消费的会员数，每天各算一次；卡片上显示的是截至结束日期的数值。有效消费指已支付且未全额退款的会员订单。选择门店时只看该门店的订单。',
    storeScoped: true,
    snapshot: false,
  },
  repurchaseRate: {
    title: '复购率（30天）',
    explain:
      '截至某天最近 30 天内消费 2 次及以上的会员数 ÷ 同期消费 1 次及以上的会员数。卡片上显示的是截至结束日期的数值。选择门店时只看该门店的订单。',
    storeScoped: true,
    snapshot: false,
  },
  averageOrderValue: {
    title: '客单价（会员 vs 非会员）',
    explain:
      '所选时间段内的实收金额（顾客实付，扣除优惠券和积分抵扣，再减去期间发生的退款）÷ 订单笔数，会员订单与非会员（POS 上报的散客）订单分开计算。',
    storeScoped: true,
    snapshot: false,
  },
  memberSalesShare: {
    title: '会员消费占比',
    explain: '所选时间段内会员订单实收金额 ÷（会员 + 非会员）实收金额。实收金额为顾客实付减去期间发生的退款。',
    storeScoped: true,
    snapshot: false,
  },
  pointsIssued: {
    title: '积分发放',
    explain:
      '所选时间段内发给会员的积分：消费、任务、导入和人工调整所得积分之和，减去订单退款收回的积分（人工扣减也计为负数）。会员合并时转移的积分不计。',
    storeScoped: false,
    snapshot: false,
  },
  pointsRedeemed: {
    title: '积分使用',
    explain: '所选时间段内会员用掉的积分：下单抵扣和积分商城兑换之和，减去退款退回的抵扣积分。',
    storeScoped: false,
    snapshot: false,
  },
  pointsExpired: {
    title: '积分过期',
    explain: '所选时间段内到期作废的积分（积分在获得后第 12 个月的月底过期，先到期的先用）。',
    storeScoped: false,
    snapshot: false,
  },
  pointsLiability: {
    title: '积分负债',
    explain:
      '当前所有会员未使用的积分余额之和，按结账抵扣比例折算成金额（默认 100 积分 = ¥1）。这是商家对会员的潜在让利，统计时间见“截至”。',
    storeScoped: false,
    snapshot: true,
  },
  couponRedemption: {
    title: '优惠券核销率（按券模板）',
    explain:
      '每个券模板在所选时间段内核销（已使用）的张数 ÷ 同期发出的张数。发券和用券都按发生日统计，时间段很短时可能超过 100%。健康的活动一般在 15% 以上。',
    storeScoped: false,
    snapshot: false,
  },
  benefitUsage: {
    title: '权益使用率',
    explain:
      '会员权益券（生日礼券、等级月礼券）在所选时间段内被使用的张数 ÷ 同期发放的张数，按发生日统计。30%–70% 属于健康区间。',
    storeScoped: false,
    snapshot: false,
  },
  storedValueLiability: {
    title: '储值负债',
    explain:
      '当前所有会员储值余额之和（本金 + 赠送金），即商家尚欠会员、需要用商品或服务兑付的金额。统计时间见“截至”。',
    storeScoped: false,
    snapshot: true,
  },
  topUps: {
    title: '充值金额',
    explain:
      '所选时间段内支付成功的储值充值：笔数、实付本金和赠送金额，按支付到账日统计；退款为期间完成的储值本金退款。',
    storeScoped: false,
    snapshot: false,
  },
  tierDistribution: {
    title: '会员等级分布',
    explain: '当前每个等级的有效会员人数（不含已注销、已合并的会员）。统计时间见“截至”。',
    storeScoped: false,
    snapshot: true,
  },
  tierMovement: {
    title: '等级变动',
    explain:
      '所选时间段内的等级变化次数：升级（成长值达标或人工调高）与降级（年度复核未达标或人工调低），按变化日统计。',
    storeScoped: false,
    snapshot: false,
  },
};

const Int = z.number().int();
/** A rate in basis points (10000 = 100%), null when the denominator is 0. */
const RateBp = z.number().int().nullable();
const Day = z.string();

const FigureMeta = {
  title: z.string(),
  explain: z.string(),
  storeScoped: z.boolean(),
};
const SnapshotMeta = {
  ...FigureMeta,
  /** When the balances were read (ISO time): the last rollup run, refreshed in the background when stale. */
  asOf: z.string(),
};
const CountSeries = z.array(z.object({ day: Day, value: Int }));

export const Dashboard = z.object({
  query: z.object({ from: Day, to: Day, storeId: z.string().nullable(), days: Int }),
  /** Days in the range the rollup job has not written yet (today, or a day it has not run for): shown as zero. */
  missingDays: z.array(Day),
  figures: z.object({
    newMembers: z.object({ ...FigureMeta, total: Int, series: CountSeries }),
    activeMembers: z.object({
      ...FigureMeta,
      /** As of the range's last day with a rollup (`to` when it is there). */
      value: Int,
      series: CountSeries,
    }),
    repurchaseRate: z.object({
      ...FigureMeta,
      rateBp: RateBp,
      repeatMembers: Int,
      buyingMembers: Int,
      series: z.array(z.object({ day: Day, rateBp: RateBp, repeatMembers: Int, buyingMembers: Int })),
    }),
    averageOrderValue: z.object({
      ...FigureMeta,
      memberFen: Int.nullable(),
      nonMemberFen: Int.nullable(),
      memberOrders: Int,
      nonMemberOrders: Int,
      series: z.array(
        z.object({
          day: Day,
          memberFen: Int.nullable(),
          nonMemberFen: Int.nullable(),
          memberOrders: Int,
          nonMemberOrders: Int,
        }),
      ),
    }),
    memberSalesShare: z.object({
      ...FigureMeta,
      shareBp: RateBp,
      memberSalesFen: Int,
      nonMemberSalesFen: Int,
      /** What refunds took off in the range (already subtracted from the two sales figures). */
      memberRefundFen: Int,
      nonMemberRefundFen: Int,
      series: z.array(z.object({ day: Day, shareBp: RateBp, memberSalesFen: Int, nonMemberSalesFen: Int })),
    }),
    pointsIssued: z.object({ ...FigureMeta, total: Int, series: CountSeries }),
    pointsRedeemed: z.object({ ...FigureMeta, total: Int, series: CountSeries }),
    pointsExpired: z.object({ ...FigureMeta, total: Int, series: CountSeries }),
    pointsLiability: z.object({
      ...SnapshotMeta,
      outstandingPoints: Int,
      /** outstandingPoints x 100 / pointsPerYuanOffset, rounded down. */
      valueFen: Int,
      pointsPerYuanOffset: Int,
      members: Int,
    }),
    couponRedemption: z.object({
      ...FigureMeta,
      issued: Int,
      used: Int,
      rateBp: RateBp,
      /** Most issued first. */
      templates: z.array(
        z.object({ templateId: z.string(), title: z.string(), issued: Int, used: Int, rateBp: RateBp }),
      ),
    }),
    benefitUsage: z.object({
      ...FigureMeta,
      issued: Int,
      used: Int,
      rateBp: RateBp,
      bySource: z.array(
        z.object({ source: z.enum(BENEFIT_COUPON_SOURCES), label: z.string(), issued: Int, used: Int, rateBp: RateBp }),
      ),
    }),
    storedValueLiability: z.object({
      ...SnapshotMeta,
      principalFen: Int,
      bonusFen: Int,
      totalFen: Int,
      members: Int,
    }),
    topUps: z.object({
      ...FigureMeta,
      count: Int,
      payFen: Int,
      bonusFen: Int,
      refundedFen: Int,
      series: z.array(z.object({ day: Day, count: Int, payFen: Int, bonusFen: Int, refundedFen: Int })),
    }),
    tierDistribution: z.object({
      ...SnapshotMeta,
      total: Int,
      /** In tier order, lowest first; every configured tier is listed, with 0 when empty. */
      tiers: z.array(z.object({ tier: z.string(), members: Int, shareBp: RateBp })),
    }),
    tierMovement: z.object({
      ...FigureMeta,
      ups: Int,
      downs: Int,
      series: z.array(z.object({ day: Day, ups: Int, downs: Int })),
      /** Each (from, to) pair seen in the range, most frequent first. */
      transitions: z.array(z.object({ from: z.string(), to: z.string(), count: Int })),
    }),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const DashboardPaths = {
  /** GET ?from&to[&storeId] -> Dashboard. Permission `analytics.read`. */
  dashboard: '/api/v1/admin/dashboard',
  /** GET ?from&to[&storeId] -> text/csv (UTF-8 BOM, Chinese headers), one figure per file. */
  export: (figure: DashboardFigureKey) => `/api/v1/admin/dashboard/export/${figure}`,
} as const;

// ---- Non-member sales from a POS (so "members vs non-members" has data) ----

/** A paid sale to a walk-in customer (no member): stored per (store, external id), no ledger is touched. */
export const OpenSaleRequest = z.strictObject({
  externalSaleId: z.string().trim().min(1).max(64),
  /** What the customer paid, in fen. */
  amountFen: z.number().int().min(1).max(100_000_000),
  items: z
    .array(
      z.strictObject({
        sku: z.string().trim().max(64).optional(),
        name: z.string().trim().min(1).max(60),
        category: z.string().trim().max(40).optional(),
        amountFen: z.number().int().min(0),
      }),
    )
    .max(200)
    .default([]),
});
export type OpenSaleRequest = z.infer<typeof OpenSaleRequest>;

export const OpenSaleRefundRequest = z.strictObject({
  externalSaleId: z.string().trim().min(1).max(64),
  externalRefundId: z.string().trim().min(1).max(64),
  amountFen: z.number().int().min(1),
});
export type OpenSaleRefundRequest = z.infer<typeof OpenSaleRefundRequest>;

export const OpenSaleResult = z.object({
  saleId: z.string(),
  externalSaleId: z.string(),
  amountFen: Int,
  refundedFen: Int,
  status: z.enum(['paid', 'partially_refunded', 'refunded']),
  /** True when this call found the sale (or refund) already recorded and changed nothing. */
  replayed: z.boolean(),
});
export type OpenSaleResult = z.infer<typeof OpenSaleResult>;

export const OpenSalePaths = {
  /** POST, signed like the other open API calls (X-Hub-Store / -Timestamp / -Nonce / -Signature). */
  sales: '/api/v1/open/sales',
  saleRefunds: '/api/v1/open/sales/refunds',
} as const;
