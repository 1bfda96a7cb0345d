import { formatFen, RefundStatusLabels, type TopUp, TopUpStatusLabels, type Wallet } from '@member-hub/shared';
import { ApiError, isRouteMissing } from '../api/errors';
import { type Clock, realClock } from '../card/code-refresher';
import { pagePath, type WxPayResult } from './payment';
import { createPoller, type Poller } from './poller';

export const WALLET_PAGE = '/pages/wallet/index';
export const TOP_UP_PAGE = '/pages/wallet/top-up';
export const HISTORY_PAGE = '/pages/wallet/history';
/** 充值记录: the member's top-ups, each opening its result page. */
export const TOP_UPS_PAGE = '/pages/wallet/top-ups';

/**
 * What the result page needs to show a top-up and, if the member backs out, to open the same payment again: the
 * package and the key of the first attempt (a repeated key returns the same top-up and the same payment).
 */
export interface TopUpTicket {
  topUpId: string;
  packageId: string | null;
  idempotencyKey: string | null;
}

export function topUpPagePath({ topUpId, packageId, idempotencyKey }: TopUpTicket): string {
  return pagePath(TOP_UP_PAGE, { id: topUpId, pkg: packageId, key: idempotencyKey });
}

export function readTopUpTicket(params: Record<string, string | undefined>): TopUpTicket | null {
  if (!params.id) return null;
  return { topUpId: params.id, packageId: params.pkg || null, idempotencyKey: params.key || null };
}

export type TopUpView =
  | { phase: 'loading' }
  /** 支付结果确认中…: the pay sheet said ok, the server has not seen the money yet. */
  | { phase: 'confirming'; topUp: TopUp | null }
  | { phase: 'cancelled'; topUp: TopUp | null }
  | { phase: 'failed'; topUp: TopUp | null }
  /** Still pending after the polling window: the page offers to look again. */
  | { phase: 'timeout'; topUp: TopUp | null }
  /** Known: the page shows it by its status (paid, closed, pending, refunding, refunded). */
  | { phase: 'shown'; topUp: TopUp }
  | { phase: 'error'; message: string; missing: boolean };

export interface TopUpTrackerDeps {
  topUpId: string;
  /** What the pay sheet said on the way here; null when the page was opened otherwise. */
  wxpay: WxPayResult | null;
  confirm: (topUpId: string) => Promise<TopUp | null>;
  load: (topUpId: string) => Promise<TopUp>;
  onChange: (view: TopUpView) => void;
  clock?: Clock;
  intervalMs?: number;
  timeoutMs?: number;
}

export const TOP_UP_POLL_MS = 1_500;
export const TOP_UP_POLL_TIMEOUT_MS = 30_000;

/** A top-up the result page can stop waiting for: paid, closed, or already on its way back. */
export function topUpSettled(topUp: TopUp): boolean {
  return topUp.status !== 'pending';
}

/** Asking again cannot help: the wallet is not on this server yet, or there is no such top-up. */
function hopeless(error: unknown): boolean {
  return isRouteMissing(error) || (error instanceof ApiError && error.code === 'NOT_FOUND');
}

function errorView(error: unknown): TopUpView {
  const message = error instanceof Error && error.message ? error.message : '加载失败，请稍后重试';
  return { phase: 'error', message, missing: isRouteMissing(error) };
}

export interface TopUpTracker {
  /** The arrival: with wxpay=ok, confirm once and poll; cancel/fail say so; otherwise just show the top-up. */
  start(): void;
  /** 再查一次: poll again for another window (no second confirm). */
  pollAgain(): void;
  /** 刷新: read the top-up once and show whatever it is. */
  reload(): void;
  /** The page already knows the top-up as it is now (a refund's answer). */
  show(topUp: TopUp): void;
  stop(): void;
}

/**
 * The 充值结果 page's state machine. The pay sheet's "ok" only says the member paid; the money counts once the
 * server has it, so the page asks the server to check with WeChat Pay (once per arrival) and then reads the
 * top-up every 1.5 s for up to 30 s until it is paid or closed.
 */
export function createTopUpTracker({
  topUpId,
  wxpay,
  confirm,
  load,
  onChange,
  clock = realClock,
  intervalMs = TOP_UP_POLL_MS,
  timeoutMs = TOP_UP_POLL_TIMEOUT_MS,
}: TopUpTrackerDeps): TopUpTracker {
  let generation = 0;
  let confirmed = false;
  let last: TopUp | null = null;

  function emit(view: TopUpView) {
    if ('topUp' in view && view.topUp) last = view.topUp;
    onChange(view);
  }

  const poller: Poller = createPoller({
    load: () => load(topUpId),
    settled: topUpSettled,
    intervalMs,
    timeoutMs,
    fatal: hopeless,
    clock,
    onChange(state) {
      if (state.status === 'settled') emit({ phase: 'shown', topUp: state.value });
      else if (state.status === 'waiting') emit({ phase: 'confirming', topUp: state.value ?? last });
      else if (state.status === 'timeout') emit({ phase: 'timeout', topUp: state.value ?? last });
      else emit(errorView(state.error));
    },
  });

  async function confirmThenPoll(mine: number) {
    emit({ phase: 'confirming', topUp: last });
    if (!confirmed) {
      confirmed = true;
      try {
        const answer = await confirm(topUpId);
        if (mine !== generation) return;
        if (answer && topUpSettled(answer)) {
          emit({ phase: 'shown', topUp: answer });
          return;
        }
      } catch (error) {
        if (mine !== generation) return;
        if (hopeless(error)) {
          emit(errorView(error));
          return;
        }
        // Otherwise the notification from WeChat Pay may still credit it: keep looking.
      }
    }
    poller.start();
  }

  async function loadOnce(mine: number, unpaid: 'cancelled' | 'failed' | null) {
    try {
      const topUp = await load(topUpId);
      if (mine !== generation) return;
      emit(unpaid && !topUpSettled(topUp) ? { phase: unpaid, topUp } : { phase: 'shown', topUp });
    } catch (error) {
      if (mine !== generation) return;
      // Backing out needs no server answer to be shown; the retry button works without it.
      emit(unpaid ? { phase: unpaid, topUp: last } : errorView(error));
    }
  }

  function begin(): number {
    poller.stop();
    generation += 1;
    return generation;
  }

  return {
    start() {
      const mine = begin();
      if (wxpay === 'ok') {
        void confirmThenPoll(mine);
        return;
      }
      const unpaid = wxpay === 'cancel' ? 'cancelled' : wxpay === 'fail' ? 'failed' : null;
      emit(unpaid ? { phase: unpaid, topUp: last } : { phase: 'loading' });
      void loadOnce(mine, unpaid);
    },
    pollAgain() {
      begin();
      emit({ phase: 'confirming', topUp: last });
      poller.start();
    },
    reload() {
      const mine = begin();
      if (!last) emit({ phase: 'loading' });
      void loadOnce(mine, null);
    },
    show(topUp) {
      begin();
      emit({ phase: 'shown', topUp });
    },
    stop() {
      begin();
    },
  };
}

/**
 * Whether to offer 申请退款: the owner allows it, the top-up is paid and not already being refunded (a failed
 * refund may be asked again), and the wallet still holds principal to give back.
 */
export function canRefundTopUp(topUp: TopUp, wallet: Wallet | null): boolean {
  if (!wallet?.refundEnabled || wallet.principalFen <= 0 || topUp.status !== 'paid') return false;
  return topUp.refund === null || topUp.refund.status === 'failed';
}

/** The confirm dialog: what comes back, and that the bonus goes in proportion. */
export function refundConfirmText(topUp: TopUp): string {
  const bonus = topUp.bonusFen > 0 ? `赠送的 ${formatFen(topUp.bonusFen)} 将按退款比例作废，` : '';
  return `将退还这笔充值中未使用的本金（最多 ${formatFen(topUp.payFen)}），原路退回微信零钱或银行卡。${bonus}退款后不可撤销。确定申请退款吗？`;
}

/** "退款成功：退还本金 ¥500.00，作废赠送 ¥50.00"; null when no refund was asked for. */
export function refundStateText(topUp: TopUp): string | null {
  if (!topUp.refund) return null;
  const { status, principalFen, bonusForfeitedFen } = topUp.refund;
  const forfeited = bonusForfeitedFen > 0 ? `，作废赠送 ${formatFen(bonusForfeitedFen)}` : '';
  return `${RefundStatusLabels[status]}：退还本金 ${formatFen(principalFen)}${forfeited}`;
}

/** The status tag of a top-up. */
export function topUpStatusText(topUp: TopUp): string {
  return TopUpStatusLabels[topUp.status];
}
