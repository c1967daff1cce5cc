import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { accounts, setSessionToken, type SessionUser } from '../api/account.ts';
import type { Credentials } from '../api/types.ts';

/** Who is signed in, and the API key the UI signs trading calls with. Kept for the tab's life. */
export interface Session {
  user: SessionUser | undefined;
  creds: Credentials | undefined;
  /** True when the user has a password session (key management available). */
  hasSession: boolean;
}

interface SessionApi extends Session {
  signIn(s: { user: SessionUser; creds: Credentials; token?: string | undefined; hasSession: boolean }): void;
  signOut(): Promise<void>;
}

const KEY = 'matchbox.session';
const Ctx = createContext<SessionApi | undefined>(undefined);

interface Stored extends Session {
  token?: string | undefined;
}

function load(): Stored {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) {
      const s = JSON.parse(raw) as Stored;
      setSessionToken(s.token);
      return s;
    }
  } catch {
    // corrupt or unavailable storage: start signed out
  }
  return { user: undefined, creds: undefined, hasSession: false };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [s, setS] = useState<Stored>(load);

  const signIn = useCallback<SessionApi['signIn']>((next) => {
    const stored: Stored = { user: next.user, creds: next.creds, hasSession: next.hasSession, token: next.token };
    sessionStorage.setItem(KEY, JSON.stringify(stored));
    setSessionToken(next.token);
    setS(stored);
  }, []);

  const signOut = useCallback(async () => {
    const cur = s;
    sessionStorage.removeItem(KEY);
    setS({ user: undefined, creds: undefined, hasSession: false });
    if (cur.hasSession) {
      // the UI's own key dies with the session; failures here must not keep the user signed in
      if (cur.creds) await accounts.revokeKey(cur.creds.apiKey).catch(() => undefined);
      await accounts.logout().catch(() => undefined);
    }
    setSessionToken(undefined);
  }, [s]);

  const api = useMemo<SessionApi>(() => ({ user: s.user, creds: s.creds, hasSession: s.hasSession, signIn, signOut }), [s, signIn, signOut]);
  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}

export function useSession(): SessionApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
