// The data browser: a tenant's collections (fields, indexes, rules) and their records, through the
// control plane's operator access (/admin/v1/tenants/{slug}/data/…, audited with the operator as
// actor): keyset pages, the tenant API's filters and sorting, creating, editing with If-Match (a
// 412 is someone else's change) and deleting.
import { html, nothing } from 'lit';
import { enc } from '../lib/api.js';
import { ConsoleElement, Cursors, confirmDialog, listState, pager, problem, when } from '../lib/ui.js';
import { tenantNav } from './tenant.js';

const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'];
const SYSTEM = [
  { name: 'id', type: 'uuid' },
  { name: 'owner', type: 'text' },
  { name: 'createdAt', type: 'timestamp' },
  { name: 'updatedAt', type: 'timestamp' },
  { name: 'version', type: 'integer' },
];
const PAGE = 20;

/** A form input's text as the field's type wants it; throws on what cannot be. */
function valueOf(field, text) {
  if (field.type === 'boolean') return text === '' ? null : text === 'true';
  if (text === '') return null;
  switch (field.type) {
    case 'integer': {
      const n = Number(text);
      if (!Number.isInteger(n)) throw new Error('a whole number');
      return n;
    }
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error('a number');
      return n;
    }
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw new Error('valid JSON');
      }
    default:
      return text;
  }
}

function textOf(field, value) {
  if (value === null || value === undefined) return '';
  if (field.type === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

function cell(value) {
  if (value === null || value === undefined) return html`<span class="muted">null</span>`;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return html`<span class="value" title=${text}>${text}</span>`;
}

class DataBrowser extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    slug: {},
    collection: {},
    collections: { state: true },
    collectionsError: { state: true },
    records: { state: true },
    next: { state: true },
    recordsError: { state: true },
    loading: { state: true },
    filters: { state: true },
    order: { state: true },
    editing: { state: true },
    editError: { state: true },
    fieldErrors: { state: true },
    notice: { state: true },
  };

  constructor() {
    super();
    this.collections = null;
    this.collectionsError = null;
    this.records = null;
    this.next = null;
    this.recordsError = null;
    this.loading = false;
    this.filters = [];
    this.order = { field: 'createdAt', dir: 'asc' };
    this.editing = null;
    this.editError = null;
    this.fieldErrors = {};
    this.notice = null;
    this.cursors = new Cursors();
  }

  get base() {
    return `/tenants/${enc(this.slug)}/data`;
  }

  get definition() {
    return this.collections && this.collections.find((c) => c.name === this.collection);
  }

  connectedCallback() {
    super.connectedCallback();
    this.loadCollections();
  }

  willUpdate(changed) {
    if (changed.has('collection') && changed.get('collection') !== undefined) {
      this.resetRecords();
    }
  }

  resetRecords() {
    this.filters = [];
    this.order = { field: 'createdAt', dir: 'asc' };
    this.editing = null;
    this.notice = null;
    this.cursors.reset();
    this.records = null;
    if (this.collection) this.loadRecords();
  }

  async loadCollections() {
    try {
      this.collections = (await this.api.get(`${this.base}/collections`)).items;
      this.collectionsError = null;
      if (this.collection) this.loadRecords();
    } catch (e) {
      this.collectionsError = e;
    }
  }

  /** The query string of the filters, the order and the page. */
  queryString() {
    const q = new URLSearchParams();
    for (const f of this.filters) {
      if (!f.field) continue;
      const value = f.op === 'in' ? `(${f.value})` : f.value;
      q.append(f.field, `${f.op}.${value}`);
    }
    q.set('order', `${this.order.field}.${this.order.dir}`);
    q.set('limit', String(PAGE));
    if (this.cursors.current) q.set('after', this.cursors.current);
    return '?' + q.toString();
  }

  async loadRecords() {
    this.loading = true;
    try {
      const page = await this.api.get(`${this.base}/collections/${enc(this.collection)}/records${this.queryString()}`);
      this.records = page.items;
      this.next = page.next;
      this.recordsError = null;
    } catch (e) {
      this.recordsError = e;
      this.records = null;
    } finally {
      this.loading = false;
    }
  }

  applyFilters(e) {
    e.preventDefault();
    const rows = [...e.target.querySelectorAll('.filter-row')];
    this.filters = rows.map((row) => ({
      field: row.querySelector('.filter-field').value,
      op: row.querySelector('.filter-op').value,
      value: row.querySelector('.filter-value').value,
    }));
    this.cursors.reset();
    this.loadRecords();
  }

  sortBy(field) {
    this.order = { field, dir: this.order.field === field && this.order.dir === 'asc' ? 'desc' : 'asc' };
    this.cursors.reset();
    this.loadRecords();
  }

  async edit(record) {
    this.notice = null;
    this.editError = null;
    this.fieldErrors = {};
    if (!record) {
      this.editing = { record: null, etag: null };
      return;
    }
    try {
      const answer = await this.api.send('GET', `${this.base}/collections/${enc(this.collection)}/records/${enc(record.id)}`);
      this.editing = { record: answer.body, etag: answer.etag };
    } catch (e) {
      this.editError = e;
      this.editing = { record, etag: null };
    }
    await this.updateComplete;
    const first = this.querySelector('#record-form input, #record-form select, #record-form textarea');
    if (first) first.focus();
  }

  async save(e) {
    e.preventDefault();
    const def = this.definition;
    const { record, etag } = this.editing;
    const body = {};
    const errors = {};
    for (const field of def.fields) {
      const input = e.target.elements['rec-' + field.name];
      const text = input.value;
      if (record && text === textOf(field, record[field.name])) continue;
      if (!record && text === '') continue;
      try {
        body[field.name] = valueOf(field, text);
      } catch (err) {
        errors[field.name] = 'must be ' + err.message;
      }
    }
    this.fieldErrors = errors;
    if (Object.keys(errors).length) return;
    const path = `${this.base}/collections/${enc(this.collection)}/records`;
    try {
      if (record) {
        await this.api.send('PATCH', `${path}/${enc(record.id)}`, { body, headers: etag ? { 'If-Match': etag } : {} });
        this.notice = `Saved record ${record.id}.`;
      } else {
        const created = await this.api.send('POST', path, { body });
        this.notice = `Created record ${created.body.id}.`;
      }
      this.editing = null;
      this.editError = null;
      this.loadRecords();
    } catch (err) {
      this.editError = err;
      if (err.errors && err.errors.length) {
        const byField = {};
        for (const fe of err.errors) byField[fe.field] = fe.message;
        this.fieldErrors = byField;
      }
    }
  }

  async reloadEditing() {
    await this.edit(this.editing.record);
  }

  async confirmDelete(record) {
    const ok = await confirmDialog({ title: 'Delete this record?', message: `Record ${record.id} is deleted for good.`, action: 'Delete the record', danger: true });
    if (!ok) return;
    try {
      await this.api.del(`${this.base}/collections/${enc(this.collection)}/records/${enc(record.id)}`);
      this.notice = `Deleted record ${record.id}.`;
      this.recordsError = null;
      this.loadRecords();
    } catch (err) {
      this.recordsError = err;
    }
  }

  renderCollections() {
    const state = listState({ error: this.collectionsError, loading: !this.collections, items: this.collections, empty: 'No collections yet.' });
    return html`<nav aria-label="Collections"><h2>Collections</h2>${state ?? html`<ul class="plain" id="collections">
      ${this.collections.map((c) => html`<li><a href="#/tenants/${enc(this.slug)}/data/${enc(c.name)}" aria-current=${c.name === this.collection ? 'page' : 'false'}>${c.name}</a></li>`)}</ul>`}</nav>`;
  }

  renderDefinition(def) {
    return html`<details class="panel" id="collection-definition"><summary>Fields, indexes and rules of <strong>${def.name}</strong></summary>
      <div class="table-wrap" tabindex="0" role="region" aria-label="Fields of ${def.name}"><table>
        <thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Unique</th><th scope="col">Indexed</th><th scope="col">Default</th></tr></thead>
        <tbody>${def.fields.map((f) => html`<tr><td><code>${f.name}</code></td><td>${f.type}</td><td>${f.required ? 'yes' : 'no'}</td>
          <td>${f.unique ? 'yes' : 'no'}</td><td>${f.indexed || f.unique ? 'yes' : 'no'}</td><td>${f.default === undefined ? '—' : JSON.stringify(f.default)}</td></tr>`)}</tbody>
      </table></div>
      <p>Rules: read <code>${def.rules.read}</code>, write <code>${def.rules.write}</code>. System fields: ${SYSTEM.map((s) => html`<code>${s.name}</code> `)}</p>
    </details>`;
  }

  renderFilters(def) {
    const fields = [...SYSTEM, ...def.fields];
    const rows = this.filters.length ? this.filters : [];
    return html`<form class="panel filters" id="filters" aria-label="Filter records" @submit=${(e) => this.applyFilters(e)}>
      ${rows.map((f, i) => html`<div class="row filter-row">
        <div class="field"><label for="filter-field-${i}">Field</label><select id="filter-field-${i}" class="filter-field">
          ${fields.map((x) => html`<option value=${x.name} ?selected=${x.name === f.field}>${x.name}</option>`)}</select></div>
        <div class="field"><label for="filter-op-${i}">Operator</label><select id="filter-op-${i}" class="filter-op">
          ${OPERATORS.map((op) => html`<option value=${op} ?selected=${op === f.op}>${op}</option>`)}</select></div>
        <div class="field"><label for="filter-value-${i}">Value</label><input id="filter-value-${i}" class="filter-value" .value=${f.value}
          placeholder="in: a,b · is: null · like: ab*"></div>
        <button type="button" class="secondary" aria-label="Remove filter ${i + 1}" @click=${() => { this.filters = this.filters.filter((_, j) => j !== i); this.cursors.reset(); this.loadRecords(); }}>Remove</button>
      </div>`)}
      <div class="actions">
        <button type="button" class="secondary" id="add-filter" @click=${() => (this.filters = [...this.filters, { field: def.fields[0] ? def.fields[0].name : 'id', op: 'eq', value: '' }])}>Add a filter</button>
        ${rows.length ? html`<button type="submit" id="apply-filters">Apply</button>` : nothing}
      </div>
    </form>`;
  }

  renderEditor(def) {
    const { record } = this.editing;
    const err = this.editError;
    return html`<form class="panel" id="record-form" aria-labelledby="record-form-title" @submit=${(e) => this.save(e)} novalidate>
      <h2 id="record-form-title">${record ? `Edit record ${record.id}` : `New record in ${def.name}`}</h2>
      ${record ? html`<p class="muted">Version ${record.version}, updated ${when(record.updatedAt)}.</p>` : nothing}
      ${err ? problem(err) : nothing}
      ${err && err.status === 412 ? html`<p><button type="button" id="reload-record" class="secondary" @click=${() => this.reloadEditing()}>Load the current version</button></p>` : nothing}
      <div class="grid">${def.fields.map((f) => {
        const id = 'rec-' + f.name;
        const value = record ? textOf(f, record[f.name]) : '';
        const error = this.fieldErrors[f.name];
        const described = error ? id + '-error' : nothing;
        const input = f.type === 'boolean'
          ? html`<select id=${id} name=${id} aria-describedby=${described}>${['', 'true', 'false'].map((v) => html`<option value=${v} ?selected=${v === value}>${v || 'null'}</option>`)}</select>`
          : f.type === 'json'
            ? html`<textarea id=${id} name=${id} .value=${value} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described}></textarea>`
            : html`<input id=${id} name=${id} .value=${value} inputmode=${f.type === 'integer' || f.type === 'number' ? 'decimal' : 'text'}
                aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described}>`;
        return html`<div class="field"><label for=${id}>${f.name} <span class="muted">${f.type}${f.required ? ', required' : ''}</span></label>${input}
          ${error ? html`<span class="error" id="${id}-error">${error}</span>` : nothing}</div>`;
      })}</div>
      <div class="actions"><button type="submit" id="save-record">${record ? 'Save' : 'Create'}</button>
        <button type="button" class="secondary" @click=${() => { this.editing = null; this.editError = null; }}>Cancel</button></div>
    </form>`;
  }

  renderRecords(def) {
    const state = listState({ loading: this.loading, error: this.recordsError, items: this.records, empty: this.filters.length ? 'No record matches.' : 'No records yet.' });
    const columns = ['id', ...def.fields.map((f) => f.name), 'version', 'updatedAt'];
    const arrow = (name) => (this.order.field === name ? (this.order.dir === 'asc' ? ' ▲' : ' ▼') : '');
    return html`${state ?? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Records of ${def.name}"><table id="records-table">
        <thead><tr>${columns.map((c) => html`<th scope="col" aria-sort=${this.order.field === c ? (this.order.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
          <button type="button" class="sort" @click=${() => this.sortBy(c)}>${c}${arrow(c)}</button></th>`)}<th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${this.records.map((r) => html`<tr data-id=${r.id}>${columns.map((c) => html`<td>${c === 'id' ? html`<code title=${r.id}>${r.id.slice(-12)}</code>` : cell(r[c])}</td>`)}
          <td><div class="row"><button type="button" class="secondary edit-record" aria-label="Edit record ${r.id}" @click=${() => this.edit(r)}>Edit</button>
            <button type="button" class="secondary delete-record" aria-label="Delete record ${r.id}" @click=${() => this.confirmDelete(r)}>Delete</button></div></td></tr>`)}</tbody>
      </table></div>`}
      ${this.records && this.records.length ? pager(this.cursors, this.next, () => { this.cursors.back(); this.loadRecords(); }, () => { this.cursors.forward(this.next); this.loadRecords(); }, 'Record pages') : nothing}`;
  }

  render() {
    const def = this.definition;
    return html`<h1>Data of ${this.slug}</h1>
      ${tenantNav(this.slug, '/data')}
      <p class="muted">You work with this tenant's data as yourself: every read and change is in the audit log.</p>
      <div class="split">
        <div>${this.renderCollections()}</div>
        <div>${!this.collection
          ? html`<p class="state">Choose a collection.</p>`
          : !this.collections
            ? nothing
            : !def
              ? html`<p class="state">No collection <code>${this.collection}</code>.</p>`
              : html`<h2>${def.name}</h2>
                ${this.renderDefinition(def)}
                ${this.notice ? html`<p class="success" role="status" id="data-notice">${this.notice}</p>` : nothing}
                ${this.editing ? this.renderEditor(def) : html`<div class="actions"><button type="button" id="new-record" @click=${() => this.edit(null)}>New record</button></div>`}
                ${this.renderFilters(def)}
                ${this.renderRecords(def)}`}</div>
      </div>`;
  }
}
customElements.define('p-data', DataBrowser);
