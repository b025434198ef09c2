// The admin API, /admin/v1, as the console calls it: every failure becomes an ApiError carrying the
// problem's code, detail, field errors and requestId, so every page can show it the same way.

export const BASE = '/admin/v1';

export class ApiError extends Error {
  constructor(status, problem, requestId) {
    super(problem.detail || problem.title || `the request failed with status ${status}`);
    this.status = status;
    this.code = problem.code || (status ? `http_${status}` : 'network_error');
    this.title = problem.title || (status ? `Error ${status}` : 'No answer');
    this.detail = problem.detail || this.message;
    this.requestId = problem.requestId || requestId || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }

  /** The message of one field's error, e.g. fieldError('limits.maxRows'). */
  fieldError(field) {
    const found = this.errors.find((e) => e.field === field);
    return found ? found.message : null;
  }
}

/** A response that succeeded: its status, ETag, and body (JSON, or null). */
export class Answer {
  constructor(status, headers, body) {
    this.status = status;
    this.etag = headers.get('ETag');
    this.location = headers.get('Location');
    this.body = body;
  }
}

export class Api {
  /** @param auth the credentials ({@link Auth}) */
  constructor(auth) {
    this.auth = auth;
  }

  /** Sends a request to /admin/v1{path}; resolves with an {@link Answer}, rejects with an ApiError. */
  async send(method, path, { body, headers = {} } = {}) {
    const all = { Accept: 'application/json, application/problem+json', ...headers };
    if (this.auth.authorization) all.Authorization = this.auth.authorization;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(BASE + path, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      throw new ApiError(0, { code: 'network_error', title: 'No answer', detail: `the control plane could not be reached (${e.message})` });
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok && response.status !== 304) {
      const problem = json && typeof json === 'object' ? json : { detail: text.slice(0, 300) || response.statusText };
      const error = new ApiError(response.status, problem, response.headers.get('X-Request-Id'));
      if (response.status === 401 && this.auth.signedIn) this.auth.expire();
      throw error;
    }
    return new Answer(response.status, response.headers, json);
  }

  async get(path, options) {
    return (await this.send('GET', path, options)).body;
  }

  async post(path, body, options = {}) {
    return (await this.send('POST', path, { ...options, body })).body;
  }

  async patch(path, body, options = {}) {
    return (await this.send('PATCH', path, { ...options, body })).body;
  }

  async del(path, options) {
    return (await this.send('DELETE', path, options)).body;
  }
}

/** A query string from the non-empty members of {@code params} (arrays repeat the name). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((v) => q.append(name, v));
    else if (value !== undefined && value !== null && value !== '') q.set(name, value);
  }
  const text = q.toString();
  return text ? '?' + text : '';
}

export const enc = encodeURIComponent;
