// Value helpers shared by indexes, the query planner and error messages: canonical equality keys that treat
// 1, 1.0 and Long(1) alike (as MongoDB's index key comparison does), multikey path expansion, cloning.
import { type Document, deserialize, serialize } from 'bson';

interface BsonValue {
  _bsontype: string;
  toString(format?: string): string;
}

export function isBsonValue(v: unknown): v is BsonValue {
  return typeof v === 'object' && v !== null && '_bsontype' in v;
}

/** A plain embedded document: not an array, not a BSON type, not a Date/RegExp. */
export function isPlainDocument(v: unknown): v is Document {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !isBsonValue(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !(v instanceof Uint8Array)
  );
}

/** A string that is equal for two values exactly when MongoDB considers them equal. */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'number':
      return `n${v === 0 ? 0 : v}`;
    case 'string':
      return `s${v}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'bigint':
      return `n${Number(v)}`;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${String(v)}`;
  if (Array.isArray(v)) return `[${v.map((e) => JSON.stringify(valueKey(e))).join(',')}]`;
  if (isBsonValue(v)) {
    switch (v._bsontype) {
      case 'ObjectId':
        return `o${v.toString('hex')}`;
      case 'Long':
      case 'Int32':
      case 'Double':
      case 'Decimal128':
        return `n${Number(v.toString())}`;
      case 'Binary':
        return `x${(v as unknown as { sub_type: number }).sub_type}:${v.toString('base64')}`;
      default:
        return `${v._bsontype}:${JSON.stringify(v)}`;
    }
  }
  const entries = Object.entries(v as Document).map(([k, e]) => `${JSON.stringify(k)}:${JSON.stringify(valueKey(e))}`);
  return `{${entries.join(',')}}`;
}

/**
 * Every value a dotted path reaches, expanding arrays the way a multikey index does. A missing field yields
 * `undefined` (indexed as null), and an empty array at the leaf yields `undefined` too.
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const e of value) out.push(e);
    } else out.push(value);
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    let found = false;
    for (const e of value) {
      if (isPlainDocument(e)) {
        found = true;
        collect(e[part], parts, i + 1, out);
      }
    }
    if (!found) out.push(undefined);
    return;
  }
  if (isPlainDocument(value)) collect(value[part], parts, i + 1, out);
  else out.push(undefined);
}

/** Deep copy that keeps BSON types intact (structuredClone would strip ObjectId's prototype). */
export function cloneDocument<T extends Document>(doc: T): T {
  return deserialize(serialize(doc)) as T;
}

/** Renders a value the way MongoDB's E11000 messages do, e.g. `{ email: "a@b.c" }`. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (isBsonValue(v)) {
    if (v._bsontype === 'ObjectId') return `ObjectId('${v.toString('hex')}')`;
    return v.toString();
  }
  const entries = Object.entries(v as Document).map(([k, e]) => `${k}: ${formatValue(e)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
