// Who is signed in, to which tenant and with which role; local sign-in at once, Cognito sign-in in AWS.
import {
  createContext,
  Fragment,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { configureApi } from './api.ts';
import { loadConfig, type ConsoleConfig } from './config.ts';
import { LoadingState, ErrorState } from './components/PageState.tsx';
import { SignInPage } from './components/SignInPage.tsx';
import type { CognitoSignIn } from './components/cognito.ts';

export type Role = 'admin' | 'member';

export interface Session {
  tenantId: string;
  role: Role;
  signedIn: boolean;
  /** Local mode only: sign in again as another tenant or role. */
  switchTo(tenantId: string, role: Role): Promise<void>;
  mode: 'local' | 'cognito';
  /** Who is signed in, for the top navigation. */
  user: string;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside <SessionProvider>');
  return session;
}

export const DEFAULT_LOCAL_TENANT = 'demo';
const LOCAL_CHOICE_KEY = 'console.local-sign-in';
/** A token is renewed this long before it expires, so a request never leaves with a stale one. */
const RENEW_MARGIN_MS = 60_000;

interface IdToken {
  token: string;
  expiresAt: number;
  tenantId: string;
  role: Role;
  user: string;
}

/** Reads the claims of an ID token; the API verifies the signature, the console only needs the names. */
export function readIdToken(token: string): IdToken {
  const payload = token.split('.')[1] ?? '';
  const base64 = payload
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  return {
    token,
    expiresAt: Number(claims.exp ?? 0) * 1000,
    tenantId: String(claims['custom:tenant_id'] ?? ''),
    role: groups.includes('admin') ? 'admin' : 'member',
    user: String(claims.email ?? claims.sub ?? ''),
  };
}

/** The local stack's sign-in endpoint; AWS never serves it. */
async function localToken(tenantId: string, role: Role): Promise<IdToken> {
  const response = await fetch(
    `/local-auth/token?tenant=${encodeURIComponent(tenantId)}&role=${encodeURIComponent(role)}`,
    { headers: { accept: 'application/json' } },
  );
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
  if (!response.ok || !body.token) {
    throw new Error(body.error?.message ?? `Local sign-in failed: ${response.status}`);
  }
  return readIdToken(body.token);
}

function savedLocalChoice(): { tenantId: string; role: Role } {
  try {
    const saved = JSON.parse(sessionStorage.getItem(LOCAL_CHOICE_KEY) ?? 'null') as {
      tenantId?: string;
      role?: Role;
    } | null;
    if (saved?.tenantId && (saved.role === 'admin' || saved.role === 'member')) {
      return { tenantId: saved.tenantId, role: saved.role };
    }
  } catch {
    // nothing saved
  }
  return { tenantId: DEFAULT_LOCAL_TENANT, role: 'admin' };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<ConsoleConfig>();
  const [startError, setStartError] = useState<unknown>();
  const [current, setCurrent] = useState<IdToken>();
  const tokenRef = useRef<IdToken | undefined>(undefined);
  const [cognito, setCognito] = useState<CognitoSignIn>();

  const adopt = useCallback((token: IdToken | undefined) => {
    tokenRef.current = token;
    setCurrent(token);
  }, []);

  const start = useCallback(() => {
    setStartError(undefined);
    loadConfig()
      // The settings count as loaded once the sign-in they name is ready, so nothing renders half-configured.
      .then(async (loaded) => {
        if (loaded.auth.mode === 'local') {
          const choice = savedLocalChoice();
          configureApi({
            baseUrl: loaded.apiUrl,
            streamUrls: loaded.streamUrls,
            token: async () => {
              const token = tokenRef.current;
              if (token && token.expiresAt - RENEW_MARGIN_MS < Date.now()) {
                adopt(await localToken(token.tenantId, token.role));
              }
              return tokenRef.current?.token;
            },
          });
          adopt(await localToken(choice.tenantId, choice.role));
          setConfig(loaded);
        } else {
          // Only the hosted console signs in with Cognito; the local one never loads its library.
          const { cognitoSession } = await import('./components/cognito.ts');
          const signIn = cognitoSession(loaded.auth);
          configureApi({
            baseUrl: loaded.apiUrl,
            streamUrls: loaded.streamUrls,
            token: async () => {
              const token = tokenRef.current;
              if (token && token.expiresAt - RENEW_MARGIN_MS < Date.now()) {
                const renewed = await signIn.current();
                adopt(renewed ? readIdToken(renewed) : undefined);
              }
              return tokenRef.current?.token;
            },
          });
          const existing = await signIn.current();
          if (existing) adopt(readIdToken(existing));
          setCognito(signIn);
          setConfig(loaded);
        }
      })
      .catch(setStartError);
  }, [adopt]);

  useEffect(start, [start]);

  const switchTo = useCallback(
    async (tenantId: string, role: Role) => {
      if (config?.auth.mode !== 'local') throw new Error('Only the local console can switch tenants.');
      const token = await localToken(tenantId, role);
      sessionStorage.setItem(LOCAL_CHOICE_KEY, JSON.stringify({ tenantId, role }));
      adopt(token);
    },
    [adopt, config],
  );

  const signOut = useCallback(() => {
    cognito?.signOut();
    sessionStorage.removeItem(LOCAL_CHOICE_KEY);
    adopt(undefined);
    if (config?.auth.mode === 'local') start();
  }, [adopt, cognito, config, start]);

  const value = useMemo<Session | undefined>(
    () =>
      config
        ? {
            tenantId: current?.tenantId ?? '',
            role: current?.role ?? 'member',
            signedIn: Boolean(current),
            switchTo,
            mode: config.auth.mode,
            user: current?.user ?? '',
            signOut,
          }
        : undefined,
    [config, current, switchTo, signOut],
  );

  if (startError) return <ErrorState error={startError} onRetry={start} />;
  if (!value) return <LoadingState label="Starting the console" />;
  if (!value.signedIn) {
    if (cognito) return <SignInPage cognito={cognito} onSignedIn={(token) => adopt(readIdToken(token))} />;
    return <LoadingState label="Signing in" />;
  }
  // Keyed by tenant and role: switching tenants drops every page's loaded data.
  return (
    <SessionContext.Provider value={value}>
      <Fragment key={`${value.tenantId}/${value.role}`}>{children}</Fragment>
    </SessionContext.Provider>
  );
}
