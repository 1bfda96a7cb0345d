import { ApiPaths, WechatLoginResponse } from '@member-hub/shared';
import type { ApiClient } from '../api/client';
import { isSessionExpired } from '../api/errors';
import type { Platform } from '../platform/types';

export interface StoredSession {
  token: string;
  /** ISO time from the server; a token past it is not worth sending. */
  expiresAt: string;
}

export interface SessionStore {
  get(): StoredSession | null;
  set(session: StoredSession): void;
  clear(): void;
}

export interface SessionDeps {
  api: ApiClient;
  platform: Pick<Platform, 'login'>;
  store: SessionStore;
  now?: () => number;
}

export interface Session {
  /** Logs in through WeChat (or the sandbox on H5) unless a live token is stored. */
  ensureSession(): Promise<void>;
  /** Runs an authenticated call; when the server says the token expired or is invalid, logs in again once. */
  withSession<T>(call: () => Promise<T>): Promise<T>;
  /** The stored token, for the API client's Authorization header. */
  token(): string | null;
  /**
   * Replaces the token with one the server issued outside login (phone binding can move this WeChat account to
   * an existing member, and the old token names the old member id).
   */
  adopt(session: StoredSession): void;
  /** Forgets the token (account deleted); the next call logs in afresh. */
  clear(): void;
}

export function createSession({ api, platform, store, now = Date.now }: SessionDeps): Session {
  // Login codes are single-use and pages load in parallel: concurrent callers share one login.
  let pendingLogin: Promise<void> | null = null;

  function liveToken(): string | null {
    const stored = store.get();
    if (!stored) return null;
    const expiresAt = Date.parse(stored.expiresAt);
    if (!Number.isNaN(expiresAt) && expiresAt <= now()) return null;
    return stored.token;
  }

  async function login(): Promise<void> {
    const { code } = await platform.login();
    const response = await api.post(ApiPaths.wechatLogin, { code }, WechatLoginResponse, { auth: false });
    store.set({ token: response.token, expiresAt: response.expiresAt });
  }

  function loginOnce(): Promise<void> {
    pendingLogin ??= login().finally(() => {
      pendingLogin = null;
    });
    return pendingLogin;
  }

  async function ensureSession(): Promise<void> {
    if (liveToken()) return;
    store.clear();
    await loginOnce();
  }

  return {
    ensureSession,
    token: liveToken,
    adopt(session) {
      store.set({ token: session.token, expiresAt: session.expiresAt });
    },
    clear() {
      store.clear();
    },
    async withSession(call) {
      await ensureSession();
      const tokenUsed = liveToken();
      try {
        return await call();
      } catch (error) {
        if (!isSessionExpired(error)) throw error;
        // A parallel call may already have replaced the token that failed; only a stale one needs a new login.
        if (liveToken() === tokenUsed) {
          store.clear();
          await loginOnce();
        }
        return call();
      }
    },
  };
}
