import Router from '@koa/router';
import { z } from 'zod';
import type { AppRegistry, SandboxApp } from '../../apps';
import { readRawBody } from '../../core/body';
import { httpErrors } from '../../core/http-errors';
import { newSessionKey } from '../../core/ids';
import { httpUrl } from '../../core/urls';
import { parseInput, parseJsonBody } from '../../core/validate';
import { mountWechatApi, type WechatApiRuntime } from '../../core/wechat-api';
import { wechatErrors } from '../../core/wechat-errors';
import type { Identities } from './identities';
import type { LoginCodes } from './login-codes';
import { renderLoginCode, renderLoginForm } from './login-page';

export interface LoginDeps {
  runtime: WechatApiRuntime;
  apps: AppRegistry;
  identities: Identities;
  loginCodes: LoginCodes;
}

const jsLoginBody = z.object({ appid: z.string().min(1), user: z.string().min(1).max(128) });

const loginForm = z.object({
  appid: z.string().min(1),
  user: z.string().trim().max(128).optional(),
  openid: z.string().trim().max(64).optional(),
  redirect: z.string().optional(),
});

/** Login: code2Session, plus what `wx.login` does on a phone for the H5 build and for manual testing. */
export function createLoginRouter(deps: LoginDeps): Router {
  const router = new Router();
  const { apps, identities, loginCodes } = deps;

  function appOr404(appid: string): SandboxApp {
    const app = apps.find(appid);
    if (!app) throw httpErrors.unknownApp(appid);
    return app;
  }

  mountWechatApi(router, deps.runtime, {
    name: 'jscode2session',
    method: 'GET',
    path: '/sns/jscode2session',
    handle({ query, setAppid }) {
      if (!query.appid) throw wechatErrors.appidMissing();
      const app = apps.find(query.appid);
      if (!app) throw wechatErrors.invalidAppid();
      setAppid(app.appid);
      if (!query.secret) throw wechatErrors.appsecretMissing();
      if (query.secret !== app.secret) throw wechatErrors.invalidAppsecret();
      if (query.grant_type !== 'authorization_code') throw wechatErrors.invalidGrantType();
      if (!query.js_code) throw wechatErrors.codeMissing();
      const identity = loginCodes.redeem(app.appid, query.js_code);
      return {
        session_key: newSessionKey(),
        openid: identity.openid,
        ...(app.boundToOpenPlatform ? { unionid: identity.unionid } : {}),
      };
    },
  });

  router.post('/sandbox/jslogin', async (ctx) => {
    const input = await parseJsonBody(ctx, jsLoginBody);
    const app = appOr404(input.appid);
    ctx.body = { code: loginCodes.issue(app.appid, identities.forUser(app.appid, input.user)) };
  });

  router.get('/sandbox/login', (ctx) => {
    const appid = typeof ctx.query.appid === 'string' ? ctx.query.appid : undefined;
    const redirect = typeof ctx.query.redirect === 'string' ? ctx.query.redirect : undefined;
    ctx.type = 'html';
    ctx.body = renderLoginForm({ appids: apps.list().map((app) => app.appid), selectedAppid: appid, redirect });
  });

  router.post('/sandbox/login', async (ctx) => {
    const form = parseInput(loginForm, Object.fromEntries(new URLSearchParams(await readRawBody(ctx))));
    const app = appOr404(form.appid);
    const redirect = form.redirect ? parseRedirect(form.redirect) : undefined;
    if (!form.openid && !form.user) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = renderLoginForm({
        appids: apps.list().map((a) => a.appid),
        selectedAppid: app.appid,
        redirect: form.redirect,
        error: '请填写用户名或 openid',
      });
      return;
    }
    const identity = form.openid
      ? identities.forOpenid(app.appid, form.openid)
      : identities.forUser(app.appid, form.user ?? '');
    const code = loginCodes.issue(app.appid, identity);
    if (redirect) {
      redirect.searchParams.set('code', code);
      ctx.status = 303;
      ctx.redirect(redirect.toString());
      return;
    }
    ctx.type = 'html';
    ctx.body = renderLoginCode({ appid: app.appid, openid: identity.openid, code });
  });

  return router;
}

function parseRedirect(value: string): URL {
  const url = httpUrl(value);
  if (!url) throw httpErrors.invalidRedirect();
  return url;
}
