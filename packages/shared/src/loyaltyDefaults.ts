// The rules a shop starts with (../shared/docs/domain-rules.md); every number can be changed by the owner.
// Shared: the server falls back to them, the till uses their offset numbers, tests start from them.
import type { LoyaltyRules } from './points';

export const DEFAULT_LOYALTY_RULES: LoyaltyRules = {
  pointsPerYuan: 1,
  pointsPerYuanOffset: 100,
  maxOffsetBp: 5_000,
  expiryMonths: 12,
  tiers: [
    { name: '普通会员', threshold: 0, multiplierBp: 10_000, benefits: ['生日券 ¥10'] },
    { name: '银卡', threshold: 1_000, multiplierBp: 12_000, benefits: ['生日券 ¥20'] },
    { name: '金卡', threshold: 5_000, multiplierBp: 15_000, benefits: ['生日券 ¥20', '每月 ¥20 券', '优先服务'] },
    { name: '黑钻', threshold: 20_000, multiplierBp: 20_000, benefits: ['生日券 ¥20', '每月 ¥50 券', '专属活动'] },
  ],
  tasks: {
    checkIn: { points: 5, streakDays: 7, streakBonus: 20 },
    profile: 50,
    phone: 100,
    share: { points: 10, perDay: 3 },
    review: 20,
    dailyCap: 200,
  },
  earnRules: [
    // Stored-value top-ups and shipping never earn points.
    { type: 'excludeCategories', enabled: true, params: { categories: ['top_up', 'shipping'] } },
    { type: 'tierMultiplier', enabled: true, params: {} },
  ],
};
