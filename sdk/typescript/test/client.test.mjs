import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, PlinthError, parseRetryAfter, backoffDelay } from '../dist/index.js';
import { startServer, json, problem } from './server.mjs';
import { undescribed } from './contract.mjs';

const PK = 'plinth_pk_0123456789abcdefghijklmnopqrstuvwxyz';
const SK = 'plinth_sk_0123456789abcdefghijklmnopqrstuvwxyz';
const rec = (id, extra = {}) => ({ id, owner: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1, ...extra });

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.close(); });

test('query string: every operator, order, limit, select, count, after', () => {
  const q = createClient('http://x', PK).from('items').query()
    .eq('title', 'Blue shirt').neq('size', 'XL').gt('price', 1).gte('price', 2).lt('price', 10).lte('stock', 5)
    .like('title', 'Blue*').ilike('title', '*shirt').in('color', ['red', 'green', 'blue']).is('deleted', null).is('active', true)
    .gte('createdAt', new Date('2026-01-02T03:04:05Z'))
    .order('price', 'desc').order('id').limit(20).select('title', 'price').count('exact').after('abc+/=');
  assert.equal(q.toQueryString(),
    'title=eq.Blue%20shirt&size=neq.XL&price=gt.1&price=gte.2&price=lt.10&stock=lte.5'
    + '&title=like.Blue*&title=ilike.*shirt&color=in.(red,green,blue)&deleted=is.null&active=is.true'
    + '&createdAt=gte.2026-01-02T03%3A04%3A05.000Z'
    + '&select=title,price&order=price.desc,id.asc&limit=20&count=exact&after=abc%2B%2F%3D');
});

test('query string: bad arguments are refused before any call', () => {
  const q = createClient('http://x', PK).from('items').query();
  for (const f of [() => q.eq('limit', 1), () => q.in('a', []), () => q.in('a', ['x,y']), () => q.limit(0), () => q.limit(1001), () => q.eq('a b', 1)]) {
    assert.throws(f, (e) => e instanceof PlinthError && e.code === 'invalid_argument');
  }
});

test('a query reaches the server as the contract says, with apikey and the user token', async () => {
  server.reply(json(200, { items: [rec('1', { price: 3 })], next: null, total: 1 }));
  const plinth = createClient(server.url + '/v1/', PK);
  const page = await plinth.from('items').query().gte('price', 2).in('color', ['a', 'b']).like('title', 'a+b*').count().page();
  assert.deepEqual(page, { items: [rec('1', { price: 3 })], next: null, total: 1 });
  const [r] = server.requests;
  assert.equal(r.method, 'GET');
  assert.equal(r.path, '/v1/collections/items/records');
  assert.deepEqual([...r.query], [['price', 'gte.2'], ['color', 'in.(a,b)'], ['title', 'like.a+b*'], ['count', 'exact']]);
  assert.equal(r.headers.apikey, PK);
  assert.equal(r.headers.authorization, undefined);

  plinth.setSession('user.jwt.token');
  server.reply(json(200, { items: [], next: null }));
  await plinth.from('items').query().page();
  assert.equal(server.requests[0].headers.authorization, 'Bearer user.jwt.token');
  assert.equal(server.requests[0].headers.apikey, PK);

  plinth.setSession(async () => 'refreshed');
  server.reply(json(200, { items: [], next: null }));
  await plinth.from('items').query().page();
  assert.equal(server.requests[0].headers.authorization, 'Bearer refreshed');

  plinth.setSession(null);
  server.reply(json(200, { items: [], next: null }));
  await plinth.from('items').query().page();
  assert.equal(server.requests[0].headers.authorization, undefined);
});

test('keyset pagination: for await follows next until null', async () => {
  server.reply(
    json(200, { items: [rec('1'), rec('2')], next: 'c2' }),
    json(200, { items: [rec('3'), rec('4')], next: 'c4' }),
    json(200, { items: [rec('5')], next: null }),
  );
  const ids = [];
  for await (const r of createClient(server.url, PK).from('items').query().order('createdAt').limit(2)) ids.push(r.id);
  assert.deepEqual(ids, ['1', '2', '3', '4', '5']);
  assert.deepEqual(server.requests.map((r) => r.query.get('after')), [null, 'c2', 'c4']);
  assert.ok(server.requests.every((r) => r.query.get('limit') === '2' && r.query.get('order') === 'createdAt.asc'));
});

test('errors: a problem+json becomes a PlinthError with status, code, detail, requestId, errors', async () => {
  server.reply(problem(400, 'validation_failed', 'bad fields', { errors: [{ field: 'fields[0].type', message: 'unknown type' }] }));
  const plinth = createClient(server.url, SK);
  await assert.rejects(plinth.collections.create({ name: 'items', fields: [{ name: 'a', type: 'text' }] }), (e) => {
    assert.ok(e instanceof PlinthError);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'validation_failed');
    assert.equal(e.detail, 'bad fields');
    assert.equal(e.requestId, 'req-1');
    assert.equal(e.type, '/problems/validation-failed');
    assert.deepEqual(e.errors, [{ field: 'fields[0].type', message: 'unknown type' }]);
    assert.ok(e.isValidation && !e.isConflict);
    return true;
  });
  assert.equal(server.requests.length, 1, 'a 400 is not retried');

  server.reply((_req, res) => { res.writeHead(502, { 'x-request-id': 'rid-9', 'content-type': 'text/html' }); res.end('<h1>Bad gateway</h1>'); });
  await assert.rejects(plinth.collections.list(), (e) => e instanceof PlinthError && e.status === 502 && e.code === 'http_502' && e.requestId === 'rid-9' && e.errors.length === 0);
});

test('records: insert one and a batch, get with ETag and If-None-Match, update with If-Match (412 is a conflict), delete', async () => {
  const plinth = createClient(server.url, SK);
  const items = plinth.from('items');

  server.reply(json(201, rec('r1', { title: 'a' }), { etag: '"1"' }));
  assert.equal((await items.insert({ title: 'a' })).id, 'r1');
  assert.deepEqual(server.requests[0].body, { title: 'a' });
  assert.equal(server.requests[0].method, 'POST');

  server.reply(json(201, [rec('r2'), rec('r3')]));
  assert.equal((await items.insert([{ title: 'b' }, { title: 'c' }])).length, 2);
  assert.deepEqual(server.requests[0].body, [{ title: 'b' }, { title: 'c' }]);
  assert.throws(() => items.insert([]), (e) => e.code === 'invalid_argument');

  server.reply(json(200, rec('r1', { title: 'a' }), { etag: '"1"' }));
  const first = await items.get('r1');
  assert.deepEqual(first, { record: rec('r1', { title: 'a' }), etag: '"1"', notModified: false });
  assert.equal(server.requests[0].path, '/v1/collections/items/records/r1');

  server.reply((req, res) => { res.writeHead(req.headers['if-none-match'] === '"1"' ? 304 : 200, { etag: '"1"' }); res.end(); });
  const again = await items.get('r1', { ifNoneMatch: first });
  assert.deepEqual(again, { record: first.record, etag: '"1"', notModified: true });

  server.reply(json(200, rec('r1', { title: 'z', version: 2 }), { etag: '"2"' }));
  const updated = await items.update('r1', { title: 'z' }, { ifMatch: first });
  assert.equal(server.requests[0].headers['if-match'], '"1"');
  assert.equal(server.requests[0].method, 'PATCH');
  assert.equal(updated.etag, '"2"');

  server.reply(problem(412, 'version_mismatch', 'record r1 is at version 2'));
  await assert.rejects(items.update('r1', { title: 'y' }, { ifMatch: '"1"' }), (e) => e instanceof PlinthError && e.isConflict && e.isVersionConflict && e.code === 'version_mismatch');

  server.reply((_req, res) => res.writeHead(204).end());
  await items.delete('r1');
  assert.equal(server.requests[0].method, 'DELETE');
});

test('collections: list, get, create, patch, drop', async () => {
  const plinth = createClient(server.url, SK);
  const def = { name: 'items', fields: [{ name: 'title', type: 'text', required: true, unique: false, indexed: false }], rules: { read: 'public', write: 'secret' } };
  server.reply(json(200, { items: [def] }));
  assert.deepEqual(await plinth.collections.list(), [def]);
  server.reply(json(200, def));
  assert.deepEqual(await plinth.collections.get('items'), def);
  server.reply(json(201, def));
  await plinth.collections.create({ name: 'items', fields: [{ name: 'title', type: 'text', required: true }], rules: { read: 'public' } });
  assert.equal(server.requests[0].path, '/v1/collections');
  server.reply(json(200, def));
  await plinth.collections.patch('items', { addFields: [{ name: 'price', type: 'number' }], addIndexes: ['title'], rules: { write: 'owner' } });
  assert.equal(server.requests[0].method, 'PATCH');
  assert.deepEqual(server.requests[0].body.addIndexes, ['title']);
  server.reply((_req, res) => res.writeHead(204).end());
  await plinth.collections.drop('items');
  assert.deepEqual([server.requests[0].method, server.requests[0].path], ['DELETE', '/v1/collections/items']);
});

test('retry: a 503 with Retry-After is waited for, then the call succeeds', async () => {
  server.reply(problem(503, 'tenant_busy', 'busy', {}, { 'retry-after': '1' }), json(200, { items: [], next: null }));
  const plinth = createClient(server.url, PK, { retry: { baseDelayMs: 10 } });
  const page = await plinth.from('items').query().page();
  assert.deepEqual(page.items, []);
  assert.equal(server.requests.length, 2);
  const waited = server.requests[1].at - server.requests[0].at;
  assert.ok(waited >= 990, `waited ${waited} ms, Retry-After said 1 s`);
  assert.ok(waited < 1500, `waited ${waited} ms`);
});

test('retry: 429 backs off and gives up after maxRetries with the last error', async () => {
  server.reply(problem(429, 'rate_limited', 'slow down'));
  const plinth = createClient(server.url, PK, { retry: { maxRetries: 2, baseDelayMs: 5 } });
  await assert.rejects(plinth.collections.list(), (e) => e.status === 429 && e.code === 'rate_limited' && e.isRetryable);
  assert.equal(server.requests.length, 3);
});

test('retry: a POST is retried only with an Idempotency-Key; a PATCH never', async () => {
  const plinth = createClient(server.url, PK, { retry: { baseDelayMs: 5 } });
  server.reply(problem(503, 'tenant_busy', 'busy', {}, { 'retry-after': '0' }));
  await assert.rejects(plinth.from('items').insert({ a: 1 }), (e) => e.status === 503);
  assert.equal(server.requests.length, 1);

  server.reply(problem(429, 'rate_limited', 'x', {}, { 'retry-after': '0' }), json(201, rec('r1')));
  assert.equal((await plinth.from('items').insert({ a: 1 }, { idempotencyKey: 'k-1' })).id, 'r1');
  assert.equal(server.requests.length, 2);
  assert.ok(server.requests.every((r) => r.headers['idempotency-key'] === 'k-1'));

  server.reply(problem(503, 'tenant_busy', 'busy', {}, { 'retry-after': '0' }));
  await assert.rejects(plinth.from('items').update('r1', { a: 2 }), (e) => e.status === 503);
  assert.equal(server.requests.length, 1);
});

test('retry: a Retry-After longer than maxDelayMs is not waited for', async () => {
  server.reply(problem(503, 'tenant_busy', 'busy', {}, { 'retry-after': '120' }));
  const started = Date.now();
  await assert.rejects(createClient(server.url, PK).collections.list(), (e) => e.status === 503 && e.retryAfterMs === 120_000);
  assert.equal(server.requests.length, 1);
  assert.ok(Date.now() - started < 1000);
});

test('backoff: exponential with full jitter, capped; Retry-After parsed as seconds or a date', () => {
  const retry = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffDelay(0, undefined, retry, () => 0.999), 99);
  assert.equal(backoffDelay(2, undefined, retry, () => 0.5), 200);
  assert.equal(backoffDelay(10, undefined, retry, () => 0.999), 999);
  assert.equal(backoffDelay(0, 2000, retry, () => 0.5), 2050);
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('timeout: every call has one', async () => {
  server.reply((_req, res) => setTimeout(() => json(200, { items: [] })(_req, res), 500));
  await assert.rejects(createClient(server.url, PK, { timeoutMs: 100 }).collections.list(), (e) => e instanceof PlinthError && e.code === 'timeout' && e.status === 0);
  const controller = new AbortController();
  const call = createClient(server.url, PK).collections.list({ signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(call, (e) => e.code === 'aborted');
});

test('a network failure is a PlinthError too', async () => {
  await assert.rejects(createClient('http://127.0.0.1:1', PK, { retry: false }).collections.list(), (e) => e instanceof PlinthError && e.code === 'network_error');
});

test('browser: a secret key is refused unless allowSecretKeyInBrowser', () => {
  globalThis.window = {};
  try {
    assert.throws(() => createClient('http://x', SK), (e) => e instanceof PlinthError && e.code === 'secret_key_in_browser');
    assert.doesNotThrow(() => createClient('http://x', SK, { allowSecretKeyInBrowser: true }));
    assert.doesNotThrow(() => createClient('http://x', PK));
  } finally {
    delete globalThis.window;
  }
  assert.doesNotThrow(() => createClient('http://x', SK));
});

test('realtime and sign-in reach the paths and headers of the contract (for the check below)', async () => {
  server.reply((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('retry: 10\n: connected\n\nid: 5-1\nevent: insert\ndata: {"op":"insert","collection":"items","id":"r1","version":1,"record":{"id":"r1"}}\n\n');
  });
  const plinth = createClient(server.url, PK);
  const changes = [];
  const sub = plinth.from('items').subscribe((c) => { changes.push(c); sub.close(); }, { lastEventId: '4-9' });
  await sub.done;
  assert.deepEqual(changes.map((c) => [c.type, c.id, c.eventId]), [['insert', 'r1', '5-1']]);
  assert.equal(server.requests[0].headers['last-event-id'], '4-9');
  assert.equal(server.requests[0].headers.accept, 'text/event-stream');

  server.reply(json(200, { mode: 'realm', issuer: 'http://kc/realms/r', clientId: 'app', authorizationEndpoint: 'http://kc/a', tokenEndpoint: 'http://kc/t', endSessionEndpoint: 'http://kc/l', discoveryUrl: 'http://kc/d' }));
  assert.equal((await plinth.auth.identity()).clientId, 'app');
});

// Last: every request the tests above made, checked against tenant-api's OpenAPI document.
const KNOWN_GAPS = [];

test('contract: the SDK calls only paths, parameters and headers the OpenAPI document describes', () => {
  assert.ok(server.log.length > 20, `only ${server.log.length} requests were made`);
  assert.deepEqual(undescribed(server.log), KNOWN_GAPS);
});
