// Shared by the platform tests: clients of the platform TypeScriptSdkIT started, fresh collection
// names, waiting for a condition.
import { randomUUID } from 'node:crypto';
import { createClient } from '../../dist/index.js';
import { platformEnv } from './env.mjs';

export const env = platformEnv();

/** A client with the tenant's secret key (it passes every rule). */
export const admin = (options = {}) => createClient(env.PLINTH_URL, env.PLINTH_SECRET_KEY, options);

/** A client with the tenant's publishable key, as an app's users have. */
export const app = (url = env.PLINTH_URL, options = {}) => createClient(url, env.PLINTH_PUBLISHABLE_KEY, options);

/** A collection name no other test uses. */
export const unique = (prefix) => `${prefix}_${randomUUID().slice(0, 8)}`;

export async function until(condition, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
