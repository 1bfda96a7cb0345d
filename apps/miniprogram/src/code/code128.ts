// Code 128 (ISO/IEC 15417), the subsets a member code needs: C for digit strings of even length (two digits per
// symbol, the narrowest bars for a given width), B for printable ASCII otherwise. Small enough to own; checked in
// the tests against the standard's pattern table and worked examples.

/**
 * Bar/space widths of every symbol value, bar first, in modules. Values 0-105 are 6 runs (11 modules);
 * 106 is the stop pattern with its final bar (7 runs, 13 modules).
 */
const PATTERNS: readonly string[] = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];

export const START_B = 104;
export const START_C = 105;
export const STOP = 106;

/** The symbol values for `text`: start, data, checksum, stop. Throws on characters Code 128 B cannot carry. */
export function code128Values(text: string): number[] {
  if (text.length === 0) throw new RangeError('Code 128 needs at least one character');
  const data: number[] = [];
  let start: number;
  if (/^(?:\d\d)+$/.test(text)) {
    start = START_C;
    for (let i = 0; i < text.length; i += 2) data.push(Number(text.slice(i, i + 2)));
  } else {
    start = START_B;
    for (const char of text) {
      const code = char.charCodeAt(0);
      if (char.length !== 1 || code < 32 || code > 126) {
        throw new RangeError(`Code 128 B cannot encode ${JSON.stringify(char)}`);
      }
      data.push(code - 32);
    }
  }
  let sum = start;
  data.forEach((value, index) => {
    sum += value * (index + 1);
  });
  return [start, ...data, sum % 103, STOP];
}

/** The widths of each bar and space in order, starting with a bar; the quiet zones are not included. */
export function code128Widths(text: string): number[] {
  const widths: number[] = [];
  for (const value of code128Values(text)) {
    for (const digit of PATTERNS[value] ?? '') widths.push(Number(digit));
  }
  return widths;
}

/** The pattern table, for tests. */
export function code128Pattern(value: number): string {
  const pattern = PATTERNS[value];
  if (pattern === undefined) throw new RangeError(`no Code 128 symbol ${value}`);
  return pattern;
}
