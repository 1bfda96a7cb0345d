import type Router from '@koa/router';
import type { Context } from 'koa';
import { BodyTooLargeError, readJsonObject } from './body';
import type { CallLog, CallRecord } from './call-log';
import type { SandboxClock } from './clock';
import type { Faults } from './faults';
import { WechatError, wechatErrors } from './wechat-errors';

export interface WechatApiRequest {
  query: Record<string, string | undefined>;
  /** The body as a JSON object; answers 47001 (data format error) when it is not one. */
  json(): Promise<Record<string, unknown>>;
  /** Names the calling app in the call log once the handler knows it. */
  setAppid(appid: string): void;
}

/** A success answer that is not JSON, e.g. getwxacodeunlimit's PNG (its errors stay JSON). */
export class BinaryReply {
  constructor(
    readonly contentType: string,
    readonly body: Buffer,
  ) {}
}

/** One WeChat server API, registered by its family's router module. */
export interface WechatApi {
  /** The name used by the control API (failure injection, call log), e.g. "jscode2session". */
  name: string;
  method: 'GET' | 'POST';
  path: string;
  handle(request: WechatApiRequest): Promise<WechatApiReply> | WechatApiReply;
}

/** A JSON object (the usual), or the bytes of an API that answers a file. */
export type WechatApiReply = Record<string, unknown> | BinaryReply;

/**
 * How a registered API answers errors: 'wechat' with HTTP 200 + errcode, 'pay' (WeChat Pay) with an HTTP status,
 * so an injected failure's errcode is a status there.
 */
export type ApiWireFormat = 'wechat' | 'pay';

/** What every WeChat API shares: time, the call log, injected faults, and the registered APIs by name. */
export interface WechatApiRuntime {
  clock: SandboxClock;
  calls: CallLog;
  faults: Faults;
  apis: Map<string, ApiWireFormat>;
}

/**
 * Mounts `api` on `router`: the wrong method answers 43001/43002, every call is logged, injected latency and
 * failures apply, and a thrown WechatError becomes WeChat's HTTP 200 `{errcode, errmsg}` (JSON even for APIs whose
 * success is a BinaryReply).
 */
export function mountWechatApi(router: Router, runtime: WechatApiRuntime, api: WechatApi): void {
  runtime.apis.set(api.name, 'wechat');
  router.all(api.path, async (ctx) => {
    const record = runtime.calls.start(api.name, runtime.clock.now());
    let errcode = 0;
    try {
      if (ctx.method !== api.method) {
        throw api.method === 'GET' ? wechatErrors.requireGet() : wechatErrors.requirePost();
      }
      const latency = runtime.faults.latency(api.name);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const injected = runtime.faults.takeFailure(api.name);
      if (injected) throw new WechatError(injected.errcode, injected.errmsg);
      const reply = await api.handle(toRequest(ctx, record));
      if (reply instanceof BinaryReply) {
        ctx.body = reply.body;
        ctx.type = reply.contentType;
      } else {
        ctx.body = reply;
      }
    } catch (error) {
      if (!(error instanceof WechatError)) {
        errcode = -1;
        throw error;
      }
      errcode = error.errcode;
      ctx.body = error.toBody();
    } finally {
      runtime.calls.finish(record, errcode, runtime.clock.now());
    }
    ctx.status = 200;
  });
}

/** The query string with one value per name (the first, when a name repeats), as WeChat reads it. */
export function firstQueryValues(ctx: Context): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(ctx.query)) query[key] = Array.isArray(value) ? value[0] : value;
  return query;
}

function toRequest(ctx: Context, record: CallRecord): WechatApiRequest {
  return {
    query: firstQueryValues(ctx),
    async json() {
      try {
        const body = await readJsonObject(ctx);
        if (body === undefined) throw wechatErrors.dataFormatError();
        return body;
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw wechatErrors.dataFormatError();
        throw error;
      }
    },
    setAppid(appid) {
      record.appid = appid;
    },
  };
}
