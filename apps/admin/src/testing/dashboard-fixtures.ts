// A dashboard answer with known numbers over three days, for the tests of the cards, charts and requests.
import { type Dashboard, DashboardFigureInfos, type DashboardFigureKey } from '@member-hub/shared';

const DAYS = ['2030-01-01', '2030-01-02', '2030-01-03'];
const ASOF = '2030-01-03T16:00:00.000Z';

function meta(key: DashboardFigureKey) {
  const { title, explain, storeScoped } = DashboardFigureInfos[key];
  return { title, explain, storeScoped };
}

const counts = (values: number[]) => DAYS.map((day, at) => ({ day, value: values[at] ?? 0 }));

export function dashboardFixture(): Dashboard {
  return {
    query: { from: DAYS[0] ?? '', to: DAYS[2] ?? '', storeId: null, days: 3 },
    missingDays: ['2030-01-03'],
    figures: {
      newMembers: { ...meta('newMembers'), total: 6, series: counts([1, 2, 3]) },
      activeMembers: { ...meta('activeMembers'), value: 40, series: counts([38, 39, 40]) },
      repurchaseRate: {
        ...meta('repurchaseRate'),
        rateBp: 2500,
        repeatMembers: 10,
        buyingMembers: 40,
        series: DAYS.map((day, at) => ({
          day,
          rateBp: at === 0 ? null : 2500,
          repeatMembers: at === 0 ? 0 : 10,
          buyingMembers: at === 0 ? 0 : 40,
        })),
      },
      averageOrderValue: {
        ...meta('averageOrderValue'),
        memberFen: 8_850,
        nonMemberFen: null,
        memberOrders: 12,
        nonMemberOrders: 0,
        series: DAYS.map((day, at) => ({
          day,
          memberFen: at === 1 ? null : 8_850,
          nonMemberFen: null,
          memberOrders: at === 1 ? 0 : 6,
          nonMemberOrders: 0,
        })),
      },
      memberSalesShare: {
        ...meta('memberSalesShare'),
        shareBp: 7500,
        memberSalesFen: 30_000,
        nonMemberSalesFen: 10_000,
        memberRefundFen: 0,
        nonMemberRefundFen: 0,
        series: DAYS.map((day) => ({ day, shareBp: 7500, memberSalesFen: 10_000, nonMemberSalesFen: 3_333 })),
      },
      pointsIssued: { ...meta('pointsIssued'), total: 1_200, series: counts([200, 400, 600]) },
      pointsRedeemed: { ...meta('pointsRedeemed'), total: 300, series: counts([0, 300, 0]) },
      pointsExpired: { ...meta('pointsExpired'), total: 0, series: counts([0, 0, 0]) },
      pointsLiability: {
        ...meta('pointsLiability'),
        asOf: ASOF,
        outstandingPoints: 12_345,
        valueFen: 12_345,
        pointsPerYuanOffset: 100,
        members: 3,
      },
      couponRedemption: {
        ...meta('couponRedemption'),
        issued: 100,
        used: 20,
        rateBp: 2000,
        templates: [
          { templateId: 't1', title: '满100减10', issued: 80, used: 18, rateBp: 2250 },
          { templateId: 't2', title: '生日礼券', issued: 20, used: 2, rateBp: 1000 },
        ],
      },
      benefitUsage: {
        ...meta('benefitUsage'),
        issued: 20,
        used: 2,
        rateBp: 1000,
        bySource: [
          { source: 'birthday', label: '生日礼券', issued: 20, used: 2, rateBp: 1000 },
          { source: 'monthly', label: '等级月礼券', issued: 0, used: 0, rateBp: null },
        ],
      },
      storedValueLiability: {
        ...meta('storedValueLiability'),
        asOf: ASOF,
        principalFen: 40_000,
        bonusFen: 5_000,
        totalFen: 45_000,
        members: 2,
      },
      topUps: {
        ...meta('topUps'),
        count: 2,
        payFen: 100_000,
        bonusFen: 10_000,
        refundedFen: 0,
        series: DAYS.map((day, at) => ({
          day,
          count: at === 2 ? 2 : 0,
          payFen: at === 2 ? 100_000 : 0,
          bonusFen: at === 2 ? 10_000 : 0,
          refundedFen: 0,
        })),
      },
      tierDistribution: {
        ...meta('tierDistribution'),
        asOf: ASOF,
        total: 4,
        tiers: [
          { tier: '普通会员', members: 3, shareBp: 7500 },
          { tier: '银卡', members: 1, shareBp: 2500 },
          { tier: '金卡', members: 0, shareBp: 0 },
        ],
      },
      tierMovement: {
        ...meta('tierMovement'),
        ups: 2,
        downs: 1,
        series: DAYS.map((day, at) => ({ day, ups: at === 0 ? 2 : 0, downs: at === 2 ? 1 : 0 })),
        transitions: [
          { from: '普通会员', to: '银卡', count: 2 },
          { from: '银卡', to: '普通会员', count: 1 },
        ],
      },
    },
  };
}
