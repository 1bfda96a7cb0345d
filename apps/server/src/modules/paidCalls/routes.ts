// The owner's view of paid WeChat calls (shown on the dashboard): today, this month and the last 30 days.
import Router from '@koa/router';
import { PaidCallPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { authorize } from '../../middlewares/auth';

export function paidCallRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get(PaidCallPaths.summary, authorize('analytics.read'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.paidCalls.summary();
  });
  return router;
}
