// One collection: documents by canonical _id key, plus its indexes. Documents are never mutated in place —
// a write replaces the stored object — so cursors can hold references safely while later writes happen.
import type { Document } from 'bson';
import { errors } from '../errors';
import { Index, type IndexSpec } from './indexes';
import { Matcher } from './matcher';
import { isPlainDocument, valueKey } from './values';

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };
/** Cap on the equality combinations the planner expands for a compound index before falling back to a scan. */
const MAX_LOOKUP_KEYS = 1000;

export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, Index>();

  constructor(
    public db: string,
    public name: string,
  ) {
    this.indexes.set(ID_INDEX.name, new Index(ID_INDEX));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Inserts after checking every unique index, so a failed insert changes nothing. */
  insert(doc: Document): void {
    const id = valueKey(doc._id);
    const idIndex = this.indexes.get('_id_') as Index;
    if (this.docs.has(id)) throw idIndex.duplicateKeyError(this.ns, [doc._id]);
    const entries = [...this.indexes.values()].map((index) => {
      const entry = index.keysFor(doc);
      index.checkUnique(this.ns, id, entry);
      return entry;
    });
    [...this.indexes.values()].forEach((index, i) => {
      index.add(id, entries[i] ?? null);
    });
    this.docs.set(id, doc);
  }

  /** Replaces a stored document (same _id), checking unique indexes before touching anything. */
  replace(next: Document): void {
    const id = valueKey(next._id);
    const prev = this.docs.get(id);
    if (!prev) throw new Error(`replace of missing document ${id} in ${this.ns}`);
    const indexes = [...this.indexes.values()];
    const changes = indexes.map((index) => {
      const after = index.keysFor(next);
      index.checkUnique(this.ns, id, after);
      return { before: index.keysFor(prev), after };
    });
    indexes.forEach((index, i) => {
      const change = changes[i];
      if (!change) return;
      index.remove(id, change.before);
      index.add(id, change.after);
    });
    this.docs.set(id, next);
  }

  remove(id: string): Document | undefined {
    const prev = this.docs.get(id);
    if (!prev) return undefined;
    for (const index of this.indexes.values()) index.remove(id, index.keysFor(prev));
    this.docs.delete(id);
    return prev;
  }

  /** Puts a document back exactly as it was (transaction rollback); skips unique checks on purpose. */
  restore(id: string, doc: Document | undefined): void {
    this.remove(id);
    if (!doc) return;
    for (const index of this.indexes.values()) index.add(id, index.keysFor(doc));
    this.docs.set(id, doc);
  }

  /** Builds a new index over existing documents; fails with E11000 (and adds nothing) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) {
      const entry = index.keysFor(doc);
      index.checkUnique(this.ns, id, entry);
      index.add(id, entry);
    }
    this.indexes.set(spec.name, index);
  }

  /** Documents matching `filter`, in natural order. Uses an index for equality filters instead of scanning. */
  find(filter: Document, matcher = new Matcher(filter), max = Number.POSITIVE_INFINITY): Document[] {
    const candidates = this.candidates(filter);
    const out: Document[] = [];
    for (const doc of candidates ?? this.docs.values()) {
      if (out.length >= max) break;
      if (matcher.test(doc)) out.push(doc);
    }
    return out;
  }

  /** A superset of the matches found through an index, or undefined when no index applies. */
  candidates(filter: Document): Document[] | undefined {
    const equalities = equalityConditions(filter);
    if (equalities.size === 0) return undefined;
    const ids = equalities.get('_id');
    if (ids) return this.docsFor(ids.map(valueKey));
    let best: string[] | undefined;
    for (const index of this.indexes.values()) {
      const valueSets = index.fields.map((f) => equalities.get(f));
      if (valueSets.some((v) => v === undefined)) continue;
      const usable = index.complete || (index.spec.sparse && !index.spec.partialFilterExpression);
      if (!usable) continue;
      // A sparse index lacks documents missing the field, which `{field: null}` would match.
      if (!index.complete && valueSets.some((vals) => vals?.some((v) => v === null))) continue;
      const keys = combinations(valueSets as unknown[][]).map((combo) => index.keyOf(combo));
      if (keys.length > MAX_LOOKUP_KEYS) continue;
      const ids = [...new Set(keys.flatMap((key) => index.lookup(key)))];
      if (!best || ids.length < best.length) best = ids;
    }
    return best && this.docsFor(best);
  }

  private docsFor(ids: string[]): Document[] {
    const out: Document[] = [];
    for (const id of new Set(ids)) {
      const doc = this.docs.get(id);
      if (doc) out.push(doc);
    }
    return out;
  }
}

/**
 * Top-level `field: value`, `{$eq}` and `{$in}` conditions (including inside a top-level `$and`), as the
 * candidate values per field. Anything fancier (regex, operators, arrays) is left to the full matcher.
 */
function equalityConditions(filter: Document, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainDocument(sub)) equalityConditions(sub, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    let values: unknown[] | undefined;
    if (isPlainDocument(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      const ops = Object.keys(cond);
      if (ops.length === 1 && ops[0] === '$eq') values = [cond.$eq];
      else if (ops.length === 1 && ops[0] === '$in' && Array.isArray(cond.$in)) values = cond.$in;
    } else values = [cond];
    if (values?.every(indexableValue)) out.set(field, values);
  }
  return out;
}

function indexableValue(v: unknown): boolean {
  return !Array.isArray(v) && !(v instanceof RegExp) && (v === null || typeof v !== 'object' || !hasOperator(v));
}

function hasOperator(v: object): boolean {
  return isPlainDocument(v) && Object.keys(v).some((k) => k.startsWith('$'));
}

function combinations(valueSets: unknown[][]): unknown[][] {
  let combos: unknown[][] = [[]];
  for (const vals of valueSets) combos = combos.flatMap((combo) => vals.map((v) => [...combo, v]));
  return combos;
}

export function assertValidCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('$') || name.includes('\0')) {
    throw errors.invalidNamespace(`Invalid collection name: ${String(name)}`);
  }
}
