import { Dashboard, DashboardFigureInfos } from '@member-hub/shared';
import { dashboardFixture } from '../../testing/dashboard-fixtures';
import { csvFileName, safeFilePart } from './csvName';
import { explainText, FIGURE_KEYS, figureTitle, statText } from './figures';

const dashboard = dashboardFixture();
const { figures } = dashboard;

it('the fixture is a dashboard the contract accepts', () => {
  expect(Dashboard.parse(dashboard)).toEqual(dashboard);
});

describe('explainText', () => {
  it('is the server explain of every figure, the contract one before the first answer', () => {
    for (const key of FIGURE_KEYS) {
      expect(explainText(key, null, false)).toBe(DashboardFigureInfos[key].explain);
      expect(figureTitle(key, null)).toBe(DashboardFigureInfos[key].title);
    }
    const changed = { ...figures, newMembers: { ...figures.newMembers, explain: '服务器的说明', title: '新会员' } };
    expect(explainText('newMembers', changed, false)).toBe('服务器的说明');
    expect(figureTitle('newMembers', changed)).toBe('新会员');
  });

  it('says when a brand-wide figure ignores the picked store, and when balances were read', () => {
    expect(explainText('newMembers', figures, true)).toContain('全品牌数据');
    expect(explainText('activeMembers', figures, true)).not.toContain('全品牌数据');
    expect(explainText('newMembers', figures, false)).not.toContain('全品牌数据');
    expect(explainText('pointsLiability', figures, false)).toMatch(/截至 2030-01-0\d \d\d:\d\d。$/);
  });
});

describe('statText', () => {
  it('gives every figure a value, a raw number and a foot line', () => {
    for (const key of FIGURE_KEYS) {
      const text = statText(key, figures);
      expect(text.value).not.toBe('');
      expect(text.foot).not.toBe('');
    }
  });

  it('formats counts, money and basis points, and a rate of 0 / 0 as a dash', () => {
    expect(statText('newMembers', figures)).toEqual({ value: '6 人', raw: 6, foot: '日均 2 人' });
    expect(statText('repurchaseRate', figures)).toMatchObject({ value: '25%', raw: 2500 });
    expect(statText('averageOrderValue', figures)).toMatchObject({ value: '¥88.50', raw: 8_850 });
    expect(statText('averageOrderValue', figures).foot).toContain('非会员 —');
    expect(statText('storedValueLiability', figures)).toMatchObject({ value: '¥450.00', raw: 45_000 });
    expect(statText('tierMovement', figures)).toEqual({
      value: '↑2 ↓1',
      raw: 3,
      foot: '最多：普通会员 → 银卡（2 次）',
    });
    const none = { ...figures, couponRedemption: { ...figures.couponRedemption, rateBp: null } };
    expect(statText('couponRedemption', none)).toMatchObject({ value: '—', raw: null });
  });
});

describe('csvFileName', () => {
  const params = { from: '2030-01-01', to: '2030-01-30', storeId: null };

  it('names the figure and the range, and the store when one is picked', () => {
    expect(csvFileName('newMembers', params, null)).toBe('新增会员_2030-01-01_2030-01-30.csv');
    expect(csvFileName('topUps', { ...params, storeId: '65f0c0ffee0000000000abcd' }, '西湖店')).toBe(
      '充值金额_2030-01-01_2030-01-30_西湖店.csv',
    );
    expect(csvFileName('topUps', { ...params, storeId: '65f0c0ffee0000000000abcd' }, null)).toBe(
      '充值金额_2030-01-01_2030-01-30_65f0c0ffee0000000000abcd.csv',
    );
  });

  it('keeps out the characters file systems refuse', () => {
    expect(safeFilePart('西湖/滨江: 1号店?')).toBe('西湖_滨江_ 1号店_');
    expect(safeFilePart('..隐藏')).toBe('隐藏');
    expect(csvFileName('averageOrderValue', params, null)).toBe('客单价（会员 vs 非会员）_2030-01-01_2030-01-30.csv');
  });
});
