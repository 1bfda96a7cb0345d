import Taro from '@tarojs/taro';

const KEY = 'member_account_deleted';

/**
 * Remembers that the member deleted the account on this device, so opening a tab does not silently register a
 * new member right away; the member opts back in with "重新开通会员".
 */
export const deletedFlag = {
  get: (): boolean => Taro.getStorageSync(KEY) === true,
  set: (): void => Taro.setStorageSync(KEY, true),
  clear: (): void => Taro.removeStorageSync(KEY),
};
