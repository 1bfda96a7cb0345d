// Document predicates. mingo decides every match; but building a mingo Query copies its whole operator table,
// which dominated the cost of a point lookup. So the common simple shapes — scalar equality and numeric or
// string comparisons on top-level fields holding scalars — are decided here, and mingo is compiled (once,
// lazily) only for filters or documents those shapes do not cover.
import type { Document } from 'bson';
import { Query } from 'mingo';
import type { Options } from 'mingo/types';
import { isPlainDocument, valueKey } from './values';

type Verdict = boolean | undefined;
type FastTest = (doc: Document) => Verdict;

const COMPARISONS: Record<string, (a: number | string, b: number | string) => boolean> = {
  $eq: (a, b) => a === b,
  $ne: (a, b) => a !== b,
  $gt: (a, b) => a > b,
  $gte: (a, b) => a >= b,
  $lt: (a, b) => a < b,
  $lte: (a, b) => a <= b,
};

export class Matcher {
  private query?: Query;
  private readonly fast?: FastTest;

  constructor(
    private readonly filter: Document,
    private readonly options?: Partial<Options>,
  ) {
    this.fast = options && Object.keys(options).length > 0 ? undefined : compileFast(filter);
    // Compile now when the fast path cannot decide, so a bad operator fails even on an empty collection.
    if (!this.fast) this.mingo();
  }

  test(doc: Document): boolean {
    const verdict = this.fast?.(doc);
    return verdict ?? this.mingo().test(doc);
  }

  private mingo(): Query {
    this.query ??= new Query(this.filter, this.options);
    return this.query;
  }
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Values whose equality valueKey decides exactly: scalars (not null) and BSON values such as ObjectId or Date. */
function isEqualityValue(v: unknown): boolean {
  if (isScalar(v)) return v !== null;
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !isPlainDocument(v) &&
    !(v instanceof RegExp) &&
    !(v instanceof Uint8Array)
  );
}

/**
 * `$ne` and `$in` with strings or numbers, including over arrays of strings or numbers (the ledger's recent-keys
 * check, status lists). undefined = not a shape handled here; null = handled nowhere fast, ask mingo.
 */
function compileSpecial(field: string, op: string, arg: unknown): FastTest | null | undefined {
  const primitive = (v: unknown): v is string | number =>
    typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v));
  if (op === '$ne') {
    if (!primitive(arg)) return null;
    return (doc) => {
      const v = doc[field];
      if (v === undefined || v === null) return true;
      if (typeof v === typeof arg) return v !== arg;
      if (Array.isArray(v) && v.every(primitive)) return !v.some((e) => typeof e === typeof arg && e === arg);
      return undefined;
    };
  }
  if (op === '$in') {
    if (!Array.isArray(arg) || arg.length === 0 || !arg.every(primitive)) return null;
    const wanted = new Set(arg.map((a) => valueKey(a)));
    return (doc) => {
      const v = doc[field];
      if (primitive(v)) return wanted.has(valueKey(v));
      return undefined;
    };
  }
  return undefined;
}

/** A predicate per field, or undefined when some condition needs mingo. */
function compileFast(filter: Document): FastTest | undefined {
  const tests: FastTest[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.')) return undefined;
    if (isEqualityValue(cond)) {
      const key = valueKey(cond);
      tests.push((doc) => {
        const v = doc[field];
        if (Array.isArray(v) || isPlainDocument(v)) return undefined;
        return valueKey(v) === key;
      });
      continue;
    }
    if (!isPlainDocument(cond)) return undefined;
    const ops = Object.entries(cond);
    if (ops.length === 0) return undefined;
    for (const [op, arg] of ops) {
      const special = compileSpecial(field, op, arg);
      if (special === null) return undefined;
      if (special) {
        tests.push(special);
        continue;
      }
      const compare = COMPARISONS[op];
      if (!compare || !(typeof arg === 'number' || typeof arg === 'string') || op === '$ne') return undefined;
      tests.push((doc) => {
        const v = doc[field];
        // Only same-type scalars compare natively; everything else (arrays, BSON numbers, type brackets) goes to mingo.
        if (typeof v !== typeof arg || (typeof v !== 'number' && typeof v !== 'string')) return undefined;
        if (typeof v === 'number' && Number.isNaN(v)) return undefined;
        return compare(v, arg);
      });
    }
  }
  return (doc) => {
    for (const t of tests) {
      const verdict = t(doc);
      if (verdict !== true) return verdict;
    }
    return true;
  };
}
