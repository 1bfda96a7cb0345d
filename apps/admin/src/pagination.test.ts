import { currentCursor, FIRST_PAGE, nextPage, pageNumber, previousPage } from './pagination';

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
