// What the hub needs from a payment service. WechatPayProvider is the real one (pointed at the sandbox in
// development and tests); flows and jobs only ever see this interface.
import type { RequestPaymentParams } from '@member-hub/shared';

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'REFUND' | 'USERPAYING' | 'PAYERROR' | 'REVOKED';

/** A WeChat Pay transaction as query and TRANSACTION.SUCCESS notifications describe it. */
export interface PayTransaction {
  out_trade_no: string;
  transaction_id?: string;
  trade_state: TradeState;
  trade_state_desc?: string;
  success_time?: string;
  amount: { total: number; payer_total?: number };
  payer?: { openid: string };
}

export type RefundState = 'SUCCESS' | 'PROCESSING' | 'ABNORMAL' | 'CLOSED';

export interface PayRefund {
  out_refund_no: string;
  out_trade_no: string;
  refund_id?: string;
  status: RefundState;
  success_time?: string;
  amount: { refund: number; total: number };
}

/** A verified, decrypted notification. */
export type PayNotification =
  | { id: string; eventType: 'TRANSACTION.SUCCESS'; transaction: PayTransaction }
  | { id: string; eventType: 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED'; refund: PayRefund };

export interface JsapiOrderInput {
  outTradeNo: string;
  description: string;
  amountFen: number;
  openid: string;
  expiresAt: Date;
  notifyUrl: string;
}

export interface RefundInput {
  outTradeNo: string;
  outRefundNo: string;
  refundFen: number;
  totalFen: number;
  reason: string;
  notifyUrl: string;
}

/** One line of the daily trade bill. */
export interface TradeBillLine {
  outTradeNo: string;
  transactionId: string;
  tradeState: 'SUCCESS' | 'REFUND' | string;
  totalFen: number;
  refundFen: number;
  outRefundNo: string | null;
}

export interface PaymentProvider {
  /** Places (or places again, idempotently) a JSAPI order and returns what wx.requestPayment needs. */
  createJsapiOrder(input: JsapiOrderInput): Promise<RequestPaymentParams>;
  /** null when the provider does not know the order. */
  queryOrder(outTradeNo: string): Promise<PayTransaction | null>;
  /** 'paid' when the order was paid meanwhile (it cannot be closed then). */
  closeOrder(outTradeNo: string): Promise<'closed' | 'paid'>;
  refund(input: RefundInput): Promise<PayRefund>;
  queryRefund(outRefundNo: string): Promise<PayRefund | null>;
  /** Verifies the signature and timestamp, then decrypts. Throws PaymentSignatureError on anything wrong. */
  parseNotification(headers: Record<string, string | undefined>, rawBody: string): PayNotification;
  /** null when there is no bill for that day (nothing happened, or not generated yet). */
  tradeBill(date: string): Promise<TradeBillLine[] | null>;
}

/** A notification or response whose signature, serial, timestamp or ciphertext does not check out. */
export class PaymentSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentSignatureError';
  }
}

/** WeChat Pay answered with an error (or not at all). */
export class PaymentProviderError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}
