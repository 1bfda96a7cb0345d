// The name of a downloaded CSV: what the figure is, the range, and the store when one is picked, in characters
// every file system takes.
import type { DashboardParams } from '../../api/dashboard';
import { type FigureKey, figureInfo } from './figures';

/** Characters Windows, macOS or Linux refuse in a file name. */
const UNSAFE = /[\\/:*?"<>|]+/g;

/** Control characters (tabs, newlines…) as spaces, by code point rather than in a regular expression. */
function withoutControls(text: string): string {
  return Array.from(text, (char) => ((char.codePointAt(0) ?? 0) < 0x20 ? ' ' : char)).join('');
}

export function safeFilePart(text: string): string {
  return withoutControls(text).replace(UNSAFE, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
}

/** `新增会员_2030-01-01_2030-01-30.csv`, `…_2030-01-30_西湖店.csv` with a store. */
export function csvFileName(figure: FigureKey, params: DashboardParams, storeName: string | null): string {
  const parts = [figureInfo(figure).title, params.from, params.to];
  if (params.storeId) parts.push(storeName?.trim() ? storeName : params.storeId);
  const name = parts
    .map(safeFilePart)
    .filter((part) => part !== '')
    .join('_');
  return `${name}.csv`;
}
