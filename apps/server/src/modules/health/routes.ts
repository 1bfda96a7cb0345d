import Router from '@koa/router';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { pingDatabase } from '../../lib/databasePing';

const READY_TIMEOUT_MS = 2000;

export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();
  // Liveness: the process answers. Never touches the database, so a slow database does not get us restarted.
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  // Readiness: the database answers a ping in time.
  router.get('/readyz', async (ctx) => {
    if ((await pingDatabase(deps.conn, READY_TIMEOUT_MS)) === null) throw new AppError('DATABASE_UNAVAILABLE');
    ctx.body = { status: 'ready' };
  });
  return router;
}
