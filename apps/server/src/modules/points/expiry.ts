import { CHINA_OFFSET_MS } from '@member-hub/shared';

// Points expire at the end of the month `expiryMonths` after they were earned (China time). Spending takes the
// oldest points first, so the amount due on a day is what was earned up to that day minus all that was consumed.

// China-time days and weekdays have one home, shared with the clients.
export { chinaDay as chinaDate, chinaWeekday } from '@member-hub/shared';

/** The last day of the month `months` after the month of `earnedAt` (China time), as yyyy-MM-dd. */
export function expiryDay(earnedAt: Date, months: number): string {
  const local = new Date(earnedAt.getTime() + CHINA_OFFSET_MS);
  // Day 0 of the following month is the last day of the target month: leap years come for free.
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + months + 1, 0)).toISOString().slice(0, 10);
}

/** Points due to expire on or before `day` and not yet consumed. */
export function dueBy(buckets: Record<string, number>, consumed: number, day: string): number {
  let earned = 0;
  for (const [expiresOn, points] of Object.entries(buckets)) if (expiresOn <= day) earned += points;
  return Math.max(0, earned - consumed);
}

/** The next expiry from `today` on (inclusive): the day and how many points will go then. */
export function nextExpiry(
  buckets: Record<string, number>,
  consumed: number,
  today: string,
): { on: string; points: number } | null {
  const days = Object.keys(buckets)
    .filter((d) => d >= today)
    .sort();
  let alreadyDue = dueBy(buckets, consumed, previousDay(today));
  for (const day of days) {
    const due = dueBy(buckets, consumed, day);
    if (due > alreadyDue) return { on: day, points: due - alreadyDue };
    alreadyDue = due;
  }
  return null;
}

function previousDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
