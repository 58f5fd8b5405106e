// Who is signed in. On start the session is restored from the tab's refresh token, if any.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as client from '../api/client';
import type { User } from '../api/client';

export type AuthState =
  | { status: 'restoring' }
  | { status: 'signedOut'; reason?: 'expired' | 'signedOut' }
  | { status: 'signedIn'; user: User };

interface AuthApi {
  state: AuthState;
  /** Throws client.ApiError / client.NetworkError when sign-in fails. */
  signIn(username: string, password: string): Promise<User>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthApi | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'restoring' });

  useEffect(() => {
    let live = true;
    client.onSessionEnded(() => setState({ status: 'signedOut', reason: 'expired' }));
    void client.refresh().then((session) => {
      if (live) setState(session ? { status: 'signedIn', user: session.user } : { status: 'signedOut' });
    });
    return () => {
      live = false;
      client.onSessionEnded(null);
    };
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await client.login(username, password);
    setState({ status: 'signedIn', user: session.user });
    return session.user;
  }, []);

  const signOut = useCallback(async () => {
    await client.logout();
    setState({ status: 'signedOut', reason: 'signedOut' });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}

/** The signed-in user; only inside routes guarded by <RequireAuth>. */
export function useUser(): User {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useUser without a signed-in user');
  return state.user;
}
