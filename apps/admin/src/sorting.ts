// Sorting a table by its column headers: which column and which way, what a click on a header does, and what the
// header tells screen readers.
import type { SortOrder } from './route';

export interface SortState<K extends string> {
  sort: K;
  order: SortOrder;
}

/**
 * Clicking a column: the same column flips the order; another starts at its own first order (`firstOrder`, e.g.
 * member numbers ascending, amounts descending).
 */
export function nextSort<K extends string>(
  current: SortState<K>,
  clicked: K,
  firstOrder: (column: K) => SortOrder = () => 'desc',
): SortState<K> {
  if (current.sort === clicked) return { sort: clicked, order: current.order === 'desc' ? 'asc' : 'desc' };
  return { sort: clicked, order: firstOrder(clicked) };
}

/** For the header's aria-sort. */
export function ariaSort<K extends string>(current: SortState<K>, column: K): 'ascending' | 'descending' | 'none' {
  if (current.sort !== column) return 'none';
  return current.order === 'asc' ? 'ascending' : 'descending';
}
