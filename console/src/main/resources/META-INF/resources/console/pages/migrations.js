// Fleet migrations: start one, follow it with a progress bar (done, failed, pending) that moves
// while it runs, and see the tenants that failed with their errors; the runs so far.
import { html, nothing } from 'lit';
import { enc, query } from '../lib/api.js';
import { ConsoleElement, Cursors, badge, confirmDialog, go, listState, pager, poll, problem, when } from '../lib/ui.js';

// Widths are set through the CSSOM in updated(): a style attribute would break the CSP.
function progress(run) {
  return html`<div class="migration-progress">
    <div class="stack" role="img" aria-label="${run.done} done, ${run.failed} failed, ${run.pending} pending of ${run.total}">
      <span class="done" data-n=${run.done} data-total=${run.total}></span><span class="failed" data-n=${run.failed} data-total=${run.total}></span><span class="pending" data-n=${run.pending} data-total=${run.total}></span>
    </div>
    <p class="legend" id="migration-counts"><span>done <strong class="count-done">${run.done}</strong></span>
      <span>failed <strong class="count-failed">${run.failed}</strong></span>
      <span>pending <strong class="count-pending">${run.pending}</strong></span><span>of ${run.total}</span></p>
  </div>`;
}

class Migrations extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    run: {},
    current: { state: true },
    runError: { state: true },
    items: { state: true },
    next: { state: true },
    listError: { state: true },
    startError: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.current = null;
    this.runError = null;
    this.items = null;
    this.next = null;
    this.listError = null;
    this.startError = null;
    this.busy = false;
    this.cursors = new Cursors();
  }

  connectedCallback() {
    super.connectedCallback();
    this.loadList();
    if (this.run) this.follow();
  }

  willUpdate(changed) {
    if (changed.has('run') && changed.get('run') !== undefined && this.run) this.follow();
  }

  updated() {
    for (const part of this.querySelectorAll('.stack span')) {
      part.style.width = `${(100 * Number(part.dataset.n)) / Math.max(1, Number(part.dataset.total))}%`;
    }
  }

  follow() {
    const id = this.run;
    this.current = null;
    if (this.stop) this.stop();
    this.stop = poll(this, 1000, async () => {
      if (this.run !== id) return true;
      try {
        this.current = await this.api.get('/migrations/' + enc(id));
        this.runError = null;
      } catch (e) {
        this.runError = e;
        return e.status === 404;
      }
      const finished = this.current.status !== 'running';
      if (finished) this.loadList();
      return finished;
    });
  }

  async loadList() {
    try {
      const page = await this.api.get('/migrations' + query({ after: this.cursors.current, limit: 10 }));
      this.items = page.items;
      this.next = page.next;
      this.listError = null;
    } catch (e) {
      this.listError = e;
    }
  }

  async start() {
    const ok = await confirmDialog({
      title: 'Start a fleet migration?',
      message: 'Pending tenant-schema migrations are applied to every active and suspended tenant, a few at a time.',
      action: 'Start',
    });
    if (!ok) return;
    this.busy = true;
    try {
      const started = await this.api.post('/migrations');
      this.startError = null;
      go('/migrations/' + started.id);
    } catch (e) {
      this.startError = e;
    } finally {
      this.busy = false;
    }
  }

  render() {
    const run = this.current;
    const state = listState({ error: this.listError, loading: !this.items, items: this.items, empty: 'No fleet migration has run yet.' });
    return html`<h1>Fleet migrations</h1>
      <div class="panel">
        <p>A fleet migration brings every tenant's schema to the newest version; new tenants always get it.</p>
        ${problem(this.startError)}
        <button type="button" id="start-migration" ?disabled=${this.busy} @click=${() => this.start()}>Start a fleet migration</button>
      </div>
      ${this.run ? html`<section class="panel" aria-labelledby="run-title" id="migration-run">
          <h2 id="run-title">Run <code>${this.run}</code></h2>
          ${problem(this.runError)}
          ${run ? html`<p>Status: <span id="migration-status">${badge(run.status)}</span> · started ${when(run.createdAt)}
              ${run.finishedAt ? html` · finished ${when(run.finishedAt)}` : nothing} · ${run.parallelism} at a time per node</p>
              ${progress(run)}
              ${run.failures && run.failures.length ? html`<h3>Failed tenants</h3><div class="table-wrap" tabindex="0" role="region" aria-label="Failed tenants">
                <table id="migration-failures"><thead><tr><th scope="col">Tenant</th><th scope="col">Error</th></tr></thead>
                <tbody>${run.failures.map((f) => html`<tr><td><a href="#/tenants/${enc(f.tenant)}">${f.tenant}</a></td><td><code>${f.error}</code></td></tr>`)}</tbody></table></div>` : nothing}`
            : this.runError ? nothing : html`<p class="state" role="status">Loading…</p>`}
        </section>` : nothing}
      <h2>Runs</h2>
      ${state ?? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Migration runs"><table id="migration-runs">
        <thead><tr><th scope="col">Started</th><th scope="col">Status</th><th scope="col" class="num">Done</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Total</th></tr></thead>
        <tbody>${this.items.map((r) => html`<tr><td><a href="#/migrations/${enc(r.id)}">${when(r.createdAt)}</a></td><td>${badge(r.status)}</td>
          <td class="num">${r.done}</td><td class="num">${r.failed}</td><td class="num">${r.pending}</td><td class="num">${r.total}</td></tr>`)}</tbody></table></div>`}
      ${this.items && this.items.length ? pager(this.cursors, this.next, () => { this.cursors.back(); this.loadList(); }, () => { this.cursors.forward(this.next); this.loadList(); }, 'Run pages') : nothing}`;
  }
}
customElements.define('p-migrations', Migrations);
