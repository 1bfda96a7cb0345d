// Times the member reads, in China time (the shop's day), whatever the phone's time zone.
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** "2030-01-01T04:05:00Z" -> "2030-01-01 12:05". */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Just the day of an ISO time or date ("2030-01-31"). */
export function formatDate(isoOrDay: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(isoOrDay)) return isoOrDay;
  return formatDateTime(isoOrDay).slice(0, 10);
}

/** +128 / -500 / 0, with thousands separators. */
export function signedPoints(amount: number): string {
  const text = Math.abs(amount).toLocaleString('en-US');
  return amount > 0 ? `+${text}` : amount < 0 ? `-${text}` : '0';
}
