// The correlation view: sign-ins that share a correlation ID stay separate line items and are read
// together — GET /api/correlations/{id} (in process, as test/api-graph.test.ts) and
// `gatelog query --correlation ID` (the real command).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { ROUTES } from '../src/api/routes/inventory.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { importPaths } from '../src/ingest/import-files.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { runCli } from './helpers/cli.js';
import { signIn } from './helpers/records.js';

const TOKEN = 'correlation-test-token-0123456789';
const TENANT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const TENANT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const CORRELATION = 'c0ffee00-1234-4abc-8def-0000000000c1';
const MFA_ID = 'd0000000-0000-4000-8000-000000000001';
const REFRESH_ID = 'd0000000-0000-4000-8000-000000000002';

function amRow(time: string, category: string, props: Record<string, unknown>): Record<string, unknown> {
  return {
    time,
    resourceId: `/tenants/${TENANT_A}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    category,
    tenantId: TENANT_A,
    correlationId: CORRELATION,
    properties: { userPrincipalName: 'megan@contoso.example', appDisplayName: 'Office 365 Exchange Online', correlationId: CORRELATION, resourceTenantId: TENANT_A, ...props },
  };
}

/** Tenant A: an MFA sign-in in three Azure Monitor rows, then a non-interactive token refresh of the same flow. */
const ROWS = [
  amRow('2026-04-01T08:00:05Z', 'SignInLogs', { id: MFA_ID, createdDateTime: '2026-04-01T08:00:00Z', status: { errorCode: 50074 } }),
  amRow('2026-04-01T08:00:40Z', 'SignInLogs', { id: MFA_ID, createdDateTime: '2026-04-01T08:00:00Z', status: { errorCode: 500121 } }),
  amRow('2026-04-01T08:01:10Z', 'SignInLogs', { id: MFA_ID, createdDateTime: '2026-04-01T08:00:00Z', status: { errorCode: 0 } }),
  amRow('2026-04-01T08:05:00Z', 'NonInteractiveUserSignInLogs', { id: REFRESH_ID, createdDateTime: '2026-04-01T08:04:59Z', status: { errorCode: 0 } }),
];
/** Tenant B: a service-principal sign-in of the same flow (the correlation ID in upper case), with an unknown property. */
const otherTenant = signIn({
  createdDateTime: '2026-04-01T08:02:00Z',
  correlationId: CORRELATION.toUpperCase(),
  resourceTenantId: TENANT_B,
  homeTenantId: TENANT_B,
  signInEventTypes: ['servicePrincipal'],
  isInteractive: false,
  servicePrincipalName: 'Mail Sync',
  vendorNote: 'kept',
});
const unrelated = signIn({ createdDateTime: '2026-04-01T08:03:00Z', resourceTenantId: TENANT_A });

let work: string;

/** A store of its own, holding the data set (closed when `keepOpen` is false). */
async function buildStore(name: string): Promise<{ dir: string; store: SignInStore }> {
  const dir = join(work, name);
  const input = join(work, `${name}-input`);
  mkdirSync(input);
  writeFileSync(join(input, 'PT1H.json'), ROWS.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(join(input, 'graph.ndjson'), [otherTenant, unrelated].map((r) => `${JSON.stringify(r)}\n`).join(''));
  const store = await DuckDbStore.open({ dataDir: dir });
  const summary = await importPaths(store, [join(input, 'PT1H.json'), join(input, 'graph.ndjson')], { format: 'auto' });
  expect(summary).toMatchObject({ read: 6, rejected: 0 });
  return { dir, store };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gatelog-correlation-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('GET /api/correlations/{id}', () => {
  let store: SignInStore;
  let app: FastifyInstance;
  let keys: ApiKeys;

  async function get(url: string, token: string | null = TOKEN) {
    const r = await app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
  }

  beforeAll(async () => {
    const built = await buildStore('api');
    store = built.store;
    keys = new ApiKeys(built.dir);
    app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN), apiKeys: keys }, skipTokenKey: Buffer.alloc(32, 3), throttle: { perSecond: 1000, burst: 1000 } });
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('lists every sign-in of the correlation, all event types, oldest first, in Graph beta shape, with their raw events', async () => {
    const r = await get(`/api/correlations/${CORRELATION}`);
    expect(r.status).toBe(200);
    expect(r.body['correlationId']).toBe(CORRELATION);
    const signIns = r.body['signIns'] as Record<string, unknown>[];
    expect(signIns.map((s) => s['id'])).toEqual([MFA_ID, otherTenant['id'], REFRESH_ID]);
    // Graph's beta shape: every property present, unknown properties kept.
    expect(Object.keys(signIns[0] as object).length).toBeGreaterThanOrEqual(77);
    expect(signIns[0]).toMatchObject({ status: { errorCode: 0 }, signInEventTypes: ['interactiveUser'], mfaDetail: null });
    expect(signIns[1]).toMatchObject({ signInEventTypes: ['servicePrincipal'], vendorNote: 'kept' });
    expect(signIns[2]).toMatchObject({ signInEventTypes: ['nonInteractiveUser'] });
    // The MFA sign-in's three rows (raw parsed: the Azure Monitor records as they came), then the others'.
    const events = r.body['events'] as Record<string, unknown>[];
    expect(events.map((e) => e['signInId'])).toEqual([MFA_ID, MFA_ID, MFA_ID, otherTenant['id'], REFRESH_ID]);
    expect(events.slice(0, 3).map((e) => e['raw'])).toEqual(ROWS.slice(0, 3));
    expect(events[0]).toMatchObject({ tenantId: TENANT_A, format: 'azure-monitor', observedAt: '2026-04-01T08:00:05Z', line: 1 });
    expect(events[0]?.['reading']).toMatchObject({ record: { id: MFA_ID, status: { errorCode: 50074 } } });
    // A Graph record that is the line item as received: no separate raw text.
    expect(events[3]).toMatchObject({ tenantId: TENANT_B, format: 'graph', raw: null });
  });

  it('matches the correlation ID case-insensitively', async () => {
    const r = await get(`/api/correlations/${CORRELATION.toUpperCase()}`);
    expect(r.status).toBe(200);
    expect((r.body['signIns'] as unknown[]).length).toBe(3);
  });

  it('answers 404 in Graph\'s error shape when no sign-in has the correlation ID', async () => {
    const r = await get('/api/correlations/00000000-0000-0000-0000-00000000dead');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: { code: 'Request_ResourceNotFound', message: expect.stringContaining('00000000-0000-0000-0000-00000000dead'), innerError: { 'request-id': expect.any(String) } } });
    const quote = await get(`/api/correlations/${encodeURIComponent("x' or 1 eq 1 or 'a")}`);
    expect(quote.status).toBe(404);
  });

  it('needs credentials with the read permission, and reads only the caller\'s tenants', async () => {
    expect((await get(`/api/correlations/${CORRELATION}`, null)).status).toBe(401);
    expect(ROUTES.find((x) => x.url === '/api/correlations/:id')).toMatchObject({ method: 'GET', permission: 'read' });
    const ingestOnly = keys.create({ name: 'writer', scope: 'ingest' }).key;
    expect((await get(`/api/correlations/${CORRELATION}`, ingestOnly)).status).toBe(403);
    const tenantA = keys.create({ name: 'tenant A reader', scope: 'read', tenants: [TENANT_A] }).key;
    const a = await get(`/api/correlations/${CORRELATION}`, tenantA);
    expect(a.status).toBe(200);
    expect((a.body['signIns'] as { id: string }[]).map((s) => s.id)).toEqual([MFA_ID, REFRESH_ID]);
    expect(new Set((a.body['events'] as { tenantId: string }[]).map((e) => e.tenantId))).toEqual(new Set([TENANT_A]));
    const elsewhere = keys.create({ name: 'other reader', scope: 'read', tenants: ['eeeeeeee-0000-4000-8000-00000000000e'] }).key;
    expect((await get(`/api/correlations/${CORRELATION}`, elsewhere)).status).toBe(404);
  });
});

describe('gatelog query --correlation', () => {
  let dir: string;

  beforeAll(async () => {
    const built = await buildStore('cli');
    dir = built.dir;
    await built.store.close();
  });

  it('prints the sign-ins as received and their raw events as json', async () => {
    const r = await runCli(['query', '--data', dir, '--correlation', CORRELATION.toUpperCase(), '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { correlationId: string; signIns: Record<string, unknown>[]; events: Record<string, unknown>[] };
    expect(body.correlationId).toBe(CORRELATION.toUpperCase());
    expect(body.signIns.map((s) => s['id'])).toEqual([MFA_ID, otherTenant['id'], REFRESH_ID]);
    // As received: no nulls added, the unknown property in place.
    expect(body.signIns[1]).toMatchObject({ vendorNote: 'kept', correlationId: CORRELATION.toUpperCase() });
    expect(body.signIns[1]).not.toHaveProperty('mfaDetail');
    expect(body.events).toHaveLength(5);
    expect(body.events[2]?.['raw']).toEqual(ROWS[2]);
  });

  it('prints the line items, then the raw rows, as tables', async () => {
    const r = await runCli(['query', '--data', dir, '--correlation', CORRELATION]);
    expect(r.code, r.stderr).toBe(0);
    const [head, items, events] = r.stdout.split('\n\n');
    expect(head).toBe(`Correlation ID ${CORRELATION}: 3 sign-ins, 5 raw events`);
    expect(items?.split('\n')[0]).toMatch(/^Date \(UTC\)\s+Request ID/);
    expect(items?.split('\n').slice(2).map((l) => l.split(/\s+/)[1])).toEqual([MFA_ID, otherTenant['id'], REFRESH_ID]);
    expect(events?.split('\n')[0]).toBe('Raw events');
    expect(events?.split('\n')[1]).toMatch(/^Observed \(UTC\)\s+Received \(UTC\)\s+Request ID\s+Format\s+Source\s+Partial$/);
    expect(events?.trimEnd().split('\n').slice(3)).toHaveLength(5);
    expect(events).toContain('azure-monitor');
  });

  it('narrows by --tenant, and says so when nothing has the correlation ID', async () => {
    const r = await runCli(['query', '--data', dir, '--correlation', CORRELATION, '--tenant', TENANT_B, '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { signIns: { id: string }[] }).signIns.map((s) => s.id)).toEqual([otherTenant['id']]);
    const none = await runCli(['query', '--data', dir, '--correlation', 'no-such-correlation']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no sign-in with correlation ID 'no-such-correlation'/);
    const top = await runCli(['query', '--data', dir, '--correlation', CORRELATION, '--top', '2']);
    expect(top.code).toBe(1);
    expect(top.stderr).toMatch(/--top/);
  });
});
