import { PlinthError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  maxRetries?: number;
  /** The first backoff step in milliseconds (default 200); doubles on every retry. */
  baseDelayMs?: number;
  /** The longest wait between attempts, in milliseconds (default 10 000). A longer `Retry-After` is not waited for. */
  maxDelayMs?: number;
}

/** Options every call takes. */
export interface RequestOptions {
  /** Milliseconds for each attempt before it is aborted (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** Cancels the call, including waits between retries. */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export interface HttpRequest extends RequestOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: string;
  body?: unknown;
  /** Statuses other than 2xx that are answers, not errors (304). */
  accept?: number[];
  /** A long-lived response (a change stream): the timeout covers only the wait for its headers. */
  stream?: boolean;
  /** Sent with the key only, without the end user's token (`/v1/identity`, read while signing in). */
  withoutSession?: boolean;
}

export interface TransportConfig {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  headers: (req: HttpRequest) => Promise<Record<string, string>>;
  /** For tests: how to wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Whether a request may be sent again: idempotent methods, and a POST that carries an Idempotency-Key. */
export function isRetryable(method: string, headers: Record<string, string>): boolean {
  if (IDEMPOTENT.has(method)) return true;
  if (method === 'POST') {
    return Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key');
  }
  return false;
}

/**
 * The wait before retry number `attempt` (0-based): the server's `Retry-After` when it sent one
 * (plus up to one base step of jitter, so clients told the same time do not return together), else
 * full-jitter exponential backoff, `random(0, min(max, base * 2^attempt))`.
 */
export function backoffDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  retry: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) {
    return retryAfterMs + Math.floor(random() * retry.baseDelayMs);
  }
  const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortedError(signal: AbortSignal | undefined): PlinthError {
  return new PlinthError({ status: 0, code: 'aborted', detail: 'the call was aborted', cause: signal?.reason });
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as unknown as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** The response header that carries the consistency token, and the request header that sends it back. */
export const CONSISTENCY_TOKEN = 'plinth-consistency-token';

export class Transport {
  /** The latest `Plinth-Consistency-Token` any response carried; sent with every later request. */
  consistencyToken: string | undefined;

  constructor(private readonly config: TransportConfig) {}

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  async request(req: HttpRequest): Promise<Response> {
    const { retry } = this.config;
    const sleep = this.config.sleep ?? defaultSleep;
    const random = this.config.random ?? Math.random;
    const timeoutMs = req.timeoutMs ?? this.config.timeoutMs;
    const url = this.config.baseUrl + req.path + (req.query ? `?${req.query}` : '');
    const extra = req.headers ?? {};
    const mayRetry = isRetryable(req.method, extra);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        accept: 'application/json, application/problem+json',
        ...(await this.config.headers(req)),
        ...extra,
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (this.consistencyToken !== undefined) headers[CONSISTENCY_TOKEN] = this.consistencyToken;
      // A stream's timeout ends with its headers; any other call's covers reading the body too
      // (AbortSignal.timeout does not keep Node running).
      const streamTimeout = req.stream ? new AbortController() : undefined;
      const timer = streamTimeout ? setTimeout(() => streamTimeout.abort(), timeoutMs) : undefined;
      const timeout = streamTimeout ? streamTimeout.signal : AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? anySignal([req.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await this.config.fetch(url, { method: req.method, headers, body, signal });
        clearTimeout(timer);
      } catch (e) {
        clearTimeout(timer);
        if (req.signal?.aborted) throw abortedError(req.signal);
        if (timeout.aborted) {
          throw new PlinthError({
            status: 0,
            code: 'timeout',
            detail: `${req.method} ${req.path} took longer than ${timeoutMs} ms`,
            cause: e,
          });
        }
        throw new PlinthError({
          status: 0,
          code: 'network_error',
          detail: `${req.method} ${req.path}: ${e instanceof Error ? e.message : String(e)}`,
          cause: e,
        });
      }
      const token = response.headers.get(CONSISTENCY_TOKEN);
      if (token !== null && token.length > 0) this.consistencyToken = token;
      if (response.ok || req.accept?.includes(response.status)) return response;

      const error = await PlinthError.fromResponse(response);
      if (mayRetry && error.isRetryable && attempt < retry.maxRetries) {
        if (error.retryAfterMs === undefined || error.retryAfterMs <= retry.maxDelayMs) {
          await sleep(backoffDelay(attempt, error.retryAfterMs, retry, random), req.signal);
          continue;
        }
      }
      throw error;
    }
  }

  async json<T>(req: HttpRequest): Promise<T> {
    const response = await this.request(req);
    return (await readJson(response)) as T;
  }
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text.length === 0 ? undefined : JSON.parse(text);
}
