// The owner's loyalty rules: read and replace as a whole, validated, audited.
import Router from '@koa/router';
import { LoyaltyRules, PointsPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';

export function rulesRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get(PointsPaths.rules, authorize('rules.manage'), async (ctx) => {
    ctx.body = await deps.rules.get();
  });

  router.put(PointsPaths.rules, authorize('rules.manage'), validate(LoyaltyRules), async (ctx) => {
    const rules = await deps.rules.update(inputOf(ctx, LoyaltyRules));
    await deps.audit.record({
      actor: actorOf(ctx),
      action: 'rules.update',
      ip: ctx.ip,
      details: { tiers: rules.tiers.length, earnRules: rules.earnRules.map((r) => r.type) },
    });
    ctx.body = rules;
  });
  return router;
}
