import { PlinthError } from './errors.js';
import type { RequestOptions, Transport } from './http.js';

/** The tenant's end-user sign-in, as `GET /v1/identity` describes it. */
export interface Identity {
  mode: 'realm' | 'organization' | 'external';
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string;
  discoveryUrl: string;
  /** The organization's alias, in organization mode. */
  organization?: string;
}

export interface SessionUser {
  /** The token's `sub`. */
  id: string;
  username?: string;
  email?: string;
}

/** A signed-in end user's tokens; `expiresAt` is when the access token expires (ms since the epoch). */
export interface Session {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number;
  user: SessionUser;
}

export type AuthEvent = 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT';

export interface AuthorizationRequest {
  /** Where to send the browser. */
  url: string;
  /** Compare it with the `state` the redirect brings back. */
  state: string;
  /** Keep it (sessionStorage) for `exchangeCode`. */
  codeVerifier: string;
}

export interface AuthConfig {
  transport: Transport;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Refresh this long before the access token expires (default 30 000 ms). */
  refreshMarginMs?: number;
  /** Whether a timer refreshes the session before expiry (default true; it never keeps Node running). */
  autoRefresh?: boolean;
}

const DEFAULT_MARGIN_MS = 30_000;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes: number): string {
  const array = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(array);
  return base64url(array);
}

/** The PKCE S256 challenge of a verifier (RFC 7636): base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new PlinthError({ status: 0, code: 'unsupported', detail: 'PKCE needs crypto.subtle (a secure context: https or localhost)' });
  }
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The claims of a JWT's payload, unverified (the server verifies; this only reads who signed in). */
function claims(token: string | undefined): Record<string, unknown> {
  const part = token?.split('.')[1];
  if (!part) return {};
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4);
    const binary = atob(b64);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  id_token?: string;
}

/**
 * End-user sign-in at the tenant's identity provider (its Keycloak realm), configured from
 * `GET /v1/identity`. Once signed in, the client sends the user's access token with every call,
 * refreshing it before it expires.
 */
export class Auth {
  private current: Session | null = null;
  private identityPromise: Promise<Identity> | undefined;
  private refreshing: Promise<Session> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(event: AuthEvent, session: Session | null) => void>();
  private readonly marginMs: number;

  constructor(private readonly config: AuthConfig) {
    this.marginMs = config.refreshMarginMs ?? DEFAULT_MARGIN_MS;
  }

  /** The signed-in user's session, or null. */
  get session(): Session | null {
    return this.current;
  }

  /** The tenant's sign-in configuration (read once, then cached; a failure is not cached). */
  identity(options: RequestOptions = {}): Promise<Identity> {
    if (!this.identityPromise) {
      this.identityPromise = this.config.transport.json<Identity>({
        ...options,
        method: 'GET',
        path: '/v1/identity',
        withoutSession: true,
      });
      this.identityPromise.catch(() => {
        this.identityPromise = undefined;
      });
    }
    return this.identityPromise;
  }

  /** Calls `listener` on every sign-in, refresh and sign-out; returns the function that stops it. */
  onChange(listener: (event: AuthEvent, session: Session | null) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Signs in with the user's name and password (the realm's password grant). */
  async signInWithPassword(username: string, password: string): Promise<Session> {
    const identity = await this.identity();
    const session = await this.token(identity, {
      grant_type: 'password',
      client_id: identity.clientId,
      username,
      password,
      scope: 'openid',
    });
    return this.set(session, 'SIGNED_IN');
  }

  /**
   * A URL of the authorization code flow with PKCE (S256) for a browser to go to, and the state and
   * code verifier to keep until the redirect comes back with `code` and `state`.
   */
  async authorizationUrl(options: { redirectUri: string; state?: string; scope?: string }): Promise<AuthorizationRequest> {
    const identity = await this.identity();
    const state = options.state ?? randomString(16);
    const codeVerifier = randomString(32);
    const url = new URL(identity.authorizationEndpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', identity.clientId);
    url.searchParams.set('redirect_uri', options.redirectUri);
    url.searchParams.set('scope', options.scope ?? 'openid');
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await codeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return { url: url.toString(), state, codeVerifier };
  }

  /** Trades the `code` of the redirect for a session (with the verifier from `authorizationUrl`). */
  async exchangeCode(options: { code: string; redirectUri: string; codeVerifier: string }): Promise<Session> {
    const identity = await this.identity();
    const session = await this.token(identity, {
      grant_type: 'authorization_code',
      client_id: identity.clientId,
      code: options.code,
      redirect_uri: options.redirectUri,
      code_verifier: options.codeVerifier,
    });
    return this.set(session, 'SIGNED_IN');
  }

  /** New tokens for the session's refresh token; a refused refresh token signs the user out. */
  refresh(): Promise<Session> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<Session> {
    const session = this.current;
    if (!session?.refreshToken) {
      throw new PlinthError({ status: 0, code: 'not_signed_in', detail: 'there is no session to refresh' });
    }
    const identity = await this.identity();
    try {
      const next = await this.token(identity, {
        grant_type: 'refresh_token',
        client_id: identity.clientId,
        refresh_token: session.refreshToken,
      });
      if (this.current !== session) return next; // signed out or in again meanwhile
      return this.set(next, 'TOKEN_REFRESHED');
    } catch (e) {
      if (e instanceof PlinthError && (e.status === 400 || e.status === 401) && this.current === session) {
        this.set(null, 'SIGNED_OUT'); // the refresh token expired or the session was ended
      }
      throw e;
    }
  }

  /**
   * Ends the session at the identity provider (the end-session endpoint, with the refresh token)
   * and here. The session is dropped here even when the provider cannot be reached (then this throws).
   */
  async signOut(): Promise<void> {
    const session = this.current;
    if (!session) return;
    this.set(null, 'SIGNED_OUT');
    if (!session.refreshToken) return;
    const identity = await this.identity();
    const response = await this.post(identity.endSessionEndpoint, {
      client_id: identity.clientId,
      refresh_token: session.refreshToken,
    });
    if (!response.ok) throw await this.oauthError(response, 'sign-out');
    await response.body?.cancel();
  }

  /** Restores a session kept from before (say in storage), or drops the current one (null). */
  setSession(session: Session | null): void {
    this.set(session, session ? 'SIGNED_IN' : 'SIGNED_OUT');
  }

  /**
   * The access token to send now: refreshed first when it expires within the margin; null when
   * signed out. Used by the client before every call.
   */
  async accessToken(): Promise<string | null> {
    const session = this.current;
    if (!session) return null;
    if (session.refreshToken && session.expiresAt - Date.now() < this.marginMs) {
      try {
        return (await this.refresh()).accessToken;
      } catch (e) {
        if (this.current === null) return null; // signed out by the refused refresh
        if (session.expiresAt > Date.now()) return session.accessToken; // still valid: try with it
        throw e;
      }
    }
    return session.accessToken;
  }

  private set(session: Session | null, event: AuthEvent): Session {
    this.current = session;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (session?.refreshToken && this.config.autoRefresh !== false) {
      const wait = Math.max(0, session.expiresAt - Date.now() - this.marginMs);
      this.timer = setTimeout(() => {
        this.refresh().catch(() => undefined); // a failure surfaces on the next call, or as SIGNED_OUT
      }, Math.min(wait, 2 ** 31 - 1));
      (this.timer as { unref?: () => void }).unref?.();
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event, session);
      } catch {
        // one listener's failure does not stop the others, nor the sign-in
      }
    }
    return session as Session;
  }

  private async token(identity: Identity, form: Record<string, string>): Promise<Session> {
    const response = await this.post(identity.tokenEndpoint, form);
    if (!response.ok) throw await this.oauthError(response, form['grant_type'] ?? 'token');
    const body = (await response.json()) as TokenResponse;
    if (typeof body.access_token !== 'string') {
      throw new PlinthError({ status: response.status, code: 'invalid_token_response', detail: 'the token endpoint sent no access_token' });
    }
    const access = claims(body.access_token);
    const id = { ...claims(body.id_token), ...access };
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in * 1000 : undefined;
    const exp = typeof access['exp'] === 'number' ? access['exp'] * 1000 : undefined;
    const user: SessionUser = { id: str(id['sub']) ?? '' };
    const username = str(id['preferred_username']);
    const email = str(id['email']);
    if (username !== undefined) user.username = username;
    if (email !== undefined) user.email = email;
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? form['refresh_token'],
      expiresAt: expiresIn !== undefined ? Date.now() + expiresIn : exp ?? Date.now() + 300_000,
      user,
    };
  }

  private async post(url: string, form: Record<string, string>): Promise<Response> {
    try {
      return await this.config.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (e) {
      // The message names the endpoint only: the form holds a password or a token.
      throw new PlinthError({
        status: 0,
        code: e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'network_error',
        detail: `POST ${url} failed: ${e instanceof Error ? e.name : 'error'}`,
      });
    }
  }

  /** An OAuth error answer (`error`, `error_description`) as a PlinthError, never echoing the request. */
  private async oauthError(response: Response, what: string): Promise<PlinthError> {
    let code = `http_${response.status}`;
    let detail = `${what} was refused (HTTP ${response.status})`;
    try {
      const body = (await response.json()) as { error?: unknown; error_description?: unknown };
      if (typeof body.error === 'string') code = body.error;
      if (typeof body.error_description === 'string') detail = `${what}: ${body.error_description}`;
    } catch {
      // not JSON
    }
    return new PlinthError({ status: response.status, code, detail });
  }
}
