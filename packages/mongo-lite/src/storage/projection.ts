// Projections. Simple inclusions are decided here; the rest is mingo's (see commands/crud.ts runQuery).
import type { Document } from 'bson';

/**
 * `{a: 1, b: 1}` (optionally `_id: 0`) on top-level fields: decided here, because building a mingo Query for it
 * costs more than the lookup itself. Anything else (dotted paths, exclusions, operators) goes to mingo.
 */
export function simpleInclusion(projection: Document): { fields: Set<string>; withId: boolean } | null {
  const fields = new Set<string>();
  let withId = true;
  for (const [field, value] of Object.entries(projection)) {
    if (field === '_id') {
      if (value === 0 || value === false) withId = false;
      else if (value !== 1 && value !== true) return null;
      continue;
    }
    if (field.includes('.') || field.startsWith('$') || (value !== 1 && value !== true)) return null;
    fields.add(field);
  }
  return fields.size > 0 ? { fields, withId } : null;
}

/** The included fields in the document's own order, as MongoDB returns them; _id first unless excluded. */
export function includeFields(doc: Document, { fields, withId }: { fields: Set<string>; withId: boolean }): Document {
  const out: Document = {};
  if (withId && doc._id !== undefined) out._id = doc._id;
  for (const key of Object.keys(doc)) if (key !== '_id' && fields.has(key)) out[key] = doc[key];
  return out;
}
