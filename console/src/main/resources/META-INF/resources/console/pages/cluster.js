// The cluster: each service's nodes and their readiness checks, Hazelcast members, Keycloak
// instances with their realms against the cap, PostgreSQL pools.
import { html, nothing } from 'lit';
import { ConsoleElement, badge, listState, problem, when } from '../lib/ui.js';

class Cluster extends ConsoleElement {
  static properties = { api: { attribute: false }, cluster: { state: true }, error: { state: true } };

  constructor() {
    super();
    this.cluster = null;
    this.error = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
    this.timer = setInterval(() => this.load(), 10000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  async load() {
    try {
      this.cluster = await this.api.get('/cluster');
      this.error = null;
    } catch (e) {
      this.error = e;
    }
  }

  table(label, id, head, rows) {
    const state = listState({ items: rows, empty: `No ${label.toLowerCase()}.` });
    return html`<h2>${label}</h2>${state ?? html`<div class="table-wrap" tabindex="0" role="region" aria-label=${label}><table id=${id}>
      <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`}`;
  }

  render() {
    const c = this.cluster;
    if (!c) return html`<h1>Cluster</h1>${this.error ? problem(this.error) : html`<p class="state" role="status">Loading…</p>`}`;
    return html`<h1>Cluster</h1>
      ${this.error ? problem(this.error) : nothing}
      ${this.table('Nodes', 'cluster-nodes', ['Service', 'Node', 'URL', 'Started', 'Ready', 'Checks'], (c.nodes || []).map((n) => html`<tr>
        <td>${n.service}</td><td><code>${n.node}</code></td><td><code>${n.url}</code></td><td>${when(n.startedAt)}</td><td>${badge(n.ready ? 'ok' : 'down')}</td>
        <td><ul class="plain">${(n.checks || []).map((ch) => html`<li>${badge(ch.ok ? 'ok' : 'down')} ${ch.name}${ch.detail ? html` <span class="muted">${ch.detail}</span>` : nothing}</li>`)}</ul></td></tr>`))}
      ${this.table('Hazelcast members', 'cluster-members', ['UUID', 'Address', 'This node'], ((c.hazelcast && c.hazelcast.members) || []).map((m) => html`<tr>
        <td><code>${m.uuid}</code></td><td><code>${m.address}</code></td><td>${m.local ? 'yes' : ''}</td></tr>`))}
      ${this.table('Keycloak instances', 'cluster-keycloak', ['Name', 'URL', 'Realms', 'Reachable'], (c.keycloak || []).map((k) => html`<tr>
        <td>${k.name}</td><td><code>${k.url}</code></td>
        <td><label for="realms-${k.name}">${k.realms} of ${k.cap}</label> <meter id="realms-${k.name}" min="0" max=${k.cap} high=${k.cap * 0.9} .value=${k.realms}></meter></td>
        <td>${badge(k.reachable ? 'ok' : 'down')}</td></tr>`))}
      ${this.table('PostgreSQL pools', 'cluster-databases', ['Service', 'Node', 'Role', 'In use', 'Size', 'Max', 'Waiting'], (c.databases || []).map((d) => html`<tr>
        <td>${d.service}</td><td><code>${d.node}</code></td><td>${d.role}</td><td>${d.inUse}</td><td>${d.size}</td><td>${d.maxSize}</td><td>${d.waiting}</td></tr>`))}`;
  }
}
customElements.define('p-cluster', Cluster);
