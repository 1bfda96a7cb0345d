// GET /metrics: Prometheus text. Mounted ahead of session authentication (its bearer is the scrape token, not a
// session). With `metrics.token` set (required in production) the scraper must send `Authorization: Bearer <it>`;
// without one (development, test) the endpoint is open.
import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';

export const METRICS_PATH = '/metrics';

/** Compares digests, so neither the token's content nor its length leaks through timing. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function metricsRoutes(deps: AppDeps): Router {
  const router = new Router();
  const token = deps.config.metrics.token;
  router.get(METRICS_PATH, async (ctx) => {
    if (token !== null) {
      const given = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
      if (given === undefined || !sameToken(given, token)) {
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new AppError(given === undefined ? 'UNAUTHENTICATED' : 'TOKEN_INVALID');
      }
    }
    const { contentType, body } = await deps.metrics.scrape();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
