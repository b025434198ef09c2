/** A field error of a 400 problem: where (`fields[2].type`, `[3].price`, a query parameter) and what. */
export interface FieldError {
  field: string;
  message: string;
}

export interface PlinthErrorInit {
  status: number;
  code: string;
  detail: string;
  requestId?: string | undefined;
  errors?: FieldError[] | undefined;
  type?: string | undefined;
  title?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/**
 * The one error the SDK throws. From the server it is the RFC 9457 problem the contract describes
 * (`status`, `code`, `detail`, `requestId`, `errors`); branch on `code`, which is stable. Errors
 * raised before a response arrives have `status` 0 and a code of their own: `timeout`, `aborted`,
 * `network_error`, `secret_key_in_browser`, `invalid_argument`.
 */
export class PlinthError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: FieldError[];
  readonly type: string | undefined;
  readonly title: string | undefined;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: PlinthErrorInit) {
    super(
      init.status > 0 ? `${init.status} ${init.code}: ${init.detail}` : `${init.code}: ${init.detail}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'PlinthError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.type = init.type;
    this.title = init.title;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** 412: the record is no longer at the version given in `If-Match` (code `version_mismatch`). */
  get isVersionConflict(): boolean {
    return this.status === 412;
  }

  /** A conflict: 412 (a stale `If-Match`) or 409 (a taken name, a unique value). */
  get isConflict(): boolean {
    return this.status === 412 || this.status === 409;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isValidation(): boolean {
    return this.status === 400 || this.status === 422;
  }

  /** 429 or 503: the server asked to come back later (after `retryAfterMs` when it said). */
  get isRetryable(): boolean {
    return this.status === 429 || this.status === 503;
  }

  /** Reads a problem+json (or any) error response into a PlinthError. */
  static async fromResponse(response: Response): Promise<PlinthError> {
    const requestIdHeader = response.headers.get('x-request-id') ?? undefined;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    let text = '';
    try {
      text = await response.text();
    } catch {
      // a body that cannot be read is reported as an empty one
    }
    let problem: Record<string, unknown> | undefined;
    if (text.length > 0) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          problem = parsed as Record<string, unknown>;
        }
      } catch {
        // not JSON: a proxy's page, say
      }
    }
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const errors = Array.isArray(problem?.['errors'])
      ? (problem['errors'] as unknown[])
          .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
          .map((e) => ({ field: String(e['field'] ?? ''), message: String(e['message'] ?? '') }))
      : [];
    return new PlinthError({
      status: response.status,
      code: str(problem?.['code']) ?? `http_${response.status}`,
      detail:
        str(problem?.['detail']) ??
        (problem === undefined && text.length > 0 ? text.slice(0, 200) : response.statusText || `HTTP ${response.status}`),
      requestId: str(problem?.['requestId']) ?? requestIdHeader,
      errors,
      type: str(problem?.['type']),
      title: str(problem?.['title']),
      retryAfterMs,
    });
  }
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds; undefined when absent or bad. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
