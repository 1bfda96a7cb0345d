import { ariaSort, nextSort } from './sorting';

describe('sorting', () => {
  const memberNoFirst = (column: string) => (column === 'memberNo' ? 'asc' : 'desc');

  it('flips the order of the same column and starts another at its first order', () => {
    expect(nextSort({ sort: 'spend', order: 'desc' }, 'spend')).toEqual({ sort: 'spend', order: 'asc' });
    expect(nextSort({ sort: 'spend', order: 'asc' }, 'orders')).toEqual({ sort: 'orders', order: 'desc' });
    expect(nextSort({ sort: 'spend', order: 'desc' }, 'memberNo', memberNoFirst)).toEqual({
      sort: 'memberNo',
      order: 'asc',
    });
  });

  it('tells screen readers the sorted column only', () => {
    expect(ariaSort({ sort: 'spend', order: 'asc' }, 'spend')).toBe('ascending');
    expect(ariaSort({ sort: 'spend', order: 'desc' }, 'spend')).toBe('descending');
    expect(ariaSort({ sort: 'spend', order: 'asc' }, 'orders')).toBe('none');
  });
});
