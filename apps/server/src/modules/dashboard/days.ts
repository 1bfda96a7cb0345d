// China-time calendar days as yyyy-MM-dd strings, and the integer rates the dashboard shows. China has no
// daylight saving, so a day is always [00:00+08:00, next 00:00+08:00).
import { chinaDate } from '../points/expiry';

const DAY_MS = 24 * 3600 * 1000;

/** The first instant of `day` in China time. */
export function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000+08:00`));
}

/** `day` moved by `n` days (negative goes back). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** [start, end) of `day`, for `createdAt: {$gte: start, $lt: end}`. */
export function dayBounds(day: string): { start: Date; end: Date } {
  return { start: dayStart(day), end: dayStart(addDays(day, 1)) };
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The China day before the one `now` falls in: what a run just after midnight rolls up. */
export function yesterday(now: number): string {
  return addDays(chinaDate(new Date(now)), -1);
}

export { chinaDate };

/** part / whole in basis points (10000 = 100%), rounded half up; null when there is nothing to divide by. */
export function rateBp(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.floor((part * 10_000 * 2 + whole) / (whole * 2));
}

/** total / count rounded half up to whole fen; null without any count. */
export function averageFen(total: number, count: number): number | null {
  if (count <= 0) return null;
  return Math.floor((total * 2 + count) / (count * 2));
}
