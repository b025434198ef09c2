// A tenant's API keys: every key, revoked ones too; a new key, shown once; revoking.
import { html, nothing } from 'lit';
import { enc } from '../lib/api.js';
import { ConsoleElement, badge, confirmDialog, fieldError, listState, problem, when } from '../lib/ui.js';
import { tenantNav } from './tenant.js';
import { shownOnce } from './tenants.js';

class Keys extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    slug: {},
    items: { state: true },
    loading: { state: true },
    error: { state: true },
    createError: { state: true },
    created: { state: true },
    revokeError: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.items = null;
    this.loading = false;
    this.error = null;
    this.createError = null;
    this.created = null;
    this.revokeError = null;
    this.busy = false;
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    this.loading = true;
    try {
      this.items = (await this.api.get(`/tenants/${enc(this.slug)}/keys`)).items;
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  async create(e) {
    e.preventDefault();
    const f = e.target.elements;
    const body = { kind: f.kind.value, name: f.namedItem('name').value.trim() };
    if (f.expiresAt.value) body.expiresAt = new Date(f.expiresAt.value).toISOString();
    this.busy = true;
    try {
      this.created = await this.api.post(`/tenants/${enc(this.slug)}/keys`, body);
      this.createError = null;
      e.target.reset();
      this.load();
    } catch (err) {
      this.createError = err;
    } finally {
      this.busy = false;
    }
  }

  async revoke(key) {
    const ok = await confirmDialog({
      title: `Revoke the key ${key.name || key.prefix}?`,
      message: `Every data-plane node refuses ${key.prefix}… within a second. Apps that use it stop working.`,
      action: 'Revoke the key',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.api.del(`/tenants/${enc(this.slug)}/keys/${enc(key.id)}`);
      this.revokeError = null;
      this.load();
    } catch (err) {
      this.revokeError = err;
    }
  }

  render() {
    const state = listState({ loading: this.loading, error: this.error, items: this.items, empty: 'This tenant has no keys.' });
    const err = this.createError;
    return html`<h1>Keys of ${this.slug}</h1>
      ${tenantNav(this.slug, '/keys')}
      ${this.created ? shownOnce([this.created]) : nothing}
      ${problem(this.revokeError)}
      ${state ?? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Keys">
        <table id="keys-table"><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Created</th>
          <th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${this.items.map((k) => html`<tr data-key=${k.id} data-name=${k.name}>
          <td>${k.kind}</td><td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${when(k.createdAt)}</td>
          <td>${when(k.lastUsedAt)}</td><td>${when(k.expiresAt)}</td>
          <td>${k.revokedAt ? html`${badge('revoked')} ${when(k.revokedAt)}` : badge('active')}</td>
          <td>${k.revokedAt ? nothing : html`<button type="button" class="secondary revoke" @click=${() => this.revoke(k)} aria-label="Revoke ${k.name || k.prefix}">Revoke</button>`}</td>
        </tr>`)}</tbody></table></div>`}
      <form class="panel" id="create-key" aria-labelledby="new-key-title" @submit=${(e) => this.create(e)} novalidate>
        <h2 id="new-key-title">New key</h2>
        ${problem(err)}
        <div class="grid">
          <div class="field"><label for="key-kind">Kind</label><select id="key-kind" name="kind">
            <option value="publishable">publishable: safe inside an app, collection rules apply</option>
            <option value="secret">secret: servers only, passes every rule</option></select>${fieldError(err, 'kind', 'kind-error')}</div>
          <div class="field"><label for="key-name">Name</label><input id="key-name" name="name" autocomplete="off">${fieldError(err, 'name', 'key-name-error')}</div>
          <div class="field"><label for="key-expires">Expires (optional)</label><input id="key-expires" name="expiresAt" type="datetime-local">${fieldError(err, 'expiresAt', 'expires-error')}</div>
        </div>
        <div class="actions"><button type="submit" id="create-key-button" ?disabled=${this.busy}>Create the key</button></div>
      </form>`;
  }
}
customElements.define('p-keys', Keys);
