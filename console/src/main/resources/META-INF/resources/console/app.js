// The console's shell: configuration, sign-in, the header with the operator's name, navigation,
// and hash routes (#/tenants, #/tenants/<slug>/keys, …) to the pages.
import { html } from 'lit';
import { Auth } from './lib/auth.js';
import { Api } from './lib/api.js';
import { ConsoleElement, problem } from './lib/ui.js';
import './pages/signin.js';
import './pages/tenants.js';
import './pages/tenant.js';
import './pages/keys.js';
import './pages/data.js';
import './pages/usage.js';
import './pages/audit.js';
import './pages/migrations.js';
import './pages/cluster.js';

const SECTIONS = [
  ['/tenants', 'Tenants'],
  ['/usage', 'Usage'],
  ['/audit', 'Audit log'],
  ['/migrations', 'Migrations'],
  ['/cluster', 'Cluster'],
];

/** The route in the hash: its path segments and query. */
export function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/tenants';
  const [path, search = ''] = raw.split('?');
  return { raw, path, segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

class PlinthConsole extends ConsoleElement {
  static properties = { route: { state: true }, ready: { state: true }, bootError: { state: true }, signInError: { state: true } };

  constructor() {
    super();
    this.route = currentRoute();
    this.ready = false;
    this.bootError = null;
    this.signInError = null;
    this.focusOnRender = false;
  }

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', () => {
      this.route = currentRoute();
      this.focusOnRender = true;
    });
    this.boot();
  }

  async boot() {
    let config;
    try {
      const response = await fetch('/console/config.json', { cache: 'no-store' });
      if (!response.ok) throw new Error(`config.json answered ${response.status}`);
      config = await response.json();
    } catch (e) {
      this.bootError = { title: 'The console could not start', detail: e.message, code: 'config_unavailable' };
      return;
    }
    this.auth = new Auth(config);
    this.api = new Api(this.auth);
    this.auth.addEventListener('change', () => this.requestUpdate());
    this.auth.addEventListener('expired', () => this.toSignIn(true));
    try {
      const back = await this.auth.completeSignIn();
      if (back !== null) this.route = currentRoute();
    } catch (e) {
      this.signInError = e;
    }
    if (!this.auth.signedIn && this.auth.usedKeycloak && !this.signInError) {
      // A reload forgets the tokens; Keycloak's session signs this tab in again and comes back.
      this.auth.signInWithKeycloak(this.returnRoute()).catch((e) => (this.signInError = e));
      return;
    }
    this.ready = true;
  }

  returnRoute() {
    const r = currentRoute();
    return r.path === '/signin' ? r.query.get('next') || '/tenants' : r.raw;
  }

  toSignIn(expired) {
    const r = currentRoute();
    if (r.path === '/signin') return;
    location.hash = `#/signin?next=${encodeURIComponent(r.raw)}${expired ? '&expired=1' : ''}`;
  }

  updated() {
    const r = this.route;
    // When the access token expires, for anyone who checks the silent refresh (never the token).
    const expires = this.auth && this.auth.tokenExpiresAt;
    if (expires) this.dataset.tokenExpiresAt = expires.toISOString();
    else delete this.dataset.tokenExpiresAt;
    if (this.ready && !this.auth.signedIn && r.path !== '/signin') {
      this.toSignIn(false);
    }
    if (this.ready && this.auth.signedIn && r.path === '/signin') {
      location.hash = '#' + (r.query.get('next') || '/tenants');
    }
    if (this.focusOnRender) {
      this.focusOnRender = false;
      const main = this.querySelector('main');
      if (main) main.focus({ preventScroll: false });
    }
  }

  render() {
    if (this.bootError) return html`<main id="main">${problem(this.bootError)}</main>`;
    if (!this.ready) {
      return html`<main id="main">${this.signInError ? html`<p-signin .auth=${this.auth} .error=${this.signInError}></p-signin>` : html`<p class="state" role="status">Loading the console…</p>`}</main>`;
    }
    const r = this.route;
    if (!this.auth.signedIn || r.path === '/signin') {
      return html`<main id="main" tabindex="-1">
        <p-signin .auth=${this.auth} .error=${this.signInError} .expired=${r.query.get('expired') === '1'} .next=${r.query.get('next') || '/tenants'}></p-signin>
      </main>`;
    }
    return html`
      <a class="skip" href="#main" @click=${(e) => { e.preventDefault(); this.querySelector('main').focus(); }}>Skip to content</a>
      <header class="top">
        <a class="brand" href="#/tenants">Plinth console</a>
        <nav aria-label="Sections"><ul>
          ${SECTIONS.map(([path, label]) => html`<li><a href="#${path}" aria-current=${r.path.startsWith(path) || (path === '/tenants' && r.path === '/create-tenant') ? 'page' : 'false'}>${label}</a></li>`)}
        </ul></nav>
        <div class="who">
          <span>Signed in as <strong class="operator-name">${this.auth.operatorName}</strong></span>
          <button type="button" @click=${() => this.auth.signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.page(r)}</main>`;
  }

  page(r) {
    const [section, id, sub, more] = r.segments;
    const api = this.api;
    document.title = `${this.titleOf(r)} · Plinth console`;
    switch (section) {
      case 'tenants':
        if (!id) return html`<p-tenants .api=${api} .query=${r.query}></p-tenants>`;
        if (sub === 'keys') return html`<p-keys .api=${api} .slug=${id}></p-keys>`;
        if (sub === 'data') return html`<p-data .api=${api} .slug=${id} .collection=${more || null}></p-data>`;
        if (sub === 'usage') return html`<p-usage .api=${api} .tenant=${id}></p-usage>`;
        return html`<p-tenant .api=${api} .slug=${id}></p-tenant>`;
      case 'create-tenant':
        return html`<p-create-tenant .api=${api}></p-create-tenant>`;
      case 'usage':
        return html`<p-usage .api=${api} .tenant=${null}></p-usage>`;
      case 'audit':
        return html`<p-audit .api=${api} .query=${r.query}></p-audit>`;
      case 'migrations':
        return html`<p-migrations .api=${api} .run=${id || null}></p-migrations>`;
      case 'cluster':
        return html`<p-cluster .api=${api}></p-cluster>`;
      default:
        return html`<h1>Not found</h1><p>There is no page <code>${r.path}</code>. <a href="#/tenants">Go to the tenants</a>.</p>`;
    }
  }

  titleOf(r) {
    const [section, id, sub] = r.segments;
    if (section === 'tenants' && id) return `${id}${sub ? ' · ' + sub : ''}`;
    const found = SECTIONS.find(([path]) => path === '/' + section);
    return found ? found[1] : section === 'create-tenant' ? 'New tenant' : 'Plinth';
  }
}
customElements.define('plinth-console', PlinthConsole);

