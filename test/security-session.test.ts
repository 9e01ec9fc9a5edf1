// Browser sessions and hardening, on the real server: /?token= and the OIDC web sign-in (a real
// issuer over HTTPS) set the session cookie; the cookie reads; a state-changing request with it needs
// the CSRF header and a same-origin request; logout ends it; security headers on every answer (HSTS
// over TLS); credentials never logged; no internals in errors; slow store reads answer 503.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { HTML_CSP } from '../src/api/hardening.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer, type ServerOptions } from '../src/api/server.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { OTHER_TENANT, TENANT, TestIssuer } from './helpers/oidc-issuer.js';
import { incoming, signIn } from './helpers/records.js';

const ADMIN = 'session-test-admin-token-0123456789';
const CLIENT_ID = '3f0e8b1c-0000-4000-8000-00000000c11e';
const REPORTS_READER = '4a5d8f65-41da-4de4-8968-e035b65339cf';

let dir: string;
let store: SignInStore;
let app: FastifyInstance;
let keys: ApiKeys;
let idp: TestIssuer;
const mine = signIn({ resourceTenantId: TENANT });
const theirs = signIn({ resourceTenantId: OTHER_TENANT });

function options(over: Partial<ServerOptions> = {}): ServerOptions {
  return {
    store,
    auth: { adminTokenHash: sha256Hex(ADMIN), apiKeys: keys, oidc: { issuers: [idp.issuer], audience: ['api://gatelog'], clientId: CLIENT_ID, jwksCooldownMs: 0 } },
    skipTokenKey: Buffer.alloc(32, 6),
    throttle: { perSecond: 1e6, burst: 1e6 },
    ...over,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-session-'));
  store = await DuckDbStore.open({ dataDir: join(dir, 'store') });
  const w = store.openWriter();
  await w.add(incoming(mine));
  await w.add(incoming(theirs));
  await w.flush();
  keys = new ApiKeys(dir);
  idp = await TestIssuer.start();
  app = await buildServer(options());
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Set-Cookie headers of an answer, as a list. */
function setCookies(headers: Record<string, unknown>): string[] {
  const v = headers['set-cookie'];
  return v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [String(v)];
}

function cookieNamed(list: string[], name: string): { value: string; attributes: string[] } | undefined {
  const line = list.find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((x) => x.trim());
  return { value: decodeURIComponent((pair as string).slice(name.length + 1)), attributes };
}

interface Browser {
  cookie: string;
  session: string;
  csrf: string;
}

async function signInWithToken(server: FastifyInstance, token: string): Promise<Browser> {
  const r = await server.inject({ url: `/?token=${encodeURIComponent(token)}` });
  expect(r.statusCode).toBe(303);
  const list = setCookies(r.headers);
  const session = cookieNamed(list, 'gatelog_session')?.value as string;
  const csrf = cookieNamed(list, 'gatelog_csrf')?.value as string;
  return { session, csrf, cookie: `gatelog_session=${session}; gatelog_csrf=${csrf}` };
}

const ndjson = (xs: readonly Record<string, unknown>[]): string => xs.map((x) => JSON.stringify(x)).join('\n');

describe('/?token= signs the browser in', () => {
  it('sets the session cookie (Secure, HttpOnly, SameSite=Strict, Path=/) and redirects to / without the token', async () => {
    const r = await app.inject({ url: `/?token=${ADMIN}` });
    expect(r.statusCode).toBe(303);
    expect(r.headers['location']).toBe('/');
    expect(String(r.headers['location'])).not.toContain(ADMIN);
    expect(r.headers['cache-control']).toBe('no-store');
    const list = setCookies(r.headers);
    const session = cookieNamed(list, 'gatelog_session');
    expect(session).toBeDefined();
    expect(session?.attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
    // The cookie names the caller, never the token.
    expect(session?.value).not.toContain(ADMIN);
    expect(Buffer.from((session?.value ?? '').split('.')[0] as string, 'base64url').toString('utf8')).not.toContain(ADMIN);
    const csrf = cookieNamed(list, 'gatelog_csrf');
    expect(csrf?.attributes).toEqual(expect.arrayContaining(['Secure', 'SameSite=Strict', 'Path=/']));
    expect(csrf?.attributes).not.toContain('HttpOnly');
  });

  it('refuses a wrong token with 401 and sets no cookie', async () => {
    const r = await app.inject({ url: '/?token=not-the-token-at-all-0123' });
    expect(r.statusCode).toBe(401);
    expect(setCookies(r.headers)).toEqual([]);
  });

  it('refuses ?token= followed from another site', async () => {
    const r = await app.inject({ url: `/?token=${ADMIN}`, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(r.statusCode).toBe(403);
  });

  it('shows who is signed in on /', async () => {
    const b = await signInWithToken(app, ADMIN);
    const r = await app.inject({ url: '/', headers: { cookie: b.cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('Signed in as local administrator');
    const anonymous = await app.inject({ url: '/' });
    expect(anonymous.body).toContain('href="/auth/login"');
  });
});

describe('the session cookie', () => {
  it('reads sign-ins', async () => {
    const b = await signInWithToken(app, ADMIN);
    const r = await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie } });
    expect(r.statusCode).toBe(200);
    expect((JSON.parse(r.body).value as unknown[]).length).toBe(2);
  });

  it('needs X-CSRF-Token equal to the gatelog_csrf cookie, from the same origin, for a POST', async () => {
    const b = await signInWithToken(app, ADMIN);
    const post = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/ingest/signins', headers: { cookie: b.cookie, 'content-type': 'application/x-ndjson', ...headers }, payload: ndjson([signIn({ resourceTenantId: TENANT })]) });
    const without = await post({});
    expect(without.statusCode).toBe(403);
    expect(JSON.parse(without.body).error.code).toBe('Authorization_RequestDenied');
    expect(JSON.parse(without.body).error.message).toMatch(/X-CSRF-Token/);
    expect((await post({ 'x-csrf-token': 'something-else' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': b.csrf, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': b.csrf, origin: 'null' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': b.csrf, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': b.csrf, 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    const allowed = await post({ 'x-csrf-token': b.csrf });
    expect(allowed.statusCode).toBe(200);
    expect(JSON.parse(allowed.body).imported).toBe(1);
    const sameOrigin = await post({ 'x-csrf-token': b.csrf, origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it('does not accept the CSRF cookie of another session', async () => {
    const a = await signInWithToken(app, ADMIN);
    const b = await signInWithToken(app, ADMIN);
    const r = await app.inject({
      method: 'POST',
      url: '/ingest/signins',
      headers: { cookie: `gatelog_session=${a.session}; gatelog_csrf=${b.csrf}`, 'x-csrf-token': b.csrf, 'content-type': 'application/x-ndjson' },
      payload: ndjson([signIn()]),
    });
    expect(r.statusCode).toBe(403);
  });

  it('is refused when altered, and a bearer token is judged alone (a bad one is not rescued by the cookie)', async () => {
    const b = await signInWithToken(app, ADMIN);
    const [body, mac] = b.session.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { caller: { name: string } };
    payload.caller.name = 'someone else';
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
    expect((await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: `gatelog_session=${forged}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie, authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
  });

  it('ends with logout (the same cookie is refused afterwards)', async () => {
    const b = await signInWithToken(app, ADMIN);
    const noCsrf = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: b.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: b.cookie, 'x-csrf-token': b.csrf } });
    expect(out.statusCode).toBe(204);
    const cleared = cookieNamed(setCookies(out.headers), 'gatelog_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes).toContain('Max-Age=0');
    expect((await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie } })).statusCode).toBe(401);
  });

  it('expires', async () => {
    const short = await buildServer(options({ auth: { adminTokenHash: sha256Hex(ADMIN), sessionTtlSeconds: 1 } }));
    try {
      const b = await signInWithToken(short, ADMIN);
      expect(cookieNamed(setCookies((await short.inject({ url: `/?token=${ADMIN}` })).headers), 'gatelog_session')?.attributes).toContain('Max-Age=1');
      await new Promise((r) => setTimeout(r, 2100));
      expect((await short.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('of an API key follows the key: its scope, its tenants, and revocation', async () => {
    const { record, key } = keys.create({ name: 'browser key', scope: 'read', tenants: [TENANT] });
    const b = await signInWithToken(app, key);
    const r = await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie } });
    expect(r.statusCode).toBe(200);
    expect((JSON.parse(r.body).value as { id: string }[]).map((x) => x.id)).not.toContain(theirs['id']);
    const post = await app.inject({ method: 'POST', url: '/ingest/signins', headers: { cookie: b.cookie, 'x-csrf-token': b.csrf, 'content-type': 'application/x-ndjson' }, payload: ndjson([signIn()]) });
    expect(post.statusCode).toBe(403);
    keys.revoke(record.id);
    expect((await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie } })).statusCode).toBe(401);
  });
});

describe('web sign-in through the OpenID Connect issuer', () => {
  async function login(server: FastifyInstance) {
    const r = await server.inject({ url: '/auth/login' });
    expect(r.statusCode).toBe(302);
    const location = String(r.headers['location']);
    const flow = cookieNamed(setCookies(r.headers), 'gatelog_oidc');
    return { location, flow: flow as { value: string; attributes: string[] } };
  }

  it('runs the authorization code flow with PKCE (S256), state and nonce, and signs the browser in', async () => {
    const { location, flow } = await login(app);
    const u = new URL(location);
    expect(u.origin + u.pathname).toBe(`${idp.issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/authorize`);
    expect(u.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(u.searchParams.get('state')).toBeTruthy();
    expect(u.searchParams.get('nonce')).toBeTruthy();
    expect(u.searchParams.get('scope')).toContain('openid');
    expect(flow.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/auth/callback']));
    // Nothing of the flow is readable in the cookie without the key (it is signed, and says only state/nonce/verifier).
    const { code, state } = idp.authorize(location, { wids: [REPORTS_READER], preferred_username: 'reader@contoso.example' });
    const back = await app.inject({ url: `/auth/callback?code=${code}&state=${encodeURIComponent(state)}`, headers: { cookie: `gatelog_oidc=${flow.value}` } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toContain('http-equiv="refresh"');
    expect(back.body).toContain('reader@contoso.example');
    const list = setCookies(back.headers);
    expect(cookieNamed(list, 'gatelog_oidc')?.attributes).toContain('Max-Age=0');
    const session = cookieNamed(list, 'gatelog_session');
    expect(session?.attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
    const csrf = cookieNamed(list, 'gatelog_csrf')?.value as string;
    const reads = await app.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: `gatelog_session=${session?.value}; gatelog_csrf=${csrf}` } });
    expect(reads.statusCode).toBe(200);
    const ids = (JSON.parse(reads.body).value as { id: string }[]).map((x) => x.id);
    expect(ids).toContain(mine['id']);
    expect(ids).not.toContain(theirs['id']);
  });

  it('refuses a wrong state, a missing flow cookie, a replayed code and a provider error with 401', async () => {
    const { location, flow } = await login(app);
    const { code, state } = idp.authorize(location, { wids: [REPORTS_READER] });
    expect((await app.inject({ url: `/auth/callback?code=${code}&state=other`, headers: { cookie: `gatelog_oidc=${flow.value}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: `/auth/callback?code=${code}&state=${encodeURIComponent(state)}` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/auth/callback?code=${code}&state=${encodeURIComponent(state)}`, headers: { cookie: `gatelog_oidc=${flow.value}` } })).statusCode).toBe(200);
    // The code was used once: the identity provider refuses it again.
    const again = await app.inject({ url: `/auth/callback?code=${code}&state=${encodeURIComponent(state)}`, headers: { cookie: `gatelog_oidc=${flow.value}` } });
    expect(again.statusCode).toBe(401);
    expect(JSON.parse(again.body).error.message).toMatch(/invalid_grant/);
    const denied = await app.inject({ url: `/auth/callback?error=access_denied&error_description=${encodeURIComponent('The user cancelled')}&state=${encodeURIComponent(state)}`, headers: { cookie: `gatelog_oidc=${flow.value}` } });
    expect(denied.statusCode).toBe(401);
    expect(JSON.parse(denied.body).error.message).toMatch(/access_denied: The user cancelled/);
  });

  it('checks the PKCE verifier: another flow\'s cookie cannot redeem this code', async () => {
    const first = await login(app);
    const second = await login(app);
    const { code, state } = idp.authorize(first.location, { wids: [REPORTS_READER] });
    const r = await app.inject({ url: `/auth/callback?code=${code}&state=${encodeURIComponent(state)}`, headers: { cookie: `gatelog_oidc=${second.flow.value}` } });
    expect(r.statusCode).toBe(401);
  });

  it('answers 403 to a user without a role that reads sign-in logs', async () => {
    const { location, flow } = await login(app);
    const { code, state } = idp.authorize(location, { wids: ['fe930be7-5e62-47db-91af-98c3a49a38b1'] });
    const r = await app.inject({ url: `/auth/callback?code=${code}&state=${encodeURIComponent(state)}`, headers: { cookie: `gatelog_oidc=${flow.value}` } });
    expect(r.statusCode).toBe(403);
    expect(cookieNamed(setCookies(r.headers), 'gatelog_session')).toBeUndefined();
  });

  it('is 404 when no client id is configured', async () => {
    const plain = await buildServer(options({ auth: { adminTokenHash: sha256Hex(ADMIN) } }));
    try {
      const r = await plain.inject({ url: '/auth/login' });
      expect(r.statusCode).toBe(404);
      expect(JSON.parse(r.body).error.message).toMatch(/\?token=/);
    } finally {
      await plain.close();
    }
  });
});

describe('security headers', () => {
  it('are on every answer over TLS, with HSTS, and a strict CSP for HTML', async () => {
    const cert = readFileSync(process.env['GATELOG_TEST_TLS_CERT'] as string, 'utf8');
    const key = readFileSync(process.env['GATELOG_TEST_TLS_KEY'] as string, 'utf8');
    const tlsApp = await buildServer(options({ tls: { cert, key } }));
    try {
      await tlsApp.listen({ host: '127.0.0.1', port: 0 });
      const addr = tlsApp.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      for (const path of ['/healthz', '/beta/auditLogs/signIns', '/no/such/route', '/']) {
        const r = await fetch(`https://localhost:${port}${path}`);
        expect(r.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
        expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
        expect(r.headers.get('x-frame-options'), path).toBe('DENY');
        expect(r.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
        expect(r.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
        await r.arrayBuffer();
      }
      const html = await fetch(`https://localhost:${port}/`);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.headers.get('content-security-policy')).toBe(HTML_CSP);
      await html.arrayBuffer();
    } finally {
      await tlsApp.close();
    }
  });

  it('has no HSTS on plain HTTP (behind a TLS proxy, which sets it)', async () => {
    const r = await app.inject({ url: '/healthz' });
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('what is logged', () => {
  it('never the token, the Authorization header or the session cookie', async () => {
    const lines: string[] = [];
    const logged = await buildServer(options({ logger: { level: 'trace', stream: { write: (m: string) => void lines.push(m) } } }));
    try {
      const b = await signInWithToken(logged, ADMIN);
      await logged.inject({ url: '/beta/auditLogs/signIns', headers: { cookie: b.cookie } });
      await logged.inject({ url: '/beta/auditLogs/signIns', headers: { authorization: `Bearer ${ADMIN}` } });
      await logged.inject({ url: '/beta/auditLogs/signIns', headers: { authorization: 'Bearer wrong-secret-0123456789' } });
      await logged.inject({ url: '/auth/callback?code=secret-code-123&state=s' });
      const text = lines.join('');
      expect(text).toContain('incoming request');
      expect(text).toContain('token=[redacted]');
      expect(text).not.toContain(ADMIN);
      expect(text).not.toContain('wrong-secret-0123456789');
      expect(text).not.toContain(b.session);
      expect(text).not.toContain(b.csrf);
      expect(text).not.toContain('secret-code-123');
    } finally {
      await logged.close();
    }
  });
});

/** The store with one method replaced (a dependency standing in for a failing or slow backend). */
function storeWith(name: 'query', impl: () => Promise<never>): SignInStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === name) return impl;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('errors and limits', () => {
  it('answers an unexpected error with a generic 500: no stack, no SQL', async () => {
    const lines: string[] = [];
    const failing = await buildServer(
      options({
        store: storeWith('query', () => Promise.reject(new Error('Binder Error: Referenced column "secret_col" not found in FROM clause: SELECT * FROM sign_ins s WHERE s.secret_col = $1'))),
        logger: { level: 'error', stream: { write: (m: string) => void lines.push(m) } },
      }),
    );
    try {
      const r = await failing.inject({ url: '/beta/auditLogs/signIns', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(r.statusCode).toBe(500);
      const e = JSON.parse(r.body).error as { code: string; message: string };
      expect(e.code).toBe('Internal_Error');
      expect(e.message).toBe('An unexpected error occurred. The server log has the details.');
      expect(r.body).not.toMatch(/SELECT|secret_col|at .*\.ts/);
      // The details are in the log.
      expect(lines.join('')).toContain('secret_col');
    } finally {
      await failing.close();
    }
  });

  it('answers 503 Store_Unavailable when a store read takes longer than the query time limit', async () => {
    const slow = await buildServer(options({ store: storeWith('query', () => new Promise<never>(() => undefined)), timeouts: { queryMs: 200 } }));
    try {
      const started = Date.now();
      const r = await slow.inject({ url: '/beta/auditLogs/signIns', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(r.statusCode).toBe(503);
      expect(JSON.parse(r.body).error.code).toBe('Store_Unavailable');
      expect(JSON.parse(r.body).error.message).toMatch(/did not answer within 0.2 seconds/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await slow.close();
    }
  });

  it('limits request bodies outside ingestion to 1 MiB (413)', async () => {
    const b = await signInWithToken(app, ADMIN);
    const r = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: b.cookie, 'x-csrf-token': b.csrf, 'content-type': 'application/json' }, payload: JSON.stringify({ pad: 'x'.repeat(1.2 * (1 << 20)) }) });
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('Request_EntityTooLarge');
  });
});
