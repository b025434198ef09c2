// Pieces every page uses: the light-DOM base element, error, loading and empty states, copy
// buttons, a confirmation dialog, a keyset pager, and formatting.
import { LitElement, html, nothing, render } from 'lit';

/** A console element: renders into the light DOM, so console.css styles it and tests find it. */
export class ConsoleElement extends LitElement {
  createRenderRoot() {
    return this;
  }
}

/** An API error as an operator reads it: what failed, and the code and requestId to report. */
export function problem(error) {
  if (!error) return nothing;
  const fieldErrors = error.errors || [];
  return html`<div class="problem" role="alert" data-code=${error.code || ''}>
    <strong>${error.title || 'Error'}</strong>: ${error.detail || error.message}
    ${error.code === 'version_mismatch' || error.status === 412
      ? html`<p>This record was <strong>changed by someone else</strong> since you opened it.</p>`
      : nothing}
    ${fieldErrors.length
      ? html`<ul>${fieldErrors.map((e) => html`<li><code>${e.field}</code>: ${e.message}</li>`)}</ul>`
      : nothing}
    <dl>
      ${error.status ? html`<dt>status</dt><dd>${error.status}</dd>` : nothing}
      <dt>code</dt><dd><code class="problem-code">${error.code || 'unknown'}</code></dd>
      ${error.requestId ? html`<dt>requestId</dt><dd><code>${error.requestId}</code></dd>` : nothing}
    </dl>
  </div>`;
}

/** A list's state: loading, failed, or empty; null when there are items to show. */
export function listState({ loading, error, items, empty }) {
  if (error) return problem(error);
  if (loading && !items) return html`<p class="state" role="status">Loading…</p>`;
  if (items && items.length === 0) return html`<p class="state empty">${empty || 'Nothing here yet.'}</p>`;
  return null;
}

/** A field's error from the API, under the field, tied to it with aria-describedby. */
export function fieldError(error, field, id) {
  const message = error && error.fieldError ? error.fieldError(field) : null;
  return message ? html`<span class="error" id=${id}>${message}</span>` : nothing;
}

export class CopyButton extends ConsoleElement {
  static properties = { text: {}, label: {}, copied: { state: true } };

  constructor() {
    super();
    this.text = '';
    this.label = 'Copy';
    this.copied = false;
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.text);
    } catch {
      // Without clipboard access the operator selects the text instead.
      const code = this.previousElementSibling;
      if (code) getSelection().selectAllChildren(code);
    }
    this.copied = true;
    setTimeout(() => (this.copied = false), 2000);
  }

  render() {
    return html`<button type="button" class="secondary" @click=${() => this.copy()}>
        ${this.copied ? 'Copied' : this.label}</button>`;
  }
}
customElements.define('p-copy', CopyButton);

/**
 * Asks in a modal dialog; resolves true when confirmed. With {@code typed}, the operator must type
 * that text (e.g. the tenant's slug) before the action is enabled.
 */
export function confirmDialog({ title, message, action = 'Confirm', danger = false, typed = null }) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    document.body.append(dialog);
    let value = '';
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const draw = () =>
      render(
        html`<form method="dialog" @submit=${(e) => { e.preventDefault(); if (!typed || value === typed) close(true); }}>
          <h2 id="confirm-title">${title}</h2>
          <p>${message}</p>
          ${typed
            ? html`<div class="field"><label for="confirm-typed">Type <code>${typed}</code> to confirm</label>
                <input id="confirm-typed" name="confirm-typed" autocomplete="off" spellcheck="false"
                  @input=${(e) => { value = e.target.value; draw(); }}></div>`
            : nothing}
          <div class="actions">
            <button type="submit" class=${danger ? 'danger' : ''} ?disabled=${typed && value !== typed}>${action}</button>
            <button type="button" class="secondary" @click=${() => close(false)}>Cancel</button>
          </div>
        </form>`,
        dialog);
    draw();
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(false); });
    dialog.showModal();
    (dialog.querySelector('input') || dialog.querySelector('button')).focus();
  });
}

/**
 * Keyset pages: the cursors of the pages seen so far, so that "Previous" goes back without offsets.
 */
export class Cursors {
  constructor() {
    this.stack = [];
    this.current = null;
  }

  reset() {
    this.stack = [];
    this.current = null;
  }

  forward(next) {
    this.stack.push(this.current);
    this.current = next;
  }

  back() {
    this.current = this.stack.pop() ?? null;
  }

  get hasPrevious() {
    return this.stack.length > 0;
  }

  get page() {
    return this.stack.length + 1;
  }
}

export function pager(cursors, next, onPrevious, onNext, label = 'Pages') {
  return html`<nav class="pager" aria-label=${label}>
    <button type="button" class="secondary" ?disabled=${!cursors.hasPrevious} @click=${onPrevious}>Previous</button>
    <span>Page ${cursors.page}</span>
    <button type="button" class="secondary" ?disabled=${!next} @click=${onNext}>Next</button>
  </nav>`;
}

export function badge(value) {
  return html`<span class="badge ${value}">${value}</span>`;
}

export function when(iso) {
  if (!iso) return html`<span class="muted">—</span>`;
  const d = new Date(iso);
  return html`<time datetime=${iso} title=${iso}>${d.toLocaleString()}</time>`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Number(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function count(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString();
}

/** Polls {@code probe} every {@code ms} until it answers true or the element is gone. */
export function poll(element, ms, probe) {
  let timer = 0;
  const tick = async () => {
    if (!element.isConnected) return;
    let done = false;
    try {
      done = await probe();
    } catch {
      done = false;
    }
    if (!done && element.isConnected) timer = setTimeout(tick, ms);
  };
  tick();
  return () => clearTimeout(timer);
}

/** Navigates to a console route such as "/tenants/acme". */
export function go(route) {
  location.hash = '#' + route;
}
