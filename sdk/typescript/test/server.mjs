// A real local HTTP server for the tests: each test queues handlers and reads what arrived.
import { createServer } from 'node:http';

export async function startServer() {
  const requests = [];
  const log = [];
  const handlers = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://localhost');
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const seen = { method: req.method, path: url.pathname, rawQuery: url.search.slice(1), query: url.searchParams, headers: req.headers, rawBody: body, body: body.length && !form ? JSON.parse(body) : undefined, at: Date.now() };
      requests.push(seen);
      // The contract check covers the data plane's paths; the realm's OpenID endpoints are not in it.
      if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') log.push(seen);
      const handler = handlers.length > 1 ? handlers.shift() : handlers[0];
      if (!handler) {
        res.writeHead(500).end();
        return;
      }
      handler(seen, res);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Every request of the server's life, for the contract check. */
    log,
    /** Answers the next requests with these handlers in turn (the last one stays). */
    reply(...hs) {
      handlers.length = 0;
      requests.length = 0;
      handlers.push(...hs);
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

export function json(status, body, headers = {}) {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
}

export function problem(status, code, detail, extra = {}, headers = {}) {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/problem+json', 'x-request-id': 'req-header', ...headers });
    res.end(JSON.stringify({ type: `/problems/${code.replaceAll('_', '-')}`, title: 'T', status, detail, code, requestId: 'req-1', ...extra }));
  };
}
