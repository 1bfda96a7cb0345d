// validate(schema) parses the request with a zod schema from packages/shared and puts the result on ctx.state.input.
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { errors } from '../errors';

type Source = 'body' | 'query' | 'params';

export function validate<S extends z.ZodType>(schema: S, source: Source = 'body'): Middleware {
  return async (ctx, next) => {
    const raw =
      source === 'body'
        ? (ctx.request as { body?: unknown }).body
        : source === 'query'
          ? ctx.query
          : (ctx as { params?: unknown }).params;
    const result = schema.safeParse(raw ?? {});
    if (!result.success) {
      throw errors.validation(
        result.error.issues.map((issue) => ({
          path: issue.path.join('.'),
          code: issue.code,
          message: issue.message,
          ...('keys' in issue && { keys: issue.keys }),
        })),
      );
    }
    ctx.state.input = result.data;
    await next();
  };
}

/** Typed access to what validate() stored. */
export function inputOf<S extends z.ZodType>(ctx: { state: { input?: unknown } }, _schema: S): z.infer<S> {
  return ctx.state.input as z.infer<S>;
}
