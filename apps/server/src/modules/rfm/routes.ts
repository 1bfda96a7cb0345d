// The owner's RFM page: class summary, the scored members (paged, sorted, filtered by class), churn warnings,
// settings, and "recompute now". Reading needs analytics.read; settings and recomputing need analytics.manage.
import Router from '@koa/router';
import { ChurnQuery, RfmMemberQuery, RfmPaths, type RfmRecomputeResult, RfmSettings } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { actorOf, authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';

export function rfmRoutes(deps: AppDeps): Router {
  const router = new Router();
  const read = authorize('analytics.read');
  const manage = authorize('analytics.manage');

  router.get(RfmPaths.summary, read, async (ctx) => {
    ctx.body = await deps.rfm.summary();
  });
  router.get(RfmPaths.members, read, validate(RfmMemberQuery, 'query'), async (ctx) => {
    ctx.body = await deps.rfm.members(inputOf(ctx, RfmMemberQuery));
  });
  router.get(RfmPaths.churn, read, validate(ChurnQuery, 'query'), async (ctx) => {
    ctx.body = await deps.rfm.churn(inputOf(ctx, ChurnQuery));
  });

  router.get(RfmPaths.settings, read, async (ctx) => {
    ctx.body = await deps.rfm.settings();
  });
  router.put(RfmPaths.settings, manage, validate(RfmSettings), async (ctx) => {
    const settings = await deps.rfm.updateSettings(inputOf(ctx, RfmSettings));
    await deps.audit.record({ actor: actorOf(ctx), action: 'rfm.settings.update', ip: ctx.ip, details: settings });
    ctx.body = settings;
  });

  router.post(RfmPaths.recompute, manage, async (ctx) => {
    const { done, ...result } = await deps.rfm.recompute();
    if (result.started) {
      await deps.audit.record({ actor: actorOf(ctx), action: 'rfm.recompute', ip: ctx.ip, details: {} });
      // A million members take a minute or two: the answer does not wait; the summary shows `running`.
      done.catch((err: unknown) => deps.logger.error({ err, job: 'rfmDaily' }, 'RFM recompute failed'));
    }
    const body: RfmRecomputeResult = result;
    ctx.status = 202;
    ctx.body = body;
  });

  return router;
}
