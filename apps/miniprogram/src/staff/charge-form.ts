import type { Charge, StaffChargeRequest } from '@member-hub/shared';
import { validationMessages } from '../account/profile-form';
import { ApiError, isRouteMissing } from '../api/errors';
import { createActionKey, newIdempotencyKey, outcomeUnknown } from '../loyalty/idempotency';
import { chargeSettledText } from '../wallet/format';
import { checkPurchase, type PurchaseDraft, parseAmount, tillRefusal } from './purchase-form';

/**
 * 储值收款 takes the amount (and, for a scanned member, a points offset) as 记录消费 does; with a payment code
 * instead of a scan, the code is typed or scanned and there is no offset (the till does not know the points).
 */
export interface ChargeDraft extends PurchaseDraft {
  payCode: string;
}

export const EMPTY_CHARGE: ChargeDraft = { amount: '', useOffset: false, offset: '', payCode: '' };

export type ChargeField = 'amount' | 'offset' | 'payCode' | 'form';
export interface ChargeError {
  field: ChargeField;
  message: string;
}

/** Who pays: the member just scanned (they confirm on their phone) or whoever holds this payment code. */
export type ChargePayer = { kind: 'member'; memberId: string; points: number } | { kind: 'payCode' };

export type ChargeInput = Omit<StaffChargeRequest, 'idempotencyKey'>;
export type ChargeCheck = { ok: true; input: ChargeInput } | { ok: false; errors: ChargeError[] };

/** The 18 digits of a payment code as shown on the phone ("1234 5678 9012 3456 78") or scanned. */
export function normalizePayCode(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export function isPayCode(text: string): boolean {
  return /^\d{18}$/.test(normalizePayCode(text.trim()));
}

/** Checks the form before sending, with the limits the server applies. */
export function checkCharge(draft: ChargeDraft, payer: ChargePayer): ChargeCheck {
  if (payer.kind === 'member') {
    const checked = checkPurchase(draft, payer.points);
    if (!checked.ok) return checked;
    return {
      ok: true,
      input: { memberId: payer.memberId, amountFen: checked.amountFen, offsetPoints: checked.offsetPoints },
    };
  }
  const errors: ChargeError[] = [];
  const amount = parseAmount(draft.amount);
  if (!amount.ok) errors.push({ field: 'amount', message: amount.message });
  const code = normalizePayCode(draft.payCode.trim());
  if (!code) errors.push({ field: 'payCode', message: '请扫描或输入顾客的付款码' });
  else if (!/^\d{18}$/.test(code)) errors.push({ field: 'payCode', message: '付款码应为 18 位数字' });
  if (errors.length > 0 || !amount.ok) return { ok: false, errors };
  return { ok: true, input: { payCode: code, amountFen: amount.fen, offsetPoints: 0 } };
}

export interface ChargeProblem {
  errors: ChargeError[];
  /** The scan is too old (or was never made): scan the member code again. */
  rescan: boolean;
  /** No answer arrived: the payment may have been started; submitting again is safe (same key). */
  unknownOutcome: boolean;
  /** This server has no stored-value payments yet. */
  missing: boolean;
}

const REQUEST_FIELDS: Readonly<Record<string, ChargeField>> = {
  amountFen: 'amount',
  offsetPoints: 'offset',
  payCode: 'payCode',
};

/** What the till shows when asking for a payment fails. */
export function describeChargeError(error: unknown): ChargeProblem {
  const problem = (field: ChargeField, message: string, more: Partial<ChargeProblem> = {}): ChargeProblem => ({
    errors: [{ field, message }],
    rescan: false,
    unknownOutcome: false,
    missing: false,
    ...more,
  });
  if (!(error instanceof ApiError)) return problem('form', '收款失败，请重试', { unknownOutcome: true });
  if (isRouteMissing(error)) return problem('form', '储值收款即将上线，服务器暂未开放', { missing: true });
  const refusal = tillRefusal(error);
  if (refusal) return problem(refusal.field, refusal.message, { rescan: refusal.rescan });
  switch (error.code) {
    case 'INSUFFICIENT_BALANCE':
      return problem('form', `${error.message}，请让顾客充值或改用其他方式付款`);
    case 'PAY_CODE_INVALID':
      return problem('payCode', error.message);
    case 'ORDER_CONFLICT':
      return problem('form', '上一次提交的收款已经发起（金额与这次不同），请核对后再收，不要重复收款');
    case 'VALIDATION_FAILED': {
      const errors = validationMessages(error.details).map(
        (e): ChargeError => ({ field: REQUEST_FIELDS[e.field] ?? 'form', message: e.message }),
      );
      if (errors.length === 0) errors.push({ field: 'form', message: error.message });
      return { errors, rescan: false, unknownOutcome: false, missing: false };
    }
    case 'NETWORK_ERROR':
      return problem('form', '网络连接失败，这笔收款可能已发起。请点“重新提交”，不会重复收款', {
        unknownOutcome: true,
      });
    default:
      return problem('form', error.message || '收款失败，请重试', { unknownOutcome: outcomeUnknown(error) });
  }
}

export type StartCharge = (request: StaffChargeRequest) => Promise<Charge>;

/**
 * The submit button of one 储值收款 form: every attempt of the same payment carries the same key, so a retry after
 * a lost answer finds the first payment instead of charging the member twice. A payment the server took (or a
 * conflict saying an earlier attempt was different) starts a new key for the next one.
 */
export function createChargeSubmitter(start: StartCharge, makeKey: () => string = newIdempotencyKey) {
  const key = createActionKey(makeKey);
  return {
    key: key.current,
    async submit(input: ChargeInput): Promise<Charge> {
      try {
        const charge = await start({ ...input, idempotencyKey: key.current() });
        key.renew();
        return charge;
      } catch (error) {
        if (error instanceof ApiError && (error.code === 'CONFLICT' || error.code === 'ORDER_CONFLICT')) key.renew();
        throw error;
      }
    },
  };
}

export const STAFF_CHARGE_POLL_MS = 1_500;
/** Staff stop waiting on their own after this; the member's window (expiresAt) is shorter. */
export const STAFF_CHARGE_POLL_TIMEOUT_MS = 10 * 60_000;

/** Nothing more will happen at the till: paid, declined, timed out (or refunded since). */
export function chargeFinal(charge: Charge): boolean {
  return charge.status !== 'awaiting_member' && charge.status !== 'awaiting_payment';
}

/** Staff may call a payment off only while the member has not confirmed it (no money has moved yet). */
export function chargeCancellable(charge: Charge): boolean {
  return charge.status === 'awaiting_member';
}

/**
 * The line the till shows while or after waiting for the member; `cancelledHere` when this till called it off
 * (取消收款), so a cancelled charge is not blamed on the member.
 */
export function chargeOutcome(
  charge: Charge,
  cancelledHere = false,
): { kind: 'waiting' | 'ok' | 'stopped'; text: string } {
  switch (charge.status) {
    case 'awaiting_member':
      return { kind: 'waiting', text: '等待会员确认…' };
    case 'awaiting_payment':
      return { kind: 'waiting', text: '会员已确认，等待微信支付剩余金额…' };
    case 'completed':
    case 'partially_refunded':
    case 'refunded':
      return { kind: 'ok', text: chargeSettledText(charge, 'staff') };
    case 'cancelled':
      return { kind: 'stopped', text: cancelledHere ? '已取消这笔收款，未扣款' : '会员已拒绝或取消了这笔付款，未收款' };
    case 'expired':
      return { kind: 'stopped', text: '会员未在规定时间内确认，这笔收款已过期，未收款' };
  }
}
