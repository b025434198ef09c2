import { PlinthError } from './errors.js';
import type { RequestOptions, Transport } from './http.js';
import type { Page } from './types.js';

export type Operator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike' | 'in' | 'is';
export type Scalar = string | number | boolean | Date;

/** Query parameter names that are never fields. */
const RESERVED = new Set(['order', 'limit', 'after', 'select', 'count']);

function invalid(detail: string): PlinthError {
  return new PlinthError({ status: 0, code: 'invalid_argument', detail });
}

function formatValue(value: Scalar): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Encodes a query value, leaving the characters the contract's syntax uses readable. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',');
}

/**
 * A query of a collection's records. Each method adds to the query and returns it; `page()` runs
 * it, and the query is an async iterable of every matching record, page after page (keyset
 * pagination, following `next`).
 */
export class Query<R> implements AsyncIterable<R> {
  private readonly filters: [string, string][] = [];
  private readonly orders: string[] = [];
  private fields: string[] | undefined;
  private limitValue: number | undefined;
  private afterValue: string | undefined;
  private countExact = false;

  constructor(
    private readonly transport: Transport | undefined,
    private readonly path: string,
  ) {}

  private filter(field: string, op: Operator, value: string): this {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(field)) throw invalid(`'${field}' is not a field name`);
    if (RESERVED.has(field)) throw invalid(`'${field}' is a query parameter, not a field`);
    this.filters.push([field, `${op}.${value}`]);
    return this;
  }

  eq(field: string, value: Scalar): this {
    return this.filter(field, 'eq', formatValue(value));
  }
  /** As in SQL, records whose field is null do not match. */
  neq(field: string, value: Scalar): this {
    return this.filter(field, 'neq', formatValue(value));
  }
  gt(field: string, value: Scalar): this {
    return this.filter(field, 'gt', formatValue(value));
  }
  gte(field: string, value: Scalar): this {
    return this.filter(field, 'gte', formatValue(value));
  }
  lt(field: string, value: Scalar): this {
    return this.filter(field, 'lt', formatValue(value));
  }
  lte(field: string, value: Scalar): this {
    return this.filter(field, 'lte', formatValue(value));
  }
  /** `*` is the wildcard: `like('title', 'Blue*')`. */
  like(field: string, pattern: string): this {
    return this.filter(field, 'like', pattern);
  }
  /** Case-insensitive `like`. */
  ilike(field: string, pattern: string): this {
    return this.filter(field, 'ilike', pattern);
  }
  /** 1 to 100 values, which cannot hold `,` or `)` (the contract has no quoting). */
  in(field: string, values: readonly Scalar[]): this {
    if (values.length < 1 || values.length > 100) throw invalid(`in() takes 1 to 100 values, not ${values.length}`);
    const formatted = values.map(formatValue);
    const bad = formatted.find((v) => v.includes(',') || v.includes(')'));
    if (bad !== undefined) throw invalid(`in() values cannot contain ',' or ')': '${bad}'`);
    return this.filter(field, 'in', `(${formatted.join(',')})`);
  }
  /** `is.null`, or `is.true` / `is.false` on a boolean field. */
  is(field: string, value: null | boolean): this {
    return this.filter(field, 'is', value === null ? 'null' : String(value));
  }

  /** Adds a sort key; call again for the next one. */
  order(field: string, direction: 'asc' | 'desc' = 'asc'): this {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(field)) throw invalid(`'${field}' is not a field name`);
    this.orders.push(`${field}.${direction}`);
    return this;
  }

  /** Records per page: 1 to 1000 (the server's default is 50). */
  limit(n: number): this {
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalid(`limit must be 1 to 1000, not ${n}`);
    this.limitValue = n;
    return this;
  }

  /** Only these fields (and `id`) in each record. */
  select(...fields: string[]): this {
    const all = fields.flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f.length > 0);
    this.fields = all;
    return this;
  }

  /** Asks for `total`, the number of all matching records. */
  count(mode: 'exact' = 'exact'): this {
    this.countExact = mode === 'exact';
    return this;
  }

  /** Starts after this cursor (a page's `next`). */
  after(cursor: string | null | undefined): this {
    this.afterValue = cursor ?? undefined;
    return this;
  }

  /** The query string this query sends (without `?`). */
  toQueryString(after: string | undefined = this.afterValue): string {
    const parts = this.filters.map(([f, v]) => `${encode(f)}=${encode(v)}`);
    if (this.fields) parts.push(`select=${encode(this.fields.join(','))}`);
    if (this.orders.length > 0) parts.push(`order=${encode(this.orders.join(','))}`);
    if (this.limitValue !== undefined) parts.push(`limit=${this.limitValue}`);
    if (this.countExact) parts.push('count=exact');
    if (after !== undefined) parts.push(`after=${encode(after)}`);
    return parts.join('&');
  }

  /** One page: from `after(…)` when it was given, else the first. */
  page(options: RequestOptions & { after?: string | null } = {}): Promise<Page<R>> {
    if (!this.transport) throw invalid('this query has no client');
    const after = options.after === undefined ? this.afterValue : options.after ?? undefined;
    const { after: _ignored, ...rest } = options;
    return this.transport.json<Page<R>>({ ...rest, method: 'GET', path: this.path, query: this.toQueryString(after) });
  }

  /** Every page in turn, following `next` until it is null. */
  async *pages(options: RequestOptions = {}): AsyncGenerator<Page<R>, void, undefined> {
    let after: string | null | undefined = this.afterValue ?? null;
    do {
      const page: Page<R> = await this.page({ ...options, after });
      yield page;
      after = page.next;
    } while (after !== null && after !== undefined);
  }

  /** Every matching record, page after page. */
  async *records(options: RequestOptions = {}): AsyncGenerator<R, void, undefined> {
    for await (const page of this.pages(options)) {
      yield* page.items;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    return this.records();
  }
}
