import { ErrorCodes, isErrorBody } from '@member-hub/shared';
import { ApiError } from './errors';
import type { HttpMethod, Transport } from './transport';

/** Anything with zod's `parse`: the client validates every success body with the shared schemas. */
export interface Schema<T> {
  parse(data: unknown): T;
}

export interface JsonCall<T> {
  url: string;
  method: HttpMethod;
  schema: Schema<T>;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * One JSON round trip with the project's one error shape: `{error:{code,message,details}}` becomes an ApiError
 * with the server's code; no response, a non-JSON error page or a body that does not match the schema become
 * client-side codes, so callers only ever catch ApiError.
 */
export async function callJson<T>(transport: Transport, call: JsonCall<T>): Promise<T> {
  // The server words its error messages in the language asked for; this app is Chinese whatever the device says.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN', ...call.headers };
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Awaited<ReturnType<Transport>>;
  try {
    response = await transport({ url: call.url, method: call.method, headers, body: call.body });
  } catch (cause) {
    throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0, describeCause(cause));
  }

  const { status, data } = response;
  if (status >= 200 && status < 300) {
    try {
      return call.schema.parse(data);
    } catch (cause) {
      throw new ApiError('BAD_RESPONSE', '服务器返回的数据格式不正确', status, describeCause(cause));
    }
  }
  throw apiErrorFor(status, data);
}

/**
 * The ApiError an error answer means: the server's `{error:{code,message,details}}`, or BAD_RESPONSE for a body
 * that is not one. Also for the answers that are not JSON when they succeed (the invite code's PNG).
 */
export function apiErrorFor(status: number, data: unknown): ApiError {
  if (isErrorBody(data)) {
    const { code, message, details } = data.error;
    // An older app build can meet a newer server: keep its message, but never pass off an unknown code as known.
    if (!KNOWN_CODES.has(code)) {
      return new ApiError('UNKNOWN_ERROR', message || fallbackMessage(status), status, { code, details });
    }
    return new ApiError(code, message || fallbackMessage(status), status, details);
  }
  return new ApiError('BAD_RESPONSE', fallbackMessage(status), status);
}

// A plain set rather than `Object.hasOwn`, which older WeChat clients (iOS < 15.4 JavaScriptCore) lack.
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(ErrorCodes));

function fallbackMessage(status: number): string {
  return status >= 500 ? `服务器开小差了，请稍后再试（${status}）` : `请求失败（${status}）`;
}

/** What a failure without an answer says, for the error's details. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'object' && cause !== null && 'errMsg' in cause) return String(cause.errMsg);
  return String(cause);
}

export interface ApiClientOptions {
  /** Prefix of every path; empty means the page's own origin. */
  baseUrl: string;
  transport: Transport;
  getToken: () => string | null;
}

export interface RequestOptions {
  /** Send the bearer token (default true). The login call itself sends none. */
  auth?: boolean;
}

export interface ApiClient {
  get<T>(path: string, schema: Schema<T>, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, schema: Schema<T>, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body: unknown, schema: Schema<T>, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, schema: Schema<T>, options?: RequestOptions): Promise<T>;
  delete<T>(path: string, schema: Schema<T>, options?: RequestOptions): Promise<T>;
}

/** For answers whose body the caller does not use (204, `{ok:true}`...): accepts anything. */
export const anyBody: Schema<unknown> = { parse: (data) => data };

/** A JSON array whose every entry `item` parses. */
export function arrayOf<T>(item: Schema<T>): Schema<T[]> {
  return {
    parse(data) {
      if (!Array.isArray(data)) throw new TypeError('expected an array');
      return data.map((entry) => item.parse(entry));
    },
  };
}

/** `schema` as the bare body or wrapped in `{ [key]: ... }`, for answers whose contract does not pin which. */
export function bareOrWrapped<T>(schema: Schema<T>, key: string): Schema<T> {
  return {
    parse(data) {
      const wrapped = typeof data === 'object' && data !== null && !Array.isArray(data) && key in data;
      return schema.parse(wrapped ? (data as Record<string, unknown>)[key] : data);
    },
  };
}

export function createApiClient({ baseUrl, transport, getToken }: ApiClientOptions): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');

  function send<T>(method: HttpMethod, path: string, schema: Schema<T>, body: unknown, options?: RequestOptions) {
    const headers: Record<string, string> = {};
    const token = options?.auth === false ? null : getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return callJson(transport, { url: `${base}${path}`, method, schema, body, headers });
  }

  return {
    get: (path, schema, options) => send('GET', path, schema, undefined, options),
    post: (path, body, schema, options) => send('POST', path, schema, body, options),
    put: (path, body, schema, options) => send('PUT', path, schema, body, options),
    patch: (path, body, schema, options) => send('PATCH', path, schema, body, options),
    delete: (path, schema, options) => send('DELETE', path, schema, undefined, options),
  };
}
