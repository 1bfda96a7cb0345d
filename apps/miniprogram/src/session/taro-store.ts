import Taro from '@tarojs/taro';
import type { SessionStore, StoredSession } from './session';

const KEY = 'member_session';

/** Keeps the token in Taro storage (wx storage in the mini-program, localStorage on H5). */
export const taroSessionStore: SessionStore = {
  get() {
    const value: unknown = Taro.getStorageSync(KEY);
    if (typeof value !== 'object' || value === null) return null;
    const { token, expiresAt } = value as Partial<StoredSession>;
    return typeof token === 'string' && typeof expiresAt === 'string' ? { token, expiresAt } : null;
  },
  set(session) {
    Taro.setStorageSync(KEY, session);
  },
  clear() {
    Taro.removeStorageSync(KEY);
  },
};
