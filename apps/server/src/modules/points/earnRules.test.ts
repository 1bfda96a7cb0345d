import type { LoyaltyRules } from '@member-hub/shared';
import { DEFAULT_LOYALTY_RULES } from '@member-hub/shared';
import { computeEarn, type EarnInput, validateEarnRules } from './earnRules';

const gold = { name: '金卡', multiplierBp: 15_000 };
const base: EarnInput = {
  paidFen: 12_800,
  items: [],
  storeId: null,
  tier: gold,
  at: new Date('2026-11-23T04:00:00Z'),
  weekday: 1,
  date: '2026-11-23',
};

describe('earn rules', () => {
  it('explains a gold member purchase the way the member reads it', () => {
    const r = computeEarn(base, DEFAULT_LOYALTY_RULES);
    expect(r).toMatchObject({ points: 192, growth: 128, explanation: '消费 ¥128.00，金卡 1.5 倍，+192' });
  });

  it('counts whole yuan only and always rounds down, never through floats', () => {
    const ordinary = { name: '普通会员', multiplierBp: 10_000 };
    expect(computeEarn({ ...base, paidFen: 99, tier: ordinary }, DEFAULT_LOYALTY_RULES).points).toBe(0);
    expect(computeEarn({ ...base, paidFen: 199, tier: ordinary }, DEFAULT_LOYALTY_RULES).points).toBe(1);
    // 1.2 x 3 yuan = 3.6 -> 3; 0.1 + 0.2 style float error would give 3.5999...; integers give exactly 36/10.
    expect(
      computeEarn({ ...base, paidFen: 300, tier: { name: '银卡', multiplierBp: 12_000 } }, DEFAULT_LOYALTY_RULES)
        .points,
    ).toBe(3);
    // Large orders stay exact: 9,999,999 yuan x 2.0
    expect(
      computeEarn(
        { ...base, paidFen: 999_999_999, tier: { name: '黑钻', multiplierBp: 20_000 } },
        DEFAULT_LOYALTY_RULES,
      ).points,
    ).toBe(19_999_998);
  });

  it('excludes top-ups and shipping in proportion to what was paid', () => {
    const items = [
      { name: '拿铁', category: 'drink', amountFen: 3_000 },
      { name: '运费', category: 'shipping', amountFen: 1_000 },
    ];
    // Paid ¥40 for ¥40 of items, ¥10 of it shipping: ¥30 earns, at 1.5x = 45.
    const r = computeEarn({ ...base, paidFen: 4_000, items }, DEFAULT_LOYALTY_RULES);
    expect(r).toMatchObject({
      eligibleFen: 3_000,
      points: 45,
      explanation: '消费 ¥40.00，不计积分商品 ¥10.00，金卡 1.5 倍，+45',
    });
  });

  it('stacks promotions and store rates in a defined order, each explained', () => {
    const rules: LoyaltyRules = {
      ...DEFAULT_LOYALTY_RULES,
      earnRules: [
        ...DEFAULT_LOYALTY_RULES.earnRules,
        { type: 'promotion', enabled: true, params: { label: '周一会员日', multiplierBp: 20_000, weekdays: [1] } },
        {
          type: 'storeRate',
          enabled: true,
          params: { storeId: 'aaaaaaaaaaaaaaaaaaaaaaaa', multiplierBp: 11_000, label: '新店' },
        },
      ],
    };
    const atStore = computeEarn({ ...base, paidFen: 10_000, storeId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, rules);
    // 100 x 1.1 x 2 x 1.5 = 330
    expect(atStore).toMatchObject({
      points: 330,
      explanation: '消费 ¥100.00，新店 1.1 倍，周一会员日 2 倍，金卡 1.5 倍，+330',
    });
    const tuesday = computeEarn({ ...base, paidFen: 10_000, weekday: 2 }, rules);
    expect(tuesday.points).toBe(150);
    const disabled = computeEarn(
      { ...base, paidFen: 10_000 },
      { ...rules, earnRules: rules.earnRules.map((r) => ({ ...r, enabled: false })) },
    );
    expect(disabled).toMatchObject({ points: 100, explanation: '消费 ¥100.00，+100' });
  });

  it('limits promotions to their dates', () => {
    const rules: LoyaltyRules = {
      ...DEFAULT_LOYALTY_RULES,
      earnRules: [
        {
          type: 'promotion',
          enabled: true,
          params: { label: '双十一', multiplierBp: 30_000, from: '2026-11-11', to: '2026-11-11' },
        },
      ],
    };
    expect(computeEarn({ ...base, date: '2026-11-11' }, rules).points).toBe(384);
    expect(computeEarn({ ...base, date: '2026-11-12' }, rules).points).toBe(128);
  });

  it('reports unknown rules and bad params by path', () => {
    expect(
      validateEarnRules([
        { type: 'nope', enabled: true, params: {} },
        { type: 'promotion', enabled: true, params: { label: '', multiplierBp: -1 } },
      ]).map((p) => p.path),
    ).toEqual(['earnRules.0.type', 'earnRules.1.params.label', 'earnRules.1.params.multiplierBp']);
  });
});
