import Router from '@koa/router';
import { BinaryReply, mountWechatApi, type WechatApiRuntime } from '../../core/wechat-api';
import { wechatErrors } from '../../core/wechat-errors';
import type { AccessTokens } from '../access-token/access-tokens';
import { qrPng } from './png';
import {
  ENV_VERSIONS,
  type EnvVersion,
  PAGE_MAX_LENGTH,
  PAGE_PATTERN,
  SCENE_PATTERN,
  WIDTH_DEFAULT,
  WIDTH_MAX,
  WIDTH_MIN,
  type WxaCodes,
} from './wxa-codes';

export interface WxaCodeDeps {
  runtime: WechatApiRuntime;
  accessTokens: AccessTokens;
  wxaCodes: WxaCodes;
}

/**
 * Mini-program codes: getwxacodeunlimit answers a PNG (a plain QR code of `page?scene=`, standing in for WeChat's
 * round code) or, on error, the usual JSON `{errcode, errmsg}`; clients tell them apart by Content-Type.
 */
export function createWxaCodeRouter(deps: WxaCodeDeps): Router {
  const router = new Router();

  mountWechatApi(router, deps.runtime, {
    name: 'getwxacodeunlimit',
    method: 'POST',
    path: '/wxa/getwxacodeunlimit',
    async handle({ query, json, setAppid }) {
      const appid = deps.accessTokens.verify(query.access_token);
      setAppid(appid);
      const body = await json();
      const scene = sceneOf(body.scene);
      const page = pageOf(body.page);
      const width = widthOf(body.width);
      const checkPath = optionalBoolean(body.check_path, true);
      const envVersion = envVersionOf(body.env_version);
      // Accepted for their types; the sandbox always draws black on white.
      optionalBoolean(body.auto_color, false);
      optionalBoolean(body.is_hyaline, false);
      if (body.line_color !== undefined && (typeof body.line_color !== 'object' || body.line_color === null)) {
        throw wechatErrors.dataFormatError();
      }
      const text = `${page ?? ''}?scene=${encodeURIComponent(scene)}`;
      const png = qrPng(text, width);
      deps.wxaCodes.record({
        appid,
        scene,
        ...(page === undefined ? {} : { page }),
        width,
        check_path: checkPath,
        env_version: envVersion,
        text,
        at: deps.runtime.clock.now(),
      });
      return new BinaryReply('image/png', png);
    },
  });

  return router;
}

/** Missing, empty, too long or with a character outside WeChat's list: 40169; not a string: 47001. */
function sceneOf(value: unknown): string {
  if (value === undefined || value === '') throw wechatErrors.invalidScene();
  if (typeof value !== 'string') throw wechatErrors.dataFormatError();
  if (!SCENE_PATTERN.test(value)) throw wechatErrors.invalidScene();
  return value;
}

/** Absent or empty means the home page; a leading slash, a query or odd characters: 41030. */
function pageOf(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw wechatErrors.dataFormatError();
  if (value.length > PAGE_MAX_LENGTH || !PAGE_PATTERN.test(value)) throw wechatErrors.invalidPage();
  return value;
}

/** Default 430; WeChat draws out-of-range widths at the nearest bound (280..1280). Not an integer: 47001. */
function widthOf(value: unknown): number {
  if (value === undefined) return WIDTH_DEFAULT;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wechatErrors.dataFormatError();
  return Math.min(WIDTH_MAX, Math.max(WIDTH_MIN, value));
}

function optionalBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw wechatErrors.dataFormatError();
  return value;
}

/** Default release; another string: 40097 invalid args; not a string: 47001. */
function envVersionOf(value: unknown): EnvVersion {
  if (value === undefined) return 'release';
  if (typeof value !== 'string') throw wechatErrors.dataFormatError();
  const known = ENV_VERSIONS.find((version) => version === value);
  if (!known) throw wechatErrors.invalidArgs();
  return known;
}
