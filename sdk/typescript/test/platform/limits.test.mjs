import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../dist/index.js';
import { env } from './helpers.mjs';

// The limited tenant is on the free plan: 10 requests a second.
const limited = (options) => createClient(env.PLINTH_URL, env.PLINTH_LIMITED_SECRET_KEY, options);

test('429: the server answers rate_limited with Retry-After, and the SDK waits for it', async () => {
  const burst = await Promise.allSettled(Array.from({ length: 30 }, () => limited({ retry: false }).collections.list()));
  const refused = burst.filter((r) => r.status === 'rejected').map((r) => r.reason);
  assert.ok(refused.length > 0, 'a burst of 30 over 10 a second is refused in part');
  assert.ok(refused.every((e) => e.status === 429 && e.code === 'rate_limited' && e.retryAfterMs > 0), JSON.stringify(refused.map((e) => e.message)));
  const retryAfterMs = refused[0].retryAfterMs;

  await new Promise((r) => setTimeout(r, retryAfterMs + 100));
  const started = Date.now();
  const waited = await Promise.all(Array.from({ length: 20 }, () => limited({ retry: { maxRetries: 6 } }).collections.list()));
  assert.equal(waited.length, 20, 'every call succeeds in the end');
  assert.ok(Date.now() - started >= retryAfterMs, `took ${Date.now() - started} ms: the refused calls waited Retry-After (${retryAfterMs} ms)`);
});
