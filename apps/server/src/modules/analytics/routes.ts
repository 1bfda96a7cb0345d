import Router from '@koa/router';
import { type AdminSummary, ApiPaths } from '@member-hub/shared';
import type { AppDeps } from '../../deps';
import { requireOwner } from '../../middlewares/auth';
import { memberModel } from '../members/model';

export function analyticsRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get(ApiPaths.adminSummary, requireOwner(deps.tokens), async (ctx) => {
    const body: AdminSummary = { memberCount: await memberModel(deps.conn).countDocuments() };
    ctx.body = body;
  });
  return router;
}
