// Money is integer fen everywhere; these are the only places it becomes text.

export function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer, got ${fen}`);
}

/** 1234 -> "¥12.34", -5 -> "-¥0.05". Integer arithmetic only: no float rounding on the way to text. */
export function formatFen(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  // Thousands separators by hand: toLocaleString goes through Intl, which is slow on a hot path (every purchase).
  return `${sign}¥${String(yuan).replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
}

/** "12.34" -> 1234; rejects more than two decimals, signs and anything that is not a plain amount. */
export function parseYuanToFen(text: string): number {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not an amount in yuan: ${text}`);
  const yuan = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return yuan * 100 + cents;
}

export function formatPoints(points: number): string {
  if (!Number.isSafeInteger(points)) throw new RangeError(`points must be a safe integer, got ${points}`);
  return points.toLocaleString('en-US');
}
