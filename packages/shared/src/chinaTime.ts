// China keeps UTC+8 all year (no daylight saving since 1991), so China-time days, hours and weeks are plain
// arithmetic on the UTC clock: no time-zone database is needed.
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** yyyy-MM-dd of `at` in China time. */
export function chinaDay(at: Date | number): string {
  return new Date(+at + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 0-23: the hour of `at` on a clock in China. */
export function chinaHour(at: Date | number): number {
  return new Date(+at + CHINA_OFFSET_MS).getUTCHours();
}

/** 00:00 China time of the day `at` falls on, as epoch ms. */
export function chinaMidnightMs(at: Date | number): number {
  return Math.floor((+at + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

/** 1 = Monday ... 7 = Sunday, in China time. */
export function chinaWeekday(at: Date | number): number {
  const day = new Date(+at + CHINA_OFFSET_MS).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The China day (yyyy-MM-dd) of the Monday starting the week `at` falls in: one key per week. */
export function chinaWeekStart(at: Date | number): string {
  return chinaDay(chinaMidnightMs(at) - (chinaWeekday(at) - 1) * DAY_MS);
}

/** `day` (yyyy-MM-dd) moved by `days`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
