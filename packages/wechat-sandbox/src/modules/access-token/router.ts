import Router from '@koa/router';
import type { AppRegistry } from '../../apps';
import { mountWechatApi, type WechatApiRuntime } from '../../core/wechat-api';
import { wechatErrors } from '../../core/wechat-errors';
import type { AccessTokens } from './access-tokens';

export interface AccessTokenDeps {
  runtime: WechatApiRuntime;
  apps: AppRegistry;
  accessTokens: AccessTokens;
}

/** Access tokens: the stable token API (`getStableAccessToken`). */
export function createAccessTokenRouter(deps: AccessTokenDeps): Router {
  const router = new Router();

  mountWechatApi(router, deps.runtime, {
    name: 'stable_token',
    method: 'POST',
    path: '/cgi-bin/stable_token',
    async handle({ json, setAppid }) {
      const body = await json();
      if (body.grant_type !== 'client_credential') throw wechatErrors.invalidGrantType();
      if (typeof body.appid !== 'string' || body.appid === '') throw wechatErrors.appidMissing();
      const app = deps.apps.find(body.appid);
      if (!app) throw wechatErrors.invalidAppid();
      setAppid(app.appid);
      if (typeof body.secret !== 'string' || body.secret === '') throw wechatErrors.appsecretMissing();
      if (body.secret !== app.secret) throw wechatErrors.invalidAppsecret();
      if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') {
        throw wechatErrors.dataFormatError();
      }
      const issued = deps.accessTokens.stableToken(app.appid, body.force_refresh === true);
      return { ...issued };
    },
  });

  return router;
}
