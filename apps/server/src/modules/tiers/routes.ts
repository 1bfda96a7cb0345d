// The member's tier page, and the owner's manual grant (with a reason, audited).
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { GrantTierRequest, LoyaltyPaths, type MyTier } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { idParam } from '../../lib/params';
import { actorOf, authorize, memberOf } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';
import { tierFor, tierRank } from './service';

export function tierRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get(LoyaltyPaths.myTier, authorize('member.self'), async (ctx) => {
    const member = memberOf(ctx);
    const rules = await deps.rules.get();
    const current = Math.max(tierRank(member.tier, rules), tierRank(tierFor(member.growth, rules).name, rules));
    const nextTier = rules.tiers[current + 1];
    const history = await deps.tiers.history(member._id);
    const body: MyTier = {
      tier: member.tier,
      growth: member.growth,
      next: nextTier
        ? {
            name: nextTier.name,
            threshold: nextTier.threshold,
            growthNeeded: nextTier.threshold - member.growth,
            spendNeededFen: (nextTier.threshold - member.growth) * 100,
          }
        : null,
      tiers: rules.tiers,
      history: history.map((h) => ({ from: h.from, to: h.to, reason: h.reason, note: h.note, at: h.at.toISOString() })),
    };
    ctx.body = body;
  });

  router.post('/api/v1/admin/members/:id/tier', authorize('tier.grant'), validate(GrantTierRequest), async (ctx) => {
    const memberId = idParam(ctx.params.id, 'member');
    const { tier, reason } = inputOf(ctx, GrantTierRequest);
    const change = await deps.tiers.grant(memberId, tier, reason, `manual:${randomUUID()}`);
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'member.tier.grant',
      memberId,
      ip: ctx.ip,
      details: { ...change, reason },
    });
    ctx.body = change;
  });

  return router;
}
