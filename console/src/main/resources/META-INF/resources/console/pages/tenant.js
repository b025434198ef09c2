// A tenant's page: status, plan and limits (editable, the API's field errors at each field), usage
// against quota as bars, identity, suspend and resume, and deletion behind its typed slug.
import { html, nothing } from 'lit';
import { enc } from '../lib/api.js';
import { ConsoleElement, badge, bytes, confirmDialog, count, fieldError, go, poll, problem, when } from '../lib/ui.js';

const PLANS = ['free', 'pro', 'enterprise'];
const LIMITS = [
  ['ratePerSecond', 'Requests per second (0: no limit)'],
  ['ratePerKeyPerSecond', 'Requests per second per key (0: no limit)'],
  ['maxRows', 'Rows'],
  ['maxStorageBytes', 'Storage (bytes)'],
  ['maxCollections', 'Collections'],
  ['maxFields', 'Fields per collection'],
  ['busyMsPerSecond', 'Database time, ms per second'],
];

/** The tabs of a tenant's pages. */
export function tenantNav(slug, current) {
  const tabs = [['', 'Overview'], ['/keys', 'Keys'], ['/data', 'Data'], ['/usage', 'Usage']];
  return html`<nav aria-label="Tenant ${slug}"><ul class="subnav">
    ${tabs.map(([path, label]) => html`<li><a href="#/tenants/${enc(slug)}${path}" aria-current=${current === path ? 'page' : 'false'}>${label}</a></li>`)}
  </ul></nav>`;
}

function usageBar(id, label, used, limit, format) {
  const unlimited = !limit || limit >= Number.MAX_SAFE_INTEGER;
  return html`<div class="bar" id=${id}>
    <label for="${id}-meter">${label}: ${format(used)} ${unlimited ? html`<span class="muted">(no limit)</span>` : html`of ${format(limit)} (${limit ? Math.min(100, Math.round((100 * used) / limit)) : 0}%)`}</label>
    <meter id="${id}-meter" min="0" max=${unlimited ? Math.max(1, used) : limit} low=${unlimited ? 1 : limit * 0.8} high=${unlimited ? 1 : limit * 0.95} optimum="0" .value=${used || 0}></meter>
  </div>`;
}

class Tenant extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    slug: {},
    tenant: { state: true },
    error: { state: true },
    limitsError: { state: true },
    saved: { state: true },
    actionError: { state: true },
    rate: { state: true },
    rateError: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.tenant = null;
    this.error = null;
    this.limitsError = null;
    this.saved = false;
    this.actionError = null;
    this.rate = null;
    this.rateError = null;
    this.busy = false;
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
    this.loadRate();
  }

  async load() {
    try {
      this.tenant = await this.api.get('/tenants/' + enc(this.slug));
      this.error = null;
      if (['provisioning', 'deleting'].includes(this.tenant.status)) {
        poll(this, 1500, async () => {
          this.tenant = await this.api.get('/tenants/' + enc(this.slug));
          return !['provisioning', 'deleting'].includes(this.tenant.status);
        });
      }
    } catch (e) {
      this.error = e;
    }
  }

  /** The latest request rate, from the platform's own time series. */
  async loadRate() {
    try {
      const series = await this.api.get(`/usage/series?range=1h&tenant=${enc(this.slug)}`);
      const points = (series.points || []).filter((p) => p.requestsPerSecond !== null && p.requestsPerSecond !== undefined);
      this.rate = points.length ? points[points.length - 1].requestsPerSecond : 0;
    } catch (e) {
      this.rateError = e;
    }
  }

  async saveLimits(e) {
    e.preventDefault();
    const f = e.target.elements;
    const body = {};
    if (f.plan.value !== this.tenant.plan) body.plan = f.plan.value;
    const limits = {};
    for (const [name] of LIMITS) {
      const text = f[name].value.trim();
      const value = text === '' ? null : Number(text);
      if (value !== this.tenant.limits[name]) limits[name] = Number.isFinite(value) && text !== '' ? value : text;
    }
    if (Object.keys(limits).length) body.limits = limits;
    this.saved = false;
    if (!Object.keys(body).length) {
      this.limitsError = null;
      this.saved = 'Nothing changed.';
      return;
    }
    this.busy = true;
    try {
      this.tenant = { ...this.tenant, ...(await this.api.patch('/tenants/' + enc(this.slug), body)) };
      this.limitsError = null;
      this.saved = 'Saved: every node enforces the new limits within a second.';
    } catch (err) {
      this.limitsError = err;
    } finally {
      this.busy = false;
    }
  }

  async act(action) {
    this.actionError = null;
    this.busy = true;
    try {
      this.tenant = { ...this.tenant, ...(await this.api.post(`/tenants/${enc(this.slug)}:${action}`)) };
    } catch (err) {
      this.actionError = err;
    } finally {
      this.busy = false;
    }
  }

  async confirmDelete() {
    const ok = await confirmDialog({
      title: `Delete the tenant ${this.slug}?`,
      message: 'Its schema and every record in it, its keys and its identity realm or organization are removed for good.',
      action: 'Delete the tenant',
      danger: true,
      typed: this.slug,
    });
    if (!ok) return;
    this.actionError = null;
    try {
      this.tenant = await this.api.del('/tenants/' + enc(this.slug));
      poll(this, 1500, async () => {
        try {
          this.tenant = await this.api.get('/tenants/' + enc(this.slug));
          return this.tenant.status === 'deleted';
        } catch (err) {
          if (err.status === 404) {
            go('/tenants');
            return true;
          }
          throw err;
        }
      });
    } catch (err) {
      this.actionError = err;
    }
  }

  render() {
    if (this.error) return html`<h1>Tenant ${this.slug}</h1>${problem(this.error)}`;
    const t = this.tenant;
    if (!t) return html`<h1>Tenant ${this.slug}</h1><p class="state" role="status">Loading…</p>`;
    const err = this.limitsError;
    const usage = t.usage || {};
    const id = t.identity;
    return html`<h1>${t.name} <span class="muted">(${t.slug})</span></h1>
      ${tenantNav(t.slug, '')}
      <section class="panel" aria-labelledby="status-title">
        <h2 id="status-title">Status</h2>
        <p id="tenant-status">${badge(t.status)} ${t.failure ? html`<span class="field-error">${t.failure}</span>` : nothing}</p>
        <dl class="facts">
          <dt>Plan</dt><dd>${t.plan}</dd><dt>Schema</dt><dd><code>${t.schema}</code> (version ${t.schemaVersion ?? '—'})</dd>
          <dt>Database</dt><dd>${t.database ?? '—'}</dd><dt>Created</dt><dd>${when(t.createdAt)}</dd><dt>Updated</dt><dd>${when(t.updatedAt)}</dd>
        </dl>
        ${problem(this.actionError)}
        <div class="actions">
          ${t.status === 'active' ? html`<button type="button" id="suspend" ?disabled=${this.busy} @click=${() => this.act('suspend')}>Suspend</button>` : nothing}
          ${t.status === 'suspended' ? html`<button type="button" id="resume" ?disabled=${this.busy} @click=${() => this.act('resume')}>Resume</button>` : nothing}
          ${['active', 'suspended', 'failed'].includes(t.status) ? html`<button type="button" id="delete" class="danger" @click=${() => this.confirmDelete()}>Delete…</button>` : nothing}
        </div>
        ${t.status === 'suspended' ? html`<p class="notice">Suspended: its keys get 403 <code>tenant_suspended</code> on <code>/v1</code>.</p>` : nothing}
      </section>
      <section class="panel" aria-labelledby="usage-title">
        <h2 id="usage-title">Usage against quota</h2>
        ${t.usage ? html`${usageBar('usage-rows', 'Rows', usage.rows, t.limits.maxRows, count)}
            ${usageBar('usage-storage', 'Storage', usage.storageBytes, t.limits.maxStorageBytes, bytes)}`
          : html`<p class="muted">Usage is measured for active and suspended tenants.</p>`}
        ${this.rateError ? html`<p class="muted">Request rate unavailable: ${this.rateError.detail} (<code>${this.rateError.code}</code>).</p>`
          : this.rate !== null ? usageBar('usage-requests', 'Requests per second (last minute)', this.rate, t.limits.ratePerSecond, (n) => Number(n).toFixed(1)) : nothing}
        <p><a href="#/tenants/${enc(t.slug)}/usage">Usage over time</a></p>
      </section>
      <form class="panel" id="limits-form" aria-labelledby="limits-title" @submit=${(e) => this.saveLimits(e)} novalidate>
        <h2 id="limits-title">Plan and limits</h2>
        ${err ? problem(err) : nothing}
        ${this.saved ? html`<p class="success" role="status">${this.saved}</p>` : nothing}
        <div class="grid">
          <div class="field"><label for="limit-plan">Plan</label>
            <select id="limit-plan" name="plan">${PLANS.map((p) => html`<option value=${p} ?selected=${p === t.plan}>${p}</option>`)}</select>
            <span class="hint">Another plan replaces every limit with the plan's.</span>${fieldError(err, 'plan', 'plan-error')}</div>
          ${LIMITS.map(([name, label]) => html`<div class="field"><label for="limit-${name}">${label}</label>
            <input id="limit-${name}" name=${name} inputmode="numeric" .value=${String(t.limits[name])}
              aria-invalid=${err && err.fieldError('limits.' + name) ? 'true' : 'false'} aria-describedby="limit-${name}-error">
            ${fieldError(err, 'limits.' + name, `limit-${name}-error`)}</div>`)}
        </div>
        <div class="actions"><button type="submit" id="save-limits" ?disabled=${this.busy}>Save</button></div>
      </form>
      <section class="panel" aria-labelledby="identity-title">
        <h2 id="identity-title">Identity</h2>
        ${id ? html`<dl class="facts" id="identity">
            <dt>Mode</dt><dd>${id.mode}</dd>
            ${id.keycloak ? html`<dt>Keycloak</dt><dd>${id.keycloak}</dd>` : nothing}
            ${id.realm ? html`<dt>Realm</dt><dd><code>${id.realm}</code></dd>` : nothing}
            ${id.organization ? html`<dt>Organization</dt><dd><code>${id.organization}</code></dd>` : nothing}
            ${id.appClientId ? html`<dt>App client</dt><dd><code>${id.appClientId}</code></dd>` : nothing}
            <dt>Issuer</dt><dd><code>${id.issuer ?? '—'}</code></dd><dt>Audience</dt><dd><code>${id.audience ?? '—'}</code></dd>
            ${id.loginUrl ? html`<dt>Login URL</dt><dd><code>${id.loginUrl}</code></dd>` : nothing}
            ${id.discoveryUrl ? html`<dt>Discovery URL</dt><dd><a href=${id.discoveryUrl} rel="noreferrer">${id.discoveryUrl}</a></dd>` : nothing}
          </dl>`
          : html`<p class="muted">No identity: this control plane runs without Keycloak, or the identity step has not run yet.</p>`}
      </section>`;
  }
}
customElements.define('p-tenant', Tenant);
