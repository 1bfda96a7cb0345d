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

export interface WechatClientOptions {
  baseUrl: string;
  appid: string;
  secret: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

const TOKEN_ERRORS = new Set([40001, 42001]);
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

  private async call(api: string, pathAndQuery: string, init: RequestInit): Promise<WechatReply> {
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
  private async callForImage(api: string, pathAndQuery: string, init: RequestInit): Promise<Buffer> {
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
