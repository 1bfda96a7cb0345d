import { unspentByExpiry } from './mergeMembers';

describe('unspent points by expiry day (what a merge carries over)', () => {
  it('takes consumed points from the oldest buckets first', () => {
    const buckets = { '2027-01-31': 100, '2026-12-31': 50, '2027-02-28': 30 };
    expect(unspentByExpiry(buckets, 0)).toEqual(buckets);
    expect(unspentByExpiry(buckets, 70)).toEqual({ '2027-01-31': 80, '2027-02-28': 30 });
    expect(unspentByExpiry(buckets, 150)).toEqual({ '2027-02-28': 30 });
    expect(unspentByExpiry(buckets, 500)).toEqual({});
  });
});
