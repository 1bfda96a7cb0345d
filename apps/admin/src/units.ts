// Display units <-> the integers the server stores. Stored values never pass through a float: "1.5" 倍 becomes
// 15000 basis points by reading the digits, not by multiplying 1.5 by 10000.

/** Digits before and after the point of a plain decimal (no sign, no exponent), or null. */
function decimalParts(text: string, maxWhole: number, maxFraction: number): { whole: string; fraction: string } | null {
  const match = new RegExp(`^(\\d{1,${maxWhole}})(?:\\.(\\d{0,${maxFraction}}))?$`).exec(text.trim());
  if (!match?.[1]) return null;
  return { whole: match[1], fraction: match[2] ?? '' };
}

/** `whole.fraction` scaled by 10^digits as an integer, e.g. ("1", "5", 4) -> 15000. */
function scaled(whole: string, fraction: string, digits: number): number {
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0'));
}

/** An integer scaled by 10^digits back to text without trailing zeros: (15000, 4) -> "1.5", (20000, 4) -> "2". */
function unscaled(value: number, digits: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const unit = 10 ** digits;
  const whole = Math.trunc(abs / unit);
  const fraction = String(abs % unit)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/** "1.5" (倍) -> 15000 basis points; up to 4 decimals; null when it is not a plain non-negative number. */
export function parseMultiplier(text: string): number | null {
  const parts = decimalParts(text, 6, 4);
  return parts ? scaled(parts.whole, parts.fraction, 4) : null;
}

/** 15000 -> "1.5" (倍). */
export function formatMultiplier(bp: number): string {
  return unscaled(bp, 4);
}

/** "50" (%) -> 5000 basis points; up to 2 decimals ("12.5" -> 1250). */
export function parsePercent(text: string): number | null {
  const parts = decimalParts(text, 6, 2);
  return parts ? scaled(parts.whole, parts.fraction, 2) : null;
}

/** 5000 -> "50" (%), 1250 -> "12.5". */
export function formatPercent(bp: number): string {
  return unscaled(bp, 2);
}

/** A whole non-negative number as typed ("200", " 7 "), or null for blanks, decimals, signs and letters. */
export function parseWhole(text: string): number | null {
  const match = /^\d{1,12}$/.exec(text.trim());
  return match ? Number(match[0]) : null;
}

/** For the labels: 15000 -> "1.5 倍", 5000 -> "50%". */
export function multiplierText(bp: number): string {
  return `${formatMultiplier(bp)} 倍`;
}

export function percentText(bp: number): string {
  return `${formatPercent(bp)}%`;
}

/** "500", "500.5", "¥1,000.00" -> fen (50000, 50050, 100000); up to 2 decimals; null when it is not an amount. */
export function parseYuan(text: string): number | null {
  const plain = text.trim().replace(/^¥/, '').replace(/,/g, '').trim();
  const parts = decimalParts(plain, 9, 2);
  return parts ? scaled(parts.whole, parts.fraction, 2) : null;
}

/** Fen back to what the owner types: 50000 -> "500", 50050 -> "500.5" (the table shows ¥500.50 via formatFen). */
export function formatYuan(fen: number): string {
  return unscaled(fen, 2);
}

/** "8.8" (折) -> 8800 basis points of the price (10 折 = 10000); up to 3 decimals ("8.85" -> 8850); null otherwise. */
export function parseDiscount(text: string): number | null {
  const parts = decimalParts(text.trim().replace(/\s*折$/, ''), 3, 3);
  return parts ? scaled(parts.whole, parts.fraction, 3) : null;
}

/** 8800 -> "8.8" (折), 8000 -> "8". */
export function formatDiscount(bp: number): string {
  return unscaled(bp, 3);
}
