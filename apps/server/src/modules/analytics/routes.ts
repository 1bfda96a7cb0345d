import Router from '@koa/router';
import { type AdminSummary, ApiPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { authorize } from '../../middlewares/auth';
import { memberModel } from '../members/model';

export function analyticsRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get(ApiPaths.adminSummary, authorize('summary.read'), async (ctx) => {
    const body: AdminSummary = { memberCount: await memberModel(deps.conn).countDocuments() };
    ctx.body = body;
  });
  return router;
}
