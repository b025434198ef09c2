import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlinthError } from '../../dist/index.js';
import { admin, app, unique } from './helpers.mjs';

test('records: the full life cycle, with ETags, If-None-Match, If-Match and a stale version', async () => {
  const plinth = admin();
  const name = unique('lifecycle');
  await plinth.collections.create({ name, fields: [{ name: 'title', type: 'text', required: true }, { name: 'price', type: 'number' }], rules: { read: 'public', write: 'public' } });
  assert.ok((await plinth.collections.list()).some((c) => c.name === name));
  const items = app().from(name);

  const created = await items.insert({ title: 'Blue shirt', price: 25 });
  assert.equal(created.title, 'Blue shirt');
  assert.equal(created.version, 1);
  assert.ok(created.id && created.createdAt && created.updatedAt);

  const got = await items.get(created.id);
  assert.equal(got.record.title, 'Blue shirt');
  assert.ok(got.etag);
  const cached = await items.get(created.id, { ifNoneMatch: got });
  assert.equal(cached.notModified, true);
  assert.equal(cached.record, got.record);

  const updated = await items.update(created.id, { price: 20 }, { ifMatch: got });
  assert.equal(updated.record.price, 20);
  assert.equal(updated.record.version, 2);
  await assert.rejects(items.update(created.id, { price: 1 }, { ifMatch: got }), (e) => e instanceof PlinthError && e.isVersionConflict && e.code === 'version_mismatch');
  assert.equal((await items.get(created.id, { ifNoneMatch: got })).notModified, false, 'a changed record is sent again');

  const batch = await items.insert([{ title: 'a' }, { title: 'b' }, { title: 'c' }]);
  assert.deepEqual(batch.map((r) => r.title), ['a', 'b', 'c']);
  await assert.rejects(items.insert([{ title: 'ok' }, { price: 1 }]), (e) => e.isValidation && e.errors.length > 0);
  assert.equal((await items.query().count().page()).total, 4, 'a batch with one bad record inserts none');

  await items.delete(created.id);
  await assert.rejects(items.get(created.id), (e) => e instanceof PlinthError && e.isNotFound && typeof e.requestId === 'string');
  await plinth.collections.drop(name);
  await assert.rejects(plinth.collections.get(name), (e) => e.status === 404);
});

test('records: every query operator, order, select and count against real rows', async () => {
  const plinth = admin();
  const name = unique('ops');
  await plinth.collections.create({
    name,
    fields: [{ name: 'title', type: 'text' }, { name: 'price', type: 'integer' }, { name: 'active', type: 'boolean' }, { name: 'due', type: 'timestamp' }],
    rules: { read: 'public', write: 'secret' },
  });
  const items = plinth.from(name);
  await items.insert([
    { title: 'Blue shirt', price: 10, active: true, due: '2026-01-01T00:00:00Z' },
    { title: 'blue hat', price: 20, active: false, due: '2026-02-01T00:00:00Z' },
    { title: 'Red shirt', price: 30, active: true, due: '2026-03-01T00:00:00Z' },
    { title: 'Green sock', price: 40 },
  ]);
  const titles = async (q) => (await q.order('price').page()).items.map((r) => r.title);
  const q = () => app().from(name).query();
  assert.deepEqual(await titles(q().eq('price', 20)), ['blue hat']);
  assert.deepEqual(await titles(q().neq('price', 20)), ['Blue shirt', 'Red shirt', 'Green sock']);
  assert.deepEqual(await titles(q().gt('price', 20)), ['Red shirt', 'Green sock']);
  assert.deepEqual(await titles(q().gte('price', 20)), ['blue hat', 'Red shirt', 'Green sock']);
  assert.deepEqual(await titles(q().lt('price', 20)), ['Blue shirt']);
  assert.deepEqual(await titles(q().lte('price', 20)), ['Blue shirt', 'blue hat']);
  assert.deepEqual(await titles(q().like('title', 'Blue*')), ['Blue shirt']);
  assert.deepEqual(await titles(q().ilike('title', 'blue*')), ['Blue shirt', 'blue hat']);
  assert.deepEqual(await titles(q().in('price', [10, 40, 99])), ['Blue shirt', 'Green sock']);
  assert.deepEqual(await titles(q().is('active', null)), ['Green sock']);
  assert.deepEqual(await titles(q().is('active', true)), ['Blue shirt', 'Red shirt']);
  assert.deepEqual(await titles(q().gte('due', new Date('2026-02-01T00:00:00Z'))), ['blue hat', 'Red shirt']);
  const desc = await q().order('price', 'desc').limit(2).select('title').count().page();
  assert.deepEqual(desc.items.map((r) => r.title), ['Green sock', 'Red shirt']);
  assert.equal(desc.total, 4);
  assert.equal(desc.items[0].price, undefined, 'select leaves the other fields out');
  assert.ok(desc.next);
  await assert.rejects(q().eq('nope', 1).page(), (e) => e.isValidation);
});

test('records: pagination under concurrent inserts skips and repeats nothing', async () => {
  const plinth = admin();
  const name = unique('pages');
  await plinth.collections.create({ name, fields: [{ name: 'n', type: 'integer', required: true, indexed: true }], rules: { read: 'public', write: 'secret' } });
  const items = plinth.from(name);
  await items.insert(Array.from({ length: 200 }, (_, i) => ({ n: i * 2 })));

  let inserting = true;
  let extra = 0;
  const writer = (async () => {
    while (inserting) await items.insert({ n: 2 * extra++ + 1 }); // odd values, landing between and after the pages
  })();
  const seen = [];
  try {
    for await (const r of app().from(name).query().order('n').limit(17)) {
      seen.push(r.n);
      if (seen.length % 17 === 0) await new Promise((res) => setTimeout(res, 5));
    }
  } finally {
    inserting = false;
    await writer;
  }
  assert.ok(extra > 5, `only ${extra} concurrent inserts`);
  assert.equal(new Set(seen).size, seen.length, 'no record twice');
  const evens = seen.filter((n) => n % 2 === 0);
  assert.deepEqual(evens, Array.from({ length: 200 }, (_, i) => i * 2), 'every record present at the start, once, in order');
  assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'in order');
});

test('records: an insert with an Idempotency-Key sent twice inserts once', async () => {
  const plinth = admin();
  const name = unique('idem');
  await plinth.collections.create({ name, fields: [{ name: 'title', type: 'text' }], rules: { read: 'public', write: 'public' } });
  const items = app().from(name);
  const key = `key-${name}`;
  const first = await items.insert({ title: 'once' }, { idempotencyKey: key });
  const again = await items.insert({ title: 'once' }, { idempotencyKey: key });
  assert.equal(again.id, first.id);
  assert.equal((await items.query().count().page()).total, 1);
  await assert.rejects(items.insert({ title: 'other' }, { idempotencyKey: key }), (e) => e.status === 422 && e.code === 'idempotency_key_reused');
});
