import { checkInMessage, daysToBonus, streakStrip } from './check-in';

const checked = (streak: number, checkedInToday: boolean) =>
  streakStrip({ streak, checkedInToday, bonusAtStreak: 7, bonusPoints: 20 })
    .filter((d) => d.checked)
    .map((d) => d.day);

describe('streak strip', () => {
  it('has one day per streak day, the bonus on the last', () => {
    const strip = streakStrip({ streak: 0, checkedInToday: false, bonusAtStreak: 7, bonusPoints: 20 });
    expect(strip).toHaveLength(7);
    expect(strip.filter((d) => d.bonus).map((d) => d.day)).toEqual([7]);
  });

  it('fills the days of the current cycle', () => {
    expect(checked(0, false)).toEqual([]);
    expect(checked(3, true)).toEqual([1, 2, 3]);
    expect(checked(3, false)).toEqual([1, 2, 3]); // today not yet: day 4 is next
    expect(checked(7, true)).toEqual([1, 2, 3, 4, 5, 6, 7]); // bonus day today
    expect(checked(7, false)).toEqual([]); // bonus was yesterday: a new cycle starts today
    expect(checked(9, true)).toEqual([1, 2]);
  });

  it('counts the days left to the bonus', () => {
    expect(daysToBonus({ streak: 5, checkedInToday: true, bonusAtStreak: 7, bonusPoints: 20 })).toBe(2);
    expect(daysToBonus({ streak: 7, checkedInToday: true, bonusAtStreak: 7, bonusPoints: 20 })).toBe(0);
  });
});

describe('check-in message', () => {
  it('shows the points and the streak', () => {
    expect(checkInMessage({ points: 5, bonus: 0, streak: 3, already: false })).toEqual({
      title: '+5 积分',
      detail: '已连续签到 3 天',
    });
  });

  it('names the bonus when it comes', () => {
    expect(checkInMessage({ points: 25, bonus: 20, streak: 7, already: false })).toEqual({
      title: '+25 积分',
      detail: '已连续签到 7 天，签到 +5，连签奖励 +20',
    });
  });

  it('a second check-in the same day says so', () => {
    expect(checkInMessage({ points: 0, bonus: 0, streak: 4, already: true })).toEqual({
      title: '今天已签到',
      detail: '已连续签到 4 天',
    });
  });
});
