// Staff accounts of the stores and the invite codes staff use to open their own account.
import {
  type CreateInviteRequest,
  type CreateStaffRequest,
  IdentityPaths,
  StaffAccount,
  StaffInvite,
  type UpdateStaffRequest,
} from '@member-hub/shared';
import { apiRequest } from '../api';
import { buildQuery, pathId } from './query';

export type CreateStaffBody = ReturnType<typeof CreateStaffRequest.parse>;
export type UpdateStaffBody = ReturnType<typeof UpdateStaffRequest.parse>;
export type CreateInviteBody = ReturnType<typeof CreateInviteRequest.parse>;

const StaffList = { parse: (input: unknown): StaffAccount[] => StaffAccount.array().parse(input) };

/** All staff, or only one store's when a store is chosen. */
export function staffListPath(storeId: string | null): string {
  return `${IdentityPaths.adminStaff}${buildQuery({ storeId })}`;
}

export function listStaff(token: string, storeId: string | null): Promise<StaffAccount[]> {
  return apiRequest(staffListPath(storeId), { token, schema: StaffList });
}

export function createStaff(token: string, body: CreateStaffBody): Promise<StaffAccount> {
  return apiRequest(IdentityPaths.adminStaff, { method: 'POST', token, body, schema: StaffAccount });
}

export function updateStaff(token: string, id: string, body: UpdateStaffBody): Promise<StaffAccount> {
  return apiRequest(IdentityPaths.adminStaffMember(pathId(id)), { method: 'PATCH', token, body, schema: StaffAccount });
}

export function createInvite(token: string, body: CreateInviteBody): Promise<StaffInvite> {
  return apiRequest(IdentityPaths.adminStaffInvites, { method: 'POST', token, body, schema: StaffInvite });
}
