// Every route is guarded: the route inventory lists every route the server registers (with and
// without OpenID Connect configured), and every route of /openapi.json — read from the document, so
// a new route is covered the day it is added — except the public ones named here answers 401
// without credentials, 401 with a wrong token or a forged session, and 403 with a valid credential
// of another scope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import type { Scope } from '../src/api/auth/caller.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { ROUTES } from '../src/api/routes/inventory.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';

const ADMIN = 'routes-test-admin-token-0123456789';

/** Routes open without credentials: liveness, this document, the web sign-in, the web UI's files. */
const PUBLIC = new Set(['GET /healthz', 'GET /openapi.json', 'GET /', 'GET /auth/login', 'GET /auth/callback', 'POST /auth/logout']);
const isStaticUi = (path: string): boolean => /^\/(assets|static|ui)\//.test(path) || /\.(js|css|png|svg|ico|woff2?|html|map)$/.test(path);

let dir: string;
let store: SignInStore;
let app: FastifyInstance;
let keys: ApiKeys;
const keyOf: Partial<Record<Scope, string>> = {};

interface Operation {
  method: string;
  path: string;
  url: string;
  permission: string;
}

let operations: Operation[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-routes-'));
  store = await DuckDbStore.open({ dataDir: join(dir, 'store') });
  keys = new ApiKeys(dir);
  for (const scope of ['read', 'ingest', 'admin'] as const) keyOf[scope] = keys.create({ name: `${scope} key`, scope }).key;
  app = await buildServer({
    store,
    auth: {
      adminTokenHash: sha256Hex(ADMIN),
      apiKeys: keys,
      // Configured so that every route is present as in production (nothing is fetched: no JWT is sent).
      oidc: { issuers: ['https://login.example.invalid/tenant/v2.0'], audience: ['api://gatelog'], clientId: '00000000-0000-4000-8000-000000000001' },
    },
    skipTokenKey: Buffer.alloc(32, 2),
    throttle: { perSecond: 1e6, burst: 1e6 },
  });
  const doc = JSON.parse((await app.inject({ url: '/openapi.json' })).body) as { paths: Record<string, Record<string, { 'x-gatelog-permission': string }>> };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      // Path parameters get plausible values ({version} a real one, so the route itself exists).
      url: path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'version' ? 'beta' : `probe-${name}`)),
      permission: op['x-gatelog-permission'],
    })),
  );
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function guarded(): Operation[] {
  return operations.filter((o) => !PUBLIC.has(`${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`) && !isStaticUi(o.path));
}

async function call(o: Operation, headers: Record<string, string>) {
  const r = await app.inject({
    method: o.method as 'GET',
    url: o.url,
    headers: { ...headers, ...(o.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(o.method === 'GET' ? {} : { payload: '{}' }),
  });
  // Downloads answer CSV; only JSON answers are read.
  const json = String(r.headers['content-type'] ?? '').includes('json');
  return { status: r.statusCode, body: (json ? JSON.parse(r.body || '{}') : {}) as { error?: { code: string } } };
}

describe('the route inventory', () => {
  it('lists every route the server registers, and the OpenAPI document every route of the inventory', () => {
    const registered = (app as unknown as { gatelogRoutes: string[] }).gatelogRoutes;
    const listed = new Set(ROUTES.map((r) => `${r.method} ${r.url}`));
    for (const r of registered) expect(listed.has(r), r).toBe(true);
    for (const r of listed) expect(registered, r).toContain(r);
    const documented = new Set(operations.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented).toEqual(listed);
  });

  it('marks exactly the public routes public, and every other route with a scope', () => {
    for (const o of operations) {
      const key = `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`;
      if (PUBLIC.has(key) || isStaticUi(o.path)) expect(o.permission, key).toBe('public');
      else expect(['read', 'ingest', 'admin'], key).toContain(o.permission);
    }
    expect(guarded().length).toBeGreaterThanOrEqual(5);
  });
});

describe('every guarded route of /openapi.json', () => {
  it('answers 401 without credentials', async () => {
    for (const o of guarded()) {
      const r = await call(o, {});
      expect(r.status, `${o.method} ${o.url}`).toBe(401);
      expect(r.body.error?.code, `${o.method} ${o.url}`).toBe('InvalidAuthenticationToken');
    }
  });

  it('answers 401 with a wrong token, a wrong API key, a JWT of no accepted issuer and a forged session', async () => {
    const wrong: Record<string, string>[] = [
      { authorization: 'Bearer not-the-admin-token-0123456789' },
      { authorization: 'Bearer glk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { authorization: `Bearer ${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"iss":"https://evil.example"}').toString('base64url')}.c2ln` },
      { cookie: 'gatelog_session=eyJ0eXAiOiJzZXNzaW9uIn0.forged; gatelog_csrf=x', 'x-csrf-token': 'x' },
    ];
    for (const o of guarded()) {
      for (const headers of wrong) {
        const r = await call(o, headers);
        expect(r.status, `${o.method} ${o.url} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it('answers 403 to a valid credential of another scope', async () => {
    for (const o of guarded()) {
      const other = (['read', 'ingest', 'admin'] as const).filter((s) => s !== o.permission);
      for (const scope of other) {
        // The admin scope does not include reading or ingesting: each scope is its own.
        const r = await call(o, { authorization: `Bearer ${keyOf[scope] as string}` });
        expect(r.status, `${o.method} ${o.url} with a ${scope} key`).toBe(403);
        expect(r.body.error?.code).toBe('Authorization_RequestDenied');
      }
    }
  });

  it('lets the right scope through (not 401/403)', async () => {
    for (const o of guarded()) {
      const r = await call(o, { authorization: `Bearer ${keyOf[o.permission as Scope] as string}` });
      expect([401, 403], `${o.method} ${o.url}`).not.toContain(r.status);
    }
  });
});
