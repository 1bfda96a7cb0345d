// The audit log: who read or changed what, newest first, filtered by member and action.
import { AuditList, IdentityPaths } from '@member-hub/shared';
import { apiRequest } from '../api';
import { buildQuery } from './query';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditParams {
  memberId?: string | null;
  action?: string | null;
  after?: string | null;
  limit?: number;
}

export function auditPath({ memberId, action, after, limit = AUDIT_PAGE_SIZE }: AuditParams): string {
  return `${IdentityPaths.adminAudit}${buildQuery({ memberId, action, limit, after })}`;
}

export function listAudit(token: string, params: AuditParams): Promise<AuditList> {
  return apiRequest(auditPath(params), { token, schema: AuditList });
}
