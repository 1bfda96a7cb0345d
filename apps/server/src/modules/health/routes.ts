import Router from '@koa/router';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';

const READY_TIMEOUT_MS = 2000;

export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();
  // Liveness: the process answers. Never touches the database, so a slow database does not get us restarted.
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  // Readiness: the database answers a ping in time.
  router.get('/readyz', async (ctx) => {
    const db = deps.conn.db;
    const ping = db ? db.admin().ping() : Promise.reject(new Error('not connected'));
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS).unref(),
    );
    try {
      await Promise.race([ping, timeout]);
    } catch {
      throw new AppError('DATABASE_UNAVAILABLE');
    }
    ctx.body = { status: 'ready' };
  });
  return router;
}
