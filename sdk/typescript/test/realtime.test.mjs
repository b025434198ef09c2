import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createClient, PlinthError } from '../dist/index.js';

const PK = 'plinth_pk_0123456789abcdefghijklmnopqrstuvwxyz';

// A change stream as the data plane writes it (ChangeStream.java), from a growing list of changes.
// Each connection resumes after Last-Event-ID; `cutAfter` events into a connection the server
// destroys the socket; `silent` connections send their first bytes, then nothing.
const changes = [];
const connections = [];
let behaviour = {};
let server;
let url;

function event(i) {
  const id = `1000-${i}`;
  const data = { op: 'insert', collection: 'notes', id: `r${i}`, version: 1, record: { id: `r${i}`, n: i } };
  return { id, text: `id: ${id}\nevent: insert\ndata: ${JSON.stringify(data)}\n\n` };
}

before(async () => {
  server = createServer((req, res) => {
    const last = req.headers['last-event-id'];
    connections.push({ lastEventId: last, apikey: req.headers.apikey, path: req.url, at: Date.now() });
    if (behaviour.status) {
      res.writeHead(behaviour.status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ status: behaviour.status, code: behaviour.code, detail: 'no', requestId: 'q' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    res.write('retry: 20\n: connected\n\n');
    if (behaviour.silent?.(connections.length)) return;
    let next = last === undefined ? changes.length : changes.findIndex((c) => c.id === last) + 1;
    let sent = 0;
    const pump = () => {
      while (next < changes.length) {
        const e = changes[next++];
        // half an event, then the cut: the client must not deliver it
        if (behaviour.cutAfter !== undefined && sent === behaviour.cutAfter) {
          res.write(e.text.slice(0, 20));
          setTimeout(() => res.socket?.destroy(), 5);
          return;
        }
        res.write(e.text);
        sent++;
      }
    };
    pump();
    const timer = setInterval(pump, 5);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${server.address().port}`;
});
after(() => { server.closeAllConnections(); server.close(); });

function reset(b = {}) {
  changes.length = 0;
  connections.length = 0;
  behaviour = b;
}

const until = async (condition, ms = 5000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('realtime: a connection cut every 3 events resumes with Last-Event-ID, nothing lost or repeated', async () => {
  reset({ cutAfter: 3 });
  const seen = [];
  let opened = 0;
  const sub = createClient(url, PK).from('notes').subscribe((c) => { seen.push(c); }, { onOpen: () => opened++, reconnect: { baseDelayMs: 10, maxDelayMs: 50 } });
  await until(() => opened === 1);
  for (let i = 0; i < 20; i++) changes.push(event(i));
  await until(() => seen.length === 20);
  await new Promise((r) => setTimeout(r, 100));
  sub.close();
  await sub.done;
  assert.deepEqual(seen.map((c) => c.id), changes.map((_, i) => `r${i}`));
  assert.deepEqual(seen[0], { op: 'insert', type: 'insert', collection: 'notes', id: 'r0', version: 1, record: { id: 'r0', n: 0 }, eventId: '1000-0' });
  assert.ok(connections.length >= 7, `${connections.length} connections`);
  assert.equal(connections[0].lastEventId, undefined);
  assert.equal(connections[0].path, '/v1/collections/notes/changes');
  assert.equal(connections[0].apikey, PK);
  assert.equal(connections[1].lastEventId, '1000-2');
  assert.equal(connections[2].lastEventId, '1000-5');
  assert.equal(sub.lastEventId, '1000-19');
});

test('realtime: lastEventId resumes a subscription kept from before', async () => {
  reset();
  for (let i = 0; i < 5; i++) changes.push(event(i));
  const seen = [];
  const sub = createClient(url, PK).from('notes').subscribe((c) => { seen.push(c.eventId); }, { lastEventId: '1000-2' });
  await until(() => seen.length === 2);
  sub.close();
  assert.deepEqual(seen, ['1000-3', '1000-4']);
  assert.equal(connections[0].lastEventId, '1000-2');
});

test('realtime: a silent connection (no heartbeat) is dropped and the subscription reconnects', async () => {
  reset({ silent: (n) => n === 1 });
  const seen = [];
  const sub = createClient(url, PK).from('notes').subscribe((c) => { seen.push(c.id); }, { idleTimeoutMs: 200, reconnect: { baseDelayMs: 10 } });
  await until(() => connections.length === 1);
  changes.push(event(0)); // lost on the silent connection: the second one starts after it
  await until(() => connections.length === 2, 2000);
  assert.ok(connections[1].at - connections[0].at >= 190, 'reconnected only after the idle timeout');
  changes.push(event(1));
  await until(() => seen.length === 1);
  sub.close();
  assert.deepEqual(seen, ['r1']);
});

for (const [status, code] of [[410, 'change_history_expired'], [401, 'unauthorized'], [403, 'forbidden'], [404, 'collection_not_found']]) {
  test(`realtime: ${status} ends the subscription through onError with a PlinthError`, async () => {
    reset({ status, code });
    let error;
    const sub = createClient(url, PK).from('notes').subscribe(() => {}, { onError: (e) => { error = e; } });
    await sub.done;
    assert.ok(error instanceof PlinthError);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.ok(sub.closed);
    assert.equal(connections.length, 1, 'not retried');
  });
}

test('realtime: a 503 is retried, not an error', async () => {
  reset({ status: 503, code: 'tenant_busy' });
  let error;
  const sub = createClient(url, PK, { retry: false }).from('notes').subscribe(() => {}, { onError: (e) => { error = e; }, reconnect: { baseDelayMs: 10 } });
  await until(() => connections.length >= 3);
  sub.close();
  await sub.done;
  assert.equal(error, undefined);
});

test('realtime: close() and an aborted signal stop at once, also during a backoff', async () => {
  reset();
  const sub = createClient(url, PK).from('notes').subscribe(() => {});
  await until(() => connections.length === 1);
  const started = Date.now();
  sub.close();
  await sub.done;
  assert.ok(Date.now() - started < 100);

  reset({ status: 503, code: 'tenant_busy' });
  const controller = new AbortController();
  const waiting = createClient(url, PK, { retry: false }).from('notes').subscribe(() => {}, { signal: controller.signal, reconnect: { baseDelayMs: 60_000 } });
  await until(() => connections.length === 1);
  await new Promise((r) => setTimeout(r, 20));
  const t = Date.now();
  controller.abort();
  await waiting.done;
  assert.ok(Date.now() - t < 100);
  assert.equal(connections.length, 1);
});

test('realtime: a listener that throws ends the subscription with listener_error', async () => {
  reset();
  let error;
  const sub = createClient(url, PK).from('notes').subscribe(() => { throw new Error('boom'); }, { onError: (e) => { error = e; } });
  await until(() => connections.length === 1);
  changes.push(event(0));
  await sub.done;
  assert.equal(error.code, 'listener_error');
  assert.equal(sub.lastEventId, undefined, 'the change it threw on is not counted as delivered');
});
