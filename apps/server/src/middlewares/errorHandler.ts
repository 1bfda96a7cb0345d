// One place maps every failure to {error:{code,message,details}}. Client mistakes are 4xx with stable codes;
// only our own bugs become 500, and those never leak internals.
import { type ErrorBody, type ErrorCode, ErrorCodes } from '@member-hub/shared';
import type { Middleware } from 'koa';
import { AppError } from '../errors';
import { isDatabaseUnavailable } from '../lib/databaseUnavailable';

function prefersEnglish(acceptLanguage: string): boolean {
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en');
}

/** Errors thrown by body parsing and Koa itself carry an HTTP status; give them stable codes. */
function fromHttpError(err: { status?: number; type?: string }): AppError | null {
  if (err.type === 'entity.too.large' || err.status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (err.type === 'entity.parse.failed' || (err.status === 400 && err.type?.startsWith('entity'))) {
    return new AppError('MALFORMED_BODY');
  }
  if (err.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  return null;
}

/** A restarted engine or a failover is usually back within seconds. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('ROUTE_NOT_FOUND');
    } catch (raw) {
      let err: AppError;
      if (raw instanceof AppError) err = raw;
      else {
        const mapped = fromHttpError(raw as { status?: number; type?: string });
        if (mapped) err = mapped;
        else if (isDatabaseUnavailable(raw)) {
          ctx.state.log?.warn({ err: raw }, 'database unavailable');
          err = new AppError('DATABASE_UNAVAILABLE');
          ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        } else {
          ctx.state.log?.error({ err: raw }, 'unhandled error');
          err = new AppError('INTERNAL');
        }
      }
      const english = prefersEnglish(ctx.get('accept-language'));
      const code: ErrorCode = err.code;
      const message = err.hasDefaultMessage && !english ? ErrorCodes[code].zh : err.message;
      const body: ErrorBody = { error: { code, message, ...(err.details !== undefined && { details: err.details }) } };
      ctx.status = err.status;
      ctx.body = body;
      if (err.status < 500) ctx.state.log?.info({ code }, 'client error');
    }
  };
}
