import { PlinthError } from './errors.js';
import { backoffDelay, type Transport } from './http.js';
import { SseParser } from './sse.js';
import type { PlinthRecord } from './types.js';

export type ChangeType = 'insert' | 'update' | 'delete';

/** One change of a collection, as the change stream sends it, with the event's name and id. */
export interface Change<R = PlinthRecord> {
  /** The event name: `insert`, `update` or `delete`. */
  type: ChangeType;
  /** The same, as the server names it in the event's data. */
  op: ChangeType;
  collection: string;
  /** The record's id. */
  id: string;
  /** The record's version after the change; null for a delete. */
  version: number | null;
  /** The record after the change; null for a delete. */
  record: R | null;
  /** The event's id: pass it as `lastEventId` to resume after this change. */
  eventId: string;
}

export interface SubscribeOptions {
  /** Resume right after this event (a `Change.eventId` or `Subscription.lastEventId` kept from before). */
  lastEventId?: string;
  /**
   * Called once when the subscription ends because of an error it cannot get past: 401, 403, 404,
   * 410 (`change_history_expired`: read the collection again and subscribe without `lastEventId`),
   * 400, or a listener that threw. Dropped connections and 5xx answers are not errors: the
   * subscription reconnects.
   */
  onError?: (error: PlinthError) => void;
  /** Aborting it closes the subscription, as `close()` does. */
  signal?: AbortSignal;
  /** Called every time a connection is open and streaming (after the server's first bytes). */
  onOpen?: () => void;
  /** Reconnects when the connection is silent this long (default 35 000 ms: over twice the 15 s heartbeat). */
  idleTimeoutMs?: number;
  /** Backoff between reconnections: the first step (default: the server's `retry`, 2000 ms) and the cap (30 000 ms). */
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number };
}

/** A live subscription: `close()` ends it; `lastEventId` is the id of the last change delivered. */
export interface Subscription {
  close(): void;
  readonly lastEventId: string | undefined;
  readonly closed: boolean;
  /** Resolves once the subscription has ended (closed, or after `onError`). */
  readonly done: Promise<void>;
}

/** Statuses after which reconnecting cannot help. */
const FATAL = new Set([400, 401, 403, 404, 410]);

function isFatal(e: unknown): e is PlinthError {
  return e instanceof PlinthError && (FATAL.has(e.status) || e.code === 'listener_error' || e.code === 'invalid_event');
}

/** How many delivered event ids are remembered to drop a repeat (the server sends none; this is a guard). */
const REMEMBERED = 1024;

class ChangeSubscription<R> implements Subscription {
  private readonly controller = new AbortController();
  private connection: AbortController | undefined;
  private last: string | undefined;
  private readonly recent = new Set<string>();
  readonly done: Promise<void>;

  constructor(
    private readonly transport: Transport,
    private readonly path: string,
    private readonly onChange: (change: Change<R>) => void | Promise<void>,
    private readonly options: SubscribeOptions,
  ) {
    this.last = options.lastEventId || undefined;
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) this.controller.abort();
      else signal.addEventListener('abort', () => this.close(), { once: true });
    }
    this.done = this.run();
  }

  get lastEventId(): string | undefined {
    return this.last;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  close(): void {
    if (this.closed) return;
    this.controller.abort();
    this.connection?.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let retryMs: number | undefined;
    while (!this.closed) {
      let delivered = false;
      try {
        const outcome = await this.connect();
        delivered = outcome.delivered;
        retryMs = outcome.retryMs ?? retryMs;
      } catch (e) {
        if (this.closed) break;
        const error =
          e instanceof PlinthError
            ? e
            : new PlinthError({ status: 0, code: 'network_error', detail: `change stream ${this.path}: ${describe(e)}`, cause: e });
        if (isFatal(error)) {
          this.controller.abort();
          this.options.onError?.(error);
          break;
        }
        delivered = (e as { delivered?: boolean }).delivered === true;
      }
      if (this.closed) break;
      failures = delivered ? 0 : failures + 1;
      const retry = {
        maxRetries: Number.MAX_SAFE_INTEGER,
        baseDelayMs: this.options.reconnect?.baseDelayMs ?? retryMs ?? 2000,
        maxDelayMs: this.options.reconnect?.maxDelayMs ?? 30_000,
      };
      // Full jitter from the first step on: clients dropped together do not return together.
      await sleep(backoffDelay(failures, undefined, retry), this.controller.signal);
    }
  }

  /** One connection, until it ends; throws on an answer that is not a stream. */
  private async connect(): Promise<{ delivered: boolean; retryMs: number | undefined }> {
    const connection = new AbortController();
    this.connection = connection;
    const onClose = (): void => connection.abort();
    this.controller.signal.addEventListener('abort', onClose, { once: true });
    const idleMs = this.options.idleTimeoutMs ?? 35_000;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(), idleMs);
    };
    let delivered = false;
    const parser = new SseParser(this.last ?? '');
    try {
      touch();
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (this.last !== undefined) headers['last-event-id'] = this.last;
      const response = await this.transport.request({
        method: 'GET',
        path: this.path,
        headers,
        signal: connection.signal,
        stream: true,
        timeoutMs: idleMs,
      });
      if (!response.body) throw new PlinthError({ status: response.status, code: 'no_stream', detail: 'the change stream has no body' });
      const reader = response.body.getReader();
      const decoder = new TextDecoder('utf-8');
      let opened = false;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          touch();
          if (!opened) {
            opened = true;
            this.options.onOpen?.();
          }
          for (const event of parser.push(decoder.decode(value, { stream: true }))) {
            if (this.closed) break;
            if (await this.deliver(event.id, event.event, event.data)) delivered = true;
          }
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
      return { delivered, retryMs: parser.retryMs };
    } catch (e) {
      if (isFatal(e)) throw e;
      // A dropped or silent connection: reconnect, resetting the backoff if it carried changes.
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { delivered });
    } finally {
      clearTimeout(idle);
      this.controller.signal.removeEventListener('abort', onClose);
    }
  }

  /** Hands one event to the listener, unless it is a repeat; true when it was delivered. */
  private async deliver(id: string, event: string, data: string): Promise<boolean> {
    if (id.length > 0 && this.recent.has(id)) return false;
    let parsed: Omit<Change<R>, 'type' | 'eventId'>;
    try {
      parsed = JSON.parse(data) as Omit<Change<R>, 'type' | 'eventId'>;
    } catch (e) {
      throw new PlinthError({ status: 0, code: 'invalid_event', detail: `event ${id} of ${this.path} is not JSON`, cause: e });
    }
    const change = { ...parsed, type: (event === 'message' ? parsed.op : event) as ChangeType, eventId: id } as Change<R>;
    try {
      await this.onChange(change);
    } catch (e) {
      throw new PlinthError({ status: 0, code: 'listener_error', detail: `the change listener threw: ${describe(e)}`, cause: e });
    }
    if (id.length > 0) {
      this.last = id;
      this.recent.add(id);
      if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.values().next().value as string);
    }
    return true;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Subscribes to a collection's change stream (see `CollectionRef.subscribe`). */
export function subscribe<R>(
  transport: Transport,
  path: string,
  onChange: (change: Change<R>) => void | Promise<void>,
  options: SubscribeOptions = {},
): Subscription {
  return new ChangeSubscription<R>(transport, path, onChange, options);
}
