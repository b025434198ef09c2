// Tenants: keyset pages filtered by status and searched by slug or name; creating a tenant, with
// its slug checked as it is typed, and its two keys shown once while it is provisioned.
import { html, nothing } from 'lit';
import { enc, query } from '../lib/api.js';
import { ConsoleElement, Cursors, badge, fieldError, listState, pager, poll, problem, when } from '../lib/ui.js';

const STATUSES = ['', 'provisioning', 'active', 'suspended', 'deleting', 'failed'];
const PLANS = ['free', 'pro', 'enterprise'];
const PAGE = 25;
export const SLUG = /^[a-z][a-z0-9-]{2,39}$/;

class Tenants extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    query: { attribute: false },
    items: { state: true },
    next: { state: true },
    loading: { state: true },
    error: { state: true },
  };

  constructor() {
    super();
    this.items = null;
    this.next = null;
    this.loading = false;
    this.error = null;
    this.cursors = new Cursors();
    this.status = '';
    this.q = '';
  }

  connectedCallback() {
    super.connectedCallback();
    this.status = (this.query && this.query.get('status')) || '';
    this.q = (this.query && this.query.get('q')) || '';
    this.load();
  }

  async load() {
    this.loading = true;
    this.error = null;
    try {
      const page = await this.api.get('/tenants' + query({ status: this.status, q: this.q, after: this.cursors.current, limit: PAGE }));
      this.items = page.items;
      this.next = page.next;
    } catch (e) {
      this.error = e;
      this.items = null;
    } finally {
      this.loading = false;
    }
  }

  filter(e) {
    e.preventDefault();
    const form = e.target.form || e.target;
    this.status = form.elements.status.value;
    this.q = form.elements.q.value.trim();
    history.replaceState(null, '', '#/tenants' + query({ status: this.status, q: this.q }));
    this.cursors.reset();
    this.load();
  }

  render() {
    const state = listState({ loading: this.loading, error: this.error, items: this.items, empty: this.q || this.status ? 'No tenant matches.' : 'No tenants yet: create the first one.' });
    return html`
      <div class="row"><h1>Tenants</h1><a class="button" href="#/create-tenant" id="new-tenant">New tenant</a></div>
      <form class="panel row" role="search" @submit=${(e) => this.filter(e)}>
        <div class="field"><label for="tenant-q">Search slug or name</label>
          <input id="tenant-q" name="q" type="search" .value=${this.q} autocomplete="off"></div>
        <div class="field"><label for="tenant-status">Status</label>
          <select id="tenant-status" name="status" @change=${(e) => this.filter(e)}>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.status}>${s || 'any'}</option>`)}
          </select></div>
        <button type="submit">Search</button>
      </form>
      ${state ?? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Tenants">
        <table id="tenants-table">
          <thead><tr><th scope="col">Slug</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Plan</th><th scope="col">Identity</th><th scope="col">Created</th></tr></thead>
          <tbody>${this.items.map((t) => html`<tr data-slug=${t.slug}>
            <td><a href="#/tenants/${enc(t.slug)}">${t.slug}</a></td><td>${t.name}</td><td>${badge(t.status)}</td>
            <td>${t.plan}</td><td>${t.identity ? t.identity.mode : html`<span class="muted">none</span>`}</td><td>${when(t.createdAt)}</td></tr>`)}
          </tbody></table></div>`}
      ${this.items && this.items.length ? pager(this.cursors, this.next, () => { this.cursors.back(); this.load(); }, () => { this.cursors.forward(this.next); this.load(); }, 'Tenant pages') : nothing}
      ${this.loading && this.items ? html`<p class="state" role="status">Loading…</p>` : nothing}`;
  }
}
customElements.define('p-tenants', Tenants);

/** The keys of a tenant or a new key, shown once, with copy buttons. */
export function shownOnce(keys) {
  return html`<section class="panel" aria-labelledby="keys-once-title" id="keys-once">
    <h2 id="keys-once-title">Copy the keys now</h2>
    <p class="notice"><strong>These keys are shown only once.</strong> Plinth stores only their hashes: copy them
      somewhere safe now. If one is lost, create a new key and revoke the old one.</p>
    ${keys.map((k, i) => html`<div class="secret-key">
      <label for="key-once-${i}">${k.kind} key <span class="muted">${k.name || ''}</span></label>
      <div class="secret"><code id="key-once-${i}" class="key-plaintext" data-kind=${k.kind}>${k.key}</code>
        <p-copy .text=${k.key} .label=${`Copy ${k.kind} key`}></p-copy></div></div>`)}
  </section>`;
}

class CreateTenant extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    error: { state: true },
    slugCheck: { state: true },
    mode: { state: true },
    created: { state: true },
    tenant: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.error = null;
    this.slugCheck = null;
    this.mode = '';
    this.created = null;
    this.tenant = null;
    this.busy = false;
    this.checkTimer = 0;
  }

  /** Checks the slug as it is typed: its shape at once, then whether it is taken. */
  checkSlug(value) {
    clearTimeout(this.checkTimer);
    if (!value) {
      this.slugCheck = null;
      return;
    }
    if (!SLUG.test(value)) {
      this.slugCheck = { ok: false, message: '3 to 40 characters: a lowercase letter, then lowercase letters, digits or “-”.' };
      return;
    }
    this.slugCheck = { ok: true, message: 'Checking…' };
    this.checkTimer = setTimeout(async () => {
      try {
        const t = await this.api.get('/tenants/' + enc(value));
        this.slugCheck = t.status === 'deleted' ? { ok: true, message: 'Available.' } : { ok: false, taken: true, message: `Taken by the tenant “${t.name}” (${t.status}).` };
      } catch (e) {
        this.slugCheck = e.status === 404 ? { ok: true, message: 'Available.' } : { ok: true, message: 'Could not check (the server decides on create).' };
      }
    }, 300);
  }

  body(form) {
    const f = form.elements;
    const body = { slug: f.slug.value.trim(), name: f.namedItem('name').value.trim(), plan: f.plan.value };
    const mode = f.mode.value;
    if (mode === 'external') {
      body.identity = { mode, issuer: f.issuer.value.trim(), audience: f.audience.value.trim() };
    } else if (mode) {
      body.identity = { mode };
      const uris = f.redirectUris.value.split(/[\s,]+/).filter(Boolean);
      if (uris.length) body.identity.redirectUris = uris;
    }
    return body;
  }

  async submit(e) {
    e.preventDefault();
    const body = this.body(e.target);
    if (!SLUG.test(body.slug)) {
      this.slugCheck = { ok: false, message: '3 to 40 characters: a lowercase letter, then lowercase letters, digits or “-”.' };
      e.target.elements.slug.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const created = await this.api.post('/tenants', body);
      this.created = created;
      this.tenant = created;
      this.follow(created.slug);
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  /** Polls the new tenant until it is active or failed. */
  follow(slug) {
    poll(this, 1000, async () => {
      if (this.tenant.status !== 'provisioning') return true;
      this.tenant = await this.api.get('/tenants/' + enc(slug));
      return this.tenant.status !== 'provisioning';
    });
  }

  render() {
    if (this.created) {
      const t = this.tenant;
      return html`<h1>Tenant ${t.slug}</h1>
        <p id="provisioning-status" role="status">Status: ${badge(t.status)}
          ${t.status === 'provisioning' ? html` — waiting for its identity; this page follows it.` : nothing}
          ${t.status === 'failed' ? html` — <span class="field-error">${t.failure || 'no reason recorded'}</span>` : nothing}</p>
        ${shownOnce(this.created.keys || [])}
        <div class="actions"><a class="button" href="#/tenants/${enc(t.slug)}" id="open-tenant">Open the tenant</a>
          <a class="button secondary" href="#/tenants">Back to the tenants</a></div>`;
    }
    const err = this.error;
    const check = this.slugCheck;
    return html`<h1>New tenant</h1>
      <form class="panel" id="create-tenant" @submit=${(e) => this.submit(e)} novalidate>
        ${problem(err)}
        <div class="grid">
          <div class="field"><label for="slug">Slug</label>
            <input id="slug" name="slug" required autocomplete="off" spellcheck="false" maxlength="40"
              aria-invalid=${check && !check.ok ? 'true' : 'false'} aria-describedby="slug-check"
              @input=${(e) => this.checkSlug(e.target.value.trim())}>
            <span id="slug-check" class=${check ? (check.ok ? 'okay' : 'error') : 'hint'} aria-live="polite">
              ${check ? check.message : 'Its schema and realm are named after it; it cannot change.'}</span>
            ${fieldError(err, 'slug', 'slug-error')}</div>
          <div class="field"><label for="name">Name</label>
            <input id="name" name="name" required maxlength="200" autocomplete="off">${fieldError(err, 'name', 'name-error')}</div>
          <div class="field"><label for="plan">Plan</label>
            <select id="plan" name="plan">${PLANS.map((p) => html`<option value=${p} ?selected=${p === 'pro'}>${p}</option>`)}</select>
            ${fieldError(err, 'plan', 'plan-error')}</div>
          <div class="field"><label for="mode">Identity</label>
            <select id="mode" name="mode" @change=${(e) => (this.mode = e.target.value)}>
              <option value="">the installation's default</option>
              <option value="realm">realm: its own Keycloak realm</option>
              <option value="organization">organization: in the shared realm</option>
              <option value="external">external: its own OIDC issuer</option>
            </select>${fieldError(err, 'identity.mode', 'mode-error')}</div>
        </div>
        ${this.mode === 'external'
          ? html`<div class="grid">
              <div class="field"><label for="issuer">Issuer URL</label><input id="issuer" name="issuer" type="url" placeholder="https://id.example.com/realms/acme">
                ${fieldError(err, 'identity.issuer', 'issuer-error')}</div>
              <div class="field"><label for="audience">Audience</label><input id="audience" name="audience">
                ${fieldError(err, 'identity.audience', 'audience-error')}</div></div>`
          : html`<div class="field"><label for="redirectUris">Redirect URIs of the tenant's app client (optional)</label>
              <textarea id="redirectUris" name="redirectUris" placeholder="https://app.example.com/*" ?disabled=${!this.mode}></textarea>
              <span class="hint">One per line; for realm and organization modes.</span>${fieldError(err, 'identity.redirectUris', 'uris-error')}</div>`}
        <div class="actions"><button type="submit" id="create" ?disabled=${this.busy}>${this.busy ? 'Creating…' : 'Create the tenant'}</button>
          <a class="button secondary" href="#/tenants">Cancel</a></div>
      </form>`;
  }
}
customElements.define('p-create-tenant', CreateTenant);
