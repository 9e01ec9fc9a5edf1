// gatelog export: each format, exported and imported into a fresh store, gives the same line
// items (as far as the format carries them); Azure Monitor keeps one row per raw event, so an MFA
// sign-in is several rows again and merges into the same line item. Also the CLI (stdout, --out,
// .gz, --filter) and, when the reference samples are there, the msticpy Log Analytics export.
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../src/cli/output.js';
import { EXPORT_FORMATS, exportSignIns, writeChunks, type ExportFormat } from '../src/export/export-sign-ins.js';
import { PORTAL_EXPORT_COLUMNS, portalRowValues } from '../src/export/portal-csv.js';
import { signInPages } from '../src/export/pages.js';
import { importPaths, UNASSIGNED_TENANT } from '../src/ingest/import-files.js';
import type { Extra, StoredSignIn } from '../src/model/sign-in.js';
import { TRUE } from '../src/query/sql/expr.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { ROOT, runCli } from './helpers/cli.js';
import { describeWithClickHouse, startClickHouseCluster, type ClickHouseCluster } from './helpers/clickhouse.js';
import { signIn } from './helpers/records.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const MFA_ID = 'a0000000-0000-4000-8000-0000000000aa';
const REFRESH_ID = 'a0000000-0000-4000-8000-0000000000bb';
const CORRELATION = 'c0000000-0000-4000-8000-0000000000cc';
const PORTAL = join(ROOT, 'test', 'testdata', 'formats', 'portal-csv');
const SAMPLES = join(ROOT, '..', 'shared', 'data', 'samples');

/** An Azure Monitor record (diagnostic settings, storage blob) of the MFA flow. */
function amRow(time: string, category: string, props: Record<string, unknown>): Record<string, unknown> {
  const status = props['status'] as { errorCode: number; failureReason?: string };
  return {
    time,
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category,
    tenantId: TENANT,
    resultType: String(status.errorCode),
    resultSignature: 'None',
    resultDescription: status.failureReason ?? '',
    durationMs: 0,
    callerIpAddress: '203.0.113.9',
    correlationId: CORRELATION,
    identity: 'Megan Bowen',
    Level: 4,
    location: 'US',
    properties: {
      createdDateTime: '2026-03-02T08:00:00.1234567+00:00',
      userDisplayName: 'Megan Bowen',
      userPrincipalName: 'megan@contoso.example',
      userId: '30000000-0000-4000-8000-000000000001',
      appId: '00000002-0000-0ff1-ce00-000000000000',
      appDisplayName: 'Office 365 Exchange Online',
      ipAddress: '203.0.113.9',
      clientAppUsed: 'Browser',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36',
      correlationId: CORRELATION,
      resourceTenantId: TENANT,
      homeTenantId: TENANT,
      userType: 'Member',
      location: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US', geoCoordinates: { latitude: 47.67, longitude: -122.12 } },
      deviceDetail: { deviceId: '', operatingSystem: 'Windows 10', browser: 'Chrome 122.0.0', isCompliant: false, isManaged: false },
      conditionalAccessStatus: 'success',
      appliedConditionalAccessPolicies: [{ id: 'ca-1', displayName: 'Require MFA for Exchange', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: 'success', conditionsSatisfied: 3, conditionsNotSatisfied: 0 }],
      authenticationRequirement: 'multiFactorAuthentication',
      riskDetail: 'none',
      riskLevelDuringSignIn: 'none',
      ...props,
    },
  };
}

const PASSWORD_STEP = {
  authenticationStepDateTime: '2026-03-02T08:00:00.9+00:00',
  authenticationMethod: 'Password',
  authenticationMethodDetail: 'Password Hash Sync',
  succeeded: true,
  authenticationStepResultDetail: 'Correct password',
  authenticationStepRequirement: 'Primary authentication',
  StatusSequence: 0,
};

/** The MFA flow as Azure Monitor sends it: three rows of one sign-in, then a token refresh of the same flow. */
const MFA_ROWS = [
  amRow('2026-03-02T08:00:05.0000000Z', 'SignInLogs', {
    id: MFA_ID,
    isInteractive: true,
    status: { errorCode: 50074, failureReason: 'Strong Authentication is required.', additionalDetails: 'MFA required in Azure AD' },
    authenticationDetails: [PASSWORD_STEP],
  }),
  amRow('2026-03-02T08:00:41.0000000Z', 'SignInLogs', {
    id: MFA_ID,
    isInteractive: true,
    status: { errorCode: 500121, failureReason: 'Authentication failed during strong authentication request.', additionalDetails: 'MFA denied; user did not respond to mobile app notification' },
    authenticationDetails: [
      PASSWORD_STEP,
      { authenticationStepDateTime: '2026-03-02T08:00:35+00:00', authenticationMethod: 'Mobile app notification', succeeded: false, authenticationStepResultDetail: 'MFA denied; user did not respond to mobile app notification', authenticationStepRequirement: 'Multi-factor authentication' },
    ],
  }),
  amRow('2026-03-02T08:01:12.5000000Z', 'SignInLogs', {
    id: MFA_ID,
    isInteractive: true,
    status: { errorCode: 0, additionalDetails: 'MFA successfully completed' },
    mfaDetail: { authMethod: 'Mobile app notification', authDetail: null },
    authenticationDetails: [
      { authenticationStepDateTime: '2026-03-02T08:01:05+00:00', authenticationMethod: 'Mobile app notification', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed', authenticationStepRequirement: 'Multi-factor authentication' },
    ],
  }),
  amRow('2026-03-02T08:05:00.0000000Z', 'NonInteractiveUserSignInLogs', {
    id: REFRESH_ID,
    createdDateTime: '2026-03-02T08:04:58.0000001+00:00',
    isInteractive: false,
    incomingTokenType: 'primaryRefreshToken',
    status: { errorCode: 0 },
  }),
];

/** Graph records: unknown properties and an enum value outside the schema, other event types, a record that predates signInEventTypes. */
const original = signIn({
  createdDateTime: '2026-03-02T09:00:00.5Z',
  legacyField: 1,
  authenticationProtocol: 'rpoc',
  userAgent: 'Agent "quoted", with commas',
  userType: 'guest',
  crossTenantAccessType: 'b2bCollaboration',
  incomingTokenType: 'primaryRefreshToken',
  authenticationRequirement: 'singleFactorAuthentication',
  conditionalAccessStatus: 'notApplied',
  processingTimeInMilliseconds: 120,
  autonomousSystemNumber: 3215,
  flaggedForReview: false,
  location: { city: 'Paris', countryOrRegion: 'FR' },
  deviceDetail: { deviceId: 'd1', operatingSystem: 'Windows10', browser: 'Edge 120', isCompliant: true, isManaged: true, trustType: 'Azure AD joined' },
  status: { errorCode: 50126, failureReason: 'Invalid username or password.' },
});
/** The same sign-in published again with risk (a newer event of the line item). */
const withRisk = { ...original, riskLevelDuringSignIn: 'medium', riskState: 'atRisk', riskEventTypes_v2: ['unfamiliarFeatures'] };
const servicePrincipal = signIn({ createdDateTime: '2026-03-02T09:10:00Z', signInEventTypes: ['servicePrincipal'], isInteractive: false, userPrincipalName: undefined, userId: undefined, servicePrincipalName: 'Payroll Sync', servicePrincipalId: '40000000-0000-4000-8000-000000000001' });
const managedIdentity = signIn({ createdDateTime: '2026-03-02T09:20:00Z', signInEventTypes: ['managedIdentity'], isInteractive: false, userPrincipalName: undefined, managedServiceIdentity: { msiType: 'systemAssigned', associatedResourceId: '/subscriptions/x/vm1' } });
const legacy = signIn({ createdDateTime: '2026-03-02T09:30:00Z', signInEventTypes: undefined, isInteractive: true, location: { city: 'Lyon', state: 'Auvergne-Rhône-Alpes', countryOrRegion: 'FR' } });

/**
 * The line items an Azure Monitor export gives back: the same, but for a record that predates
 * signInEventTypes, which comes back with the one its category says.
 */
function expectSameAzureMonitor(items: Map<string, StoredSignIn>, before: Map<string, StoredSignIn>): void {
  const legacyKey = `${TENANT}/${legacy['id'] as string}`;
  const legacyBefore = before.get(legacyKey) as StoredSignIn;
  expect(items.get(legacyKey)?.record).toEqual({ ...legacyBefore.record, signInEventTypes: ['interactiveUser'] });
  const adjusted = new Map(items);
  adjusted.set(legacyKey, legacyBefore);
  expect(adjusted).toEqual(before);
}

/** What a CSV export carries comes back: the same line items, cell by cell (an empty cell cannot tell an empty text from none). */
function expectSameCsv(items: Map<string, StoredSignIn>, before: Map<string, StoredSignIn>): void {
  expect([...items.keys()].sort()).toEqual([...before.keys()].sort());
  const cells = (item: StoredSignIn): string[] => portalRowValues(item).map(csvCell);
  for (const [key, item] of before) expect(cells(items.get(key) as StoredSignIn), key).toEqual(cells(item));
}

/** Imports the data set: one file at a time, so the newer Graph event arrives after the first. */
async function importDataSet(s: SignInStore): Promise<void> {
  for (const f of files.slice(0, 3)) await importPaths(s, [f], { format: 'auto' });
  await importPaths(s, files.slice(3), { format: 'auto' });
}

let work: string;
let dataDir: string;
let store: SignInStore;
let files: string[];

function ndjson(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

async function allLineItems(s: SignInStore): Promise<Map<string, StoredSignIn>> {
  const out = new Map<string, StoredSignIn>();
  for await (const page of signInPages(s, TRUE, { pageSize: 7 })) for (const item of page) out.set(`${item.tenantId}/${item.record.id}`, item);
  return out;
}

async function exportTo(s: SignInStore, format: ExportFormat, path: string) {
  const out = createWriteStream(path);
  const written = await exportSignIns(s, { format, where: TRUE, out, csvCell });
  out.end();
  await finished(out);
  return written;
}

/** Imports `paths` into a fresh store and returns its line items. */
async function reimport(name: string, paths: readonly string[], open: () => Promise<SignInStore> = () => DuckDbStore.open({ dataDir: join(work, `fresh-${name}`) })): Promise<{ items: Map<string, StoredSignIn>; summary: Awaited<ReturnType<typeof importPaths>> }> {
  const fresh = await open();
  try {
    const summary = await importPaths(fresh, paths, { format: 'auto' });
    return { items: await allLineItems(fresh), summary };
  } finally {
    await fresh.close();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatelog-export-'));
  dataDir = join(work, 'data');
  const input = join(work, 'input');
  mkdirSync(input);
  writeFileSync(join(input, 'PT1H.json'), ndjson(MFA_ROWS));
  writeFileSync(join(input, 'graph.ndjson'), ndjson([original, servicePrincipal, managedIdentity, legacy]));
  writeFileSync(join(input, 'graph-risk.ndjson'), ndjson([withRisk]));
  files = [join(input, 'PT1H.json'), join(input, 'graph.ndjson'), join(input, 'graph-risk.ndjson'), join(PORTAL, 'InteractiveSignIns_2025-03-01_2025-03-02.csv'), join(PORTAL, 'InteractiveSignIns_AuthDetails_2025-03-01_2025-03-02.csv')];
  store = await DuckDbStore.open({ dataDir });
  await importDataSet(store);
});

afterAll(async () => {
  await store?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the data set', () => {
  it('has the MFA flow as one line item of three raw events, and the newer Graph event merged', async () => {
    const mfa = await store.get(MFA_ID);
    expect(mfa?.record.status?.errorCode).toBe(0);
    expect(mfa?.record.authenticationDetails?.map((d) => [d.authenticationMethod, d.succeeded])).toEqual([
      ['Password', true],
      ['Mobile app notification', false],
      ['Mobile app notification', true],
    ]);
    expect(await store.listEvents([{ tenantId: TENANT, id: MFA_ID }])).toHaveLength(3);
    const risky = await store.get(original['id'] as string);
    expect(risky?.record.riskLevelDuringSignIn).toBe('medium');
    expect(risky?.extra?.o?.['/authenticationProtocol']).toBe('rpoc');
  });
});

describe('export → import gives the same line items', () => {
  it('graph: one line item a line, as received', async () => {
    const path = join(work, 'export.ndjson');
    const before = await allLineItems(store);
    const written = await exportTo(store, 'graph', path);
    expect(written).toEqual({ lineItems: before.size, rows: before.size });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(before.size);
    // As received: the unknown property and the original value are in place.
    const first = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r['id'] === original['id']);
    expect(first).toMatchObject({ legacyField: 1, authenticationProtocol: 'rpoc', riskLevelDuringSignIn: 'medium' });
    const { items, summary } = await reimport('graph', [path]);
    expect(summary).toMatchObject({ read: before.size, rejected: 0 });
    expect(items).toEqual(before);
  });

  it('azure-monitor: one record per raw event; rows the source gave in that shape as they came', async () => {
    const path = join(work, 'export.PT1H.json');
    const before = await allLineItems(store);
    const events = await store.listEvents([...before.values()].map((s) => ({ tenantId: s.tenantId, id: s.record.id })));
    const written = await exportTo(store, 'azure-monitor', path);
    expect(written).toEqual({ lineItems: before.size, rows: events.length });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(lines.length).toBeGreaterThan(before.size);
    // The MFA flow: three rows again, exactly as Azure Monitor wrote them.
    for (const row of MFA_ROWS) expect(lines).toContain(JSON.stringify(row));
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of records) {
      expect(r).toMatchObject({ operationName: 'Sign-in activity', operationVersion: '1.0' });
      expect(Object.keys(r).slice(0, 6)).toEqual(['time', 'resourceId', 'operationName', 'operationVersion', 'category', 'tenantId']);
    }
    // Graph events: the envelope around the Graph record as received; both events of the risky sign-in.
    const built = records.filter((r) => (r['properties'] as Record<string, unknown>)['id'] === original['id']);
    expect(built).toHaveLength(2);
    expect(built[0]).toMatchObject({
      time: '2026-03-02T09:00:00.5Z',
      resourceId: `/tenants/${TENANT}/providers/Microsoft.aad`,
      category: 'SignInLogs',
      tenantId: TENANT,
      resultType: '50126',
      resultSignature: 'None',
      resultDescription: 'Invalid username or password.',
      durationMs: 0,
      callerIpAddress: '203.0.113.7',
      correlationId: original['correlationId'],
      location: 'FR',
      properties: { legacyField: 1, authenticationProtocol: 'rpoc' },
    });
    expect((built[0]?.['properties'] as Record<string, unknown>)['riskLevelDuringSignIn']).toBeUndefined();
    expect((built[1]?.['properties'] as Record<string, unknown>)['riskLevelDuringSignIn']).toBe('medium');
    const categories = new Map(records.map((r) => [(r['properties'] as Record<string, unknown>)['id'], r['category']]));
    expect(categories.get(servicePrincipal['id'])).toBe('ServicePrincipalSignInLogs');
    expect(categories.get(managedIdentity['id'])).toBe('ManagedIdentitySignInLogs');
    expect(categories.get(REFRESH_ID)).toBe('NonInteractiveUserSignInLogs');
    expect(categories.get(legacy['id'])).toBe('SignInLogs');

    const { items, summary } = await reimport('azure-monitor', [path]);
    expect(summary).toMatchObject({ read: events.length, rejected: 0 });
    expectSameAzureMonitor(items, before);
  });

  it('csv: the admin center download columns, one row per line item; what it carries comes back', async () => {
    const path = join(work, 'export.csv');
    const before = await allLineItems(store);
    await exportTo(store, 'csv', path);
    const text = readFileSync(path, 'utf8');
    const table = parse(text, { relax_column_count: false }) as string[][];
    expect(table[0]).toEqual(PORTAL_EXPORT_COLUMNS.map((c) => c.header));
    expect(table[0]).toHaveLength(57);
    expect(table).toHaveLength(before.size + 1);
    const header = table[0] as string[];
    const rows = table.slice(1).map((r) => Object.fromEntries(r.map((c, i) => [i === 49 ? 'Incoming token type #2' : (header[i] as string), c])));
    const mfa = rows.find((r) => r['Request ID'] === MFA_ID);
    expect(mfa).toMatchObject({
      'Date (UTC)': '2026-03-02T08:00:00.1234567Z',
      Status: 'Success',
      'Sign-in error code': '0',
      'Multifactor authentication result': 'MFA successfully completed',
      'Multifactor authentication auth method': 'Mobile app notification',
      'Authentication requirement': 'Multifactor authentication',
      Location: 'Redmond, Washington, US',
      'User type': 'Member',
      Compliant: 'No',
      'Conditional Access': 'Success',
      'Correlation ID': CORRELATION,
    });
    const g = rows.find((r) => r['Request ID'] === original['id']);
    expect(g).toMatchObject({
      'User agent': 'Agent "quoted", with commas',
      Status: 'Failure',
      Location: 'Paris, , FR',
      'Authentication Protocol': 'rpoc',
      'Cross tenant access type': 'B2B collaboration',
      'Incoming token type': 'Primary Refresh Token',
      'Incoming token type #2': 'Primary Refresh Token',
      'Conditional Access': 'Not Applied',
      'User type': 'Guest',
      Compliant: 'Yes',
      'Join Type': 'Azure AD joined',
      Latency: '120',
      'Autonomous system  number': '3215',
      'Flagged for review': 'No',
    });

    const { items, summary } = await reimport('csv', [path]);
    expect(summary).toMatchObject({ read: before.size, rejected: 0 });
    expectSameCsv(items, before);
    // Typed again on the way in.
    const back = items.get(`${TENANT}/${MFA_ID}`)?.record;
    expect(back).toMatchObject({ userType: 'member', authenticationRequirement: 'multiFactorAuthentication', conditionalAccessStatus: 'success', location: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' } });
    expect(back?.deviceDetail?.isCompliant).toBe(false);
    const g2 = items.get(`${original['resourceTenantId'] as string}/${original['id'] as string}`);
    expect(g2?.record).toMatchObject({ crossTenantAccessType: 'b2bCollaboration', incomingTokenType: 'primaryRefreshToken', authenticationProtocol: 'unknownFutureValue', location: { city: 'Paris', countryOrRegion: 'FR' } });
    expect(g2?.extra?.o?.['/authenticationProtocol']).toBe('rpoc');
  });
});

describe('export → import of every format\'s golden input (test/testdata/formats)', () => {
  const FORMATS_DIR = join(ROOT, 'test', 'testdata', 'formats');
  const inputs = readdirSync(FORMATS_DIR, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.endsWith('.expected.json'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
  let before: Map<string, StoredSignIn>;

  beforeAll(async () => {
    const s = await DuckDbStore.open({ dataDir: join(work, 'golden') });
    try {
      await importPaths(s, inputs, { format: 'auto' });
      before = await allLineItems(s);
      for (const format of EXPORT_FORMATS) await exportTo(s, format, join(work, `golden.${format}`));
    } finally {
      await s.close();
    }
  });

  /** A Graph record's numeric Conditional Access conditions (Azure Monitor's own spelling) are no longer original values once read as Azure Monitor. */
  function withoutAzureMonitorSpellings(extra: Extra | null): Extra | null {
    if (!extra?.o) return extra;
    const out: Extra = { ...extra };
    const o = Object.fromEntries(Object.entries(extra.o).filter(([ptr, v]) => !(ptr.endsWith('/conditionsSatisfied') && typeof v === 'number')));
    if (Object.keys(o).length > 0) out.o = o;
    else delete out.o;
    return Object.keys(out).length > 0 ? out : null;
  }

  /** Line items filed under a tenant their record does not name come back under the unassigned tenant (Graph records and CSV rows do not carry it). */
  function refiled(items: Map<string, StoredSignIn>): Map<string, StoredSignIn> {
    return new Map(
      [...items].map(([key, item]) => {
        if (item.record.resourceTenantId === item.tenantId) return [key, item];
        const moved = { ...item, tenantId: UNASSIGNED_TENANT };
        return [`${UNASSIGNED_TENANT}/${item.record.id}`, moved];
      }),
    );
  }

  it('graph: the same line items, those of an envelope\'s tenant under the unassigned tenant', async () => {
    const expected = refiled(before);
    expect([...expected.keys()].filter((k) => !before.has(k)).length).toBeGreaterThan(0);
    expect((await reimport('golden-graph', [join(work, 'golden.graph')])).items).toEqual(expected);
  });

  it('azure-monitor: the same line items, but for event types (and interactivity) its category says and Azure Monitor\'s own spellings', async () => {
    const { items } = await reimport('golden-am', [join(work, 'golden.azure-monitor')]);
    const expected = new Map(
      [...before].map(([key, item]) => {
        let record = item.record.signInEventTypes ? item.record : { ...item.record, signInEventTypes: ['interactiveUser'] };
        // The category also says whether a user sign-in was interactive, where the record did not.
        const types = record.signInEventTypes as string[];
        const userType = types.includes('interactiveUser') ? true : types.includes('nonInteractiveUser') ? false : undefined;
        if ((record.isInteractive === undefined || record.isInteractive === null) && userType !== undefined) record = { ...record, isInteractive: userType };
        return [key, { ...item, record, extra: withoutAzureMonitorSpellings(item.extra) }];
      }),
    );
    expect(items).toEqual(expected);
  });

  it('csv: every cell comes back', async () => {
    expectSameCsv((await reimport('golden-csv', [join(work, 'golden.csv')])).items, refiled(before));
  });
});

describe('streaming', () => {
  it('waits for a slow reader (backpressure) and writes everything', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    let drains = 0;
    out.on('drain', () => drains++);
    const got: Buffer[] = [];
    const reading = (async () => {
      for await (const c of out) {
        got.push(c as Buffer);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const chunks = (async function* () {
      for (let i = 0; i < 50; i++) yield `${'x'.repeat(100)}${i}\n`;
    })();
    await writeChunks(chunks, out);
    out.end();
    await reading;
    expect(Buffer.concat(got).toString().split('\n')).toHaveLength(51);
    expect(drains).toBeGreaterThan(0);
  });

  it('stops with an error when the output closes', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const chunks = (async function* () {
      for (let i = 0; i < 50; i++) yield 'y'.repeat(100);
    })();
    setTimeout(() => out.destroy(), 5);
    await expect(writeChunks(chunks, out)).rejects.toThrow();
  });
});

describe('gatelog export', () => {
  beforeAll(async () => {
    // The CLI opens the store itself.
    await store.close();
  });

  afterAll(async () => {
    store = await DuckDbStore.open({ dataDir });
  });

  it('writes to standard output, or to --out (gzip for .gz), the same text', async () => {
    const stdout = await runCli(['export', '--data', dataDir, '--format', 'graph']);
    expect(stdout.code, stdout.stderr).toBe(0);
    expect(stdout.stdout).toBe(readFileSync(join(work, 'export.ndjson'), 'utf8'));
    const gz = join(work, 'cli.ndjson.gz');
    const file = await runCli(['export', '--data', dataDir, '--format', 'azure-monitor', '--out', gz]);
    expect(file.code, file.stderr).toBe(0);
    expect(file.stderr).toMatch(/^exported \d+ sign-ins as \d+ records to /);
    expect(gunzipSync(readFileSync(gz)).toString('utf8')).toBe(readFileSync(join(work, 'export.PT1H.json'), 'utf8'));
    const csv = await runCli(['export', '--data', dataDir, '--format', 'csv']);
    expect(csv.stdout).toBe(readFileSync(join(work, 'export.csv'), 'utf8'));
  });

  it('exports what --filter selects, of every event type it names', async () => {
    const r = await runCli(['export', '--data', dataDir, '--format', 'graph', '--filter', "signInEventTypes/any(t: t eq 'servicePrincipal' or t eq 'nonInteractiveUser')"]);
    expect(r.code, r.stderr).toBe(0);
    const ids = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.sort()).toEqual([REFRESH_ID, servicePrincipal['id'] as string].sort());
    const bad = await runCli(['export', '--data', dataDir, '--format', 'graph', '--filter', 'nope eq 1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nope/);
    const noFormat = await runCli(['export', '--data', dataDir]);
    expect(noFormat.code).toBe(1);
    expect(noFormat.stderr).toMatch(/--format/);
  });
});

describe('the msticpy Log Analytics export (reference samples)', () => {
  const file = join(SAMPLES, 'msticpy', 'aad_logons.pkl.jsonl');
  if (!existsSync(file)) {
    process.stderr.write(`skipping the msticpy export round trip: ${file} is not there (the reference samples are beside the project, not in it)\n`);
    it.skip('exports 86 rows and re-imports 45 line items', () => {});
    return;
  }
  it('exports all 86 rows as Azure Monitor records, which re-import as the same 45 line items', async () => {
    const dir = join(work, 'msticpy');
    const s = await DuckDbStore.open({ dataDir: dir });
    let before: Map<string, StoredSignIn>;
    const path = join(work, 'msticpy.PT1H.json');
    try {
      expect(await importPaths(s, [file], { format: 'auto' })).toMatchObject({ read: 86, imported: 45, rejected: 0 });
      before = await allLineItems(s);
      expect(await exportTo(s, 'azure-monitor', path)).toEqual({ lineItems: 45, rows: 86 });
    } finally {
      await s.close();
    }
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(86);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { properties: { id: string } }).properties.id)).size).toBe(45);
    const { items, summary } = await reimport('msticpy', [path]);
    expect(summary).toMatchObject({ read: 86, imported: 45, rejected: 0 });
    expect(items.size).toBe(45);
    expect(items).toEqual(before);
  });
});

describeWithClickHouse('export → import on the ClickHouse store', () => {
  let cluster: ClickHouseCluster | undefined;
  let databases = 0;
  const open = (): Promise<SignInStore> => {
    if (!cluster) throw new Error('the ClickHouse cluster did not start');
    return ClickHouseStore.open({ url: cluster.url, cluster: cluster.name, database: `gatelog_export_${process.pid}_${++databases}` });
  };

  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 2 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('gives back the same line items in each format, and the same files as DuckDB', async () => {
    const ch = await open();
    let before: Map<string, StoredSignIn>;
    const paths = { graph: join(work, 'ch.ndjson'), 'azure-monitor': join(work, 'ch.PT1H.json'), csv: join(work, 'ch.csv') };
    try {
      await importDataSet(ch);
      before = await allLineItems(ch);
      expect(await ch.listEvents([{ tenantId: TENANT, id: MFA_ID }])).toHaveLength(3);
      for (const format of EXPORT_FORMATS) await exportTo(ch, format, paths[format]);
    } finally {
      await ch.close();
    }
    // The files hold what DuckDB's do (the export does not depend on the backend).
    expect(readFileSync(paths.graph, 'utf8')).toBe(readFileSync(join(work, 'export.ndjson'), 'utf8'));
    expect(readFileSync(paths.csv, 'utf8')).toBe(readFileSync(join(work, 'export.csv'), 'utf8'));
    const lines = readFileSync(paths['azure-monitor'], 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(readFileSync(join(work, 'export.PT1H.json'), 'utf8').trimEnd().split('\n').length);
    for (const row of MFA_ROWS) expect(lines).toContain(JSON.stringify(row));

    expect((await reimport('ch-graph', [paths.graph], open)).items).toEqual(before);
    expectSameAzureMonitor((await reimport('ch-am', [paths['azure-monitor']], open)).items, before);
    expectSameCsv((await reimport('ch-csv', [paths.csv], open)).items, before);
  });
});
