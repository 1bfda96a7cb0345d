import { mongo, Types } from 'mongoose';

const { serialize } = mongo.BSON;

import { readRawFields } from './rawBson';

describe('readRawFields', () => {
  it('reads ids, numbers and dates in place and steps over everything else', () => {
    const memberId = new Types.ObjectId();
    const raw = serialize({
      name: '会员',
      nested: { a: 1, b: [1, 2] },
      list: ['x'],
      flag: true,
      none: null,
      memberId,
      paidFen: 12_345,
      big: 2 ** 40,
      ratio: 0.5,
      createdAt: new Date(1_700_000_000_123),
    });
    const out = readRawFields(raw);
    expect(Buffer.from(out.ids.memberId as Uint8Array).toString('hex')).toBe(memberId.toHexString());
    expect(out.numbers).toEqual({ paidFen: 12_345, big: 2 ** 40, ratio: 0.5, createdAt: 1_700_000_000_123 });
    expect(out.strings).toBeUndefined();
    const withStrings = readRawFields(raw, { ids: {}, numbers: {}, strings: { none: 'stale' } });
    expect(withStrings.strings).toEqual({ name: '会员' });
  });
});
