import { addDays, averageFen, dayBounds, daysBetween, rateBp, yesterday } from './days';
import { csvLine, percent, pointsFigures, tierMoves, yuan } from './figures';

describe('pointsFigures', () => {
  it('issued, redeemed and expired from ledger reasons; merges count nowhere', () => {
    expect(
      pointsFigures({
        order: { in: 300, out: 0 },
        task: { in: 50, out: 0 },
        adjustment: { in: 5, out: 15 },
        refund_reversal: { in: 20, out: 30 },
        spend: { in: 0, out: 200 },
        redemption: { in: 0, out: 100 },
        expiry: { in: 0, out: 40 },
        merge: { in: 70, out: 70 },
      }),
    ).toEqual({ issued: 310, redeemed: 280, expired: 40 });
    expect(pointsFigures({})).toEqual({ issued: 0, redeemed: 0, expired: 0 });
  });
});

describe('tierMoves', () => {
  it('counts ups and downs by tier order, ignoring unknown names', () => {
    const order = ['普通会员', '银卡', '金卡', '黑钻'];
    expect(
      tierMoves(
        [
          { from: '普通会员', to: '金卡', count: 3 },
          { from: '黑钻', to: '金卡', count: 2 },
          { from: '旧等级', to: '银卡', count: 9 },
        ],
        order,
      ),
    ).toEqual({ ups: 3, downs: 2 });
  });
});

describe('days and rates', () => {
  it('China days: bounds at +08:00, ranges, yesterday', () => {
    expect(dayBounds('2026-03-01')).toEqual({
      start: new Date('2026-02-28T16:00:00Z'),
      end: new Date('2026-03-01T16:00:00Z'),
    });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2025-12-30', '2026-01-02')).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    // 00:30 China time on Jan 1 is still Dec 31 in UTC: yesterday is Dec 31.
    expect(yesterday(Date.parse('2027-01-01T00:30:00+08:00'))).toBe('2026-12-31');
  });

  it('rates in basis points and averages in fen, rounded half up, null on nothing', () => {
    expect(rateBp(1, 3)).toBe(3_333);
    expect(rateBp(2, 3)).toBe(6_667);
    expect(rateBp(0, 0)).toBeNull();
    expect(averageFen(34_000, 3)).toBe(11_333);
    expect(averageFen(5, 2)).toBe(3);
    expect(averageFen(1, 0)).toBeNull();
  });
});

describe('CSV cells', () => {
  it('yuan and percent by integer arithmetic', () => {
    expect(yuan(123_456)).toBe('1234.56');
    expect(yuan(-5)).toBe('-0.05');
    expect(yuan(null)).toBe('');
    expect(percent(2_857)).toBe('28.57%');
  });

  it('quotes per RFC 4180 and defuses formulas, keeping negative amounts numbers', () => {
    expect(csvLine(['a,b', 'say "hi"', 3])).toBe('"a,b","say ""hi""",3\r\n');
    expect(csvLine(['=SUM(A1)', '-12.50', '-5元券', '@x'])).toBe("'=SUM(A1),-12.50,'-5元券,'@x\r\n");
  });
});
