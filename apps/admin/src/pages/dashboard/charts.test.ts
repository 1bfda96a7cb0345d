import { chartValue, dayLabel, shareText, valueText } from '../../charts/options';
import { dashboardFixture } from '../../testing/dashboard-fixtures';
import { chartIsEmpty, chartSummary, DASHBOARD_CHARTS, dashboardChartOption } from './charts';
import { FIGURE_KEYS } from './figures';

const { figures } = dashboardFixture();

/** The option's series as plain objects (the option types allow one or many). */
function seriesOf(key: string): { type?: string; name?: string; data?: unknown[]; stack?: string }[] {
  const { series } = dashboardChartOption(key, figures);
  return (Array.isArray(series) ? series : [series]) as { type?: string; name?: string; data?: unknown[] }[];
}

function xAxisOf(key: string): { data?: unknown[] } {
  return dashboardChartOption(key, figures).xAxis as { data?: unknown[] };
}

describe('units', () => {
  it('draws fen as yuan and basis points as percent, null as no value', () => {
    expect(chartValue(8_850, 'fen')).toBe(88.5);
    expect(chartValue(2500, 'bp')).toBe(25);
    expect(chartValue(12, 'count')).toBe(12);
    expect(chartValue(null, 'fen')).toBe('-');
  });

  it('writes tooltips in the same units', () => {
    expect(valueText(88.5, 'fen')).toBe('¥88.50');
    expect(valueText(25, 'bp')).toBe('25%');
    expect(valueText(1200, 'points')).toBe('1,200');
    expect(valueText('-', 'fen')).toBe('—');
    expect(dayLabel('2030-01-05')).toBe('01-05');
    expect(dayLabel('满100减10')).toBe('满100减10');
    expect(shareText(20, 100)).toBe('20%');
    expect(shareText(1, 3)).toBe('33.3%');
    expect(shareText(1, 0)).toBe('—');
  });
});

describe('the dashboard charts', () => {
  it('covers line, bar, pie and funnel, and every chart draws figures the contract has', () => {
    expect(new Set(DASHBOARD_CHARTS.map((chart) => chart.kind))).toEqual(new Set(['line', 'bar', 'pie', 'funnel']));
    for (const chart of DASHBOARD_CHARTS) {
      expect(chart.figures.length).toBeGreaterThan(0);
      for (const figure of chart.figures) expect(FIGURE_KEYS).toContain(figure);
      expect(seriesOf(chart.key)[0]?.type).toBe(chart.kind);
    }
    expect(new Set(DASHBOARD_CHARTS.map((chart) => chart.key)).size).toBe(DASHBOARD_CHARTS.length);
  });

  it('draws the new members per day on the days of the range', () => {
    expect(xAxisOf('newMembers').data).toEqual(['2030-01-01', '2030-01-02', '2030-01-03']);
    expect(seriesOf('newMembers')).toMatchObject([{ type: 'line', name: '新增会员', data: [1, 2, 3] }]);
  });

  it('puts points issued, redeemed and expired on one axis', () => {
    expect(seriesOf('points').map((series) => [series.name, series.data])).toEqual([
      ['发放', [200, 400, 600]],
      ['使用', [0, 300, 0]],
      ['过期', [0, 0, 0]],
    ]);
  });

  it('draws order values in yuan with gaps where a day had no orders, and stacks top-ups', () => {
    expect(seriesOf('averageOrderValue').map((series) => series.data)).toEqual([
      [88.5, '-', 88.5],
      ['-', '-', '-'],
    ]);
    expect(seriesOf('topUps').map((series) => [series.stack, series.data])).toEqual([
      ['topUp', [0, 0, 1000]],
      ['topUp', [0, 0, 100]],
    ]);
    expect(seriesOf('repurchaseRate')[0]?.data).toEqual(['-', 25, 25]);
  });

  it('slices sales and tiers, and funnels coupons from issued to used', () => {
    expect(seriesOf('memberSalesShare')[0]?.data).toEqual([
      { name: '会员', value: 300 },
      { name: '非会员', value: 100 },
    ]);
    expect(seriesOf('tierDistribution')[0]?.data).toEqual([
      { name: '普通会员', value: 3 },
      { name: '银卡', value: 1 },
      { name: '金卡', value: 0 },
    ]);
    expect(seriesOf('couponFunnel')[0]?.data).toEqual([
      { name: '发出', value: 100 },
      { name: '核销（20%）', value: 20 },
    ]);
    expect(xAxisOf('couponTemplates').data).toEqual(['满100减10', '生日礼券']);
    expect(seriesOf('couponTemplates')[0]?.data).toEqual([22.5, 10]);
  });

  it('says when a pie or funnel has nothing to draw, never for a day-by-day chart with days', () => {
    expect(chartIsEmpty('memberSalesShare', figures)).toBe(false);
    const none = {
      ...figures,
      memberSalesShare: { ...figures.memberSalesShare, memberSalesFen: 0, nonMemberSalesFen: 0 },
      couponRedemption: { ...figures.couponRedemption, issued: 0, used: 0, templates: [] },
    };
    expect(chartIsEmpty('memberSalesShare', none)).toBe(true);
    expect(chartIsEmpty('couponFunnel', none)).toBe(true);
    expect(chartIsEmpty('couponTemplates', none)).toBe(true);
    expect(chartIsEmpty('points', none)).toBe(false);
  });

  it('describes each chart in one sentence for screen readers', () => {
    expect(chartSummary('newMembers', figures)).toBe('每日新增会员折线图，2030-01-01 至 2030-01-03，合计 6 人');
    expect(chartSummary('memberSalesShare', figures)).toBe('会员消费占比饼图：会员 75%');
    for (const chart of DASHBOARD_CHARTS) expect(chartSummary(chart.key, figures)).toContain(chart.title);
  });
});
