// The Graph-compatible routes, in process (Fastify inject): shapes, defaults, paging, errors, limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { ROUTES } from '../src/api/routes/inventory.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { V1_FIELDS } from '../src/model/schema.js';
import { incoming, signIn } from './helpers/records.js';

const TOKEN = 'api-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let dir: string;
let store: SignInStore;
let app: FastifyInstance;

const interactive = Array.from({ length: 25 }, (_, i) => signIn({ createdDateTime: `2026-05-01T10:00:${String(i).padStart(2, '0')}.0000001Z` }));
const legacy = signIn({ createdDateTime: '2026-05-01T09:00:00Z', signInEventTypes: undefined, isInteractive: true, authenticationProtocol: 'rpoc', legacyField: 1 });
const nonInteractive = signIn({ createdDateTime: '2026-05-01T11:00:00Z', signInEventTypes: ['nonInteractiveUser'], isInteractive: false });
const servicePrincipal = signIn({ createdDateTime: '2026-05-01T11:30:00Z', signInEventTypes: ['servicePrincipal'], isInteractive: false, servicePrincipalName: 'Payroll Sync' });

async function get(url: string, headers: Record<string, string> = auth) {
  const r = await app.inject({ url, headers });
  return { status: r.statusCode, headers: r.headers, body: JSON.parse(r.body) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-api-'));
  store = await DuckDbStore.open({ dataDir: dir });
  const w = store.openWriter();
  for (const r of [...interactive, legacy, nonInteractive, servicePrincipal]) await w.add(incoming(r));
  await w.flush();
  app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN) }, skipTokenKey: Buffer.alloc(32, 7), throttle: { perSecond: 1000, burst: 1000 } });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /{version}/auditLogs/signIns', () => {
  it('lists interactive user sign-ins only by default, newest first, with the context', async () => {
    const r = await get('/beta/auditLogs/signIns');
    expect(r.status).toBe(200);
    const ids = (r.body['value'] as { id: string }[]).map((x) => x.id);
    expect(ids).toEqual([...[...interactive].reverse(), legacy].map((x) => x['id']));
    expect(r.body['@odata.context']).toBe('http://localhost:80/beta/$metadata#auditLogs/signIns');
    expect(r.headers['odata-version']).toBe('4.0');
  });

  it('lists other event types when the filter names them', async () => {
    const r = await get(`/beta/auditLogs/signIns?$filter=${encodeURIComponent("signInEventTypes/any(t: t eq 'nonInteractiveUser' or t eq 'servicePrincipal')")}`);
    expect((r.body['value'] as { id: string }[]).map((x) => x.id)).toEqual([servicePrincipal['id'], nonInteractive['id']]);
  });

  it('answers v1.0 with the v1.0 property set and beta with every beta property', async () => {
    const v1 = (await get('/v1.0/auditLogs/signIns?$top=1')).body['value'] as Record<string, unknown>[];
    expect(Object.keys(v1[0] as object).sort()).toEqual(V1_FIELDS.map((f) => f.name).sort());
    const beta = (await get('/beta/auditLogs/signIns?$top=1')).body['value'] as Record<string, unknown>[];
    expect(Object.keys(beta[0] as object)).toContain('signInEventTypes');
    expect(Object.keys(beta[0] as object)).toHaveLength(77);
  });

  it('returns original values as annotations and unknown properties as they came', async () => {
    const r = await get(`/beta/auditLogs/signIns/${legacy['id'] as string}`);
    expect(r.body['authenticationProtocol']).toBe('unknownFutureValue');
    expect(r.body['authenticationProtocol@gatelog.originalValue']).toBe('rpoc');
    expect(r.body['legacyField']).toBe(1);
    expect(r.body['@odata.context']).toMatch(/\$metadata#auditLogs\/signIns\/\$entity$/);
  });

  it('pages with signed skiptokens: every record once, in order; $count counts them all', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/beta/auditLogs/signIns?$top=7&$count=true&$select=id,createdDateTime';
    let pages = 0;
    while (url) {
      const r = await get(url);
      expect(r.status).toBe(200);
      expect(r.body['@odata.count']).toBe(26);
      seen.push(...(r.body['value'] as { id: string }[]).map((x) => x.id));
      const next = r.body['@odata.nextLink'] as string | undefined;
      if (next) expect(next).toMatch(/^http:\/\/localhost:80\/beta\/auditLogs\/signIns\?\$select=id%2CcreatedDateTime&\$count=true&\$top=7&\$skiptoken=/);
      url = next?.replace(/^https?:\/\/[^/]+/, '');
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual([...[...interactive].reverse(), legacy].map((x) => x['id']));
  });

  it('orders oldest first with $orderby=createdDateTime asc', async () => {
    const r = await get('/beta/auditLogs/signIns?$orderby=createdDateTime asc&$top=2');
    expect((r.body['value'] as { id: string }[]).map((x) => x.id)).toEqual([legacy['id'], interactive[0]?.['id']]);
  });

  it('refuses a tampered skiptoken and a skiptoken of another query', async () => {
    const first = await get('/beta/auditLogs/signIns?$top=5');
    const next = new URL(first.body['@odata.nextLink'] as string);
    const token = next.searchParams.get('$skiptoken') as string;
    const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    const bad = await get(`/beta/auditLogs/signIns?$top=5&$skiptoken=${encodeURIComponent(tampered)}`);
    expect(bad.status).toBe(400);
    expect((bad.body['error'] as { code: string }).code).toBe('Request_InvalidSkipToken');
    const other = await get(`/beta/auditLogs/signIns?$top=5&$filter=${encodeURIComponent('status/errorCode eq 0')}&$skiptoken=${encodeURIComponent(token)}`);
    expect(other.status).toBe(400);
    expect((other.body['error'] as { message: string }).message).toMatch(/belongs to a different query/);
    const v1 = await get(`/v1.0/auditLogs/signIns?$top=5&$skiptoken=${encodeURIComponent(token)}`);
    expect(v1.status).toBe(400);
  });

  it('refuses bad options with a 400 in Graph\'s shape', async () => {
    for (const q of ['$top=0', '$top=1001', '$top=ten', '$orderby=userId', '$select=nope', '$count=maybe', '$top=5&top=6']) {
      const r = await get(`/beta/auditLogs/signIns?${q}`);
      expect(r.status, q).toBe(400);
      const e = r.body['error'] as { code: string; message: string; innerError: Record<string, string> };
      expect(e.message.length, q).toBeGreaterThan(10);
      expect(e.innerError['request-id']).toBe(r.headers['request-id']);
    }
  });

  it('gives a filter error the property and the position', async () => {
    const r = await get(`/v1.0/auditLogs/signIns?$filter=${encodeURIComponent("userId eq 'a' and signInEventTypes/any(t: t eq 'x')")}`);
    expect(r.status).toBe(400);
    expect((r.body['error'] as { message: string }).message).toBe(
      "Invalid filter clause: property 'signInEventTypes' does not exist on signIn (v1.0) ('signInEventTypes' exists in /beta) at position 18",
    );
  });
});

describe('every response', () => {
  it('has a request-id and echoes client-request-id', async () => {
    const r = await app.inject({ url: '/beta/auditLogs/signIns?$top=1', headers: { ...auth, 'client-request-id': 'my-script-42' } });
    expect(r.headers['client-request-id']).toBe('my-script-42');
    expect(r.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 without a token, 404 for an unknown id, route or version, in Graph\'s shape', async () => {
    const none = await get('/beta/auditLogs/signIns', {});
    expect(none.status).toBe(401);
    expect((none.body['error'] as { code: string }).code).toBe('InvalidAuthenticationToken');
    const wrong = await get('/beta/auditLogs/signIns', { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expect((await get('/beta/auditLogs/signIns/nope')).status).toBe(404);
    expect((await get('/v2.0/auditLogs/signIns')).status).toBe(404);
    const route = await get('/beta/auditLogs/nothing');
    expect(route.status).toBe(404);
    expect((route.body['error'] as { code: string }).code).toBe('Request_ResourceNotFound');
  });

  it('throttles per caller with 429 and Retry-After', async () => {
    const small = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN) }, skipTokenKey: Buffer.alloc(32, 7), throttle: { perSecond: 1, burst: 3 } });
    try {
      const codes: number[] = [];
      let retry: string | undefined;
      for (let i = 0; i < 5; i++) {
        const r = await small.inject({ url: '/beta/auditLogs/signIns?$top=1', headers: auth });
        codes.push(r.statusCode);
        if (r.statusCode === 429) retry = String(r.headers['retry-after']);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retry)).toBeGreaterThanOrEqual(1);
    } finally {
      await small.close();
    }
  });
});

describe('the route inventory and /openapi.json', () => {
  it('lists every route the server has, and nothing else', () => {
    const lines = app.printRoutes({ commonPrefix: false, method: undefined, includeHooks: false });
    const served = new Set<string>();
    for (const r of ROUTES) {
      expect(app.hasRoute({ method: r.method, url: r.url }), `${r.method} ${r.url}`).toBe(true);
      served.add(`${r.method} ${r.url}`);
    }
    // Every route registered is in the inventory (HEAD is Fastify's automatic twin of GET).
    const registered = (app as unknown as { gatelogRoutes?: string[] }).gatelogRoutes ?? [];
    for (const r of registered) expect(served.has(r), r).toBe(true);
    expect(registered.length).toBe(ROUTES.length);
    expect(lines).toContain('signIns');
  });

  it('publishes an OpenAPI document of every route, open without credentials', async () => {
    const r = await get('/openapi.json', {});
    expect(r.status).toBe(200);
    const paths = r.body['paths'] as Record<string, Record<string, unknown>>;
    for (const route of ROUTES) expect(paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()], route.url).toBeDefined();
    expect((await get('/healthz', {})).body).toMatchObject({ status: 'ok', store: 'duckdb' });
  });
});
