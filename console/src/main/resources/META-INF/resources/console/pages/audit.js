// The audit log: filtered by tenant, actor, action and outcome, newest first, in keyset pages, each
// event's details on demand.
import { html, nothing } from 'lit';
import { query } from '../lib/api.js';
import { ConsoleElement, Cursors, badge, listState, pager, when } from '../lib/ui.js';

const FILTERS = ['tenant', 'actor', 'action', 'outcome'];
const ACTIONS = ['tenant.create', 'tenant.update', 'tenant.suspend', 'tenant.resume', 'tenant.delete', 'key.create', 'key.revoke', 'migration.start', 'data.read', 'data.write'];

class Audit extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    query: { attribute: false },
    items: { state: true },
    next: { state: true },
    error: { state: true },
    loading: { state: true },
    open: { state: true },
  };

  constructor() {
    super();
    this.items = null;
    this.next = null;
    this.error = null;
    this.loading = false;
    this.open = null;
    this.filters = {};
    this.cursors = new Cursors();
  }

  connectedCallback() {
    super.connectedCallback();
    for (const name of FILTERS) this.filters[name] = (this.query && this.query.get(name)) || '';
    this.load();
  }

  async load() {
    this.loading = true;
    try {
      const page = await this.api.get('/audit' + query({ ...this.filters, after: this.cursors.current, limit: 25 }));
      this.items = page.items;
      this.next = page.next;
      this.error = null;
    } catch (e) {
      this.error = e;
      this.items = null;
    } finally {
      this.loading = false;
    }
  }

  filter(e) {
    e.preventDefault();
    for (const name of FILTERS) this.filters[name] = e.target.elements[name].value.trim();
    history.replaceState(null, '', '#/audit' + query(this.filters));
    this.cursors.reset();
    this.open = null;
    this.load();
  }

  render() {
    const state = listState({ loading: this.loading, error: this.error, items: this.items, empty: 'No event matches.' });
    const f = this.filters;
    return html`<h1>Audit log</h1>
      <form class="panel row" role="search" aria-label="Filter the audit log" @submit=${(e) => this.filter(e)}>
        <div class="field"><label for="audit-tenant">Tenant</label><input id="audit-tenant" name="tenant" .value=${f.tenant} autocomplete="off"></div>
        <div class="field"><label for="audit-actor">Actor</label><input id="audit-actor" name="actor" .value=${f.actor} placeholder="user:alice" autocomplete="off"></div>
        <div class="field"><label for="audit-action">Action</label><input id="audit-action" name="action" list="audit-actions" .value=${f.action} autocomplete="off">
          <datalist id="audit-actions">${ACTIONS.map((a) => html`<option value=${a}></option>`)}</datalist></div>
        <div class="field"><label for="audit-outcome">Outcome</label><select id="audit-outcome" name="outcome">
          ${['', 'success', 'failure'].map((o) => html`<option value=${o} ?selected=${o === f.outcome}>${o || 'any'}</option>`)}</select></div>
        <button type="submit" id="audit-filter">Filter</button>
      </form>
      ${state ?? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Audit events"><table id="audit-table">
        <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Tenant</th><th scope="col">Outcome</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Details</span></th></tr></thead>
        <tbody>${this.items.map((ev) => html`<tr class="audit-event" data-action=${ev.action} data-outcome=${ev.outcome}>
            <td>${when(ev.at)}</td><td><code>${ev.actor}</code></td><td>${ev.action}</td><td>${ev.tenant ?? '—'}</td><td>${badge(ev.outcome)}</td><td>${ev.status}</td>
            <td><button type="button" class="link" aria-expanded=${this.open === ev.id ? 'true' : 'false'} aria-controls="event-${ev.id}"
              @click=${() => (this.open = this.open === ev.id ? null : ev.id)}>Details</button></td></tr>
          ${this.open === ev.id ? html`<tr id="event-${ev.id}"><td colspan="7"><dl class="facts event-details">
            ${Object.entries(ev).map(([k, v]) => html`<dt>${k}</dt><dd><code>${v === null ? 'null' : String(v)}</code></dd>`)}</dl></td></tr>` : nothing}`)}
        </tbody></table></div>`}
      ${this.items && this.items.length ? pager(this.cursors, this.next, () => { this.cursors.back(); this.load(); }, () => { this.cursors.forward(this.next); this.load(); }, 'Audit pages') : nothing}`;
  }
}
customElements.define('p-audit', Audit);
