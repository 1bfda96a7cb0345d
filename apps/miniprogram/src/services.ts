// Composition root: the one place that binds the pure modules to Taro and the build target.

import { ApiPaths, MemberCard } from '@member-hub/shared';
import Taro from '@tarojs/taro';
import { createApiClient } from './api/client';
import { taroTransport } from './api/taro-transport';
import { createH5Platform, randomHexId } from './platform/h5';
import { selectPlatform } from './platform/select';
import { createWeappPlatform } from './platform/weapp';
import { createSession } from './session/session';
import { taroSessionStore } from './session/taro-store';

export const platform = selectPlatform(process.env.TARO_ENV, {
  weapp: () => createWeappPlatform(Taro),
  h5: () =>
    createH5Platform({
      apiBase: API_BASE,
      transport: taroTransport,
      storage: window.localStorage,
      randomId: randomHexId,
      askPhoneNumber: () => window.prompt('请输入用于测试的手机号（微信沙箱）'),
    }),
});

// The client reads the token lazily; the session is created right after it with the same store.
export const api = createApiClient({
  baseUrl: API_BASE,
  transport: taroTransport,
  getToken: () => session.token(),
});

export const session = createSession({ api, platform, store: taroSessionStore });

export function fetchMyCard(): Promise<MemberCard> {
  return session.withSession(() => api.get(ApiPaths.me, MemberCard));
}
