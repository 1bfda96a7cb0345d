// Loyalty data as the server sends it (the shop's starting rules), for the rules editor and API tests.
import type { LoyaltyRules, MallItem } from '@member-hub/shared';

export const STORE_ID = '65f0c0ffee0000000000aaaa';

export function defaultRules(): LoyaltyRules {
  return {
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
      { type: 'excludeCategories', enabled: true, params: { categories: ['top_up', 'shipping'] } },
      { type: 'tierMultiplier', enabled: true, params: {} },
    ],
  };
}

/** The starting rules plus one rule of every other known type. */
export function richRules(): LoyaltyRules {
  const rules = defaultRules();
  rules.earnRules.push(
    { type: 'storeRate', enabled: false, params: { storeId: STORE_ID, multiplierBp: 20_000, label: '西湖店双倍' } },
    {
      type: 'promotion',
      enabled: true,
      params: { label: '周三会员日', multiplierBp: 15_000, from: '2024-05-01', to: '2024-05-31', weekdays: [3] },
    },
  );
  return rules;
}

export const mallItem: MallItem = {
  id: '65f0c0ffee0000000000cccc',
  title: '帆布袋',
  description: '门店领取',
  imageUrl: null,
  pointsPrice: 500,
  stock: 20,
  perMemberLimit: null,
  kind: 'gift',
  active: true,
};
