import { startWechatSandbox, type WechatSandbox, type WechatSandboxOptions } from '../src';

export const APP = { appid: 'wx_test_app', secret: 'test_secret' };
export const OTHER_APP = { appid: 'wx_other_app', secret: 'other_secret' };
export const UNBOUND_APP = { appid: 'wx_unbound_app', secret: 'unbound_secret', boundToOpenPlatform: false };

/** A clock tests move by hand, so expiry is tested without sleeping. */
export class FakeClock {
  ms = Date.UTC(2026, 0, 15, 2, 0, 0);
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  body: any;
}

export interface Harness {
  sandbox: WechatSandbox;
  clock: FakeClock;
  get(path: string, init?: RequestInit): Promise<JsonResponse>;
  post(path: string, body?: unknown, init?: RequestInit): Promise<JsonResponse>;
  /** Raw POST body, for malformed JSON and forms. */
  postRaw(path: string, body: string, headers?: Record<string, string>): Promise<JsonResponse>;
  code2Session(code: string, app?: { appid: string; secret: string }): Promise<JsonResponse>;
  stableToken(forceRefresh?: boolean, app?: { appid: string; secret: string }): Promise<JsonResponse>;
  loginCode(openid: string, appid?: string): Promise<string>;
  phoneCode(phoneNumber: string, appid?: string): Promise<string>;
  phoneNumber(accessToken: string | undefined, code: string): Promise<JsonResponse>;
}

async function toJson(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

export async function startHarness(options: WechatSandboxOptions = {}): Promise<Harness> {
  const clock = new FakeClock();
  const sandbox = await startWechatSandbox({ apps: [APP, OTHER_APP, UNBOUND_APP], now: clock.now, ...options });
  const url = (path: string) => `${sandbox.url}${path}`;
  const postRaw = async (path: string, body: string, headers: Record<string, string> = {}) =>
    toJson(await fetch(url(path), { method: 'POST', body, headers, redirect: 'manual' }));
  const harness: Harness = {
    sandbox,
    clock,
    get: async (path, init) => toJson(await fetch(url(path), { redirect: 'manual', ...init })),
    post: async (path, body, init) =>
      toJson(
        await fetch(url(path), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          ...init,
        }),
      ),
    postRaw,
    code2Session: (code, app = APP) =>
      harness.get(
        `/sns/jscode2session?${new URLSearchParams({ appid: app.appid, secret: app.secret, js_code: code, grant_type: 'authorization_code' })}`,
      ),
    stableToken: (forceRefresh, app = APP) =>
      harness.post('/cgi-bin/stable_token', {
        grant_type: 'client_credential',
        appid: app.appid,
        secret: app.secret,
        ...(forceRefresh === undefined ? {} : { force_refresh: forceRefresh }),
      }),
    async loginCode(openid, appid = APP.appid) {
      const response = await harness.post('/__control/login-codes', { appid, openid });
      expect(response.status).toBe(201);
      return response.body.code;
    },
    async phoneCode(phoneNumber, appid = APP.appid) {
      const response = await harness.post('/__control/phone-codes', { appid, phoneNumber });
      expect(response.status).toBe(201);
      return response.body.code;
    },
    phoneNumber: (accessToken, code) =>
      harness.post(
        `/wxa/business/getuserphonenumber${accessToken === undefined ? '' : `?access_token=${encodeURIComponent(accessToken)}`}`,
        { code },
      ),
  };
  return harness;
}
