import {
  formatDiscount,
  formatMultiplier,
  formatPercent,
  formatYuan,
  multiplierText,
  parseDiscount,
  parseMultiplier,
  parsePercent,
  parseWhole,
  parseYuan,
  percentText,
} from './units';

describe('multipliers (倍 <-> basis points)', () => {
  it.each([
    ['1', 10_000],
    ['1.5', 15_000],
    ['1.2', 12_000],
    ['2', 20_000],
    ['0', 0],
    ['1.2345', 12_345],
    ['0.1', 1_000],
    ['10', 100_000],
    [' 1.5 ', 15_000],
    ['1.', 10_000],
  ])('reads %p as %p without a float on the way', (text, bp) => {
    expect(parseMultiplier(text)).toBe(bp);
  });

  it('reads the cases where 1.1 * 10000 style multiplication would round wrongly', () => {
    // 1.1 * 10000 = 11000.000000000002 and 0.29 * 100 = 28.999999999999996 in floats.
    expect(parseMultiplier('1.1')).toBe(11_000);
    expect(parsePercent('0.29')).toBe(29);
    expect(parsePercent('4.35')).toBe(435);
  });

  it.each(['', '-1', '1.23456', 'abc', '1,5', '1e2', '.5', '+1', '１.5'])('refuses %p', (text) => {
    expect(parseMultiplier(text)).toBeNull();
  });

  it.each([
    [10_000, '1'],
    [15_000, '1.5'],
    [12_345, '1.2345'],
    [1_000, '0.1'],
    [5, '0.0005'],
    [0, '0'],
  ])('shows %p as %p', (bp, text) => {
    expect(formatMultiplier(bp)).toBe(text);
    expect(parseMultiplier(formatMultiplier(bp))).toBe(bp);
  });

  it('labels', () => {
    expect(multiplierText(15_000)).toBe('1.5 倍');
    expect(percentText(5_000)).toBe('50%');
  });
});

describe('percentages (% <-> basis points)', () => {
  it('round-trips', () => {
    expect(parsePercent('50')).toBe(5_000);
    expect(parsePercent('12.5')).toBe(1_250);
    expect(parsePercent('100')).toBe(10_000);
    expect(formatPercent(5_000)).toBe('50');
    expect(formatPercent(1_250)).toBe('12.5');
    expect(formatPercent(1_255)).toBe('12.55');
    expect(formatPercent(5)).toBe('0.05');
  });

  it('refuses more than two decimals and signs', () => {
    expect(parsePercent('12.345')).toBeNull();
    expect(parsePercent('-5')).toBeNull();
    expect(parsePercent('50%')).toBeNull();
  });
});

describe('parseWhole', () => {
  it('reads whole numbers only', () => {
    expect(parseWhole(' 200 ')).toBe(200);
    expect(parseWhole('0')).toBe(0);
    expect(parseWhole('')).toBeNull();
    expect(parseWhole('1.5')).toBeNull();
    expect(parseWhole('-3')).toBeNull();
    expect(parseWhole('3a')).toBeNull();
  });
});

describe('yuan (元 <-> fen)', () => {
  it.each([
    ['500', 50_000],
    ['500.5', 50_050],
    ['0.01', 1],
    [' ¥1,000.00 ', 100_000],
    ['50000', 5_000_000],
  ])('reads %p as %p fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(['', '-1', '1.234', 'abc', '1e3', '１００'])('refuses %p', (text) => {
    expect(parseYuan(text)).toBeNull();
  });

  it('writes fen back the way the owner typed it', () => {
    expect(formatYuan(50_000)).toBe('500');
    expect(formatYuan(50_050)).toBe('500.5');
    expect(formatYuan(1)).toBe('0.01');
    expect(formatYuan(0)).toBe('0');
  });
});

describe('discounts (折 <-> basis points)', () => {
  it.each([
    ['8.8', 8_800],
    [' 8.8 折 ', 8_800],
    ['9', 9_000],
    ['8.85', 8_850],
    ['0.1', 100],
    ['10', 10_000],
    ['88', 88_000],
  ])('reads %p as %p', (text, bp) => {
    expect(parseDiscount(text)).toBe(bp);
  });

  it.each(['', '八折', '-8', '8.8.8', '8.8888', '1e1', '1000'])('refuses %p', (text) => {
    expect(parseDiscount(text)).toBeNull();
  });

  it('writes it back without trailing zeros', () => {
    expect(formatDiscount(8_800)).toBe('8.8');
    expect(formatDiscount(8_000)).toBe('8');
    expect(formatDiscount(8_850)).toBe('8.85');
    expect(parseDiscount(formatDiscount(9_999))).toBe(9_999);
  });
});
