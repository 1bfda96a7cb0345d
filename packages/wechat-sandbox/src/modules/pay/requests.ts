import { z } from 'zod';
import { httpUrl } from '../../core/urls';
import { type PayError, payErrors } from './pay-errors';

/** out_trade_no: 6-32 of digits, letters and _-|* (unique per merchant). */
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** out_refund_no: up to 64 of digits, letters and _-|*@. */
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
/** WeChat's "yyyy-MM-DDTHH:mm:ss+TIMEZONE": seconds precision and an explicit offset (+08:00), no "Z". */
const RFC3339_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})([+-])(\d{2}):(\d{2})$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch ms of an RFC 3339 time in WeChat's format, or undefined when it is not one (or not a real date). */
export function parseRfc3339(value: string): number | undefined {
  const match = RFC3339_WITH_OFFSET.exec(value);
  if (!match?.[1]) return undefined;
  const local = match[1];
  const offsetMs = (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4])) * 60_000;
  const ms = Date.parse(`${local}Z`) - offsetMs;
  // Date.parse may roll 2026-02-30 over into March: only a time that formats back to itself is real.
  return !Number.isNaN(ms) && new Date(ms + offsetMs).toISOString().startsWith(local) ? ms : undefined;
}

function isCalendarDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return CALENDAR_DATE.test(value) && !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

const maxBytes = (max: number) => (value: string) => Buffer.byteLength(value, 'utf8') <= max;

/** WeChat only calls absolute http(s) URLs "without parameters": no query string (nor fragment). */
function isNotifyUrl(value: string): boolean {
  return httpUrl(value) !== undefined && !/[?#]/.test(value);
}

const notifyUrl = z.string().max(255).refine(isNotifyUrl, '须为不带参数（? 或 #）的 http(s) 绝对地址');

export const jsapiOrderBody = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).refine(maxBytes(127), '商品描述不能超过 127 字节'),
  out_trade_no: z.string().regex(OUT_TRADE_NO, '须为 6-32 位数字、大小写字母或 _-|*'),
  time_expire: z
    .string()
    .refine((value) => parseRfc3339(value) !== undefined, '须为 RFC 3339 格式，如 2026-12-01T20:00:00+08:00')
    .optional(),
  attach: z.string().refine(maxBytes(128), '附加数据不能超过 128 字节').optional(),
  notify_url: notifyUrl,
  amount: z.object({ total: z.number().int().positive(), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1).max(128) }),
});
export type JsapiOrderRequest = z.infer<typeof jsapiOrderBody>;

export const refundBody = z
  .object({
    transaction_id: z.string().min(1).max(32).optional(),
    out_trade_no: z.string().regex(OUT_TRADE_NO, '须为 6-32 位数字、大小写字母或 _-|*').optional(),
    out_refund_no: z.string().regex(OUT_REFUND_NO, '须为 1-64 位数字、大小写字母或 _-|*@'),
    reason: z.string().max(80).optional(),
    notify_url: notifyUrl.optional(),
    amount: z.object({
      refund: z.number().int().positive(),
      total: z.number().int().positive(),
      currency: z.literal('CNY'),
    }),
  })
  .refine((body) => body.transaction_id !== undefined || body.out_trade_no !== undefined, {
    message: 'transaction_id 与 out_trade_no 必须二选一',
    path: ['out_trade_no'],
  });
export type RefundRequest = z.infer<typeof refundBody>;

export const merchantInput = z.object({ mchid: z.string().min(1).max(32) });

export const tradeBillQuery = z.object({
  bill_date: z.string().refine(isCalendarDate, '须为 YYYY-MM-DD 格式的日期'),
  // The sandbox writes only the ALL layout (SUCCESS and REFUND files have other columns).
  bill_type: z.literal('ALL', '沙箱只提供 ALL 类型的交易账单').default('ALL'),
  tar_type: z.literal('GZIP').optional(),
});
export type TradeBillRequest = z.infer<typeof tradeBillQuery>;

/** Parses WeChat Pay input with `schema`; the first problem becomes PARAM_ERROR naming the field, like WeChat. */
export function parsePayInput<T extends z.ZodType>(schema: T, input: unknown, location: 'body' | 'query'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const missing = issue?.code === 'invalid_type' && issue.message.includes('received undefined');
  throw fieldError(
    location,
    `/${issue?.path.join('/') ?? ''}`,
    missing ? '必填性规则校验失败，此字段为必填项' : `规则校验失败：${issue?.message ?? '格式错误'}`,
  );
}

/** PARAM_ERROR for one field, worded like WeChat's ("输入源“/body/amount/total”映射到值字段…"). */
export function fieldError(location: 'body' | 'query', field: string, rule: string): PayError {
  return payErrors.paramError(`输入源“/${location}${field}”映射到值字段${rule}`, { location, field });
}
