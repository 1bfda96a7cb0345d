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
