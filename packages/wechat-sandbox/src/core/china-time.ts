/** WeChat runs on China Standard Time (UTC+8, no daylight saving): its days, dates and timestamps are Beijing's. */
export const CHINA_UTC_OFFSET_MS = 8 * 3600 * 1000;

function chinaIso(ms: number): string {
  return new Date(ms + CHINA_UTC_OFFSET_MS).toISOString();
}

/** RFC 3339 with the +08:00 offset, the way WeChat Pay writes every time: 2026-12-01T20:00:00+08:00. */
export function chinaRfc3339(ms: number): string {
  return `${chinaIso(ms).slice(0, 19)}+08:00`;
}

/** The calendar date in China, YYYY-MM-DD. */
export function chinaDate(ms: number): string {
  return chinaIso(ms).slice(0, 10);
}

/** "YYYY-MM-DD HH:mm:ss" in China time, as bill files write it. */
export function chinaDateTime(ms: number): string {
  return chinaIso(ms).slice(0, 19).replace('T', ' ');
}

/** Digits only, yyyyMMddHHmmss in China time: the date part of prepay ids and transaction ids. */
export function chinaCompactDateTime(ms: number): string {
  return chinaIso(ms).slice(0, 19).replace(/\D/g, '');
}

/** Epoch milliseconds of 00:00 China time on `date` (YYYY-MM-DD). */
export function chinaMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}
