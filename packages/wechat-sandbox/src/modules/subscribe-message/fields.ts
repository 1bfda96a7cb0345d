/**
 * What a subscription message's values may be, by the type of their keyword (WeChat's 参数值内容限制): the key
 * names the type (`thing1` is a thing, `character_string6` a character_string). Lengths count characters (code
 * points), so one emoji or one rare Han character is one, as a phone shows it.
 */
export const SUBSCRIBE_FIELD_TYPES = [
  'thing',
  'number',
  'amount',
  'time',
  'date',
  'phrase',
  'character_string',
  'name',
] as const;
export type SubscribeFieldType = (typeof SUBSCRIBE_FIELD_TYPES)[number];

const KEY = /^([a-z_]+?)(\d+)$/;

/** The type of a template keyword from its key (`thing1` -> thing), or undefined for a key of no known type. */
export function subscribeFieldTypeOf(key: string): SubscribeFieldType | undefined {
  const prefix = KEY.exec(key)?.[1];
  return SUBSCRIBE_FIELD_TYPES.find((type) => type === prefix);
}

const HAN = /\p{Script=Han}/u;
const PHRASE = /^\p{Script=Han}{1,5}$/u;
const CHARACTER_STRING = /^[0-9A-Za-z_-]{1,32}$/;
const NUMBER = /^\d+(?:\.\d+)?$/;
/** One currency sign (or none), up to 10 digits, up to 2 decimals, and an optional 元 at the end. */
const AMOUNT = /^[¥￥]?\d{1,10}(?:\.\d{1,2})?元?$/;
/** A Chinese name: Han characters, Latin letters mixed in count as Chinese, `·` between parts (阿依古丽·买买提). */
const CHINESE_NAME = /^[\p{Script=Han}A-Za-z·]{1,10}$/u;
/** A Latin-script name: letters and the symbols names use, at least one letter. */
const LATIN_NAME = /^(?=.*[A-Za-z])[A-Za-z .'·-]{1,20}$/;

const CLOCK = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const DATE = String.raw`(?:(?<dy>\d{4})-(?<dm>\d{1,2})-(?<dd>\d{1,2})|(?<cy>\d{4})年(?<cm>\d{1,2})月(?<cd>\d{1,2})日)`;
/** `2026-12-02 15:01`, `2026年12月2日 15:01`, `2026-12-02`, `2026年12月2日`, `15:01`; seconds optional. */
const MOMENT = new RegExp(`^(?:${DATE}(?: ${CLOCK})?|${CLOCK})$`);

function isMoment(text: string): boolean {
  const groups = MOMENT.exec(text)?.groups;
  if (!groups) return false;
  const year = groups.dy ?? groups.cy;
  if (year === undefined) return true;
  const month = Number(groups.dm ?? groups.cm);
  const day = Number(groups.dd ?? groups.cd);
  // A real calendar day: 2026-02-30 is not one.
  const date = new Date(Date.UTC(Number(year), month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** time and date take one moment or a span of two joined by `~` (e.g. `15:01~16:30`). */
function isTimeOrSpan(value: string): boolean {
  const parts = value.split('~').map((part) => part.trim());
  return parts.length <= 2 && parts.every(isMoment);
}

const RULES: Record<SubscribeFieldType, (value: string) => boolean> = {
  // Any text of 1 to 20 characters; not blank, no control characters (a line break cannot show on the card).
  thing: (value) => [...value].length <= 20 && value.trim() !== '' && !/\p{Cc}/u.test(value),
  number: (value) => NUMBER.test(value) && value.replace('.', '').length <= 32,
  amount: (value) => AMOUNT.test(value),
  time: isTimeOrSpan,
  date: isTimeOrSpan,
  phrase: (value) => PHRASE.test(value),
  character_string: (value) => CHARACTER_STRING.test(value),
  name: (value) => (HAN.test(value) ? CHINESE_NAME.test(value) : LATIN_NAME.test(value)),
};

/** Whether WeChat takes `value` for a keyword of `type`. */
export function isValidSubscribeValue(type: SubscribeFieldType, value: string): boolean {
  return RULES[type](value);
}
