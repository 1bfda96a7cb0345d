// Staff management for owners (every store) and managers (their own store, plain staff only).
import Router from '@koa/router';
import {
  CreateInviteRequest,
  CreateStaffRequest,
  IdentityPaths,
  ObjectIdText,
  type StaffInvite,
  UpdateStaffRequest,
} from '@member-hub/shared';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { actorOf, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { assertCan } from '../auth/policy';
import { presentStaff } from './service';

const StaffListQuery = z.strictObject({ storeId: ObjectIdText.optional() });

export function staffAdminRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get(IdentityPaths.adminStaff, validate(StaffListQuery, 'query'), async (ctx) => {
    const p = principalOf(ctx);
    // A manager lists their own store (asked for or not); asking for another store is refused by the policy.
    const storeId = inputOf(ctx, StaffListQuery).storeId ?? (p.kind === 'staff' ? p.storeId : undefined);
    assertCan(p, 'staff.list', { storeId });
    ctx.body = (await deps.staff.list(storeId)).map(presentStaff);
  });

  router.post(IdentityPaths.adminStaff, validate(CreateStaffRequest), async (ctx) => {
    const input = inputOf(ctx, CreateStaffRequest);
    assertCan(ctx.state.principal, 'staff.manage', { storeId: input.storeId, role: input.role });
    const staff = await deps.staff.create(input);
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'staff.create',
      storeId: staff.storeId,
      ip: ctx.ip,
      details: { staffId: staff._id.toHexString(), role: staff.role },
    });
    ctx.status = 201;
    ctx.body = presentStaff(staff);
  });

  router.patch('/api/v1/admin/staff/:id', validate(UpdateStaffRequest), async (ctx) => {
    const input = inputOf(ctx, UpdateStaffRequest);
    principalOf(ctx); // 401 before any lookup
    const target = await deps.staff.get(ctx.params.id ?? '');
    // Both the account as it is and as it would become must be within the caller's reach.
    assertCan(ctx.state.principal, 'staff.manage', { storeId: target.storeId.toHexString(), role: target.role });
    assertCan(ctx.state.principal, 'staff.manage', {
      storeId: target.storeId.toHexString(),
      role: input.role ?? target.role,
    });
    const staff = await deps.staff.update(target._id.toHexString(), input);
    const { password, ...visible } = input;
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'staff.update',
      storeId: staff.storeId,
      ip: ctx.ip,
      details: { staffId: staff._id.toHexString(), ...visible, passwordReset: password !== undefined },
    });
    ctx.body = presentStaff(staff);
  });

  router.post(IdentityPaths.adminStaffInvites, validate(CreateInviteRequest), async (ctx) => {
    const { storeId, role } = inputOf(ctx, CreateInviteRequest);
    assertCan(ctx.state.principal, 'staff.manage', { storeId, role });
    const actor = actorOf(ctx);
    const invite = await deps.staff.createInvite(storeId, role, `${actor.kind}:${actor.id}`);
    await deps.audit.record({ actor, action: 'staff.invite.create', storeId, ip: ctx.ip, details: { role } });
    const body: StaffInvite = { inviteCode: invite.code, storeId, role, expiresAt: invite.expiresAt.toISOString() };
    ctx.status = 201;
    ctx.body = body;
  });

  return router;
}
