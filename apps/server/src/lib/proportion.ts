// Integer arithmetic for shares of money and points: principal and bonus in proportion, refunds on cumulative amounts; rounding never creates a fen.

/** floor(total × part / whole), exactly. */
export function share(total: number, part: number, whole: number): number {
  if (whole === 0) return 0;
  return Number((BigInt(total) * BigInt(part)) / BigInt(whole));
}

/**
 * Spending `amount` from a wallet of `principal` + `bonus`: the bonus share is rounded down, so the principal
 * (real money) carries the odd fen and neither part can be overdrawn.
 */
export function splitSpend(amount: number, principal: number, bonus: number): { principal: number; bonus: number } {
  const total = principal + bonus;
  if (amount > total) throw new RangeError('spend exceeds the wallet');
  const fromBonus = share(amount, bonus, total);
  return { principal: amount - fromBonus, bonus: fromBonus };
}

/**
 * The slice of `parts` that `next` of `whole` refunded accounts for, given that `prev` was refunded before:
 * computed on cumulative amounts, so any sequence of partial refunds adds up to exactly the whole of each part.
 */
export function refundSlice(parts: Record<string, number>, whole: number, prev: number, next: number) {
  return Object.fromEntries(
    Object.entries(parts).map(([k, v]) => [k, share(v, next, whole) - share(v, prev, whole)]),
  ) as Record<string, number>;
}
