import { addDays, chinaToday, defaultRange, lastDays, presetOf, rangeProblem, resolveRange } from './range';

describe('China days', () => {
  it('takes today in UTC+8, whatever the browser zone', () => {
    expect(chinaToday(new Date('2030-01-01T15:59:59Z'))).toBe('2030-01-01');
    expect(chinaToday(new Date('2030-01-01T16:00:00Z'))).toBe('2030-01-02');
  });

  it('moves across months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2030-01-01', -1)).toBe('2029-12-31');
    expect(addDays('2030-03-01', -29)).toBe('2030-01-31');
  });

  it('defaults to the last 30 days, today included', () => {
    expect(defaultRange('2030-03-30')).toEqual({ from: '2030-03-01', to: '2030-03-30' });
    expect(lastDays(7, '2030-01-07')).toEqual({ from: '2030-01-01', to: '2030-01-07' });
  });

  it('names the preset a range is, only when it ends today', () => {
    expect(presetOf({ from: '2030-01-01', to: '2030-01-07' }, '2030-01-07')).toBe(7);
    expect(presetOf({ from: '2030-01-01', to: '2030-01-07' }, '2030-01-08')).toBeNull();
    expect(presetOf({ from: '2030-01-02', to: '2030-01-07' }, '2030-01-07')).toBeNull();
  });
});

describe('rangeProblem', () => {
  it('accepts a day and a leap year, inclusive', () => {
    expect(rangeProblem('2030-01-01', '2030-01-01')).toBeNull();
    expect(rangeProblem('2028-01-01', '2028-12-31')).toBeNull();
  });

  it('refuses blanks, days that do not exist, reversed and too long ranges, in Chinese', () => {
    expect(rangeProblem('', '2030-01-01')).toBe('请选择开始日期');
    expect(rangeProblem('2030-01-01', ' ')).toBe('请选择结束日期');
    expect(rangeProblem('2030-02-30', '2030-03-01')).toBe('开始日期：日期不存在');
    expect(rangeProblem('2030-01-01', '2030/01/02')).toBe('结束日期：日期格式应为 YYYY-MM-DD');
    expect(rangeProblem('2030-13-01', '2030-12-01')).toBe('开始日期：日期不存在');
    expect(rangeProblem('2030-01-01', 'abc')).toBe('结束日期：日期格式应为 YYYY-MM-DD');
    expect(rangeProblem('2030-01-02', '2030-01-01')).toBe('结束日期不能早于开始日期');
    expect(rangeProblem('2028-01-01', '2029-01-01')).toBe('时间范围最长 366 天');
  });
});

describe('resolveRange', () => {
  const today = '2030-03-30';

  it('shows the default without a range in the URL', () => {
    expect(resolveRange(null, null, today)).toEqual({ from: '2030-03-01', to: today, days: 30, problem: null });
  });

  it('fills a missing end with today and a missing start with 30 days before the end', () => {
    expect(resolveRange('2030-03-20', null, today)).toEqual({ from: '2030-03-20', to: today, days: 11, problem: null });
    expect(resolveRange(null, '2030-01-30', today)).toEqual({
      from: '2030-01-01',
      to: '2030-01-30',
      days: 30,
      problem: null,
    });
    expect(resolveRange('2030-04-10', null, today)).toMatchObject({ from: '2030-04-10', to: '2030-04-10', days: 1 });
  });

  it('falls back to the default, saying why, for a range the server would refuse', () => {
    expect(resolveRange('2030-03-10', '2030-03-01', today)).toEqual({
      from: '2030-03-01',
      to: today,
      days: 30,
      problem: '结束日期不能早于开始日期',
    });
    expect(resolveRange('2020-01-01', '2030-01-01', today).problem).toBe('时间范围最长 366 天');
  });
});
