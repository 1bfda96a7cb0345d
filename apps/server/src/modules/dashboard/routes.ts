// The owner's dashboard: the figures over a range of China days (and a store), and each figure as a CSV file.
import Router from '@koa/router';
import { DashboardFigureInfos, DashboardFigureKey, DashboardPaths, DashboardQuery } from '@member-hub/shared';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { authorize } from '../../middlewares/auth';
import { inputOf, validate } from '../../middlewares/validate';

const ExportParams = z.strictObject({ figure: DashboardFigureKey });

export function dashboardRoutes(deps: AppDeps): Router {
  const router = new Router();
  const read = authorize('analytics.read');

  router.get(DashboardPaths.dashboard, read, validate(DashboardQuery, 'query'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.dashboard.dashboard(inputOf(ctx, DashboardQuery), await deps.rules.get());
  });

  router.get(
    DashboardPaths.export(':figure' as DashboardFigureKey),
    read,
    validate(ExportParams, 'params'),
    validate(DashboardQuery, 'query'),
    async (ctx) => {
      const { figure } = ExportParams.parse(ctx.params);
      const query = inputOf(ctx, DashboardQuery);
      const stream = await deps.dashboard.csv(figure, query, await deps.rules.get());
      const name = `${DashboardFigureInfos[figure].title}_${query.from}_${query.to}.csv`;
      ctx.set('Cache-Control', 'no-store');
      ctx.set(
        'Content-Disposition',
        `attachment; filename="dashboard-${figure}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
      );
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = stream;
    },
  );

  return router;
}
