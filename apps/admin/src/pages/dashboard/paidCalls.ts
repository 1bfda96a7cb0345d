// The words of the paid-calls card: 今日 "12 次 · 约 ¥0.36", 本月 "40 次 · 约 ¥1.20", and one line per recent day.
import { formatFen, formatPoints, type PaidCallDay, type PaidCallUsage } from '@member-hub/shared';

/** "12 次 · 约 ¥0.36". */
export function callsText(count: number, costFen: number): string {
  return `${formatPoints(count)} 次 · 约 ${formatFen(costFen)}`;
}

/** "按 ¥0.03/次 估算（微信手机号快速验证组件按次收费），实际以微信公众平台账单为准". */
export function priceNote(usage: PaidCallUsage): string {
  return `按 ${formatFen(usage.priceFen)}/次 估算（微信手机号快速验证组件按次收费），实际以微信公众平台账单为准`;
}

/** "12月2日" for a yyyy-MM-dd China day. */
export function dayLabel(day: string): string {
  const [, month, date] = day.split('-');
  return `${Number(month)}月${Number(date)}日`;
}

/** The recent days that had calls, newest first (days without calls would only be rows of zeros). */
export function daysWithCalls(days: readonly PaidCallDay[]): PaidCallDay[] {
  return days.filter((d) => d.count > 0);
}
