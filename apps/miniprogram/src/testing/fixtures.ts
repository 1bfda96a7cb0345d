// Data and stand-ins the unit tests share: the fixed "now", a member's card, an in-memory session store.
import type { Charge, MemberCard, TopUp, TopUpPackage, Wallet } from '@member-hub/shared';

/** The tests' clock: sessions issued in them expire on 2030-01-02. */
export const NOW = Date.parse('2030-01-01T00:00:00Z');

/** A new member's card: nothing earned yet, no nickname. */
export const memberCard: MemberCard = {
  memberId: 'm1',
  memberNo: '10000001',
  tier: '普通会员',
  points: 0,
  growth: 0,
  storedValueFen: 0,
  nickname: null,
};

/** A session store (member or staff) kept in `value`, so a test can look at or change what is stored. */
export function memoryStore<T>(initial: T | null = null) {
  const store = {
    value: initial,
    get: (): T | null => store.value,
    set: (value: T) => {
      store.value = value;
    },
    clear: () => {
      store.value = null;
    },
  };
  return store;
}

/** The default tier ladder (docs/domain-rules.md) as `GET /me/tier` lists it. */
export const defaultTiers = [
  { name: '普通会员', threshold: 0, multiplierBp: 10_000, benefits: ['生日券 ¥10'] },
  { name: '银卡', threshold: 1_000, multiplierBp: 12_000, benefits: ['生日券 ¥20'] },
  { name: '金卡', threshold: 5_000, multiplierBp: 15_000, benefits: ['生日券 ¥20', '每月 ¥20 券', '优先服务'] },
  { name: '黑钻', threshold: 20_000, multiplierBp: 20_000, benefits: ['生日券 ¥20', '每月 ¥50 券', '专属活动'] },
];

/** Stored value: ¥500 paid with ¥50 bonus on top ("充 ¥500 送 ¥50"), as the server answers. */
export const topUpPackage: TopUpPackage = {
  id: '0123456789abcdef0123aaaa',
  name: '充500送50',
  payFen: 50_000,
  bonusFen: 5_000,
  validFrom: null,
  validUntil: null,
  perMemberLimit: null,
  active: true,
  sort: 0,
  remaining: null,
};

export function topUp(patch: Partial<TopUp> = {}): TopUp {
  return {
    id: 't1',
    memberId: 'm1',
    packageId: topUpPackage.id,
    packageName: topUpPackage.name,
    payFen: 50_000,
    bonusFen: 5_000,
    status: 'pending',
    outTradeNo: 'TU20300101000001',
    createdAt: '2030-01-01T00:00:00Z',
    expiresAt: '2030-01-01T02:00:00Z',
    paidAt: null,
    refund: null,
    ...patch,
  };
}

export function charge(patch: Partial<Charge> = {}): Charge {
  return {
    id: 'c1',
    memberId: 'm1',
    storeId: 'st1',
    storeName: '西湖店',
    amountFen: 10_000,
    offsetPoints: 0,
    offsetFen: 0,
    walletFen: 10_000,
    principalFen: 9_090,
    bonusFen: 910,
    wechatFen: 0,
    status: 'awaiting_member',
    createdAt: '2030-01-01T00:00:00Z',
    expiresAt: '2030-01-01T00:05:00Z',
    completedAt: null,
    orderId: null,
    pointsEarned: 0,
    refundedFen: 0,
    ...patch,
  };
}

export const wallet: Wallet = { balanceFen: 55_000, principalFen: 50_000, bonusFen: 5_000, refundEnabled: true };
