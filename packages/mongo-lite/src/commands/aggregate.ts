// aggregate: mingo runs the pipeline; the engine supplies the source (narrowed through an index when the
// pipeline starts with an equality $match), resolves $lookup/$unionWith/$graphLookup against its own
// collections, and performs a trailing $out/$merge itself so those writes go through indexes and the journal.
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { errors, toMongoError } from '../errors';
import type { Collection } from '../storage/collection';
import { withId } from '../storage/update';
import { isPlainDocument } from '../storage/values';
import { queryOptions, runQuery } from './crud';
import { type CommandContext, type CommandDef, documentArray, optionalDocument, optionalNumber } from './registry';

const aggregate: CommandDef = {
  name: 'aggregate',
  fields: ['pipeline', 'cursor', 'explain', 'allowDiskUse', 'hint', 'collation', 'let', 'bypassDocumentValidation'],
  inTransaction: true,
  run(ctx) {
    const { engine, cmd, db } = ctx;
    if (typeof cmd.aggregate !== 'string') {
      throw errors.notImplemented('collection-less aggregate ({aggregate: 1}) is not supported by mongo-lite');
    }
    if (cmd.explain) throw errors.notImplemented('explain is not supported by mongo-lite');
    const cursorOptions = optionalDocument(cmd, 'cursor');
    if (!cursorOptions) {
      throw errors.failedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
    }
    const pipeline = documentArray(cmd, 'pipeline');
    const last = pipeline[pipeline.length - 1];
    const output = last && ('$out' in last || '$merge' in last) ? last : undefined;
    const stages = output ? pipeline.slice(0, -1) : pipeline;
    for (const stage of stages) {
      if ('$out' in stage || '$merge' in stage)
        throw errors.badValue(`${Object.keys(stage)[0]} can only be the final stage in the pipeline`);
    }

    const coll = engine.collection(db, cmd.aggregate);
    const first = stages[0];
    const source =
      first && isPlainDocument(first.$match)
        ? runQuery(coll, first.$match, { options: queryOptions(cmd) })
        : [...(coll?.docs.values() ?? [])];
    let results: Document[];
    try {
      results = new Aggregator(stages, {
        ...queryOptions(cmd),
        collectionResolver: (name: string) => [...(engine.collection(db, name)?.docs.values() ?? [])],
      }).run(source) as Document[];
    } catch (err) {
      throw toMongoError(err);
    }
    if (output) {
      writeOutput(ctx, output, results);
      results = [];
    }
    return ctx.cursors.firstBatch(`${db}.${cmd.aggregate}`, results, optionalNumber(cursorOptions, 'batchSize'));
  },
};

function targetOf(ctx: CommandContext, spec: unknown): { db: string; coll: string } {
  if (typeof spec === 'string') return { db: ctx.db, coll: spec };
  if (isPlainDocument(spec) && typeof spec.coll === 'string') {
    return { db: typeof spec.db === 'string' ? spec.db : ctx.db, coll: spec.coll };
  }
  throw errors.failedToParse('$out/$merge target must be a collection name or {db, coll}');
}

function writeOutput(ctx: CommandContext, stage: Document, results: Document[]): void {
  const { engine } = ctx;
  if ('$out' in stage) {
    const target = targetOf(ctx, stage.$out);
    const coll = engine.collectionForWrite(target.db, target.coll);
    for (const doc of [...coll.docs.values()]) engine.remove(coll, doc, ctx.write);
    for (const doc of results) engine.insert(coll, withId(doc), ctx.write);
    return;
  }
  const spec = isPlainDocument(stage.$merge) ? stage.$merge : { into: stage.$merge };
  const target = targetOf(ctx, spec.into);
  const coll = engine.collectionForWrite(target.db, target.coll);
  const on: string[] = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') throw errors.notImplemented('$merge whenMatched pipelines are not supported');
  for (const doc of results) mergeOne(ctx, coll, doc, on, whenMatched, whenNotMatched);
}

function mergeOne(
  ctx: CommandContext,
  coll: Collection,
  doc: Document,
  on: string[],
  whenMatched: string,
  whenNotMatched: string,
): void {
  const filter: Document = {};
  for (const field of on) filter[field] = doc[field];
  const [existing] = coll.find(filter);
  if (!existing) {
    if (whenNotMatched === 'insert') ctx.engine.insert(coll, withId(doc), ctx.write);
    else if (whenNotMatched === 'fail') {
      throw errors.badValue('$merge could not find a matching document in the target collection');
    } else if (whenNotMatched !== 'discard') throw errors.badValue(`unknown whenNotMatched mode ${whenNotMatched}`);
    return;
  }
  switch (whenMatched) {
    case 'merge':
      ctx.engine.replace(coll, { ...existing, ...doc, _id: existing._id }, ctx.write);
      return;
    case 'replace':
      ctx.engine.replace(coll, { ...doc, _id: existing._id }, ctx.write);
      return;
    case 'keepExisting':
      return;
    case 'fail':
      throw coll.indexes.get('_id_')?.duplicateKeyError(coll.ns, [existing._id]) ?? errors.badValue('duplicate');
    default:
      throw errors.badValue(`unknown whenMatched mode ${whenMatched}`);
  }
}

export const aggregateCommands: CommandDef[] = [aggregate];
