import type { SandboxApp } from '../apps';
import type { CallSummary } from '../core/call-log';
import type { FailureInput, PendingFailureSummary } from '../core/faults';
import { httpErrors, SandboxHttpError } from '../core/http-errors';
import type { ApiWireFormat } from '../core/wechat-api';
import type { MessageFilter, SentMessage } from '../modules/messages/message-store';
import type {
  NotificationAttempt,
  NotificationCorruption,
  PayNotification,
  ReleaseOrder,
} from '../modules/pay/notifications';
import type { PayTransaction } from '../modules/pay/orders';
import type { Payments } from '../modules/pay/payments';
import { MAINLAND_MOBILE } from '../modules/phone/phone-codes';
import type { SubscribeQuota } from '../modules/subscribe-message/quotas';
import type { SubscribeTemplate } from '../modules/subscribe-message/templates';
import type { WxaCode } from '../modules/wxacode/wxa-codes';
import type { SandboxState } from '../state';

export interface IssueLoginCodeInput {
  /** Defaults to the first configured app. */
  appid?: string;
  /** The openid code2Session will return. Give this or `user`. */
  openid?: string;
  /** An opaque user id, mapped to a stable openid as `/sandbox/jslogin` does. */
  user?: string;
  /** The unionid to return (when the app is bound to an open platform); derived when not given. */
  unionid?: string;
}

export interface IssuedLoginCode {
  code: string;
  openid: string;
  unionid?: string;
}

export interface GrantSubscriptionInput {
  /** Defaults to the first configured app. */
  appid?: string;
  /** A user of the app (given a login code before). Give this or `user`. */
  openid?: string;
  /** A browser user id, mapped to its openid as `/sandbox/jslogin` does. */
  user?: string;
  templateIds: string[];
  /** Consents per template, as if the user accepted that many times; default 1. */
  count?: number;
}

/** What tests steer the sandbox with; the `/__control` HTTP API is a thin layer over this. */
export class SandboxControl {
  constructor(private readonly state: SandboxState) {}

  apps(): Array<Pick<SandboxApp, 'appid' | 'boundToOpenPlatform'>> {
    return this.state.apps.list().map(({ appid, boundToOpenPlatform }) => ({ appid, boundToOpenPlatform }));
  }

  issueLoginCode(input: IssueLoginCodeInput): IssuedLoginCode {
    const app = this.app(input.appid);
    const { identities, loginCodes } = this.state;
    let identity: { openid: string; unionid: string };
    if (input.openid) identity = identities.forOpenid(app.appid, input.openid, input.unionid);
    else if (input.user) identity = identities.forUser(app.appid, input.user);
    else throw new SandboxHttpError(400, 'validation_failed', 'Give openid or user');
    return {
      code: loginCodes.issue(app.appid, identity),
      openid: identity.openid,
      ...(app.boundToOpenPlatform ? { unionid: identity.unionid } : {}),
    };
  }

  issuePhoneCode(input: { appid?: string; phoneNumber: string }): { code: string } {
    const app = this.app(input.appid);
    if (!MAINLAND_MOBILE.test(input.phoneNumber)) {
      throw new SandboxHttpError(400, 'validation_failed', 'phoneNumber must be an 11-digit mainland mobile number');
    }
    return { code: this.state.phoneCodes.issue(app.appid, input.phoneNumber) };
  }

  /**
   * The next `count` (default 1) calls to `api` answer `errcode` (and `errmsg`, else WeChat's text for it). For a
   * WeChat Pay API, `errcode` is the HTTP status and `code` the error code (SYSTEM_ERROR for a 5xx by default).
   */
  injectFailure(input: FailureInput): void {
    const format = this.knownApi(input.api);
    const invalid = (message: string) => new SandboxHttpError(400, 'validation_failed', message);
    if ((input.errcode === undefined) === (input.status === undefined)) throw invalid('Give errcode or status');
    if (format === 'pay') {
      const status = input.errcode;
      if (status === undefined || !(Number.isInteger(status) && status >= 400 && status <= 599)) {
        throw invalid('WeChat Pay APIs fail with an HTTP status: errcode 400-599');
      }
    }
    if (format === 'wechat' && input.code !== undefined) throw invalid('code is for WeChat Pay APIs only');
    const status = input.status;
    if (status !== undefined && !(Number.isInteger(status) && status >= 500 && status <= 599)) {
      throw invalid('status is an HTTP status 500-599');
    }
    const failure = {
      errcode: input.errcode ?? status ?? -1,
      errmsg: input.errmsg,
      code: input.code,
      ...(status === undefined ? {} : { status }),
    };
    this.state.runtime.faults.injectFailure(input.api, failure, input.count);
  }

  pendingFailures(): PendingFailureSummary[] {
    return this.state.runtime.faults.pendingFailures();
  }

  /** Every call to `api` waits `ms` (real time) before answering; 0 removes the delay. */
  setLatency(api: string, ms: number): void {
    this.knownApi(api);
    this.state.runtime.faults.setLatency(api, ms);
  }

  /** Live access tokens of `appid` (or of every app) expire now: their next use answers 42001. */
  expireTokens(appid?: string): number {
    if (appid !== undefined) this.app(appid);
    return this.state.accessTokens.expire(appid);
  }

  /** Live access tokens of `appid` (or of every app) are revoked: their next use answers 40001. */
  invalidateTokens(appid?: string): number {
    if (appid !== undefined) this.app(appid);
    return this.state.accessTokens.invalidate(appid);
  }

  calls(api?: string): CallSummary {
    return this.state.runtime.calls.summary(api);
  }

  /** Subscription messages accepted by subscribe/send, oldest first. */
  messages(filter: MessageFilter = {}): SentMessage[] {
    return this.state.messages.list(filter);
  }

  /** The templates every app has (ids, titles, keywords with their types and a valid example each). */
  subscribeTemplates(): SubscribeTemplate[] {
    return this.state.subscribeTemplates.list();
  }

  /**
   * What the user accepting these templates in wx.requestSubscribeMessage does: each acceptance lets the app send
   * them one message of the template. Returns the quotas of those templates after the grant.
   */
  grantSubscription(input: GrantSubscriptionInput): SubscribeQuota[] {
    const app = this.app(input.appid);
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new SandboxHttpError(400, 'validation_failed', 'count must be ≥ 1');
    this.state.subscribeTemplates.requireAll(input.templateIds);
    const { identities, subscribeQuotas } = this.state;
    let openid: string;
    if (input.user !== undefined) openid = identities.forUser(app.appid, input.user).openid;
    else if (input.openid !== undefined && identities.knows(app.appid, input.openid)) openid = input.openid;
    else if (input.openid !== undefined) throw httpErrors.unknownOpenid(app.appid, input.openid);
    else throw new SandboxHttpError(400, 'validation_failed', 'Give openid or user');
    return [...new Set(input.templateIds)].map((templateId) =>
      subscribeQuotas.grant(app.appid, openid, templateId, count),
    );
  }

  /** Quotas left per (user, template), spent ones included (remaining 0). */
  subscribeQuotas(filter: { appid?: string; openid?: string; template_id?: string } = {}): SubscribeQuota[] {
    return this.state.subscribeQuotas.list(filter);
  }

  /** Forgets the message log and every quota (tokens, codes and users stay); returns how many of each. */
  clearMessages(): { messages: number; quotas: number } {
    return { messages: this.state.messages.reset(), quotas: this.state.subscribeQuotas.reset() };
  }

  /** Mini-program codes drawn by getwxacodeunlimit, oldest first. */
  wxacodes(filter: { appid?: string; scene?: string } = {}): WxaCode[] {
    return this.state.wxaCodes.list(filter);
  }

  now(): number {
    return this.state.runtime.clock.now();
  }

  /** Moves sandbox time forward (on top of the injected clock); returns the new now in ms. */
  advanceClock(ms: number): number {
    return this.state.runtime.clock.advance(ms);
  }

  /**
   * Pays (the default) or fails an order as its payer would at the cashier, found by out_trade_no or prepay_id.
   * A payment sends TRANSACTION.SUCCESS to the order's notify_url.
   */
  pay(order: string, options: { result?: 'pay' | 'fail' } = {}): PayTransaction {
    const payments = this.payments();
    const found = payments.orders.find(order) ?? payments.orders.findByPrepayId(order)?.order;
    if (!found) throw new SandboxHttpError(404, 'unknown_order', `No order with out_trade_no or prepay_id ${order}`);
    const blocker = payments.orders.payBlocker(found);
    if (blocker !== undefined) throw new SandboxHttpError(409, 'order_not_payable', blocker);
    return payments.settlePayment(found, options.result ?? 'pay');
  }

  /** WeChat Pay notifications sent so far (oldest first), each with its delivery log. */
  notifications(filter: { outTradeNo?: string; eventType?: string } = {}): PayNotification[] {
    return this.payments().notifier.list(filter);
  }

  /**
   * Ends refunds still PROCESSING and waits for every notification delivery under way, so tests need not wait
   * for timers. Scheduled retries, delayed and held notifications are not due yet and are not waited for.
   */
  async flushNotifications(): Promise<void> {
    await this.payments().flush();
  }

  /** The next notification's first delivery is sent `times` times at once (same id and body). */
  duplicateNextNotification(times: number): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new SandboxHttpError(400, 'validation_failed', 'times must be ≥ 1');
    }
    this.payments().notifier.duplicateNext(times);
  }

  /** The next `count` notifications wait `ms` (real time) before their first delivery. */
  delayNextNotifications(ms: number, count = 1): void {
    if (!(ms >= 0 && Number.isInteger(count) && count >= 1)) {
      throw new SandboxHttpError(400, 'validation_failed', 'ms must be ≥ 0 and count ≥ 1');
    }
    this.payments().notifier.delayNext(ms, count);
  }

  /** Queues notifications from now on instead of sending them, until releaseNotifications. */
  holdNotifications(): void {
    this.payments().notifier.hold();
  }

  /**
   * Sends the held notifications one after another (each once the merchant answered the one before) in the order
   * given ('fifo', 'reversed', or every held id in the order wanted), and stops holding. Returns the ids as sent.
   */
  async releaseNotifications(order: ReleaseOrder = 'fifo'): Promise<string[]> {
    return this.payments().notifier.release(order);
  }

  /** Spoils the next notification's first delivery: its signature, serial, timestamp (10 min old) or ciphertext. */
  corruptNextNotification(corruption: NotificationCorruption): void {
    this.payments().notifier.corruptNext(corruption);
  }

  /** Delivers a past notification again now (same id and body, fresh signature headers). */
  async resendNotification(id: string): Promise<NotificationAttempt> {
    return this.payments().notifier.resend(id);
  }

  /** The next refund created ends ABNORMAL or CLOSED (notified as REFUND.ABNORMAL / REFUND.CLOSED). */
  endNextRefund(outcome: 'ABNORMAL' | 'CLOSED'): void {
    this.payments().endNextRefund(outcome);
  }

  /**
   * Forgets codes, tokens, failures, latency, calls, messages and quotas, mini-program codes, payments and clock
   * offset; apps (and keys) stay.
   */
  reset(): void {
    const { runtime, identities, loginCodes, accessTokens, phoneCodes, messages, subscribeQuotas, wxaCodes } =
      this.state;
    runtime.clock.reset();
    runtime.calls.reset();
    runtime.faults.reset();
    identities.reset();
    loginCodes.reset();
    accessTokens.reset();
    phoneCodes.reset();
    messages.reset();
    subscribeQuotas.reset();
    wxaCodes.reset();
    this.state.pay?.reset();
  }

  private app(appid: string | undefined): SandboxApp {
    if (appid === undefined) return this.state.apps.primary();
    const app = this.state.apps.find(appid);
    if (!app) throw httpErrors.unknownApp(appid);
    return app;
  }

  private knownApi(api: string): ApiWireFormat {
    const format = this.state.runtime.apis.get(api);
    if (!format) throw httpErrors.unknownApi(api, [...this.state.runtime.apis.keys()]);
    return format;
  }

  private payments(): Payments {
    if (!this.state.pay) {
      throw new SandboxHttpError(404, 'pay_disabled', 'WeChat Pay is off: start the sandbox with the pay option');
    }
    return this.state.pay;
  }
}
