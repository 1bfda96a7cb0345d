/** The fields `wx.requestPayment` needs, as the server's prepay call returns them (WeChat Pay v3, JSAPI). */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export type SubscribeDecision = 'accept' | 'reject';

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
  requestPayment(params: PaymentParams): Promise<void>;
  requestSubscribeMessage(templateIds: string[]): Promise<Record<string, SubscribeDecision>>;
  /** A one-time phone-number code for the server to exchange; weapp takes it from the button's event. */
  getPhoneNumberCode(detail?: PhoneNumberEventDetail): Promise<string>;
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
