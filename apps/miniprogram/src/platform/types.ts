import type { RequestPaymentParams, SubscribeDecisionValue } from '@member-hub/shared';

/**
 * What `wx.requestPayment` takes, as the server's prepay answer carries it (WeChat Pay v3, JSAPI). `appId` is
 * signed into `paySign`; the WeChat client knows it already, the sandbox cashier needs it.
 */
export type PaymentParams = RequestPaymentParams;

/**
 * How a payment left this page. 'paid': WeChat said so right here (weapp). 'redirected': the page went to the
 * sandbox cashier (H5), which comes back to the return path with `wxpay=ok|cancel|fail` appended; nothing more
 * happens on this page.
 */
export type PaymentOutcome = 'paid' | 'redirected';

/**
 * What the member did with one template in the consent sheet, as `wx.requestSubscribeMessage` reports it: 'accept'
 * (one send), 'reject', 'ban' (they turned the template off for this app) or 'filter' (WeChat dropped it). Only
 * 'accept' lets us send; the server keeps the rest too, so owners see how each asking moment went.
 */
export type SubscribeDecision = SubscribeDecisionValue;

/** What the `getPhoneNumber` button hands its handler; on H5 there is no such event. */
export interface PhoneNumberEventDetail {
  code?: string;
  errMsg?: string;
}

/**
 * Everything the pages need from WeChat itself. The mini-program gets it from the WeChat client; the H5 build
 * (demo and end-to-end tests) gets it from the WeChat sandbox, so the same pages run in both.
 */
export interface Platform {
  readonly name: 'weapp' | 'h5';
  /** A one-time login code for `POST /api/v1/auth/wechat`. */
  login(): Promise<{ code: string }>;
  /** The text inside a scanned QR code or bar code. */
  scanCode(): Promise<string>;
  /**
   * Pays with WeChat Pay. `returnPath` (a page path with its query, e.g. `/pages/wallet/top-up?id=1`) is where
   * the H5 cashier sends the member back; weapp stays on the page. A member backing out is CANCELLED.
   */
  requestPayment(params: PaymentParams, returnPath: string): Promise<PaymentOutcome>;
  /**
   * The consent sheet for 1-3 templates, one decision per template id. Call it from a tap: WeChat shows the sheet
   * only in answer to one. `titles` (by template id) are for the H5 stand-in sheet; WeChat shows its own.
   */
  requestSubscribeMessage(
    templateIds: string[],
    titles?: Readonly<Record<string, string>>,
  ): Promise<Record<string, SubscribeDecision>>;
  /** A one-time phone-number code for the server to exchange; weapp takes it from the button's event. */
  getPhoneNumberCode(detail?: PhoneNumberEventDetail): Promise<string>;
  /**
   * An image only a logged-in member may fetch (the invite mini-program code), as a src an `<Image>` shows: a
   * downloaded temp file on weapp, an object URL on H5. A refusal is the server's ApiError (a stale token can be
   * renewed and asked again); no answer is NETWORK_ERROR.
   */
  loadImage(url: string, headers: Record<string, string>): Promise<string>;
}

/** A platform capability that failed or is unavailable; `message` is meant for the user. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';

  constructor(
    readonly code: 'UNSUPPORTED' | 'CANCELLED' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}
