// 会员分析: the RFM classes of the last run, the scored members and the churn warnings (paged by the server),
// the settings, and "recompute now".
import {
  ChurnPage,
  type RfmClass,
  RfmMemberPage,
  RfmPaths,
  RfmRecomputeResult,
  RfmSettings,
  type RfmSortField,
  RfmSummary,
} from '@member-hub/shared';
import { apiRequest } from '../api';
import type { SortOrder } from '../route';
import { buildQuery } from './query';

export const RFM_PAGE_SIZE = 20;

export interface RfmMemberParams {
  rfmClass: RfmClass | null;
  sort: RfmSortField;
  order: SortOrder;
  pageNo: number;
  pageSize?: number;
}

export interface ChurnParams {
  rfmClass: RfmClass | null;
  order: SortOrder;
  pageNo: number;
  pageSize?: number;
}

export function rfmMembersPath({ rfmClass, sort, order, pageNo, pageSize = RFM_PAGE_SIZE }: RfmMemberParams): string {
  return `${RfmPaths.members}${buildQuery({ class: rfmClass, sort, order, page: pageNo, pageSize })}`;
}

export function churnPath({ rfmClass, order, pageNo, pageSize = RFM_PAGE_SIZE }: ChurnParams): string {
  return `${RfmPaths.churn}${buildQuery({ class: rfmClass, order, page: pageNo, pageSize })}`;
}

export function getRfmSummary(token: string): Promise<RfmSummary> {
  return apiRequest(RfmPaths.summary, { token, schema: RfmSummary });
}

export function listRfmMembers(token: string, params: RfmMemberParams): Promise<RfmMemberPage> {
  return apiRequest(rfmMembersPath(params), { token, schema: RfmMemberPage });
}

export function listChurnWarnings(token: string, params: ChurnParams): Promise<ChurnPage> {
  return apiRequest(churnPath(params), { token, schema: ChurnPage });
}

export function getRfmSettings(token: string): Promise<RfmSettings> {
  return apiRequest(RfmPaths.settings, { token, schema: RfmSettings });
}

/** PUT takes the whole object; the next run uses it. */
export function saveRfmSettings(token: string, body: RfmSettings): Promise<RfmSettings> {
  return apiRequest(RfmPaths.settings, { method: 'PUT', token, body, schema: RfmSettings });
}

/** 202: started in the background, or `alreadyRunning`. */
export function recomputeRfm(token: string): Promise<RfmRecomputeResult> {
  return apiRequest(RfmPaths.recompute, { method: 'POST', token, schema: RfmRecomputeResult });
}
