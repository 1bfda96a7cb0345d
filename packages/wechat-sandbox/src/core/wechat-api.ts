import { STATUS_CODES } from 'node:http';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { BodyTooLargeError, parseJsonObject, readRawBody } from './body';
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

/**
 * JSON written by hand, for values `JSON.stringify` cannot write: subscribe/send's msgid is an int64 number on
 * the wire, beyond JavaScript's safe integers, and clients must cope with that.
 */
export function jsonTextReply(json: string): BinaryReply {
  return new BinaryReply('application/json; charset=utf-8', Buffer.from(json, 'utf8'));
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
 * success is a BinaryReply). An injected HTTP-status failure answers that status with a gateway's HTML page.
 */
export function mountWechatApi(router: Router, runtime: WechatApiRuntime, api: WechatApi): void {
  runtime.apis.set(api.name, 'wechat');
  router.all(api.path, async (ctx) => {
    const record = runtime.calls.start(api.name, runtime.clock.now());
    let errcode = 0;
    let status = 200;
    try {
      if (ctx.method !== api.method) {
        throw api.method === 'GET' ? wechatErrors.requireGet() : wechatErrors.requirePost();
      }
      // Taken in before any injected latency: a client that gives up during the delay has still delivered its
      // request, which WeChat then carries out (a timeout does not mean nothing happened).
      const body = bufferBody(ctx);
      const latency = runtime.faults.latency(api.name);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const injected = runtime.faults.takeFailure(api.name);
      if (injected?.status !== undefined) {
        status = injected.status;
        errcode = injected.status;
        ctx.body = gatewayErrorPage(injected.status);
        ctx.type = 'text/html';
      } else {
        if (injected) throw new WechatError(injected.errcode, injected.errmsg);
        const reply = await api.handle(toRequest(ctx, body, record));
        if (reply instanceof BinaryReply) {
          ctx.body = reply.body;
          ctx.type = reply.contentType;
        } else {
          ctx.body = reply;
        }
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
    ctx.status = status;
  });
}

/** What an overloaded front end answers: the status, an HTML page, no errcode to read. */
function gatewayErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\n<head><title>${title}</title></head>\n<body><center><h1>${title}</h1></center></body>\n</html>\n`;
}

/** The query string with one value per name (the first, when a name repeats), as WeChat reads it. */
export function firstQueryValues(ctx: Context): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(ctx.query)) query[key] = Array.isArray(value) ? value[0] : value;
  return query;
}

type BufferedBody = Promise<{ text: string } | { error: unknown }>;

/** Starts reading the body now; the outcome waits for the handler (never an unhandled rejection). */
function bufferBody(ctx: Context): BufferedBody {
  return readRawBody(ctx).then(
    (text) => ({ text }),
    (error: unknown) => ({ error }),
  );
}

function toRequest(ctx: Context, buffered: BufferedBody, record: CallRecord): WechatApiRequest {
  return {
    query: firstQueryValues(ctx),
    async json() {
      const read = await buffered;
      if ('error' in read) {
        if (read.error instanceof BodyTooLargeError) throw wechatErrors.dataFormatError();
        throw read.error;
      }
      const body = parseJsonObject(read.text);
      if (body === undefined) throw wechatErrors.dataFormatError();
      return body;
    },
    setAppid(appid) {
      record.appid = appid;
    },
  };
}
