/** Fen as yuan with two decimals ("12.34", "-0.07"), in integers so no float rounding creeps in. */
export function formatYuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
