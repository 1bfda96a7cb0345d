import { chinaCompactDateTime, chinaRfc3339 } from '../../core/china-time';
import type { SandboxClock } from '../../core/clock';
import { randomDigits } from '../../core/ids';
import type { PayOrder } from './orders';
import { payErrors } from './pay-errors';
import type { RefundRequest } from './requests';

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
/** How a refund can end; the control API picks ABNORMAL or CLOSED for the next one. */
export type RefundOutcome = Exclude<RefundStatus, 'PROCESSING'>;

/** A refund to the payer's change (零钱), where sandbox payments come from. */
const USER_RECEIVED_ACCOUNT = '支付用户零钱';

export interface RefundRecord {
  request: RefundRequest;
  /** The validated request as JSON: a repeat of out_refund_no must match it exactly. */
  fingerprint: string;
  order: PayOrder;
  refundId: string;
  createdAt: number;
  status: RefundStatus;
  /** Chosen when the refund is made, so "the next refund" means the next one created. */
  outcome: RefundOutcome;
  successTime?: number;
}

/** What the refund APIs answer. */
export interface PayRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel: 'ORIGINAL';
  user_received_account: string;
  success_time?: string;
  create_time: string;
  status: RefundStatus;
  funds_account: 'AVAILABLE';
  amount: {
    total: number;
    refund: number;
    payer_total: number;
    payer_refund: number;
    settlement_refund: number;
    settlement_total: number;
    discount_refund: number;
    currency: 'CNY';
  };
}

/** Refunds by out_refund_no (unique per merchant). */
export class PayRefunds {
  private readonly byOutRefundNo = new Map<string, RefundRecord>();

  constructor(private readonly clock: SandboxClock) {}

  find(outRefundNo: string): RefundRecord | undefined {
    return this.byOutRefundNo.get(outRefundNo);
  }

  /**
   * 申请退款 on a paid order: `total` must be the order's and the refunds (but closed ones) must not exceed it.
   * A known out_refund_no with the same request returns that refund; with another request it is refused.
   */
  create(order: PayOrder | undefined, request: RefundRequest, outcome: RefundOutcome): RefundRecord {
    const fingerprint = JSON.stringify(request);
    const known = this.byOutRefundNo.get(request.out_refund_no);
    if (known) {
      if (known.fingerprint !== fingerprint)
        throw payErrors.invalidRequest('商户退款单号重复，且与原退款请求的参数不一致');
      return known;
    }
    if (!order?.payment) throw payErrors.resourceNotExists('订单不存在或尚未支付，未支付的订单不能发起退款');
    if (request.amount.total !== order.request.amount.total) {
      throw payErrors.invalidRequest('订单金额 total 与原订单金额不一致');
    }
    const refunded = order.refunds
      .filter((refund) => refund.status !== 'CLOSED')
      .reduce((sum, refund) => sum + refund.request.amount.refund, 0);
    if (refunded + request.amount.refund > order.request.amount.total) {
      throw payErrors.invalidRequest('申请退款金额超过订单可退金额');
    }
    const now = this.clock.now();
    const refund: RefundRecord = {
      request,
      fingerprint,
      order,
      // Shaped like real ones: 503 + 0000 + yyyyMMdd + 14 digits (29 digits).
      refundId: `5030000${chinaCompactDateTime(now).slice(0, 8)}${randomDigits(14)}`,
      createdAt: now,
      status: 'PROCESSING',
      outcome,
    };
    order.refunds.push(refund);
    this.byOutRefundNo.set(request.out_refund_no, refund);
    return refund;
  }

  /** The refund ends as it was set to when created. */
  finish(refund: RefundRecord): void {
    refund.status = refund.outcome;
    if (refund.outcome === 'SUCCESS') refund.successTime = this.clock.now();
  }

  list(): RefundRecord[] {
    return [...this.byOutRefundNo.values()];
  }

  reset(): void {
    this.byOutRefundNo.clear();
  }
}

export function refundView(refund: RefundRecord): PayRefund {
  const { order, request } = refund;
  return {
    refund_id: refund.refundId,
    out_refund_no: request.out_refund_no,
    transaction_id: order.payment?.transactionId ?? '',
    out_trade_no: order.request.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: USER_RECEIVED_ACCOUNT,
    ...(refund.successTime === undefined ? {} : { success_time: chinaRfc3339(refund.successTime) }),
    create_time: chinaRfc3339(refund.createdAt),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: request.amount.total,
      refund: request.amount.refund,
      payer_total: request.amount.total,
      payer_refund: request.amount.refund,
      settlement_refund: request.amount.refund,
      settlement_total: request.amount.total,
      discount_refund: 0,
      currency: 'CNY',
    },
  };
}

/** The plaintext of REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED. */
export function refundNotificationResource(refund: RefundRecord): Record<string, unknown> {
  const view = refundView(refund);
  return {
    mchid: refund.order.request.mchid,
    out_trade_no: view.out_trade_no,
    transaction_id: view.transaction_id,
    out_refund_no: view.out_refund_no,
    refund_id: view.refund_id,
    refund_status: view.status,
    ...(view.success_time === undefined ? {} : { success_time: view.success_time }),
    user_received_account: view.user_received_account,
    amount: {
      total: view.amount.total,
      refund: view.amount.refund,
      payer_total: view.amount.payer_total,
      payer_refund: view.amount.payer_refund,
    },
  };
}
