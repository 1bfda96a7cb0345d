// Who may do what, in one table. Each action is a registered rule over the principal (and the resource's store
// where it has one); routes name the action, never the roles.
import type { StaffRole } from '@member-hub/shared';
import { AppError } from '../../errors';

export type Principal =
  | { kind: 'member'; memberId: string }
  | { kind: 'staff'; staffId: string; storeId: string; role: StaffRole; name: string }
  | { kind: 'owner'; ownerId: string; name: string; permissions?: readonly string[] };

export interface Resource {
  /** The store a resource belongs to (a staff account, a store, an audit query). */
  storeId?: string;
  /** For staff management: the role being granted. Managers may only manage plain staff. */
  role?: StaffRole;
}

type Rule = (p: Principal, r: Resource) => boolean;

const isOwner: Rule = (p) => p.kind === 'owner';
const isMember: Rule = (p) => p.kind === 'member';
const isStaff: Rule = (p) => p.kind === 'staff';
const managerOfStore: Rule = (p, r) => p.kind === 'staff' && p.role === 'manager' && r.storeId === p.storeId;
const any =
  (...rules: Rule[]): Rule =>
  (p, r) =>
    rules.some((rule) => rule(p, r));

export const policies = {
  /** The member's own card, profile, phone, export, deletion. */
  'member.self': isMember,
  'staff.self': isStaff,
  /** Scanning a member code: any staff account, at its own store. */
  'member.scan': isStaff,
  /** Recording a purchase at the till, for a member this staff account has just scanned. */
  'order.record': isStaff,
  'rules.manage': isOwner,
  'tier.grant': isOwner,
  'points.adjust': isOwner,
  'mall.manage': isOwner,
  /** Refunds at the till: a manager's call. */
  'order.refund': (p) => p.kind === 'staff' && p.role === 'manager',
  /** Setting a birthday after the member locked it: in store, with a reason. */
  'member.birthday.set': any(isOwner, isStaff),
  'member.list': isOwner,
  'member.read': isOwner,
  'member.merge': isOwner,
  'summary.read': isOwner,
  'store.list': any(isOwner, managerOfStore),
  'store.manage': isOwner,
  'staff.list': any(isOwner, managerOfStore),
  'staff.manage': any(isOwner, (p, r) => managerOfStore(p, r) && r.role !== 'manager'),
  'audit.read': any(isOwner, managerOfStore),
  /** Taking stored value at the till: any staff account, for a member it has just scanned (or a payment code). */
  'wallet.charge': isStaff,
  /** Refunding a till payment: a manager of the store it was taken at, or the owner. */
  'wallet.refund': any(isOwner, managerOfStore),
  /** Packages, settings, payments list, top-up refunds, reconciliation. */
  'wallet.manage': isOwner,
  /** Looking up a scanned coupon, verifying (核销) a gift coupon, quoting coupons on a purchase. */
  'coupon.verify': isStaff,
  /** Templates, pushes, gift settings, redemption statistics. */
  'coupon.manage': isOwner,
  /** Referral chains, top inviters, suspected abuse. */
  'referral.read': isOwner,
  /** Dashboard figures, RFM classes, churn warnings. */
  'analytics.read': isOwner,
  /** RFM window, churn factor. */
  'analytics.manage': isOwner,
  /** The subscription-message outbox. */
  'message.read': isOwner,
  /** The background jobs' history, and running one now. */
  'job.read': isOwner,
  'job.run': isOwner,
  /** Campaigns: segment + offer + control group, dry-run, results. */
  'campaign.manage': isOwner,
  /** Tags: create, edit, delete, manual members in bulk, evaluate the rule tags now. */
  'tag.manage': isOwner,
  /** Segments: create, edit, delete, preview and count. */
  'segment.manage': isOwner,
  /** Importing a member base from CSV / XLSX. */
  'member.import': isOwner,
  /** CSV exports of members, ledgers and reports (phones masked). */
  'member.export': isOwner,
  /** The full backup archive (every collection, phones still sealed). */
  'data.backup': isOwner,
  /** Full phone numbers in an export: an owner granted the export-personal-data permission. */
  'member.export.personal': (p) => p.kind === 'owner' && (p.permissions ?? []).includes('export_personal_data'),
} satisfies Record<string, Rule>;

export type Action = keyof typeof policies;

export function can(principal: Principal, action: Action, resource: Resource = {}): boolean {
  return policies[action](principal, resource);
}

export function assertCan(
  principal: Principal | undefined,
  action: Action,
  resource: Resource = {},
): asserts principal is Principal {
  if (!principal) throw new AppError('UNAUTHENTICATED');
  if (!can(principal, action, resource)) throw new AppError('FORBIDDEN');
}
