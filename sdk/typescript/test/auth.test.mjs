import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createClient, PlinthError, codeChallenge } from '../dist/index.js';
import { startServer, json } from './server.mjs';

const PK = 'plinth_pk_0123456789abcdefghijklmnopqrstuvwxyz';
const PASSWORD = 'correct horse battery staple';

// A local server in both roles: the data plane (/v1/...) and the realm's OpenID endpoints.
let server;
let tokens = 0;
const jwt = (claims) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const form = (req) => Object.fromEntries(new URLSearchParams(req.rawBody));

before(async () => {
  server = await startServer();
});
after(async () => { await server.close(); });

function platform({ expiresIn = 300, refusePassword = false, refuseRefresh = false } = {}) {
  const realm = `${server.url}/realms/plinth-t`;
  const identity = {
    mode: 'realm', issuer: realm, clientId: 'app',
    authorizationEndpoint: `${realm}/protocol/openid-connect/auth`,
    tokenEndpoint: `${realm}/protocol/openid-connect/token`,
    endSessionEndpoint: `${realm}/protocol/openid-connect/logout`,
    discoveryUrl: `${realm}/.well-known/openid-configuration`,
  };
  return (req, res) => {
    if (req.path === '/v1/identity') return json(200, identity, { 'cache-control': 'private, max-age=60' })(req, res);
    if (req.path.endsWith('/token')) {
      const f = form(req);
      if (f.grant_type === 'password' && (refusePassword || f.password !== PASSWORD)) {
        return json(401, { error: 'invalid_grant', error_description: 'Invalid user credentials' })(req, res);
      }
      if (f.grant_type === 'refresh_token' && refuseRefresh) {
        return json(400, { error: 'invalid_grant', error_description: 'Token is not active' })(req, res);
      }
      tokens++;
      return json(200, {
        access_token: jwt({ sub: 'u-1', preferred_username: 'alice', email: 'alice@example.com', exp: Math.floor(Date.now() / 1000) + expiresIn, n: tokens }),
        refresh_token: `refresh-${tokens}`, expires_in: expiresIn, token_type: 'Bearer',
      })(req, res);
    }
    if (req.path.endsWith('/logout')) return res.writeHead(204).end();
    return json(200, { items: [], next: null })(req, res);
  };
}

const bearerN = (req) => JSON.parse(Buffer.from(req.headers.authorization.split(' ')[1].split('.')[1], 'base64url')).n;

test('auth: password sign-in reads /v1/identity once, then sends the token with every call; signOut ends the session at the realm', async () => {
  server.reply(platform());
  const plinth = createClient(server.url, PK);
  const events = [];
  const stop = plinth.auth.onChange((event, session) => events.push([event, session?.user.username ?? null]));
  assert.equal(plinth.auth.session, null);
  const session = await plinth.auth.signInWithPassword('alice', PASSWORD);
  assert.deepEqual(session.user, { id: 'u-1', username: 'alice', email: 'alice@example.com' });
  assert.ok(Math.abs(session.expiresAt - (Date.now() + 300_000)) < 2000);
  assert.equal(plinth.auth.session, session);
  const [identity, token] = server.requests;
  assert.equal(identity.path, '/v1/identity');
  assert.equal(identity.headers.apikey, PK);
  assert.deepEqual(form(token), { grant_type: 'password', client_id: 'app', username: 'alice', password: PASSWORD, scope: 'openid' });
  assert.equal(token.headers.apikey, undefined, 'the key does not go to the identity provider');

  server.reply(platform());
  await plinth.from('notes').query().page();
  assert.equal(server.requests.length, 1, 'identity is cached');
  assert.equal(server.requests[0].headers.authorization, `Bearer ${session.accessToken}`);

  server.reply(platform());
  await plinth.auth.signOut();
  assert.deepEqual(form(server.requests[0]), { client_id: 'app', refresh_token: session.refreshToken });
  assert.ok(server.requests[0].path.endsWith('/protocol/openid-connect/logout'));
  assert.equal(plinth.auth.session, null);
  await plinth.from('notes').query().page();
  assert.equal(server.requests.at(-1).headers.authorization, undefined);
  assert.deepEqual(events, [['SIGNED_IN', 'alice'], ['SIGNED_OUT', null]]);
  stop();
});

test('auth: a wrong password is a PlinthError that names neither the password nor a token', async () => {
  server.reply(platform());
  const plinth = createClient(server.url, PK);
  await assert.rejects(plinth.auth.signInWithPassword('alice', 'wrong-secret-pw'), (e) => {
    assert.ok(e instanceof PlinthError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'invalid_grant');
    assert.ok(!JSON.stringify({ m: e.message, d: e.detail, s: e.stack }).includes('wrong-secret-pw'));
    return true;
  });
  assert.equal(plinth.auth.session, null);
  await assert.rejects(createClient('http://127.0.0.1:1', PK, { retry: false }).auth.signInWithPassword('a', PASSWORD), (e) => e.code === 'network_error' && !e.message.includes(PASSWORD));
});

test('auth: a token about to expire is refreshed before the call (lazily), once for concurrent calls', async () => {
  server.reply(platform({ expiresIn: 10 }));
  const plinth = createClient(server.url, PK, { auth: { autoRefresh: false } }); // margin 30 s > 10 s: every call refreshes first
  const first = await plinth.auth.signInWithPassword('alice', PASSWORD);
  server.reply(platform({ expiresIn: 300 }));
  await Promise.all([plinth.from('notes').query().page(), plinth.from('notes').query().page()]);
  const refreshes = server.requests.filter((r) => r.path.endsWith('/token'));
  assert.equal(refreshes.length, 1);
  assert.deepEqual(form(refreshes[0]), { grant_type: 'refresh_token', client_id: 'app', refresh_token: first.refreshToken });
  const data = server.requests.filter((r) => r.path.startsWith('/v1/collections'));
  assert.equal(new Set(data.map(bearerN)).size, 1);
  assert.equal(data[0].headers.authorization, `Bearer ${plinth.auth.session.accessToken}`);
  assert.notEqual(plinth.auth.session.accessToken, first.accessToken);
});

test('auth: the timer refreshes before expiry without keeping Node running; a refused refresh signs out', async () => {
  server.reply(platform({ expiresIn: 31 }));
  const plinth = createClient(server.url, PK); // refresh 30 s before: in about 1 s
  const events = [];
  plinth.auth.onChange((e) => events.push(e));
  await plinth.auth.signInWithPassword('alice', PASSWORD);
  server.reply(platform({ expiresIn: 31, refuseRefresh: true }));
  // the unref'd timer would not hold the process; this test's own wait does
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(events, ['SIGNED_IN', 'SIGNED_OUT']);
  assert.equal(plinth.auth.session, null);
  assert.ok(server.requests.some((r) => form(r).grant_type === 'refresh_token'));

  server.reply(platform({ expiresIn: 31 }));
  await plinth.auth.signInWithPassword('alice', PASSWORD);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(events.slice(2), ['SIGNED_IN', 'TOKEN_REFRESHED']);
  await plinth.auth.signOut();
});

test('auth: authorizationUrl is the code flow with PKCE S256; exchangeCode sends the code and verifier', async () => {
  server.reply(platform());
  const plinth = createClient(server.url, PK);
  const { url, state, codeVerifier } = await plinth.auth.authorizationUrl({ redirectUri: 'http://localhost:5173/cb' });
  const u = new URL(url);
  assert.equal(u.origin + u.pathname, `${server.url}/realms/plinth-t/protocol/openid-connect/auth`);
  assert.equal(u.searchParams.get('response_type'), 'code');
  assert.equal(u.searchParams.get('client_id'), 'app');
  assert.equal(u.searchParams.get('redirect_uri'), 'http://localhost:5173/cb');
  assert.equal(u.searchParams.get('state'), state);
  assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
  assert.match(codeVerifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(u.searchParams.get('code_challenge'), createHash('sha256').update(codeVerifier).digest('base64url'));
  assert.equal(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); // RFC 7636 B
  assert.equal((await plinth.auth.authorizationUrl({ redirectUri: 'x:/', state: 's-1' })).state, 's-1');

  await plinth.auth.exchangeCode({ code: 'c-1', redirectUri: 'http://localhost:5173/cb', codeVerifier });
  assert.deepEqual(form(server.requests.at(-1)), { grant_type: 'authorization_code', client_id: 'app', code: 'c-1', redirect_uri: 'http://localhost:5173/cb', code_verifier: codeVerifier });
  assert.equal(plinth.auth.session.user.id, 'u-1');
  plinth.auth.setSession(null);
});

test('auth: a tenant without sign-in is a 404 sign_in_not_configured, and not cached', async () => {
  server.reply((req, res) => {
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ status: 404, code: 'sign_in_not_configured', detail: 'no end-user sign-in' }));
  });
  const plinth = createClient(server.url, PK);
  await assert.rejects(plinth.auth.signInWithPassword('a', 'b'), (e) => e.status === 404 && e.code === 'sign_in_not_configured');
  server.reply(platform());
  await plinth.auth.signInWithPassword('alice', PASSWORD);
  plinth.auth.setSession(null);
});

test('consistency token: the latest one seen is sent with later calls', async () => {
  const plinth = createClient(server.url, PK);
  server.reply(json(200, { items: [], next: null }));
  await plinth.from('notes').query().page();
  assert.equal(server.requests[0].headers['plinth-consistency-token'], undefined);
  server.reply(json(200, { items: [], next: null }, { 'plinth-consistency-token': 'ct-1' }));
  await plinth.from('notes').query().page();
  server.reply(json(200, { items: [], next: null }));
  await plinth.from('notes').query().page();
  assert.equal(server.requests[0].headers['plinth-consistency-token'], 'ct-1');
  assert.equal(plinth.consistencyToken, 'ct-1');
  server.reply(json(200, { items: [], next: null }, { 'plinth-consistency-token': 'ct-2' }), json(200, { items: [], next: null }));
  await plinth.from('notes').query().page();
  await plinth.from('notes').query().page();
  assert.equal(server.requests[1].headers['plinth-consistency-token'], 'ct-2');
});
