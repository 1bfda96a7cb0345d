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

/**
 * The contract requires `details` on every entry, but the server currently leaves it out when it is empty
 * (mongoose drops empty objects on save). An entry without details is read as `{}` rather than failing the page;
 * everything else is still checked by the shared schema.
 */
export function withEmptyDetails(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('items' in input) || !Array.isArray(input.items)) return input;
  const items: unknown[] = input.items.map((item: unknown) =>
    typeof item === 'object' && item !== null && !('details' in item) ? { ...item, details: {} } : item,
  );
  return { ...input, items };
}

const TolerantAuditList = { parse: (input: unknown): AuditList => AuditList.parse(withEmptyDetails(input)) };

export function listAudit(token: string, params: AuditParams): Promise<AuditList> {
  return apiRequest(auditPath(params), { token, schema: TolerantAuditList });
}
