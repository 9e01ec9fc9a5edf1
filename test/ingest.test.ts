// Live ingestion: POST /ingest/events and /ingest/signins with scoped API keys; events of one
// sign-in merged into one line item; retries never doubled; overload and size limits answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { planFilter } from '../src/query/plan.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { runCli } from './helpers/cli.js';
import { signIn } from './helpers/records.js';

const ADMIN = 'ingest-test-admin-0123456789';
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
let dir: string;
let store: SignInStore;
let app: FastifyInstance;
let keys: ApiKeys;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-ingest-'));
  store = await DuckDbStore.open({ dataDir: join(dir, 'store') });
  keys = new ApiKeys(dir);
  app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(ADMIN), apiKeys: keys }, skipTokenKey: Buffer.alloc(32, 9), maxIngestBytes: 200_000, throttle: { perSecond: 1e6, burst: 1e6 } });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(url: string, token: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', ...headers }, payload: body });
}

const ndjson = (xs: readonly unknown[]): string => xs.map((x) => JSON.stringify(x)).join('\n');

describe('API keys', () => {
  it('lets an ingest key write but not read, and a read key read but not write', async () => {
    const ingest = keys.create({ name: 'pipeline', scope: 'ingest' }).key;
    const read = keys.create({ name: 'siem', scope: 'read' }).key;
    const rec = signIn({ resourceTenantId: T1 });
    expect((await post('/ingest/signins', ingest, ndjson([rec]))).statusCode).toBe(200);
    const denied = await app.inject({ url: '/beta/auditLogs/signIns', headers: { authorization: `Bearer ${ingest}` } });
    expect(denied.statusCode).toBe(403);
    expect(JSON.parse(denied.body).error.code).toBe('Authorization_RequestDenied');
    expect((await app.inject({ url: `/beta/auditLogs/signIns/${rec['id'] as string}`, headers: { authorization: `Bearer ${read}` } })).statusCode).toBe(200);
    expect((await post('/ingest/signins', read, ndjson([signIn()]))).statusCode).toBe(403);
  });

  it('refuses revoked, expired, altered and unknown keys with 401', async () => {
    const { record, key } = keys.create({ name: 'temp', scope: 'ingest' });
    expect((await post('/ingest/signins', key, ndjson([signIn()]))).statusCode).toBe(200);
    keys.revoke(record.id);
    const revoked = await post('/ingest/signins', key, ndjson([signIn()]));
    expect(revoked.statusCode).toBe(401);
    expect(JSON.parse(revoked.body).error.message).toContain('revoked');
    const expired = keys.create({ name: 'old', scope: 'ingest', expiresAt: new Date(Date.now() - 1000) }).key;
    expect(JSON.parse((await post('/ingest/signins', expired, ndjson([signIn()]))).body).error.message).toContain('expired');
    expect((await post('/ingest/signins', `${key.slice(0, -2)}xx`, ndjson([signIn()]))).statusCode).toBe(401);
    expect((await post('/ingest/signins', 'glk_000000000000_nope', ndjson([signIn()]))).statusCode).toBe(401);
  });

  it('keeps a key limited to a tenant inside it', async () => {
    const only1 = keys.create({ name: 't1 feed', scope: 'ingest', tenants: [T1] }).key;
    const r = await post('/ingest/signins', only1, ndjson([signIn({ resourceTenantId: T1 }), signIn({ resourceTenantId: T2 })]));
    const body = JSON.parse(r.body) as { imported: number; rejected: number; rejects: { reason: string }[] };
    // With one tenant, the key files everything under it.
    expect(body).toMatchObject({ imported: 2, rejected: 0 });
    const both = keys.create({ name: 'two', scope: 'ingest', tenants: [T1, '33333333-3333-4333-8333-333333333333'] }).key;
    const r2 = JSON.parse((await post('/ingest/signins', both, ndjson([signIn({ resourceTenantId: T1 }), signIn({ resourceTenantId: T2 })]))).body) as { imported: number; rejects: { reason: string }[] };
    expect(r2.imported).toBe(1);
    expect(r2.rejects[0]?.reason).toBe(`tenant ${T2} is not one this credential may write into`);
    expect((await post(`/ingest/signins?tenant=${T2}`, only1, ndjson([signIn()]))).statusCode).toBe(403);
  });

  it('is managed with gatelog keys create, list and revoke', async () => {
    const data = mkdtempSync(join(tmpdir(), 'gatelog-keys-'));
    try {
      const created = await runCli(['keys', 'create', '--scope', 'ingest', '--name', 'edge', '--expires', '30d', '--data', data]);
      expect(created.code).toBe(0);
      expect(created.stdout.trim()).toMatch(/^glk_[0-9a-f]{12}_[\w-]{32}$/);
      const list = JSON.parse((await runCli(['keys', 'list', '--output', 'json', '--data', data])).stdout) as { id: string; name: string; hash?: string }[];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ name: 'edge', scope: 'ingest' });
      expect(list[0]).not.toHaveProperty('hash');
      expect((await runCli(['keys', 'revoke', list[0]!.id, '--data', data])).code).toBe(0);
      expect((await runCli(['keys', 'revoke', 'nope', '--data', data])).stderr).toContain("no API key with id 'nope'");
      expect(new ApiKeys(data).verify(created.stdout.trim())).toMatchObject({ problem: expect.stringContaining('revoked') });
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});

describe('POST /ingest/events', () => {
  const id = '00000000-0000-4000-8000-0000000ee001';
  const sign = { id, createdDateTime: '2026-05-01T10:00:00Z', correlationId: 'corr-ev-1', userPrincipalName: 'adele@contoso.example', resourceTenantId: T1 };
  const steps = [
    { eventId: 'e1', observedAt: '2026-05-01T10:00:02Z', signIn: { ...sign, status: { errorCode: 50074 }, authenticationRequirement: 'singleFactorAuthentication', authenticationDetails: [{ authenticationStepDateTime: '2026-05-01T10:00:01Z', authenticationMethod: 'Password', succeeded: true, authenticationStepResultDetail: 'Correct password' }] } },
    { eventId: 'e2', observedAt: '2026-05-01T10:00:20Z', signIn: { ...sign, status: { errorCode: 500121 }, authenticationRequirement: 'multiFactorAuthentication', authenticationDetails: [{ authenticationStepDateTime: '2026-05-01T10:00:19Z', authenticationMethod: 'Mobile app notification', succeeded: false, authenticationStepResultDetail: 'MFA denied; user declined the authentication' }] } },
    { eventId: 'e3', observedAt: '2026-05-01T10:00:40Z', signIn: { ...sign, status: { errorCode: 0 }, authenticationDetails: [{ authenticationStepDateTime: '2026-05-01T10:00:39Z', authenticationMethod: 'Mobile app notification', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed' }] } },
    { eventId: 'e4', observedAt: '2026-05-01T10:00:50Z', signIn: { ...sign, conditionalAccessStatus: 'success' } },
  ];

  it('turns four events sent out of order into one line item; the raw view has all four', async () => {
    const r1 = JSON.parse((await post('/ingest/events', ADMIN, ndjson([steps[3], steps[1]]))).body) as Record<string, number>;
    const r2 = JSON.parse((await post('/ingest/events', ADMIN, ndjson([steps[2], steps[0]]))).body) as Record<string, number>;
    expect(r1['imported']! + r1['updated']! + r2['imported']! + r2['updated']!).toBe(4);
    const got = (await store.get(id))!.record;
    expect(got.authenticationDetails?.map((d) => d.authenticationStepResultDetail)).toEqual(['Correct password', 'MFA denied; user declined the authentication', 'MFA successfully completed']);
    expect(got.status?.errorCode).toBe(0);
    expect(got.authenticationRequirement).toBe('multiFactorAuthentication');
    expect(got.conditionalAccessStatus).toBe('success');
    const raw = await store.listEvents([{ tenantId: T1, id }]);
    expect(raw.map((e) => (JSON.parse(e.raw ?? '{}') as { eventId: string }).eventId)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('never doubles a retried event (same eventId), even with other text', async () => {
    const r = JSON.parse((await post('/ingest/events', ADMIN, gzipSync(ndjson([steps[0], { ...steps[1], extraNote: 'retried' }])), { 'content-encoding': 'gzip' })).body) as Record<string, number>;
    expect(r).toMatchObject({ read: 2, imported: 0, updated: 0, unchanged: 2 });
    expect(await store.listEvents([{ tenantId: T1, id }])).toHaveLength(4);
  });

  it('takes concurrent batches from several clients, every event landing once', async () => {
    const batch = (client: number) =>
      ndjson(
        Array.from({ length: 300 }, (_, i) => {
          const n = client * 1000 + i;
          return { eventId: `c${n}`, observedAt: '2026-05-02T10:00:00Z', signIn: { ...sign, id: `00000000-0000-4000-8000-00000c${String(n).padStart(6, '0')}`, correlationId: `corr-c${n}` } };
        }),
      );
    const answers = await Promise.all([1, 2, 3, 4].map((c) => post('/ingest/events', ADMIN, batch(c))));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => (JSON.parse(a.body) as { imported: number }).imported)).toEqual([300, 300, 300, 300]);
    expect(await store.count(planFilter("startsWith(correlationId, 'corr-c')", 'beta').condition)).toBe(1200);
  });

  it('lists each bad event with its line and reason and keeps the good ones', async () => {
    const r = JSON.parse((await post('/ingest/events', ADMIN, ['{"eventId": "x1", "signIn": 5}', JSON.stringify({ eventId: 'x2', observedAt: 7, signIn: sign }), JSON.stringify({ ...steps[3], eventId: 'x3', signIn: { ...sign, id: 'ev-other', userDisplayName: 'ok' } })].join('\n'))).body) as {
      imported: number;
      rejects: { line: number; reason: string }[];
    };
    expect(r.imported).toBe(1);
    expect(r.rejects).toEqual([
      { line: 1, offset: 0, reason: 'not a Gatelog event: no "signIn" object' },
      { line: 2, offset: expect.any(Number), reason: '"observedAt" must be a date-time text' },
    ]);
  });
});

describe('limits', () => {
  it('answers 413 for a body over the limit, in Graph\'s shape', async () => {
    const big = ndjson(Array.from({ length: 200 }, () => signIn({ userAgent: 'x'.repeat(2000) })));
    const r = await post('/ingest/signins', ADMIN, big);
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('Request_EntityTooLarge');
  });

  it('answers 503 with Retry-After when it is writing as many batches as it takes', async () => {
    const small = await buildServer({ store, auth: { adminTokenHash: sha256Hex(ADMIN) }, skipTokenKey: Buffer.alloc(32, 9), throttle: { perSecond: 1e6, burst: 1e6 }, maxConcurrentIngests: 1 });
    try {
      const body = ndjson(Array.from({ length: 300 }, () => signIn()));
      const results = await Promise.all(
        [0, 1, 2].map(() => small.inject({ method: 'POST', url: '/ingest/signins', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-ndjson' }, payload: body })),
      );
      const busy = results.filter((r) => r.statusCode === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(results.some((r) => r.statusCode === 200)).toBe(true);
      expect(busy[0]?.headers['retry-after']).toBe('1');
      expect(JSON.parse(busy[0]!.body).error.code).toBe('Server_Busy');
    } finally {
      await small.close();
    }
  });
});
