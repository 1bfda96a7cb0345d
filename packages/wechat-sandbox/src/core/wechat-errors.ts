import { requestId } from './ids';

/** errmsg texts as api.weixin.qq.com sends them (before the ", rid: ..." suffix). */
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40169: 'invalid length for scene, or the data is not json string',
  40226: 'code blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41030: 'invalid page',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
};

export function defaultErrmsg(errcode: number): string {
  return ERRMSG[errcode] ?? 'sandbox injected error';
}

/** A WeChat API error: answered with HTTP 200 and `{errcode, errmsg}`, as WeChat does. */
export class WechatError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string = defaultErrmsg(errcode),
  ) {
    super(`${errcode} ${errmsg}`);
    this.name = 'WechatError';
  }

  toBody(): { errcode: number; errmsg: string } {
    return { errcode: this.errcode, errmsg: `${this.errmsg}, rid: ${requestId()}` };
  }
}

export const wechatErrors = {
  systemBusy: () => new WechatError(-1),
  invalidCredential: () => new WechatError(40001),
  invalidGrantType: () => new WechatError(40002),
  invalidOpenid: () => new WechatError(40003),
  invalidAppid: () => new WechatError(40013),
  invalidCode: () => new WechatError(40029),
  invalidTemplateId: () => new WechatError(40037),
  invalidArgs: () => new WechatError(40097),
  invalidAppsecret: () => new WechatError(40125),
  codeBeenUsed: () => new WechatError(40163),
  invalidScene: () => new WechatError(40169),
  accessTokenMissing: () => new WechatError(41001),
  appidMissing: () => new WechatError(41002),
  appsecretMissing: () => new WechatError(41004),
  codeMissing: () => new WechatError(41008),
  invalidPage: () => new WechatError(41030),
  accessTokenExpired: () => new WechatError(42001),
  requireGet: () => new WechatError(43001),
  requirePost: () => new WechatError(43002),
  userRefusedMessage: () => new WechatError(43101),
  dailyQuotaReached: () => new WechatError(45009),
  dataFormatError: () => new WechatError(47001),
  /** 47003 names what is wrong the way WeChat does: `argument invalid! data.thing1.value invalid`. */
  argumentInvalid: (what: string) => new WechatError(47003, `argument invalid! ${what}`),
};
