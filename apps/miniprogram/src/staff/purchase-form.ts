import {
  DEFAULT_LOYALTY_RULES,
  formatFen,
  formatPoints,
  type LoyaltyRules,
  type PurchaseResult,
  parseYuanToFen,
  type RecordPurchaseRequest,
} from '@member-hub/shared';
import { validationMessages } from '../account/profile-form';
import { ApiError } from '../api/errors';
import { createActionKey, newIdempotencyKey, outcomeUnknown } from '../loyalty/idempotency';
import type { TillCouponFen } from './till-coupons';

/** The most one purchase may cost, as the contract allows (¥1,000,000.00). */
export const MAX_AMOUNT_FEN = 100_000_000;

/**
 * The checkout offset rules the server enforces. Staff accounts cannot read the owner's rules, so the till uses
 * the shop defaults (100 积分 = ¥1, up to 50% of the order); if the owner changed them the server still refuses
 * anything over its limit with OFFSET_TOO_LARGE, and the till shows that.
 */
export type OffsetRules = Pick<LoyaltyRules, 'pointsPerYuanOffset' | 'maxOffsetBp'>;
export const DEFAULT_OFFSET_RULES: OffsetRules = {
  pointsPerYuanOffset: DEFAULT_LOYALTY_RULES.pointsPerYuanOffset,
  maxOffsetBp: DEFAULT_LOYALTY_RULES.maxOffsetBp,
};

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Points must buy whole fen: with 100 points a yuan any count works, with 300 a yuan only multiples of 3. */
export function offsetStep(rules: OffsetRules = DEFAULT_OFFSET_RULES): number {
  return rules.pointsPerYuanOffset / gcd(rules.pointsPerYuanOffset, 100);
}

/** Points that pay for `points` at the till, in fen (whole fen only; see offsetStep). */
export function offsetFenFor(points: number, rules: OffsetRules = DEFAULT_OFFSET_RULES): number {
  return Math.floor((points * 100) / rules.pointsPerYuanOffset);
}

/**
 * The most points this order can take: no more than the member has, and worth no more than the allowed share of
 * the order (rounded down to whole fen, the way the server checks it). With coupons, `amountFen` is what is left
 * after them (amount minus couponFen): the server caps the offset on that.
 */
export function maxOffsetPoints(
  amountFen: number,
  memberPoints: number,
  rules: OffsetRules = DEFAULT_OFFSET_RULES,
): number {
  if (amountFen <= 0 || memberPoints <= 0) return 0;
  const maxFen = Math.floor((amountFen * rules.maxOffsetBp) / 10_000);
  const byAmount = Math.floor((maxFen * rules.pointsPerYuanOffset) / 100);
  const step = offsetStep(rules);
  const best = Math.min(byAmount, memberPoints);
  return best - (best % step);
}

export type AmountParse = { ok: true; fen: number } | { ok: false; message: string };

/** The amount field, in yuan as the cashier types it ("128", "128.5", "128.50"). */
export function parseAmount(text: string): AmountParse {
  const trimmed = text.trim().replace(/^¥/, '').trim();
  if (!trimmed) return { ok: false, message: '请输入消费金额' };
  let fen: number;
  try {
    fen = parseYuanToFen(trimmed);
  } catch {
    if (/^\d+\.\d{3,}$/.test(trimmed)) return { ok: false, message: '金额最多保留两位小数' };
    if (/^-/.test(trimmed)) return { ok: false, message: '金额不能为负数' };
    return { ok: false, message: '请输入正确的金额，例如 128 或 128.50' };
  }
  if (fen <= 0) return { ok: false, message: '金额必须大于 0' };
  if (fen > MAX_AMOUNT_FEN) return { ok: false, message: `单笔金额不能超过 ${formatFen(MAX_AMOUNT_FEN)}` };
  return { ok: true, fen };
}

export interface PurchaseDraft {
  amount: string;
  useOffset: boolean;
  offset: string;
}

export type PurchaseField = 'amount' | 'offset' | 'coupons' | 'form';
export interface PurchaseError {
  field: PurchaseField;
  message: string;
}

/** What the amount and offset fields can get wrong (储值收款 reads them the same way). */
export interface DraftError {
  field: 'amount' | 'offset';
  message: string;
}

export type PurchaseCheck = { ok: true; amountFen: number; offsetPoints: number } | { ok: false; errors: DraftError[] };

export interface PurchaseCheckOptions {
  /** What the ticked coupons take off (the quote): the offset is capped on the amount after them. */
  couponFen?: number;
  rules?: OffsetRules;
}

/** Checks the form before sending, with the same limits the server applies. */
export function checkPurchase(
  draft: PurchaseDraft,
  memberPoints: number,
  { couponFen = 0, rules = DEFAULT_OFFSET_RULES }: PurchaseCheckOptions = {},
): PurchaseCheck {
  const amount = parseAmount(draft.amount);
  if (!amount.ok) return { ok: false, errors: [{ field: 'amount', message: amount.message }] };
  if (!draft.useOffset) return { ok: true, amountFen: amount.fen, offsetPoints: 0 };

  const text = draft.offset.trim();
  if (!text) return { ok: false, errors: [{ field: 'offset', message: '请输入要抵扣的积分，或关闭积分抵扣' }] };
  if (!/^\d{1,9}$/.test(text)) return { ok: false, errors: [{ field: 'offset', message: '抵扣积分须为整数' }] };
  const points = Number(text);
  if (points === 0) return { ok: true, amountFen: amount.fen, offsetPoints: 0 };
  const step = offsetStep(rules);
  if (points % step !== 0) {
    return { ok: false, errors: [{ field: 'offset', message: `抵扣积分须为 ${step} 的整数倍` }] };
  }
  if (points > memberPoints) {
    return {
      ok: false,
      errors: [{ field: 'offset', message: `积分不足：会员只有 ${formatPoints(Math.max(0, memberPoints))} 积分` }],
    };
  }
  const max = maxOffsetPoints(amount.fen - couponFen, memberPoints, rules);
  if (points > max) {
    const base = couponFen > 0 ? '优惠券抵扣后金额' : '订单金额';
    return {
      ok: false,
      errors: [
        {
          field: 'offset',
          message: `本单最多可抵扣 ${formatPoints(max)} 积分（不超过${base}的 ${rules.maxOffsetBp / 100}%）`,
        },
      ],
    };
  }
  return { ok: true, amountFen: amount.fen, offsetPoints: points };
}

export type TillPurchaseCheck =
  | { ok: true; amountFen: number; offsetPoints: number; couponCodes: string[] }
  | { ok: false; errors: PurchaseError[] };

/**
 * 记录消费 with coupons: the form as checkPurchase reads it, the offset capped after what the coupons take off,
 * and the ticked coupons only once their quote is in (a refused coupon is not sent).
 */
export function checkTillPurchase(
  draft: PurchaseDraft,
  memberPoints: number,
  couponCodes: readonly string[],
  coupons: TillCouponFen,
  rules: OffsetRules = DEFAULT_OFFSET_RULES,
): TillPurchaseCheck {
  const checked = checkPurchase(draft, memberPoints, { couponFen: coupons.ok ? coupons.couponFen : 0, rules });
  if (!checked.ok) return checked;
  if (!coupons.ok) return { ok: false, errors: [{ field: 'coupons', message: coupons.message }] };
  return { ...checked, couponCodes: [...couponCodes] };
}

export interface PurchaseProblem {
  errors: PurchaseError[];
  /** The scan is too old (or was never made): scan the member code again. */
  rescan: boolean;
  /** No answer arrived: the purchase may or may not be recorded; submitting again is safe (same key). */
  unknownOutcome: boolean;
}

/** Refusals every till action shares: the scan expired, the member is gone, the points offset does not fit. */
export function tillRefusal(error: ApiError): { field: 'form' | 'offset'; message: string; rescan: boolean } | null {
  switch (error.code) {
    case 'MEMBER_NOT_SCANNED':
      return { field: 'form', message: '会员码识别已超时，请让顾客出示会员码重新扫码', rescan: true };
    case 'MEMBER_DELETED':
    case 'MEMBER_MERGED':
    case 'NOT_FOUND':
      return { field: 'form', message: error.message || '未找到该会员', rescan: true };
    case 'OFFSET_TOO_LARGE':
    case 'INSUFFICIENT_POINTS':
      return { field: 'offset', message: error.message, rescan: false };
    default:
      return null;
  }
}

/** Refusals of the coupons on a purchase: the cashier unticks them (the list is read again). */
const COUPON_REFUSALS: ReadonlySet<string> = new Set(['COUPON_NOT_USABLE', 'COUPON_USED', 'COUPON_NOT_STACKABLE']);

const REQUEST_FIELDS: Readonly<Record<string, PurchaseField>> = {
  amountFen: 'amount',
  offsetPoints: 'offset',
  couponCodes: 'coupons',
};

/** What the till shows when recording fails. */
export function describePurchaseError(error: unknown): PurchaseProblem {
  const problem = (field: PurchaseField, message: string, more: Partial<PurchaseProblem> = {}): PurchaseProblem => ({
    errors: [{ field, message }],
    rescan: false,
    unknownOutcome: false,
    ...more,
  });
  if (!(error instanceof ApiError)) return problem('form', '记录失败，请重试', { unknownOutcome: true });
  const refusal = tillRefusal(error);
  if (refusal) return problem(refusal.field, refusal.message, { rescan: refusal.rescan });
  if (COUPON_REFUSALS.has(error.code)) return problem('coupons', error.message);
  switch (error.code) {
    case 'ORDER_CONFLICT':
      return problem('form', '上一次提交的消费已经记录（金额与这次不同），请核对会员积分，不要重复收款');
    case 'VALIDATION_FAILED': {
      // The server names the field; some refusals (points not buying whole fen) carry only the top message.
      const paths = Array.isArray(error.details) ? error.details.map((d) => (d as { path?: unknown })?.path) : [];
      const aboutOffset = paths.some((p) => p === 'offsetPoints' || (Array.isArray(p) && p[0] === 'offsetPoints'));
      const errors = validationMessages(error.details).map(
        (e): PurchaseError => ({ field: REQUEST_FIELDS[e.field] ?? 'form', message: e.message }),
      );
      if (errors.length === 0) errors.push({ field: aboutOffset ? 'offset' : 'form', message: error.message });
      return { errors, rescan: false, unknownOutcome: false };
    }
    case 'NETWORK_ERROR':
      return problem('form', '网络连接失败，这笔消费可能未记录。请点“重新提交”，不会重复记录', {
        unknownOutcome: true,
      });
    default:
      // A server error or an unreadable answer: the purchase may have gone through; the same key is safe to resend.
      return problem('form', error.message || '记录失败，请重试', {
        unknownOutcome: outcomeUnknown(error),
      });
  }
}

export type RecordPurchase = (request: RecordPurchaseRequest) => Promise<PurchaseResult>;

/**
 * The submit button of one purchase form: every attempt of the same purchase carries the same idempotency key, so
 * a retry after a lost answer returns the first result instead of recording the sale twice. A recorded sale (or
 * a conflict saying an earlier attempt was recorded) starts a new key for the next one.
 */
export function createPurchaseSubmitter(record: RecordPurchase, makeKey: () => string = newIdempotencyKey) {
  const key = createActionKey(makeKey);
  return {
    key: key.current,
    async submit(input: {
      memberId: string;
      amountFen: number;
      offsetPoints: number;
      couponCodes?: readonly string[];
    }): Promise<PurchaseResult> {
      const { couponCodes = [], ...rest } = input;
      try {
        const result = await record({
          ...rest,
          items: [],
          couponCodes: [...couponCodes],
          idempotencyKey: key.current(),
        });
        key.renew();
        return result;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'ORDER_CONFLICT') key.renew();
        throw error;
      }
    },
  };
}

/** "已记录 ¥128.00，会员获得 128 积分" */
export function purchaseHeadline(result: PurchaseResult): string {
  return `已记录 ${formatFen(result.amountFen)}，会员获得 ${formatPoints(result.pointsEarned)} 积分`;
}

/** "优惠券抵扣 -¥20.00"; nothing when no coupon was used. */
export function purchaseCouponLine(result: PurchaseResult): string | null {
  return result.couponFen > 0 ? `优惠券抵扣 -${formatFen(result.couponFen)}` : null;
}

/** What the cashier collects, the way the success view says it: "应收 ¥88.00". */
export function purchasePaidLine(result: PurchaseResult): string {
  return `应收 ${formatFen(result.paidFen)}`;
}
