// WeChat capabilities that cost money per use, as the owner's dashboard shows them: how many calls today, this
// month and on each of the last 30 China days, and what they cost (integer fen, at the price of each call's day).
import { z } from 'zod';

/** 手机号快速验证组件 (getPhoneNumber → phonenumber.getPhoneNumber): WeChat's standard price is ¥0.03 per use. */
export const PaidCallApi = z.enum(['getuserphonenumber']);
export type PaidCallApi = z.infer<typeof PaidCallApi>;
export const PaidCallApiLabels: Record<PaidCallApi, string> = { getuserphonenumber: '手机号验证' };

/** How many days the per-day list covers, today included. */
export const PAID_CALL_DAYS = 30;

const Int = z.number().int().min(0);

export const PaidCallDay = z.object({
  /** China day, yyyy-MM-dd. */
  day: z.string(),
  count: Int,
  costFen: Int,
});
export type PaidCallDay = z.infer<typeof PaidCallDay>;

export const PaidCallUsage = z.object({
  api: PaidCallApi,
  label: z.string(),
  /** The price a call costs now (config `wechat.paidCalls`); past calls keep the price of their day. */
  priceFen: Int,
  today: PaidCallDay,
  /** From the 1st of this China month to today. */
  month: z.object({ month: z.string(), count: Int, costFen: Int }),
  /** The last PAID_CALL_DAYS China days, newest first, days without calls included as 0. */
  days: z.array(PaidCallDay),
});
export type PaidCallUsage = z.infer<typeof PaidCallUsage>;

export const PaidCallsSummary = z.object({ apis: z.array(PaidCallUsage) });
export type PaidCallsSummary = z.infer<typeof PaidCallsSummary>;

export const PaidCallPaths = {
  /** GET -> PaidCallsSummary. Permission `analytics.read`. */
  summary: '/api/v1/admin/dashboard/paid-calls',
} as const;
