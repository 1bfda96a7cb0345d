// The arithmetic of RFM and churn, as pure functions over plain numbers, so the job can feed them from typed
// arrays (a million members) and the tests can pin every boundary. The rules are written out in
// packages/shared/src/rfm.ts; this file only implements them.
import { RFM_HIGH_SCORE, type RfmClass, type RfmSettings } from '@member-hub/shared';

export const DAY_MS = 24 * 3600 * 1000;

/**
 * The four nearest-rank quintile boundaries (P20, P40, P60, P80) of values sorted ascending: the value at rank
 * ceil(k * n / 5). Empty input has no boundaries (nobody to score).
 */
export function quintileBoundaries(sortedAscending: ArrayLike<number>): number[] {
  const n = sortedAscending.length;
  if (n === 0) return [];
  const out: number[] = [];
  for (let k = 1; k <= 4; k++) out.push(sortedAscending[Math.ceil((k * n) / 5) - 1] as number);
  return out;
}

/**
 * 1..5: one plus how many boundaries the value is strictly above. Equal values get equal scores whatever order
 * they came in, which is what keeps ties deterministic (a block of ties takes the score of its lowest rank).
 */
export function scoreOf(value: number, boundaries: readonly number[]): number {
  let score = 1;
  for (const b of boundaries) if (value > b) score++;
  return score;
}

/** Recency is better when smaller: scored as the negated days, so the same boundaries rule applies. */
export function recencyScoreOf(days: number, negatedBoundaries: readonly number[]): number {
  return scoreOf(-days, negatedBoundaries);
}

export function isHigh(score: number): boolean {
  return score >= RFM_HIGH_SCORE;
}

/** The classic eight, by which of R, F, M are high. */
export function classify(r: number, f: number, m: number): Exclude<RfmClass, 'none'> {
  const R = isHigh(r);
  const F = isHigh(f);
  const M = isHigh(m);
  if (M) {
    if (R) return F ? 'important_value' : 'important_develop';
    return F ? 'important_retain' : 'important_winback';
  }
  if (R) return F ? 'general_value' : 'general_develop';
  return F ? 'general_retain' : 'general_winback';
}

/** Whole days since `atMs`, as owners count them ("3 天没来"). */
export function daysSince(nowMs: number, atMs: number): number {
  return Math.floor((nowMs - atMs) / DAY_MS);
}

export interface OrderSpan {
  orders: number;
  firstMs: number;
  lastMs: number;
}

/**
 * Mean gap between orders, ms: (last - first) / (orders - 1), never under a day, so two orders on one visit
 * (a gap of minutes) do not make every following hour look overdue. Null below two orders.
 */
export function typicalGapMs(span: OrderSpan): number | null {
  if (span.orders < 2) return null;
  return Math.max((span.lastMs - span.firstMs) / (span.orders - 1), DAY_MS);
}

/**
 * Churn warning: enough orders for a baseline, and (now - last) > typical gap x factor, strictly. Compared
 * without division, in BigInt, so the boundary (exactly factor x gap) is exact whatever the magnitudes.
 */
export function isChurn(
  span: OrderSpan,
  nowMs: number,
  settings: Pick<RfmSettings, 'churnFactorBp' | 'churnMinOrders'>,
): boolean {
  if (span.orders < Math.max(2, settings.churnMinOrders)) return false;
  const gaps = BigInt(span.orders - 1);
  const spanMs = BigInt(Math.round(span.lastMs - span.firstMs));
  // typical gap x (orders - 1), floored at one day per gap.
  const gapTimesN = spanMs > BigInt(DAY_MS) * gaps ? spanMs : BigInt(DAY_MS) * gaps;
  const since = BigInt(Math.round(nowMs - span.lastMs));
  return since * gaps * 10_000n > gapTimesN * BigInt(settings.churnFactorBp);
}

/** How far past their typical gap a member is: time since the last order / typical gap, basis points (floor). */
export function overdueBp(span: OrderSpan, nowMs: number): number {
  const gap = typicalGapMs(span);
  if (gap === null) return 0;
  return Math.floor(((nowMs - span.lastMs) * 10_000) / gap);
}

/** Share in basis points, floored; 0 of 0 is 0. */
export function shareBp(part: number, whole: number): number {
  // BigInt: spend totals in fen times 10,000 can pass 2^53.
  return whole > 0 ? Number((BigInt(part) * 10_000n) / BigInt(whole)) : 0;
}
