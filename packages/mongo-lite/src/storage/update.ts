// Turns an update spec (operators, replacement document or pipeline) into the next version of a document, and
// builds upserted documents. mingo applies the operators; this file adds what mingo leaves to the server:
// $setOnInsert, _id immutability, MongoDB's parse errors, and the upsert seed taken from the filter.
import { type Document, ObjectId } from 'bson';
import { update as mingoUpdate, updateOne as mingoUpdateOne } from 'mingo';
import type { Modifier, PipelineStage } from 'mingo/updater';
import { errors } from '../errors';
import { cloneDocument, isPlainDocument, valueKey } from './values';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$rename',
  '$min',
  '$max',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
  '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

interface UpdateOptions {
  arrayFilters?: Document[];
  /** The statement's filter, which gives the positional `$` operator its meaning. */
  filter: Document;
}

/** Validates an update spec up front so a bad operator fails before any document changes. */
export function checkUpdateSpec(spec: unknown): asserts spec is UpdateSpec {
  if (Array.isArray(spec)) return;
  if (!isPlainDocument(spec)) throw errors.failedToParse('Update argument must be either an object or an array');
  const keys = Object.keys(spec);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length > 0 && operators.length < keys.length) {
    throw errors.failedToParse(`Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}`);
  }
  for (const op of operators) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw errors.failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainDocument(spec[op])) throw errors.failedToParse(`Modifiers operate on fields but we found another type`);
  }
}

function isOperatorUpdate(spec: UpdateSpec): boolean {
  return !Array.isArray(spec) && Object.keys(spec).some((k) => k.startsWith('$'));
}

/** The updated copy of `doc`, or null when the update changes nothing. */
export function applyUpdate(doc: Document, spec: UpdateSpec, options: UpdateOptions): Document | null {
  const next = computeUpdate(doc, spec, options, false);
  if (valueKey(next._id) !== valueKey(doc._id)) throw errors.immutableField('_id');
  return valueKey(next) === valueKey(doc) ? null : next;
}

/** The document an upsert inserts: the filter's equality fields, then the update (with $setOnInsert). */
export function buildUpsert(filter: Document, spec: UpdateSpec, options: UpdateOptions): Document {
  let doc: Document;
  if (Array.isArray(spec) || isOperatorUpdate(spec)) {
    // _id goes in directly: mingo's $set treats _id as immutable even on an empty seed.
    const { _id, ...equalities } = upsertEqualities(filter);
    const seed: Document = _id === undefined ? {} : { _id };
    if (Object.keys(equalities).length > 0) mingoUpdate(seed, { $set: equalities });
    // No filter here: mingo applies an update only to documents matching its condition, and the seed need not
    // match the filter (`{until: {$lte: t}}` seeds nothing for `until`), yet the update must still apply.
    doc = computeUpdate(seed, spec, { ...options, filter: {} }, true);
  } else {
    doc = { ...(spec as Document) };
    const filterId = upsertEqualities(filter)._id;
    if (doc._id === undefined && filterId !== undefined) doc._id = filterId;
  }
  return withId(doc);
}

/** Puts `_id` first, generating an ObjectId when missing, as mongod does on insert. */
export function withId(doc: Document): Document {
  if (doc._id !== undefined && Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id ?? new ObjectId(), ...rest };
}

function computeUpdate(doc: Document, spec: UpdateSpec, options: UpdateOptions, inserting: boolean): Document {
  const next = cloneDocument(doc);
  if (Array.isArray(spec)) {
    const docs = [next];
    run(() => mingoUpdateOne(docs, {}, spec as PipelineStage[]));
    return docs[0] as Document;
  }
  if (!isOperatorUpdate(spec)) {
    if (spec._id !== undefined && valueKey(spec._id) !== valueKey(doc._id)) throw errors.immutableField('_id');
    return { _id: doc._id, ...spec };
  }
  const { $setOnInsert, ...operators } = spec as Document;
  const modifier: Document =
    inserting && $setOnInsert ? { ...operators, $set: { ...$setOnInsert, ...operators.$set } } : operators;
  if (Object.keys(modifier).length > 0) {
    // The filter only matters to the positional `$` operator; without one, passing it would make mingo compile
    // and run a Query on every update, for nothing (the engine already matched the document).
    const condition = usesPositional(modifier) ? options.filter : undefined;
    run(() => mingoUpdate(next, modifier as Modifier<Document>, options.arrayFilters, condition));
  }
  return next;
}

/** Whether any path of an operator update uses the positional `$` (`a.$`, `a.$.b`), not `$[]` or `$[id]`. */
function usesPositional(modifier: Document): boolean {
  return Object.values(modifier).some(
    (fields) => isPlainDocument(fields) && Object.keys(fields).some((path) => /(^|\.)\$(\.|$)/.test(path)),
  );
}

function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes("immutable field '_id'")) throw errors.immutableField('_id');
    throw errors.badValue(message);
  }
}

/** `{a: 1, b: {$eq: 2}, $and: [{c: 3}]}` -> `{a: 1, b: 2, c: 3}`: what an upsert copies from its filter. */
function upsertEqualities(filter: Document, out: Document = {}): Document {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainDocument(sub)) upsertEqualities(sub, out);
    } else if (!field.startsWith('$')) {
      if (isPlainDocument(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
        if ('$eq' in cond) out[field] = cond.$eq;
      } else out[field] = cond;
    }
  }
  return out;
}
