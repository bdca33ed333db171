import { okResponse, type SessionInfo, sessionInfo } from '@lingxi/contracts/console-auth';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler } from './api/client.ts';
import { setDisplayTimezone } from './format.ts';

/**
 * A hint (not a secret: the session itself is an HttpOnly cookie) that this browser signed in, so the console asks
 * `/auth/me` only when a session may exist instead of provoking a 401 on every visit.
 */
const SIGNED_IN_HINT = 'lingxi.signedIn';

interface AuthState {
  /** undefined while the session is being restored; null when signed out. */
  session: SessionInfo | null | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  can(permission: string): boolean;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);

  const adopt = useCallback((s: SessionInfo | null) => {
    setCsrfToken(s?.csrfToken);
    if (s) setDisplayTimezone(s.display.timezone);
    if (s) localStorage.setItem(SIGNED_IN_HINT, '1');
    else localStorage.removeItem(SIGNED_IN_HINT);
    setSession(s);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => adopt(null));
    if (localStorage.getItem(SIGNED_IN_HINT) !== '1') {
      setSession(null);
      return;
    }
    api('GET', '/api/v1/auth/me', sessionInfo).then(adopt, () => adopt(null));
    return () => setUnauthorizedHandler(undefined);
  }, [adopt]);

  const value = useMemo<AuthState>(
    () => ({
      session,
      async login(username, password) {
        adopt(await api('POST', '/api/v1/auth/login', sessionInfo, { username, password }));
      },
      async logout() {
        try {
          await api('POST', '/api/v1/auth/logout', okResponse);
        } finally {
          adopt(null);
        }
      },
      can(permission) {
        return session?.permissions.includes(permission) ?? false;
      },
    }),
    [session, adopt],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
