import type { ErrorCode } from '@member-hub/shared';

/**
 * Codes the client makes up: no response, a body it cannot read, or a server code this build does not know
 * (an old app version talking to a newer server).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'UNKNOWN_ERROR';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** The session is worth renewing only for these: any other 401 would fail again after a new login. */
export function isSessionExpired(error: unknown): boolean {
  return isApiError(error) && (error.code === 'TOKEN_EXPIRED' || error.code === 'TOKEN_INVALID');
}

/** The server does not have this route yet (an app build ahead of its server): the page says 即将上线. */
export function isRouteMissing(error: unknown): boolean {
  return isApiError(error) && error.status === 404 && error.code === 'ROUTE_NOT_FOUND';
}
