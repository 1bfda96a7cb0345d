import type { Context } from 'koa';
import type { z } from 'zod';
import { BodyTooLargeError, readJsonObject } from './body';
import { httpErrors } from './http-errors';

/** Parses a sandbox/control JSON body with `schema`, answering 400/413 in the sandbox's own error shape. */
export async function parseJsonBody<T extends z.ZodType>(ctx: Context, schema: T): Promise<z.infer<T>> {
  let body: Record<string, unknown> | undefined;
  try {
    body = await readJsonObject(ctx);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw httpErrors.tooLarge();
    throw error;
  }
  if (body === undefined) throw httpErrors.malformedBody();
  return parseInput(schema, body);
}

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw httpErrors.validation(result.error);
  return result.data;
}

/** Bodies that may be left out entirely (e.g. "expire every app's tokens"). */
export async function parseOptionalJsonBody<T extends z.ZodType>(ctx: Context, schema: T): Promise<z.infer<T>> {
  if (!ctx.request.length && !ctx.get('Transfer-Encoding')) return parseInput(schema, {});
  return parseJsonBody(ctx, schema);
}
