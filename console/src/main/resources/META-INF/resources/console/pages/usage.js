// Usage over time, for the platform or one tenant: requests per second, error rate, p99 latency,
// rows and storage over the last hour or day, from the time series the platform keeps itself.
import { html, nothing } from 'lit';
import uPlot from 'uplot';
import { query } from '../lib/api.js';
import { ConsoleElement, bytes, count, problem } from '../lib/ui.js';
import { tenantNav } from './tenant.js';

// Each chart's y axis starts at 0 (every metric is a count, a rate or a duration) and reaches at
// least `floor`, so a series of zeros or nulls still gets a readable axis; an error rate stops at
// 100 %. `incrs`: the tick spacings uPlot may choose (whole rows; bytes in powers of two, so the
// ticks read 64 KiB, 128 KiB rather than 49 KiB, 98 KiB).
const WHOLE = Array.from({ length: 16 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();
const BINARY = Array.from({ length: 51 }, (_, e) => 2 ** e);
const CHARTS = [
  { key: 'requestsPerSecond', title: 'Requests per second', floor: 1, format: (v) => String(+v.toFixed(2)) },
  { key: 'errorRate', title: 'Error rate', floor: 0.01, cap: 1, format: (v) => +(100 * v).toFixed(2) + ' %' },
  { key: 'p99Ms', title: 'p99 latency', floor: 10, format: (v) => Math.round(v) + ' ms' },
  { key: 'rows', title: 'Rows', floor: 10, incrs: WHOLE, format: (v) => count(Math.round(v)) },
  { key: 'storageBytes', title: 'Storage', floor: 1024, incrs: BINARY, format: (v) => bytes(v) },
];


/** The y range of {@code spec} for values up to {@code max}: [0, a little above the top]. */
export function yRange(spec, max) {
  const top = Math.max(spec.floor, Number.isFinite(max) ? max * 1.1 : 0);
  return [0, spec.cap ? Math.min(spec.cap, top) : top];
}

/** The indices of values with no value on either side: a line cannot show them, a dot does. */
export function isolated(values) {
  const missing = (i) => values[i] === null || values[i] === undefined;
  return values.map((v, i) => (missing(i) || !(missing(i - 1) && missing(i + 1)) ? -1 : i)).filter((i) => i >= 0);
}

/** One time series drawn with uPlot, as wide as its box. */
class Chart extends ConsoleElement {
  static properties = { spec: { attribute: false }, points: { attribute: false } };

  disconnectedCallback() {
    super.disconnectedCallback();
    if (this.plot) this.plot.destroy();
    this.plot = null;
    if (this.resize) this.resize.disconnect();
  }

  render() {
    const values = (this.points || []).map((p) => p[this.spec.key]).filter((v) => v !== null && v !== undefined);
    const last = values.length ? this.spec.format(values[values.length - 1]) : 'no data';
    const peak = values.length ? Math.max(...values) : null;
    const peakText = peak === null ? 'no data' : this.spec.format(peak);
    return html`<figure class="chart" data-metric=${this.spec.key} data-peak=${peak ?? ''}>
      <h3>${this.spec.title}</h3>
      <div class="plot" role="img" aria-label="${this.spec.title}: latest ${last}, highest ${peakText}, ${values.length} points"></div>
      <figcaption class="muted">Latest: <strong class="latest">${last}</strong> · highest: <strong class="peak">${peakText}</strong></figcaption>
    </figure>`;
  }

  updated() {
    const box = this.querySelector('.plot');
    const width = Math.max(240, box.clientWidth || 360);
    const points = this.points || [];
    const data = [points.map((p) => Date.parse(p.at) / 1000), points.map((p) => p[this.spec.key] ?? null)];
    if (this.plot) this.plot.destroy();
    this.plot = new uPlot(
      {
        width,
        height: 170,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (u, min, max) => yRange(this.spec, max) } },
        axes: [
          { space: 80 },
          {
            values: (u, ticks) => ticks.map((v) => this.spec.format(v)),
            size: 70,
            ...(this.spec.incrs ? { incrs: this.spec.incrs } : {}),
          },
        ],
        series: [{}, { label: this.spec.title, stroke: '#0b5cad', width: 2, fill: 'rgba(11, 92, 173, 0.12)', spanGaps: false,
          points: { show: true, size: 6, filter: (u, i) => isolated(u.data[i]) } }],
      },
      data,
      box);
    if (!this.resize) {
      this.resize = new ResizeObserver(() => {
        const w = Math.max(240, box.clientWidth);
        if (this.plot && Math.abs(w - this.plot.width) > 8) this.plot.setSize({ width: w, height: 170 });
      });
      this.resize.observe(box);
    }
  }
}
customElements.define('p-chart', Chart);

class Usage extends ConsoleElement {
  static properties = {
    api: { attribute: false },
    tenant: {},
    range: { state: true },
    series: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  constructor() {
    super();
    this.range = '1h';
    this.series = null;
    this.error = null;
    this.loading = false;
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
    this.timer = setInterval(() => this.load(), 30000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  async load() {
    this.loading = true;
    try {
      this.series = await this.api.get('/usage/series' + query({ range: this.range, tenant: this.tenant }));
      this.error = null;
    } catch (e) {
      this.error = e;
      this.series = null;
    } finally {
      this.loading = false;
    }
  }

  choose(range) {
    this.range = range;
    this.load();
  }

  render() {
    const s = this.series;
    return html`<h1>${this.tenant ? `Usage of ${this.tenant}` : 'Platform usage'}</h1>
      ${this.tenant ? tenantNav(this.tenant, '/usage') : nothing}
      <div class="row" role="group" aria-label="Time range">
        ${['1h', '24h'].map((r) => html`<button type="button" class=${r === this.range ? '' : 'secondary'} aria-pressed=${r === this.range ? 'true' : 'false'}
          @click=${() => this.choose(r)}>${r === '1h' ? 'Last hour' : 'Last day'}</button>`)}
        ${this.tenant ? html`<a href="#/usage">Whole platform</a>` : nothing}
      </div>
      ${this.error ? problem(this.error) : nothing}
      ${!s && !this.error ? html`<p class="state" role="status">Loading…</p>` : nothing}
      ${s ? html`<p class="muted">One point per ${s.stepSeconds} s; the platform keeps ${s.retentionHours} hours.</p>
          ${s.points.length === 0 ? html`<p class="state empty">No data yet.</p>` : html`<div class="charts" id="charts">
            ${CHARTS.map((spec) => html`<p-chart .spec=${spec} .points=${s.points}></p-chart>`)}</div>`}`
        : nothing}`;
  }
}
customElements.define('p-usage', Usage);

