// Run by TypeScriptReadYourWritesIT against a data plane that reads from a real hot standby, with
// the standby's replay paused before this runs and the collection PLINTH_COLLECTION already on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../dist/index.js';

const url = process.env.PLINTH_URL;
const key = process.env.PLINTH_SECRET_KEY;
const collection = process.env.PLINTH_COLLECTION;
if (!url || !key || !collection) {
  throw new Error('set PLINTH_URL, PLINTH_SECRET_KEY and PLINTH_COLLECTION (TypeScriptReadYourWritesIT does)');
}

const titles = async (client) => (await client.from(collection).query().page()).items.map((r) => r.title);

test('replica: a client reads its own writes while the replica is held behind', async () => {
  const writer = createClient(url, key);
  const bystander = createClient(url, key);
  assert.deepEqual(await titles(bystander), [], 'served by the replica, which has the collection');

  const note = await writer.from(collection).insert({ title: 'mine' });
  assert.match(writer.consistencyToken ?? '', /^[0-9A-F]+\/[0-9A-F]+$/, 'the write carried a token');
  assert.deepEqual(await titles(writer), ['mine'], 'the writer sends the token back and sees its write');
  assert.deepEqual(await titles(bystander), [], 'a client without the token is served by the held-back replica');

  await writer.from(collection).update(note.id, { title: 'mine, changed' });
  assert.deepEqual(await titles(writer), ['mine, changed']);
});
