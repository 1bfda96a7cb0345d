import type { CheckInResult, MyTasks } from '@member-hub/shared';

export interface StreakDay {
  /** 1-based day of the streak cycle. */
  day: number;
  checked: boolean;
  /** The cycle's last day pays the streak bonus. */
  bonus: boolean;
}

/**
 * The 7-day strip (or however many days the owner set). `streak` counts consecutive days up to today when today is
 * checked in, up to yesterday otherwise; a full cycle starts again the day after the bonus.
 */
export function streakStrip(checkIn: MyTasks['checkIn']): StreakDay[] {
  const length = Math.max(1, checkIn.bonusAtStreak);
  const streak = Math.max(0, checkIn.streak);
  const filled = checkIn.checkedInToday && streak > 0 ? ((streak - 1) % length) + 1 : streak % length;
  return Array.from({ length }, (_, i) => ({ day: i + 1, checked: i < filled, bonus: i === length - 1 }));
}

/** Days still to go for the bonus, counting today when it is not checked in yet. */
export function daysToBonus(checkIn: MyTasks['checkIn']): number {
  const strip = streakStrip(checkIn);
  return strip.filter((d) => !d.checked).length;
}

/** What the member reads after tapping 签到. */
export function checkInMessage(result: CheckInResult): { title: string; detail: string } {
  if (result.already) return { title: '今天已签到', detail: `已连续签到 ${result.streak} 天` };
  const base = result.points - result.bonus;
  const title = `+${result.points} 积分`;
  const streak = `已连续签到 ${result.streak} 天`;
  return {
    title,
    detail: result.bonus > 0 ? `${streak}，签到 +${base}，连签奖励 +${result.bonus}` : streak,
  };
}
