import { Types } from 'mongoose';
import { ObjectIdIndex } from './idIndex';

describe('ObjectIdIndex', () => {
  it('gives each id one slot, in order of arrival, through growth, and knows unknown ids', () => {
    const index = new ObjectIdIndex(4);
    const ids = Array.from({ length: 50_000 }, () => new Types.ObjectId());
    for (const [k, id] of ids.entries()) expect(index.add(id.id)).toBe(k);
    expect(index.size).toBe(50_000);
    // Adding again returns the same slot.
    expect(index.add((ids[123] as Types.ObjectId).id)).toBe(123);
    expect(index.size).toBe(50_000);
    for (let k = 0; k < ids.length; k += 997) expect(index.get((ids[k] as Types.ObjectId).id)).toBe(k);
    expect(index.get(new Types.ObjectId().id)).toBeUndefined();
    // Ids differing in one byte only are different members.
    const a = Buffer.from('0123456789ab0123456789ab', 'hex');
    const b = Buffer.from('0123456789ab0123456789ac', 'hex');
    expect(index.add(a)).toBe(50_000);
    expect(index.get(b)).toBeUndefined();
  });
});
