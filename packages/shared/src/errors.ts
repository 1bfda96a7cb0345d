// Stable error codes: the one vocabulary the server, the mini-program and the admin page share.
// A code never changes meaning once shipped; clients switch on it, humans read `message`.
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误', en: 'Request validation failed' },
  MALFORMED_BODY: { status: 400, zh: '请求体格式错误', en: 'Malformed request body' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication required' },
  TOKEN_INVALID: { status: 401, zh: '登录凭证无效', en: 'Invalid session token' },
  TOKEN_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Session token expired' },
  FORBIDDEN: { status: 403, zh: '没有权限', en: 'Forbidden' },
  INVALID_CREDENTIALS: { status: 401, zh: '账号或密码错误', en: 'Wrong account or password' },
  WECHAT_CODE_INVALID: {
    status: 400,
    zh: '登录码无效或已使用，请重新进入',
    en: 'WeChat login code invalid, expired or used',
  },
  WECHAT_RATE_LIMITED: { status: 429, zh: '操作太频繁，请稍后再试', en: 'WeChat rate limit' },
  WECHAT_RISKY_USER: { status: 403, zh: '账号存在风险，暂时无法登录', en: 'WeChat flagged this user as high risk' },
  WECHAT_UNAVAILABLE: { status: 502, zh: '微信服务暂时不可用，请稍后再试', en: 'WeChat service unavailable' },
  NOT_FOUND: { status: 404, zh: '资源不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'Route not found' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持的请求方法', en: 'Method not allowed' },
  CONFLICT: { status: 409, zh: '数据冲突，请重试', en: 'Conflict' },
  RATE_LIMITED: { status: 429, zh: '操作太频繁，请稍后再试', en: 'Too many requests' },
  DATABASE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用', en: 'Database unavailable' },
  INTERNAL: { status: 500, zh: '服务器开小差了，请稍后再试', en: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** The one shape every error response has. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as ErrorBody).error?.code === 'string'
  );
}
