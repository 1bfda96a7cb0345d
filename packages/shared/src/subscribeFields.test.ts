import fc from 'fast-check';
import { parseYuanToFen } from './money';
import { fitSubscribeData, fitSubscribeField, SubscribeFieldError } from './subscribeFields';

// Whether WeChat takes the fitted values is tested against the sandbox's own rules in apps/server
// (wechatClient.test.ts): this package cannot depend on the sandbox. Here: what fitting itself promises.

/** Text mixing what members' data holds: Han (one outside the BMP), Latin, digits, emoji, spaces, controls. */
const TEXT = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '会',
      '员',
      '积',
      '分',
      '𠀀',
      '😀',
      'a',
      'Z',
      '9',
      '_',
      '-',
      '·',
      '.',
      ' ',
      '\n',
      '\t',
      '\u0001',
      '，',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 45,
  // Long strings too: the default size rarely goes past 20 characters, where cutting starts.
  size: 'max',
});

/** Fits, or undefined when nothing of the value fits (the only error fitting may raise). */
function tryFit(fit: () => string): string | undefined {
  try {
    return fit();
  } catch (error) {
    expect(error).toBeInstanceOf(SubscribeFieldError);
    return undefined;
  }
}

const length = (text: string) => Array.from(text).length;

describe('fitSubscribeField', () => {
  it('thing: keeps up to 20 characters, else 19 and …, counting code points', () => {
    expect(fitSubscribeField('thing', 'a'.repeat(20))).toBe('a'.repeat(20));
    expect(fitSubscribeField('thing', 'a'.repeat(21))).toBe(`${'a'.repeat(19)}…`);
    expect(fitSubscribeField('thing', '😀'.repeat(20))).toBe('😀'.repeat(20));
    const cut = fitSubscribeField('thing', '😀'.repeat(21));
    expect(cut).toBe(`${'😀'.repeat(19)}…`);
    expect([length(cut), cut.length]).toEqual([20, 39]);
    expect(fitSubscribeField('thing', '消费获得积分，感谢您的光临，欢迎下次再来哦')).toBe(
      '消费获得积分，感谢您的光临，欢迎下次再…',
    );
  });

  it('thing: one space for any run of white space, control characters dropped, blank refused', () => {
    expect(fitSubscribeField('thing', '  第一行\n\n第二行\t结束 ')).toBe('第一行 第二行 结束');
    expect(fitSubscribeField('thing', 'a\u0001b')).toBe('ab');
    expect(fitSubscribeField('thing', `${'a'.repeat(18)}   bbb`)).toBe(`${'a'.repeat(18)}…`);
    expect(() => fitSubscribeField('thing', ' \n\t')).toThrow(SubscribeFieldError);
  });

  it('phrase: Han characters only, at most 5', () => {
    expect(fitSubscribeField('phrase', '已到账')).toBe('已到账');
    expect(fitSubscribeField('phrase', '配送中 (ok)!')).toBe('配送中');
    expect(fitSubscribeField('phrase', '六个汉字的呀')).toBe('六个汉字的');
    expect(fitSubscribeField('phrase', '𠀀𠀀𠀀𠀀𠀀𠀀')).toBe('𠀀𠀀𠀀𠀀𠀀');
    expect(() => fitSubscribeField('phrase', 'OK!')).toThrow(SubscribeFieldError);
  });

  it('character_string: letters, digits, _ and -, at most 32', () => {
    expect(fitSubscribeField('character_string', 'CP 2026/12#A-1_b')).toBe('CP202612A-1_b');
    expect(fitSubscribeField('character_string', 'x'.repeat(40))).toBe('x'.repeat(32));
    expect(() => fitSubscribeField('character_string', '券码')).toThrow(SubscribeFieldError);
  });

  it('name: 10 characters with Han ones, else 20 Latin letters', () => {
    expect(fitSubscribeField('name', '张三')).toBe('张三');
    expect(fitSubscribeField('name', '阿依古丽·买买提')).toBe('阿依古丽·买买提');
    expect(fitSubscribeField('name', '欧阳娜娜 123 Li')).toBe('欧阳娜娜Li');
    expect(fitSubscribeField('name', '欧阳'.repeat(6))).toBe('欧阳'.repeat(5));
    expect(fitSubscribeField('name', '  John   Smith ')).toBe('John Smith');
    expect(fitSubscribeField('name', 'Maximilian Alexander Smith')).toBe('Maximilian Alexander');
    expect(fitSubscribeField('name', 'Z\n\u0000 .')).toBe('Z .');
    expect(() => fitSubscribeField('name', '123 456')).toThrow(SubscribeFieldError);
  });

  it('number: a non-negative integer as digits', () => {
    expect(fitSubscribeField('number', 0)).toBe('0');
    expect(fitSubscribeField('number', 1520)).toBe('1520');
    expect(fitSubscribeField('number', Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => fitSubscribeField('number', bad)).toThrow(SubscribeFieldError);
    }
  });

  it('amount: fen as ¥ yuan with two decimals, no thousands separators', () => {
    expect(fitSubscribeField('amount', 1234)).toBe('¥12.34');
    expect(fitSubscribeField('amount', 5)).toBe('¥0.05');
    expect(fitSubscribeField('amount', 0)).toBe('¥0.00');
    expect(fitSubscribeField('amount', 123_456_789)).toBe('¥1234567.89');
    expect(fitSubscribeField('amount', 999_999_999_999)).toBe('¥9999999999.99');
    expect(() => fitSubscribeField('amount', 1_000_000_000_000)).toThrow(SubscribeFieldError);
    expect(() => fitSubscribeField('amount', -1)).toThrow(SubscribeFieldError);
    expect(() => fitSubscribeField('amount', 1.5)).toThrow(RangeError);
  });

  it('time and date: China time, whatever the machine zone', () => {
    expect(fitSubscribeField('time', new Date('2026-12-02T07:01:59Z'))).toBe('2026-12-02 15:01');
    expect(fitSubscribeField('time', new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
    expect(fitSubscribeField('date', new Date('2026-12-31T16:30:00Z'))).toBe('2027年1月1日');
    expect(fitSubscribeField('date', new Date('2026-12-02T15:59:59Z'))).toBe('2026年12月2日');
    expect(fitSubscribeField('date', new Date('2026-12-02T16:00:00Z'))).toBe('2026年12月3日');
    expect(() => fitSubscribeField('time', new Date(Number.NaN))).toThrow(SubscribeFieldError);
    expect(() => fitSubscribeField('date', new Date('+010000-01-01T00:00:00Z'))).toThrow(SubscribeFieldError);
  });

  it('never puts the value in its error (it may be personal data)', () => {
    expect(() => fitSubscribeField('name', '13800138000')).toThrow(/^cannot fit a name value: no letters$/);
  });
});

describe('fitSubscribeData', () => {
  it('fits each keyword by its type', () => {
    expect(
      fitSubscribeData({
        thing1: { type: 'thing', value: '消费获得积分' },
        number2: { type: 'number', value: 120 },
        amount3: { type: 'amount', value: 50_000 },
        time4: { type: 'time', value: new Date('2026-12-02T07:01:00Z') },
        phrase5: { type: 'phrase', value: '增加' },
      }),
    ).toEqual({
      thing1: '消费获得积分',
      number2: '120',
      amount3: '¥500.00',
      time4: '2026-12-02 15:01',
      phrase5: '增加',
    });
  });
});

describe('fitting properties', () => {
  it('thing: at most 20 characters, no control characters, no white space at the ends; fitting twice changes nothing', () => {
    fc.assert(
      fc.property(TEXT, (text) => {
        const fitted = tryFit(() => fitSubscribeField('thing', text));
        if (fitted === undefined) return;
        expect(length(fitted)).toBeLessThanOrEqual(20);
        expect(fitted).not.toMatch(/\p{Cc}|^\s|\s$/u);
        expect(fitSubscribeField('thing', fitted)).toBe(fitted);
      }),
    );
  });

  it('thing without white space: unchanged up to 20 characters, else its first 19 and …', () => {
    const word = fc.string({
      unit: fc.constantFrom('会', '𠀀', '😀', 'a', '9', '!', '…'),
      minLength: 1,
      maxLength: 45,
      // Long strings too: the default size rarely goes past 20 characters, where cutting starts.
      size: 'max',
    });
    fc.assert(
      fc.property(word, (text) => {
        const chars = Array.from(text);
        const expected = chars.length <= 20 ? text : `${chars.slice(0, 19).join('')}…`;
        expect(fitSubscribeField('thing', text)).toBe(expected);
      }),
    );
  });

  it('phrase, character_string, name: characters of the input only, within the length, stable', () => {
    const within = (fitted: string, text: string, max: number) => {
      expect(length(fitted)).toBeLessThanOrEqual(max);
      for (const char of fitted) expect(text).toContain(char);
    };
    fc.assert(
      fc.property(TEXT, (text) => {
        const phrase = tryFit(() => fitSubscribeField('phrase', text));
        if (phrase !== undefined) {
          within(phrase, text, 5);
          expect(fitSubscribeField('phrase', phrase)).toBe(phrase);
        }
        const code = tryFit(() => fitSubscribeField('character_string', text));
        if (code !== undefined) {
          within(code, text, 32);
          expect(fitSubscribeField('character_string', code)).toBe(code);
        }
        const name = tryFit(() => fitSubscribeField('name', text));
        if (name !== undefined) {
          within(name.replace(/ /g, ''), text, 20);
          expect(fitSubscribeField('name', name)).toBe(name);
        }
      }),
    );
  });

  it('amount reads back as the same fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (fen) => {
        const fitted = fitSubscribeField('amount', fen);
        expect(fitted.startsWith('¥')).toBe(true);
        expect(parseYuanToFen(fitted.slice(1))).toBe(fen);
      }),
    );
  });

  it('time reads back as the same minute in China time', () => {
    const years = { min: new Date('1000-01-01T00:00:00+08:00'), max: new Date('9999-12-31T23:59:59+08:00') };
    fc.assert(
      fc.property(fc.date({ ...years, noInvalidDate: true }), (at) => {
        const fitted = fitSubscribeField('time', at);
        expect(Date.parse(`${fitted.replace(' ', 'T')}:00+08:00`)).toBe(Math.floor(at.getTime() / 60_000) * 60_000);
        const [year, month, day] = fitted.slice(0, 10).split('-').map(Number);
        expect(fitSubscribeField('date', at)).toBe(`${year}年${month}月${day}日`);
      }),
    );
  });
});
