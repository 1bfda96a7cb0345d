// The dashboard's range of China days: today in China, the default (the last 30 days), the presets, and the
// checks the server makes (a real day, from <= to, at most 366 days), so a bad range never leaves the page.
import { DASHBOARD_MAX_DAYS, DashboardQuery, dayCount } from '@member-hub/shared';

export const DEFAULT_RANGE_DAYS = 30;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface DayRange {
  from: string;
  to: string;
}

/** The China calendar day (UTC+8, no daylight saving) at `now`, yyyy-MM-dd. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `day` moved by `days` calendar days (negative goes back). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The `days` days ending today, both ends included. */
export function lastDays(days: number, today: string): DayRange {
  return { from: addDays(today, -(days - 1)), to: today };
}

export function defaultRange(today: string): DayRange {
  return lastDays(DEFAULT_RANGE_DAYS, today);
}

export const RANGE_PRESETS: readonly { days: number; label: string }[] = [
  { days: 7, label: '近 7 天' },
  { days: 30, label: '近 30 天' },
  { days: 90, label: '近 90 天' },
  { days: 365, label: '近一年' },
];

/** The preset the range is (ending today), or null. */
export function presetOf(range: DayRange, today: string): number | null {
  if (range.to !== today) return null;
  return RANGE_PRESETS.find(({ days }) => range.from === addDays(today, -(days - 1)))?.days ?? null;
}

const FIELD_LABELS: Readonly<Record<string, string>> = { from: '开始日期', to: '结束日期' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The format problem of one day, or null. Checked here first because the shared ChinaDayText runs its "day exists"
 * refinement even after the format check failed, and that refinement throws (RangeError) on text that is no date.
 */
function dayProblem(day: string): string | null {
  if (!DAY.test(day)) return '日期格式应为 YYYY-MM-DD';
  const time = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) return '日期不存在';
  return null;
}

/** Why the server would refuse this range, in Chinese, or null when it is fine. */
export function rangeProblem(from: string, to: string): string | null {
  if (from.trim() === '') return '请选择开始日期';
  if (to.trim() === '') return '请选择结束日期';
  const fromProblem = dayProblem(from);
  if (fromProblem) return `开始日期：${fromProblem}`;
  const toProblem = dayProblem(to);
  if (toProblem) return `结束日期：${toProblem}`;
  const result = DashboardQuery.safeParse({ from, to });
  if (result.success) return null;
  const issue = result.error.issues[0];
  if (!issue) return '日期范围不正确';
  const field = String(issue.path[0] ?? '');
  // The range rules already name the dates; the format rules say which one.
  if (issue.message.includes('开始日期') || issue.message.includes('时间范围')) return issue.message;
  return FIELD_LABELS[field] ? `${FIELD_LABELS[field]}：${issue.message}` : issue.message;
}

export interface ResolvedRange extends DayRange {
  days: number;
  /** The URL asked for a range the server refuses: the default is shown instead, and this says why. */
  problem: string | null;
}

/**
 * The range to show for the URL's `from` / `to` (either may be missing): a missing end is today, a missing start
 * is 30 days before the end; a range that fails the checks falls back to the default.
 */
export function resolveRange(from: string | null, to: string | null, today: string): ResolvedRange {
  if (from === null && to === null) return { ...defaultRange(today), days: DEFAULT_RANGE_DAYS, problem: null };
  const end = to ?? (from !== null && from > today ? from : today);
  const start = from ?? addDays(end, -(DEFAULT_RANGE_DAYS - 1));
  const problem = rangeProblem(start, end);
  if (problem !== null) return { ...defaultRange(today), days: DEFAULT_RANGE_DAYS, problem };
  return { from: start, to: end, days: dayCount(start, end), problem: null };
}

export { DASHBOARD_MAX_DAYS };
