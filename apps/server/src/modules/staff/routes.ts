// Staff mode in the mini-program: log in (password or invite), then scan a member code to see who it is.
import Router from '@koa/router';
import {
  AcceptInviteRequest,
  IdentityPaths,
  type MemberSummary,
  ScanRequest,
  StaffLoginRequest,
  type StaffLoginResponse,
  type StaffProfile,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { actorOf, authorize, staffOf } from '../../middlewares/auth';
import { rateLimit } from '../../middlewares/rateLimit';
import { inputOf, validate } from '../../middlewares/validate';
import { presentMemberSummary } from '../members/presenter';
import type { StaffDoc } from './model';

async function staffProfile(deps: AppDeps, staff: StaffDoc): Promise<StaffProfile> {
  const store = await deps.stores.get(staff.storeId.toHexString());
  return {
    staffId: staff._id.toHexString(),
    name: staff.name,
    username: staff.username,
    role: staff.role,
    store: { id: store._id.toHexString(), name: store.name, code: store.code },
  };
}

async function loginResponse(deps: AppDeps, staff: StaffDoc): Promise<StaffLoginResponse> {
  const issued = await deps.tokens.issue({ kind: 'staff', id: staff._id.toHexString() });
  return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), staff: await staffProfile(deps, staff) };
}

export function staffRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.post(IdentityPaths.staffLogin, validate(StaffLoginRequest), rateLimit(deps, 'staffLogin'), async (ctx) => {
    const { username, password } = inputOf(ctx, StaffLoginRequest);
    ctx.body = await loginResponse(deps, await deps.staff.login(username, password));
  });

  router.post(IdentityPaths.staffAcceptInvite, validate(AcceptInviteRequest), async (ctx) => {
    const staff = await deps.staff.acceptInvite(inputOf(ctx, AcceptInviteRequest));
    await deps.audit.record({
      actor: { kind: 'staff', id: staff._id.toHexString(), name: staff.name },
      action: 'staff.invite.accept',
      storeId: staff.storeId,
      ip: ctx.ip,
      details: { role: staff.role },
    });
    ctx.status = 201;
    ctx.body = await loginResponse(deps, staff);
  });

  router.get(IdentityPaths.staffMe, authorize('staff.self'), async (ctx) => {
    ctx.body = await staffProfile(deps, await deps.staff.get(staffOf(ctx).staffId));
  });

  const scanLimit = rateLimit(deps, 'staffScan');
  router.post(IdentityPaths.staffScan, authorize('member.scan'), scanLimit, validate(ScanRequest), async (ctx) => {
    const staff = staffOf(ctx);
    const member = await deps.codes.redeem(inputOf(ctx, ScanRequest).code, staff.staffId);
    // Reading a member's personal data at the till is audited like any other staff read.
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'member.scan',
      memberId: member._id,
      storeId: new Types.ObjectId(staff.storeId),
      ip: ctx.ip,
    });
    const body: MemberSummary = presentMemberSummary(
      member,
      deps.identity.maskedPhoneOf(member),
      await deps.coupons.usableAt(member._id, staffOf(ctx).storeId),
    );
    ctx.body = body;
  });

  return router;
}
