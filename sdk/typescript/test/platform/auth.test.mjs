import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlinthError } from '../../dist/index.js';
import { admin, app, env, unique, until } from './helpers.mjs';

test('auth: /v1/identity describes the tenant realm', async () => {
  const identity = await app().auth.identity();
  assert.equal(identity.clientId, 'app');
  assert.match(identity.issuer, /\/realms\/plinth-/);
  assert.ok(identity.tokenEndpoint.startsWith(identity.issuer));
});

test('auth: sign-in with the real Keycloak user, owner rules, refresh, sign-out', async () => {
  const name = unique('mine');
  await admin().collections.create({ name, fields: [{ name: 'text', type: 'text', required: true }], rules: { read: 'owner', write: 'owner' } });
  const plinth = app();
  await assert.rejects(plinth.from(name).insert({ text: 'x' }), (e) => e instanceof PlinthError && e.status === 401 && e.code === 'user_token_required');
  await assert.rejects(plinth.from(name).query().page(), (e) => e.status === 401);

  await assert.rejects(plinth.auth.signInWithPassword(env.PLINTH_USER, `${env.PLINTH_PASSWORD}-wrong`), (e) => {
    assert.ok(e instanceof PlinthError && e.status === 401);
    assert.ok(!e.message.includes(env.PLINTH_PASSWORD), 'the password is not in the message');
    return true;
  });

  const events = [];
  plinth.auth.onChange((event) => events.push(event));
  const session = await plinth.auth.signInWithPassword(env.PLINTH_USER, env.PLINTH_PASSWORD);
  assert.equal(session.user.username, env.PLINTH_USER);
  assert.ok(session.user.id && session.expiresAt > Date.now());
  const mine = await plinth.from(name).insert({ text: 'hello' });
  assert.equal(mine.owner, session.user.id);
  assert.deepEqual((await plinth.from(name).query().page()).items.map((r) => r.text), ['hello']);
  await admin().from(name).insert({ text: 'someone else' });
  assert.equal((await plinth.from(name).query().page()).items.length, 1, 'the owner rule shows only the user\'s own');

  const refreshed = await plinth.auth.refresh();
  assert.notEqual(refreshed.accessToken, session.accessToken);
  assert.equal((await plinth.from(name).query().page()).items.length, 1, 'the refreshed token works');

  await plinth.auth.signOut();
  assert.equal(plinth.auth.session, null);
  await assert.rejects(plinth.from(name).query().page(), (e) => e.status === 401);
  // The realm's session is over: its refresh token is refused, which signs out again.
  plinth.auth.setSession(refreshed);
  await assert.rejects(plinth.auth.refresh(), (e) => e instanceof PlinthError && e.status === 400 && e.code === 'invalid_grant');
  assert.equal(plinth.auth.session, null);
  assert.deepEqual(events, ['SIGNED_IN', 'TOKEN_REFRESHED', 'SIGNED_OUT', 'SIGNED_IN', 'SIGNED_OUT']);
});

test('auth: the session is refreshed automatically before it expires', async () => {
  const plinth = app();
  const first = await plinth.auth.signInWithPassword(env.PLINTH_USER, env.PLINTH_PASSWORD);
  const lifetime = first.expiresAt - Date.now();
  // A margin a second short of the token's life: the timer refreshes about a second from now.
  const early = app(env.PLINTH_URL, { auth: { refreshMarginMs: lifetime - 1000 } });
  const events = [];
  early.auth.onChange((e) => events.push(e));
  const signedIn = await early.auth.signInWithPassword(env.PLINTH_USER, env.PLINTH_PASSWORD);
  await until(() => events.includes('TOKEN_REFRESHED'), 'the timer to refresh', 10_000);
  assert.notEqual(early.auth.session.accessToken, signedIn.accessToken);
  await early.auth.signOut();
  await plinth.auth.signOut();
});

test('rules: a publishable key is refused by a secret rule, a secret key passes', async () => {
  const name = unique('vault');
  await admin().collections.create({ name, fields: [{ name: 'v', type: 'text' }], rules: { read: 'secret', write: 'secret' } });
  await assert.rejects(app().from(name).query().page(), (e) => e instanceof PlinthError && e.status === 403 && e.code === 'secret_key_required');
  await assert.rejects(app().from(name).insert({ v: 'x' }), (e) => e.status === 403);
  assert.equal((await admin().from(name).insert({ v: 'x' })).v, 'x');
});
