import type { Db } from 'mongodb';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let db: Db;

beforeAll(async () => {
  target = await startTarget();
  db = target.client.db(freshDbName('agg'));
  await db.collection('orders').insertMany([
    { _id: 1, customer: 'ann', amount: 10, at: new Date('2024-01-15T10:00:00Z'), items: ['a', 'b'] },
    { _id: 2, customer: 'bob', amount: 25, at: new Date('2024-02-01T10:00:00Z'), items: ['a'] },
    { _id: 3, customer: 'ann', amount: 40, at: new Date('2024-02-20T10:00:00Z'), items: [] },
    { _id: 4, customer: 'cid', amount: 70, at: new Date('2025-03-03T10:00:00Z'), items: ['c'] },
  ] as never[]);
  await db.collection('customers').insertMany([
    { _id: 'ann', tier: 'gold' },
    { _id: 'bob', tier: 'silver' },
  ] as never[]);
});
afterAll(async () => {
  await db.dropDatabase();
  await target.stop();
});

const orders = () => db.collection('orders');

test('$match + $group with $sum (what countDocuments sends)', async () => {
  expect(await orders().countDocuments({ customer: 'ann' })).toBe(2);
  const totals = await orders()
    .aggregate([{ $group: { _id: '$customer', total: { $sum: '$amount' }, n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
    .toArray();
  expect(totals).toEqual([
    { _id: 'ann', total: 50, n: 2 },
    { _id: 'bob', total: 25, n: 1 },
    { _id: 'cid', total: 70, n: 1 },
  ]);
});

test('$lookup and $unionWith resolve the engine collections', async () => {
  const joined = await orders()
    .aggregate([
      { $match: { _id: { $in: [1, 2, 4] } } },
      { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'c' } },
      { $project: { _id: 1, tier: { $ifNull: [{ $first: '$c.tier' }, 'none'] } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  expect(joined).toEqual([
    { _id: 1, tier: 'gold' },
    { _id: 2, tier: 'silver' },
    { _id: 4, tier: 'none' },
  ]);
  const union = await db
    .collection('customers')
    .aggregate([{ $project: { _id: 1 } }, { $unionWith: { coll: 'orders', pipeline: [{ $project: { _id: 1 } }] } }])
    .toArray();
  expect(union).toHaveLength(6);
});

test('$facet, $bucket and date operators', async () => {
  const [facets] = await orders()
    .aggregate([
      {
        $facet: {
          byYear: [{ $group: { _id: { $year: '$at' }, n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          buckets: [
            {
              $bucket: {
                groupBy: '$amount',
                boundaries: [0, 20, 50, 100],
                default: 'other',
                output: { n: { $sum: 1 } },
              },
            },
          ],
          months: [
            {
              $project: { _id: 0, m: { $dateToString: { format: '%Y-%m', date: '$at' } }, dow: { $dayOfWeek: '$at' } },
            },
            { $sort: { m: 1 } },
          ],
        },
      },
    ])
    .toArray();
  expect(facets?.byYear).toEqual([
    { _id: 2024, n: 3 },
    { _id: 2025, n: 1 },
  ]);
  expect(facets?.buckets).toEqual([
    { _id: 0, n: 1 },
    { _id: 20, n: 2 },
    { _id: 50, n: 1 },
  ]);
  expect(facets?.months.map((m: { m: string }) => m.m)).toEqual(['2024-01', '2024-02', '2024-02', '2025-03']);
});

test('$unwind, $addFields do not modify stored documents', async () => {
  await orders()
    .aggregate([{ $unwind: '$items' }, { $addFields: { amount: 0, extra: true } }, { $unset: 'customer' }])
    .toArray();
  expect(await orders().findOne({ _id: 1 } as never)).toMatchObject({ amount: 10, customer: 'ann', items: ['a', 'b'] });
  expect(await orders().countDocuments({ extra: true })).toBe(0);
});

test('$out and $merge write into engine collections', async () => {
  await orders()
    .aggregate([{ $group: { _id: '$customer', total: { $sum: '$amount' } } }, { $out: 'totals' }])
    .toArray();
  expect(await db.collection('totals').countDocuments()).toBe(3);
  await db
    .collection('customers')
    .aggregate([
      { $project: { tier: 1 } },
      { $merge: { into: 'totals', on: '_id', whenMatched: 'merge', whenNotMatched: 'discard' } },
    ])
    .toArray();
  expect(await db.collection('totals').findOne({ _id: 'ann' } as never)).toEqual({
    _id: 'ann',
    total: 50,
    tier: 'gold',
  });
  expect(await db.collection('totals').countDocuments()).toBe(3);
});
