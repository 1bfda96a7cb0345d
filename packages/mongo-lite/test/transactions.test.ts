import { type Db, MongoServerError } from 'mongodb';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let db: Db;

beforeAll(async () => {
  target = await startTarget();
  db = target.client.db(freshDbName('txn'));
  await db.createCollection('accounts');
});
afterAll(async () => {
  await db.dropDatabase();
  await target.stop();
});

const accounts = () => db.collection<{ _id: string; balance: number }>('accounts');

test('withTransaction commits all writes together', async () => {
  await accounts().insertMany([
    { _id: 'a', balance: 100 },
    { _id: 'b', balance: 0 },
  ]);
  const session = target.client.startSession();
  try {
    await session.withTransaction(async () => {
      await accounts().updateOne({ _id: 'a' }, { $inc: { balance: -30 } }, { session });
      await accounts().updateOne({ _id: 'b' }, { $inc: { balance: 30 } }, { session });
      // Reads inside the transaction see its own writes.
      expect((await accounts().findOne({ _id: 'a' }, { session }))?.balance).toBe(70);
    });
  } finally {
    await session.endSession();
  }
  expect(await accounts().find().sort({ _id: 1 }).toArray()).toEqual([
    { _id: 'a', balance: 70 },
    { _id: 'b', balance: 30 },
  ]);
});

test('abortTransaction leaves nothing behind (inserts, updates, deletes)', async () => {
  const session = target.client.startSession();
  session.startTransaction();
  await accounts().insertOne({ _id: 'c', balance: 1 }, { session });
  await accounts().updateOne({ _id: 'a' }, { $set: { balance: 0 } }, { session });
  await accounts().deleteOne({ _id: 'b' }, { session });
  await session.abortTransaction();
  await session.endSession();
  expect(await accounts().find().sort({ _id: 1 }).toArray()).toEqual([
    { _id: 'a', balance: 70 },
    { _id: 'b', balance: 30 },
  ]);
});

test('a duplicate key inside a transaction aborts it', async () => {
  const session = target.client.startSession();
  session.startTransaction();
  await accounts().insertOne({ _id: 'd', balance: 1 }, { session });
  const err = await accounts()
    .insertOne({ _id: 'a', balance: 1 }, { session })
    .catch((e: unknown) => e);
  expect((err as MongoServerError).code).toBe(11000);
  await session.abortTransaction().catch(() => undefined);
  await session.endSession();
  expect(await accounts().countDocuments({ _id: 'd' })).toBe(0);
});

test('a write conflict between transactions carries TransientTransactionError; withTransaction retries', async () => {
  const s1 = target.client.startSession();
  const s2 = target.client.startSession();
  s1.startTransaction();
  s2.startTransaction();
  await accounts().updateOne({ _id: 'a' }, { $inc: { balance: 1 } }, { session: s1 });
  const conflict = await accounts()
    .updateOne({ _id: 'a' }, { $inc: { balance: 1 } }, { session: s2 })
    .catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(MongoServerError);
  expect((conflict as MongoServerError).code).toBe(112);
  expect((conflict as MongoServerError).hasErrorLabel('TransientTransactionError')).toBe(true);
  await s2.abortTransaction().catch(() => undefined);
  await s1.commitTransaction();
  await s1.endSession();
  await s2.endSession();
  expect((await accounts().findOne({ _id: 'a' }))?.balance).toBe(71);

  // Transactions that collide on one document all get through thanks to the driver's retries.
  const runs = Array.from({ length: 5 }, async () => {
    const session = target.client.startSession();
    try {
      await session.withTransaction(async () => {
        await accounts().updateOne({ _id: 'b' }, { $inc: { balance: 1 } }, { session });
        await new Promise((r) => setTimeout(r, 5));
      });
    } finally {
      await session.endSession();
    }
  });
  await Promise.all(runs);
  expect((await accounts().findOne({ _id: 'b' }))?.balance).toBe(35);
});

test('a plain write waits for the transaction holding its document instead of interleaving', async () => {
  const session = target.client.startSession();
  session.startTransaction();
  await accounts().updateOne({ _id: 'a' }, { $set: { balance: 500 } }, { session });
  const plain = accounts().updateOne({ _id: 'a' }, { $inc: { balance: 1 } });
  await new Promise((r) => setTimeout(r, 50));
  await session.commitTransaction();
  await session.endSession();
  await plain;
  expect((await accounts().findOne({ _id: 'a' }))?.balance).toBe(501);
});
