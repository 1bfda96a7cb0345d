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

/** A predicate per field, or undefined when some condition needs mingo. */
function compileFast(filter: Document): FastTest | undefined {
  const tests: FastTest[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.')) return undefined;
    if (isScalar(cond) && cond !== null) {
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
