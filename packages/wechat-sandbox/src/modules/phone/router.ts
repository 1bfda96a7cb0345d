import Router from '@koa/router';
import { z } from 'zod';
import type { AppRegistry } from '../../apps';
import { httpErrors } from '../../core/http-errors';
import { parseJsonBody } from '../../core/validate';
import { mountWechatApi, type WechatApiRuntime } from '../../core/wechat-api';
import { wechatErrors } from '../../core/wechat-errors';
import type { AccessTokens } from '../access-token/access-tokens';
import { MAINLAND_MOBILE, type PhoneCodes } from './phone-codes';

export interface PhoneDeps {
  runtime: WechatApiRuntime;
  apps: AppRegistry;
  accessTokens: AccessTokens;
  phoneCodes: PhoneCodes;
}

export const phoneNumberSchema = z.string().regex(MAINLAND_MOBILE, 'must be an 11-digit mainland mobile number');

const phoneCodeBody = z.object({ appid: z.string().min(1), phoneNumber: phoneNumberSchema });

/** Phone numbers: getuserphonenumber, plus what the getPhoneNumber button yields, for the H5 build. */
export function createPhoneRouter(deps: PhoneDeps): Router {
  const router = new Router();

  mountWechatApi(router, deps.runtime, {
    name: 'getuserphonenumber',
    method: 'POST',
    path: '/wxa/business/getuserphonenumber',
    async handle({ query, json, setAppid }) {
      const appid = deps.accessTokens.verify(query.access_token);
      setAppid(appid);
      const body = await json();
      if (typeof body.code !== 'string' || body.code === '') throw wechatErrors.dataFormatError();
      return { errcode: 0, errmsg: 'ok', phone_info: deps.phoneCodes.redeem(appid, body.code) };
    },
  });

  router.post('/sandbox/phone-code', async (ctx) => {
    const input = await parseJsonBody(ctx, phoneCodeBody);
    if (!deps.apps.find(input.appid)) throw httpErrors.unknownApp(input.appid);
    ctx.body = { code: deps.phoneCodes.issue(input.appid, input.phoneNumber) };
  });

  return router;
}
