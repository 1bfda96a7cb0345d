// Members as the owner sees them: search, detail, staff-side birthday change and merging two members.
import {
  AdminMemberDetail,
  AdminMemberList,
  type AdminMemberSort,
  IdentityPaths,
  type MergeMembersRequest,
  MergeResult,
  type SetBirthdayByStaffRequest,
} from '@member-hub/shared';
import { apiRequest, ignoredAnswer } from '../api';
import type { SortOrder } from '../route';
import { buildQuery, pathId } from './query';

export type MergeMembersBody = ReturnType<typeof MergeMembersRequest.parse>;
export type SetBirthdayBody = ReturnType<typeof SetBirthdayByStaffRequest.parse>;

export const MEMBER_PAGE_SIZE = 20;

export interface MemberListParams {
  q?: string;
  /** Filters: null or left out = any. */
  tier?: string | null;
  tagId?: string | null;
  segmentId?: string | null;
  /** Left out: the server's default (newest first). */
  sort?: AdminMemberSort;
  order?: SortOrder;
  after?: string | null;
  limit?: number;
}

export function memberListPath({
  q,
  tier,
  tagId,
  segmentId,
  sort,
  order,
  after,
  limit = MEMBER_PAGE_SIZE,
}: MemberListParams): string {
  return `${IdentityPaths.adminMembers}${buildQuery({ q, tier, tagId, segmentId, sort, order, limit, after })}`;
}

export function listMembers(token: string, params: MemberListParams): Promise<AdminMemberList> {
  return apiRequest(memberListPath(params), { token, schema: AdminMemberList });
}

export function getMember(token: string, id: string): Promise<AdminMemberDetail> {
  return apiRequest(IdentityPaths.adminMember(pathId(id)), { token, schema: AdminMemberDetail });
}

/** The contract does not fix what the birthday PATCH answers, so the caller reloads the detail afterwards. */
export async function setMemberBirthday(token: string, id: string, body: SetBirthdayBody): Promise<void> {
  await apiRequest(IdentityPaths.adminMemberBirthday(pathId(id)), {
    method: 'PATCH',
    token,
    body,
    schema: ignoredAnswer,
  });
}

export function mergeMembers(token: string, body: MergeMembersBody): Promise<MergeResult> {
  return apiRequest(IdentityPaths.adminMerges, { method: 'POST', token, body, schema: MergeResult });
}
