// 会员's list, the pure part: the route's filters as the list request, what the pager does (the server pages by
// cursor, so the cursors of the pages seen are remembered to go back), and the sort the headers start with.
import type { AdminMemberSort } from '@member-hub/shared';
import type { MemberListParams } from '../../api/members';
import type { MembersRoute, SortOrder } from '../../route';

/** The route's request: everything but the page number, which only the row range text needs. */
export function memberListParams(route: MembersRoute): MemberListParams {
  const { q, tier, tagId, segmentId, sort, order, after } = route;
  return { q, tier, tagId, segmentId, sort, order, after };
}

/** The cursors of the pages seen for one set of filters and sort: `cursors[n - 1]` fetched page n. */
export interface CursorMemory {
  key: string;
  cursors: readonly (string | null | undefined)[];
}

/** Everything that changes which rows a page holds, apart from the page itself. */
export function listKey({ q, tier, tagId, segmentId, sort, order }: MembersRoute): string {
  return JSON.stringify([q, tier, tagId, segmentId, sort, order]);
}

/** The memory with the page on screen in it; other filters start it over. */
export function remember(memory: CursorMemory, route: MembersRoute): CursorMemory {
  const key = listKey(route);
  const cursors = key === memory.key ? [...memory.cursors] : [null];
  cursors[route.pageNo - 1] = route.after;
  return { key, cursors };
}

export function nextPageRoute(route: MembersRoute, next: string): MembersRoute {
  return { ...route, after: next, pageNo: route.pageNo + 1 };
}

/** The page before, when its cursor is known (a shared link to page 5 knows only page 1 and 5). */
export function previousPageRoute(memory: CursorMemory, route: MembersRoute): MembersRoute | null {
  if (route.pageNo <= 1 || memory.key !== listKey(route)) return null;
  const after = memory.cursors[route.pageNo - 2];
  return after === undefined ? null : { ...route, after, pageNo: route.pageNo - 1 };
}

/** New filters or sort: back to the first page. */
export function filteredRoute(route: MembersRoute, change: Partial<MembersRoute>): MembersRoute {
  return { ...route, ...change, after: null, pageNo: 1 };
}

export const MEMBER_SORT_LABELS: Record<AdminMemberSort, string> = {
  memberNo: '会员号',
  points: '积分',
  joined: '注册时间',
};

/** Member numbers start ascending, points and join times descending (the most, the newest first). */
export function memberFirstOrder(column: AdminMemberSort): SortOrder {
  return column === 'memberNo' ? 'asc' : 'desc';
}
