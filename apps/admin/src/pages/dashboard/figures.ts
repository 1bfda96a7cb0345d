// The dashboard's stat cards, the pure part: which figures there are, the tooltip text of each (the server's
// `explain`, with what the store filter and the snapshot time mean for it) and the card's value and foot line.
import {
  type Dashboard,
  type DashboardFigureInfo,
  DashboardFigureInfos,
  DashboardFigureKey,
  formatFen,
  formatPoints,
} from '@member-hub/shared';
import { formatDateTime } from '../../format';
import { percentText } from '../../units';

export type Figures = Dashboard['figures'];
export type FigureKey = DashboardFigureKey;

/** Every figure, in the contract's order (the order of the cards). */
export const FIGURE_KEYS: readonly FigureKey[] = DashboardFigureKey.options;

/** The contract's static info for a figure (known before the first answer). */
export function figureInfo(key: FigureKey): DashboardFigureInfo {
  return DashboardFigureInfos[key];
}

/** The figure's title: the server's when it has answered, the contract's before. */
export function figureTitle(key: FigureKey, figures: Figures | null): string {
  return figures?.[key].title || DashboardFigureInfos[key].title;
}

/**
 * The tooltip: how the figure is computed (the server's `explain`, else the contract's), then, when a store is
 * picked and the figure ignores it, that it is for the whole brand, and for balances when they were read.
 */
export function explainText(key: FigureKey, figures: Figures | null, storeSelected: boolean): string {
  const figure = figures?.[key];
  const parts = [figure?.explain || DashboardFigureInfos[key].explain];
  const storeScoped = figure ? figure.storeScoped : DashboardFigureInfos[key].storeScoped;
  if (storeSelected && !storeScoped) parts.push('（此项为全品牌数据，不受门店筛选影响）');
  const asOf = figure && 'asOf' in figure ? figure.asOf : null;
  if (asOf) parts.push(`截至 ${formatDateTime(asOf)}。`);
  return parts.join('');
}

export interface StatText {
  /** The big number on the card. */
  value: string;
  /** The same as a plain number for tests and scripts (`data-value`); null when there is none (a rate of 0 / 0). */
  raw: number | null;
  /** The line under it. */
  foot: string;
}

const rate = (bp: number | null) => (bp === null ? '—' : percentText(bp));
const fenOrDash = (fen: number | null) => (fen === null ? '—' : formatFen(fen));
const count = (value: number) => formatPoints(value);

/** The value and foot line of each figure's card. */
export function statText(key: FigureKey, figures: Figures): StatText {
  switch (key) {
    case 'newMembers': {
      const { total, series } = figures.newMembers;
      const perDay = series.length === 0 ? 0 : Math.round((total / series.length) * 10) / 10;
      return { value: `${count(total)} 人`, raw: total, foot: `日均 ${perDay} 人` };
    }
    case 'activeMembers': {
      const { value, series } = figures.activeMembers;
      const last = series.at(-1)?.day;
      return { value: `${count(value)} 人`, raw: value, foot: last ? `截至 ${last} 的近 30 天` : '近 30 天' };
    }
    case 'repurchaseRate': {
      const { rateBp, repeatMembers, buyingMembers } = figures.repurchaseRate;
      return {
        value: rate(rateBp),
        raw: rateBp,
        foot: `${count(repeatMembers)} / ${count(buyingMembers)} 位消费会员复购`,
      };
    }
    case 'averageOrderValue': {
      const { memberFen, nonMemberFen, memberOrders, nonMemberOrders } = figures.averageOrderValue;
      return {
        value: fenOrDash(memberFen),
        raw: memberFen,
        foot: `会员 ${count(memberOrders)} 单 · 非会员 ${fenOrDash(nonMemberFen)}（${count(nonMemberOrders)} 单）`,
      };
    }
    case 'memberSalesShare': {
      const { shareBp, memberSalesFen, nonMemberSalesFen } = figures.memberSalesShare;
      return {
        value: rate(shareBp),
        raw: shareBp,
        foot: `会员 ${formatFen(memberSalesFen)} · 非会员 ${formatFen(nonMemberSalesFen)}`,
      };
    }
    case 'pointsIssued':
    case 'pointsRedeemed':
    case 'pointsExpired': {
      const { total, series } = figures[key];
      const busiest = series.reduce((best, day) => Math.max(day.value, best), 0);
      return { value: count(total), raw: total, foot: `单日最多 ${count(busiest)} 积分` };
    }
    case 'pointsLiability': {
      const { outstandingPoints, valueFen, members } = figures.pointsLiability;
      return {
        value: count(outstandingPoints),
        raw: outstandingPoints,
        foot: `约合 ${formatFen(valueFen)} · ${count(members)} 位会员持有`,
      };
    }
    case 'couponRedemption': {
      const { rateBp, issued, used, templates } = figures.couponRedemption;
      return {
        value: rate(rateBp),
        raw: rateBp,
        foot: `核销 ${count(used)} / 发出 ${count(issued)} 张 · ${templates.length} 个券模板`,
      };
    }
    case 'benefitUsage': {
      const { rateBp, issued, used } = figures.benefitUsage;
      return { value: rate(rateBp), raw: rateBp, foot: `使用 ${count(used)} / 发放 ${count(issued)} 张` };
    }
    case 'storedValueLiability': {
      const { totalFen, principalFen, bonusFen, members } = figures.storedValueLiability;
      return {
        value: formatFen(totalFen),
        raw: totalFen,
        foot: `本金 ${formatFen(principalFen)} · 赠送 ${formatFen(bonusFen)} · ${count(members)} 位会员`,
      };
    }
    case 'topUps': {
      const { payFen, count: topUps, bonusFen, refundedFen } = figures.topUps;
      const refunded = refundedFen > 0 ? ` · 退款 ${formatFen(refundedFen)}` : '';
      return {
        value: formatFen(payFen),
        raw: payFen,
        foot: `${count(topUps)} 笔 · 赠送 ${formatFen(bonusFen)}${refunded}`,
      };
    }
    case 'tierDistribution': {
      const { total, tiers } = figures.tierDistribution;
      const largest = tiers.reduce<(typeof tiers)[number] | null>(
        (best, tier) => (best === null || tier.members > best.members ? tier : best),
        null,
      );
      return {
        value: `${count(total)} 人`,
        raw: total,
        foot:
          largest && largest.members > 0 ? `${largest.tier}最多（${rate(largest.shareBp)}）` : `${tiers.length} 个等级`,
      };
    }
    case 'tierMovement': {
      const { ups, downs, transitions } = figures.tierMovement;
      const top = transitions[0];
      return {
        value: `↑${count(ups)} ↓${count(downs)}`,
        raw: ups + downs,
        foot: top ? `最多：${top.from} → ${top.to}（${count(top.count)} 次）` : '期间无等级变化',
      };
    }
  }
}
