import { charge, topUp, topUpPackage } from '../testing/fixtures';
import {
  chargeLines,
  chargeSettledText,
  packageLines,
  signedFen,
  splitText,
  topUpAmountText,
  topUpRowLines,
  walletEntryLines,
} from './format';

describe('wallet amounts', () => {
  it('signs money coming in and going out, always as ¥12.34', () => {
    expect(signedFen(55_000)).toBe('+¥550.00');
    expect(signedFen(-10_000)).toBe('-¥100.00');
    expect(signedFen(0)).toBe('¥0.00');
    expect(signedFen(123_456_789)).toBe('+¥1,234,567.89');
  });

  it('shows the principal / bonus split, signed for a movement', () => {
    expect(splitText(50_000, 5_000)).toBe('本金 ¥500.00 · 赠送 ¥50.00');
    expect(splitText(-9_091, -909, true)).toBe('本金 -¥90.91 · 赠送 -¥9.09');
    expect(splitText(50_000, 0, true)).toBe('本金 +¥500.00 · 赠送 ¥0.00');
  });

  it('labels a history row by its kind, with the note when it says more', () => {
    const entry = {
      id: 'e1',
      kind: 'top_up' as const,
      amountFen: 55_000,
      principalFen: 50_000,
      bonusFen: 5_000,
      note: '充500送50',
      at: '2030-01-01T00:00:00Z',
    };
    expect(walletEntryLines(entry)).toEqual({
      title: '充值 · 充500送50',
      amount: '+¥550.00',
      split: '本金 +¥500.00 · 赠送 +¥50.00',
    });
    expect(walletEntryLines({ ...entry, kind: 'spend', note: '消费', amountFen: -10_000 }).title).toBe('消费');
    expect(walletEntryLines({ ...entry, kind: 'top_up_refund', note: ' ' }).title).toBe('充值退款');
  });
});

describe('packageLines', () => {
  it('says what is paid, given and credited', () => {
    expect(packageLines(topUpPackage)).toEqual({
      pay: '充 ¥500.00',
      bonus: '送 ¥50.00',
      total: '到账 ¥550.00',
      notes: [],
      soldOut: false,
    });
    expect(packageLines({ ...topUpPackage, bonusFen: 0 }).bonus).toBeNull();
  });

  it('shows the end date and the per-member limit, and marks a limit used up', () => {
    const limited = { ...topUpPackage, validUntil: '2030-12-31', perMemberLimit: 2, remaining: 1 };
    expect(packageLines(limited).notes).toEqual(['2030-12-31 前有效', '每人限购 2 次，还可买 1 次']);
    expect(packageLines({ ...limited, remaining: 0 })).toMatchObject({
      notes: ['2030-12-31 前有效', '已达购买上限'],
      soldOut: true,
    });
    expect(packageLines({ ...limited, remaining: undefined }).notes[1]).toBe('每人限购 2 次');
  });
});

describe('chargeLines', () => {
  it('lists store, amount, points and stored value with its split', () => {
    expect(chargeLines(charge())).toEqual([
      { label: '门店', value: '西湖店' },
      { label: '金额', value: '¥100.00' },
      { label: '积分抵扣', value: '不使用积分' },
      { label: '储值支付', value: '¥100.00', note: '本金 ¥90.90 · 赠送 ¥9.10' },
    ]);
  });

  it('adds 微信支付 for what stored value does not cover, and the points offset', () => {
    const lines = chargeLines(
      charge({
        amountFen: 30_000,
        offsetPoints: 1_000,
        offsetFen: 1_000,
        walletFen: 0,
        principalFen: 0,
        bonusFen: 0,
        wechatFen: 29_000,
      }),
    );
    expect(lines.map((l) => [l.label, l.value])).toEqual([
      ['门店', '西湖店'],
      ['金额', '¥300.00'],
      ['积分抵扣', '1,000 积分（-¥10.00）'],
      ['储值支付', '¥0.00'],
      ['微信支付', '¥290.00'],
    ]);
    expect(lines[3]?.note).toBeUndefined();
  });

  it('words the outcome for the till and for the member', () => {
    const done = charge({ status: 'completed', pointsEarned: 100 });
    expect(chargeSettledText(done, 'staff')).toBe('收款成功：储值 ¥100.00，微信 ¥0.00，积分 +100');
    expect(chargeSettledText(done, 'member')).toBe('支付成功：储值 ¥100.00，微信 ¥0.00，积分 +100');
  });
});

describe('topUpRowLines (充值记录)', () => {
  it('shows the package, the amount with its bonus, the status and when (China time)', () => {
    expect(topUpRowLines(topUp({ status: 'paid' }))).toEqual({
      title: '充500送50',
      amount: '¥500.00 + 赠送 ¥50.00',
      status: '已到账',
      time: '2030-01-01 08:00',
      refund: null,
    });
    expect(topUpAmountText(topUp({ bonusFen: 0 }))).toBe('¥500.00');
    expect(topUpRowLines(topUp()).status).toBe('待支付');
  });

  it('adds the refund state once a refund was asked for', () => {
    const refund = {
      principalFen: 50_000,
      bonusForfeitedFen: 5_000,
      status: 'processing' as const,
      requestedAt: '2030-01-02T00:00:00Z',
      finishedAt: null,
    };
    expect(topUpRowLines(topUp({ status: 'refunding', refund }))).toMatchObject({
      status: '退款中',
      refund: '退款处理中',
    });
    expect(topUpRowLines(topUp({ status: 'refunded', refund: { ...refund, status: 'succeeded' } })).refund).toBe(
      '退款成功',
    );
  });
});
