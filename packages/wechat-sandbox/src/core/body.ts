import type { Context } from 'koa';

const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads the raw request body once; WeChat ignores Content-Type, so parsing is left to the caller. */
export async function readRawBody(ctx: Context): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as a JSON object, or undefined when it is empty, not JSON, or not an object. */
export async function readJsonObject(ctx: Context): Promise<Record<string, unknown> | undefined> {
  return parseJsonObject(await readRawBody(ctx));
}

/** `raw` as a JSON object, or undefined when it is empty, not JSON, or not an object. */
export function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Fall through: malformed JSON is the caller's error to report in its own vocabulary.
  }
  return undefined;
}
