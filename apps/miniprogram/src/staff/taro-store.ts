import { StaffProfile } from '@member-hub/shared';
import Taro from '@tarojs/taro';
import type { StaffSessionStore, StoredStaffSession } from './staff-session';

const KEY = 'staff_session';

/** The staff login in Taro storage, under its own key: never mixed with the member's `member_session`. */
export const taroStaffStore: StaffSessionStore = {
  get() {
    const value: unknown = Taro.getStorageSync(KEY);
    if (typeof value !== 'object' || value === null) return null;
    const { token, expiresAt, staff } = value as Partial<Record<keyof StoredStaffSession, unknown>>;
    const parsed = StaffProfile.safeParse(staff);
    if (typeof token !== 'string' || typeof expiresAt !== 'string' || !parsed.success) return null;
    return { token, expiresAt, staff: parsed.data };
  },
  set(session) {
    Taro.setStorageSync(KEY, session);
  },
  clear() {
    Taro.removeStorageSync(KEY);
  },
};
