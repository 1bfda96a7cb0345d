// The one way the admin page talks to the server: same-origin JSON, bearer token, Chinese messages,
// and every failure turned into an ApiError with a stable code the pages can switch on.
import {
  AdminSummary,
  ApiPaths,
  type ErrorCode,
  isErrorBody,
  type OwnerLoginRequest,
  OwnerLoginResponse,
} from '@member-hub/shared';

/** Failures that never reached the server or that the server did not answer in its error shape. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status = 0,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const SESSION_ERROR_CODES: ReadonlySet<ApiErrorCode> = new Set(['UNAUTHENTICATED', 'TOKEN_INVALID', 'TOKEN_EXPIRED']);

/** True when the owner must log in again (as opposed to a wrong password, which is INVALID_CREDENTIALS). */
export function isSessionError(error: unknown): error is ApiError {
  return error instanceof ApiError && SESSION_ERROR_CODES.has(error.code);
}

/** Anything with zod's `parse`: the shared schemas, without this module depending on zod itself. */
interface ResponseSchema<T> {
  parse(input: unknown): T;
}

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  token?: string;
  schema: ResponseSchema<T>;
}

/** For answers the contract leaves open or empty (a 204 DELETE): whatever came back, unread. */
export const ignoredAnswer: ResponseSchema<unknown> = { parse: (input: unknown): unknown => input };

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';
const MALFORMED_MESSAGE = '服务器返回的数据格式不正确，请稍后再试';

/** fetch, with a failure to reach the server as an ApiError. */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError('NETWORK_ERROR', NETWORK_MESSAGE);
  }
}

/** A JSON answer checked by `schema`, or the ApiError it stands for. */
async function readAnswer<T>(response: Response, schema: ResponseSchema<T>): Promise<T> {
  const payload = await readJson(response);
  if (!response.ok) throw errorFromResponse(response.status, payload);
  try {
    return schema.parse(payload);
  } catch (cause) {
    throw new ApiError('UNEXPECTED_RESPONSE', MALFORMED_MESSAGE, response.status, cause);
  }
}

function baseHeaders(token: string | undefined, accept = 'application/json'): Record<string, string> {
  const headers: Record<string, string> = { Accept: accept, 'Accept-Language': 'zh-CN' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

export async function apiRequest<T>(path: string, options: RequestOptions<T>): Promise<T> {
  const headers = baseHeaders(options.token);
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await send(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return readAnswer(response, options.schema);
}

export interface UploadOptions<T> {
  token: string;
  /** The file's bytes, sent as the whole body. */
  file: Blob;
  contentType: string;
  /** More headers (the file's name). */
  headers?: Record<string, string>;
  schema: ResponseSchema<T>;
}

/** POST a file as the raw request body (no multipart), answered in JSON like the other calls. */
export async function apiUpload<T>(path: string, options: UploadOptions<T>): Promise<T> {
  const headers = { ...baseHeaders(options.token), ...options.headers, 'Content-Type': options.contentType };
  const response = await send(path, { method: 'POST', headers, body: options.file });
  return readAnswer(response, options.schema);
}

/** A file the server sends (a CSV export): its bytes and the name it suggests. */
export interface Download {
  blob: Blob;
  /** From Content-Disposition (`filename*` first), null when the server names none. */
  filename: string | null;
}

/** GET a file with the bearer (a plain link cannot send it); failures are ApiErrors like the JSON calls'. */
export async function apiDownload(path: string, token: string): Promise<Download> {
  const response = await send(path, { method: 'GET', headers: baseHeaders(token, 'text/csv, application/json') });
  if (!response.ok) throw errorFromResponse(response.status, await readJson(response));
  try {
    const blob = await response.blob();
    return { blob, filename: filenameFromDisposition(response.headers.get('Content-Disposition')) };
  } catch {
    throw new ApiError('NETWORK_ERROR', NETWORK_MESSAGE);
  }
}

/**
 * The file name in a Content-Disposition header: `filename*=UTF-8''…` (percent-encoded, for Chinese names) wins
 * over the plain `filename="…"`; null when there is neither or it does not decode.
 */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      const name = decodeURIComponent(extended[1].trim());
      if (name !== '') return name;
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(header);
  const name = plain?.[1] ?? plain?.[2] ?? '';
  return name.trim() === '' ? null : name.trim();
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Maps a non-2xx answer to an ApiError; bodies not in the shared error shape (a proxy's 502 page) still get a code. */
export function errorFromResponse(status: number, payload: unknown): ApiError {
  if (isErrorBody(payload)) {
    const { code, message, details } = payload.error;
    return new ApiError(code, message, status, details);
  }
  if (status === 401) return new ApiError('UNAUTHENTICATED', '请先登录', status);
  return new ApiError('UNEXPECTED_RESPONSE', `服务器开小差了（HTTP ${status}），请稍后再试`, status);
}

/** True when the server does not have this route yet (a section whose API is still arriving). */
export function isRouteMissing(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'ROUTE_NOT_FOUND';
}

/** What to show the owner for a failed call: the server's Chinese message, or a generic one. */
export function errorMessage(error: unknown, fallback = '操作失败，请稍后再试'): string {
  return error instanceof ApiError ? error.message : fallback;
}

export function loginOwner(credentials: OwnerLoginRequest): Promise<OwnerLoginResponse> {
  return apiRequest(ApiPaths.ownerLogin, { method: 'POST', body: credentials, schema: OwnerLoginResponse });
}

export function fetchAdminSummary(token: string): Promise<AdminSummary> {
  return apiRequest(ApiPaths.adminSummary, { token, schema: AdminSummary });
}
