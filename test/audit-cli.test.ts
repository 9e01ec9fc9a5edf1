// The command line's reads are audited like the API's: `gatelog query`, `get` and `export` each
// leave an entry (the machine's user, the filter, the rows), and `gatelog audit` lists them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/store/sign-in-store.js';
import { runCli } from './helpers/cli.js';
import { signIn } from './helpers/records.js';

let work: string;
let data: string;
const records = [signIn({ status: { errorCode: 50126 } }), signIn(), signIn()];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatelog-audit-cli-'));
  data = join(work, 'data');
  const file = join(work, 'in.ndjson');
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
  expect((await runCli(['import', '--data', data, '--no-geo', file])).code).toBe(0);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gatelog audit', () => {
  it('lists every command-line read, newest first, with the filter and the rows', async () => {
    expect((await runCli(['query', '--data', data, '--filter', 'status/errorCode eq 50126', '--output', 'json'])).code).toBe(0);
    expect((await runCli(['get', '--data', data, records[1]!['id'] as string])).code).toBe(0);
    expect((await runCli(['get', '--data', data, 'no-such-id'])).code).toBe(1);
    expect((await runCli(['export', '--data', data, '--format', 'graph', '--out', join(work, 'out.ndjson')])).code).toBe(0);
    const r = await runCli(['audit', '--data', data, '--output', 'json']);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as AuditEntry[];
    expect(entries.map((e) => [e.action, e.rows, e.status, e.filter])).toEqual([
      ['gatelog export', 3, 0, null],
      ['gatelog get', 0, 0, null],
      ['gatelog get', 1, 0, null],
      ['gatelog query', 1, 0, 'status/errorCode eq 50126'],
    ]);
    expect(entries.every((e) => e.via === 'cli' && e.actor.startsWith(`${userInfo().username}@`) && e.tenants === null)).toBe(true);
    expect(entries[1]!.target).toBe('no-such-id');
    // Listing the audit is not a read of sign-in data: it adds nothing.
    const again = JSON.parse((await runCli(['audit', '--data', data, '--output', 'json', '--top', '1'])).stdout) as AuditEntry[];
    expect(again.map((e) => e.action)).toEqual(['gatelog export']);
    const table = await runCli(['audit', '--data', data, '--actor', entries[0]!.actor, '--since', '1h']);
    expect(table.stdout).toContain('gatelog query');
    expect(table.stdout.split('\n').filter((l) => l.includes('gatelog ')).length).toBe(4);
  });

  it('refuses a time it cannot read, saying what it takes', async () => {
    const r = await runCli(['audit', '--data', data, '--since', 'last tuesday']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--since must be an ISO 8601 date or time');
  });
});
