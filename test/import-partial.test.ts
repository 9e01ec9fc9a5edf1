// Authentication-details downloads (partial records) against sign-ins already in the store, and
// the raw rows the store keeps for formats that are not Graph's own shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPaths } from '../src/ingest/import-files.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { ROOT } from './helpers/cli.js';

const PORTAL = join(ROOT, 'test', 'testdata', 'formats', 'portal-csv');
const SIGN_INS = join(PORTAL, 'InteractiveSignIns_2025-03-01_2025-03-02.csv');
const DETAILS = join(PORTAL, 'InteractiveSignIns_AuthDetails_2025-03-01_2025-03-02.csv');
const GRACE = 'a2b3c4d5-e6f7-4809-a1b2-c3d4e5f60718';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-partial-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The raw events of a sign-in, read from the closed store's file. */
async function eventsOf(id: string): Promise<{ raw: string | null; partial: string[] | null; format: string }[]> {
  const db = await DuckDBInstance.create(join(dir, 'gatelog.duckdb'));
  const con = await db.connect();
  try {
    const reader = await con.runAndReadAll('SELECT raw, partial_properties, format FROM sign_in_events WHERE sign_in_id = $1 ORDER BY received_at, line', [id]);
    return reader.getRowObjectsJson().map((r) => ({ raw: r['raw'] as string | null, partial: r['partial_properties'] as string[] | null, format: String(r['format']) }));
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

describe('authentication-details downloads', () => {
  it('joins the details to their sign-ins when both come in one import, whatever the order given', async () => {
    const store = await DuckDbStore.open({ dataDir: dir });
    try {
      const s = await importPaths(store, [SIGN_INS, DETAILS], { format: 'auto' });
      expect(s).toMatchObject({ imported: 3, updated: 0, rejected: 1 });
      const grace = await store.get(GRACE);
      expect(grace?.record.userPrincipalName).toBe('grace@contoso.example');
      expect(grace?.record.authenticationDetails?.map((d) => [d.authenticationMethod, d.succeeded])).toEqual([
        ['Password', true],
        ['Mobile app notification', false],
      ]);
      const [reject] = await store.listRejects({ limit: 5 });
      expect(reject?.reason).toMatch(/^authenticationDetails for request ID 00000000-dead-4bee-8f00-000000000001: no sign-in with this ID/);
    } finally {
      await store.close();
    }
    const events = await eventsOf(GRACE);
    expect(events).toHaveLength(1);
    const raw = JSON.parse(events[0]?.raw ?? 'null') as { record: Record<string, string>; partialRows: Record<string, string>[] };
    expect(raw.record['Request ID']).toBe(GRACE);
    expect(raw.partialRows.map((r) => r['Authentication method'])).toEqual(['Password', 'Mobile app notification']);
  });

  it('writes the details of sign-ins imported before as a partial version of each', async () => {
    const store = await DuckDbStore.open({ dataDir: dir });
    try {
      await importPaths(store, [SIGN_INS], { format: 'auto' });
      const before = await store.get(GRACE);
      expect(before?.record.authenticationDetails).toBeUndefined();
      const s = await importPaths(store, [DETAILS], { format: 'auto' });
      expect(s).toMatchObject({ read: 4, imported: 0, updated: 2, rejected: 1 });
      const after = await store.get(GRACE);
      expect(after?.tenantId).toBe(before?.tenantId);
      expect(after?.record.createdDateTime).toBe(before?.record.createdDateTime);
      expect(after?.record.authenticationDetails).toHaveLength(2);
      // The details merge into the line item (src/aggregate/): the sign-in's own properties stay.
      expect(after?.record.userPrincipalName).toBe('grace@contoso.example');
    } finally {
      await store.close();
    }
    const events = await eventsOf(GRACE);
    expect(events.map((e) => e.partial)).toEqual([null, ['authenticationDetails']]);
    // Both rows are kept as the source wrote them.
    expect(JSON.parse(events[0]?.raw ?? 'null')).toMatchObject({ 'Request ID': GRACE, Username: 'grace@contoso.example' });
    expect(JSON.parse(events[1]?.raw ?? 'null')).toMatchObject({ partialRows: [{ 'Request ID': GRACE }, { 'Request ID': GRACE }] });
  });
});
