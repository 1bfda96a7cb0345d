import { ApiPaths, ClientConfig } from '@member-hub/shared';
import { apiErrorFor, callJson, describeCause, type Schema } from '../api/client';
import { ApiError } from '../api/errors';
import type { Transport } from '../api/transport';
import { MAX_TEMPLATES_PER_ASK, subscribeDecisions } from './subscribe';
import { type PaymentParams, type Platform, PlatformError, type SubscribeDecision } from './types';

export const CLIENT_CONFIG_PATH = ApiPaths.clientConfig;
/** One made-up WeChat user per browser, so a tester keeps the same member across reloads. */
export const SANDBOX_USER_KEY = 'wx_sandbox_user';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface H5PlatformDeps {
  apiBase: string;
  transport: Transport;
  storage: KeyValueStore;
  randomId: () => string;
  /** Asks the tester for a phone number; null when they cancel. */
  askPhoneNumber: () => string | null;
  /**
   * The stand-in for WeChat's consent sheet: lists the templates and resolves with the tester's choice for each
   * (允许 keeps the ticked ones, 拒绝 refuses them all).
   */
  askSubscribe: (templates: SubscribeSheetItem[]) => Promise<Record<string, SheetChoice>>;
  /** Where this app is served (`window.location`): the cashier's way back is a hash route under it. */
  location: AppLocation;
  /** Leaves the app for another page (`location.assign`): the sandbox cashier. */
  openUrl: (url: string) => void;
  /** `window.fetch`: images behind authentication (Taro.request cannot hand back binary on H5). */
  fetch: (url: string, init: { headers: Record<string, string> }) => Promise<ImageResponse>;
  /** `URL.createObjectURL`: the fetched image as a src. */
  objectUrl: (blob: Blob) => string;
}

/** One template on the H5 consent sheet. */
export interface SubscribeSheetItem {
  id: string;
  title: string;
}

/** What the H5 sheet lets the tester pick; the sandbox also takes 'ban' and 'filter', as WeChat may answer them. */
export type SheetChoice = Extract<SubscribeDecision, 'accept' | 'reject'>;

export const SUBSCRIBE_PATH = '/sandbox/subscribe-message';
/** What the sheet calls a template the page gave no title for. */
export const UNTITLED_TEMPLATE = '订阅消息';

/** The part of a fetch `Response` the image loader reads. */
export interface ImageResponse {
  readonly ok: boolean;
  readonly status: number;
  blob(): Promise<Blob>;
  json(): Promise<unknown>;
}

export interface AppLocation {
  readonly origin: string;
  readonly pathname: string;
}

/** The absolute H5 address of a page path (hash routes): `/pages/x?a=1` -> `http://host/h5/#/pages/x?a=1`. */
export function appPageUrl(location: AppLocation, pagePath: string): string {
  return `${location.origin}${location.pathname}#${pagePath}`;
}

export const CASHIER_PATH = '/sandbox/pay/cashier';

/**
 * The sandbox's stand-in for the WeChat pay sheet: the payment parameters as `wx.requestPayment` takes them, and
 * `return_url`, where it sends the payer back with `wxpay=ok|cancel|fail` appended at the very end.
 */
export function cashierUrl(sandboxBaseUrl: string, params: PaymentParams, returnUrl: string): string {
  const query = new URLSearchParams({
    appId: params.appId,
    timeStamp: params.timeStamp,
    nonceStr: params.nonceStr,
    package: params.package,
    signType: params.signType,
    paySign: params.paySign,
    return_url: returnUrl,
  });
  return `${sandboxBaseUrl}${CASHIER_PATH}?${query.toString()}`;
}

const ClientConfigSchema: Schema<ClientConfig> = ClientConfig;

const CodeSchema: Schema<{ code: string }> = {
  parse(data) {
    const code = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).code : undefined;
    if (typeof code === 'string' && code) return { code };
    throw new TypeError('sandbox answer must be { code: string }');
  },
};

/** The sandbox answers as wx.requestSubscribeMessage resolves: `{errMsg: 'requestSubscribeMessage:ok', <id>: ...}`. */
const SubscribeAnswerSchema: Schema<object> = {
  parse(data) {
    const errMsg = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).errMsg : undefined;
    if (errMsg === 'requestSubscribeMessage:ok') return data as object;
    throw new TypeError("sandbox answer must be { errMsg: 'requestSubscribeMessage:ok', ... }");
  },
};

// Mainland mobile numbers, the same rule the sandbox (and WeChat) applies.
const PHONE_NUMBER = /^1[3-9]\d{9}$/;

export function createH5Platform(deps: H5PlatformDeps): Platform {
  let sandbox: Promise<{ appid: string; baseUrl: string }> | null = null;

  // Fetched once per page load; a failure is not cached, so "重试" really retries.
  function sandboxConfig() {
    sandbox ??= loadSandboxConfig(deps).catch((error: unknown) => {
      sandbox = null;
      throw error;
    });
    return sandbox;
  }

  function sandboxUser(): string {
    const existing = deps.storage.getItem(SANDBOX_USER_KEY);
    if (existing) return existing;
    const created = deps.randomId();
    deps.storage.setItem(SANDBOX_USER_KEY, created);
    return created;
  }

  return {
    name: 'h5',
    async login() {
      const { appid, baseUrl } = await sandboxConfig();
      return callJson(deps.transport, {
        url: `${baseUrl}/sandbox/jslogin`,
        method: 'POST',
        body: { appid, user: sandboxUser() },
        schema: CodeSchema,
      });
    },
    async getPhoneNumberCode() {
      const phoneNumber = deps.askPhoneNumber()?.trim();
      if (!phoneNumber) throw new PlatformError('CANCELLED', '已取消填写手机号');
      if (!PHONE_NUMBER.test(phoneNumber)) throw new PlatformError('FAILED', '请输入 11 位手机号');
      const { appid, baseUrl } = await sandboxConfig();
      const { code } = await callJson(deps.transport, {
        url: `${baseUrl}/sandbox/phone-code`,
        method: 'POST',
        body: { appid, phoneNumber },
        schema: CodeSchema,
      });
      return code;
    },
    // The browser leaves for the sandbox cashier; the answer arrives as `wxpay=...` on the return page.
    async requestPayment(params, returnPath) {
      const { baseUrl } = await sandboxConfig();
      deps.openUrl(cashierUrl(baseUrl, params, appPageUrl(deps.location, returnPath)));
      return 'redirected';
    },
    // Not wired to the sandbox yet: scanning gets its H5 version with the feature that needs it. Until then it
    // fails loudly instead of pretending to succeed.
    async scanCode() {
      throw new PlatformError('UNSUPPORTED', 'H5 暂不支持扫码');
    },
    // The sheet shows here, the sandbox records the answer (each 允许 is one send in its quota) and answers in the
    // shape of wx.requestSubscribeMessage.
    async requestSubscribeMessage(templateIds, titles) {
      const ids = [...new Set(templateIds)];
      if (ids.length === 0 || ids.length > MAX_TEMPLATES_PER_ASK) {
        throw new PlatformError('FAILED', `一次只能订阅 1 到 ${MAX_TEMPLATES_PER_ASK} 个消息`);
      }
      const { appid, baseUrl } = await sandboxConfig();
      const chosen = await deps.askSubscribe(ids.map((id) => ({ id, title: titles?.[id] || UNTITLED_TEMPLATE })));
      const decisions: Record<string, SheetChoice> = {};
      for (const id of ids) decisions[id] = chosen[id] === 'accept' ? 'accept' : 'reject';
      const answer = await callJson(deps.transport, {
        url: `${baseUrl}${SUBSCRIBE_PATH}`,
        method: 'POST',
        body: { appid, user: sandboxUser(), tmplIds: ids, decisions },
        schema: SubscribeAnswerSchema,
      });
      return subscribeDecisions(ids, answer);
    },
    async loadImage(url, headers) {
      let response: ImageResponse;
      try {
        response = await deps.fetch(url, { headers });
      } catch (cause) {
        throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0, describeCause(cause));
      }
      if (!response.ok) throw apiErrorFor(response.status, await response.json().catch(() => null));
      return deps.objectUrl(await response.blob());
    },
  };
}

async function loadSandboxConfig({ apiBase, transport }: H5PlatformDeps) {
  const config = await callJson(transport, {
    url: `${apiBase.replace(/\/+$/, '')}${CLIENT_CONFIG_PATH}`,
    method: 'GET',
    schema: ClientConfigSchema,
  });
  if (!config.sandboxBaseUrl) {
    throw new PlatformError('UNSUPPORTED', '服务器未启用微信沙箱，H5 版无法登录，请在微信中打开小程序');
  }
  return { appid: config.appid, baseUrl: config.sandboxBaseUrl.replace(/\/+$/, '') };
}

/** 16 random bytes as hex; `crypto.randomUUID` is missing on plain-http pages, `getRandomValues` is not. */
export function randomHexId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `h5_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
