import type { StaffCouponView, VerifyCouponResult } from '@member-hub/shared';
import { ApiError } from '../api/errors';
import { readCouponCode } from '../coupons/code';
import { createKeyedAction, newIdempotencyKey } from '../loyalty/idempotency';

export const APPLY_AT_PURCHASE = '请在记录消费时使用此券';

export interface VerifyVerdict {
  /** 确认核销 is offered: a gift coupon this store can take now. */
  canVerify: boolean;
  /** Why not, or what to do instead. */
  note: string | null;
}

/** What the till does with a looked-up coupon: verify a gift coupon here; money coupons go with a purchase. */
export function verifyVerdict(view: StaffCouponView): VerifyVerdict {
  if (view.problem) return { canVerify: false, note: view.problem };
  if (!view.verifiableAlone) return { canVerify: false, note: APPLY_AT_PURCHASE };
  return { canVerify: true, note: null };
}

/** What the till says when looking up or verifying a coupon fails. */
export function describeCouponError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : '操作失败，请稍后重试';
  }
  switch (error.code) {
    case 'VALIDATION_FAILED':
      return '券码应为 12 位数字';
    case 'NOT_FOUND':
      return '未找到这张优惠券，请核对券码';
    case 'NETWORK_ERROR':
      return '网络连接失败，请重试（重复提交不会重复核销）';
    default:
      return error.message || '操作失败，请稍后重试';
  }
}

/**
 * 确认核销: one key per code until the server answers for sure, so a retry after a lost answer is the same
 * verification (answered as a replay) rather than a second one refused as 已被使用.
 */
export function createCouponVerifier(
  verify: (request: { code: string; idempotencyKey: string }) => Promise<VerifyCouponResult>,
  makeKey: () => string = newIdempotencyKey,
): (code: string) => Promise<VerifyCouponResult> {
  return createKeyedAction((code: string, idempotencyKey: string) => verify({ code, idempotencyKey }), makeKey);
}

/** What the 核销券 panel shows. */
export interface CouponDeskState {
  busy: boolean;
  /** The coupon as looked up (after 核销, as verified). */
  view: StaffCouponView | null;
  verdict: VerifyVerdict | null;
  verified: VerifyCouponResult | null;
  error: string | null;
}

export const IDLE_DESK: CouponDeskState = { busy: false, view: null, verdict: null, verified: null, error: null };

export interface CouponDesk {
  /** 查询: a scanned or typed code; a lookup overtaken by a later one is dropped. */
  lookup(text: string): Promise<void>;
  /** 确认核销 the coupon looked up, if it may be verified here. */
  confirm(): Promise<void>;
  /** 核销下一张 */
  reset(): void;
  /** A failure before any lookup (the scanner failed). */
  report(error: unknown): void;
}

/**
 * The 核销券 panel's state: look a coupon up, show whose it is and whether it can be verified here, verify it
 * (retries of one verification carry one key), and start over for the next one.
 */
export function createCouponDesk({
  lookup,
  verify,
  onChange,
  makeKey = newIdempotencyKey,
}: {
  lookup: (code: string) => Promise<StaffCouponView>;
  verify: (request: { code: string; idempotencyKey: string }) => Promise<VerifyCouponResult>;
  onChange: (state: CouponDeskState) => void;
  makeKey?: () => string;
}): CouponDesk {
  const verifyCode = createCouponVerifier(verify, makeKey);
  let state = IDLE_DESK;
  /** The code as looked up (scanned payload or digits): the one verified. */
  let code: string | null = null;
  let generation = 0;

  function emit(patch: Partial<CouponDeskState>) {
    state = { ...state, ...patch };
    onChange(state);
  }

  return {
    async lookup(text) {
      const read = readCouponCode(text);
      const mine = ++generation;
      code = null;
      if (!read.ok) {
        emit({ ...IDLE_DESK, error: read.message });
        return;
      }
      emit({ ...IDLE_DESK, busy: true });
      try {
        const view = await lookup(read.code);
        if (mine !== generation) return;
        code = read.code;
        emit({ busy: false, view, verdict: verifyVerdict(view) });
      } catch (error) {
        if (mine === generation) emit({ busy: false, error: describeCouponError(error) });
      }
    },
    async confirm() {
      const { view, verdict } = state;
      if (state.busy || !code || !view || !verdict?.canVerify || state.verified) return;
      const mine = generation;
      emit({ busy: true, error: null });
      try {
        const verified = await verifyCode(code);
        if (mine !== generation) return;
        emit({ busy: false, verified, view: { ...view, coupon: verified.coupon } });
      } catch (error) {
        if (mine === generation) emit({ busy: false, error: describeCouponError(error) });
      }
    },
    reset() {
      generation += 1;
      code = null;
      emit(IDLE_DESK);
    },
    report(error) {
      generation += 1;
      code = null;
      emit({ ...IDLE_DESK, error: describeCouponError(error) });
    },
  };
}
