import { formatFen, formatPoints, type MyTier } from '@member-hub/shared';

export interface TierProgress {
  /** 0–100, how far between the current tier's threshold and the next one. */
  percent: number;
  /** "再消费 ¥820.00 升级金卡", or "已是最高等级". */
  text: string;
  /** "成长值 4,180 / 5,000", or just the growth at the top. */
  growthText: string;
  atTop: boolean;
}

/**
 * The bar on the tier page. The server decides the next tier (a granted tier can be above what growth alone
 * earned), so the bar starts at the threshold of the tier just below the next one.
 */
export function tierProgress(tier: Pick<MyTier, 'growth' | 'next' | 'tiers'>): TierProgress {
  const { growth, next } = tier;
  if (!next) {
    return { percent: 100, text: '已是最高等级', growthText: `成长值 ${formatPoints(growth)}`, atTop: true };
  }
  const nextIndex = tier.tiers.findIndex((t) => t.name === next.name);
  const floor = nextIndex > 0 ? (tier.tiers[nextIndex - 1]?.threshold ?? 0) : 0;
  const span = next.threshold - floor;
  const raw = span > 0 ? Math.floor(((growth - floor) * 100) / span) : 0;
  const percent = Math.min(100, Math.max(0, raw));
  const spend = Math.max(0, next.spendNeededFen);
  return {
    percent,
    text: spend > 0 ? `再消费 ${formatFen(spend)} 升级${next.name}` : `即将升级${next.name}`,
    growthText: `成长值 ${formatPoints(growth)} / ${formatPoints(next.threshold)}`,
    atTop: false,
  };
}

/** 15000 -> "1.5 倍积分", 10000 -> "1 倍积分": integer arithmetic, no float on the way to text. */
export function multiplierText(multiplierBp: number): string {
  const whole = Math.trunc(multiplierBp / 10_000);
  const fraction = String(multiplierBp % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} 倍积分`;
}
