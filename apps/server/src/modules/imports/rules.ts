// How each mapped cell becomes a value, one registered rule per field: each takes the cell's text and answers the
// value or the reason (Chinese, shown to the owner) it is refused. Empty cells are "not given" for every field.
// The checks that need the whole file (the same phone twice) are in validate.ts.
import { type ImportField, ImportReasons, parseYuanToFen } from '@member-hub/shared';
import { normalizePhone } from '../../lib/personalData';

export interface ImportRow {
  row: number;
  phone: string | null;
  name: string | null;
  birthday: string | null;
  points: number;
  balanceFen: number;
  tier: string | null;
  externalId: string | null;
}

export interface RuleContext {
  /** Tier names as the owner configured them. */
  tiers: readonly string[];
  /** yyyy-MM-dd, China time: a birthday cannot be later. */
  today: string;
}

type Outcome<T> = { value: T } | { reason: string };

interface FieldRule<F extends ImportField, T> {
  field: F;
  /** The value when the cell is empty. */
  empty: T;
  parse(text: string, ctx: RuleContext): Outcome<T>;
}

const MAX_POINTS = 1_000_000_000;
const MAX_NAME = 32;
const MAX_EXTERNAL_ID = 64;

const phone: FieldRule<'phone', string | null> = {
  field: 'phone',
  empty: null,
  parse(text) {
    // Spaces, dashes, brackets and a +86 are how people write numbers; letters are not.
    if (!/^[\d\s\-+()]+$/.test(text)) return { reason: ImportReasons.phoneInvalid };
    const digits = normalizePhone(text);
    return /^1[3-9]\d{9}$/.test(digits) ? { value: digits } : { reason: ImportReasons.phoneInvalid };
  },
};

const name: FieldRule<'name', string | null> = {
  field: 'name',
  empty: null,
  parse(text) {
    return [...text].length <= MAX_NAME ? { value: text } : { reason: ImportReasons.nameTooLong };
  },
};

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const birthday: FieldRule<'birthday', string | null> = {
  field: 'birthday',
  empty: null,
  parse(text, ctx) {
    // yyyy-MM-dd (also what an Excel date cell reads as), or yyyy/M/d as Excel shows dates in China.
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text);
    if (!match) return { reason: ImportReasons.birthdayInvalid };
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (y < 1900 || !isCalendarDate(y, m, d)) return { reason: ImportReasons.birthdayInvalid };
    const value = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return value <= ctx.today ? { value } : { reason: ImportReasons.birthdayInvalid };
  },
};

const points: FieldRule<'points', number> = {
  field: 'points',
  empty: 0,
  parse(text) {
    if (!/^\d{1,10}$/.test(text)) return { reason: ImportReasons.pointsInvalid };
    const value = Number(text);
    return value <= MAX_POINTS ? { value } : { reason: ImportReasons.pointsInvalid };
  },
};

const balance: FieldRule<'balance', number> = {
  field: 'balance',
  empty: 0,
  parse(text) {
    // "¥1,234.50" is how a balance column often looks; the symbol and separators carry no meaning.
    const plain = text.replace(/^[¥￥]/, '').replace(/,/g, '');
    const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(plain);
    if (!match) return { reason: ImportReasons.balanceInvalid };
    if ((match[2] ?? '').length > 2) return { reason: ImportReasons.balanceDecimals };
    return { value: parseYuanToFen(plain) };
  },
};

const tier: FieldRule<'tier', string | null> = {
  field: 'tier',
  empty: null,
  parse(text, ctx) {
    return ctx.tiers.includes(text) ? { value: text } : { reason: ImportReasons.tierUnknown };
  },
};

const externalId: FieldRule<'externalId', string | null> = {
  field: 'externalId',
  empty: null,
  parse(text) {
    return text.length <= MAX_EXTERNAL_ID ? { value: text } : { reason: ImportReasons.externalIdInvalid };
  },
};

/** Every field's rule, in the order problems are reported. */
export const FIELD_RULES = [phone, externalId, name, birthday, points, balance, tier] as const;

export type FieldValues = {
  [R in (typeof FIELD_RULES)[number] as R['field']]: R['empty'];
};
