import { CouponTemplateInput, couponFace, expiryHint } from './coupons';

const DAY = 86_400_000;

describe('couponFace: the words on the coupon card and the admin preview', () => {
  it('describes each kind', () => {
    const base = { conditions: { thresholdFen: 10_000, storeIds: [], categories: [], stackable: false } };
    const relative = { type: 'relative', days: 30 } as const;
    expect(couponFace({ ...base, effect: { kind: 'cash_off', valueFen: 2_000 }, validity: relative })).toEqual({
      headline: '¥20',
      condition: '满¥100.00可用',
      validity: '领取当日起 30 天内有效',
    });
    expect(
      couponFace({
        effect: { kind: 'discount', rateBp: 8_800, capFen: 5_000 },
        conditions: { ...base.conditions, thresholdFen: 0, categories: ['饮品'] },
        validity: { type: 'fixed', from: '2026-12-01', until: '2026-12-31' },
      }),
    ).toEqual({ headline: '8.8折', condition: '无门槛，最高减¥50.00，限饮品', validity: '2026-12-01 至 2026-12-31' });
    expect(couponFace({ ...base, effect: { kind: 'gift', giftName: '拿铁' }, validity: relative }).headline).toBe(
      '兑换券',
    );
    expect(couponFace({ ...base, effect: { kind: 'free_shipping', capFen: null }, validity: relative }).headline).toBe(
      '免运费',
    );
    expect(
      couponFace({
        effect: { kind: 'free_shipping', capFen: 1_000 },
        conditions: { ...base.conditions, stackable: true },
        validity: relative,
      }).condition,
    ).toBe('满¥100.00可用，运费最高减¥10.00，可与其他券叠加');
    expect(couponFace({ ...base, effect: { kind: 'cash_off', valueFen: 1_050 }, validity: relative }).headline).toBe(
      '¥10.50',
    );
  });
});

describe('expiryHint', () => {
  const now = Date.parse('2026-12-01T04:00:00Z');
  it('says how many days are left within a week, nothing otherwise', () => {
    expect(expiryHint(new Date(now + 3 * DAY + 3_600_000).toISOString(), now)).toBe('3 天后过期');
    expect(expiryHint(new Date(now + 3_600_000).toISOString(), now)).toBe('今天过期');
    expect(expiryHint(new Date(now + 10 * DAY).toISOString(), now)).toBeNull();
    expect(expiryHint(new Date(now - 1).toISOString(), now)).toBeNull();
  });
});

describe('CouponTemplateInput', () => {
  it('fills the defaults an owner leaves out and rejects a cash-off at or above its threshold', () => {
    const t = CouponTemplateInput.parse({
      title: '满100减20',
      effect: { kind: 'cash_off', valueFen: 2_000 },
      validity: { type: 'relative', days: 7 },
    });
    expect(t).toMatchObject({
      perMemberLimit: 1,
      totalStock: null,
      claimable: false,
      conditions: { stackable: false },
    });
    const bad = CouponTemplateInput.safeParse({
      title: 'x',
      effect: { kind: 'cash_off', valueFen: 10_000 },
      conditions: { thresholdFen: 10_000 },
      validity: { type: 'relative', days: 7 },
    });
    expect(bad.success).toBe(false);
  });
});
