// The owner's member pages: search, detail, locked-birthday changes, merges. Every read of personal data is audited.
import Router from '@koa/router';
import {
  type AdminMemberList,
  AdminMemberListQuery,
  IdentityPaths,
  MergeMembersRequest,
  type MergeResult,
  SetBirthdayByStaffRequest,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { maskPhone } from '../../lib/personalData';
import { actorOf, authorize, principalOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { presentAdminDetail, presentAdminRow } from './presenter';

/** What goes into the audit log for a search: a phone number only masked. */
function auditableQuery(q: string | undefined): string | null {
  if (!q) return null;
  return /^1\d{10}$/.test(q.replace(/\D/g, '')) ? maskPhone(q.replace(/\D/g, '')) : q;
}

export function memberAdminRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get(
    IdentityPaths.adminMembers,
    authorize('member.list'),
    validate(AdminMemberListQuery, 'query'),
    async (ctx) => {
      const query = inputOf(ctx, AdminMemberListQuery);
      const restriction = query.segmentId
        ? await deps.segments.restriction(new Types.ObjectId(query.segmentId))
        : undefined;
      const page = await deps.members.search(query, restriction);
      await deps.audit.record({
        actor: actorOf(ctx),
        action: 'member.search',
        ip: ctx.ip,
        details: {
          q: auditableQuery(query.q),
          ...(query.tier && { tier: query.tier }),
          ...(query.tagId && { tagId: query.tagId }),
          ...(query.segmentId && { segmentId: query.segmentId }),
          results: page.items.length,
        },
      });
      const badges = await deps.tags.badges(page.items.flatMap((m) => m.tags ?? []));
      const body: AdminMemberList = {
        items: page.items.map((m) => presentAdminRow(m, deps.identity.maskedPhoneOf(m), badges)),
        next: page.next,
        total: page.total,
      };
      ctx.body = body;
    },
  );

  router.get('/api/v1/admin/members/:id', authorize('member.read'), async (ctx) => {
    const member = await deps.members.get(idParam(ctx.params.id, 'member'));
    await deps.audit.record({ actor: actorOf(ctx), action: 'member.read', memberId: member._id, ip: ctx.ip });
    ctx.body = presentAdminDetail(
      member,
      deps.identity.maskedPhoneOf(member),
      await deps.tags.badges(member.tags ?? []),
    );
  });

  router.patch(
    '/api/v1/admin/members/:id/birthday',
    authorize('member.birthday.set'),
    validate(SetBirthdayByStaffRequest),
    async (ctx) => {
      const memberId = idParam(ctx.params.id, 'member');
      const { birthday, reason } = inputOf(ctx, SetBirthdayByStaffRequest);
      const change = await deps.members.setBirthdayByStaff(memberId, birthday);
      const p = principalOf(ctx);
      await deps.audit.record({
        actor: actorOf(ctx),
        action: 'member.birthday.set',
        memberId,
        storeId: p.kind === 'staff' ? p.storeId : null,
        ip: ctx.ip,
        details: { ...change, reason },
      });
      const member = await deps.members.get(memberId);
      ctx.body = presentAdminDetail(
        member,
        deps.identity.maskedPhoneOf(member),
        await deps.tags.badges(member.tags ?? []),
      );
    },
  );

  router.post(IdentityPaths.adminMerges, authorize('member.merge'), validate(MergeMembersRequest), async (ctx) => {
    const input = inputOf(ctx, MergeMembersRequest);
    const outcome = await deps.merge.run({
      sourceId: new Types.ObjectId(input.sourceMemberId),
      targetId: new Types.ObjectId(input.targetMemberId),
      reason: input.reason,
      actor: actorOf(ctx),
    });
    const body: MergeResult = {
      mergeId: outcome.mergeId,
      survivorId: outcome.survivorId.toHexString(),
      mergedId: outcome.mergedId.toHexString(),
      state: 'done',
    };
    ctx.body = body;
  });

  return router;
}
