import type { MyTier } from '@member-hub/shared';
import { defaultTiers } from '../testing/fixtures';
import { multiplierText, tierProgress } from './tier-progress';

function tier(name: string, growth: number, next: MyTier['next']): MyTier {
  return { tier: name, growth, next, tiers: defaultTiers, history: [] };
}
const next = (name: string, threshold: number, growth: number) => ({
  name,
  threshold,
  growthNeeded: threshold - growth,
  spendNeededFen: (threshold - growth) * 100,
});

describe('tier progress', () => {
  it('silver with 4,180 growth: 79% of the way from 1,000 to gold, ¥820 left to spend', () => {
    const progress = tierProgress(tier('银卡', 4_180, next('金卡', 5_000, 4_180)));
    // (4180 - 1000) / (5000 - 1000) = 79.5% -> 79, rounded down so the bar never looks further than it is.
    expect(progress).toEqual({
      percent: 79,
      text: '再消费 ¥820.00 升级金卡',
      growthText: '成长值 4,180 / 5,000',
      atTop: false,
    });
  });

  it('a new member starts at 0% towards silver', () => {
    expect(tierProgress(tier('普通会员', 0, next('银卡', 1_000, 0)))).toMatchObject({
      percent: 0,
      text: '再消费 ¥1,000.00 升级银卡',
    });
  });

  it('at the top tier the bar is full and says so', () => {
    expect(tierProgress(tier('黑钻', 25_000, null))).toEqual({
      percent: 100,
      text: '已是最高等级',
      growthText: '成长值 25,000',
      atTop: true,
    });
  });

  it('a tier granted above what growth earned starts the bar at 0, never below', () => {
    // Granted gold with 300 growth: the server names 黑钻 next.
    const progress = tierProgress(tier('金卡', 300, next('黑钻', 20_000, 300)));
    expect(progress.percent).toBe(0);
    expect(progress.text).toBe('再消费 ¥19,700.00 升级黑钻');
  });

  it('never passes 100% or asks to spend a negative amount', () => {
    const progress = tierProgress(
      tier('银卡', 5_200, { name: '金卡', threshold: 5_000, growthNeeded: -200, spendNeededFen: -20_000 }),
    );
    expect(progress.percent).toBe(100);
    expect(progress.text).toBe('即将升级金卡');
  });
});

describe('multiplierText', () => {
  it('turns basis points into the multiplier members read, without float noise', () => {
    expect(multiplierText(10_000)).toBe('1 倍积分');
    expect(multiplierText(12_000)).toBe('1.2 倍积分');
    expect(multiplierText(15_000)).toBe('1.5 倍积分');
    expect(multiplierText(20_000)).toBe('2 倍积分');
    expect(multiplierText(11_250)).toBe('1.125 倍积分');
  });
});
