import fc from 'fast-check';
import { refundSlice, share, splitSpend } from './proportion';

describe('proportional shares in integer fen', () => {
  it('a spend splits exactly, never overdrawing principal or bonus', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(10_000_000), (p, b, x) => {
        const amount = p + b === 0 ? 0 : x % (p + b + 1);
        const split = splitSpend(amount, p, b);
        expect(split.principal + split.bonus).toBe(amount);
        expect(split.principal).toBeLessThanOrEqual(p);
        expect(split.bonus).toBeLessThanOrEqual(b);
        expect(split.bonus).toBeGreaterThanOrEqual(0);
      }),
    );
    expect(splitSpend(10_000, 50_000, 5_000)).toEqual({ principal: 9_091, bonus: 909 });
    expect(() => splitSpend(2, 1, 0)).toThrow(RangeError);
  });

  it('partial refunds in any sequence add up to exactly each whole part', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 20 }),
        (a, b, cuts) => {
          const whole = a + b;
          if (whole === 0) return;
          const total = cuts.reduce((s, c) => s + c, 0);
          let prev = 0;
          const back = { a: 0, b: 0 };
          cuts.forEach((c, i) => {
            const next = i === cuts.length - 1 ? whole : Math.min(whole, prev + Math.floor((whole * c) / total));
            const slice = refundSlice({ a, b }, whole, prev, next);
            back.a += slice.a ?? 0;
            back.b += slice.b ?? 0;
            prev = next;
          });
          if (cuts.length > 0) expect(back).toEqual({ a, b });
        },
      ),
    );
    expect(share(7, 1, 0)).toBe(0);
  });
});
