import type { Charge } from '@member-hub/shared';
import { ApiError, isRouteMissing } from '../api/errors';
import type { Clock } from '../card/code-refresher';
import { pagePath } from './payment';
import { createPoller, type Poller, type PollState } from './poller';

/** 付款: the payment staff started (to confirm or decline) and the member's payment code. */
export const PAY_PAGE = '/pages/wallet/pay';

/** Staff wait for the member; the member's page asks this often whether a payment is waiting. */
export const PENDING_CHARGE_POLL_MS = 2_000;
/** After paying the rest with WeChat Pay: how often and how long to wait for the server to see it. */
export const CHARGE_PAYMENT_POLL_MS = 1_500;
export const CHARGE_PAYMENT_TIMEOUT_MS = 30_000;

/**
 * The way back to the 付款 page for a charge whose rest is being paid with WeChat Pay: the charge, and the key
 * of the confirmation (resent, it returns the same payment so a member who backed out can pay again).
 */
export interface ChargeTicket {
  chargeId: string;
  idempotencyKey: string | null;
}

export function chargePagePath({ chargeId, idempotencyKey }: ChargeTicket): string {
  return pagePath(PAY_PAGE, { charge: chargeId, key: idempotencyKey });
}

export function readChargeTicket(params: Record<string, string | undefined>): ChargeTicket | null {
  if (!params.charge) return null;
  return { chargeId: params.charge, idempotencyKey: params.key || null };
}

/** The charge needs nothing more from the member (paid, declined, expired...). */
export function chargeDone(charge: Charge): boolean {
  return charge.status !== 'awaiting_member' && charge.status !== 'awaiting_payment';
}

/** The member's view of how it ended. */
export function chargeEndText(charge: Charge): string {
  switch (charge.status) {
    case 'cancelled':
      return '这笔付款已取消';
    case 'expired':
      return '这笔付款已过期，请让店员重新发起';
    case 'awaiting_member':
    case 'awaiting_payment':
      return '支付结果确认中…';
    default:
      return '支付成功';
  }
}

/**
 * Follows one charge after WeChat Pay (or a confirmation the server is still finishing) until it is done. Each
 * read makes the server ask WeChat Pay itself, so the first one goes out the moment the member is back (no
 * initial delay), then every 1.5 s for up to 30 s; a missing route or charge ends it at once.
 */
export function createChargeWatcher({
  chargeId,
  load,
  onChange,
  clock,
}: {
  chargeId: string;
  load: (chargeId: string) => Promise<Charge>;
  onChange: (state: PollState<Charge>) => void;
  clock?: Clock;
}): Poller {
  return createPoller({
    load: () => load(chargeId),
    settled: chargeDone,
    intervalMs: CHARGE_PAYMENT_POLL_MS,
    timeoutMs: CHARGE_PAYMENT_TIMEOUT_MS,
    fatal: (error) => isRouteMissing(error) || (error instanceof ApiError && error.code === 'NOT_FOUND'),
    onChange,
    ...(clock && { clock }),
  });
}
