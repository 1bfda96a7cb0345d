import { chinaCompactDateTime, chinaRfc3339 } from '../../core/china-time';
import type { SandboxClock } from '../../core/clock';
import { randomDigits, randomHex } from '../../core/ids';
import { payErrors } from './pay-errors';
import type { RefundRecord } from './refunds';
import { fieldError, type JsapiOrderRequest, parseRfc3339 } from './requests';

/** A prepay_id can start a payment for two hours; after that the same parameters get a new one. */
export const PREPAY_TTL_MS = 2 * 3600 * 1000;

/** The states this sandbox produces (USERPAYING belongs to code-scanning payments, not JSAPI). */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'PAYERROR';

const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  PAYERROR: '支付失败，请重新下单支付',
};

interface Prepay {
  id: string;
  expiresAt: number;
}

export interface PayOrder {
  request: JsapiOrderRequest;
  /** The validated request as JSON: placing the order again must match it exactly. */
  fingerprint: string;
  /** From time_expire: after it the order cannot be paid (it still queries NOTPAY until closed). */
  expiresAt?: number;
  prepays: Prepay[];
  closed: boolean;
  /** The last payment attempt failed (PAYERROR); the payer may try again. */
  failed: boolean;
  payment?: { transactionId: string; successTime: number };
  refunds: RefundRecord[];
}

/** What both transaction queries return, and what TRANSACTION.SUCCESS carries (encrypted). */
export interface PayTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: 'JSAPI';
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid: string };
  amount: { total: number; payer_total?: number; currency?: string; payer_currency: string };
}

/** JSAPI orders by out_trade_no, prepay_id and transaction_id. */
export class PayOrders {
  private readonly byOutTradeNo = new Map<string, PayOrder>();
  private readonly byPrepayId = new Map<string, PayOrder>();
  private readonly byTransactionId = new Map<string, PayOrder>();

  constructor(private readonly clock: SandboxClock) {}

  /**
   * JSAPI 下单: the prepay_id of a new order, or of the same order placed again with the same parameters (a fresh
   * one once the last expired). Other parameters for a known out_trade_no are refused, as are paid and closed ones.
   */
  place(request: JsapiOrderRequest): string {
    const now = this.clock.now();
    const fingerprint = JSON.stringify(request);
    const known = this.byOutTradeNo.get(request.out_trade_no);
    if (known) {
      const state = tradeState(known);
      if (state === 'SUCCESS' || state === 'REFUND') throw payErrors.orderPaid();
      if (state === 'CLOSED') throw payErrors.orderClosed();
      if (known.fingerprint !== fingerprint) throw payErrors.invalidRequest('201 商户订单号重复');
      const current = known.prepays.at(-1);
      return current && now < current.expiresAt ? current.id : this.issuePrepay(known, now);
    }
    const expiresAt = request.time_expire === undefined ? undefined : parseRfc3339(request.time_expire);
    if (expiresAt !== undefined && expiresAt <= now) {
      throw fieldError('body', '/time_expire', '规则校验失败：交易结束时间须晚于当前时间');
    }
    const order: PayOrder = { request, fingerprint, expiresAt, prepays: [], closed: false, failed: false, refunds: [] };
    this.byOutTradeNo.set(request.out_trade_no, order);
    return this.issuePrepay(order, now);
  }

  find(outTradeNo: string): PayOrder | undefined {
    return this.byOutTradeNo.get(outTradeNo);
  }

  findByTransactionId(transactionId: string): PayOrder | undefined {
    return this.byTransactionId.get(transactionId);
  }

  /** The order behind a prepay_id, and whether that prepay_id can still start a payment. */
  findByPrepayId(prepayId: string): { order: PayOrder; live: boolean } | undefined {
    const order = this.byPrepayId.get(prepayId);
    const prepay = order?.prepays.find((p) => p.id === prepayId);
    return order && prepay ? { order, live: this.clock.now() < prepay.expiresAt } : undefined;
  }

  /** Why the payer cannot pay `order` now, in the cashier's words; undefined when they can. */
  payBlocker(order: PayOrder): string | undefined {
    const state = tradeState(order);
    if (state === 'SUCCESS' || state === 'REFUND') return '该订单已支付，请勿重复支付';
    if (state === 'CLOSED') return '订单已关闭';
    if (order.expiresAt !== undefined && this.clock.now() >= order.expiresAt) return '订单已过期，请重新下单';
    return undefined;
  }

  markPaid(order: PayOrder): void {
    const now = this.clock.now();
    // Shaped like real ones: 4200001 + 3 digits + yyyyMMdd + 10 digits (28 digits).
    const transactionId = `4200001${randomDigits(3)}${chinaCompactDateTime(now).slice(0, 8)}${randomDigits(10)}`;
    order.payment = { transactionId, successTime: now };
    order.failed = false;
    this.byTransactionId.set(transactionId, order);
  }

  markFailed(order: PayOrder): void {
    order.failed = true;
  }

  /** 关闭订单: any unpaid order (closing twice is fine); a paid one answers ORDERPAID. */
  close(order: PayOrder): void {
    if (order.payment) throw payErrors.orderPaid();
    order.closed = true;
  }

  list(): PayOrder[] {
    return [...this.byOutTradeNo.values()];
  }

  reset(): void {
    this.byOutTradeNo.clear();
    this.byPrepayId.clear();
    this.byTransactionId.clear();
  }

  private issuePrepay(order: PayOrder, now: number): string {
    // Shaped like real ones: "wx" + yyyyMMddHHmmss + 20 hex characters.
    const id = `wx${chinaCompactDateTime(now)}${randomHex(10)}`;
    order.prepays.push({ id, expiresAt: now + PREPAY_TTL_MS });
    this.byPrepayId.set(id, order);
    return id;
  }
}

/** A refund that has not been closed turns the order into REFUND ("转入退款"), whether partial or full. */
export function tradeState(order: PayOrder): TradeState {
  if (order.payment) return order.refunds.some((refund) => refund.status !== 'CLOSED') ? 'REFUND' : 'SUCCESS';
  if (order.closed) return 'CLOSED';
  return order.failed ? 'PAYERROR' : 'NOTPAY';
}

/** The order as the query APIs answer it: payment fields (and attach) only once it is paid. */
export function transactionView(order: PayOrder): PayTransaction {
  const { request, payment } = order;
  const state = tradeState(order);
  const base = {
    appid: request.appid,
    mchid: request.mchid,
    out_trade_no: request.out_trade_no,
  };
  if (!payment) {
    return {
      ...base,
      trade_state: state,
      trade_state_desc: TRADE_STATE_DESC[state],
      amount: { total: request.amount.total, payer_currency: 'CNY' },
    };
  }
  return {
    ...base,
    transaction_id: payment.transactionId,
    trade_type: 'JSAPI',
    trade_state: state,
    trade_state_desc: TRADE_STATE_DESC[state],
    bank_type: 'OTHERS',
    ...(request.attach === undefined ? {} : { attach: request.attach }),
    success_time: chinaRfc3339(payment.successTime),
    payer: { openid: request.payer.openid },
    amount: { total: request.amount.total, payer_total: request.amount.total, currency: 'CNY', payer_currency: 'CNY' },
  };
}
