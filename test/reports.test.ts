// Reports end to end on DuckDB: GET /api/reports/{name} and GET /api/signins/aggregate (in process,
// with tenant-limited API keys and the audit), `gatelog report` (the real command), and every
// report checked against counts made independently, in plain JavaScript, over the demo tenant's
// NDJSON (the numbers the store computes must be the numbers the file holds).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { METHOD_FOLDS } from '../src/reports/auth-methods.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { runCli } from './helpers/cli.js';
import { checkHandBuiltReports, ingestReportRecords, RT1, RT2 } from './reports-data.js';

const TOKEN = 'reports-test-token-0123456789abcd';
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gatelog-reports-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

type Row = Record<string, string | number | boolean | null>;
interface ReportBody {
  name: string;
  signIns: number;
  sections: { id: string; rows: Row[] }[];
}
const rowsOf = (r: ReportBody, id: string): Row[] => r.sections.find((s) => s.id === id)?.rows ?? [];

describe('GET /api/reports/{name} and GET /api/signins/aggregate', () => {
  let store: DuckDbStore;
  let app: FastifyInstance;
  let keyT2: string;

  async function get(url: string, token = TOKEN) {
    const r = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
  }

  beforeAll(async () => {
    const dir = join(work, 'api');
    store = await DuckDbStore.open({ dataDir: dir });
    await ingestReportRecords(store);
    const keys = new ApiKeys(dir);
    keyT2 = keys.create({ name: 'tenant 2 reader', scope: 'read', tenants: [RT2] }).key;
    app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN), apiKeys: keys }, skipTokenKey: Buffer.alloc(32, 7), throttle: { perSecond: 1e6, burst: 1e6 }, logger: false });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('answers each report with the hand-worked numbers (the same functions the conformance suite checks)', async () => {
    const byName = new Map<string, ReportBody>();
    for (const name of ['overview', 'auth-methods', 'conditional-access', 'cross-tenant']) {
      const r = await get(`/api/reports/${name}`);
      expect(r.status).toBe(200);
      byName.set(name, r.body as unknown as ReportBody);
    }
    // The API's JSON is the report object itself: check it with the same hand-worked answers.
    await checkHandBuiltReports({
      aggregate: (q) => store.aggregate(q),
    });
    expect(byName.get('auth-methods')?.signIns).toBe(6);
    expect(byName.get('overview')?.signIns).toBe(14);
    expect(rowsOf(byName.get('auth-methods')!, 'claims')[0]).toMatchObject({ signIns: 6, satisfiedByClaim: 1 });
    // Every section says what it counts, and every number column its definition or label.
    for (const r of byName.values()) for (const s of (r as unknown as { sections: { definition: string; columns: { label: string }[] }[] }).sections) expect(s.definition.length).toBeGreaterThan(20);
  });

  it('applies since, until and filter; a bad one is a 400 that says what is wrong; an unknown report is a 404', async () => {
    const day2 = await get('/api/reports/overview?since=2026-05-02&until=2026-05-03');
    expect((day2.body as unknown as ReportBody).signIns).toBe(4);
    const portal = await get(`/api/reports/overview?filter=${encodeURIComponent("appDisplayName eq 'Portal'")}`);
    expect((portal.body as unknown as ReportBody).signIns).toBe(5);
    const bad = await get('/api/reports/overview?since=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("Invalid value 'yesterday' for since");
    const badFilter = await get(`/api/reports/overview?filter=${encodeURIComponent('nope eq 1')}`);
    expect(badFilter.status).toBe(400);
    expect(JSON.stringify(badFilter.body)).not.toMatch(/SELECT|sign_ins/);
    const none = await get('/api/reports/nope');
    expect(none.status).toBe(404);
    expect(JSON.stringify(none.body)).toContain('overview, auth-methods, conditional-access, cross-tenant');
  });

  it('counts only what the caller may read: a key limited to tenant 2 never sees tenant 1\'s numbers', async () => {
    const ov = (await get('/api/reports/overview', keyT2)).body as unknown as ReportBody;
    expect(ov.signIns).toBe(1);
    expect(rowsOf(ov, 'applications').map((r) => [r['application'], r['signIns']])).toEqual([['Portal', 1]]);
    const ca = (await get('/api/reports/conditional-access', keyT2)).body as unknown as ReportBody;
    expect(rowsOf(ca, 'policies').map((r) => [r['policyId'], r['evaluated']])).toEqual([['pol-1', 1]]);
    expect(ca.sections.some((s) => s.id.startsWith('if-enabled'))).toBe(false);
    const agg = (await get('/api/signins/aggregate?window=24h', keyT2)).body as { signIns: number; rows: Row[] };
    expect(agg).toMatchObject({ signIns: 0, rows: [] });
    // The audit records each read with the sign-ins counted.
    const audit = await store.listAudit({ limit: 3 });
    expect(audit[0]).toMatchObject({ action: 'GET /api/signins/aggregate', tenants: [RT2], rows: 0, status: 200 });
    expect(audit[1]).toMatchObject({ action: 'GET /api/reports/:name', target: '/api/reports/conditional-access', tenants: [RT2], rows: 1 });
  });

  it('groups non-interactive sign-ins per window; checks window and top', async () => {
    const r = await get('/api/signins/aggregate?window=6h');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ window: '6h', signIns: 7, truncated: false });
    const guest = (r.body['rows'] as Row[]).filter((x) => x['userId'] === 'uid-guest').map((x) => [x['window'], x['errorCode'], x['signIns']]);
    expect(guest).toEqual([
      ['2026-05-03T06:00:00Z', 0, 3],
      ['2026-05-03T06:00:00Z', 50126, 1],
    ]);
    const filtered = await get(`/api/signins/aggregate?window=1h&filter=${encodeURIComponent("ipAddress eq '198.51.100.1'")}`);
    expect(filtered.body).toMatchObject({ signIns: 4 });
    expect((await get('/api/signins/aggregate?window=2h')).status).toBe(400);
    expect((await get('/api/signins/aggregate?top=0')).status).toBe(400);
    const top = await get('/api/signins/aggregate?window=24h&top=2');
    expect(top.body).toMatchObject({ truncated: true });
    expect(top.body['rows']).toHaveLength(2);
  });
});

// Plain JavaScript over the exported file: what each report should say, computed independently.
interface Rec {
  id: string;
  createdDateTime: string;
  correlationId?: string | null;
  resourceTenantId?: string | null;
  homeTenantId?: string | null;
  crossTenantAccessType?: string | null;
  signInEventTypes?: string[] | null;
  authenticationRequirement?: string | null;
  status?: { errorCode?: number | null } | null;
  conditionalAccessStatus?: string | null;
  appliedConditionalAccessPolicies?: { id?: string | null; result?: string | null }[] | null;
  authenticationDetails?: ({ authenticationMethod?: string | null; succeeded?: boolean | null } | null)[] | null;
}

const day = (t: string): string => `${t.slice(0, 10)}T00:00:00Z`;
const inc = (m: Map<string, number>, k: string, n = 1): void => void m.set(k, (m.get(k) ?? 0) + n);
const failed = (r: Rec): boolean => typeof r.status?.errorCode === 'number' && r.status.errorCode !== 0;
const interactive = (r: Rec): boolean => (r.signInEventTypes ?? []).includes('interactiveUser');

/** The newest line item per (log tenant, correlation ID), as the workbooks de-duplicate. */
function dedupe(recs: Rec[]): Rec[] {
  const best = new Map<string, Rec>();
  for (const r of recs) {
    const k = `${r.resourceTenantId ?? ''}\u0000${r.correlationId ?? r.id}`;
    const b = best.get(k);
    const newer = (x: Rec, y: Rec): boolean => Date.parse(x.createdDateTime) > Date.parse(y.createdDateTime) || (x.createdDateTime === y.createdDateTime && x.id > y.id);
    if (!b || newer(r, b)) best.set(k, r);
  }
  return [...best.values()];
}

describe('reports against independent counts over the demo tenant\'s NDJSON (gatelog report, the real command)', () => {
  let data: string;
  let recs: Rec[];

  beforeAll(async () => {
    data = join(work, 'demo');
    const file = join(work, 'demo.ndjson');
    const made = await runCli(['demo', '--sign-ins', '4000', '--days', '6', '--seed', '9', '--end', '2026-11-01T00:00:00Z', '--out', file]);
    expect(made.code).toBe(0);
    const imported = await runCli(['import', file, '--data', data, '--no-progress', '--no-geo']);
    expect(imported.code).toBe(0);
    recs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
  }, 120_000);

  async function report(name: string, ...args: string[]): Promise<ReportBody> {
    const r = await runCli(['report', name, '--data', data, '--output', 'json', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as ReportBody;
  }

  it('overview: sign-ins and failures per day, top error codes', async () => {
    const got = await report('overview');
    expect(got.signIns).toBe(recs.length);
    const perDay = new Map<string, number>();
    const failuresPerDay = new Map<string, number>();
    const codes = new Map<string, number>();
    for (const r of recs) {
      inc(perDay, day(r.createdDateTime));
      if (failed(r)) {
        inc(failuresPerDay, day(r.createdDateTime));
        inc(codes, String(r.status?.errorCode));
      }
    }
    expect(rowsOf(got, 'over-time').map((r) => [r['day'], r['signIns'], r['failures']])).toEqual([...perDay.keys()].sort().map((d) => [d, perDay.get(d), failuresPerDay.get(d) ?? 0]));
    for (const r of rowsOf(got, 'error-codes')) expect(r['signIns']).toBe(codes.get(String(r['errorCode'])));
    const topCount = Math.max(...codes.values());
    expect(rowsOf(got, 'error-codes')[0]?.['signIns']).toBe(topCount);
  });

  it('auth-methods: de-duplicated sign-ins by requirement per day, and method usage with password variants folded', async () => {
    const got = await report('auth-methods');
    const kept = dedupe(recs.filter(interactive));
    expect(got.signIns).toBe(kept.length);
    const byReq = new Map<string, number>();
    for (const r of kept) inc(byReq, `${day(r.createdDateTime)} ${r.authenticationRequirement ?? '(not recorded)'}`);
    expect(new Map(rowsOf(got, 'requirement').map((r) => [`${String(r['day'])} ${String(r['requirement'])}`, r['signIns']]))).toEqual(byReq);
    const fold = new Map(Object.entries(METHOD_FOLDS).flatMap(([to, from]) => from.map((f) => [f, to] as const)));
    const uses = new Map<string, number>();
    const ok = new Map<string, number>();
    const ko = new Map<string, number>();
    for (const r of kept) {
      for (const d of r.authenticationDetails ?? []) {
        const m = d?.authenticationMethod;
        if (!m || m === 'Previously satisfied') continue;
        const name = fold.get(m) ?? m;
        inc(uses, name);
        if (d?.succeeded === true) inc(ok, name);
        if (d?.succeeded === false) inc(ko, name);
      }
    }
    const methods = rowsOf(got, 'methods');
    expect(new Map(methods.map((r) => [r['method'], [r['uses'], r['succeeded'], r['failed']]]))).toEqual(new Map([...uses.keys()].map((m) => [m, [uses.get(m), ok.get(m) ?? 0, ko.get(m) ?? 0]])));
    expect(methods.length).toBeGreaterThan(3);
  });

  it('conditional-access: per policy outcomes and the overall status per day', async () => {
    const got = await report('conditional-access');
    const inter = recs.filter(interactive);
    const per = new Map<string, [number, number, number, number, number]>();
    for (const r of inter) {
      for (const p of r.appliedConditionalAccessPolicies ?? []) {
        if (!p?.id) continue;
        const v = per.get(p.id) ?? [0, 0, 0, 0, 0];
        const res = p.result ?? '';
        v[0]++;
        if (res === 'success' || res === 'reportOnlySuccess') v[1]++;
        else if (res === 'failure' || res === 'reportOnlyFailure') v[2]++;
        else if (res === 'reportOnlyInterrupted' || res === 'interrupt') v[3]++;
        else v[4]++;
        per.set(p.id, v);
      }
    }
    expect(new Map(rowsOf(got, 'policies').map((r) => [r['policyId'], [r['evaluated'], r['success'], r['failure'], r['userActionRequired'], r['notApplied']]]))).toEqual(per);
    const overall = new Map<string, [number, number, number]>();
    for (const r of inter) {
      const v = overall.get(day(r.createdDateTime)) ?? [0, 0, 0];
      v[0]++;
      if (r.conditionalAccessStatus === 'success') v[1]++;
      if (r.conditionalAccessStatus === 'failure') v[2]++;
      overall.set(day(r.createdDateTime), v);
    }
    expect(new Map(rowsOf(got, 'overall').map((r) => [r['day'], [r['signIns'], r['success'], r['failure']]]))).toEqual(overall);
    expect(rowsOf(got, 'policies').some((r) => r['mode'] === 'report-only')).toBe(true);
  });

  it('cross-tenant: every access type counted', async () => {
    const got = await report('cross-tenant');
    const cross = recs.filter((r) => r.homeTenantId && r.resourceTenantId && r.homeTenantId.toLowerCase() !== r.resourceTenantId.toLowerCase());
    expect(got.signIns).toBe(cross.length);
    expect(cross.length).toBeGreaterThan(0);
    const byType = new Map<string, number>();
    for (const r of cross) inc(byType, r.crossTenantAccessType ?? '(not recorded)');
    for (const r of rowsOf(got, 'access-types')) expect(r['signIns']).toBe(byType.get(String(r['accessType'])) ?? 0);
    expect(rowsOf(got, 'access-types').map((r) => r['accessType'])).toEqual(expect.arrayContaining(['none', 'b2bCollaboration', 'b2bDirectConnect', 'microsoftSupport', 'serviceProvider', 'passthrough']));
  });

  it('prints tables with definitions and CSV, scopes by --tenant, refuses bad input clearly', async () => {
    const table = await runCli(['report', 'auth-methods', '--data', data]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Usage and success rate by authentication method');
    expect(table.stdout).toContain('Success rate: succeeded ÷ (succeeded + failed)');
    const csv = await runCli(['report', 'cross-tenant', '--data', data, '--output', 'csv', '--section', 'access-types']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('section,accessType,signIns,inbound,outbound,failures');
    const scoped = await report('overview', '--tenant', RT1);
    expect(scoped.signIns).toBe(0);
    const bad = await runCli(['report', 'overview', '--data', data, '--since', 'last week']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("invalid value 'last week' for --since");
    const unknown = await runCli(['report', 'nope', '--data', data]);
    expect(unknown.stderr).toContain('no report named');
  });
});
