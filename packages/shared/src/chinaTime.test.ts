import { addDays, chinaDay, chinaHour, chinaMidnightMs, chinaWeekday, chinaWeekStart } from './chinaTime';

describe('China time', () => {
  it('puts 16:00 UTC on the next China day', () => {
    expect(chinaDay(new Date('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
    expect(chinaDay(new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02');
    expect(chinaHour(new Date('2026-12-01T14:00:00Z'))).toBe(22);
  });

  it('finds the China midnight of a moment', () => {
    expect(new Date(chinaMidnightMs(new Date('2026-12-02T03:00:00Z'))).toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });

  it('weeks start on Monday in China time', () => {
    // 2026-12-06 is a Sunday; 2026-12-07 00:30 China time is Monday.
    expect(chinaWeekday(new Date('2026-12-06T04:00:00Z'))).toBe(7);
    expect(chinaWeekStart(new Date('2026-12-06T15:59:00Z'))).toBe('2026-11-30');
    expect(chinaWeekStart(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07');
  });

  it('adds days across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
