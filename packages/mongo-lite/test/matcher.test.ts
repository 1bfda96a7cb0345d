// The fast matcher must agree with mingo (MongoDB's semantics) on every document it decides.
import { ObjectId } from 'bson';
import { Query } from 'mingo';
import { Matcher } from '../src/storage/matcher';

const id = new ObjectId();
const docs = [
  { _id: id, status: 'active', points: 10, keys: ['a', 'b'], n: 1 },
  { _id: new ObjectId(), status: 'merged', points: 0, keys: [], n: 1.5 },
  { _id: 'text-id', status: null, keys: ['c', 1], points: -3 },
  { _id: 7, keys: [{ k: 'a' }], points: 'ten', status: ['active'] },
  { _id: new ObjectId(), when: new Date(5) },
];
const filters = [
  { _id: id },
  { _id: 'text-id' },
  { _id: 7 },
  { when: new Date(5) },
  { keys: { $ne: 'a' } },
  { keys: { $ne: 1 } },
  { missing: { $ne: 'x' } },
  { status: { $ne: 'active' } },
  { status: { $in: ['active', 'merging'] } },
  { points: { $in: [0, 10] } },
  { _id: id, status: { $in: ['active'] }, keys: { $ne: 'z' }, points: { $gte: 5 } },
];

describe('fast matcher', () => {
  it.each(filters.map((f) => [JSON.stringify(f), f] as const))('agrees with mingo for %s', (_name, filter) => {
    const mingo = new Query(filter);
    const fast = new Matcher(filter);
    for (const doc of docs) expect({ doc, match: fast.test(doc) }).toEqual({ doc, match: mingo.test(doc) });
  });
});
