import { base64Utf8, svgDataUri } from './base64';
import { code128Svg, qrMatrix, qrSvg } from './svg';

describe('base64Utf8', () => {
  it('agrees with Node for ASCII, padding lengths and multi-byte text', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', '<svg xmlns="x"/>', '会员码', '😀 ok']) {
      expect(base64Utf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
    }
  });

  it('wraps SVG in an image data URI', () => {
    expect(svgDataUri('<svg/>')).toBe(`data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`);
  });
});

describe('qrMatrix', () => {
  it('is a square with the three finder patterns in the corners', () => {
    const m = qrMatrix('MH1:demo:12345678');
    const size = m.length;
    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0);
    expect(m.every((row) => row.length === size)).toBe(true);
    // A finder pattern: dark 7x7 border, light ring, dark 3x3 centre.
    const finder = (top: number, left: number) =>
      [0, 6].every((i) => [0, 1, 2, 3, 4, 5, 6].every((j) => m[top + i]?.[left + j] && m[top + j]?.[left + i])) &&
      !m[top + 1]?.[left + 1] &&
      m[top + 3]?.[left + 3];
    expect(finder(0, 0)).toBe(true);
    expect(finder(0, size - 7)).toBe(true);
    expect(finder(size - 7, 0)).toBe(true);
    expect(finder(size - 7, size - 7)).toBe(false);
  });

  it('gives different matrices for different payloads', () => {
    expect(JSON.stringify(qrMatrix('MH1:demo:12345678'))).not.toBe(JSON.stringify(qrMatrix('MH1:demo:12345679')));
  });
});

describe('SVG output', () => {
  it('draws one square per dark QR module inside a quiet zone', () => {
    const svg = qrSvg('hello');
    const dark = qrMatrix('hello').flat().filter(Boolean).length;
    expect(svg.match(/h1v1h-1z/g)).toHaveLength(dark);
    expect(svg).toContain(`viewBox="0 0 ${qrMatrix('hello').length + 8} ${qrMatrix('hello').length + 8}"`);
  });

  it('draws one rectangle per Code 128 bar', () => {
    const svg = code128Svg('12345678');
    // start 3 bars + 4 data * 3 + check 3 + stop 4.
    expect(svg.match(/M\d+ 0h\d/g)).toHaveLength(3 + 12 + 3 + 4);
    expect(svg).toContain('viewBox="0 0 99 40"');
  });
});
