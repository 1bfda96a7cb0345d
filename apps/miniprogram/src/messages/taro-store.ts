import Taro from '@tarojs/taro';
import type { AskedDayStore } from './askConsent';

const KEY = 'message_consent_asked';

function read(): Record<string, string> {
  const value: unknown = Taro.getStorageSync(KEY);
  return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
}

/** The day each moment last asked, in Taro storage (wx storage in the mini-program, localStorage on H5). */
export const taroAskedDayStore: AskedDayStore = {
  get(scene) {
    const day = read()[scene];
    return typeof day === 'string' ? day : null;
  },
  set(scene, day) {
    Taro.setStorageSync(KEY, { ...read(), [scene]: day });
  },
};
