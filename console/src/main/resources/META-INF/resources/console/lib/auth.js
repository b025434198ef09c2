// Signing in: Keycloak's authorization code flow with PKCE S256 (tokens in memory only, refreshed
// before they expire), or an operator key (in memory, or this tab's sessionStorage if asked; never
// localStorage). Only the PKCE verifier and state cross the redirect, in sessionStorage.

const PENDING = 'plinth.signin';
const KEY = 'plinth.operator-key';
const USED_KEYCLOAK = 'plinth.keycloak-used';
const REFRESH_MARGIN_S = 30;

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes) {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return base64url(buffer);
}

/** The claims of a JWT, unverified: for showing a name only (the control plane verifies). */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

export class SignInError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export class Auth extends EventTarget {
  /** @param config what /console/config.json says: {keycloak: {url, realm, clientId} | null} */
  constructor(config) {
    super();
    this.keycloak = config.keycloak;
    this.tokens = null;
    this.operatorKey = sessionStorage.getItem(KEY);
    this.refreshTimer = 0;
  }

  get signedIn() {
    return Boolean(this.tokens || this.operatorKey);
  }

  /** The Authorization header's value, or null. */
  get authorization() {
    if (this.tokens) return 'Bearer ' + this.tokens.access_token;
    if (this.operatorKey) return 'Bearer ' + this.operatorKey;
    return null;
  }

  /** Who is signed in, as the header shows it. */
  get operatorName() {
    if (this.tokens) {
      const claims = { ...claimsOf(this.tokens.access_token), ...claimsOf(this.tokens.id_token || '') };
      return claims.preferred_username || claims.name || claims.sub || 'operator';
    }
    if (this.operatorKey) return 'operator key ' + this.operatorKey.slice(0, 14) + '…';
    return null;
  }

  /** When the access token expires (a Date), or null: safe to show, unlike the token. */
  get tokenExpiresAt() {
    return this.tokens ? this.expiresAt : null;
  }

  get method() {
    return this.tokens ? 'keycloak' : this.operatorKey ? 'key' : null;
  }

  /** Whether this tab signed in with Keycloak before (a reload then signs in again by itself). */
  get usedKeycloak() {
    return Boolean(this.keycloak) && sessionStorage.getItem(USED_KEYCLOAK) === '1';
  }

  endpoint(name) {
    const kc = this.keycloak;
    return `${kc.url}/realms/${encodeURIComponent(kc.realm)}/protocol/openid-connect/${name}`;
  }

  redirectUri() {
    return location.origin + location.pathname;
  }

  /** Goes to Keycloak's login page; back at the console, {@link completeSignIn} finishes. */
  async signInWithKeycloak(returnTo) {
    if (!this.keycloak) throw new SignInError('this installation has no Keycloak', 'no_keycloak');
    if (!window.crypto || !crypto.subtle) {
      throw new SignInError(
        'signing in with Keycloak needs a secure page (https, or http on localhost)', 'insecure_context');
    }
    const verifier = randomText(48);
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const state = randomText(16);
    const nonce = randomText(16);
    sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnTo: returnTo || '' }));
    const url = new URL(this.endpoint('auth'));
    url.search = new URLSearchParams({
      client_id: this.keycloak.clientId,
      response_type: 'code',
      response_mode: 'query',
      scope: 'openid',
      redirect_uri: this.redirectUri(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      nonce,
    }).toString();
    location.assign(url.toString());
  }

  /**
   * Finishes a sign-in when the page is Keycloak's redirect back (?code=…&state=…): answers the
   * route to go back to, or null when this is not such a redirect.
   */
  async completeSignIn() {
    const query = new URLSearchParams(location.search);
    if (!query.has('state') || !(query.has('code') || query.has('error'))) return null;
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, '', this.redirectUri() + (pending && pending.returnTo ? '#' + pending.returnTo : ''));
    if (!pending || pending.state !== query.get('state')) {
      throw new SignInError('the sign-in answer does not match a sign-in started here; sign in again', 'state_mismatch');
    }
    if (query.has('error')) {
      throw new SignInError(
        `Keycloak refused the sign-in: ${query.get('error_description') || query.get('error')}`, query.get('error'));
    }
    await this.tokenRequest({
      grant_type: 'authorization_code',
      code: query.get('code'),
      redirect_uri: this.redirectUri(),
      code_verifier: pending.verifier,
    });
    const claims = claimsOf(this.tokens.id_token || '');
    if (claims.nonce && claims.nonce !== pending.nonce) {
      this.tokens = null;
      throw new SignInError('the ID token does not answer this sign-in; sign in again', 'nonce_mismatch');
    }
    sessionStorage.setItem(USED_KEYCLOAK, '1');
    return pending.returnTo || '';
  }

  async tokenRequest(form) {
    let response;
    try {
      response = await fetch(this.endpoint('token'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: this.keycloak.clientId, ...form }),
      });
    } catch (e) {
      throw new SignInError(`Keycloak could not be reached (${e.message})`, 'keycloak_unreachable');
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new SignInError(
        `Keycloak answered ${response.status}: ${body.error_description || body.error || 'no reason given'}`,
        body.error || 'token_refused');
    }
    this.tokens = { ...body, id_token: body.id_token || (this.tokens && this.tokens.id_token) };
    this.expiresAt = new Date(Date.now() + Number(body.expires_in || 60) * 1000);
    this.scheduleRefresh(body.expires_in);
    this.dispatchEvent(new Event('change'));
  }

  scheduleRefresh(expiresIn) {
    clearTimeout(this.refreshTimer);
    const seconds = Math.max(5, Number(expiresIn || 60) - REFRESH_MARGIN_S);
    this.refreshTimer = setTimeout(() => this.refresh().catch(() => this.expire()), seconds * 1000);
  }

  /** Gets a new access token with the refresh token, silently. */
  async refresh() {
    if (!this.tokens || !this.tokens.refresh_token) throw new SignInError('nothing to refresh', 'no_refresh_token');
    await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: this.tokens.refresh_token });
  }

  /** Signs in with an operator key; {@code keep}: for this browser tab (sessionStorage). */
  useOperatorKey(key, keep) {
    this.tokens = null;
    this.operatorKey = key;
    if (keep) sessionStorage.setItem(KEY, key);
    else sessionStorage.removeItem(KEY);
    this.dispatchEvent(new Event('change'));
  }

  /** The credentials stopped working: forget them; the console asks to sign in again. */
  expire() {
    clearTimeout(this.refreshTimer);
    const hadKeycloak = Boolean(this.tokens);
    this.tokens = null;
    if (!hadKeycloak) {
      this.operatorKey = null;
      sessionStorage.removeItem(KEY);
    }
    this.dispatchEvent(new Event('expired'));
    this.dispatchEvent(new Event('change'));
  }

  /** Signs out here and, with Keycloak, ends the Keycloak session too. */
  signOut() {
    clearTimeout(this.refreshTimer);
    const idToken = this.tokens && this.tokens.id_token;
    this.tokens = null;
    this.operatorKey = null;
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(USED_KEYCLOAK);
    if (this.keycloak && idToken) {
      const url = new URL(this.endpoint('logout'));
      url.search = new URLSearchParams({
        id_token_hint: idToken,
        client_id: this.keycloak.clientId,
        post_logout_redirect_uri: this.redirectUri(),
      }).toString();
      location.assign(url.toString());
      return;
    }
    this.dispatchEvent(new Event('change'));
  }
}
