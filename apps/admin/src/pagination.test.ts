import { currentCursor, FIRST_PAGE, nextPage, pageCount, pageNumber, previousPage, rowRangeText } from './pagination';

describe('cursor pages', () => {
  it('starts on page 1 without a cursor', () => {
    expect(currentCursor(FIRST_PAGE)).toBeNull();
    expect(pageNumber(FIRST_PAGE)).toBe(1);
  });

  it('goes forward with the server cursor and back to the cursor before it', () => {
    const second = nextPage(FIRST_PAGE, 'c1');
    const third = nextPage(second, 'c2');
    expect(currentCursor(third)).toBe('c2');
    expect(pageNumber(third)).toBe(3);
    expect(currentCursor(previousPage(third))).toBe('c1');
    expect(currentCursor(previousPage(second))).toBeNull();
  });

  it('stays put at the ends', () => {
    expect(nextPage(FIRST_PAGE, null)).toBe(FIRST_PAGE);
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
  });
});

describe('numbered pages', () => {
  it('counts pages, at least one', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
    expect(pageCount(5, 0)).toBe(1);
  });

  it('says which rows are on screen', () => {
    expect(rowRangeText(1, 20, 0)).toBe('共 0 条');
    expect(rowRangeText(2, 20, 95)).toBe('第 21–40 条，共 95 条');
    expect(rowRangeText(5, 20, 95)).toBe('第 81–95 条，共 95 条');
  });
});
