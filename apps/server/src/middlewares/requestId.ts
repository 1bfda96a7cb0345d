import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../logger';
import type { RequestSample } from '../modules/metrics/metrics';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const UNMATCHED_ROUTE = 'unmatched';

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

export interface RequestLogOptions {
  /** The route template of a request (`/api/v1/members/:id`), never its raw URL; `unmatched` when none. */
  routeOf?: (ctx: Context) => string;
  /** Told of every answered request (metrics). */
  onFinished?: (sample: RequestSample) => void;
}

const asText = (path: string | RegExp): string => (typeof path === 'string' ? path : path.source);

/**
 * The template of the route that took the request, as the router recorded it; for a request refused before routing
 * (a bad session token), the template the router would have picked. Either way a value from a fixed set.
 */
export function routeTemplateOf(...routers: Router[]): (ctx: Context) => string {
  const routes = routers.flatMap((router) => router.stack.filter((layer) => layer.methods.length > 0));
  const templates = new Set(routes.map((layer) => asText(layer.path)));
  return (ctx) => {
    const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
    if (matched !== undefined && templates.has(asText(matched))) return asText(matched);
    for (const router of routers) {
      const route = router.match(ctx.path, ctx.method).pathAndMethod.findLast((layer) => layer.methods.length > 0);
      if (route) return asText(route.path);
    }
    return UNMATCHED_ROUTE;
  };
}

/**
 * Honour a well-formed incoming X-Request-Id (from a gateway), else mint one; every log line carries it. Each
 * request ends with one `request` line: method, path, route template, status and duration.
 */
export function requestId(logger: Logger, options: RequestLogOptions = {}): Middleware {
  const routeOf = options.routeOf ?? (() => UNMATCHED_ROUTE);
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = logger.child({ requestId: id });
    ctx.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routeOf(ctx);
      ctx.state.log.info(
        { method: ctx.method, path: ctx.path, route, status: ctx.status, ms: Math.round(ms) },
        'request',
      );
      options.onFinished?.({ method: ctx.method, route, status: ctx.status, seconds: ms / 1000 });
    }
  };
}
