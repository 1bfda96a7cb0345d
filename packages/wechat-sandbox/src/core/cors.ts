import type { Middleware } from 'koa';

/**
 * CORS for the H5 build of the mini-program, served from another origin. No cookies are involved, so any
 * origin may call; preflights are answered here without reaching the routes.
 */
export function cors(pathPrefix: string): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith(pathPrefix)) return next();
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Vary', 'Origin');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', ctx.get('Access-Control-Request-Headers') || 'Content-Type');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
