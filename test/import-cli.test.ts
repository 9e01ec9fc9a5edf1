// gatelog import / rejects / get / query, run as a user runs them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { withoutNulls } from './helpers/records.js';

const GRAPH = join(ROOT, 'test', 'testdata', 'graph');
let data: string;

beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'gatelog-cli-'));
});
afterEach(() => {
  rmSync(data, { recursive: true, force: true });
});

describe('gatelog import', () => {
  it('takes Graph JSON in every shape; importing again changes nothing', async () => {
    const first = await runCli(['import', '--data', data, GRAPH]);
    // mixed-bad.ndjson has four bad lines: the good records still land and the exit code is 2.
    expect(first.stderr).toContain('read 24, imported 16, updated 0, unchanged 4, rejected 4');
    expect(first.code).toBe(2);
    const again = await runCli(['import', '--data', data, join(GRAPH, 'page.json'), join(GRAPH, 'two-pages.json'), join(GRAPH, 'array.json'), join(GRAPH, 'single.json'), join(GRAPH, 'records.ndjson')]);
    expect(again.stderr).toContain('read 12, imported 0, updated 0, unchanged 12, rejected 0');
    expect(again.code).toBe(0);
  });

  it('lands every good record of a file with bad lines and lists each bad one with its line and reason', async () => {
    const file = join(GRAPH, 'mixed-bad.ndjson');
    const r = await runCli(['import', '--data', data, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('imported 4');
    const rejects = await runCli(['rejects', '--data', data]);
    expect(rejects.code).toBe(0);
    expect(rejects.stdout.trim().split('\n')).toEqual([
      `${file}:2 invalid JSON: expected a value, found end of input (line 2, column 84)`,
      `${file}:4 not a JSON object (got an array)`,
      `${file}:5 no id: a sign-in needs a non-empty "id"`,
      `${file}:6 bad createdDateTime "31/02/2026 25:61": not an ISO 8601 date-time`,
    ]);
    const json = JSON.parse((await runCli(['rejects', '--data', data, '--output', 'json'])).stdout) as { raw: string }[];
    expect(json[0]?.raw).toMatch(/^\{"id": "broken-1"/);
  });

  it('keeps unknown enum values and unknown properties and reads the record back as it came', async () => {
    const line = readFileSync(join(GRAPH, 'mixed-bad.ndjson'), 'utf8').split('\n')[6] as string;
    const rec = JSON.parse(line) as Record<string, unknown>;
    await runCli(['import', '--data', data, join(GRAPH, 'mixed-bad.ndjson')]);
    const got = await runCli(['get', '--data', data, rec['id'] as string]);
    expect(got.code).toBe(0);
    expect(withoutNulls(JSON.parse(got.stdout))).toEqual(withoutNulls(rec));
    const beta = JSON.parse((await runCli(['get', '--data', data, rec['id'] as string, '--as', 'beta'])).stdout) as Record<string, unknown>;
    expect(beta['authenticationProtocol']).toBe('unknownFutureValue');
    expect(beta['authenticationProtocol@gatelog.originalValue']).toBe('rpoc');
    expect(beta['isRisky']).toBe(true);
  });

  it('reads gzip, standard input, and files with a byte order mark and CRLF line ends', async () => {
    const gz = await runCli(['import', '--data', data, join(GRAPH, 'records-gz.ndjson.gz')]);
    expect(gz.stderr).toContain('read 4, imported 4');
    const text = readFileSync(join(GRAPH, 'array.json'), 'utf8');
    const stdin = await runCli(['import', '--data', data, '-'], { input: `\uFEFF${text.replace(/\n/g, '\r\n')}` });
    expect(stdin.stderr).toContain('read 2, imported 2');
    expect(stdin.code).toBe(0);
  });

  it('files each record under --tenant, else its resourceTenantId', async () => {
    await runCli(['import', '--data', data, join(GRAPH, 'single.json')]);
    await runCli(['import', '--data', data, '--tenant', 'aaaaaaaa-0000-4000-8000-000000000001', join(GRAPH, 'single.json')]);
    const ndjson = (await runCli(['query', '--data', data, '--output', 'ndjson'])).stdout.trim().split('\n');
    expect(ndjson).toHaveLength(2);
    const one = await runCli(['query', '--data', data, '--tenant', 'aaaaaaaa-0000-4000-8000-000000000001', '--output', 'json']);
    expect(JSON.parse(one.stdout)).toHaveLength(1);
  });

  it('says why an input is unusable and exits 1', async () => {
    const missing = await runCli(['import', '--data', data, join(data, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: no such file or directory/);
    // A user's mistake, said plainly: not an internal error with a stack trace.
    expect(missing.stderr).not.toMatch(/unexpected error|\n\s+at /);
    const csv = join(data, 'export.csv');
    writeFileSync(csv, 'name,age\nann,3\n');
    const notSignIns = await runCli(['import', '--data', data, csv]);
    expect(notSignIns.code).toBe(1);
    expect(notSignIns.stderr).toMatch(/export\.csv: not a format Gatelog reads \(it starts with a CSV header with columns "name", "age"\); expected Microsoft Graph signIn JSON/);
    const text = join(data, 'notes.txt');
    writeFileSync(text, 'Date of the incident: yesterday\n');
    expect((await runCli(['import', '--data', data, text])).stderr).toMatch(/notes\.txt: not a format Gatelog reads \(it starts with "Date of the incident: yesterday"\)/);
    const empty = join(data, 'empty.json');
    writeFileSync(empty, '');
    expect((await runCli(['import', '--data', data, empty])).stderr).toMatch(/empty\.json: the input is empty/);
  });
});

describe('gatelog get / query', () => {
  it('lists all event types newest first, in every output format', async () => {
    await runCli(['import', '--data', data, join(GRAPH, 'records.ndjson'), join(GRAPH, 'array.json')]);
    const table = await runCli(['query', '--data', data, '--top', '3']);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Date \(UTC\)\s+Request ID\s+User\s+Application\s+Status/);
    expect(lines).toHaveLength(5);
    const json = JSON.parse((await runCli(['query', '--data', data, '--output', 'json'])).stdout) as { createdDateTime: string }[];
    const times = json.map((r) => r.createdDateTime);
    expect(times).toEqual([...times].sort().reverse());
    const csv = (await runCli(['query', '--data', data, '--output', 'csv'])).stdout.trim().split('\r\n');
    expect(csv[0]).toBe('Date (UTC),Request ID,User,Application,Status,IP address,Location,Conditional Access,Event type');
    expect(csv[1]).toContain('"Lisbon, Lisboa, PT"');
  });

  it('says plainly when a sign-in is not there, and when an option is wrong', async () => {
    const r = await runCli(['get', '--data', data, 'no-such-id']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no sign-in with id 'no-such-id'");
    const bad = await runCli(['query', '--data', data, '--top', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--top must be a whole number/);
  });
});

describe('gatelog import: offline geolocation', () => {
  it('adds a location to a public address that has none, and --no-geo does not', async () => {
    const rec = { id: 'geo-0000-4000-8000-000000000001', createdDateTime: '2026-03-01T10:00:00Z', ipAddress: '8.8.8.8', resourceTenantId: 't1' };
    const file = join(data, 'geo.ndjson');
    writeFileSync(file, `${JSON.stringify(rec)}\n`);
    await runCli(['import', '--data', data, file]);
    const beta = JSON.parse((await runCli(['get', '--data', data, rec.id, '--as', 'beta'])).stdout) as { location: { countryOrRegion: string }; autonomousSystemNumber: number };
    expect(beta.location.countryOrRegion).toBe('US');
    expect(beta.autonomousSystemNumber).toBe(15169);
    // As received, the record is what came in.
    expect(JSON.parse((await runCli(['get', '--data', data, rec.id])).stdout)).toEqual(rec);
    const other = join(data, 'other');
    await runCli(['import', '--data', other, '--no-geo', file]);
    expect(JSON.parse((await runCli(['get', '--data', other, rec.id, '--as', 'beta'])).stdout).location).toBeNull();
  });
});
