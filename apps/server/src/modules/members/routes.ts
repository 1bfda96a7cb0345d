// The member's own account: card with the rotating code, profile, phone binding, export, deletion.
import Router from '@koa/router';
import {
  BindPhoneRequest,
  type BindPhoneResponse,
  IdentityPaths,
  type MyCardResponse,
  UpdateProfileRequest,
} from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { actorOf, authorize, memberIdOf, memberOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { presentMemberCard, presentMyProfile } from './presenter';

export function memberRoutes(deps: AppDeps): Router {
  const router = new Router();
  const self = authorize('member.self');

  router.get(IdentityPaths.myCard, self, async (ctx) => {
    const member = memberOf(ctx);
    const body: MyCardResponse = { ...presentMemberCard(member), code: await deps.codes.currentCode(member) };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.get(IdentityPaths.myProfile, self, async (ctx) => {
    const member = memberOf(ctx);
    ctx.body = presentMyProfile(member, deps.identity.phoneOf(member));
  });

  router.patch(IdentityPaths.myProfile, self, validate(UpdateProfileRequest), async (ctx) => {
    const input = inputOf(ctx, UpdateProfileRequest);
    const member = await deps.members.updateProfile(memberIdOf(ctx), input);
    await deps.tasks.profileCompleted(member);
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'member.profile.update',
      memberId: member._id,
      ip: ctx.ip,
      details: { fields: Object.keys(input) },
    });
    ctx.body = presentMyProfile(member, deps.identity.phoneOf(member));
  });

  router.post(IdentityPaths.myPhone, self, validate(BindPhoneRequest), async (ctx) => {
    const { code } = inputOf(ctx, BindPhoneRequest);
    const actor = actorOf(ctx);
    const result = await deps.identity.bindPhone(memberIdOf(ctx), code, (sourceId, targetId, reason) =>
      deps.merge.run({ sourceId, targetId, reason, actor }),
    );
    // The first phone binding is a task; a member who already earned it (e.g. before a merge) does not earn it twice.
    await deps.tasks.phoneBound(result.memberId);
    // A phone that was already a member voids this account's invite; otherwise its range feeds the abuse view.
    await deps.referrals.phoneBound(
      memberIdOf(ctx),
      result.linkedExisting ? null : deps.identity.phoneOf(await deps.members.get(result.memberId)),
      result.linkedExisting,
    );
    await deps.audit.record({
      actor,
      action: 'member.phone.bind',
      memberId: result.memberId,
      ip: ctx.ip,
      details: { linkedExisting: result.linkedExisting },
    });
    // Linking may have moved this WeChat account to another member: the new token names the survivor.
    const issued = await deps.tokens.issue({ kind: 'member', id: result.memberId.toHexString() });
    const member = await deps.members.get(result.memberId);
    const body: BindPhoneResponse = {
      linkedExisting: result.linkedExisting,
      token: issued.token,
      expiresAt: issued.expiresAt.toISOString(),
      profile: presentMyProfile(member, deps.identity.phoneOf(member)),
    };
    ctx.body = body;
  });

  router.get(IdentityPaths.myExport, self, async (ctx) => {
    const memberId = memberIdOf(ctx);
    const data = await deps.members.exportData(memberId);
    await deps.audit.record({ actor: actorOf(ctx), action: 'member.export', memberId, ip: ctx.ip });
    ctx.set('Content-Disposition', 'attachment; filename="my-member-data.json"');
    ctx.body = data;
  });

  router.delete(IdentityPaths.me, self, async (ctx) => {
    const memberId = memberIdOf(ctx);
    await deps.members.deleteAccount(memberId);
    await deps.audit.record({ actor: actorOf(ctx), action: 'member.delete', memberId, ip: ctx.ip });
    ctx.status = 204;
  });

  return router;
}
