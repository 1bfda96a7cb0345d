// Hash indexes: canonical key -> document ids. They enforce unique constraints and answer equality lookups;
// range queries and sorts fall back to scanning (fine at this engine's scale).
import type { Document } from 'bson';
import { Query } from 'mingo';
import { MongoError } from '../errors';
import { formatValue, pathValues, valueKey } from './values';

export interface IndexSpec extends Document {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** Options createIndexes accepts; anything else is rejected rather than silently ignored. */
export const INDEX_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'ns',
  'collation',
  'hidden',
]);

interface IndexEntryKeys {
  keys: string[];
  /** The field values behind each key, for the E11000 `keyValue`. */
  values: unknown[][];
}

export class Index {
  readonly fields: string[];
  private readonly partial?: Query;
  /** key -> one id, or a set of ids when a non-unique key repeats (saves a Set per distinct key). */
  private readonly entries = new Map<string, string | Set<string>>();

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression);
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Whether equality lookups may use this index: a partial or sparse index does not hold every document. */
  get complete(): boolean {
    return !this.partial && this.spec.sparse !== true;
  }

  /** The keys a document is filed under, or null when a sparse/partial index leaves it out. */
  keysFor(doc: Document): IndexEntryKeys | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const perField = this.fields.map((f) => pathValues(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return null;
    let combos: unknown[][] = [[]];
    for (const vals of perField) {
      const next: unknown[][] = [];
      for (const combo of combos) for (const v of vals) next.push([...combo, v]);
      combos = next;
    }
    const seen = new Set<string>();
    const out: IndexEntryKeys = { keys: [], values: [] };
    for (const combo of combos) {
      const key = this.keyOf(combo);
      if (seen.has(key)) continue;
      seen.add(key);
      out.keys.push(key);
      out.values.push(combo);
    }
    return out;
  }

  keyOf(values: unknown[]): string {
    return values.length === 1 ? valueKey(values[0]) : JSON.stringify(values.map(valueKey));
  }

  /** Throws the exact MongoDB duplicate-key error if another document already holds one of these keys. */
  checkUnique(ns: string, id: string, entry: IndexEntryKeys | null): void {
    if (!this.unique || !entry) return;
    entry.keys.forEach((key, i) => {
      const holder = this.entries.get(key);
      if (holder === undefined) return;
      const other = typeof holder === 'string' ? holder : holder.values().next().value;
      if (other !== id) throw this.duplicateKeyError(ns, entry.values[i] as unknown[]);
    });
  }

  duplicateKeyError(ns: string, values: unknown[]): MongoError {
    const keyValue: Document = {};
    this.fields.forEach((f, i) => {
      keyValue[f] = values[i] ?? null;
    });
    return new MongoError(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: ${formatValue(keyValue)}`,
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }

  add(id: string, entry: IndexEntryKeys | null): void {
    if (!entry) return;
    for (const key of entry.keys) {
      const holder = this.entries.get(key);
      if (holder === undefined) this.entries.set(key, id);
      else if (typeof holder === 'string') {
        if (holder !== id) this.entries.set(key, new Set([holder, id]));
      } else holder.add(id);
    }
  }

  remove(id: string, entry: IndexEntryKeys | null): void {
    if (!entry) return;
    for (const key of entry.keys) {
      const holder = this.entries.get(key);
      if (holder === id) this.entries.delete(key);
      else if (holder instanceof Set) {
        holder.delete(id);
        if (holder.size === 1) this.entries.set(key, holder.values().next().value as string);
      }
    }
  }

  lookup(key: string): string[] {
    const holder = this.entries.get(key);
    if (holder === undefined) return [];
    return typeof holder === 'string' ? [holder] : [...holder];
  }
}

/** MongoDB's default index name: `a_1_b_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${v}`)
    .join('_');
}
