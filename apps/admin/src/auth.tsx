// The owner's session: who is logged in and with which token. Kept in sessionStorage so it survives a reload
// but not the closing of the tab; any session error from the API sends the owner back to the login form.
import { OwnerLoginResponse } from '@member-hub/shared';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { isSessionError, loginOwner } from './api';

export type Session = OwnerLoginResponse;

const STORAGE_KEY = 'member-hub.admin.session';

function readStoredSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (raw === null) return null;
  try {
    const session = OwnerLoginResponse.parse(JSON.parse(raw));
    if (Date.parse(session.expiresAt) <= Date.now()) throw new Error('session expired');
    return session;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
}

interface AuthState {
  session: Session | null;
  /** Why the owner is looking at the login form again (expired session), if that is the reason. */
  notice: string | null;
  login(username: string, password: string): Promise<void>;
  logout(): void;
  /** Runs an API call with the current token; a session error logs the owner out and is rethrown. */
  withToken<T>(call: (token: string) => Promise<T>): Promise<T>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(readStoredSession);
  const [notice, setNotice] = useState<string | null>(null);

  const endSession = useCallback((reason: string | null) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
    setNotice(reason);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const next = await loginOwner({ username, password });
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setNotice(null);
    setSession(next);
  }, []);

  const logout = useCallback(() => endSession(null), [endSession]);

  const withToken = useCallback(
    async <T,>(call: (token: string) => Promise<T>): Promise<T> => {
      if (!session) throw new Error('withToken called without a session');
      try {
        return await call(session.token);
      } catch (error) {
        if (isSessionError(error)) endSession(error.message);
        throw error;
      }
    },
    [session, endSession],
  );

  const value = useMemo(
    () => ({ session, notice, login, logout, withToken }),
    [session, notice, login, logout, withToken],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth must be used inside <AuthProvider>');
  return state;
}

/** For pages behind the login: the session is known to exist there. */
export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('useSession used while logged out');
  return session;
}
