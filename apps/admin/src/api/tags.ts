// Member tags: the paged list, creating and editing manual and rule tags, adding or removing a manual tag for many
// members at once, and evaluating the rule tags now (the daily job's work, on demand) with the run it started.
import {
  type CreateTagRequest,
  Tag,
  TagEvaluateResult,
  TagEvaluationStatus,
  type TagKind,
  type TagListQuery,
  type TagMembersRequest,
  TagMembersResult,
  TagPage,
  TagPaths,
  type UpdateTagRequest,
} from '@member-hub/shared';
import { apiRequest, ignoredAnswer } from '../api';
import { allPages, buildQuery, pathId } from './query';

export const TAG_PAGE_SIZE = 20;
export type TagSort = TagListQuery['sort'];

export interface TagListParams {
  q?: string;
  kind?: TagKind | null;
  sort: TagSort;
  pageNo: number;
  pageSize?: number;
}

export function tagListPath({ q, kind, sort, pageNo, pageSize = TAG_PAGE_SIZE }: TagListParams): string {
  return `${TagPaths.tags}${buildQuery({ q, kind, sort, page: pageNo, pageSize })}`;
}

export function listTags(token: string, params: TagListParams): Promise<TagPage> {
  return apiRequest(tagListPath(params), { token, schema: TagPage });
}

/** Every tag by name, for pickers (members filter, segment editor). */
export function listAllTags(token: string): Promise<Tag[]> {
  return allPages((pageNo) => listTags(token, { sort: 'name', pageNo, pageSize: 100 }));
}

export function createTag(token: string, body: CreateTagRequest): Promise<Tag> {
  return apiRequest(TagPaths.tags, { method: 'POST', token, body, schema: Tag });
}

/** Names only what changes; a changed rule takes effect at the next evaluation (`pendingEvaluation`). */
export function updateTag(token: string, id: string, body: UpdateTagRequest): Promise<Tag> {
  return apiRequest(TagPaths.tag(pathId(id)), { method: 'PATCH', token, body, schema: Tag });
}

/** 204; 409 TAG_IN_USE while a segment names the tag. */
export async function deleteTag(token: string, id: string): Promise<void> {
  await apiRequest(TagPaths.tag(pathId(id)), { method: 'DELETE', token, schema: ignoredAnswer });
}

/** Manual tags only (409 TAG_NOT_MANUAL otherwise); adding a tag a member has changes nothing. */
export function changeTagMembers(token: string, id: string, body: TagMembersRequest): Promise<TagMembersResult> {
  return apiRequest(TagPaths.tagMembers(pathId(id)), { method: 'POST', token, body, schema: TagMembersResult });
}

/** 202: every rule tag evaluated in the background, or `alreadyRunning`. */
export function evaluateTags(token: string): Promise<TagEvaluateResult> {
  return apiRequest(TagPaths.evaluate, { method: 'POST', token, body: {}, schema: TagEvaluateResult });
}

export function getTagEvaluation(token: string): Promise<TagEvaluationStatus> {
  return apiRequest(TagPaths.evaluation, { token, schema: TagEvaluationStatus });
}
