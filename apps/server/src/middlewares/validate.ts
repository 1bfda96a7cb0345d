// validate(schema) parses the request with a zod schema from packages/shared and puts the result on ctx.state.input.
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { errors } from '../errors';

export type InputSource = 'body' | 'query' | 'params';

export interface ValidatedInput {
  schema: z.ZodType;
  source: InputSource;
}

// Which schema each validate() middleware checks, so a route's inputs can be read off the router (the fuzz test
// walks every route this way, and so finds new routes without a hand-kept list).
const validatedInputs = new WeakMap<Middleware, ValidatedInput>();

/** The schema and source of a middleware made by validate(), or undefined for any other middleware. */
export function validatedInputOf(middleware: unknown): ValidatedInput | undefined {
  return typeof middleware === 'function' ? validatedInputs.get(middleware as Middleware) : undefined;
}

export function validate<S extends z.ZodType>(schema: S, source: InputSource = 'body'): Middleware {
  const middleware: Middleware = async (ctx, next) => {
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
  validatedInputs.set(middleware, { schema, source });
  return middleware;
}

/** Typed access to what validate() stored. */
export function inputOf<S extends z.ZodType>(ctx: { state: { input?: unknown } }, _schema: S): z.infer<S> {
  return ctx.state.input as z.infer<S>;
}
