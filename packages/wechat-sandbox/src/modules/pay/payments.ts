import type { SandboxClock } from '../../core/clock';
import type { SandboxPayKeys } from './keys';
import { DEFAULT_NOTIFY_TIMEOUT_MS, Notifier } from './notifications';
import { type PayOrder, PayOrders, type PayTransaction, transactionView } from './orders';
import { PayRefunds, type RefundOutcome, type RefundRecord, refundNotificationResource } from './refunds';
import type { RefundRequest } from './requests';
import { paySignMessage, rsaVerify } from './signing';
import { TradeBills } from './trade-bill';

export interface PayOptions {
  keys: SandboxPayKeys;
  /** Multiplies WeChat's notification retry schedule (15 s, 15 s, 30 s, 3 min …); e.g. 0.001 in tests. Default 1. */
  notifyRetryScale?: number;
  /** How long a merchant has to answer a notification before it counts as failed. Default 5000. */
  notifyTimeoutMs?: number;
}

/** How long a refund stays PROCESSING (real time); flushNotifications ends it at once. */
export const REFUND_PROCESSING_MS = 1000;

const REFUND_SUMMARY: Record<RefundOutcome, string> = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' };

/** What `wx.requestPayment` is given: the merchant's paySign over appId, timeStamp, nonceStr and package. */
export interface PaymentRequest {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType?: string;
  paySign: string;
}

/**
 * WeChat Pay for one merchant: its orders, refunds and bills, and the flows that end in a notification (a payment,
 * a refund finishing). The pay router and the control API both work through this.
 */
export class Payments {
  readonly orders: PayOrders;
  readonly refunds: PayRefunds;
  readonly bills: TradeBills;
  readonly notifier: Notifier;
  private readonly processing = new Map<RefundRecord, NodeJS.Timeout>();
  private nextRefundOutcome: RefundOutcome = 'SUCCESS';

  constructor(
    readonly keys: SandboxPayKeys,
    clock: SandboxClock,
    options: Omit<PayOptions, 'keys'> = {},
  ) {
    this.orders = new PayOrders(clock);
    this.refunds = new PayRefunds(clock);
    this.bills = new TradeBills(clock);
    this.notifier = new Notifier(keys, clock, {
      retryScale: options.notifyRetryScale ?? 1,
      timeoutMs: options.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS,
    });
  }

  /**
   * What the cashier checks before it lets the payer pay: the merchant's signature, its appid, a live prepay_id,
   * an order still payable. The error is worded for the payer, as after "requestPayment:fail ".
   */
  checkPaymentRequest(request: PaymentRequest): { order: PayOrder } | { error: string } {
    if (request.signType !== undefined && request.signType !== 'RSA') return { error: 'signType 须为 RSA' };
    if (request.appId !== this.keys.appid) return { error: 'appId 与商户号不匹配' };
    const message = paySignMessage(request.appId, request.timeStamp, request.nonceStr, request.package);
    if (!rsaVerify(this.keys.merchantPublicKeyPem, message, request.paySign)) return { error: '支付验证签名失败' };
    const prepayId = /^prepay_id=(.+)$/.exec(request.package)?.[1];
    const found = prepayId === undefined ? undefined : this.orders.findByPrepayId(prepayId);
    if (!found) return { error: 'package 中的 prepay_id 无效' };
    if (!found.live) return { error: 'prepay_id 已失效，请重新下单' };
    const blocker = this.orders.payBlocker(found.order);
    return blocker === undefined ? { order: found.order } : { error: blocker };
  }

  /** The payer pays (TRANSACTION.SUCCESS follows) or the payment fails (PAYERROR, no notification). */
  settlePayment(order: PayOrder, result: 'pay' | 'fail'): PayTransaction {
    if (result === 'fail') {
      this.orders.markFailed(order);
      return transactionView(order);
    }
    this.orders.markPaid(order);
    const transaction = transactionView(order);
    this.notifier.send({
      url: order.request.notify_url,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      resource: { ...transaction },
      outTradeNo: order.request.out_trade_no,
    });
    return transaction;
  }

  /** 申请退款: a new refund stays PROCESSING for a moment, then ends (and notifies its notify_url, if any). */
  refund(request: RefundRequest): RefundRecord {
    const order =
      request.transaction_id === undefined
        ? this.orders.find(request.out_trade_no ?? '')
        : this.orders.findByTransactionId(request.transaction_id);
    const known = this.refunds.find(request.out_refund_no);
    const refund = this.refunds.create(order, request, this.nextRefundOutcome);
    if (refund !== known) {
      this.nextRefundOutcome = 'SUCCESS';
      this.processing.set(
        refund,
        setTimeout(() => this.finishRefund(refund), REFUND_PROCESSING_MS),
      );
    }
    return refund;
  }

  /** The next refund created ends ABNORMAL or CLOSED instead of SUCCESS. */
  endNextRefund(outcome: Exclude<RefundOutcome, 'SUCCESS'>): void {
    this.nextRefundOutcome = outcome;
  }

  /** Ends every PROCESSING refund now and waits for all deliveries under way. */
  async flush(): Promise<void> {
    for (const refund of [...this.processing.keys()]) this.finishRefund(refund);
    await this.notifier.flush();
  }

  reset(): void {
    this.cancelProcessing();
    this.orders.reset();
    this.refunds.reset();
    this.bills.reset();
    this.notifier.reset();
    this.nextRefundOutcome = 'SUCCESS';
  }

  async stop(): Promise<void> {
    this.cancelProcessing();
    await this.notifier.stop();
  }

  private finishRefund(refund: RefundRecord): void {
    clearTimeout(this.processing.get(refund));
    this.processing.delete(refund);
    this.refunds.finish(refund);
    const { notify_url: url, out_refund_no: outRefundNo } = refund.request;
    if (url === undefined) return;
    this.notifier.send({
      url,
      eventType: `REFUND.${refund.outcome}`,
      summary: REFUND_SUMMARY[refund.outcome],
      originalType: 'refund',
      resource: refundNotificationResource(refund),
      outTradeNo: refund.order.request.out_trade_no,
      outRefundNo,
    });
  }

  private cancelProcessing(): void {
    for (const timer of this.processing.values()) clearTimeout(timer);
    this.processing.clear();
  }
}
