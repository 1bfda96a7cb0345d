import { formatFen, formatPoints, parseYuanToFen } from './money';

describe('money helpers', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(1234)).toBe('¥12.34');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-5)).toBe('-¥0.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
  });
  it('refuses non-integer fen', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });
  it('parses yuan text into fen without float error', () => {
    expect(parseYuanToFen('12.34')).toBe(1234);
    expect(parseYuanToFen('0.1')).toBe(10);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('100')).toBe(10000);
    for (const bad of ['1.234', '-1', 'abc', '', '1e3']) expect(() => parseYuanToFen(bad)).toThrow(RangeError);
  });
  it('formats points with thousands separators', () => {
    expect(formatPoints(12345)).toBe('12,345');
  });
});
