import type { Db } from 'mongodb';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let db: Db;

beforeAll(async () => {
  target = await startTarget();
  db = target.client.db(freshDbName('conc'));
});
afterAll(async () => {
  await db.dropDatabase();
  await target.stop();
});

test('200 concurrent conditional decrements never overdraw', async () => {
  const wallets = db.collection<{ _id: string; balance: number }>('wallets');
  await wallets.insertOne({ _id: 'w', balance: 120 });
  const attempts = Array.from({ length: 200 }, () =>
    wallets.findOneAndUpdate(
      { _id: 'w', balance: { $gte: 1 } },
      { $inc: { balance: -1 } },
      { returnDocument: 'after' },
    ),
  );
  const results = await Promise.all(attempts);
  const succeeded = results.filter((r) => r !== null);
  expect(succeeded).toHaveLength(120);
  expect((await wallets.findOne({ _id: 'w' }))?.balance).toBe(0);
  // Every success saw a distinct balance: no two decrements interleaved on the document.
  expect(new Set(succeeded.map((r) => r?.balance)).size).toBe(120);
});

test('concurrent updateOne with $inc from many clients loses no update', async () => {
  const counters = db.collection<{ _id: string; n: number }>('counters');
  await counters.insertOne({ _id: 'c', n: 0 });
  await Promise.all(Array.from({ length: 200 }, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
  expect((await counters.findOne({ _id: 'c' }))?.n).toBe(200);
});
