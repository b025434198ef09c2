import { PlinthError } from './errors.js';
import { Auth } from './auth.js';
import { readJson, Transport, type HttpRequest, type RequestOptions, type RetryOptions, type TransportConfig } from './http.js';
import { Query } from './query.js';
import { subscribe, type Change, type SubscribeOptions, type Subscription } from './realtime.js';
import type {
  Collection,
  CollectionInput,
  CollectionPatch,
  PlinthRecord,
  RecordResult,
} from './types.js';

export interface ClientOptions {
  /** Milliseconds for each attempt of every call (default 30 000). */
  timeoutMs?: number;
  /** Retries on 429 and 503 (idempotent calls, and inserts with an Idempotency-Key); `false` for none. */
  retry?: RetryOptions | false;
  /** A `plinth_sk_` secret key bypasses every rule: refused in a browser unless this is true. */
  allowSecretKeyInBrowser?: boolean;
  /** An end user's access token, or a function giving the current one (for refresh). */
  accessToken?: string | (() => string | null | undefined | Promise<string | null | undefined>);
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** End-user sessions: refresh this long before the access token expires (default 30 000 ms), and whether a timer does it (default true). */
  auth?: { refreshMarginMs?: number; autoRefresh?: boolean };
  /** @internal for tests */
  sleep?: TransportConfig['sleep'];
  /** @internal for tests */
  random?: TransportConfig['random'];
}

export interface InsertOptions extends RequestOptions {
  /** Lets a failed insert be retried on 429/503 without inserting twice (sent as `Idempotency-Key`). */
  idempotencyKey?: string;
}

export interface GetOptions<R> extends RequestOptions {
  /** An ETag, or a previous result: a 304 then answers with that result's record, `notModified` true. */
  ifNoneMatch?: string | RecordResult<R>;
}

export interface UpdateOptions<R> extends RequestOptions {
  /** An ETag, or a previous result: the update is made only on that version, else a PlinthError with `isConflict` (412). */
  ifMatch?: string | RecordResult<R>;
}

function segment(name: string): string {
  return encodeURIComponent(name);
}

function isBrowser(): boolean {
  return typeof (globalThis as { window?: unknown }).window !== 'undefined';
}

/** Collection definitions (`/v1/collections`); changing them takes a secret key. */
export class Collections {
  constructor(private readonly transport: Transport) {}

  async list(options: RequestOptions = {}): Promise<Collection[]> {
    const list = await this.transport.json<{ items: Collection[] }>({ ...options, method: 'GET', path: '/v1/collections' });
    return list.items;
  }

  get(name: string, options: RequestOptions = {}): Promise<Collection> {
    return this.transport.json({ ...options, method: 'GET', path: `/v1/collections/${segment(name)}` });
  }

  create(input: CollectionInput, options: RequestOptions = {}): Promise<Collection> {
    return this.transport.json({ ...options, method: 'POST', path: '/v1/collections', body: input });
  }

  /** Adds fields or indexes, changes rules. */
  patch(name: string, patch: CollectionPatch, options: RequestOptions = {}): Promise<Collection> {
    return this.transport.json({ ...options, method: 'PATCH', path: `/v1/collections/${segment(name)}`, body: patch });
  }

  async drop(name: string, options: RequestOptions = {}): Promise<void> {
    await this.transport.request({ ...options, method: 'DELETE', path: `/v1/collections/${segment(name)}` });
  }
}

/** One collection's records. `T` is the shape of its own fields. */
export class CollectionRef<T extends object = Record<string, unknown>> {
  readonly path: string;

  constructor(
    private readonly transport: Transport,
    readonly name: string,
  ) {
    this.path = `/v1/collections/${segment(name)}/records`;
  }

  /** A query of the records; add filters, order, limit, then `page()` or `for await`. */
  query(): Query<PlinthRecord<T>> {
    return new Query(this.transport, this.path);
  }

  /** A query with only these fields. */
  select(...fields: string[]): Query<Partial<PlinthRecord<T>> & { id: string }> {
    return new Query<Partial<PlinthRecord<T>> & { id: string }>(this.transport, this.path).select(...fields);
  }

  /** Inserts one record (201). */
  insert(record: Partial<T>, options?: InsertOptions): Promise<PlinthRecord<T>>;
  /** Inserts 1 to 1000 records, all or none (201, in order). */
  insert(records: Partial<T>[], options?: InsertOptions): Promise<PlinthRecord<T>[]>;
  insert(body: Partial<T> | Partial<T>[], options: InsertOptions = {}): Promise<PlinthRecord<T> | PlinthRecord<T>[]> {
    if (Array.isArray(body) && (body.length < 1 || body.length > 1000)) {
      throw new PlinthError({ status: 0, code: 'invalid_argument', detail: `a batch holds 1 to 1000 records, not ${body.length}` });
    }
    const { idempotencyKey, ...rest } = options;
    const headers = { ...rest.headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) };
    return this.transport.json({ ...rest, headers, method: 'POST', path: this.path, body });
  }

  /** Inserts a batch of 1 to 1000 records, all or none. */
  insertMany(records: Partial<T>[], options: InsertOptions = {}): Promise<PlinthRecord<T>[]> {
    return this.insert(records, options);
  }

  /** One record with its ETag; with `ifNoneMatch`, a 304 is `notModified` rather than an error. */
  async get(id: string, options: GetOptions<PlinthRecord<T>> = {}): Promise<RecordResult<PlinthRecord<T>>> {
    const { ifNoneMatch, ...rest } = options;
    const previous = typeof ifNoneMatch === 'object' ? ifNoneMatch : undefined;
    const etag = typeof ifNoneMatch === 'string' ? ifNoneMatch : ifNoneMatch?.etag;
    const headers = { ...rest.headers, ...(etag ? { 'if-none-match': etag } : {}) };
    const response = await this.transport.request({
      ...rest,
      headers,
      method: 'GET',
      path: `${this.path}/${segment(id)}`,
      accept: [304],
    });
    if (response.status === 304) {
      await response.body?.cancel();
      return { record: previous?.record, etag: response.headers.get('etag') ?? etag, notModified: true };
    }
    return {
      record: (await readJson(response)) as PlinthRecord<T>,
      etag: response.headers.get('etag') ?? undefined,
      notModified: false,
    };
  }

  /** Merges these fields into the record; `ifMatch` makes a stale version a 412 (`isConflict`). */
  async update(id: string, patch: Partial<T>, options: UpdateOptions<PlinthRecord<T>> = {}): Promise<RecordResult<PlinthRecord<T>>> {
    const { ifMatch, ...rest } = options;
    const etag = typeof ifMatch === 'string' ? ifMatch : ifMatch?.etag;
    if (ifMatch !== undefined && etag === undefined) {
      throw new PlinthError({ status: 0, code: 'invalid_argument', detail: 'ifMatch was given a result without an ETag' });
    }
    const headers = { ...rest.headers, ...(etag ? { 'if-match': etag } : {}) };
    const response = await this.transport.request({
      ...rest,
      headers,
      method: 'PATCH',
      path: `${this.path}/${segment(id)}`,
      body: patch,
    });
    return {
      record: (await readJson(response)) as PlinthRecord<T>,
      etag: response.headers.get('etag') ?? undefined,
      notModified: false,
    };
  }

  async delete(id: string, options: RequestOptions = {}): Promise<void> {
    const response = await this.transport.request({ ...options, method: 'DELETE', path: `${this.path}/${segment(id)}` });
    await response.body?.cancel();
  }

  /**
   * Streams the collection's changes (`/changes`, server-sent events read over fetch) to
   * `onChange`, in order, each once: after a dropped or silent connection it reconnects with
   * backoff and resumes with `Last-Event-ID`. Without `lastEventId` it starts now, with no history.
   */
  subscribe(onChange: (change: Change<PlinthRecord<T>>) => void | Promise<void>, options: SubscribeOptions = {}): Subscription {
    return subscribe(this.transport, `/v1/collections/${segment(this.name)}/changes`, onChange, options);
  }
}

/**
 * A client. `S` maps collection names to their fields (the `Collections` type `plinth-gen-types`
 * writes), so `from('notes')` is typed; without it, `from<Note>('notes')` types one collection.
 */
export class PlinthClient<S extends object = {}> {
  readonly url: string;
  readonly collections: Collections;
  /** End-user sign-in at the tenant's identity provider. */
  readonly auth: Auth;
  private readonly transport: Transport;
  private session: ClientOptions['accessToken'];

  constructor(url: string, private readonly key: string, options: ClientOptions = {}) {
    if (typeof key !== 'string' || key.length === 0) {
      throw new PlinthError({ status: 0, code: 'invalid_argument', detail: 'a key is required (plinth_pk_… or plinth_sk_…)' });
    }
    if (key.startsWith('plinth_sk_') && isBrowser() && options.allowSecretKeyInBrowser !== true) {
      throw new PlinthError({
        status: 0,
        code: 'secret_key_in_browser',
        detail:
          'a secret key (plinth_sk_…) bypasses every rule and must not ship to browsers: use a publishable key (plinth_pk_…), or pass allowSecretKeyInBrowser: true if this is not a public page',
      });
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') {
      throw new PlinthError({ status: 0, code: 'invalid_argument', detail: 'no fetch: pass options.fetch' });
    }
    this.url = url.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.session = options.accessToken;
    const retry = options.retry === false ? { maxRetries: 0 } : options.retry ?? {};
    this.transport = new Transport({
      baseUrl: this.url,
      fetch: (input, init) => fetchImpl(input, init),
      timeoutMs: options.timeoutMs ?? 30_000,
      retry: { maxRetries: retry.maxRetries ?? 3, baseDelayMs: retry.baseDelayMs ?? 200, maxDelayMs: retry.maxDelayMs ?? 10_000 },
      headers: (req) => this.headers(options.headers ?? {}, req),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    this.collections = new Collections(this.transport);
    this.auth = new Auth({ transport: this.transport, fetch: (input, init) => fetchImpl(input, init), timeoutMs: options.timeoutMs ?? 30_000, ...options.auth });
    // A signed-in user's token goes with every call (refreshed first when it is about to expire).
    this.auth.onChange((_event, session) => this.setSession(session ? () => this.auth.accessToken() : null));
  }

  /** The latest `Plinth-Consistency-Token` the server sent (sent back with every call). */
  get consistencyToken(): string | undefined {
    return this.transport.consistencyToken;
  }

  /** Sends this end user's token with every call from now on (null signs the client out). */
  setSession(accessToken: ClientOptions['accessToken'] | null): void {
    this.session = accessToken ?? undefined;
  }

  /** One collection's records, typed by the client's collections map. */
  from<K extends keyof S & string>(collection: K): CollectionRef<S[K] extends object ? S[K] : Record<string, unknown>>;
  /** One collection's records; `T` is the shape of its own fields. */
  from<T extends object = Record<string, unknown>>(collection: string): CollectionRef<T>;
  from(collection: string): CollectionRef<object> {
    return new CollectionRef(this.transport, collection);
  }

  private async headers(extra: Record<string, string>, req: HttpRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...extra, apikey: this.key };
    if (req.withoutSession) return headers;
    const token = typeof this.session === 'function' ? await this.session() : this.session;
    if (token) headers['authorization'] = `Bearer ${token}`;
    return headers;
  }
}

/**
 * A client of a Plinth data plane: its URL (with or without `/v1`) and a key;
 * `createClient<Collections>(…)` with the generated `Collections` types every `from(name)`.
 */
export function createClient<S extends object = {}>(url: string, key: string, options: ClientOptions = {}): PlinthClient<S> {
  return new PlinthClient<S>(url, key, options);
}
