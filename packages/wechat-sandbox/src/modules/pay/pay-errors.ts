/**
 * A WeChat Pay APIv3 error: a real HTTP status and `{code, message, detail?}`, signed like every answer. Codes and
 * statuses follow WeChat Pay's error tables (public codes plus each API's business codes).
 */
export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'PayError';
  }

  toBody(): { code: string; message: string; detail?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

export const payErrors = {
  signError: (message: string, detail?: Record<string, unknown>) => new PayError(401, 'SIGN_ERROR', message, detail),
  paramError: (message: string, detail?: Record<string, unknown>) => new PayError(400, 'PARAM_ERROR', message, detail),
  /** Well-formed, but against a business rule (e.g. the same out_trade_no with other parameters). */
  invalidRequest: (message: string) => new PayError(400, 'INVALID_REQUEST', message),
  /** A body's or query's mchid that is not the merchant who signed the request. */
  mchidMismatch: () => new PayError(400, 'INVALID_REQUEST', 'mchid 与 Authorization 中的商户号不一致'),
  appidMchidNotMatch: () => new PayError(400, 'APPID_MCHID_NOT_MATCH', '商户号与appid不匹配'),
  orderPaid: () => new PayError(400, 'ORDERPAID', '订单已支付'),
  orderClosed: () => new PayError(400, 'ORDER_CLOSED', '订单已关闭'),
  orderNotExist: () => new PayError(404, 'ORDER_NOT_EXIST', '订单不存在'),
  /** Refunds: an unknown or unpaid order, an unknown refund. */
  resourceNotExists: (message: string) => new PayError(404, 'RESOURCE_NOT_EXISTS', message),
  noStatementExist: () => new PayError(400, 'NO_STATEMENT_EXIST', '账单文件不存在'),
  statementCreating: () => new PayError(400, 'STATEMENT_CREATING', '账单生成中'),
  notFound: (method: string, path: string) => new PayError(404, 'NOT_FOUND', `请求的资源不存在（${method} ${path}）`),
};

/** The code an injected failure answers with when the test gives only an HTTP status. */
export function defaultPayErrorCode(status: number): string {
  if (status === 429) return 'FREQUENCY_LIMITED';
  if (status === 401) return 'SIGN_ERROR';
  if (status >= 500) return 'SYSTEM_ERROR';
  return 'INVALID_REQUEST';
}

const DEFAULT_MESSAGES: Record<string, string> = {
  SYSTEM_ERROR: '系统错误',
  FREQUENCY_LIMITED: '频率超限',
  SIGN_ERROR: '签名错误',
};

export function defaultPayErrorMessage(code: string): string {
  return DEFAULT_MESSAGES[code] ?? 'sandbox injected error';
}
