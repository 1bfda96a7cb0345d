// Pure arithmetic of the dashboard: how ledger reasons become issued / redeemed / expired points, how tier changes
// become ups and downs, and how a range of daily rollups becomes the Dashboard response and its CSV tables.
import {
  BENEFIT_COUPON_SOURCES,
  CouponSourceLabels,
  type Dashboard,
  DashboardFigureInfos,
  type DashboardFigureKey,
  type DashboardQuery,
  dayCount,
} from '@member-hub/shared';
import { averageFen, daysBetween, rateBp } from './days';
import type { BalanceSnapshot, DailyRollup } from './model';

/** Points in (credits) and out (debits, as a positive number) per ledger reason. */
export type ReasonFlows = Record<string, { in: number; out: number }>;

const EARNED = ['order', 'task', 'import', 'adjustment'];
const SPENT = ['spend', 'redemption', 'spend_refund'];

/**
 * issued = what orders, tasks, imports and adjustments gave (an adjustment down counts negative), less what refunds
 * took back; redeemed = points offsets and mall redemptions, less offsets refunds gave back; expired = expiry.
 * Merges only move points between two members and count nowhere. So issued - redeemed - expired is exactly the
 * change in outstanding points.
 */
export function pointsFigures(flows: ReasonFlows): { issued: number; redeemed: number; expired: number } {
  const f = (reason: string) => flows[reason] ?? { in: 0, out: 0 };
  const reversal = f('refund_reversal');
  let issued = -reversal.out;
  for (const r of EARNED) issued += f(r).in - f(r).out;
  let redeemed = -reversal.in;
  for (const r of SPENT) redeemed += f(r).out - f(r).in;
  const expired = f('expiry').out - f('expiry').in;
  return { issued, redeemed, expired };
}

/** Ups and downs by the tiers' order (lowest first); a change between unknown names counts as neither. */
export function tierMoves(
  changes: { from: string; to: string; count: number }[],
  order: readonly string[],
): { ups: number; downs: number } {
  let ups = 0;
  let downs = 0;
  for (const c of changes) {
    const from = order.indexOf(c.from);
    const to = order.indexOf(c.to);
    if (from < 0 || to < 0 || from === to) continue;
    if (to > from) ups += c.count;
    else downs += c.count;
  }
  return { ups, downs };
}

const sum = (docs: DailyRollup[], pick: (d: DailyRollup) => number) => docs.reduce((s, d) => s + pick(d), 0);

export interface DashboardInput {
  query: DashboardQuery;
  /** Rollups of the store asked for (or the brand-wide ones), any order. */
  scoped: DailyRollup[];
  /** The brand-wide rollups of the range (the same list when no store is asked for). */
  brand: DailyRollup[];
  snapshot: BalanceSnapshot;
  pointsPerYuanOffset: number;
  /** Configured tier names, lowest first. */
  tiers: readonly string[];
}

function meta(key: DashboardFigureKey) {
  const { title, explain, storeScoped } = DashboardFigureInfos[key];
  return { title, explain, storeScoped };
}

export function buildDashboard(input: DashboardInput): Dashboard {
  const { query } = input;
  const days = daysBetween(query.from, query.to);
  const scopedByDay = new Map(input.scoped.map((d) => [d.day, d]));
  const brandByDay = new Map(input.brand.map((d) => [d.day, d]));
  const scoped = days.flatMap((d) => scopedByDay.get(d) ?? []);
  const brand = days.flatMap((d) => brandByDay.get(d) ?? []);
  // A day the job has run for has its brand-wide document; a store with nothing that day simply has none.
  const missingDays = days.filter((d) => !brandByDay.has(d));
  const lastRolled = [...days].reverse().find((d) => brandByDay.has(d));
  const asOfEnd = lastRolled ? scopedByDay.get(lastRolled) : undefined;
  const perDay = <T>(pick: (doc: DailyRollup | undefined, day: string) => T) =>
    days.map((day) => pick(scopedByDay.get(day), day));
  const perBrandDay = <T>(pick: (doc: DailyRollup | undefined, day: string) => T) =>
    days.map((day) => pick(brandByDay.get(day), day));

  const memberSales = (d: DailyRollup) => d.memberPaidFen - d.memberRefundFen;
  const nonMemberSales = (d: DailyRollup) => d.nonMemberPaidFen - d.nonMemberRefundFen;
  const memberSalesFen = sum(scoped, memberSales);
  const nonMemberSalesFen = sum(scoped, nonMemberSales);
  const memberOrders = sum(scoped, (d) => d.memberOrders);
  const nonMemberOrders = sum(scoped, (d) => d.nonMemberOrders);

  const templates = new Map<string, { templateId: string; title: string; issued: number; used: number }>();
  const benefits = new Map<string, { issued: number; used: number }>(
    BENEFIT_COUPON_SOURCES.map((s) => [s, { issued: 0, used: 0 }]),
  );
  // Days in order, so the title is the latest one seen in the range.
  for (const doc of brand)
    for (const c of doc.coupons) {
      const t = templates.get(c.templateId) ?? { templateId: c.templateId, title: c.title, issued: 0, used: 0 };
      t.title = c.title || t.title;
      t.issued += c.issued;
      t.used += c.used;
      templates.set(c.templateId, t);
      const b = benefits.get(c.source);
      if (b) {
        b.issued += c.issued;
        b.used += c.used;
      }
    }
  const templateRows = [...templates.values()]
    .sort((a, b) => b.issued - a.issued || b.used - a.used || a.templateId.localeCompare(b.templateId))
    .map((t) => ({ ...t, rateBp: rateBp(t.used, t.issued) }));
  const couponsIssued = sum(brand, (d) => d.coupons.reduce((s, c) => s + c.issued, 0));
  const couponsUsed = sum(brand, (d) => d.coupons.reduce((s, c) => s + c.used, 0));
  const benefitRows = BENEFIT_COUPON_SOURCES.map((source) => {
    const b = benefits.get(source) ?? { issued: 0, used: 0 };
    return {
      source,
      label: CouponSourceLabels[source],
      issued: b.issued,
      used: b.used,
      rateBp: rateBp(b.used, b.issued),
    };
  });
  const benefitIssued = benefitRows.reduce((s, b) => s + b.issued, 0);
  const benefitUsed = benefitRows.reduce((s, b) => s + b.used, 0);

  const transitions = new Map<string, { from: string; to: string; count: number }>();
  for (const doc of brand)
    for (const c of doc.tierChanges) {
      const key = `${c.from}\u0000${c.to}`;
      const t = transitions.get(key) ?? { from: c.from, to: c.to, count: 0 };
      t.count += c.count;
      transitions.set(key, t);
    }

  const snap = input.snapshot;
  const asOf = snap.asOf.toISOString();
  const tierCounts = new Map(snap.tiers.map((t) => [t.tier, t.members]));
  const tierTotal = snap.tiers.reduce((s, t) => s + t.members, 0);
  // Configured tiers first (in order, zero when empty), then any name members still carry from older rules.
  const tierNames = [...input.tiers, ...snap.tiers.map((t) => t.tier).filter((t) => !input.tiers.includes(t))];

  const series = (pick: (d: DailyRollup) => number) => perBrandDay((d, day) => ({ day, value: d ? pick(d) : 0 }));

  return {
    query: { from: query.from, to: query.to, storeId: query.storeId ?? null, days: dayCount(query.from, query.to) },
    missingDays,
    figures: {
      newMembers: {
        ...meta('newMembers'),
        total: sum(brand, (d) => d.newMembers),
        series: series((d) => d.newMembers),
      },
      activeMembers: {
        ...meta('activeMembers'),
        value: asOfEnd?.activeMembers ?? 0,
        series: perDay((d, day) => ({ day, value: d?.activeMembers ?? 0 })),
      },
      repurchaseRate: {
        ...meta('repurchaseRate'),
        rateBp: rateBp(asOfEnd?.repeatMembers ?? 0, asOfEnd?.activeMembers ?? 0),
        repeatMembers: asOfEnd?.repeatMembers ?? 0,
        buyingMembers: asOfEnd?.activeMembers ?? 0,
        series: perDay((d, day) => ({
          day,
          rateBp: rateBp(d?.repeatMembers ?? 0, d?.activeMembers ?? 0),
          repeatMembers: d?.repeatMembers ?? 0,
          buyingMembers: d?.activeMembers ?? 0,
        })),
      },
      averageOrderValue: {
        ...meta('averageOrderValue'),
        memberFen: averageFen(memberSalesFen, memberOrders),
        nonMemberFen: averageFen(nonMemberSalesFen, nonMemberOrders),
        memberOrders,
        nonMemberOrders,
        series: perDay((d, day) => ({
          day,
          memberFen: d ? averageFen(memberSales(d), d.memberOrders) : null,
          nonMemberFen: d ? averageFen(nonMemberSales(d), d.nonMemberOrders) : null,
          memberOrders: d?.memberOrders ?? 0,
          nonMemberOrders: d?.nonMemberOrders ?? 0,
        })),
      },
      memberSalesShare: {
        ...meta('memberSalesShare'),
        shareBp: rateBp(memberSalesFen, memberSalesFen + nonMemberSalesFen),
        memberSalesFen,
        nonMemberSalesFen,
        memberRefundFen: sum(scoped, (d) => d.memberRefundFen),
        nonMemberRefundFen: sum(scoped, (d) => d.nonMemberRefundFen),
        series: perDay((d, day) => {
          const m = d ? memberSales(d) : 0;
          const n = d ? nonMemberSales(d) : 0;
          return { day, shareBp: rateBp(m, m + n), memberSalesFen: m, nonMemberSalesFen: n };
        }),
      },
      pointsIssued: {
        ...meta('pointsIssued'),
        total: sum(brand, (d) => d.pointsIssued),
        series: series((d) => d.pointsIssued),
      },
      pointsRedeemed: {
        ...meta('pointsRedeemed'),
        total: sum(brand, (d) => d.pointsRedeemed),
        series: series((d) => d.pointsRedeemed),
      },
      pointsExpired: {
        ...meta('pointsExpired'),
        total: sum(brand, (d) => d.pointsExpired),
        series: series((d) => d.pointsExpired),
      },
      pointsLiability: {
        ...meta('pointsLiability'),
        asOf,
        outstandingPoints: snap.outstandingPoints,
        valueFen: Math.floor((snap.outstandingPoints * 100) / input.pointsPerYuanOffset),
        pointsPerYuanOffset: input.pointsPerYuanOffset,
        members: snap.pointMembers,
      },
      couponRedemption: {
        ...meta('couponRedemption'),
        issued: couponsIssued,
        used: couponsUsed,
        rateBp: rateBp(couponsUsed, couponsIssued),
        templates: templateRows,
      },
      benefitUsage: {
        ...meta('benefitUsage'),
        issued: benefitIssued,
        used: benefitUsed,
        rateBp: rateBp(benefitUsed, benefitIssued),
        bySource: benefitRows,
      },
      storedValueLiability: {
        ...meta('storedValueLiability'),
        asOf,
        principalFen: snap.walletPrincipalFen,
        bonusFen: snap.walletBonusFen,
        totalFen: snap.walletPrincipalFen + snap.walletBonusFen,
        members: snap.walletMembers,
      },
      topUps: {
        ...meta('topUps'),
        count: sum(brand, (d) => d.topUpCount),
        payFen: sum(brand, (d) => d.topUpPayFen),
        bonusFen: sum(brand, (d) => d.topUpBonusFen),
        refundedFen: sum(brand, (d) => d.topUpRefundFen),
        series: perBrandDay((d, day) => ({
          day,
          count: d?.topUpCount ?? 0,
          payFen: d?.topUpPayFen ?? 0,
          bonusFen: d?.topUpBonusFen ?? 0,
          refundedFen: d?.topUpRefundFen ?? 0,
        })),
      },
      tierDistribution: {
        ...meta('tierDistribution'),
        asOf,
        total: tierTotal,
        tiers: tierNames.map((tier) => {
          const members = tierCounts.get(tier) ?? 0;
          return { tier, members, shareBp: rateBp(members, tierTotal) };
        }),
      },
      tierMovement: {
        ...meta('tierMovement'),
        ups: sum(brand, (d) => d.tierUps),
        downs: sum(brand, (d) => d.tierDowns),
        series: perBrandDay((d, day) => ({ day, ups: d?.tierUps ?? 0, downs: d?.tierDowns ?? 0 })),
        transitions: [...transitions.values()].sort(
          (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
        ),
      },
    },
  };
}

// ---- CSV tables (one per figure; money in yuan and rates in percent, as an owner reads them in Excel) ----

/** 1234 -> "12.34", by integer arithmetic. */
export function yuan(fen: number | null): string {
  if (fen === null) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1234 bp -> "12.34%". */
export function percent(bp: number | null): string {
  return bp === null ? '' : `${yuan(bp)}%`;
}

export type CsvCell = string | number;

export function csvTable(key: DashboardFigureKey, dash: Dashboard): { headers: string[]; rows: CsvCell[][] } {
  const f = dash.figures;
  switch (key) {
    case 'newMembers':
      return { headers: ['日期', '新增会员'], rows: f.newMembers.series.map((p) => [p.day, p.value]) };
    case 'activeMembers':
      return { headers: ['日期', '活跃会员（30天）'], rows: f.activeMembers.series.map((p) => [p.day, p.value]) };
    case 'repurchaseRate':
      return {
        headers: ['日期', '复购率', '复购会员（30天内≥2次）', '消费会员（30天内≥1次）'],
        rows: f.repurchaseRate.series.map((p) => [p.day, percent(p.rateBp), p.repeatMembers, p.buyingMembers]),
      };
    case 'averageOrderValue':
      return {
        headers: ['日期', '会员客单价（元）', '会员订单数', '非会员客单价（元）', '非会员订单数'],
        rows: f.averageOrderValue.series.map((p) => [
          p.day,
          yuan(p.memberFen),
          p.memberOrders,
          yuan(p.nonMemberFen),
          p.nonMemberOrders,
        ]),
      };
    case 'memberSalesShare':
      return {
        headers: ['日期', '会员消费占比', '会员实收（元）', '非会员实收（元）'],
        rows: f.memberSalesShare.series.map((p) => [
          p.day,
          percent(p.shareBp),
          yuan(p.memberSalesFen),
          yuan(p.nonMemberSalesFen),
        ]),
      };
    case 'pointsIssued':
    case 'pointsRedeemed':
    case 'pointsExpired':
      return {
        headers: ['日期', DashboardFigureInfos[key].title],
        rows: f[key].series.map((p) => [p.day, p.value]),
      };
    case 'pointsLiability': {
      const l = f.pointsLiability;
      return {
        headers: ['截至', '未使用积分', '折合金额（元）', '抵扣比例（积分/元）', '持有积分会员数'],
        rows: [[l.asOf, l.outstandingPoints, yuan(l.valueFen), l.pointsPerYuanOffset, l.members]],
      };
    }
    case 'couponRedemption':
      return {
        headers: ['券模板编号', '券名称', '发放张数', '核销张数', '核销率'],
        rows: f.couponRedemption.templates.map((t) => [t.templateId, t.title, t.issued, t.used, percent(t.rateBp)]),
      };
    case 'benefitUsage':
      return {
        headers: ['权益', '发放张数', '使用张数', '使用率'],
        rows: [
          ...f.benefitUsage.bySource.map((b) => [b.label, b.issued, b.used, percent(b.rateBp)]),
          ['合计', f.benefitUsage.issued, f.benefitUsage.used, percent(f.benefitUsage.rateBp)],
        ],
      };
    case 'storedValueLiability': {
      const s = f.storedValueLiability;
      return {
        headers: ['截至', '储值本金（元）', '赠送金（元）', '合计（元）', '持有储值会员数'],
        rows: [[s.asOf, yuan(s.principalFen), yuan(s.bonusFen), yuan(s.totalFen), s.members]],
      };
    }
    case 'topUps':
      return {
        headers: ['日期', '充值笔数', '充值本金（元）', '赠送金额（元）', '退款本金（元）'],
        rows: f.topUps.series.map((p) => [p.day, p.count, yuan(p.payFen), yuan(p.bonusFen), yuan(p.refundedFen)]),
      };
    case 'tierDistribution':
      return {
        headers: ['等级', '会员数', '占比', '截至'],
        rows: f.tierDistribution.tiers.map((t) => [t.tier, t.members, percent(t.shareBp), f.tierDistribution.asOf]),
      };
    case 'tierMovement':
      return {
        headers: ['日期', '升级人次', '降级人次'],
        rows: f.tierMovement.series.map((p) => [p.day, p.ups, p.downs]),
      };
  }
}

/**
 * One CSV line (RFC 4180 quoting). Text starting with = + - @ (a template title, say) gets a leading apostrophe so
 * Excel never runs it as a formula; our own negative amounts ("-12.50") stay numbers.
 */
export function csvLine(cells: CsvCell[]): string {
  return `${cells
    .map((cell) => {
      let text = String(cell);
      if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-\d+(\.\d+)?$/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}
