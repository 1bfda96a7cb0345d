// Generators for the fuzz test, from the zod schemas in packages/shared: zod 4 turns a schema into JSON Schema
// (z.toJSONSchema, input side), and this walks that into fast-check arbitraries of two kinds: near-valid values
// (the right shape, real ids where the world has them, so requests reach the handlers) and mutations (one thing
// wrong: a field of the wrong type, a required one missing, a number out of range, a string too long or odd...).
// zod-fast-check, the package that did this for zod 3, supports neither zod 4 nor fast-check 4.
import fc from 'fast-check';
import { z } from 'zod';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as JsonSchema;
}

/** Real values the world holds for a field name (memberId -> real member ids), so near-valid requests find data. */
export type Hints = (field: string) => readonly string[];

interface Walk {
  root: JsonSchema;
  hints: Hints;
  /** The property (or path parameter) the value is for; array items keep their array's name. */
  field: string;
  depth: number;
}

const MAX_DEPTH = 8;

export function walkOf(root: JsonSchema, hints: Hints): Walk {
  return { root, hints, field: '', depth: 0 };
}

function resolve(node: JsonSchema, w: Walk): JsonSchema {
  if (!node.$ref) return node;
  if (node.$ref === '#') return w.root;
  const name = node.$ref.replace(/^#\/\$defs\//, '');
  return w.root.$defs?.[name] ?? {};
}

function typesOf(node: JsonSchema): string[] {
  if (Array.isArray(node.type)) return node.type;
  if (node.type) return [node.type];
  return [];
}

const deeper = (w: Walk, field = w.field): Walk => ({ ...w, field, depth: w.depth + 1 });

// ---- Near-valid ----

/** One UTF-16 unit per character, so string lengths match what zod counts: ASCII, CJK, a little punctuation. */
const textUnit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.') },
  { weight: 2, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('，', '。', '·', '！', '¥', '\u00e9') },
);

function regexOf(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return null;
    }
  }
}

const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

function stringArb(node: JsonSchema, w: Walk): fc.Arbitrary<string> {
  const min = node.minLength ?? 0;
  const max = node.maxLength ?? Math.max(min, 40);
  const re = node.pattern ? regexOf(node.pattern) : null;
  const fits = (s: string) => s.length >= min && s.length <= max && (!re || re.test(s));
  const real = w.hints(w.field).filter(fits);
  let made: fc.Arbitrary<string>;
  if (node.format === 'uri' || node.format === 'url') made = fc.webUrl().filter(fits);
  else if (node.format === 'email') made = fc.emailAddress().filter(fits);
  else if (node.format === 'date-time' || node.format === 'date') {
    const full = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
    made = node.format === 'date' ? full.map((s) => s.slice(0, 10)) : full;
  } else if (node.pattern === DAY_PATTERN) {
    // A day that exists (the schemas refine the pattern so; JSON Schema cannot say it): mostly near these
    // years, so ranges (from <= to, at most a year) come out right; now and then a far one.
    const days = (from: string, to: string) =>
      fc.date({ min: new Date(from), max: new Date(to), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    made = fc.oneof(
      { weight: 3, arbitrary: days('2026-06-01T00:00:00Z', '2027-06-30T00:00:00Z') },
      { weight: 1, arbitrary: days('1900-01-01T00:00:00Z', '2199-12-31T00:00:00Z') },
    );
  } else if (re) {
    made = fc.stringMatching(re).filter((s) => s.length >= min && s.length <= max);
  } else made = fc.string({ minLength: min, maxLength: Math.min(max, min + 24), unit: textUnit });
  if (!real.length) return made;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: made });
}

function boundsOf(node: JsonSchema, integer: boolean): { min: number; max: number } {
  const step = integer ? 1 : Number.EPSILON;
  let min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + step : -1_000_000);
  let max = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - step : 1_000_000);
  if (integer) {
    min = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    max = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
  }
  return { min, max };
}

function integerArb(node: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = boundsOf(node, true);
  if (min > max) return fc.constant(min);
  // Small values most of the time (amounts a shop sees, offsets a member has), the bounds themselves now and then.
  const within = (lo: number, hi: number) =>
    Math.max(min, lo) <= Math.min(max, hi)
      ? fc.integer({ min: Math.max(min, lo), max: Math.min(max, hi) })
      : fc.integer({ min, max });
  return fc.oneof(
    { weight: 3, arbitrary: within(0, 100) },
    { weight: 3, arbitrary: within(-1_000, 100_000) },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  );
}

function numberArb(node: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = boundsOf(node, false);
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

function objectArb(node: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  const props = node.properties ?? {};
  const keys = Object.keys(props);
  const extra = node.additionalProperties;
  if (!keys.length && extra && typeof extra === 'object') {
    // A record: keys from propertyNames (an enum for partial records), values from additionalProperties.
    const keyArb = node.propertyNames
      ? (nearValid(node.propertyNames, deeper(w)) as fc.Arbitrary<string>)
      : fc.string({ minLength: 1, maxLength: 12, unit: textUnit });
    return fc.dictionary(keyArb, nearValid(extra, deeper(w)), { maxKeys: 4 });
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const k of keys) model[k] = nearValid(props[k] ?? {}, deeper(w, k));
  const required = (node.required ?? []).filter((k) => k in props);
  return fc.record(model, { requiredKeys: required });
}

function arrayArb(node: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  if (node.prefixItems) return fc.tuple(...node.prefixItems.map((item) => nearValid(item, deeper(w))));
  const min = node.minItems ?? 0;
  const max = Math.min(node.maxItems ?? 4, min + 4);
  return fc.array(nearValid(node.items ?? {}, deeper(w)), { minLength: min, maxLength: Math.max(min, max) });
}

function mergeAll(nodes: JsonSchema[]): JsonSchema {
  const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
  for (const n of nodes) {
    Object.assign(merged.properties as object, n.properties);
    merged.required = [...(merged.required ?? []), ...(n.required ?? [])];
    if (n.type && n.type !== 'object') return n;
  }
  return merged;
}

/** A value of the right shape: what a well-meaning client would send (refinements across fields aside). */
export function nearValid(raw: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  const node = resolve(raw, w);
  if (w.depth > MAX_DEPTH) return fc.constant(null);
  if ('const' in node) return fc.constant(node.const);
  if (node.enum) return fc.constantFrom(...node.enum);
  const options = node.anyOf ?? node.oneOf;
  if (options) return fc.oneof(...options.map((o) => nearValid(o, w)));
  if (node.allOf) return nearValid(mergeAll(node.allOf), w);
  const types = typesOf(node);
  if (types.length > 1) return fc.oneof(...types.map((t) => nearValid({ ...node, type: t }, w)));
  switch (types[0]) {
    case 'string':
      return stringArb(node, w);
    case 'integer':
      return integerArb(node);
    case 'number':
      return numberArb(node);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'object':
      return objectArb(node, w);
    case 'array':
      return arrayArb(node, w);
    default:
      return node.not ? fc.constant(undefined) : fc.jsonValue({ maxDepth: 2 });
  }
}

// ---- Mutations ----

/** Strings that have hurt servers: control and invisible characters, bidi overrides, emoji, lone surrogates,
 * operator and template syntax, traversal, numbers in disguise. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\u0000',
  'a\u0000b',
  '\u202Eevil\u202C',
  '\u200B',
  '\uFEFF',
  '😀',
  '👨‍👩‍👧‍👦',
  '\uD800',
  'e\u0301\u0301\u0301',
  '𠀀𠀁',
  '１２３',
  '١٢٣',
  '\r\n',
  '\t',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as text is the point
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{"$gt":""}',
  '$where',
  '$gt',
  '../../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%2e%2e%2f',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '-0',
  '1e308',
  '1e-308',
  '0x1f',
  '1.5',
  '9007199254740993',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'x'.repeat(10_000),
  '字'.repeat(5_000),
];

/** Keys that try to reach prototypes or operators, or are just unexpected. */
export const EVIL_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  '$set',
  '',
  ' ',
  'toString',
  'hasOwnProperty',
  'isAdmin',
  'role',
  '_id',
  'memberId.$gt',
];

const WRONG_TYPE_VALUES: readonly unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  true,
  false,
  null,
  '',
  'x',
  '1',
  [],
  [1, 2],
  ['x'],
  {},
  { a: 1 },
  { $gt: '' },
];

function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function wrongType(types: string[]): fc.Arbitrary<unknown> {
  const accepts = (v: unknown) => {
    const t = jsonTypeOf(v);
    return types.includes(t) || (t === 'integer' && types.includes('number'));
  };
  const pool = types.length ? WRONG_TYPE_VALUES.filter((v) => !accepts(v)) : WRONG_TYPE_VALUES;
  return fc.constantFrom(...pool);
}

/** `depth` levels of {"a": ...} or [[...]]: parsers, validators and BSON serialisers recurse. */
export function deepNest(depth: number, kind: 'object' | 'array'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}

const deepValues = fc
  .constantFrom(64, 1_000, 4_000)
  .chain((d) => fc.constantFrom<'object' | 'array'>('object', 'array').map((k) => deepNest(d, k)));

/** Sets an own enumerable property, even one named __proto__ (JSON.stringify then writes it out). */
export function withOwn(base: unknown, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> =
    base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function without(base: unknown, key: string): Record<string, unknown> {
  const out = { ...(base as Record<string, unknown>) };
  delete out[key];
  return out;
}

const oddStrings = fc.constantFrom(...ODD_STRINGS);

const numberLike = fc.constantFrom<unknown>('NaN', 'Infinity', '1e308', '-1', '1.5', '0x10', '', ' 1 ', '1,000', '١');

function invalidString(node: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  const min = node.minLength ?? 0;
  const max = node.maxLength;
  const parts: fc.Arbitrary<unknown>[] = [wrongType(['string']), oddStrings];
  if (min > 0) parts.push(fc.constantFrom('', 'a'.repeat(min - 1), ' '.repeat(min + 1)));
  if (max !== undefined) parts.push(fc.constantFrom('y'.repeat(max + 1), '字'.repeat(max + 1), 'z'.repeat(90_000)));
  else parts.push(fc.constant('z'.repeat(90_000)));
  if (node.pattern || node.format) {
    // A near miss of the real thing: one character more, upper case, a space around it.
    parts.push(
      stringArb(node, w).chain((s) => fc.constantFrom(`${s}x`, s.slice(1), s.toUpperCase(), ` ${s}`, `${s}\u0000`)),
    );
  }
  return fc.oneof(...parts);
}

function invalidNumber(node: JsonSchema, integer: boolean): fc.Arbitrary<unknown> {
  const { min, max } = boundsOf(node, integer);
  const outside: unknown[] = [1e308, -1e308, 2 ** 53 + 2, -(2 ** 53 + 2)];
  if (node.minimum !== undefined || node.exclusiveMinimum !== undefined) outside.push(min - 1, -1, min - 0.5);
  if (node.maximum !== undefined || node.exclusiveMaximum !== undefined) outside.push(max + 1, max * 10 + 1);
  if (integer) outside.push(1.5, 0.1, -0.5, min + 0.5);
  return fc.oneof(wrongType([integer ? 'integer' : 'number']), fc.constantFrom(...outside), numberLike);
}

function invalidObject(node: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  const props = node.properties ?? {};
  const keys = Object.keys(props);
  const required = (node.required ?? []).filter((k) => k in props);
  const valid = objectArb(node, w);
  const parts: fc.WeightedArbitrary<unknown>[] = [
    { weight: 1, arbitrary: wrongType(['object']) },
    { weight: 1, arbitrary: valid.map((v) => [v]) },
    // Extra keys: refused by strict objects, dropped by the rest; a prototype key must do neither harm.
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...EVIL_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ x: 1 })))
        .map(([v, k, x]) => withOwn(v, k, x)),
    },
    // The object itself again under __proto__ and constructor.prototype: a merge that follows them would pollute.
    { weight: 1, arbitrary: valid.map((v) => withOwn(v, '__proto__', { isAdmin: true, points: 1e9 })) },
    { weight: 1, arbitrary: valid.map((v) => withOwn({}, 'constructor', { prototype: v })) },
  ];
  if (required.length)
    parts.push({
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => without(v, k)),
    });
  if (keys.length) {
    // One field wrong, the rest right: the case that says the most, so most of the weight.
    parts.push({
      weight: 6,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...keys))
        .chain(([v, k]) => invalid(props[k] ?? {}, deeper(w, k)).map((bad) => withOwn(v, k, bad))),
    });
    parts.push({
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...keys), deepValues).map(([v, k, deep]) => withOwn(v, k, deep)),
    });
  }
  const values = node.additionalProperties;
  if (values && typeof values === 'object') {
    parts.push({
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...EVIL_KEYS), invalid(values, deeper(w)))
        .map(([v, k, bad]) => withOwn(v, k, bad)),
    });
    parts.push({
      weight: 1,
      arbitrary: fc
        .integer({ min: 1_000, max: 3_000 })
        .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]))),
    });
  }
  return fc.oneof(...parts);
}

function invalidArray(node: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  const item = node.items ?? {};
  const valid = arrayArb(node, w);
  const parts: fc.Arbitrary<unknown>[] = [
    wrongType(['array']),
    valid.map((a) => Object.assign({}, a)),
    fc.tuple(valid, invalid(item, deeper(w))).map(([a, bad]) => [...(a as unknown[]), bad]),
    deepValues,
  ];
  const cap = node.maxItems ?? 5_000;
  parts.push(nearValid(item, deeper(w)).map((v) => Array.from({ length: Math.min(cap + 1, 20_000) }, () => v)));
  if ((node.minItems ?? 0) > 0) parts.push(fc.constant([]));
  return fc.oneof(...parts);
}

/** A value this schema should refuse: one thing wrong, at this level or somewhere below. Best effort: with no
 * constraint to break (a free string, unknown) it gives the worst legal input instead (huge, deep, odd). */
export function invalid(raw: JsonSchema, w: Walk): fc.Arbitrary<unknown> {
  const node = resolve(raw, w);
  if (w.depth > MAX_DEPTH) return wrongType(typesOf(node));
  if ('const' in node) {
    const c = node.const;
    return fc.oneof(wrongType([jsonTypeOf(c)]), fc.constant(typeof c === 'string' ? `${c} ` : `${String(c)}`));
  }
  if (node.enum) {
    const values = node.enum;
    return fc.oneof(
      wrongType(['string']),
      oddStrings,
      fc.constantFrom(...values).chain((e) => fc.constantFrom(`${String(e)} `, String(e).toUpperCase(), `${e}\u200B`)),
    );
  }
  const options = node.anyOf ?? node.oneOf;
  if (options) return fc.oneof(...options.map((o) => invalid(o, w)));
  if (node.allOf) return invalid(mergeAll(node.allOf), w);
  const types = typesOf(node);
  switch (types.length > 1 ? 'union' : types[0]) {
    case 'union':
      return fc.oneof(wrongType(types), ...types.map((t) => invalid({ ...node, type: t }, w)));
    case 'string':
      return invalidString(node, w);
    case 'integer':
      return invalidNumber(node, true);
    case 'number':
      return invalidNumber(node, false);
    case 'boolean':
      return fc.oneof(wrongType(['boolean']), fc.constantFrom('true', 'false', 1, 0, 'yes'));
    case 'null':
      return wrongType(['null']);
    case 'object':
      return invalidObject(node, w);
    case 'array':
      return invalidArray(node, w);
    default:
      return fc.oneof(deepValues, oddStrings, fc.constant(withOwn({}, '__proto__', { polluted: true })));
  }
}
