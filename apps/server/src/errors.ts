// AppError carries a stable code from packages/shared; the error middleware turns it into the one error shape.
import { type ErrorCode, ErrorCodes } from '@member-hub/shared';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ErrorCodes[code].en);
    this.name = 'AppError';
    this.status = ErrorCodes[code].status;
  }
  /** True when the message is the default one, so the middleware may translate it. */
  get hasDefaultMessage(): boolean {
    return this.message === ErrorCodes[this.code].en;
  }
}

export const errors = {
  validation: (details: unknown) => new AppError('VALIDATION_FAILED', undefined, details),
  unauthenticated: () => new AppError('UNAUTHENTICATED'),
  tokenInvalid: () => new AppError('TOKEN_INVALID'),
  tokenExpired: () => new AppError('TOKEN_EXPIRED'),
  forbidden: () => new AppError('FORBIDDEN'),
  invalidCredentials: () => new AppError('INVALID_CREDENTIALS'),
  notFound: (what?: string) => new AppError('NOT_FOUND', undefined, what ? { resource: what } : undefined),
};
