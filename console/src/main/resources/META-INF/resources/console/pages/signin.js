// Sign-in: Keycloak's login page (the platform realm), or an operator key where there is no
// Keycloak or as a fallback.
import { html, nothing } from 'lit';
import { ConsoleElement, problem } from '../lib/ui.js';

const KEY_SHAPE = /^plinth_ok_[A-Za-z0-9]{20,}$/;

class SignIn extends ConsoleElement {
  static properties = {
    auth: { attribute: false },
    error: { attribute: false },
    expired: { type: Boolean },
    next: {},
    keyError: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.error = null;
    this.expired = false;
    this.next = '/tenants';
    this.keyError = null;
    this.busy = false;
  }

  async keycloak() {
    this.busy = true;
    try {
      await this.auth.signInWithKeycloak(this.next);
    } catch (e) {
      this.error = e;
      this.busy = false;
    }
  }

  async useKey(e) {
    e.preventDefault();
    const form = e.target;
    const key = form.elements['operator-key'].value.trim();
    if (!KEY_SHAPE.test(key)) {
      this.keyError = 'An operator key starts with plinth_ok_ followed by letters and digits.';
      return;
    }
    this.keyError = null;
    this.busy = true;
    // One read proves the key before the console uses it.
    try {
      const response = await fetch('/admin/v1/tenants?limit=1', { headers: { Authorization: 'Bearer ' + key }, cache: 'no-store' });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        this.error = {
          title: 'The key was refused',
          detail: body.detail || 'the control plane does not accept this key',
          code: body.code || 'http_' + response.status,
          requestId: body.requestId || response.headers.get('X-Request-Id'),
          status: response.status,
        };
        return;
      }
      this.error = null;
      this.auth.useOperatorKey(key, form.elements['keep-key'].checked);
    } catch (err) {
      this.error = { title: 'No answer', detail: `the control plane could not be reached (${err.message})`, code: 'network_error' };
    } finally {
      this.busy = false;
    }
  }

  render() {
    const kc = this.auth && this.auth.keycloak;
    return html`<section class="signin panel" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to the Plinth console</h1>
      ${this.expired ? html`<p class="notice" role="status">Your session has ended. Sign in again to go back where you were.</p>` : nothing}
      ${this.error ? problem(this.error) : nothing}
      ${kc
        ? html`<p>Operators sign in with their account in the platform realm <code>${kc.realm}</code>.</p>
            <button type="button" id="signin-keycloak" ?disabled=${this.busy} @click=${() => this.keycloak()}>Sign in with Keycloak</button>
            <h2>Or with an operator key</h2>`
        : html`<p>This installation has no Keycloak: sign in with an operator key (<code>plinth_ok_…</code>).</p>`}
      <form @submit=${(e) => this.useKey(e)} novalidate>
        <div class="field">
          <label for="operator-key">Operator key</label>
          <input id="operator-key" name="operator-key" type="password" autocomplete="off" spellcheck="false"
            aria-invalid=${this.keyError ? 'true' : 'false'} aria-describedby="operator-key-help">
          <span class="${this.keyError ? 'error' : 'hint'}" id="operator-key-help">${this.keyError || 'Kept in this page’s memory only, unless you tick the box below.'}</span>
        </div>
        <label class="check"><input type="checkbox" name="keep-key" id="keep-key"> Keep it for this browser tab (sessionStorage, gone when the tab closes)</label>
        <div class="actions"><button type="submit" id="signin-key" class=${kc ? 'secondary' : ''} ?disabled=${this.busy}>Sign in with the key</button></div>
      </form>
    </section>`;
  }
}
customElements.define('p-signin', SignIn);
