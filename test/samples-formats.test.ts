// The real public samples in ../shared/data/samples in formats other than Graph JSON (Azure Monitor
// records from elastic, datadog, sekoia and panther; a Log Analytics export from msticpy and a
// Log Analytics portal CSV): each file is recognised, and imports into as many line items as it
// has distinct sign-ins (log tenant + id), each with the event type its category or table says.
// The samples are reference material beside the project, not part of it: when the folder is not
// there (a user's clone), these tests are skipped and say so.
//
// Rows of one sign-in in one file replace each other until the merge step (src/aggregate/)
// exists: the assertions take the last row's values. Where the merge changes that, it says so.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, DETECT_BYTES, type Format } from '../src/importers/detect-format.js';
import { peekHead } from '../src/importers/open-input.js';
import { readFormat } from '../src/importers/read-format.js';
import { importPaths, UNASSIGNED_TENANT, type ImportSummary } from '../src/ingest/import-files.js';
import type { StoredSignIn } from '../src/model/sign-in.js';
import { TRUE } from '../src/query/sql/expr.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { ROOT } from './helpers/cli.js';

const SAMPLES = join(ROOT, '..', 'shared', 'data', 'samples');
const present = existsSync(SAMPLES);
if (!present) console.warn(`samples-formats: ${SAMPLES} is not there; the tests on real public records in other formats are skipped`);

const CATEGORY: Record<string, string> = {
  signinlogs: 'interactiveUser',
  noninteractiveusersigninlogs: 'nonInteractiveUser',
  serviceprincipalsigninlogs: 'servicePrincipal',
  managedidentitysigninlogs: 'managedIdentity',
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Imported {
  summary: ImportSummary;
  items: StoredSignIn[];
  dir: string;
}

async function importFile(file: string): Promise<Imported> {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-samples-formats-'));
  dirs.push(dir);
  const store = await DuckDbStore.open({ dataDir: dir, threads: 1 });
  try {
    const summary = await importPaths(store, [file], { format: 'auto' });
    const items = await store.query({ where: TRUE, order: 'asc', limit: 10_000 });
    return { summary, items, dir };
  } finally {
    await store.close();
  }
}

async function formatOf(file: string): Promise<Format> {
  return detectFormat(await peekHead(file, DETECT_BYTES), file, 'auto');
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A member of an envelope whatever its case (Panther lower-cases them). */
function member(o: Record<string, unknown>, key: string): unknown {
  const k = Object.keys(o).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : o[k];
}

/** What a sample file says, computed here without the importers: the sign-ins it carries. */
interface Expected {
  key: string;
  id: string;
  eventType: string | undefined;
  record: Record<string, unknown>;
}

/** The Azure Monitor or Graph records in a file (NDJSON, an array, one object), unwrapped from vendor test cases. */
function sourceRecords(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  let values: unknown[];
  try {
    const v = JSON.parse(text) as unknown;
    values = Array.isArray(v) ? v : [v];
  } catch {
    values = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  }
  return values.map((v) => {
    const o = obj(v);
    if (typeof obj(o['input'])['message'] === 'string') return JSON.parse(obj(o['input'])['message'] as string) as unknown;
    if (o['Log']) return o['Log'];
    return v;
  });
}

function expectedOf(records: unknown[]): { signIns: Map<string, Expected>; withoutId: number } {
  const signIns = new Map<string, Expected>();
  let withoutId = 0;
  let seq = 0;
  for (const r of records) {
    const o = obj(r);
    const props = obj(member(o, 'properties'));
    const isAm = member(o, 'properties') !== undefined;
    const rec = isAm ? props : o;
    const id = rec['id'];
    if (typeof id !== 'string' || id === '') {
      withoutId++;
      continue;
    }
    const tenant = (typeof rec['resourceTenantId'] === 'string' && rec['resourceTenantId']) || (isAm && (member(o, 'tenantId') as string)) || UNASSIGNED_TENANT;
    const category = String(member(o, 'category') ?? '').toLowerCase();
    const eventType = Array.isArray(rec['signInEventTypes']) ? (rec['signInEventTypes'][0] as string) : CATEGORY[category];
    // Rows of one sign-in merge into one line item: a field comes from the latest row (by the time
    // the source observed it, then file order) that gives it.
    const before = signIns.get(`${tenant}|${id}`);
    const time = Date.parse(String(member(o, 'time') ?? '').replace(' ', 'T')) || 0;
    const rows = [...((before as Expected & { rows?: { rec: Record<string, unknown>; time: number; idx: number }[] })?.rows ?? []), { rec, time, idx: seq++ }];
    rows.sort((a, b) => a.time - b.time || a.idx - b.idx);
    const merged: Record<string, unknown> = {};
    for (const row of rows) for (const [k, v] of Object.entries(row.rec)) if (v !== null && v !== undefined) merged[k] = v;
    signIns.set(`${tenant}|${id}`, Object.assign({ key: `${tenant}|${id}`, id, eventType, record: merged }, { rows }));
  }
  return { signIns, withoutId };
}

function keysOf(items: StoredSignIn[]): string[] {
  return items.map((s) => `${s.tenantId}|${s.record.id}`).sort();
}

/** Checks a file of Azure Monitor (or wrapped) records against what it says. */
async function checkRecords(file: string, format: Format): Promise<Imported> {
  expect(await formatOf(file), basename(file)).toBe(format);
  const { signIns, withoutId } = expectedOf(sourceRecords(file));
  const got = await importFile(file);
  expect(got.summary.unusable).toEqual([]);
  expect(keysOf(got.items), basename(file)).toEqual([...signIns.keys()].sort());
  expect(got.summary.rejected, basename(file)).toBe(withoutId);
  for (const s of got.items) {
    const e = signIns.get(`${s.tenantId}|${s.record.id}`);
    if (e?.eventType) expect(s.record.signInEventTypes, `${basename(file)} ${s.record.id}`).toEqual([e.eventType]);
    // The rows of a sign-in combine into its line item (src/aggregate/).
    for (const k of ['riskLevelDuringSignIn', 'riskState', 'riskLevelAggregated'] as const) expect(s.record[k] ?? null, `${s.record.id} ${k}`).toBe(e?.record[k] ?? null);
    // Azure Monitor's numeric condition flags are typed, not kept as originals (the record is kept raw).
    expect(Object.keys(s.extra?.o ?? {}).filter((p) => /\/conditions(Not)?Satisfied$/.test(p))).toEqual([]);
  }
  return got;
}

describe.skipIf(!present)('real samples in other formats', () => {
  const elastic = join(SAMPLES, 'elastic-integrations');
  for (const f of present ? readdirSync(elastic).sort() : []) {
    it(`elastic-integrations/${f}: Azure Monitor records, one line item per sign-in`, async () => {
      const got = await checkRecords(join(elastic, f), 'azure-monitor');
      expect(got.items.length).toBeGreaterThan(0);
      for (const s of got.items) expect(s.tenantId).toBe('4bbb79f7-5724-4c9e-95f3-de075f6ec090');
      if (f.startsWith('test-service-principal')) expect(got.items.every((s) => typeof s.record.servicePrincipalCredentialKeyId === 'string')).toBe(true);
      if (f.startsWith('test-signinlogs')) {
        // Two interactive Azure Portal sign-ins of one session.
        expect(new Set(got.items.map((s) => s.record.correlationId)).size).toBe(1);
        expect(got.items.every((s) => s.record.isInteractive === true)).toBe(true);
      }
    });
  }

  it('datadog: one SignInLogs record; its numeric CA conditions typed as flags', async () => {
    const got = await checkRecords(join(SAMPLES, 'datadog-integrations-core', 'azure.activedirectory_tests.yaml.signin-sample2.json'), 'azure-monitor');
    expect(got.items).toHaveLength(1);
    const r = got.items[0]!.record;
    expect(r.signInEventTypes).toEqual(['interactiveUser']);
    expect(r.isInteractive).toBe(false);
    expect(r.appliedConditionalAccessPolicies?.[0]).toMatchObject({ displayName: 'Require MFA', conditionsSatisfied: 'application,users', conditionsNotSatisfied: 'none', enforcedGrantControls: ['Mfa'] });
    expect(r.createdDateTime).toBe('2020-05-13T12:35:19.6363979Z');
    expect(got.items[0]!.tenantId).toBe('4d3bac44-0230-4732-9e70-cc00736f0a97');
  });

  const sekoia = join(SAMPLES, 'sekoia-intake-formats', 'azure-ad');
  for (const f of present ? readdirSync(sekoia).sort() : []) {
    it(`sekoia/${f}: the Azure Monitor record inside the test case`, async () => {
      await checkRecords(join(sekoia, f), 'sekoia');
    });
  }

  it('sekoia sign-in_activity5: 55 policies with the results the source gives', async () => {
    const got = await importFile(join(sekoia, 'sign-in_activity5.json'));
    expect(got.items).toHaveLength(1);
    const policies = got.items[0]!.record.appliedConditionalAccessPolicies ?? [];
    expect(policies).toHaveLength(55);
    const counts: Record<string, number> = {};
    for (const p of policies) counts[String(p.result)] = (counts[String(p.result)] ?? 0) + 1;
    expect(counts).toEqual({ success: 1, reportOnlyFailure: 1, reportOnlyNotApplied: 19, notApplied: 31, notEnabled: 3 });
    expect(policies[0]).toMatchObject({ result: 'success', conditionsSatisfied: 'application,users', enforcedSessionControls: ['SignInFrequency'] });
    // Unknown properties of the record come back with it.
    expect(got.items[0]!.extra?.u?.['/userAdministrativeUnits']).toEqual([{ id: '11111111-1111-1111-5555-666666666666' }]);
  });

  it('sekoia Graph test case: the Graph signIn inside, read as Graph JSON', async () => {
    const file = join(SAMPLES, 'sekoia-intake-formats', 'microsoft-entraid-graphapi', 'test_signin.json');
    const got = await checkRecords(file, 'sekoia');
    expect(got.items).toHaveLength(1);
    expect(got.items[0]!.tenantId).toBe(UNASSIGNED_TENANT);
  });

  it('sekoia payloads as NDJSON: Azure Monitor records and a Graph signIn in one file', async () => {
    const got = await checkRecords(join(SAMPLES, 'sekoia-intake-formats', 'signin_input_messages.jsonl'), 'azure-monitor');
    // The same request ID in two tenants' logs is two line items.
    expect(got.items).toHaveLength(9);
    expect(got.items.filter((s) => s.record.id === '77777777-7777-7777-7777-777777777777').map((s) => s.record.signInEventTypes?.[0]).sort()).toEqual(['interactiveUser', 'nonInteractiveUser']);
  });

  const panther = join(SAMPLES, 'panther-analysis');
  for (const f of present ? readdirSync(panther).sort() : []) {
    it(`panther/${f}: the records with a request ID imported, the rest rejected with the test's name`, async () => {
      const got = await checkRecords(join(panther, f), 'panther');
      for (const s of got.items) expect(s.record.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    });
  }

  it('panther legacy-auth sample: the "rpoc" typo typed as unknownFutureValue, the original kept', async () => {
    const got = await importFile(join(panther, 'azure_legacyauth.yml.tests.json'));
    const smtp = got.items.find((s) => s.record.clientAppUsed === 'Authenticated SMTP');
    expect(smtp?.record.authenticationProtocol).toBe('unknownFutureValue');
    expect(smtp?.extra?.o?.['/authenticationProtocol']).toBe('rpoc');
  });

  it('msticpy: the Log Analytics export, 86 rows into 45 line items, the 90072 failure', async () => {
    const file = join(SAMPLES, 'msticpy', 'aad_logons.pkl.jsonl');
    expect(await formatOf(file)).toBe('log-analytics');
    const rows = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.filter((r) => r['ResultType'] === '90072')).toHaveLength(2);
    const got = await importFile(file);
    expect(got.summary).toMatchObject({ read: 86, rejected: 0, imported: 45, updated: 41 });
    expect(got.items).toHaveLength(45);
    expect(new Set(got.items.map((s) => s.tenantId))).toEqual(new Set(['4b2462a4-bbee-495a-a0e1-f23ae524cc9c']));
    for (const s of got.items) expect(s.record.signInEventTypes).toEqual(['interactiveUser']);
    // Both 90072 rows are the same sign-in: one line item, failed.
    const failed = got.items.filter((s) => (s.record.status?.errorCode ?? 0) !== 0);
    expect(failed.map((s) => [s.record.id, s.record.status?.errorCode, s.record.status?.failureReason])).toEqual([['2a292f6a-7658-495a-92ea-b750ca502b00', 90072, 'Other']]);
    // The last row of each sign-in: isInteractive as the row says (SigninLogs held non-interactive rows in 2020).
    const last = new Map(rows.map((r) => [r['Id'] as string, r]));
    for (const s of got.items) expect(s.record.isInteractive, s.record.id).toBe(last.get(s.record.id)?.['IsInteractive']);
    // JSON held in text cells is read (AuthenticationProcessingDetails, NetworkLocationDetails); numeric CA flags typed.
    const policies = got.items.flatMap((s) => s.record.appliedConditionalAccessPolicies ?? []);
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.every((p) => typeof p.conditionsSatisfied === 'string' && typeof p.conditionsNotSatisfied === 'string')).toBe(true);
    expect(got.items.every((s) => !Object.keys(s.extra?.o ?? {}).some((p) => p.includes('conditions')))).toBe(true);
    // Columns msticpy added, and Log Analytics columns without a Graph property, are kept.
    const first = got.items.find((s) => s.record.id === 'f05079ed-f820-4531-ab26-498b53af3800');
    expect(first?.extra?.u).toMatchObject({ '/Result': 'Sucess', '/Latitude': 42.9971809387, '/Longitude': -86.8483123779 });
    expect(first?.record.location?.city).toBe('Park Ridge');
    expect(first?.record.resourceId).toBe('797f4846-ba00-4fd7-ba43-dac1f8f63013');
  });

  it('the Log Analytics portal CSV: the 50140 row is the line item; both rows are kept raw', async () => {
    const file = join(SAMPLES, 'semantic-kernel-azure', 'skprompt.txt.SigninLogs-excerpt.csv');
    expect(await formatOf(file)).toBe('log-analytics');
    // Both rows carry the same masked Id: one sign-in as far as the file says.
    const table = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    expect(new Set(table.map((r) => r['Id'])).size).toBe(1);
    const got = await importFile(file);
    expect(got.summary).toMatchObject({ read: 2, imported: 1, updated: 1, rejected: 0 });
    expect(got.items).toHaveLength(1);
    const r = got.items[0]!.record;
    expect(r.status).toEqual({ errorCode: 50140, failureReason: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in." });
    expect(r.riskEventTypes_v2).toEqual(['unfamiliarFeatures', 'unlikelyTravel']);
    expect(r.riskState).toBe('atRisk');
    expect(r.createdDateTime).toBe('2023-09-19T11:21:02.145Z');
    expect(r.signInEventTypes).toEqual(['interactiveUser']);
    expect(r.location).toEqual({ countryOrRegion: 'VN' });
    // The first row (replaced until the merge step exists): a cross-tenant guest.
    const read: Record<string, unknown>[] = [];
    for await (const batch of readFormat('log-analytics', (async function* () {
      yield readFileSync(file);
    })(), { name: file })) {
      for (const item of batch) if (item.kind === 'raw') read.push(item.value as Record<string, unknown>);
    }
    expect(read[0]).toMatchObject({ crossTenantAccessType: 'b2bCollaboration', userType: 'Guest', homeTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', createdDateTime: '2023-09-19T13:42:37.848Z' });
    const db = await DuckDBInstance.create(join(got.dir, 'gatelog.duckdb'));
    const con = await db.connect();
    try {
      const events = (await con.runAndReadAll('SELECT raw, observed_at::VARCHAR AS observed FROM sign_in_events ORDER BY line')).getRowObjectsJson();
      expect(events).toHaveLength(2);
      expect(JSON.parse(String(events[0]?.['raw']))).toMatchObject({ CrossTenantAccessType: 'b2bCollaboration', UserType: 'Guest' });
      expect(events.map((e) => e['observed'])).toEqual(['2023-09-19 13:45:17.287', '2023-09-19 13:46:55.434']);
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });
});
