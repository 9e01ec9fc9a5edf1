// Tenant isolation: one store holds two log tenants, A and B, with guests of each in the other.
// A reader limited to tenant A sees A's log and its own users' sign-ins in B's log (Entra shows a
// cross-tenant sign-in to both tenants), and never one of B's own sign-ins — through listing, get,
// $filter tricks, a skiptoken of B's, counts and the correlation view. The home tenant's name is
// never kept in a cross-tenant record. Every read made here is in the audit. The same suite runs on
// DuckDB and on a two-shard ClickHouse cluster: the scope is part of the query, not of the route.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { importPaths } from '../src/ingest/import-files.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { AuditEntry, SignInStore } from '../src/store/sign-in-store.js';
import { describeWithClickHouse, startClickHouseCluster, type ClickHouseCluster } from './helpers/clickhouse.js';
import { signIn } from './helpers/records.js';

const ADMIN = 'isolation-admin-token-0123456789abcdef';
const TA = 'aaaaaaaa-1111-4111-8111-00000000000a';
const TB = 'bbbbbbbb-2222-4222-8222-00000000000b';
const SHARED_CORRELATION = 'c0000000-5555-4555-8555-000000000001';

const base = { signInEventTypes: ['interactiveUser'], isInteractive: true };
const aOwn = signIn({ ...base, resourceTenantId: TA, homeTenantId: TA, homeTenantName: 'Contoso A', userPrincipalName: 'alex@a.example', correlationId: SHARED_CORRELATION });
const aOwn2 = signIn({ ...base, resourceTenantId: TA, homeTenantId: TA, userPrincipalName: 'ana@a.example', status: { errorCode: 50126 } });
const bOwn = signIn({
  ...base,
  resourceTenantId: TB,
  homeTenantId: TB,
  userPrincipalName: 'secret@b.example',
  correlationId: SHARED_CORRELATION,
  appliedConditionalAccessPolicies: [{ id: 'pB', displayName: 'B only', result: 'reportOnlyFailure', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [] }],
});
const bOwnQuiet = signIn({ resourceTenantId: TB, homeTenantId: TB, userPrincipalName: 'svc@b.example', signInEventTypes: ['nonInteractiveUser'], isInteractive: false });
/** A's user as a guest in B: in B's log, visible to A (its home tenant). */
const guestAinB = signIn({ ...base, resourceTenantId: TB, homeTenantId: TA, homeTenantName: 'Contoso A', userType: 'guest', crossTenantAccessType: 'b2bCollaboration', userPrincipalName: 'alex@a.example' });
/** B's user as a guest in A: in A's log, visible to B. */
const guestBinA = signIn({ ...base, resourceTenantId: TA, homeTenantId: TB, homeTenantName: 'Fabrikam B', userType: 'guest', crossTenantAccessType: 'b2bCollaboration', userPrincipalName: 'bo@b.example' });
/** The same kind of guest, sent by an identity provider as an event (its raw text names the home tenant). */
const guestEventId = 'e0000000-7777-4777-8777-000000000001';
const guestEvent = {
  eventId: 'idp-guest-1',
  observedAt: '2026-03-02T09:00:01Z',
  tenantId: TB,
  signIn: { ...base, id: guestEventId, createdDateTime: '2026-03-02T09:00:00Z', resourceTenantId: TB, homeTenantId: TA, homeTenantName: 'Contoso A', userPrincipalName: 'amy@a.example', correlationId: 'c0000000-5555-4555-8555-000000000002' },
};

const id = (r: Record<string, unknown>): string => r['id'] as string;
const ALL_TYPES = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')";

function isolationSuite(backend: string, openStore: () => Promise<SignInStore>): void {
  describe(`tenant isolation (${backend})`, () => {
    let work: string;
    let store: SignInStore;
    let app: FastifyInstance;
    let keyA: string;
    let keyB: string;
    /** Reads made with each key: every one must be in the audit. */
    const made: { key: string; url: string; status: number; rows: number }[] = [];

    async function read(key: string, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
      const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
      const body = JSON.parse(r.body) as Record<string, unknown>;
      const rows = Array.isArray(body) ? body.length : Array.isArray(body['value']) ? (body['value'] as unknown[]).length : Array.isArray(body['signIns']) ? (body['signIns'] as unknown[]).length + (body['events'] as unknown[]).length : r.statusCode === 200 ? 1 : 0;
      made.push({ key, url, status: r.statusCode, rows });
      return { status: r.statusCode, body };
    }

    async function diagnoseAs(key: string, input: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
      const r = await app.inject({ method: 'POST', url: '/api/diagnose', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(input) });
      const body = JSON.parse(r.body) as Record<string, unknown>;
      made.push({ key, url: '/api/diagnose', status: r.statusCode, rows: r.statusCode === 200 ? (body['rows'] as number) : 0 });
      return { status: r.statusCode, body };
    }

    async function reportAs(key: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
      const r = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } });
      const body = JSON.parse(r.body) as Record<string, unknown>;
      made.push({ key, url: path, status: r.statusCode, rows: r.statusCode === 200 ? (body['signIns'] as number) : 0 });
      return { status: r.statusCode, body };
    }

    async function list(key: string, filter: string, extra = ''): Promise<string[]> {
      const r = await read(key, `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}${extra}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body['value'] as Record<string, unknown>[]).map(id).sort();
    }

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'gatelog-isolation-'));
      const graph = join(work, 'sign-ins.ndjson');
      writeFileSync(graph, [aOwn, aOwn2, bOwn, bOwnQuiet, guestAinB, guestBinA].map((r) => JSON.stringify(r)).join('\n'));
      const events = join(work, 'events.ndjson');
      writeFileSync(events, `${JSON.stringify(guestEvent)}\n`);
      store = await openStore();
      expect(await importPaths(store, [graph, events], { format: 'auto' })).toMatchObject({ read: 7, imported: 7, rejected: 0 });
      const keys = new ApiKeys(work);
      keyA = keys.create({ name: 'tenant A reader', scope: 'read', tenants: [TA] }).key;
      keyB = keys.create({ name: 'tenant B reader', scope: 'read', tenants: [TB] }).key;
      app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(ADMIN), apiKeys: keys }, skipTokenKey: Buffer.alloc(32, 5), throttle: { perSecond: 1e6, burst: 1e6 }, logger: false });
    });

    afterAll(async () => {
      await app?.close();
      await store?.close();
      rmSync(work, { recursive: true, force: true });
    });

    const visibleToA = () => [aOwn, aOwn2, guestBinA, guestAinB, { id: guestEventId }].map(id).sort();
    const visibleToB = () => [bOwn, bOwnQuiet, guestAinB, guestBinA, { id: guestEventId }].map(id).sort();

    it("lists a tenant's own log and its users' sign-ins elsewhere, never the other tenant's own", async () => {
      expect(await list(keyA, ALL_TYPES)).toEqual(visibleToA());
      expect(await list(keyB, ALL_TYPES)).toEqual(visibleToB());
      // Graph's default listing (interactive only) and v1.0 too.
      const r = await read(keyA, '/v1.0/auditLogs/signIns');
      expect((r.body['value'] as Record<string, unknown>[]).map(id).sort()).toEqual(visibleToA());
      const counted = await read(keyA, `/beta/auditLogs/signIns?$count=true&$filter=${encodeURIComponent(ALL_TYPES)}`);
      expect(counted.body['@odata.count']).toBe(5);
    });

    it("answers 404 for the other tenant's own sign-ins, and finds shared ones", async () => {
      for (const v of ['v1.0', 'beta']) {
        for (const other of [bOwn, bOwnQuiet]) {
          const r = await read(keyA, `/${v}/auditLogs/signIns/${id(other)}`);
          expect(r.status).toBe(404);
          expect(JSON.stringify(r.body)).not.toContain('secret@b.example');
        }
        expect((await read(keyA, `/${v}/auditLogs/signIns/${id(guestAinB)}`)).status).toBe(200);
        expect((await read(keyB, `/${v}/auditLogs/signIns/${id(aOwn)}`)).status).toBe(404);
      }
    });

    it('cannot be widened by a filter: or, not, nested lambdas, tenant ids, the other tenant\'s values', async () => {
      const tricks: [string, string[]][] = [
        [`id eq '${id(bOwn)}'`, []],
        [`id eq '${id(bOwn)}' or id eq '${id(aOwn)}'`, [id(aOwn)]],
        [`userPrincipalName eq 'secret@b.example' or userPrincipalName ne 'secret@b.example'`, visibleToA()],
        [`resourceTenantId eq '${TB}'`, [id(guestAinB), guestEventId].sort()],
        [`not (resourceTenantId eq '${TA}')`, [id(guestAinB), guestEventId].sort()],
        [`homeTenantId eq '${TB}' or homeTenantId ne '${TB}' or homeTenantId eq null`, visibleToA()],
        [`appliedConditionalAccessPolicies/any(p: p/id eq 'pB' or p/enforcedGrantControls/any(g: g eq 'Mfa'))`, [aOwn, aOwn2, guestBinA, guestAinB].map(id).sort()],
        [`appliedConditionalAccessPolicies/any(p: p/result eq 'reportOnlyFailure')`, []],
        [`signInEventTypes/any(t: t eq 'nonInteractiveUser')`, []],
        [`${ALL_TYPES} and (resourceTenantId eq '${TB}' or homeTenantId eq '${TB}')`, [id(guestAinB), id(guestBinA), guestEventId].sort()],
      ];
      for (const [filter, expected] of tricks) expect(await list(keyA, filter), filter).toEqual(expected);
    });

    it("refuses a skiptoken taken from the other tenant's listing", async () => {
      const first = await read(keyB, `/beta/auditLogs/signIns?$top=1&$filter=${encodeURIComponent(ALL_TYPES)}`);
      const next = first.body['@odata.nextLink'] as string;
      expect(next).toContain('$skiptoken=');
      const path = next.slice(next.indexOf('/beta/'));
      // B may follow its own link; A, with the same URL, is refused.
      expect((await read(keyB, path)).status).toBe(200);
      const r = await read(keyA, path);
      expect(r.status).toBe(400);
      expect((r.body['error'] as { code: string }).code).toBe('Request_InvalidSkipToken');
    });

    it('downloads only what the tenant may see, whatever the filter', async () => {
      for (const [key, visible] of [[keyA, visibleToA()], [keyB, visibleToB()]] as const) {
        const all = await read(key, '/api/signins/export?format=json');
        expect(all.status).toBe(200);
        expect((all.body as unknown as Record<string, unknown>[]).map(id).sort()).toEqual(visible);
        const widened = await read(key, `/api/signins/export?format=json&filter=${encodeURIComponent(`resourceTenantId eq '${TA}' or resourceTenantId eq '${TB}'`)}`);
        expect((widened.body as unknown as Record<string, unknown>[]).every((r) => visible.includes(id(r)))).toBe(true);
      }
    });

    it('diagnoses only what the tenant may see: its sign-ins, their correlation, the counts behind a finding', async () => {
      const flow = await diagnoseAs(keyA, { correlationId: SHARED_CORRELATION });
      expect(flow.status).toBe(200);
      expect((flow.body['signIns'] as Record<string, unknown>[]).map(id)).toEqual([id(aOwn)]);
      expect(JSON.stringify(flow.body)).not.toContain('secret@b.example');
      const other = await diagnoseAs(keyA, { id: id(bOwn) });
      expect(other.body['signIns'] ?? []).toEqual([]);
      expect(JSON.stringify(other.body)).not.toContain('secret@b.example');
      // B sees its own sign-in of the same flow, and only that.
      const mine = await diagnoseAs(keyB, { id: id(bOwn) });
      expect((mine.body['signIns'] as Record<string, unknown>[]).map(id)).toEqual([id(bOwn)]);
    });

    it('counts only what the tenant may see in every report', async () => {
      for (const name of ['overview', 'auth-methods', 'conditional-access', 'cross-tenant']) {
        const a = await reportAs(keyA, `/api/reports/${name}`);
        expect(a.status, name).toBe(200);
        const text = JSON.stringify(a.body);
        expect(text, name).not.toContain('secret@b.example');
        expect(text, name).not.toContain('svc@b.example');
        // B's report-only policy exists only in B's own sign-in.
        expect(text, name).not.toContain('B only');
      }
      const overviewA = await reportAs(keyA, '/api/reports/overview');
      const overviewB = await reportAs(keyB, '/api/reports/overview');
      expect(overviewA.body['signIns']).toBe(visibleToA().length);
      expect(overviewB.body['signIns']).toBe(visibleToB().length);
      expect(JSON.stringify((await reportAs(keyB, '/api/reports/conditional-access')).body)).toContain('B only');
    });

    it('shows only its own line items and raw events in the correlation view', async () => {
      const a = await read(keyA, `/api/correlations/${SHARED_CORRELATION}`);
      expect((a.body['signIns'] as Record<string, unknown>[]).map(id)).toEqual([id(aOwn)]);
      expect((a.body['events'] as { signInId: string }[]).every((e) => e.signInId === id(aOwn))).toBe(true);
      expect(JSON.stringify(a.body)).not.toContain('secret@b.example');
      const b = await read(keyB, `/api/correlations/${SHARED_CORRELATION}`);
      expect((b.body['signIns'] as Record<string, unknown>[]).map(id)).toEqual([id(bOwn)]);
      const admin = await app.inject({ method: 'GET', url: `/api/correlations/${SHARED_CORRELATION}`, headers: { authorization: `Bearer ${ADMIN}` } });
      expect((JSON.parse(admin.body) as { signIns: unknown[] }).signIns).toHaveLength(2);
    });

    it('keeps no home tenant name in a cross-tenant sign-in, for either tenant, raw events included', async () => {
      for (const key of [keyA, keyB]) {
        for (const guest of [id(guestAinB), id(guestBinA), guestEventId]) {
          const r = await read(key, `/beta/auditLogs/signIns/${guest}`);
          expect(r.status).toBe(200);
          expect(r.body['homeTenantId']).toBeTruthy();
          expect(r.body['homeTenantName'] ?? null).toBeNull();
        }
      }
      const events = await read(keyA, '/api/correlations/c0000000-5555-4555-8555-000000000002');
      expect(JSON.stringify(events.body)).not.toContain('Contoso A');
      const raw = (events.body['events'] as { raw: { signIn: Record<string, unknown> } }[])[0]!.raw;
      expect(raw.signIn['homeTenantId']).toBe(TA);
      expect(raw.signIn).not.toHaveProperty('homeTenantName');
      // A sign-in within one tenant keeps its home tenant's name.
      expect((await read(keyA, `/beta/auditLogs/signIns/${id(aOwn)}`)).body['homeTenantName']).toBe('Contoso A');
    });

    it('has an audit entry for every read made above, with the reader, tenants, filter, rows and status', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/audit?top=1000', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(r.statusCode).toBe(200);
      const entries = (JSON.parse(r.body) as { value: AuditEntry[] }).value;
      const byRequest = (key: string) => entries.filter((e) => e.actor.includes(key === keyA ? 'tenant A reader' : 'tenant B reader'));
      for (const key of [keyA, keyB]) {
        const mine = made.filter((m) => m.key === key);
        const logged = byRequest(key);
        expect(logged).toHaveLength(mine.length);
        expect(new Set(logged.map((e) => JSON.stringify(e.tenants)))).toEqual(new Set([JSON.stringify([key === keyA ? TA : TB])]));
        // Oldest first, the audit's entries match the reads one by one.
        const ordered = [...logged].reverse();
        mine.forEach((m, i) => {
          const e = ordered[i]!;
          expect(e.target, m.url).toBe(decodeURIComponent(m.url.split('?')[0]!));
          expect(e.status, m.url).toBe(m.status);
          expect(e.rows, m.url).toBe(m.rows);
          expect(e.via).toBe('api-key');
          const params = new URLSearchParams(m.url.split('?')[1] ?? '');
          const filter = params.get('$filter') ?? params.get('filter');
          expect(e.filter, m.url).toBe(filter);
        });
      }
      // A reader may not read the audit; the refused attempt is recorded too.
      const refused = await app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${keyA}` } });
      expect(refused.statusCode).toBe(403);
      const after = (JSON.parse((await app.inject({ method: 'GET', url: '/api/audit?top=2', headers: { authorization: `Bearer ${ADMIN}` } })).body) as { value: AuditEntry[] }).value;
      // (A listing of the audit is recorded once it is answered: it does not list itself.)
      expect(after[0]).toMatchObject({ action: 'GET /api/audit', status: 403, rows: 0, actor: expect.stringContaining('tenant A reader') });
      expect(after[1]).toMatchObject({ action: 'GET /api/audit', status: 200, via: 'admin-token', tenants: null, rows: entries.length });
    });
  });
}

isolationSuite('duckdb', async () => DuckDbStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'gatelog-isolation-db-')), threads: 1 }));

let cluster: ClickHouseCluster | undefined;
describeWithClickHouse('tenant isolation on ClickHouse', () => {
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 2 });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  isolationSuite('clickhouse, 2 shards', async () => ClickHouseStore.open({ url: cluster!.url, cluster: cluster!.name, database: `gatelog_isolation_${process.pid}` }));
});
