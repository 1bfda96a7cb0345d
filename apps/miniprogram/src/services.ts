// Composition root: the one place that binds the pure modules to Taro and the build target.
import Taro from '@tarojs/taro';
import { createAccountService } from './account/account';
import { createApiClient } from './api/client';
import { taroTransport } from './api/taro-transport';
import { createCouponService } from './coupons/coupons';
import { createReferralService } from './invite/referral';
import { createLoyaltyService, createShareVisitor } from './loyalty/loyalty';
import { createConsentAsker } from './messages/askConsent';
import { createMessageService } from './messages/messages';
import { taroAskedDayStore } from './messages/taro-store';
import { createH5Platform, randomHexId } from './platform/h5';
import { showSubscribeSheet } from './platform/h5-subscribe-sheet';
import { selectPlatform } from './platform/select';
import { createWeappPlatform } from './platform/weapp';
import { createSession } from './session/session';
import { taroSessionStore } from './session/taro-store';
import { createStaffSession } from './staff/staff-session';
import { taroStaffStore } from './staff/taro-store';
import { createWalletService } from './wallet/wallet';

export const platform = selectPlatform(process.env.TARO_ENV, {
  weapp: () => createWeappPlatform(Taro),
  h5: () =>
    createH5Platform({
      apiBase: API_BASE,
      transport: taroTransport,
      storage: window.localStorage,
      randomId: randomHexId,
      askPhoneNumber: () => window.prompt('请输入用于测试的手机号（微信沙箱）'),
      askSubscribe: (templates) => showSubscribeSheet(document, templates),
      location: window.location,
      openUrl: (url) => window.location.assign(url),
      fetch: (url, init) => window.fetch(url, init),
      objectUrl: (blob) => URL.createObjectURL(blob),
    }),
});

// The client reads the token lazily; the session is created right after it with the same store.
export const api = createApiClient({
  baseUrl: API_BASE,
  transport: taroTransport,
  getToken: () => session.token(),
});

export const session = createSession({ api, platform, store: taroSessionStore });

export const account = createAccountService({ api, session });

export const loyalty = createLoyaltyService({ api, session });

export const wallet = createWalletService({ api, session });

export const coupons = createCouponService({ api, session });

export const messages = createMessageService({ api, session });

/** Subscription consent at natural moments (call `consent.ask` from taps) and on the 消息订阅 page. */
export const consent = createConsentAsker({
  messages,
  platform,
  store: taroAskedDayStore,
  log: (message, error) => console.warn(message, error),
});

export const referral = createReferralService({
  api,
  session,
  baseUrl: API_BASE,
  loadImage: (url, headers) => platform.loadImage(url, headers),
});

/** The home page calls this with its `share` query: once per link per app run, errors dropped. */
export const visitShare = createShareVisitor(loyalty.visitShare);

export const STAFF_LOGIN_PAGE = '/pages/staff/login';

export const staffSession = createStaffSession({
  baseUrl: API_BASE,
  transport: taroTransport,
  store: taroStaffStore,
  onSignedOut(message) {
    void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
    void Taro.redirectTo({ url: STAFF_LOGIN_PAGE });
  },
});

/** Text of a failure for the user: the server's or platform's message, or a generic one. */
export function errorMessage(error: unknown, fallback = '操作失败，请稍后重试'): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
