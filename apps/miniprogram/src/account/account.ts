import {
  BindPhoneResponse,
  IdentityPaths,
  MyCardResponse,
  MyProfile,
  type UpdateProfileRequest,
} from '@member-hub/shared';
import { type ApiClient, anyBody } from '../api/client';
import type { Session } from '../session/session';

export interface AccountService {
  card(): Promise<MyCardResponse>;
  profile(): Promise<MyProfile>;
  updateProfile(changes: UpdateProfileRequest): Promise<MyProfile>;
  /**
   * Binds the phone behind a one-time code and switches to the token the server returns: when the phone belonged
   * to a member the store already knew, this WeChat account now IS that member, and the old token names the old id.
   */
  bindPhone(code: string): Promise<BindPhoneResponse>;
  /** Everything the server holds about this member, as JSON. */
  exportData(): Promise<unknown>;
  /** Deletes the account (points and balance are forfeited) and forgets the session. */
  deleteAccount(): Promise<void>;
}

export function createAccountService({ api, session }: { api: ApiClient; session: Session }): AccountService {
  const authed = <T>(call: () => Promise<T>) => session.withSession(call);
  return {
    card: () => authed(() => api.get(IdentityPaths.myCard, MyCardResponse)),
    profile: () => authed(() => api.get(IdentityPaths.myProfile, MyProfile)),
    updateProfile: (changes) => authed(() => api.patch(IdentityPaths.myProfile, changes, MyProfile)),
    async bindPhone(code) {
      const response = await authed(() => api.post(IdentityPaths.myPhone, { code }, BindPhoneResponse));
      session.adopt({ token: response.token, expiresAt: response.expiresAt });
      return response;
    },
    exportData: () => authed(() => api.get(IdentityPaths.myExport, anyBody)),
    async deleteAccount() {
      await authed(() => api.delete(IdentityPaths.me, anyBody));
      session.clear();
    },
  };
}
