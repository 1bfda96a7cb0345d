// The dashboard's charts, the pure part: which charts there are, the figures each draws (and exports), their
// ECharts options from the answer, and a sentence about each for screen readers.
import {
  barOption,
  type ChartOption,
  funnelOption,
  lineOption,
  type NamedValue,
  pieOption,
  shareText,
} from '../../charts/options';
import type { FigureKey, Figures } from './figures';

export type ChartKind = 'line' | 'bar' | 'pie' | 'funnel';

export interface ChartSpec {
  key: string;
  title: string;
  kind: ChartKind;
  /** The figures it draws: each has its own CSV export next to the chart. */
  figures: readonly FigureKey[];
  /** Wide charts take two columns of the grid (the day-by-day ones). */
  wide: boolean;
}

export const DASHBOARD_CHARTS: readonly ChartSpec[] = [
  { key: 'newMembers', title: '每日新增会员', kind: 'line', figures: ['newMembers'], wide: true },
  { key: 'activeMembers', title: '活跃会员（近 30 天）', kind: 'line', figures: ['activeMembers'], wide: false },
  { key: 'repurchaseRate', title: '复购率（近 30 天）', kind: 'line', figures: ['repurchaseRate'], wide: false },
  {
    key: 'points',
    title: '积分发放 / 使用 / 过期',
    kind: 'line',
    figures: ['pointsIssued', 'pointsRedeemed', 'pointsExpired'],
    wide: true,
  },
  {
    key: 'averageOrderValue',
    title: '客单价：会员 vs 非会员',
    kind: 'bar',
    figures: ['averageOrderValue'],
    wide: true,
  },
  { key: 'topUps', title: '充值金额', kind: 'bar', figures: ['topUps'], wide: true },
  { key: 'memberSalesShare', title: '会员消费占比', kind: 'pie', figures: ['memberSalesShare'], wide: false },
  { key: 'tierDistribution', title: '会员等级分布', kind: 'pie', figures: ['tierDistribution'], wide: false },
  { key: 'couponFunnel', title: '优惠券：发出 → 核销', kind: 'funnel', figures: ['couponRedemption'], wide: false },
  { key: 'couponTemplates', title: '各券模板核销率', kind: 'bar', figures: ['couponRedemption'], wide: false },
  { key: 'benefitUsage', title: '权益券：发放 → 使用', kind: 'funnel', figures: ['benefitUsage'], wide: false },
  { key: 'tierMovement', title: '等级升降', kind: 'bar', figures: ['tierMovement'], wide: false },
];

/** The most templates the rate chart names (most issued first, as the server sorts them). */
export const TOP_TEMPLATES = 10;

const days = (series: readonly { day: string }[]) => series.map((point) => point.day);

export function dashboardChartOption(key: string, figures: Figures): ChartOption {
  switch (key) {
    case 'newMembers': {
      const { series } = figures.newMembers;
      return lineOption({
        categories: days(series),
        days: true,
        unit: 'count',
        series: [{ name: '新增会员', values: series.map((point) => point.value) }],
      });
    }
    case 'activeMembers': {
      const { series } = figures.activeMembers;
      return lineOption({
        categories: days(series),
        days: true,
        unit: 'count',
        series: [{ name: '活跃会员', values: series.map((point) => point.value) }],
      });
    }
    case 'repurchaseRate': {
      const { series } = figures.repurchaseRate;
      return lineOption({
        categories: days(series),
        days: true,
        unit: 'bp',
        series: [{ name: '复购率', values: series.map((point) => point.rateBp) }],
      });
    }
    case 'points': {
      const { pointsIssued, pointsRedeemed, pointsExpired } = figures;
      return lineOption({
        categories: days(pointsIssued.series),
        days: true,
        unit: 'points',
        series: [
          { name: '发放', values: pointsIssued.series.map((point) => point.value) },
          { name: '使用', values: alignTo(pointsIssued.series, pointsRedeemed.series) },
          { name: '过期', values: alignTo(pointsIssued.series, pointsExpired.series) },
        ],
      });
    }
    case 'averageOrderValue': {
      const { series } = figures.averageOrderValue;
      return barOption({
        categories: days(series),
        days: true,
        unit: 'fen',
        series: [
          { name: '会员', values: series.map((point) => point.memberFen) },
          { name: '非会员', values: series.map((point) => point.nonMemberFen) },
        ],
      });
    }
    case 'topUps': {
      const { series } = figures.topUps;
      return barOption({
        categories: days(series),
        days: true,
        unit: 'fen',
        series: [
          { name: '实付本金', values: series.map((point) => point.payFen), stack: 'topUp' },
          { name: '赠送金额', values: series.map((point) => point.bonusFen), stack: 'topUp' },
        ],
      });
    }
    case 'memberSalesShare': {
      const { memberSalesFen, nonMemberSalesFen } = figures.memberSalesShare;
      return pieOption({ name: '实收金额', unit: 'fen', items: salesItems(memberSalesFen, nonMemberSalesFen) });
    }
    case 'tierDistribution':
      return pieOption({
        name: '会员人数',
        unit: 'count',
        items: figures.tierDistribution.tiers.map((tier) => ({ name: tier.tier, value: tier.members })),
      });
    case 'couponFunnel': {
      const { issued, used } = figures.couponRedemption;
      return funnelOption({ name: '优惠券', unit: 'count', stages: couponStages(issued, used, '核销') });
    }
    case 'benefitUsage': {
      const { issued, used } = figures.benefitUsage;
      return funnelOption({ name: '权益券', unit: 'count', stages: couponStages(issued, used, '使用') });
    }
    case 'couponTemplates': {
      const templates = figures.couponRedemption.templates.slice(0, TOP_TEMPLATES);
      return barOption({
        categories: templates.map((template) => template.title),
        unit: 'bp',
        series: [{ name: '核销率', values: templates.map((template) => template.rateBp) }],
      });
    }
    case 'tierMovement': {
      const { series } = figures.tierMovement;
      return barOption({
        categories: days(series),
        days: true,
        unit: 'count',
        series: [
          { name: '升级', values: series.map((point) => point.ups) },
          { name: '降级', values: series.map((point) => point.downs) },
        ],
      });
    }
    default:
      return {};
  }
}

/** `other`'s values on `base`'s days (0 for a day it lacks), so three lines share one axis. */
function alignTo(base: readonly { day: string }[], other: readonly { day: string; value: number }[]): number[] {
  const byDay = new Map(other.map((point) => [point.day, point.value]));
  return base.map((point) => byDay.get(point.day) ?? 0);
}

function salesItems(memberFen: number, nonMemberFen: number): NamedValue[] {
  return [
    { name: '会员', value: Math.max(0, memberFen) },
    { name: '非会员', value: Math.max(0, nonMemberFen) },
  ];
}

function couponStages(issued: number, used: number, usedLabel: string): NamedValue[] {
  return [
    { name: '发出', value: issued },
    { name: usedLabel, value: used },
  ];
}

/**
 * Nothing to draw: a pie or funnel whose values are all 0 (the card says 暂无数据 instead of an empty ring), or a
 * day-by-day chart without days. A line at 0 is drawn: "nothing happened" is worth seeing.
 */
export function chartIsEmpty(key: string, figures: Figures): boolean {
  switch (key) {
    case 'memberSalesShare':
      return figures.memberSalesShare.memberSalesFen <= 0 && figures.memberSalesShare.nonMemberSalesFen <= 0;
    case 'tierDistribution':
      return figures.tierDistribution.tiers.every((tier) => tier.members === 0);
    case 'couponFunnel':
      return figures.couponRedemption.issued === 0 && figures.couponRedemption.used === 0;
    case 'benefitUsage':
      return figures.benefitUsage.issued === 0 && figures.benefitUsage.used === 0;
    case 'couponTemplates':
      return figures.couponRedemption.templates.length === 0;
    default:
      return figures.newMembers.series.length === 0;
  }
}

/** One sentence for the chart's aria-label: what it shows over which days, and its totals. */
export function chartSummary(key: string, figures: Figures): string {
  const spec = DASHBOARD_CHARTS.find((chart) => chart.key === key);
  const title = spec?.title ?? key;
  const span = `${figures.newMembers.series[0]?.day ?? ''} 至 ${figures.newMembers.series.at(-1)?.day ?? ''}`;
  switch (key) {
    case 'newMembers':
      return `${title}折线图，${span}，合计 ${figures.newMembers.total} 人`;
    case 'activeMembers':
      return `${title}折线图，${span}，结束日 ${figures.activeMembers.value} 人`;
    case 'repurchaseRate':
      return `${title}折线图，${span}`;
    case 'points':
      return `${title}折线图，${span}，发放 ${figures.pointsIssued.total}、使用 ${figures.pointsRedeemed.total}、过期 ${figures.pointsExpired.total} 积分`;
    case 'averageOrderValue':
    case 'topUps':
    case 'tierMovement':
      return `${title}柱状图，${span}`;
    case 'memberSalesShare': {
      const { memberSalesFen, nonMemberSalesFen } = figures.memberSalesShare;
      return `${title}饼图：会员 ${shareText(memberSalesFen, memberSalesFen + nonMemberSalesFen)}`;
    }
    case 'tierDistribution':
      return `${title}饼图：${figures.tierDistribution.tiers.map((tier) => `${tier.tier} ${tier.members} 人`).join('，')}`;
    case 'couponFunnel':
      return `${title}漏斗图：发出 ${figures.couponRedemption.issued} 张，核销 ${figures.couponRedemption.used} 张`;
    case 'benefitUsage':
      return `${title}漏斗图：发放 ${figures.benefitUsage.issued} 张，使用 ${figures.benefitUsage.used} 张`;
    case 'couponTemplates':
      return `${title}柱状图，${figures.couponRedemption.templates.length} 个券模板`;
    default:
      return title;
  }
}
