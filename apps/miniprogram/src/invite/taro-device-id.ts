import Taro from '@tarojs/taro';
import { type DeviceIdStore, deviceId } from './device-id';

const KEY = 'member_device_id';

const store: DeviceIdStore = {
  get: () => Taro.getStorageSync(KEY),
  set: (id) => Taro.setStorageSync(KEY, id),
};

/** This device's id, made on first use and kept in Taro storage (wx storage, localStorage on H5). */
export const taroDeviceId = (): string => deviceId(store);
