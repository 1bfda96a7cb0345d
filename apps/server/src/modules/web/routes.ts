// Serves the built H5 mini-program at /h5/ and the admin page at /admin/, plus the small config the H5 build reads.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { ApiPaths, type ClientConfig } from '@member-hub/shared';
import type { Context } from 'koa';
import send from 'koa-send';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** Files with a content hash in their name never change; index.html must always be fresh. */
function cacheHeaders(ctx: Context, file: string): void {
  const hashed = /[.-][0-9a-f]{8,}\.(js|css|png|svg|woff2?)$/i.test(file);
  ctx.set('Cache-Control', hashed ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache');
}

/** Only a file inside the build is served as itself: a directory or a path out of it (/h5/..) is the page. */
function isFileUnder(root: string, rel: string): boolean {
  const full = path.resolve(root, rel);
  return full.startsWith(root + path.sep) && statSync(full, { throwIfNoEntry: false })?.isFile() === true;
}

function serveSpa(root: string, mount: string) {
  return async (ctx: Context) => {
    if (!existsSync(path.join(root, 'index.html'))) {
      throw new AppError('NOT_FOUND', `${mount} is not built yet: run "npm run build:web"`);
    }
    const rel = ctx.path.slice(mount.length).replace(/^\/+/, '');
    const wanted = rel && isFileUnder(root, rel) ? rel : 'index.html';
    cacheHeaders(ctx, wanted);
    await send(ctx, wanted, { root, hidden: false });
  };
}

export function webRoutes(deps: AppDeps): Router {
  // strict: '/h5' and '/h5/' are different routes (one redirects to the other).
  const router = new Router({ strict: true });
  const { h5Dir, adminDir } = deps.config.web;
  router.get(ApiPaths.clientConfig, (ctx) => {
    const body: ClientConfig = { appid: deps.wechat.appid, sandboxBaseUrl: deps.sandboxBaseUrl };
    ctx.body = body;
  });
  router.get('/', (ctx) => ctx.redirect('/h5/'));
  router.get('/h5', (ctx) => ctx.redirect('/h5/'));
  router.get('/admin', (ctx) => ctx.redirect('/admin/'));
  router.get(/^\/h5\/.*/, serveSpa(h5Dir, '/h5'));
  router.get(/^\/admin\/.*/, serveSpa(adminDir, '/admin'));
  return router;
}
