// Loyalty data as the server sends it (the shop's starting rules), for the rules editor and API tests.
import { DEFAULT_LOYALTY_RULES, type LoyaltyRules, type MallItem } from '@member-hub/shared';

export const STORE_ID = '65f0c0ffee0000000000aaaa';

/** A fresh copy of the shop's starting rules (tests change it freely). */
export function defaultRules(): LoyaltyRules {
  return structuredClone(DEFAULT_LOYALTY_RULES);
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
  couponTemplateId: null,
  active: true,
};
