import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { admin, app, env, unique, until } from './helpers.mjs';

/** A TCP proxy to the data plane that the test can sever: every open connection is destroyed. */
async function proxy() {
  const target = new URL(env.PLINTH_URL);
  const open = new Set();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = [client, upstream];
    for (const s of pair) {
      open.add(s);
      s.on('error', () => pair.forEach((x) => x.destroy()));
      s.on('close', () => { open.delete(s); pair.forEach((x) => x.destroy()); });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get connections() { return connections; },
    sever() { for (const s of [...open]) s.destroy(); },
    close() { this.sever(); server.close(); },
  };
}

test('realtime: a subscription whose connection is cut for real resumes with nothing lost or repeated', async () => {
  const name = unique('live');
  const writer = admin().from(name);
  await admin().collections.create({ name, fields: [{ name: 'n', type: 'integer', required: true }], rules: { read: 'public', write: 'secret' } });
  const cut = await proxy();
  const seen = [];
  let opens = 0;
  const errors = [];
  const sub = app(cut.url).from(name).subscribe((change) => { seen.push(change); }, {
    onOpen: () => opens++,
    onError: (e) => errors.push(e),
    reconnect: { baseDelayMs: 100, maxDelayMs: 500 },
  });
  try {
    await until(() => opens === 1, 'the stream to open');
    const inserted = [];
    const insert = async (count) => {
      for (let i = 0; i < count; i++) inserted.push((await writer.insert({ n: inserted.length })).id);
    };
    await insert(10);
    await until(() => seen.length === 10, '10 changes');

    cut.sever(); // while nothing is in flight; the next 10 are written while the stream is down
    await insert(10);
    await until(() => seen.length === 20, '20 changes after the first cut', 30_000);
    assert.ok(opens >= 2);

    // Cut in the middle of a burst of inserts and updates.
    const burst = insert(30);
    await until(() => inserted.length >= 8, 'the burst to start');
    cut.sever();
    await burst;
    const updated = await writer.update(inserted[0], { n: -1 });
    await writer.delete(inserted[1]);
    await until(() => seen.length === 52, 'all 52 changes', 30_000);
    await new Promise((r) => setTimeout(r, 500)); // nothing more comes: no repeats

    assert.deepEqual(errors, []);
    assert.ok(cut.connections >= 3, `${cut.connections} connections through the proxy`);
    assert.equal(seen.length, 52);
    assert.equal(new Set(seen.map((c) => c.eventId)).size, 52, 'no event twice');
    assert.deepEqual(seen.slice(0, 50).map((c) => c.id), inserted, 'every insert, in order');
    assert.ok(seen.slice(0, 50).every((c) => c.type === 'insert' && c.record.n !== undefined && c.collection === name));
    assert.deepEqual([seen[50].type, seen[50].id, seen[50].record.n, seen[50].version], ['update', inserted[0], -1, updated.record.version]);
    assert.deepEqual([seen[51].type, seen[51].id, seen[51].record], ['delete', inserted[1], null]);
    assert.equal(sub.lastEventId, seen[51].eventId);
  } finally {
    sub.close();
    await sub.done;
    cut.close();
  }

  // A kept lastEventId resumes a new subscription after it; the collection dropped ends it with 404.
  const later = [];
  const resumed = app().from(name).subscribe((c) => { later.push(c); }, { lastEventId: seen[49].eventId });
  await until(() => later.length === 2, 'the two changes after the 50th');
  resumed.close();
  assert.deepEqual(later.map((c) => c.type), ['update', 'delete']);

  let ended;
  const gone = app().from(unique('missing')).subscribe(() => {}, { onError: (e) => { ended = e; } });
  await gone.done;
  assert.equal(ended.status, 404);
});
