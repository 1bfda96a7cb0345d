import { code128Pattern, code128Values, code128Widths, START_B, START_C, STOP } from './code128';

describe('Code 128 pattern table', () => {
  it('matches the standard for the values a reader anchors on', () => {
    // ISO/IEC 15417 table 1: value 0 (space / "00"), 1, 2, the three start codes and stop.
    expect(code128Pattern(0)).toBe('212222');
    expect(code128Pattern(1)).toBe('222122');
    expect(code128Pattern(2)).toBe('222221');
    expect(code128Pattern(103)).toBe('211412');
    expect(code128Pattern(START_B)).toBe('211214');
    expect(code128Pattern(START_C)).toBe('211232');
    expect(code128Pattern(STOP)).toBe('2331112');
  });

  it('has 107 distinct symbols, each 11 modules wide (stop 13) with an even number of bar modules', () => {
    const all = Array.from({ length: 107 }, (_, v) => code128Pattern(v));
    expect(new Set(all).size).toBe(107);
    all.forEach((pattern, value) => {
      const widths = [...pattern].map(Number);
      expect(widths.reduce((a, b) => a + b, 0)).toBe(value === STOP ? 13 : 11);
      // Parity rule of Code 128: the bars of a symbol add up to an even number of modules.
      const bars = widths.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
      expect(bars % 2).toBe(0);
      expect(widths.every((w) => w >= 1 && w <= 4)).toBe(true);
    });
    expect(() => code128Pattern(107)).toThrow(RangeError);
  });
});

describe('code128Values', () => {
  it('packs an even digit string in subset C with the weighted mod-103 checksum', () => {
    // 105 + 1*12 + 2*34 + 3*56 + 4*78 = 665; 665 mod 103 = 47.
    expect(code128Values('12345678')).toEqual([105, 12, 34, 56, 78, 47, 106]);
    // Leading zeros are data, not padding: "00" is value 0.
    expect(code128Values('00000001')).toEqual([105, 0, 0, 0, 1, (105 + 4) % 103, 106]);
  });

  it('uses subset B for text and for odd-length digit strings', () => {
    // The worked example from the Code 128 literature: "PJJ123C".
    // 104 + 48*1 + 42*2 + 42*3 + 17*4 + 18*5 + 19*6 + 35*7 = 879; 879 mod 103 = 55.
    expect(code128Values('PJJ123C')).toEqual([104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
    expect(code128Values('123')).toEqual([104, 17, 18, 19, (104 + 17 + 36 + 57) % 103, 106]);
  });

  it('refuses what it cannot encode', () => {
    expect(() => code128Values('')).toThrow(RangeError);
    expect(() => code128Values('会员')).toThrow(RangeError);
    expect(() => code128Values('a\nb')).toThrow(RangeError);
  });
});

describe('code128Widths', () => {
  it('lays out 8 digits as start + 4 data + check + stop: 6*11 + 13 = 79 modules', () => {
    const widths = code128Widths('12345678');
    expect(widths).toHaveLength(6 * 6 + 7);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(79);
    expect(widths.slice(0, 6).join('')).toBe('211232');
    expect(widths.slice(-7).join('')).toBe('2331112');
  });

  it('decodes back to the same values (bars and spaces alternate, starting and ending with a bar)', () => {
    const text = 'MH1:demo';
    const widths = code128Widths(text);
    expect(widths.length % 2).toBe(1);
    const table = new Map(Array.from({ length: 107 }, (_, v) => [code128Pattern(v), v]));
    const decoded: number[] = [];
    for (let i = 0; i + 6 <= widths.length - 7; i += 6) decoded.push(table.get(widths.slice(i, i + 6).join('')) ?? -1);
    expect(
      decoded
        .slice(1, -1)
        .map((v) => String.fromCharCode(v + 32))
        .join(''),
    ).toBe(text);
  });
});
