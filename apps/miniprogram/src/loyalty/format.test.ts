import { formatDate, formatDateTime, signedPoints } from './format';

describe('formats', () => {
  it('shows times in China time', () => {
    expect(formatDateTime('2030-01-01T16:05:00Z')).toBe('2030-01-02 00:05');
    expect(formatDate('2030-12-31')).toBe('2030-12-31');
    expect(formatDate('2030-01-01T16:05:00Z')).toBe('2030-01-02');
  });

  it('signs point amounts', () => {
    expect(signedPoints(128)).toBe('+128');
    expect(signedPoints(-500)).toBe('-500');
    expect(signedPoints(1500)).toBe('+1,500');
    expect(signedPoints(0)).toBe('0');
  });
});
