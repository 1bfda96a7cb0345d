import { type Db, MongoServerError } from 'mongodb';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let db: Db;

beforeAll(async () => {
  target = await startTarget({ ttlSweepMs: 100 });
  db = target.client.db(freshDbName('idx'));
});
afterAll(async () => {
  await db.dropDatabase();
  await target.stop();
});

async function dupError(promise: Promise<unknown>): Promise<MongoServerError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
}

test('unique single-field index: exact E11000 shape on insert, update and findOneAndUpdate', async () => {
  const coll = db.collection('users');
  expect(await coll.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
  await coll.insertOne({ email: 'a@x.cn' });
  await coll.insertOne({ email: 'b@x.cn' });

  const insertErr = await dupError(coll.insertOne({ email: 'a@x.cn' }));
  expect(insertErr.code).toBe(11000);
  expect(insertErr.keyPattern).toEqual({ email: 1 });
  expect(insertErr.keyValue).toEqual({ email: 'a@x.cn' });
  expect(insertErr.message).toBe(
    `E11000 duplicate key error collection: ${db.databaseName}.users index: email_1 dup key: { email: "a@x.cn" }`,
  );

  const updateErr = await dupError(coll.updateOne({ email: 'b@x.cn' }, { $set: { email: 'a@x.cn' } }));
  expect(updateErr.code).toBe(11000);
  const famErr = await dupError(coll.findOneAndUpdate({ email: 'b@x.cn' }, { $set: { email: 'a@x.cn' } }));
  expect(famErr.code).toBe(11000);
  expect(famErr.keyValue).toEqual({ email: 'a@x.cn' });
  expect(await coll.countDocuments({ email: 'b@x.cn' })).toBe(1);
});

test('compound unique index only rejects the full key', async () => {
  const coll = db.collection('members');
  await coll.createIndex({ shop: 1, phone: 1 }, { unique: true });
  await coll.insertMany([
    { shop: 's1', phone: '1' },
    { shop: 's2', phone: '1' },
  ]);
  const err = await dupError(coll.insertOne({ shop: 's1', phone: '1' }));
  expect(err.keyPattern).toEqual({ shop: 1, phone: 1 });
  expect(err.keyValue).toEqual({ shop: 's1', phone: '1' });
  expect(err.message).toContain('index: shop_1_phone_1 dup key: { shop: "s1", phone: "1" }');
});

test('unique index build fails on existing duplicates; missing fields collide unless sparse', async () => {
  const coll = db.collection('prebuilt');
  await coll.insertMany([{ k: 1 }, { k: 1 }, { other: 1 }, { other: 2 }]);
  const err = await dupError(coll.createIndex({ k: 1 }, { unique: true }));
  expect(err.code).toBe(11000);
  await coll.deleteOne({ k: 1 });
  await dupError(coll.createIndex({ k: 1 }, { unique: true }));
  await coll.createIndex({ k: 1 }, { unique: true, sparse: true });
  await coll.insertOne({ nothing: true });
  await dupError(coll.insertOne({ k: 1 }));
});

test('partial unique index only constrains matching documents', async () => {
  const coll = db.collection('partial');
  await coll.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
  await coll.insertMany([
    { code: 'x', active: false },
    { code: 'x', active: false },
    { code: 'x', active: true },
  ]);
  const err = await dupError(coll.insertOne({ code: 'x', active: true }));
  expect(err.code).toBe(11000);
  expect(await coll.countDocuments({ code: 'x' })).toBe(3);
});

test('listIndexes, idempotent createIndexes, conflicts and dropIndexes', async () => {
  const coll = db.collection('catalog');
  await coll.createIndexes([{ key: { a: 1 } }, { key: { b: -1 }, name: 'b_desc', unique: true }]);
  await coll.createIndex({ a: 1 });
  const indexes = await coll.listIndexes().toArray();
  expect(indexes.map((i) => i.name)).toEqual(['_id_', 'a_1', 'b_desc']);
  expect(indexes[2]).toMatchObject({ key: { b: -1 }, unique: true, v: 2 });
  const conflict = await coll.createIndex({ a: 1 }, { name: 'a_1', unique: true }).catch((e: unknown) => e);
  expect((conflict as MongoServerError).code).toBe(85);
  await coll.dropIndex('a_1');
  const missing = await coll.dropIndex('a_1').catch((e: unknown) => e);
  expect((missing as MongoServerError).code).toBe(27);
  await coll.dropIndexes();
  expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  const noColl = await db
    .collection('nope')
    .listIndexes()
    .toArray()
    .catch((e: unknown) => e);
  expect((noColl as MongoServerError).code).toBe(26);
});

test('multikey index answers equality on array elements', async () => {
  const coll = db.collection('tags');
  await coll.createIndex({ tags: 1 });
  await coll.insertMany([{ tags: ['a', 'b'] }, { tags: ['b'] }, { tags: 'c' }]);
  expect(await coll.countDocuments({ tags: 'b' })).toBe(2);
  expect(await coll.countDocuments({ tags: { $in: ['a', 'c'] } })).toBe(2);
});

test('TTL index removes expired documents', async () => {
  const coll = db.collection('sessions');
  await coll.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
  await coll.insertMany([
    { at: new Date(Date.now() - 60_000) },
    { at: new Date(Date.now() + 3_600_000) },
    { at: 'not a date' },
  ]);
  // mongo-lite sweeps every 100 ms here; a real mongod sweeps every 60 s, so only wait on mongo-lite.
  if (!target.lite) return;
  const deadline = Date.now() + 3000;
  while ((await coll.countDocuments()) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(await coll.countDocuments()).toBe(2);
});

test('indexed equality lookups do not scan the collection (mongo-lite internals)', async () => {
  if (!target.lite) return;
  const coll = db.collection('big');
  await coll.createIndex({ code: 1 });
  await coll.createIndex({ shop: 1, n: 1 });
  await coll.insertMany(Array.from({ length: 5000 }, (_, n) => ({ code: `c${n}`, shop: n % 10, n })));
  const stored = target.lite.engine.collection(db.databaseName, 'big');
  expect(stored?.candidates({ code: 'c42' })).toHaveLength(1);
  expect(stored?.candidates({ code: { $in: ['c1', 'c2'] }, other: { $gt: 1 } })).toHaveLength(2);
  expect(stored?.candidates({ shop: 3, n: 3 })).toHaveLength(1);
  expect(stored?.candidates({ $and: [{ shop: 4 }, { n: 14 }] })).toHaveLength(1);
  expect(stored?.candidates({ code: /c1/ })).toBeUndefined();
  expect(await coll.findOne({ code: 'c4999' }, { projection: { n: 1, _id: 0 } })).toEqual({ n: 4999 });
});
