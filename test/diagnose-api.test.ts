// The diagnostic's surfaces: POST /api/diagnose and GET /api/error-codes/{code} (in process, through
// the real server with its authentication, tenant scope and audit), and `gatelog diagnose` /
// `gatelog error-code` (the real command).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import type { DiagnoseResult } from '../src/diagnose/diagnose.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { runCli } from './helpers/cli.js';
import { incoming, signIn } from './helpers/records.js';
import { makeToken } from './diagnose.case.js';

const TOKEN = 'diagnose-test-token-0123456789abcdef';
const TENANT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const TENANT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const FLOW = 'c0ffee00-0000-4000-8000-0000000000d1';

const blocked = signIn({
  resourceTenantId: TENANT_A,
  correlationId: FLOW,
  createdDateTime: '2026-05-01T08:00:00Z',
  status: { errorCode: 53003, failureReason: 'Access has been blocked by Conditional Access policies.' },
  conditionalAccessStatus: 'failure',
  appliedConditionalAccessPolicies: [{ id: 'p1', displayName: 'Block unknown countries', result: 'failure', enforcedGrantControls: ['Block'], conditionsSatisfied: 'application,users,location' }],
});
const retry = signIn({ resourceTenantId: TENANT_A, correlationId: FLOW, createdDateTime: '2026-05-01T08:00:20Z', status: { errorCode: 53003 }, uniqueTokenIdentifier: 'yYuRNW0Z6kCXeYidebdT8A' });
const tenantB = signIn({ resourceTenantId: TENANT_B, status: { errorCode: 50126 } });

describe('the diagnostic over the API and the command line', () => {
  let work: string;
  let dir: string;
  let store: SignInStore;
  let app: FastifyInstance;
  let keys: ApiKeys;

  async function post(body: unknown, token: string = TOKEN) {
    const r = await app.inject({ method: 'POST', url: '/api/diagnose', payload: body as object, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    return { status: r.statusCode, body: JSON.parse(r.body) as DiagnoseResult & { error?: { code: string; message: string } } };
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gatelog-diagnose-api-'));
    dir = join(work, 'data');
    store = await DuckDbStore.open({ dataDir: dir });
    const w = store.openWriter();
    for (const r of [blocked, retry, tenantB]) await w.add(incoming(r, { tenant: String(r['resourceTenantId']) }));
    await w.flush();
    keys = new ApiKeys(dir);
    app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN), apiKeys: keys }, skipTokenKey: Buffer.alloc(32, 3), throttle: { perSecond: 1000, burst: 1000 } });
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('POST /api/diagnose {id}: the findings, the correlated sign-ins, and the read in the audit', async () => {
    const r = await post({ id: blocked['id'] });
    expect(r.status).toBe(200);
    const [d] = r.body.diagnoses;
    expect(d?.findings[0]).toMatchObject({ scenario: 'blocked-by-conditional-access', severity: 'failure' });
    expect(d?.findings[0]?.evidence).toContainEqual({ field: 'appliedConditionalAccessPolicies/0/displayName', value: 'Block unknown countries', note: 'policy id p1' });
    expect(d?.correlated.map((s) => s.id)).toEqual([retry['id']]);
    expect(d?.errorCode).toMatchObject({ code: 53003, known: true, name: 'BlockedByConditionalAccess', failureReason: 'Access has been blocked by Conditional Access policies.' });
    const [entry] = await store.listAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: 'POST /api/diagnose', rows: 2, status: 200 });
  });

  it('POST /api/diagnose by correlation ID, request ID and token', async () => {
    expect((await post({ correlationId: FLOW })).body.signIns.map((s) => s.id)).toEqual([retry['id'], blocked['id']]);
    expect((await post({ requestId: String(retry['id']).toUpperCase() })).body.signIns.map((s) => s.id)).toEqual([retry['id']]);
    const t = await post({ token: makeToken({ uti: 'yYuRNW0Z6kCXeYidebdT8A' }) });
    expect(t.body.token?.signatureChecked).toBe(false);
    expect(t.body.signIns.map((s) => [s.id, s.matchedBy])).toEqual([[retry['id'], ['uniqueTokenIdentifier']]]);
  });

  it('reads only what the caller may read', async () => {
    const a = keys.create({ name: 'tenant A reader', scope: 'read', tenants: [TENANT_A] }).key;
    expect((await post({ id: tenantB['id'] }, a)).body.signIns).toEqual([]);
    expect((await post({ id: blocked['id'] }, a)).body.signIns).toHaveLength(1);
    const writer = keys.create({ name: 'writer', scope: 'ingest' }).key;
    expect((await post({ id: blocked['id'] }, writer)).status).toBe(403);
    const none = await app.inject({ method: 'POST', url: '/api/diagnose', payload: { id: 'x' } });
    expect(none.statusCode).toBe(401);
  });

  it('bad input is a 400 naming the field', async () => {
    const both = await post({ id: 'a', correlationId: 'b' });
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'Request_BadRequest', message: expect.stringContaining('give one input only') });
    expect((await post({ user: 'megan@contoso.example' })).body.error?.message).toMatch(/^since: is required with user/);
    expect((await post({ user: 'megan@contoso.example', since: 'yesterday' })).body.error?.message).toMatch(/^since: 'yesterday' is not a date-time/);
    expect((await post({ token: 'abc' })).body.error?.message).toMatch(/^token: a JWT has three parts/);
    expect((await post({ user: 'megan@contoso.example', since: '2026-05-01T08:00:00' })).body.error?.message).toMatch(/^since: '2026-05-01T08:00:00' is not a date-time with a zone/);
    expect((await post({ user: 'megan@contoso.example', since: '2026-05-01', until: '2026-04-01' })).body.error?.message).toMatch(/^until: is before since/);
    expect((await post({ sinse: 'x' })).body.error?.message).toMatch(/^sinse: is not an input/);
    expect((await post([])).status).toBe(400);
  });

  it('GET /api/error-codes/{code}: known, prefixed, unknown, malformed', async () => {
    const get = async (url: string) => {
      const r = await app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } });
      return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
    };
    expect((await get('/api/error-codes/50126')).body).toMatchObject({ code: 50126, known: true, name: 'InvalidUserNameOrPassword' });
    expect((await get('/api/error-codes/AADSTS50053')).body).toMatchObject({ code: 50053, known: true, name: 'IdsLocked' });
    expect((await get('/api/error-codes/4242424')).body).toMatchObject({ code: 4242424, known: false, meaning: expect.stringContaining('unknown') });
    expect((await get('/api/error-codes/abc')).status).toBe(400);
    expect(((await get('/api/error-codes')).body['value'] as unknown[]).length).toBeGreaterThan(300);
  });

  describe('gatelog diagnose and gatelog error-code', () => {
    beforeAll(async () => {
      // The command opens the store itself.
      await app.close();
      await store.close();
    });

    it('diagnoses a sign-in by id, as text and as JSON, and records the read', async () => {
      const r = await runCli(['diagnose', String(blocked['id']), '--data', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('[failure] Blocked by Conditional Access (blocked-by-conditional-access)');
      expect(r.stdout).toContain("'Block unknown countries'");
      expect(r.stdout).toContain('Error code 53003 BlockedByConditionalAccess');
      const j = await runCli(['diagnose', '--correlation-id', FLOW, '--data', dir, '--output', 'json']);
      expect((JSON.parse(j.stdout) as DiagnoseResult).diagnoses).toHaveLength(2);
      const audit = await runCli(['audit', '--data', dir, '--output', 'json']);
      expect(audit.stdout).toContain('gatelog diagnose');
    });

    it('reads a token, saying its signature is not checked', async () => {
      const r = await runCli(['diagnose', '--token', makeToken({ uti: 'yYuRNW0Z6kCXeYidebdT8A' }), '--data', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('signature NOT checked');
      expect(r.stdout).toContain('35918bc9-196d-40ea-9779-889d79b753f0');
      expect(r.stdout).toContain(String(retry['id']));
    });

    it('says what is wrong with its flags, and when nothing is found', async () => {
      const both = await runCli(['diagnose', 'x', '--user', 'megan@contoso.example', '--data', dir]);
      expect(both.code).toBe(1);
      expect(both.stderr).toContain('give one input only, not both id and --user');
      const noSince = await runCli(['diagnose', '--user', 'megan@contoso.example', '--data', dir]);
      expect(noSince.stderr).toContain('--since: is required with --user');
      const none = await runCli(['diagnose', '--request-id', '00000000-0000-4000-8000-00000000dead', '--data', dir]);
      expect(none.code).toBe(1);
      expect(none.stdout).toContain("No sign-in found for the request ID '00000000-0000-4000-8000-00000000dead'");
    });

    it('gatelog error-code explains a code, and says when it is unknown', async () => {
      const r = await runCli(['error-code', 'AADSTS50126']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^50126 InvalidUserNameOrPassword\nMeaning: /);
      const u = await runCli(['error-code', '4242424']);
      expect(u.code).toBe(1);
      expect(u.stdout).toContain('unknown');
      expect((await runCli(['error-code', 'abc'])).stderr).toContain("'abc' is not an error code");
    });
  });
});
