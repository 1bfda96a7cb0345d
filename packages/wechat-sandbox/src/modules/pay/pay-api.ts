import type Router from '@koa/router';
import type { Context } from 'koa';
import { BodyTooLargeError, parseJsonObject, readRawBody } from '../../core/body';
import { randomHex } from '../../core/ids';
import { firstQueryValues, type WechatApiRuntime } from '../../core/wechat-api';
import type { SandboxPayKeys } from './keys';
import { defaultPayErrorCode, defaultPayErrorMessage, PayError, payErrors } from './pay-errors';
import { parseAuthorization, requestSignMessage, rsaVerify, wechatpaySignatureHeaders } from './signing';

/** WeChat Pay refuses a request signed more than five minutes off its own clock. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface PayApiRequest {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** The body as a JSON object; PARAM_ERROR when it is not one. */
  json(): Record<string, unknown>;
  /** How the caller reached the sandbox (e.g. http://127.0.0.1:4100), for URLs handed back to it. */
  baseUrl: string;
}

/** 200 with signed JSON, 204 with a signed empty body, or a raw file (bill downloads, which WeChat does not sign). */
export type PayAnswer =
  | { json: Record<string, unknown> }
  | { noContent: true }
  | { file: string | Buffer; contentType: string };

/** One WeChat Pay APIv3 endpoint, registered by the pay router. */
export interface PayApi {
  /** The name used by the control API (failure injection, latency, call log), e.g. "pay_jsapi". */
  name: string;
  method: 'GET' | 'POST';
  path: string;
  handle(request: PayApiRequest): PayAnswer | Promise<PayAnswer>;
}

/**
 * Mounts `api` on `router` the way api.mch.weixin.qq.com serves it: every call is logged, injected latency and
 * failures apply, the request's Authorization signature is checked with the merchant key, and every JSON answer
 * (success or `{code, message}` error) carries Wechatpay-* signature headers made with the platform key.
 */
export function mountPayApi(router: Router, runtime: WechatApiRuntime, keys: SandboxPayKeys, api: PayApi): void {
  runtime.apis.set(api.name, 'pay');
  router.all(api.path, async (ctx) => {
    const record = runtime.calls.start(api.name, runtime.clock.now());
    let status = 0;
    let code: string | undefined;
    try {
      writeAnswer(ctx, keys, runtime.clock.nowSeconds(), await answer(ctx, runtime, keys, api));
    } catch (error) {
      if (!(error instanceof PayError)) {
        status = 500;
        throw error;
      }
      status = error.status;
      code = error.code;
      writeSigned(ctx, keys, runtime.clock.nowSeconds(), error.status, JSON.stringify(error.toBody()));
    } finally {
      runtime.calls.finish(record, status, runtime.clock.now(), code);
    }
  });
}

async function answer(ctx: Context, runtime: WechatApiRuntime, keys: SandboxPayKeys, api: PayApi): Promise<PayAnswer> {
  if (ctx.method !== api.method) throw payErrors.notFound(ctx.method, ctx.path);
  const latency = runtime.faults.latency(api.name);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  const injected = runtime.faults.takeFailure(api.name);
  if (injected) {
    const code = injected.code ?? defaultPayErrorCode(injected.errcode);
    throw new PayError(injected.errcode, code, injected.errmsg ?? defaultPayErrorMessage(code));
  }
  let body: string;
  try {
    body = await readRawBody(ctx);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw payErrors.paramError('请求体过大');
    throw error;
  }
  verifyRequestSignature(ctx, keys, runtime.clock.nowSeconds(), body);
  return api.handle({
    params: ctx.params,
    query: firstQueryValues(ctx),
    json() {
      const parsed = parseJsonObject(body);
      if (!parsed) throw payErrors.paramError('请求体不是合法的 JSON 对象', { location: 'body' });
      return parsed;
    },
    baseUrl: `${ctx.protocol}://${ctx.host}`,
  });
}

/** SIGN_ERROR (401) unless the request is signed by this merchant's current key, within five minutes. */
function verifyRequestSignature(ctx: Context, keys: SandboxPayKeys, nowSeconds: number, body: string): void {
  const auth = parseAuthorization(ctx.get('Authorization') || undefined);
  if (!auth) {
    throw payErrors.signError('Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》', {
      field: 'Authorization',
      location: 'header',
    });
  }
  if (auth.mchid !== keys.mchid) {
    throw payErrors.signError('Authorization 中的商户号不存在或与签名密钥不匹配', {
      field: 'mchid',
      location: 'authorization',
    });
  }
  if (auth.serial_no !== keys.merchantSerial) {
    throw payErrors.signError('商户证书序列号有误。请使用签名私钥匹配的证书序列号', {
      field: 'serial_no',
      location: 'authorization',
    });
  }
  if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(nowSeconds - Number(auth.timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw payErrors.signError('请求的时间戳与微信支付服务器时间相差超过 5 分钟，请同步时间后重试', {
      field: 'timestamp',
      location: 'authorization',
    });
  }
  const message = requestSignMessage(ctx.method, ctx.originalUrl, auth.timestamp, auth.nonce_str, body);
  if (!rsaVerify(keys.merchantPublicKeyPem, message, auth.signature)) {
    // Like WeChat, echo what was verified so a client can see which part of its signing message differs.
    throw payErrors.signError('签名错误，请检查后再试', {
      field: 'signature',
      location: 'authorization',
      detail: { issue: 'sign not match' },
      sign_information: {
        method: ctx.method,
        url: ctx.originalUrl,
        sign_message_length: Buffer.byteLength(message),
        truncated_sign_message: message.slice(0, 80),
      },
    });
  }
}

function writeAnswer(ctx: Context, keys: SandboxPayKeys, nowSeconds: number, reply: PayAnswer): void {
  if ('file' in reply) {
    ctx.status = 200;
    ctx.set('Request-ID', newRequestId());
    ctx.type = reply.contentType;
    ctx.body = reply.file;
    return;
  }
  if ('noContent' in reply) writeSigned(ctx, keys, nowSeconds, 204, '');
  else writeSigned(ctx, keys, nowSeconds, 200, JSON.stringify(reply.json));
}

/** Signs exactly the bytes sent: the signature covers the body as written, so it is set as a string. */
function writeSigned(ctx: Context, keys: SandboxPayKeys, nowSeconds: number, status: number, body: string): void {
  ctx.status = status;
  ctx.set(wechatpaySignatureHeaders(keys, nowSeconds, body));
  ctx.set('Request-ID', newRequestId());
  if (body === '') {
    ctx.body = null;
    return;
  }
  ctx.type = 'application/json';
  ctx.body = body;
}

function newRequestId(): string {
  return randomHex(20).toUpperCase();
}
