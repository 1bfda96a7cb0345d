import type { SandboxApp } from '../apps';
import type { CallSummary } from '../core/call-log';
import type { FailureInput } from '../core/faults';
import { httpErrors, SandboxHttpError } from '../core/http-errors';
import type { SentMessage } from '../modules/messages/message-store';
import { MAINLAND_MOBILE } from '../modules/phone/phone-codes';
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

  /** The next `count` (default 1) calls to `api` answer `errcode` (and `errmsg`, else WeChat's text for it). */
  injectFailure(input: FailureInput): void {
    this.knownApi(input.api);
    this.state.runtime.faults.injectFailure(input);
  }

  pendingFailures(): Array<{ api: string; errcode: number; remaining: number }> {
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

  messages(filter: { touser?: string } = {}): SentMessage[] {
    return this.state.messages.list(filter);
  }

  now(): number {
    return this.state.runtime.clock.now();
  }

  /** Moves sandbox time forward (on top of the injected clock); returns the new now in ms. */
  advanceClock(ms: number): number {
    return this.state.runtime.clock.advance(ms);
  }

  /** Forgets codes, tokens, failures, latency, calls, messages and clock offset; apps stay. */
  reset(): void {
    const { runtime, identities, loginCodes, accessTokens, phoneCodes, messages } = this.state;
    runtime.clock.reset();
    runtime.calls.reset();
    runtime.faults.reset();
    identities.reset();
    loginCodes.reset();
    accessTokens.reset();
    phoneCodes.reset();
    messages.reset();
  }

  private app(appid: string | undefined): SandboxApp {
    if (appid === undefined) return this.state.apps.primary();
    const app = this.state.apps.find(appid);
    if (!app) throw httpErrors.unknownApp(appid);
    return app;
  }

  private knownApi(api: string): void {
    const known = [...this.state.runtime.apiNames];
    if (!known.includes(api)) throw httpErrors.unknownApi(api, known);
  }
}
