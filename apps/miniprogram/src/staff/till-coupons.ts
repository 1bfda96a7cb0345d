import type { Coupon, CouponQuote, CouponQuoteRequest, StaffCouponView } from '@member-hub/shared';
import { type Clock, realClock } from '../card/code-refresher';
import { couponDigits } from '../coupons/code';
import { describeCouponError } from './coupon-verify';

/** The most coupons one order takes (the contract's limit). */
export const MAX_COUPONS_PER_ORDER = 5;

/** The member's coupons the till offers for a purchase: gift coupons are verified on their own (核销券). */
export function tillCoupons(coupons: readonly Coupon[]): Coupon[] {
  return coupons.filter((c) => c.effect.kind !== 'gift');
}

export interface TillPick {
  /** Codes of the ticked coupons, in the order ticked. */
  selected: string[];
  /** What the tap did besides ticking, for the cashier. */
  notice: string | null;
}

/**
 * Ticking a coupon at the till. One coupon per order, unless every ticked coupon is stackable: ticking another
 * then adds it (up to five); otherwise the new one replaces the ones ticked before. Ticking a ticked one unticks it.
 */
export function toggleTillCoupon(selected: readonly string[], code: string, coupons: readonly Coupon[]): TillPick {
  if (selected.includes(code)) return { selected: selected.filter((c) => c !== code), notice: null };
  const byCode = new Map(coupons.map((c) => [c.code, c]));
  const target = byCode.get(code);
  if (!target) return { selected: [...selected], notice: null };
  if (selected.length === 0) return { selected: [code], notice: null };
  const allStack = target.conditions.stackable && selected.every((c) => byCode.get(c)?.conditions.stackable === true);
  if (!allStack) return { selected: [code], notice: '不可叠加的优惠券每单只能用一张，已改为使用这张' };
  if (selected.length >= MAX_COUPONS_PER_ORDER) {
    return { selected: [...selected], notice: `每单最多使用 ${MAX_COUPONS_PER_ORDER} 张优惠券` };
  }
  return { selected: [...selected, code], notice: null };
}

export type LookedUp = { ok: true; coupons: Coupon[]; code: string } | { ok: false; message: string };

/**
 * A coupon the cashier scanned or typed at the purchase: it must be this member's and usable now; it joins the
 * list (once) and its code is the one to tick.
 */
export function addLookedUpCoupon(list: readonly Coupon[], view: StaffCouponView, memberId: string): LookedUp {
  if (view.member.memberId !== memberId) {
    return { ok: false, message: `这张券属于会员 ${view.member.memberNo}，不能用于当前会员的消费` };
  }
  if (view.problem) return { ok: false, message: view.problem };
  if (view.verifiableAlone) return { ok: false, message: '兑换券请用「核销券」单独核销' };
  const coupons = list.some((c) => c.code === view.coupon.code) ? [...list] : [...list, view.coupon];
  return { ok: true, coupons, code: view.coupon.code };
}

/** A typed or scanned code that is already in the list: tick it without asking the server. */
export function listedCoupon(list: readonly Coupon[], code: string): Coupon | null {
  const digits = couponDigits(code);
  return list.find((c) => c.code === digits) ?? null;
}

export type QuoteState =
  /** No coupon ticked, or no valid amount yet: nothing to ask. */
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; quote: CouponQuote }
  | { status: 'error'; message: string };

export interface QuoteInput {
  memberId: string;
  /** null while the amount field does not read as an amount. */
  amountFen: number | null;
  couponCodes: readonly string[];
}

export interface QuoteTracker {
  /** The amount or the ticked coupons changed: ask again (after a short pause while the cashier types). */
  update(input: QuoteInput): void;
  stop(): void;
}

export const QUOTE_DELAY_MS = 300;

/**
 * 优惠 / 应付 at the till: asks the server what the ticked coupons take off the amount typed so far. A change
 * shows "loading" at once and asks after a pause; an answer for inputs that changed since is dropped, and the same
 * inputs as the last answer are not asked again.
 */
export function createQuoteTracker({
  quote,
  onChange,
  clock = realClock,
  delayMs = QUOTE_DELAY_MS,
}: {
  quote: (request: CouponQuoteRequest) => Promise<CouponQuote>;
  onChange: (state: QuoteState) => void;
  clock?: Clock;
  delayMs?: number;
}): QuoteTracker {
  let generation = 0;
  let timer: unknown = null;
  /** The inputs of the answer shown, and of the question still open. */
  let lastKey: string | null = null;
  let pendingKey: string | null = null;
  let state: QuoteState = { status: 'none' };

  function emit(next: QuoteState) {
    state = next;
    onChange(next);
  }

  function cancelTimer() {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  async function ask(mine: number, request: CouponQuoteRequest, key: string) {
    try {
      const answer = await quote(request);
      if (mine !== generation) return;
      pendingKey = null;
      lastKey = key;
      emit({ status: 'ready', quote: answer });
    } catch (error) {
      if (mine !== generation) return;
      pendingKey = null;
      emit({ status: 'error', message: describeCouponError(error) });
    }
  }

  return {
    update({ memberId, amountFen, couponCodes }) {
      if (amountFen === null || amountFen <= 0 || couponCodes.length === 0) {
        generation += 1;
        cancelTimer();
        lastKey = null;
        pendingKey = null;
        if (state.status !== 'none') emit({ status: 'none' });
        return;
      }
      const key = `${memberId}|${amountFen}|${couponCodes.join(',')}`;
      if ((key === lastKey && state.status === 'ready') || key === pendingKey) return;
      generation += 1;
      const mine = generation;
      cancelTimer();
      lastKey = null;
      pendingKey = key;
      emit({ status: 'loading' });
      const request: CouponQuoteRequest = { memberId, amountFen, items: [], couponCodes: [...couponCodes] };
      timer = clock.setTimeout(() => {
        timer = null;
        void ask(mine, request, key);
      }, delayMs);
    },
    stop() {
      generation += 1;
      cancelTimer();
      pendingKey = null;
    },
  };
}

export type TillCouponFen = { ok: true; couponFen: number } | { ok: false; message: string };

/** What the ticked coupons take off, for the offset limit and the submit: only once the quote is in. */
export function tillCouponFen(couponCodes: readonly string[], quote: QuoteState): TillCouponFen {
  if (couponCodes.length === 0) return { ok: true, couponFen: 0 };
  switch (quote.status) {
    case 'ready':
      return { ok: true, couponFen: quote.quote.couponFen };
    case 'error':
      return { ok: false, message: `所选优惠券不能用于本单：${quote.message}` };
    default:
      return { ok: false, message: '正在计算优惠，请稍候再提交' };
  }
}
