// Databases, collections and indexes: listDatabases, dropDatabase, create, drop, listCollections,
// renameCollection, createIndexes, listIndexes, dropIndexes.
import { calculateObjectSize, type Document } from 'bson';
import { Query } from 'mingo';
import { errors, MongoError } from '../errors';
import { assertValidCollectionName, type Collection } from '../storage/collection';
import { defaultIndexName, INDEX_OPTIONS, type IndexSpec } from '../storage/indexes';
import { isPlainDocument, valueKey } from '../storage/values';
import {
  type CommandContext,
  type CommandDef,
  documentArray,
  optionalDocument,
  optionalNumber,
  stringArg,
} from './registry';

function existing(ctx: CommandContext, name: string): Collection {
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw errors.namespaceNotFound(`ns does not exist: ${ctx.db}.${name}`);
  return coll;
}

function filtered(docs: Document[], filter: Document | undefined): Document[] {
  return filter ? new Query(filter).find<Document>(docs).all() : docs;
}

const listDatabases: CommandDef = {
  name: 'listDatabases',
  fields: ['filter', 'nameOnly', 'authorizedDatabases'],
  run(ctx) {
    const databases = ctx.engine.databaseNames().map((name) => {
      let size = 0;
      for (const coll of ctx.engine.collections(name))
        for (const doc of coll.docs.values()) size += calculateObjectSize(doc);
      return ctx.cmd.nameOnly ? { name } : { name, sizeOnDisk: size, empty: size === 0 };
    });
    const list = filtered(databases, optionalDocument(ctx.cmd, 'filter'));
    const totalSize = list.reduce((sum, d) => sum + (d.sizeOnDisk ?? 0), 0);
    return { databases: list, totalSize, totalSizeMb: Math.floor(totalSize / 1048576), ok: 1 };
  },
};

const dropDatabase: CommandDef = {
  name: 'dropDatabase',
  fields: [],
  run(ctx) {
    ctx.engine.dropDatabase(ctx.db);
    return { dropped: ctx.db, ok: 1 };
  },
};

const create: CommandDef = {
  name: 'create',
  fields: [],
  inTransaction: true,
  run(ctx) {
    const name = ctx.cmd.create;
    assertValidCollectionName(name);
    ctx.engine.createCollection(ctx.db, name);
    return { ok: 1 };
  },
};

const drop: CommandDef = {
  name: 'drop',
  fields: [],
  run(ctx) {
    const name = stringArg(ctx.cmd, 'drop');
    const coll = ctx.engine.collection(ctx.db, name);
    // Since MongoDB 7.0 dropping a missing collection succeeds.
    if (!coll) return { ok: 1 };
    const nIndexesWas = coll.indexes.size;
    ctx.engine.dropCollection(ctx.db, name);
    return { ns: coll.ns, nIndexesWas, ok: 1 };
  },
};

const listCollections: CommandDef = {
  name: 'listCollections',
  fields: ['filter', 'nameOnly', 'authorizedCollections', 'cursor'],
  inTransaction: true,
  run(ctx) {
    const infos = ctx.engine.collections(ctx.db).map((coll) =>
      ctx.cmd.nameOnly
        ? { name: coll.name, type: 'collection' }
        : {
            name: coll.name,
            type: 'collection',
            options: {},
            info: { readOnly: false },
            idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
          },
    );
    const docs = filtered(infos, optionalDocument(ctx.cmd, 'filter'));
    const batchSize = optionalNumber(optionalDocument(ctx.cmd, 'cursor') ?? {}, 'batchSize');
    return ctx.cursors.firstBatch(`${ctx.db}.$cmd.listCollections`, docs, batchSize);
  },
};

function splitNamespace(ns: unknown): { db: string; coll: string } {
  if (typeof ns !== 'string' || !ns.includes('.'))
    throw errors.invalidNamespace(`Invalid namespace specified '${String(ns)}'`);
  const dot = ns.indexOf('.');
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

const renameCollection: CommandDef = {
  name: 'renameCollection',
  fields: ['to', 'dropTarget', 'stayTemp'],
  run(ctx) {
    const from = splitNamespace(ctx.cmd.renameCollection);
    const to = splitNamespace(ctx.cmd.to);
    assertValidCollectionName(to.coll);
    const coll = ctx.engine.collection(from.db, from.coll);
    if (!coll) throw errors.namespaceNotFound('Source collection does not exist');
    ctx.engine.renameCollection(coll, to.db, to.coll, ctx.cmd.dropTarget === true);
    return { ok: 1 };
  },
};

function normalizeIndexSpec(raw: Document): IndexSpec {
  for (const field of Object.keys(raw)) {
    if (!INDEX_OPTIONS.has(field)) {
      throw new MongoError(
        197,
        'InvalidIndexSpecificationOption',
        `The field '${field}' is not valid for an index specification.`,
      );
    }
  }
  const key = raw.key;
  if (!isPlainDocument(key) || Object.keys(key).length === 0)
    throw errors.badValue('Index key pattern must be a non-empty object');
  for (const [field, dir] of Object.entries(key)) {
    if (dir !== 1 && dir !== -1) {
      throw new MongoError(
        67,
        'CannotCreateIndex',
        `mongo-lite supports only ascending/descending indexes, not ${field}: ${JSON.stringify(dir)}`,
      );
    }
  }
  const spec: IndexSpec = { v: 2, key, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key) };
  if (raw.unique) spec.unique = true;
  if (raw.sparse) spec.sparse = true;
  if (raw.partialFilterExpression) spec.partialFilterExpression = raw.partialFilterExpression;
  if (raw.expireAfterSeconds !== undefined) spec.expireAfterSeconds = Number(raw.expireAfterSeconds);
  if (raw.collation) spec.collation = raw.collation;
  if (raw.hidden) spec.hidden = true;
  return spec;
}

const createIndexes: CommandDef = {
  name: 'createIndexes',
  fields: ['indexes', 'commitQuorum'],
  inTransaction: true,
  run(ctx) {
    const name = stringArg(ctx.cmd, 'createIndexes');
    const specs = documentArray(ctx.cmd, 'indexes').map(normalizeIndexSpec);
    const createdCollectionAutomatically = !ctx.engine.collection(ctx.db, name);
    const coll = ctx.engine.collectionForWrite(ctx.db, name);
    const numIndexesBefore = coll.indexes.size;
    for (const spec of specs) {
      const sameName = coll.indexes.get(spec.name);
      if (sameName) {
        if (valueKey(sameName.spec) === valueKey(spec)) continue;
        if (valueKey(sameName.spec.key) !== valueKey(spec.key)) {
          throw errors.indexKeySpecsConflict(
            `An existing index has the same name as the requested index but a different key: ${spec.name}`,
          );
        }
        throw errors.indexOptionsConflict(
          `An existing index has the same name as the requested index but different options: ${spec.name}`,
        );
      }
      const sameKey = [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(spec.key));
      if (sameKey && !spec.partialFilterExpression && !sameKey.spec.partialFilterExpression) {
        throw errors.indexOptionsConflict(`Index already exists with a different name: ${sameKey.name}`);
      }
      ctx.engine.createIndex(coll, spec);
    }
    const reply: Document = {
      numIndexesBefore,
      numIndexesAfter: coll.indexes.size,
      createdCollectionAutomatically,
      ok: 1,
    };
    if (coll.indexes.size === numIndexesBefore) reply.note = 'all indexes already exist';
    return reply;
  },
};

const listIndexes: CommandDef = {
  name: 'listIndexes',
  fields: ['cursor'],
  inTransaction: true,
  run(ctx) {
    const coll = existing(ctx, stringArg(ctx.cmd, 'listIndexes'));
    const specs = [...coll.indexes.values()].map((i) => i.spec);
    const batchSize = optionalNumber(optionalDocument(ctx.cmd, 'cursor') ?? {}, 'batchSize');
    return ctx.cursors.firstBatch(coll.ns, specs, batchSize);
  },
};

const dropIndexes: CommandDef = {
  name: 'dropIndexes',
  aliases: ['deleteIndexes'],
  fields: ['index'],
  run(ctx) {
    const coll = existing(ctx, stringArg(ctx.cmd, Object.keys(ctx.cmd)[0] as string));
    const nIndexesWas = coll.indexes.size;
    const which = ctx.cmd.index;
    let names: string[];
    if (which === '*') names = [...coll.indexes.keys()].filter((n) => n !== '_id_');
    else if (typeof which === 'string') names = [which];
    else if (Array.isArray(which)) names = which.map(String);
    else if (isPlainDocument(which)) {
      const match = [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(which));
      if (!match) throw errors.indexNotFound(`can't find index with key: ${JSON.stringify(which)}`);
      names = [match.name];
    } else throw errors.typeMismatch("BSON field 'index' must be a string, array or object");
    for (const name of names) {
      if (name === '_id_') throw errors.invalidOptions('cannot drop _id index');
      if (!coll.indexes.has(name)) throw errors.indexNotFound(`index not found with name [${name}]`);
    }
    for (const name of names) ctx.engine.dropIndex(coll, name);
    return { nIndexesWas, ok: 1 };
  },
};

export const catalogCommands: CommandDef[] = [
  listDatabases,
  dropDatabase,
  create,
  drop,
  listCollections,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
];
