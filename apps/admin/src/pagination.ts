// Cursor paging for the list endpoints: the server only knows "the page after this cursor", so the
// cursors of the pages already seen are kept to go back.

/** The cursor that fetched each page seen so far; the last one is the page on screen (null = first page). */
export type CursorStack = readonly (string | null)[];

export const FIRST_PAGE: CursorStack = [null];

export function currentCursor(stack: CursorStack): string | null {
  return stack[stack.length - 1] ?? null;
}

export function nextPage(stack: CursorStack, next: string | null): CursorStack {
  return next === null ? stack : [...stack, next];
}

export function previousPage(stack: CursorStack): CursorStack {
  return stack.length > 1 ? stack.slice(0, -1) : stack;
}

/** 1-based, for "第 2 页". */
export function pageNumber(stack: CursorStack): number {
  return stack.length;
}

// Numbered paging for the lists the server pages by number (page, pageSize, total).

/** How many pages `total` rows fill; at least 1, so an empty list is "page 1 of 1". */
export function pageCount(total: number, pageSize: number): number {
  return pageSize <= 0 ? 1 : Math.max(1, Math.ceil(total / pageSize));
}

/** `第 21–40 条，共 95 条` for page 2 of 20; `共 0 条` when there are none. */
export function rowRangeText(pageNo: number, pageSize: number, total: number): string {
  if (total === 0) return '共 0 条';
  const first = Math.min((pageNo - 1) * pageSize + 1, total);
  const last = Math.min(pageNo * pageSize, total);
  return `第 ${first}–${last} 条，共 ${total} 条`;
}
