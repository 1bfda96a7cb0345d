import type { ZodError } from 'zod';

/** Errors of the sandbox's own routes (/sandbox, /__control): real HTTP statuses, one JSON shape. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SandboxHttpError';
  }

  toBody(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const httpErrors = {
  malformedBody: () => new SandboxHttpError(400, 'malformed_body', 'Body must be a JSON object'),
  tooLarge: () => new SandboxHttpError(413, 'payload_too_large', 'Body too large'),
  validation: (error: ZodError) =>
    new SandboxHttpError(
      400,
      'validation_failed',
      'Request validation failed',
      error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    ),
  unknownApp: (appid: string) => new SandboxHttpError(404, 'unknown_app', `No sandbox app with appid ${appid}`),
  /** details.errCode is what wx.requestSubscribeMessage fails with for an id the app does not have. */
  unknownTemplates: (ids: readonly string[]) =>
    new SandboxHttpError(404, 'unknown_template', `No subscription message template with id ${ids.join(', ')}`, {
      errCode: 20001,
      template_ids: ids,
    }),
  unknownOpenid: (appid: string, openid: string) =>
    new SandboxHttpError(
      404,
      'unknown_openid',
      `${openid} has never logged in to ${appid}: issue it a login code first`,
    ),
  invalidRedirect: () => new SandboxHttpError(400, 'invalid_redirect', 'redirect must be an absolute http(s) URL'),
  unknownApi: (api: string, known: readonly string[]) =>
    new SandboxHttpError(400, 'unknown_api', `Unknown api "${api}"; known: ${known.join(', ')}`),
};
