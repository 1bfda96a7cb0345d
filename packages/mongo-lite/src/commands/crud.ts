// Document commands: insert, find, getMore, killCursors, update, delete, findAndModify, count, distinct.
import type { Document } from 'bson';
import { Query } from 'mingo';
import type { Options } from 'mingo/types';
import { errors, toMongoError } from '../errors';
import type { Collection } from '../storage/collection';
import { LockConflict } from '../storage/engine';
import { Matcher } from '../storage/matcher';
import { includeFields, simpleInclusion } from '../storage/projection';
import { applyUpdate, buildUpsert, checkUpdateSpec, type UpdateSpec, withId } from '../storage/update';
import { pathValues, valueKey } from '../storage/values';
import {
  type CommandContext,
  type CommandDef,
  checkSubFields,
  documentArray,
  optionalDocument,
  optionalNumber,
  stringArg,
} from './registry';

/**
 * Runs one write statement. Statements check every lock they need before changing anything, so on a
 * LockConflict nothing happened: outside a transaction we wait for the lock holder to finish and rerun; inside
 * one it is a WriteConflict, which the driver answers by retrying the whole transaction.
 */
async function statement<T>(ctx: CommandContext, fn: () => T): Promise<T> {
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof LockConflict)) throw err;
      if (ctx.txn) throw errors.writeConflict();
      ctx.engine.flush();
      await err.owner.done;
    }
  }
}

/** A statement's failure as a `writeErrors` entry; transient transaction errors fail the whole command. */
function writeError(index: number, err: unknown): Document {
  const e = toMongoError(err);
  if (e.errorLabels.length > 0) throw e;
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}

export function queryOptions(cmd: Document): Partial<Options> {
  const collation = optionalDocument(cmd, 'collation') as Options['collation'] | undefined;
  const variables = optionalDocument(cmd, 'let');
  return { ...(collation && { collation }), ...(variables && { variables }) };
}

/** Matching documents, sorted, skipped, limited and projected. Filters/sorts run through mingo. */
export function runQuery(
  coll: Collection | undefined,
  filter: Document,
  opts: { sort?: Document; skip?: number; limit?: number; projection?: Document; options?: Partial<Options> },
): Document[] {
  // Compile first so a bad operator fails even when the collection does not exist.
  const matcher = new Matcher(filter, opts.options);
  if (!coll) return [];
  const hasSort = opts.sort !== undefined && Object.keys(opts.sort).length > 0;
  const skip = opts.skip ?? 0;
  const max = !hasSort && opts.limit ? skip + opts.limit : undefined;
  let docs = coll.find(filter, matcher, max);
  if (hasSort)
    docs = new Query({}, opts.options)
      .find<Document>(docs)
      .sort(opts.sort as never)
      .all();
  if (skip || opts.limit) docs = docs.slice(skip, opts.limit ? skip + opts.limit : undefined);
  if (opts.projection && Object.keys(opts.projection).length > 0) {
    const simple = simpleInclusion(opts.projection);
    docs = simple
      ? docs.map((doc) => includeFields(doc, simple))
      : new Query({}, opts.options).find<Document>(docs, opts.projection).all();
  }
  return docs;
}

function project(doc: Document | null, fields: Document | undefined): Document | null {
  if (!doc || !fields || Object.keys(fields).length === 0) return doc;
  const simple = simpleInclusion(fields);
  if (simple) return includeFields(doc, simple);
  return new Query({}).find<Document>([doc], fields).all()[0] ?? null;
}

const insert: CommandDef = {
  name: 'insert',
  fields: ['documents', 'ordered', 'bypassDocumentValidation'],
  inTransaction: true,
  retryableWrite: true,
  async run(ctx) {
    const { engine, cmd, db } = ctx;
    const coll = engine.collectionForWrite(db, stringArg(cmd, 'insert'));
    const docs = documentArray(cmd, 'documents');
    const ordered = cmd.ordered !== false;
    const writeErrors: Document[] = [];
    let n = 0;
    for (const [index, doc] of docs.entries()) {
      try {
        await statement(ctx, () => engine.insert(coll, withId(doc), ctx.write));
        n++;
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  },
};

const UPDATE_STATEMENT_FIELDS = ['q', 'u', 'upsert', 'multi', 'arrayFilters', 'collation', 'hint', 'c', 'sort'];

const update: CommandDef = {
  name: 'update',
  fields: ['updates', 'ordered', 'bypassDocumentValidation', 'let'],
  inTransaction: true,
  retryableWrite: true,
  async run(ctx) {
    const { engine, cmd, db } = ctx;
    const collName = stringArg(cmd, 'update');
    const statements = documentArray(cmd, 'updates');
    const ordered = cmd.ordered !== false;
    const writeErrors: Document[] = [];
    const upserted: Document[] = [];
    let n = 0;
    let nModified = 0;
    for (const [index, stmt] of statements.entries()) {
      try {
        checkSubFields('update.updates', stmt, UPDATE_STATEMENT_FIELDS);
        const filter = optionalDocument(stmt, 'q') ?? {};
        checkUpdateSpec(stmt.u);
        const spec: UpdateSpec = stmt.u;
        const arrayFilters = stmt.arrayFilters as Document[] | undefined;
        const multi = stmt.multi === true;
        if (multi && !Array.isArray(spec) && !Object.keys(spec).some((k) => k.startsWith('$'))) {
          throw errors.failedToParse('multi update is not supported for replacement-style update');
        }
        const result = await statement(ctx, () => {
          const coll = engine.collection(db, collName);
          const options = { ...queryOptions(cmd), ...queryOptions({ collation: stmt.collation }) };
          let targets = runQuery(coll, filter, { sort: stmt.sort, options });
          if (!multi) targets = targets.slice(0, 1);
          if (targets.length === 0) {
            if (stmt.upsert !== true) return { n: 0, modified: 0 };
            const doc = buildUpsert(filter, spec, { arrayFilters, filter });
            engine.insert(engine.collectionForWrite(db, collName), doc, ctx.write);
            return { n: 1, modified: 0, upsertedId: doc._id };
          }
          const target = coll as Collection;
          engine.assertUnlocked(target, targets, ctx.write);
          const nexts = targets.map((doc) => applyUpdate(doc, spec, { arrayFilters, filter }));
          let modified = 0;
          for (const next of nexts) {
            if (!next) continue;
            engine.replace(target, next, ctx.write);
            modified++;
          }
          return { n: targets.length, modified };
        });
        n += result.n;
        nModified += result.modified;
        if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    const reply: Document = { n, nModified, ok: 1 };
    if (upserted.length > 0) reply.upserted = upserted;
    if (writeErrors.length > 0) reply.writeErrors = writeErrors;
    return reply;
  },
};

const del: CommandDef = {
  name: 'delete',
  fields: ['deletes', 'ordered', 'let'],
  inTransaction: true,
  retryableWrite: true,
  async run(ctx) {
    const { engine, cmd, db } = ctx;
    const collName = stringArg(cmd, 'delete');
    const statements = documentArray(cmd, 'deletes');
    const ordered = cmd.ordered !== false;
    const writeErrors: Document[] = [];
    let n = 0;
    for (const [index, stmt] of statements.entries()) {
      try {
        checkSubFields('delete.deletes', stmt, ['q', 'limit', 'collation', 'hint']);
        const filter = optionalDocument(stmt, 'q') ?? {};
        const limit = optionalNumber(stmt, 'limit') ?? 0;
        if (limit !== 0 && limit !== 1)
          throw errors.failedToParse(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
        n += await statement(ctx, () => {
          const coll = engine.collection(db, collName);
          if (!coll) return 0;
          let targets = runQuery(coll, filter, { options: queryOptions({ collation: stmt.collation }) });
          if (limit === 1) targets = targets.slice(0, 1);
          engine.assertUnlocked(coll, targets, ctx.write);
          for (const doc of targets) engine.remove(coll, doc, ctx.write);
          return targets.length;
        });
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  },
};

const findAndModify: CommandDef = {
  name: 'findAndModify',
  aliases: ['findandmodify'],
  fields: [
    'query',
    'sort',
    'remove',
    'update',
    'new',
    'fields',
    'upsert',
    'arrayFilters',
    'bypassDocumentValidation',
    'collation',
    'hint',
    'let',
  ],
  inTransaction: true,
  retryableWrite: true,
  run(ctx) {
    const { engine, cmd, db } = ctx;
    const collName = stringArg(cmd, Object.keys(cmd)[0] as string);
    const filter = optionalDocument(cmd, 'query') ?? {};
    const remove = cmd.remove === true;
    if (remove === (cmd.update !== undefined)) {
      throw errors.failedToParse('Either an update or remove=true must be specified');
    }
    if (remove && cmd.upsert) throw errors.failedToParse('Cannot specify both an upsert and remove=true');
    const fields = optionalDocument(cmd, 'fields');
    const arrayFilters = cmd.arrayFilters as Document[] | undefined;
    if (!remove) checkUpdateSpec(cmd.update);
    return statement(ctx, () => {
      const coll = engine.collection(db, collName);
      const [target] = runQuery(coll, filter, {
        sort: optionalDocument(cmd, 'sort'),
        limit: 1,
        options: queryOptions(cmd),
      });
      if (remove) {
        if (target && coll) engine.remove(coll, target, ctx.write);
        return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target ?? null, fields), ok: 1 };
      }
      const spec: UpdateSpec = cmd.update;
      if (target && coll) {
        engine.assertUnlocked(coll, [target], ctx.write);
        const next = applyUpdate(target, spec, { arrayFilters, filter });
        if (next) engine.replace(coll, next, ctx.write);
        const value = cmd.new === true ? (next ?? target) : target;
        return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(value, fields), ok: 1 };
      }
      if (cmd.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
      const doc = buildUpsert(filter, spec, { arrayFilters, filter });
      engine.insert(engine.collectionForWrite(db, collName), doc, ctx.write);
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
        value: cmd.new === true ? project(doc, fields) : null,
        ok: 1,
      };
    });
  },
};

const find: CommandDef = {
  name: 'find',
  fields: [
    'filter',
    'projection',
    'sort',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'hint',
    'collation',
    'let',
    'allowDiskUse',
    'noCursorTimeout',
    'allowPartialResults',
    'readOnce',
  ],
  inTransaction: true,
  run(ctx) {
    const { engine, cmd, db } = ctx;
    const collName = stringArg(cmd, 'find');
    const rawLimit = optionalNumber(cmd, 'limit') ?? 0;
    const skip = optionalNumber(cmd, 'skip') ?? 0;
    if (skip < 0) throw errors.badValue('SKIP value must be non-negative');
    const docs = runQuery(engine.collection(db, collName), optionalDocument(cmd, 'filter') ?? {}, {
      sort: optionalDocument(cmd, 'sort'),
      skip,
      limit: Math.abs(rawLimit),
      projection: optionalDocument(cmd, 'projection'),
      options: queryOptions(cmd),
    });
    const singleBatch = cmd.singleBatch === true || rawLimit < 0;
    return ctx.cursors.firstBatch(`${db}.${collName}`, docs, optionalNumber(cmd, 'batchSize'), singleBatch);
  },
};

const getMore: CommandDef = {
  name: 'getMore',
  fields: ['collection', 'batchSize', 'term', 'lastKnownCommittedOpTime'],
  inTransaction: true,
  run(ctx) {
    const id = optionalNumber(ctx.cmd, 'getMore') ?? 0;
    const ns = `${ctx.db}.${stringArg(ctx.cmd, 'collection')}`;
    return ctx.cursors.getMore(id, ns, optionalNumber(ctx.cmd, 'batchSize'));
  },
};

const killCursors: CommandDef = {
  name: 'killCursors',
  fields: ['cursors'],
  inTransaction: true,
  run(ctx) {
    const ids = (ctx.cmd.cursors as unknown[]).map((id) => Number(id));
    const { killed, notFound } = ctx.cursors.kill(ids);
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },
};

const count: CommandDef = {
  name: 'count',
  fields: ['query', 'limit', 'skip', 'hint', 'collation', 'fields'],
  run(ctx) {
    const { engine, cmd, db } = ctx;
    const coll = engine.collection(db, stringArg(cmd, 'count'));
    const query = optionalDocument(cmd, 'query') ?? {};
    const skip = optionalNumber(cmd, 'skip') ?? 0;
    const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
    let n =
      Object.keys(query).length === 0
        ? (coll?.docs.size ?? 0)
        : runQuery(coll, query, { options: queryOptions(cmd) }).length;
    n = Math.max(0, n - skip);
    if (limit > 0) n = Math.min(n, limit);
    return { n, ok: 1 };
  },
};

const distinct: CommandDef = {
  name: 'distinct',
  fields: ['key', 'query', 'collation', 'hint'],
  inTransaction: true,
  run(ctx) {
    const { engine, cmd, db } = ctx;
    const key = stringArg(cmd, 'key');
    const docs = runQuery(engine.collection(db, stringArg(cmd, 'distinct')), optionalDocument(cmd, 'query') ?? {}, {
      options: queryOptions(cmd),
    });
    const seen = new Map<string, unknown>();
    for (const doc of docs) {
      for (const v of pathValues(doc, key)) if (v !== undefined && !seen.has(valueKey(v))) seen.set(valueKey(v), v);
    }
    return { values: [...seen.values()], ok: 1 };
  },
};

export const crudCommands: CommandDef[] = [
  insert,
  update,
  del,
  findAndModify,
  find,
  getMore,
  killCursors,
  count,
  distinct,
];
