// Subscription message values, fitted to the rule of their keyword's type (WeChat's 参数值内容限制) before sending:
// a value that breaks its rule makes WeChat refuse the whole message (47003). Lengths count code points, as
// WeChat counts characters, so an emoji or a rare Han character (outside the BMP) is one, not two.
import { CHINA_OFFSET_MS } from './chinaTime';
import { assertFen } from './money';

/** What each keyword type is fitted from. */
export interface SubscribeFieldInput {
  /** Any text: cut to 20 characters, ending in `…` when cut. */
  thing: string;
  /** Han characters only, at most 5 (配送中): everything else is dropped. */
  phrase: string;
  /** Letters, digits, `_` and `-`, at most 32 (coupon codes, order numbers). */
  character_string: string;
  /** A person's name: 10 characters when it has Han characters, else 20 Latin letters. */
  name: string;
  /** A non-negative integer (points). */
  number: number;
  /** Integer fen, non-negative: `¥12.34`. */
  amount: number;
  /** A moment, shown in China time to the minute: `2026-12-02 15:01`. */
  time: Date;
  /** A day in China: `2026年12月2日`. */
  date: Date;
}

export type SubscribeFieldType = keyof SubscribeFieldInput;

/** One keyword's value with its type, e.g. `{ type: 'amount', value: 1234 }`. */
export type SubscribeFieldValue = {
  [T in SubscribeFieldType]: { type: T; value: SubscribeFieldInput[T] };
}[SubscribeFieldType];

const THING_MAX = 20;
const ELLIPSIS = '…';
const HAN = /\p{Script=Han}/u;
const CHARACTER_STRING_CHAR = /[0-9A-Za-z_-]/;
const CHINESE_NAME_CHAR = /[\p{Script=Han}A-Za-z·]/u;
const LATIN_NAME_CHAR = /[A-Za-z .'·-]/;
/** 10 digits of yuan at most. */
const MAX_AMOUNT_FEN = 10_000_000_000 * 100 - 1;

/** Nothing of the value survives the rule (e.g. a phrase with no Han character). Never carries the value. */
export class SubscribeFieldError extends RangeError {
  constructor(
    readonly type: SubscribeFieldType,
    reason: string,
  ) {
    super(`cannot fit a ${type} value: ${reason}`);
    this.name = 'SubscribeFieldError';
  }
}

const FITTERS: { [T in SubscribeFieldType]: (value: SubscribeFieldInput[T]) => string } = {
  thing(value) {
    // A line break or tab cannot show on the card: runs of white space become one space.
    const text = value
      .replace(/\p{Cc}/gu, (char) => (/\s/u.test(char) ? ' ' : ''))
      .replace(/\s+/gu, ' ')
      .trim();
    if (text === '') throw new SubscribeFieldError('thing', 'blank');
    const chars = Array.from(text);
    if (chars.length <= THING_MAX) return text;
    return `${chars
      .slice(0, THING_MAX - 1)
      .join('')
      .trimEnd()}${ELLIPSIS}`;
  },
  phrase: (value) => keep('phrase', value, HAN, 5),
  character_string: (value) => keep('character_string', value, CHARACTER_STRING_CHAR, 32),
  name(value) {
    if (HAN.test(value)) return keep('name', value, CHINESE_NAME_CHAR, 10);
    // Filtered before spaces are collapsed, so a dropped character leaves no double space behind.
    const letters = Array.from(value.replace(/\s/gu, ' '))
      .filter((char) => LATIN_NAME_CHAR.test(char))
      .join('')
      .replace(/ +/g, ' ')
      .trim();
    const latin = Array.from(letters).slice(0, 20).join('').trimEnd();
    if (!/[A-Za-z]/.test(latin)) throw new SubscribeFieldError('name', 'no letters');
    return latin;
  },
  number(value) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new SubscribeFieldError('number', 'not a non-negative safe integer');
    }
    return String(value);
  },
  amount(fen) {
    assertFen(fen);
    if (fen < 0 || fen > MAX_AMOUNT_FEN) throw new SubscribeFieldError('amount', 'negative or over 10 digits of yuan');
    return `¥${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  },
  time(at) {
    const { day, clock } = chinaParts('time', at);
    return `${day.year}-${pad(day.month)}-${pad(day.day)} ${clock}`;
  },
  date(at) {
    const { day } = chinaParts('date', at);
    return `${day.year}年${day.month}月${day.day}日`;
  },
};

/** `value` as WeChat takes it for a keyword of `type`; throws SubscribeFieldError when nothing of it fits. */
export function fitSubscribeField<T extends SubscribeFieldType>(type: T, value: SubscribeFieldInput[T]): string {
  return FITTERS[type](value);
}

/** A message's `data` values, keyword by keyword: `{ thing1: { type: 'thing', value } }` -> `{ thing1: '…' }`. */
export function fitSubscribeData(fields: Record<string, SubscribeFieldValue>): Record<string, string> {
  // SubscribeFieldValue pairs each type with its input; TypeScript cannot see that through the union, hence the cast.
  const fit = (field: SubscribeFieldValue) =>
    (FITTERS[field.type] as (value: typeof field.value) => string)(field.value);
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, fit(field)]));
}

/** The characters of `value` that `allowed` matches, the first `max` of them. */
function keep(type: SubscribeFieldType, value: string, allowed: RegExp, max: number): string {
  const kept = Array.from(value)
    .filter((char) => allowed.test(char))
    .slice(0, max)
    .join('');
  if (kept === '') throw new SubscribeFieldError(type, 'no allowed characters');
  return kept;
}

function chinaParts(type: 'time' | 'date', at: Date) {
  const shifted = new Date(at.getTime() + CHINA_OFFSET_MS);
  const year = shifted.getUTCFullYear();
  // WeChat's date forms have four-digit years.
  if (Number.isNaN(year) || year < 1000 || year > 9999) throw new SubscribeFieldError(type, 'not a date in 1000-9999');
  return {
    day: { year, month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() },
    clock: `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
