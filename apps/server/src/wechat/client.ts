// Typed client for WeChat's mini-program server APIs. The base URL comes from config (the sandbox in development),
// the access token is cached with one refresh in flight at a time, and 40001/42001 trigger one refresh + retry.

export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} failed: ${errcode} ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

/** Network failures and non-JSON answers: the call may be retried later, nothing was decided. */
export class WechatUnavailableError extends Error {
  constructor(
    readonly api: string,
    cause: unknown,
  ) {
    super(`WeChat ${api} unavailable`, { cause });
    this.name = 'WechatUnavailableError';
  }
}

export interface Code2SessionResult {
  openid: string;
  unionid: string | null;
  sessionKey: string;
}

export interface PhoneInfo {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface UnlimitedQrCodeInput {
  /** Up to 32 of [0-9A-Za-z!#$&'()*+,/:;=?@-._~]; the mini-program reads it back as `query.scene`. */
  scene: string;
  /** The page the code opens, e.g. `pages/index/index` (no leading slash, no query). */
  page: string;
  /** Side in px, 280..1280 (WeChat's default 430). */
  width?: number;
  /** Whether WeChat checks that `page` exists in the released version (WeChat's default true). */
  checkPath?: boolean;
  /** Which version the code opens (WeChat's default release). */
  envVersion?: 'release' | 'trial' | 'develop';
}

export interface SubscribeMessageInput {
  openid: string;
  templateId: string;
  /** Where tapping the card leads, e.g. `pages/points/index?tab=log`; none when left out. */
  page?: string;
  /** Keyword -> value, already fitted to its rule (`fitSubscribeField` in @member-hub/shared). */
  data: Record<string, string>;
  /** Which version of the mini-program the card opens (WeChat's default formal). */
  state?: 'developer' | 'trial' | 'formal';
  /** The card's language (WeChat's default zh_CN). */
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

/**
 * Why WeChat did not send a subscription message, by what the sender should do next:
 * - no_quota (43101): the member's consent for this template is spent; wait for a new one, do not retry.
 * - bad_field (47003, 41030): a value (or the page) breaks its rule: a bug, not retried; `field` names it.
 * - bad_user (40003): not an openid of this app. bad_template (40037): not a template of this app.
 * - transient (-1, timeouts, 5xx, unreadable answers, a token that stays bad): retry later with backoff.
 * - rate_limited (45009, 45011): WeChat's quota for the app: retry much later.
 * - rejected: any other errcode; not retried.
 */
export type SubscribeFailureKind =
  | 'no_quota'
  | 'bad_field'
  | 'bad_user'
  | 'bad_template'
  | 'transient'
  | 'rate_limited'
  | 'rejected';

export type SubscribeSendResult =
  /** msgid is WeChat's int64 as decimal digits; null only if WeChat said ok without one (never retry that). */
  | { ok: true; msgid: string | null }
  | { ok: false; kind: Exclude<SubscribeFailureKind, 'bad_field'>; errcode: number; errmsg: string }
  /** field: the keyword (`thing1`), `page`, or another parameter WeChat named; null when it named none. */
  | { ok: false; kind: 'bad_field'; field: string | null; errcode: number; errmsg: string };

/**
 * Told of every call as it ends: `failure` is null on success, else the errcode WeChat answered (as text) or
 * `unavailable` (network, timeout, unreadable answer).
 */
export type WechatCallObserver = (api: string, failure: string | null, seconds: number) => void;

export interface WechatClientOptions {
  baseUrl: string;
  appid: string;
  secret: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  observe?: WechatCallObserver;
}

const TOKEN_ERRORS = new Set([40001, 42001]);
/** errcode -> kind for subscribe/send; every errcode not listed is `rejected`. */
const SUBSCRIBE_FAILURES = new Map<number, SubscribeFailureKind>([
  [43101, 'no_quota'],
  [47003, 'bad_field'],
  [41030, 'bad_field'],
  [40003, 'bad_user'],
  [40037, 'bad_template'],
  [-1, 'transient'],
  // Still bad after the one refresh: the next attempt gets a fresh token.
  [40001, 'transient'],
  [42001, 'transient'],
  [45009, 'rate_limited'],
  [45011, 'rate_limited'],
]);
/** WeChat numbers are int64; msgid outgrows JavaScript numbers, so it is read from the text, digit for digit. */
const MSGID = /"msgid"\s*:\s*"?(\d+)/;
/** Refresh a little before WeChat's stated expiry so a token never dies mid-request. */
const TOKEN_SAFETY_MS = 5 * 60 * 1000;

type WechatReply = { errcode?: number; errmsg?: string } & Record<string, unknown>;

export class WechatClient {
  private cachedToken: { value: string; expiresAt: number } | null = null;
  private tokenInFlight: Promise<string> | null = null;
  private readonly doFetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: WechatClientOptions) {
    this.doFetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  get appid(): string {
    return this.options.appid;
  }

  async code2Session(jsCode: string): Promise<Code2SessionResult> {
    const query = new URLSearchParams({
      appid: this.options.appid,
      secret: this.options.secret,
      js_code: jsCode,
      grant_type: 'authorization_code',
    });
    const reply = await this.call('jscode2session', `/sns/jscode2session?${query}`, { method: 'GET' });
    return {
      openid: String(reply.openid),
      unionid: typeof reply.unionid === 'string' ? reply.unionid : null,
      sessionKey: String(reply.session_key),
    };
  }

  async getPhoneNumber(code: string): Promise<PhoneInfo> {
    const reply = await this.withAccessToken((token) =>
      this.call('getuserphonenumber', `/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        body: JSON.stringify({ code }),
      }),
    );
    const info = reply.phone_info as Record<string, unknown> | undefined;
    if (!info) throw new WechatApiError('getuserphonenumber', -1, 'missing phone_info');
    return {
      phoneNumber: String(info.phoneNumber),
      purePhoneNumber: String(info.purePhoneNumber),
      countryCode: String(info.countryCode),
    };
  }

  /** A mini-program code (getwxacodeunlimit): the image bytes WeChat answers (PNG from the sandbox). */
  async getUnlimitedQrCode(input: UnlimitedQrCodeInput): Promise<Buffer> {
    const body = JSON.stringify({
      scene: input.scene,
      page: input.page,
      ...(input.width === undefined ? {} : { width: input.width }),
      ...(input.checkPath === undefined ? {} : { check_path: input.checkPath }),
      ...(input.envVersion === undefined ? {} : { env_version: input.envVersion }),
    });
    return this.withAccessToken((token) =>
      this.callForImage('getwxacodeunlimit', `/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        body,
      }),
    );
  }

  /**
   * Sends a subscription message (subscribe/send). Never throws for WeChat's answers: the result says whether it
   * was sent or why not, classified for the sender's retry policy. Values must be fitted already; this sends them
   * as given.
   */
  async sendSubscribeMessage(input: SubscribeMessageInput): Promise<SubscribeSendResult> {
    const body = JSON.stringify({
      touser: input.openid,
      template_id: input.templateId,
      ...(input.page === undefined ? {} : { page: input.page }),
      data: Object.fromEntries(Object.entries(input.data).map(([key, value]) => [key, { value }])),
      ...(input.state === undefined ? {} : { miniprogram_state: input.state }),
      ...(input.lang === undefined ? {} : { lang: input.lang }),
    });
    try {
      const msgid = await this.withAccessToken((token) =>
        this.callForMsgid(
          'subscribe_send',
          `/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`,
          {
            method: 'POST',
            body,
          },
        ),
      );
      return { ok: true, msgid };
    } catch (err) {
      return subscribeFailure(err);
    }
  }

  /** Runs a token-authenticated call; on 40001/42001 drops the cached token, refreshes once and retries once. */
  async withAccessToken<T>(run: (token: string) => Promise<T>): Promise<T> {
    const token = await this.getAccessToken();
    try {
      return await run(token);
    } catch (err) {
      if (!(err instanceof WechatApiError) || !TOKEN_ERRORS.has(err.errcode)) throw err;
      if (this.cachedToken?.value === token) this.cachedToken = null;
      return run(await this.getAccessToken());
    }
  }

  /** Cached access token; concurrent callers share one refresh (single flight). */
  getAccessToken(): Promise<string> {
    if (this.cachedToken && this.cachedToken.expiresAt > this.now()) return Promise.resolve(this.cachedToken.value);
    if (!this.tokenInFlight) {
      this.tokenInFlight = this.fetchToken().finally(() => {
        this.tokenInFlight = null;
      });
    }
    return this.tokenInFlight;
  }

  private async fetchToken(): Promise<string> {
    const reply = await this.call('stable_token', '/cgi-bin/stable_token', {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.options.appid, secret: this.options.secret }),
    });
    const value = String(reply.access_token);
    const expiresIn = Number(reply.expires_in ?? 7200);
    this.cachedToken = { value, expiresAt: this.now() + expiresIn * 1000 - TOKEN_SAFETY_MS };
    return value;
  }

  /** Every call goes through here once, so the observer sees each with its outcome and duration. */
  private async observed<T>(api: string, run: () => Promise<T>): Promise<T> {
    const observe = this.options.observe;
    if (!observe) return run();
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let result: T;
    try {
      result = await run();
    } catch (err) {
      observe(api, err instanceof WechatApiError ? String(err.errcode) : 'unavailable', seconds());
      throw err;
    }
    observe(api, null, seconds());
    return result;
  }

  private call(api: string, pathAndQuery: string, init: RequestInit): Promise<WechatReply> {
    return this.observed(api, () => this.fetchJson(api, pathAndQuery, init));
  }

  private async fetchJson(api: string, pathAndQuery: string, init: RequestInit): Promise<WechatReply> {
    let reply: WechatReply;
    try {
      const res = await this.send(pathAndQuery, init);
      reply = (await res.json()) as WechatReply;
    } catch (err) {
      throw new WechatUnavailableError(api, err);
    }
    return checkReply(api, reply);
  }

  /** For APIs that answer a file on success and JSON on error: WeChat tells them apart by Content-Type only. */
  private callForImage(api: string, pathAndQuery: string, init: RequestInit): Promise<Buffer> {
    return this.observed(api, () => this.fetchImage(api, pathAndQuery, init));
  }

  private async fetchImage(api: string, pathAndQuery: string, init: RequestInit): Promise<Buffer> {
    let reply: WechatReply;
    try {
      const res = await this.send(pathAndQuery, init);
      if (res.headers.get('content-type')?.toLowerCase().startsWith('image/')) {
        return Buffer.from(await res.arrayBuffer());
      }
      reply = (await res.json()) as WechatReply;
    } catch (err) {
      throw new WechatUnavailableError(api, err);
    }
    checkReply(api, reply);
    throw new WechatApiError(api, -1, 'no image in reply');
  }

  /** Like `call`, for an answer carrying an int64 msgid; a 5xx is unavailable whatever its body says. */
  private callForMsgid(api: string, pathAndQuery: string, init: RequestInit): Promise<string | null> {
    return this.observed(api, () => this.fetchMsgid(api, pathAndQuery, init));
  }

  private async fetchMsgid(api: string, pathAndQuery: string, init: RequestInit): Promise<string | null> {
    let text: string;
    let reply: WechatReply;
    try {
      const res = await this.send(pathAndQuery, init);
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
      reply = JSON.parse(text) as WechatReply;
    } catch (err) {
      throw new WechatUnavailableError(api, err);
    }
    checkReply(api, reply);
    return MSGID.exec(text)?.[1] ?? null;
  }

  private send(pathAndQuery: string, init: RequestInit): Promise<Response> {
    return this.doFetch(new URL(pathAndQuery, this.options.baseUrl), {
      ...init,
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
  }
}

// WeChat omits errcode on success; 0 also means success.
function checkReply(api: string, reply: WechatReply): WechatReply {
  if (reply.errcode !== undefined && reply.errcode !== 0) {
    throw new WechatApiError(api, reply.errcode, String(reply.errmsg ?? ''));
  }
  return reply;
}

function subscribeFailure(err: unknown): SubscribeSendResult {
  if (err instanceof WechatUnavailableError) {
    return { ok: false, kind: 'transient', errcode: -1, errmsg: describeUnavailable(err) };
  }
  if (!(err instanceof WechatApiError)) throw err;
  const { errcode, errmsg } = err;
  // A failing token fetch (stable_token) is the app's configuration or WeChat's health, not this message's.
  const kind = err.api === 'stable_token' ? tokenFailureKind(errcode) : (SUBSCRIBE_FAILURES.get(errcode) ?? 'rejected');
  if (kind === 'bad_field') return { ok: false, kind, field: badField(errcode, errmsg), errcode, errmsg };
  return { ok: false, kind, errcode, errmsg };
}

function tokenFailureKind(errcode: number): SubscribeFailureKind {
  if (errcode === -1) return 'transient';
  if (errcode === 45009 || errcode === 45011) return 'rate_limited';
  return 'rejected';
}

/** `argument invalid! data.thing1.value invalid` -> thing1; `argument invalid! lang invalid` -> lang; 41030 -> page. */
function badField(errcode: number, errmsg: string): string | null {
  if (errcode === 41030) return 'page';
  const named = /\bdata\.([A-Za-z_]+\d+)\.value\b/.exec(errmsg) ?? /argument invalid!\s*([A-Za-z_]+)/.exec(errmsg);
  return named?.[1] ?? null;
}

/** The cause in a few words (a timeout, a refused connection, an HTTP status), never the request. */
function describeUnavailable(err: WechatUnavailableError): string {
  // By name, not instanceof: fetch's errors may come from another realm than this module's Error.
  const cause = err.cause as { name?: unknown; message?: unknown } | undefined;
  if (cause?.name === 'TimeoutError' || cause?.name === 'AbortError') return 'timeout';
  if (typeof cause?.message === 'string' && /^HTTP \d{3}$/.test(cause.message)) return cause.message;
  if (cause?.name === 'SyntaxError') return 'answer is not JSON';
  return 'network error';
}
