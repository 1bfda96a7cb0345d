// WeChat Pay orders and refunds, whatever is being paid for. What a payment means (credit a top-up, finish a
// till payment) is the business of the handler registered for its kind; this service makes sure each handler
// hears of each outcome, however many times and in whatever order notifications, the client's return and the
// reconciliation job report it. Handlers are idempotent (ledger keys), so "at least once" here is "exactly once"
// for the money.
import type { PaymentKind, RequestPaymentParams } from '@member-hub/shared';
import type { Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { type PayOrderDoc, type PayRefundDoc, payModels } from './model';
import {
  type PaymentProvider,
  PaymentProviderError,
  type PayNotification,
  type PayRefund,
  type PayTransaction,
} from './provider';

export interface PaymentHandler {
  /** The order was paid (its amount checked). Must be idempotent. */
  paid(order: PayOrderDoc, transaction: PayTransaction): Promise<void>;
  /** The order was closed unpaid: release whatever was held for it. Must be idempotent. */
  closed(order: PayOrderDoc): Promise<void>;
  /** A refund ended. Must be idempotent. */
  refundEnded(refund: PayRefundDoc, outcome: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): Promise<void>;
}

export interface OpenOrderInput {
  kind: PaymentKind;
  refId: Types.ObjectId;
  memberId: Types.ObjectId;
  outTradeNo: string;
  amountFen: number;
  description: string;
  openid: string;
  expiresAt: Date;
}

const DUPLICATE_KEY = 11000;

export class PaymentService {
  private readonly handlers = new Map<PaymentKind, PaymentHandler>();
  /** Where WeChat Pay reaches this server; set once the server listens (the sandbox uses our own address). */
  notifyBaseUrl: string;
  /** Test seam: runs after a notification verified and before anything is credited; throwing = a crash there. */
  afterVerify: ((notification: PayNotification) => void) | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly provider: PaymentProvider,
    private readonly logger: Logger,
    notifyBaseUrl: string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.notifyBaseUrl = notifyBaseUrl ?? '';
  }

  register(kind: PaymentKind, handler: PaymentHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Places the WeChat Pay order for something to be paid, once; a retry gets the same payment parameters. */
  async open(input: OpenOrderInput): Promise<RequestPaymentParams> {
    const { Orders } = payModels(this.conn);
    let order: PayOrderDoc;
    try {
      order = (
        await Orders.create({
          outTradeNo: input.outTradeNo,
          kind: input.kind,
          refId: input.refId,
          memberId: input.memberId,
          amountFen: input.amountFen,
          description: input.description,
          expiresAt: input.expiresAt,
          createdAt: new Date(this.now()),
        })
      ).toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      const existing = await Orders.findOne({ outTradeNo: input.outTradeNo }).lean<PayOrderDoc>();
      if (!existing) throw err;
      order = existing;
    }
    if (order.state !== 'NOTPAY') throw new AppError('PAYMENT_NOT_PAYABLE');
    if (order.payment) return order.payment;
    let payment: RequestPaymentParams;
    try {
      payment = await this.provider.createJsapiOrder({
        outTradeNo: order.outTradeNo,
        description: order.description,
        amountFen: order.amountFen,
        openid: input.openid,
        expiresAt: order.expiresAt,
        notifyUrl: `${this.notifyBaseUrl}/api/v1/pay/notify`,
      });
    } catch (err) {
      if (err instanceof PaymentProviderError && err.code === 'ORDERPAID') {
        await this.sync(order.outTradeNo);
        throw new AppError('PAYMENT_NOT_PAYABLE');
      }
      this.logger.error({ err, outTradeNo: order.outTradeNo }, 'JSAPI order failed');
      throw new AppError('PAYMENT_UNAVAILABLE');
    }
    await Orders.updateOne({ _id: order._id, payment: null }, { $set: { payment } });
    return payment;
  }

  /** A notification from WeChat Pay (already parsed from the raw body by the route). */
  async handleNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<void> {
    const notification = this.provider.parseNotification(headers, rawBody);
    this.afterVerify?.(notification);
    if (notification.eventType === 'TRANSACTION.SUCCESS') await this.apply(notification.transaction);
    else await this.applyRefund(notification.refund);
  }

  /** Asks WeChat Pay how an order stands and applies the answer (the client's return, the reconciliation job). */
  async sync(outTradeNo: string): Promise<PayOrderDoc['state']> {
    const transaction = await this.provider.queryOrder(outTradeNo);
    if (transaction) return this.apply(transaction);
    const order = await payModels(this.conn).Orders.findOne({ outTradeNo }).lean<PayOrderDoc>();
    return order?.state ?? 'NOTPAY';
  }

  /** Closes an unpaid order at WeChat Pay and then here; one paid meanwhile is applied as paid instead. */
  async close(outTradeNo: string): Promise<PayOrderDoc['state']> {
    const { Orders } = payModels(this.conn);
    const order = await Orders.findOne({ outTradeNo }).lean<PayOrderDoc>();
    if (!order) throw new AppError('NOT_FOUND', undefined, { resource: 'payment' });
    if (order.state !== 'NOTPAY') return order.state;
    if ((await this.provider.closeOrder(outTradeNo)) === 'paid') return this.sync(outTradeNo);
    await this.handler(order.kind).closed(order);
    await Orders.updateOne({ _id: order._id, state: 'NOTPAY' }, { $set: { state: 'CLOSED' } });
    return 'CLOSED';
  }

  /** Asks WeChat Pay for a refund, once per outRefundNo. The outcome arrives later (notification or query). */
  async refund(input: {
    kind: PaymentKind;
    refId: Types.ObjectId;
    memberId: Types.ObjectId;
    outTradeNo: string;
    outRefundNo: string;
    amountFen: number;
    reason: string;
  }): Promise<PayRefundDoc> {
    const { Orders, Refunds } = payModels(this.conn);
    const order = await Orders.findOne({ outTradeNo: input.outTradeNo }).lean<PayOrderDoc>();
    if (order?.state !== 'SUCCESS') throw new AppError('NOT_FOUND', undefined, { resource: 'payment' });
    let refund: PayRefundDoc;
    try {
      refund = (
        await Refunds.create({ ...input, totalFen: order.amountFen, createdAt: new Date(this.now()) })
      ).toObject();
    } catch (err) {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      const existing = await Refunds.findOne({ outRefundNo: input.outRefundNo }).lean<PayRefundDoc>();
      if (!existing) throw err;
      refund = existing;
    }
    if (refund.status !== 'PROCESSING') return refund;
    try {
      const answer = await this.provider.refund({
        outTradeNo: refund.outTradeNo,
        outRefundNo: refund.outRefundNo,
        refundFen: refund.amountFen,
        totalFen: refund.totalFen,
        reason: input.reason,
        notifyUrl: `${this.notifyBaseUrl}/api/v1/pay/refund-notify`,
      });
      if (answer.status !== 'PROCESSING') await this.applyRefund(answer);
    } catch (err) {
      // Unknown outcome (timeout, 5xx): the refund stays PROCESSING and the reconciliation job asks again.
      this.logger.error({ err, outRefundNo: refund.outRefundNo }, 'refund request failed');
      if (err instanceof PaymentProviderError && err.status >= 400 && err.status < 500) {
        await this.applyRefund({ ...toPayRefund(refund), status: 'CLOSED' });
      }
    }
    return (await Refunds.findById(refund._id).lean<PayRefundDoc>()) ?? refund;
  }

  /**
   * Asks WeChat Pay how a refund stands and applies the answer. A refund WeChat has never heard of (the request
   * was lost on the way) is asked for again: the same out_refund_no can only ever refund once.
   */
  async syncRefund(outRefundNo: string): Promise<void> {
    const answer = await this.provider.queryRefund(outRefundNo);
    if (answer) {
      if (answer.status !== 'PROCESSING') await this.applyRefund(answer);
      return;
    }
    const refund = await payModels(this.conn).Refunds.findOne({ outRefundNo }).lean<PayRefundDoc>();
    if (refund?.status !== 'PROCESSING') return;
    const again = await this.provider.refund({
      outTradeNo: refund.outTradeNo,
      outRefundNo: refund.outRefundNo,
      refundFen: refund.amountFen,
      totalFen: refund.totalFen,
      reason: '退款',
      notifyUrl: `${this.notifyBaseUrl}/api/v1/pay/refund-notify`,
    });
    if (again.status !== 'PROCESSING') await this.applyRefund(again);
  }

  /**
   * WeChat Pay's trade bill of a China-time day (null when there is none yet). WeChat refuses a day it keeps no
   * bill for (after today, more than three months ago): that is the asker's mistake, a 400 naming the date.
   */
  async tradeBill(date: string) {
    try {
      return await this.provider.tradeBill(date);
    } catch (err) {
      if (err instanceof PaymentProviderError && err.status === 400)
        throw new AppError('VALIDATION_FAILED', '微信支付不提供这一天的账单（只有今天以前三个月内的）', [
          { path: 'date', code: err.code },
        ]);
      // WeChat Pay down or answering garbage is not our bug: the owner is told to try again later.
      this.logger.error({ err, date }, 'trade bill request failed');
      throw new AppError('PAYMENT_UNAVAILABLE');
    }
  }

  private async apply(transaction: PayTransaction): Promise<PayOrderDoc['state']> {
    const { Orders } = payModels(this.conn);
    const order = await Orders.findOne({ outTradeNo: transaction.out_trade_no }).lean<PayOrderDoc>();
    if (!order) {
      this.logger.error({ outTradeNo: transaction.out_trade_no }, 'WeChat Pay reported an order we never placed');
      return 'NOTPAY';
    }
    if (transaction.trade_state !== 'SUCCESS' && transaction.trade_state !== 'REFUND') return order.state;
    if (transaction.amount.total !== order.amountFen) {
      // Never credit an amount we did not ask for; the daily reconciliation lists it for a person to look at.
      this.logger.error(
        { outTradeNo: order.outTradeNo, ours: order.amountFen, theirs: transaction.amount.total },
        'paid amount differs from the order',
      );
      throw new Error('paid amount differs from the order');
    }
    // Marked SUCCESS only after its handler finished: a repeat of the news has nothing left to do.
    if (order.state === 'SUCCESS') return 'SUCCESS';
    // The handler first, then our mark: a crash in between is healed by the next report (the handler is a replay).
    await this.handler(order.kind).paid(order, transaction);
    await Orders.updateOne(
      { _id: order._id, state: { $ne: 'SUCCESS' } },
      {
        $set: {
          state: 'SUCCESS',
          transactionId: transaction.transaction_id ?? null,
          paidAt: transaction.success_time ? new Date(transaction.success_time) : new Date(this.now()),
        },
      },
    );
    return 'SUCCESS';
  }

  private async applyRefund(answer: PayRefund): Promise<void> {
    const { Refunds } = payModels(this.conn);
    const refund = await Refunds.findOne({ outRefundNo: answer.out_refund_no }).lean<PayRefundDoc>();
    if (!refund) {
      this.logger.error({ outRefundNo: answer.out_refund_no }, 'WeChat Pay reported a refund we never asked for');
      return;
    }
    if (answer.status === 'PROCESSING') return;
    await this.handler(refund.kind).refundEnded(refund, answer.status);
    if (refund.status === 'PROCESSING') {
      await Refunds.updateOne(
        { _id: refund._id, status: 'PROCESSING' },
        {
          $set: {
            status: answer.status,
            finishedAt: answer.success_time ? new Date(answer.success_time) : new Date(this.now()),
          },
        },
      );
    }
  }

  private handler(kind: PaymentKind): PaymentHandler {
    const handler = this.handlers.get(kind);
    if (!handler) throw new Error(`no payment handler for ${kind}`);
    return handler;
  }
}

function toPayRefund(refund: PayRefundDoc): PayRefund {
  return {
    out_refund_no: refund.outRefundNo,
    out_trade_no: refund.outTradeNo,
    status: refund.status,
    amount: { refund: refund.amountFen, total: refund.totalFen },
  };
}
