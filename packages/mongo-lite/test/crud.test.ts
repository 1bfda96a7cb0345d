import { type Db, type Document, Long, MongoServerError, ObjectId } from 'mongodb';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let db: Db;

beforeAll(async () => {
  target = await startTarget();
  db = target.client.db(freshDbName('crud'));
});
afterAll(async () => {
  await db.dropDatabase();
  await target.stop();
});

describe('insert and find', () => {
  test('inserts, generates _id and finds with filter, projection, sort, skip, limit', async () => {
    const coll = db.collection('people');
    const res = await coll.insertMany([
      { name: 'ann', age: 31, tags: ['a', 'b'], address: { city: 'x' } },
      { name: 'bob', age: 25, tags: ['b'], address: { city: 'y' } },
      { name: 'cid', age: 40, tags: [], address: { city: 'x' } },
      { name: 'dee', age: 25 },
    ]);
    expect(res.insertedCount).toBe(4);
    expect(Object.values(res.insertedIds).every((id) => id instanceof ObjectId)).toBe(true);

    const adults = await coll
      .find({ age: { $gte: 25 } }, { projection: { _id: 0, name: 1 } })
      .sort({ age: -1, name: 1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(adults).toEqual([{ name: 'ann' }, { name: 'bob' }]);
    expect(await coll.countDocuments({ 'address.city': 'x' })).toBe(2);
    expect(await coll.countDocuments({ tags: 'b' })).toBe(2);
    expect(await coll.findOne({ name: { $in: ['dee', 'zed'] } }, { projection: { age: 1, _id: 0 } })).toEqual({
      age: 25,
    });
    expect(await coll.findOne({ name: 'nobody' })).toBeNull();
    expect(await db.collection('missing').find({}).toArray()).toEqual([]);
  });

  test('duplicate _id is a write error with code 11000 and insertMany ordered/unordered semantics', async () => {
    const coll = db.collection('dups');
    await coll.insertOne({ _id: 1 as never, v: 1 });
    const err = await coll.insertOne({ _id: 1 as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    expect((err as MongoServerError).message).toMatch(
      /E11000 duplicate key error collection: .*dups index: _id_ dup key: \{ _id: 1 \}/,
    );

    const ordered = await coll.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }] as never[]).catch((e: unknown) => e);
    expect((ordered as MongoServerError).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(2);
    await coll.insertMany([{ _id: 4 }, { _id: 1 }, { _id: 5 }] as never[], { ordered: false }).catch(() => undefined);
    expect(await coll.countDocuments()).toBe(4);
  });

  test('keeps BSON types: ObjectId, Date, Long, nested arrays', async () => {
    const coll = db.collection('types');
    const id = new ObjectId();
    const when = new Date('2024-01-02T03:04:05.000Z');
    await coll.insertOne({ ref: id, when, big: Long.fromString('9007199254740993'), grid: [[1, 2], [3]] });
    const doc = await coll.findOne({ ref: id });
    expect(doc?.when).toEqual(when);
    expect(String(doc?.big)).toBe('9007199254740993');
    expect(doc?.grid).toEqual([[1, 2], [3]]);
    expect(await coll.countDocuments({ when: { $gt: new Date('2024-01-01') } })).toBe(1);
  });

  test('cursors stream across many batches, and killCursors/close releases them', async () => {
    const coll = db.collection('many');
    await coll.insertMany(Array.from({ length: 2500 }, (_, i) => ({ i })));
    const seen: number[] = [];
    for await (const doc of coll.find({}, { batchSize: 100 }).sort({ i: 1 })) seen.push(doc.i as number);
    expect(seen).toHaveLength(2500);
    expect(seen[2499]).toBe(2499);

    const cursor = coll.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
    const killed = await db.command({ killCursors: 'many', cursors: [Long.fromNumber(987654)] });
    expect(killed.cursorsNotFound).toHaveLength(1);
    const agg = await coll.aggregate([{ $match: { i: { $lt: 450 } } }], { batchSize: 7 }).toArray();
    expect(agg).toHaveLength(450);
  });
});

describe('update', () => {
  test('updateOne / updateMany / replaceOne with operators', async () => {
    const coll = db.collection('upd');
    await coll.insertMany([
      { _id: 1, n: 1, list: [1, 2], sub: { a: 1 } },
      { _id: 2, n: 5, list: [] },
    ] as never[]);
    const one = await coll.updateOne({ _id: 1 } as never, {
      $inc: { n: 2 },
      $push: { list: 3 } as never,
      $set: { 'sub.b': 2 },
      $unset: { 'sub.a': '' },
      $currentDate: { touched: true },
    });
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const doc = await coll.findOne({ _id: 1 } as never);
    expect(doc).toMatchObject({ n: 3, list: [1, 2, 3], sub: { b: 2 } });
    expect(doc?.touched).toBeInstanceOf(Date);

    const noop = await coll.updateOne({ _id: 2 } as never, { $set: { n: 5 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const many = await coll.updateMany({}, { $addToSet: { list: 9 }, $max: { n: 4 } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const replaced = await coll.replaceOne({ _id: 2 } as never, { fresh: true });
    expect(replaced.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 2 } as never)).toEqual({ _id: 2, fresh: true });
  });

  test('upserts copy filter equalities and apply $setOnInsert only on insert', async () => {
    const coll = db.collection('ups');
    const first = await coll.updateOne(
      { key: 'k1', kind: { $eq: 'a' } },
      { $inc: { hits: 1 }, $setOnInsert: { created: 'yes' } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    await coll.updateOne(
      { key: 'k1', kind: 'a' },
      { $inc: { hits: 1 }, $setOnInsert: { created: 'again' } },
      { upsert: true },
    );
    expect(await coll.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({
      key: 'k1',
      kind: 'a',
      hits: 2,
      created: 'yes',
    });
    const repl = await coll.replaceOne({ _id: 'custom' as never }, { v: 1 }, { upsert: true });
    expect(repl.upsertedId).toBe('custom');
  });

  test('an upsert whose filter has range conditions still applies its update to the new document', async () => {
    const coll = db.collection('leases');
    const until = new Date(1_000);
    const res = await coll.updateOne(
      { _id: 'job' as never, until: { $lte: new Date(500) } },
      { $set: { holder: 'a', until } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    expect(await coll.findOne({ _id: 'job' as never })).toEqual({ _id: 'job', holder: 'a', until });
    // The lease is held: the same upsert now finds no match and its insert collides on _id, as on MongoDB.
    await expect(
      coll.updateOne(
        { _id: 'job' as never, until: { $lte: new Date(500) } },
        { $set: { holder: 'b', until } },
        { upsert: true },
      ),
    ).rejects.toMatchObject({ code: 11000 });
  });

  test('arrayFilters, positional $ and pipeline updates', async () => {
    const coll = db.collection('arrays');
    await coll.insertOne({
      _id: 1,
      grades: [
        { g: 80, m: 1 },
        { g: 95, m: 1 },
        { g: 70, m: 1 },
      ],
      xs: [1, 2, 3],
    } as never);
    await coll.updateOne(
      { _id: 1 } as never,
      { $set: { 'grades.$[hi].m': 2 } },
      { arrayFilters: [{ 'hi.g': { $gte: 90 } }] },
    );
    await coll.updateOne({ _id: 1, xs: 2 } as never, { $set: { 'xs.$': 20 } });
    await coll.updateOne({ _id: 1 } as never, [{ $set: { total: { $sum: '$grades.g' } } }]);
    const doc = await coll.findOne({ _id: 1 } as never);
    expect(doc?.grades.map((g: Document) => g.m)).toEqual([1, 2, 1]);
    expect(doc?.xs).toEqual([1, 20, 3]);
    expect(doc?.total).toBe(245);
  });

  test('changing _id is refused', async () => {
    const coll = db.collection('immut');
    await coll.insertOne({ _id: 1 as never });
    const err = await coll.updateOne({ _id: 1 } as never, { $set: { _id: 2 } }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(66);
  });
});

describe('delete, findAndModify, count, distinct', () => {
  test('deleteOne / deleteMany', async () => {
    const coll = db.collection('del');
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await coll.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({})).deletedCount).toBe(2);
  });

  test('findOneAndUpdate / Replace / Delete with sort, projection, upsert, returnDocument', async () => {
    const coll = db.collection('fam');
    await coll.insertMany([
      { q: 1, rank: 2 },
      { q: 1, rank: 1 },
    ]);
    const before = await coll.findOneAndUpdate(
      { q: 1 },
      { $set: { hit: true } },
      { sort: { rank: 1 }, projection: { rank: 1, _id: 0 } },
    );
    expect(before).toEqual({ rank: 1 });
    const after = await coll.findOneAndUpdate({ q: 1, rank: 1 }, { $inc: { rank: 10 } }, { returnDocument: 'after' });
    expect(after?.rank).toBe(11);
    const upserted = await coll.findOneAndUpdate(
      { q: 9 },
      { $set: { v: 1 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(upserted.value).toMatchObject({ q: 9, v: 1 });
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    const none = await coll.findOneAndUpdate({ q: 404 }, { $set: { v: 1 } });
    expect(none).toBeNull();
    const replaced = await coll.findOneAndReplace({ q: 9 }, { q: 9, replaced: true }, { returnDocument: 'after' });
    expect(replaced).toMatchObject({ replaced: true });
    const removed = await coll.findOneAndDelete({ q: 9 });
    expect(removed?.replaced).toBe(true);
    expect(await coll.countDocuments({ q: 9 })).toBe(0);
  });

  test('count command, estimatedDocumentCount and distinct', async () => {
    const coll = db.collection('cnt');
    await coll.insertMany([{ c: 'a', t: [1, 2] }, { c: 'b', t: [2] }, { c: 'a' }]);
    expect(await coll.estimatedDocumentCount()).toBe(3);
    expect((await db.command({ count: 'cnt', query: { c: 'a' } })).n).toBe(2);
    expect((await db.command({ count: 'cnt', query: {}, skip: 1, limit: 1 })).n).toBe(1);
    expect((await coll.distinct('c')).sort()).toEqual(['a', 'b']);
    expect((await coll.distinct('t', { c: 'a' })).sort()).toEqual([1, 2]);
  });
});

describe('catalog commands', () => {
  test('create, listCollections, renameCollection, drop, listDatabases, dropDatabase', async () => {
    const other = target.client.db(freshDbName('cat'));
    await other.createCollection('a');
    const exists = await other.command({ create: 'a' }).catch((e: unknown) => e);
    expect((exists as MongoServerError).code).toBe(48);
    await other.collection('b').insertOne({ x: 1 });
    const names = (await other.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['a', 'b']);
    expect(await other.listCollections({ name: 'b' }, { nameOnly: true }).toArray()).toEqual([
      { name: 'b', type: 'collection' },
    ]);
    await other.renameCollection('b', 'c');
    expect(await other.collection('c').countDocuments()).toBe(1);
    const missing = await other.renameCollection('nope', 'zzz').catch((e: unknown) => e);
    expect((missing as MongoServerError).code).toBe(26);
    expect(await other.collection('a').drop()).toBe(true);
    const dbs = await target.client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(other.databaseName);
    await other.dropDatabase();
    const after = await target.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(other.databaseName);
  });

  test('ping, buildInfo, serverStatus, hello', async () => {
    const admin = target.client.db('admin');
    expect((await admin.command({ ping: 1 })).ok).toBe(1);
    expect((await admin.command({ buildInfo: 1 })).versionArray).toHaveLength(4);
    expect((await admin.command({ serverStatus: 1 })).ok).toBe(1);
    const hello = await admin.command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(typeof hello.setName).toBe('string');
  });
});

describe('strictness', () => {
  test('unknown command, operator and option fail with MongoDB-shaped errors', async () => {
    const unknownCommand = await db.command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(unknownCommand).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    const unknownQueryOp = await db
      .collection('strict')
      .find({ a: { $frob: 1 } })
      .toArray()
      .catch((e: unknown) => e);
    expect((unknownQueryOp as MongoServerError).code).toBe(2);
    const unknownTopOp = await db
      .collection('strict')
      .find({ $frob: 1 })
      .toArray()
      .catch((e: unknown) => e);
    expect((unknownTopOp as MongoServerError).code).toBe(2);
    await db.collection('strict').insertOne({ a: 1 });
    const unknownModifier = await db
      .collection('strict')
      .updateOne({}, { $frob: { a: 1 } } as never)
      .catch((e: unknown) => e);
    expect((unknownModifier as MongoServerError).code).toBe(9);
    const unknownStage = await db
      .collection('strict')
      .aggregate([{ $frob: {} }])
      .toArray()
      .catch((e: unknown) => e);
    expect(unknownStage).toBeInstanceOf(MongoServerError);
    const unknownOption = await db.command({ find: 'strict', filter: {}, frobnicate: true }).catch((e: unknown) => e);
    expect((unknownOption as MongoServerError).code).toBe(40415);
    const badCursor = await db
      .command({ getMore: Long.fromNumber(424242), collection: 'strict' })
      .catch((e: unknown) => e);
    expect((badCursor as MongoServerError).code).toBe(43);
  });
});
