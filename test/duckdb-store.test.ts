import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { planFilter } from '../src/query/plan.js';
import { renderAggregate, type AggregateQuery } from '../src/query/sql/aggregate.js';
import { duckdbAggregateHooks, duckdbDialect } from '../src/query/sql/duckdb-dialect.js';
import { and, column, inTenants, TRUE } from '../src/query/sql/expr.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { incoming, signIn } from './helpers/records.js';
import { runStoreSuite } from './store.case.js';

const dirs: string[] = [];

/** An empty folder for a store, removed after the tests. */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-duckdb-'));
  dirs.push(dir);
  return dir;
}

/** Turns the store in `dir` (closed) into one as it was before migration `version`, by `undo`. */
async function asBefore(dir: string, version: number, undo: readonly string[]): Promise<void> {
  const raw = await DuckDBInstance.create(join(dir, 'gatelog.duckdb'));
  const con = await raw.connect();
  for (const sql of undo) await con.run(sql);
  await con.run(`DELETE FROM schema_version WHERE version >= ${version}`);
  con.closeSync();
  raw.closeSync();
}

// What the later migrations added, undone (newest first) to make a store as an older Gatelog left it.
const UNDO_0007 = ['DROP TABLE deferred_derived_rows'];
const UNDO_0006 = [...UNDO_0007, 'ALTER TABLE sign_ins DROP COLUMN key_hash', 'ALTER TABLE sign_ins DROP COLUMN group_hash'];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runStoreSuite('duckdb', {
  async open(options = {}) {
    const dir = freshDir();
    return DuckDbStore.open({ dataDir: dir, threads: 2, ...options });
  },
});

describe('DuckDB element tables (policy results, authentication steps)', () => {
  const T = '11111111-1111-4111-8111-111111111111';
  const policies = {
    where: inTenants([T]),
    unnest: { collection: column(['appliedConditionalAccessPolicies'], 'string'), variable: 'p' },
    groupBy: [{ name: 'result', key: { kind: 'operand', operand: { kind: 'var', name: 'p', path: ['result'], type: 'string' } } }],
    measures: [{ name: 'n', measure: { kind: 'count' } }],
  } satisfies AggregateQuery;

  it('an unnest of a kept collection reads the element table, with the tenant scope applied', () => {
    const direct = renderAggregate(policies, duckdbDialect, duckdbAggregateHooks);
    expect(direct.sql).toMatch(/FROM sign_in_ca_results s WHERE \(s\.log_tenant_id IS NOT NULL AND s\.log_tenant_id IN /);
    expect(direct.sql).not.toContain('unnest(');
    expect(direct.params).toContain(T);
    // A condition on a column the element table lacks: the sign-ins it keeps, by key, scope included.
    const joined = renderAggregate({ ...policies, where: and(inTenants([T]), planFilter("appId eq 'a'", 'beta').condition) }, duckdbDialect, duckdbAggregateHooks);
    expect(joined.sql).toMatch(/FROM sign_in_ca_results s WHERE \(s\.log_tenant_id, s\.id\) IN \(SELECT s\.log_tenant_id, s\.id FROM sign_ins s WHERE .*s\.log_tenant_id IN /);
    // A field the element table does not keep: the collection itself.
    const wide = renderAggregate(
      { ...policies, groupBy: [{ name: 'c', key: { kind: 'operand', operand: { kind: 'var', name: 'p', path: ['conditionsSatisfied'], type: 'string' } } }] },
      duckdbDialect,
      duckdbAggregateHooks,
    );
    expect(wide.sql).toContain('unnest(s."appliedConditionalAccessPolicies")');
  });

  it('a store created before the element tables gets them filled when it opens', async () => {
    const dir = freshDir();
    const store = await DuckDbStore.open({ dataDir: dir, threads: 2 });
    const w = store.openWriter();
    const policy = (id: string, result: string) => ({ id, displayName: id, result });
    await w.add(incoming(signIn({ appliedConditionalAccessPolicies: [policy('p1', 'success'), policy('p2', 'reportOnlyFailure')], authenticationDetails: [{ authenticationMethod: 'Password', succeeded: true }] }), { tenant: T }));
    await w.add(incoming(signIn({ appliedConditionalAccessPolicies: [policy('p1', 'failure')] }), { tenant: T }));
    await w.flush();
    const expected = await store.aggregate(policies);
    expect(expected).toEqual([
      { result: 'failure', n: 1 },
      { result: 'reportOnlyFailure', n: 1 },
      { result: 'success', n: 1 },
    ]);
    await store.close();
    await asBefore(dir, 5, ['DROP TABLE sign_in_ca_results', 'DROP TABLE sign_in_auth_steps', ...UNDO_0006]);
    const again = await DuckDbStore.open({ dataDir: dir, threads: 2 });
    try {
      expect(await again.schemaVersion()).toBeGreaterThanOrEqual(5);
      expect(await again.aggregate(policies)).toEqual(expected);
      const steps = await again.aggregate({
        where: TRUE,
        unnest: { collection: column(['authenticationDetails'], 'string'), variable: 'd' },
        groupBy: [{ name: 'method', key: { kind: 'operand', operand: { kind: 'var', name: 'd', path: ['authenticationMethod'], type: 'string' } } }],
        measures: [{ name: 'n', measure: { kind: 'count' } }],
      });
      expect(steps).toEqual([{ method: 'Password', n: 1 }]);
    } finally {
      await again.close();
    }
  });
});

describe('DuckDB key hashes (migration 0006)', () => {
  it('a store created before them gets them when it opens: the same sign-ins again change nothing, a newer version replaces', async () => {
    const dir = freshDir();
    const T = '22222222-2222-4222-8222-222222222222';
    const first = [signIn({ createdDateTime: '2026-03-01T10:00:00Z', correlationId: 'c1' }), signIn({ createdDateTime: '2026-03-01T10:05:00Z', correlationId: 'c1' }), signIn({ createdDateTime: '2026-03-02T09:00:00Z' })];
    const store = await DuckDbStore.open({ dataDir: dir, threads: 2 });
    const w = store.openWriter();
    for (const r of first) await w.add(incoming(r, { tenant: T }));
    await w.flush();
    await store.close();
    await asBefore(dir, 6, UNDO_0006);
    const again = await DuckDbStore.open({ dataDir: dir, threads: 2 });
    try {
      const w2 = again.openWriter();
      for (const r of first) await w2.add(incoming(r, { tenant: T }));
      expect(await w2.flush()).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
      const newer: Record<string, unknown> = { ...first[2], status: { errorCode: 50126, failureReason: 'Invalid username or password.' } };
      await w2.add(incoming(newer, { tenant: T }));
      expect(await w2.flush()).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      const page = await again.query({ where: TRUE, order: 'desc', limit: 10 });
      expect(page.map((s) => s.record.id).sort()).toEqual(first.map((r) => r['id'] as string).sort());
      expect(page.find((s) => s.record.id === newer['id'])?.record.status?.errorCode).toBe(50126);
      // The hashes the migration wrote are the ones the writer writes.
      const check = (again as unknown as { con: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> } }).con;
      const rows = (await check.runAndReadAll(`SELECT count(*) FILTER (WHERE key_hash = md5_number_lower(log_tenant_id || chr(0) || id) AND group_hash = md5_number_lower(log_tenant_id || chr(0) || coalesce("correlationId", id))), count(*) FROM sign_ins`)).getRows();
      expect(rows[0]?.map(Number)).toEqual([3, 3]);
    } finally {
      await again.close();
    }
  });
});

describe('DuckDB bulk load', () => {
  it('a batch the JSON reader cannot read within its smaller memory limit is read again within the store\'s own limit', async () => {
    const dir = freshDir();
    // A reader limit of 4 MB: every batch's insert runs out of memory within it ("failed to pin block",
    // as a large import did with the default limit while loaded rows waited for a checkpoint).
    // (A transaction a batch: the reader's limit is for batches loaded on their own.)
    const store = await DuckDbStore.open({ dataDir: dir, bulkLoad: true, readerLimit: 4_000_000, batchRecords: 50, groupBytes: 0 });
    try {
      const w = store.openWriter();
      for (let i = 0; i < 120; i++) await w.add(incoming(signIn({ createdDateTime: `2026-03-01T10:${String(i % 60).padStart(2, '0')}:00Z` })));
      expect(await w.flush()).toEqual({ inserted: 120, updated: 0, unchanged: 0 });
      expect(await store.count(TRUE)).toBe(120);
    } finally {
      await store.close();
    }
  });

  /** A record JavaScript reads but DuckDB's JSON reader refuses (a key twice), failing the transaction it loads in. */
  const refused = (i: number) => {
    const rec = signIn({ createdDateTime: `2026-03-02T11:${String(i % 60).padStart(2, '0')}:00Z` });
    return incoming(rec, { text: JSON.stringify(rec).replace(/^\{/, `{"appDisplayName":"Twice",`) });
  };
  const at = (i: number) => signIn({ createdDateTime: `2026-03-02T10:${String(i % 60).padStart(2, '0')}:00Z` });

  it('a transaction spanning batches that fails is rolled back, and its batches load again one transaction each: every record lands', async () => {
    const dir = freshDir();
    const store = await DuckDbStore.open({ dataDir: dir, bulkLoad: true, batchRecords: 50 });
    try {
      const w = store.openWriter();
      // Three batches in one transaction; the third has the refused record.
      for (let i = 0; i < 160; i++) await w.add(i === 120 ? refused(i) : incoming(at(i)));
      expect(await w.flush()).toEqual({ inserted: 160, updated: 0, unchanged: 0 });
      expect(await store.count(TRUE)).toBe(160);
      // The batches' files are gone once they are loaded.
      expect(readdirSync(join(dir, 'tmp')).filter((f) => f.startsWith('ingest-'))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  /** Bytes of the store's write-ahead log (0: none). */
  const walBytes = (dir: string): number => {
    const wal = join(dir, 'gatelog.duckdb.wal');
    return existsSync(wal) ? statSync(wal).size : 0;
  };
  /** Segments of sign_ins not yet written to the database file by a checkpoint. */
  const transientSegments = async (store: DuckDbStore): Promise<number> => {
    const con = (store as unknown as { con: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> } }).con;
    return Number((await con.runAndReadAll("SELECT count(*) FILTER (WHERE NOT persistent) FROM pragma_storage_info('sign_ins')")).getRows()[0]?.[0]);
  };

  it('writes no write-ahead log: its commits reach the file at the checkpoints it runs every checkpointBytes of records', async () => {
    // Live ingest, for contrast: its commits go to the log.
    const live = freshDir();
    const store = await DuckDbStore.open({ dataDir: live });
    const lw = store.openWriter();
    for (let i = 0; i < 20; i++) await lw.add(incoming(at(i)));
    await lw.flush();
    expect(walBytes(live)).toBeGreaterThan(0);
    await store.close();

    for (const [checkpointBytes, transient] of [
      [1, false],
      [2 ** 40, true],
    ] as const) {
      const dir = freshDir();
      const bulk = await DuckDbStore.open({ dataDir: dir, bulkLoad: true, batchRecords: 50, groupBytes: 0, checkpointBytes });
      try {
        const w = bulk.openWriter();
        for (let i = 0; i < 120; i++) await w.add(incoming(at(i)));
        expect(await w.flush()).toEqual({ inserted: 120, updated: 0, unchanged: 0 });
        expect(walBytes(dir)).toBe(0);
        // Checkpointed after every batch, or (a threshold never reached) not until it closes.
        expect((await transientSegments(bulk)) > 0, `checkpointBytes ${checkpointBytes}`).toBe(transient);
      } finally {
        await bulk.close();
      }
      const again = await DuckDbStore.open({ dataDir: dir });
      expect(await again.count(TRUE)).toBe(120);
      await again.close();
    }
  });

  it('checkpoints when a row group of sign_ins fills', async () => {
    const dir = freshDir();
    const bulk = await DuckDbStore.open({ dataDir: dir, bulkLoad: true, batchRecords: 500, groupBytes: 0, checkpointBytes: 2 ** 40, rowGroupRows: 2048 });
    try {
      const w = bulk.openWriter();
      for (let i = 0; i < 3000; i++) await w.add(incoming(at(i)));
      expect((await w.flush()).inserted).toBe(3000);
      const con = (bulk as unknown as { con: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> } }).con;
      const rows = (await con.runAndReadAll("SELECT row_group_id, bool_and(persistent) FROM pragma_storage_info('sign_ins') GROUP BY ALL ORDER BY 1")).getRows();
      // The first row group was written when the batch that filled it committed (and what that
      // batch added past it); the rows committed since wait for the close.
      expect(rows[0]).toEqual([0n, true]);
      expect(rows[rows.length - 1]?.[1]).toBe(false);
    } finally {
      await bulk.close();
    }
  });

  it('replays the log a stopped process left before it attaches the store without one', async () => {
    const dir = freshDir();
    await (await DuckDbStore.open({ dataDir: dir })).close();
    // A process that commits into the log and is killed before any checkpoint.
    const script = `import { DuckDBInstance } from '@duckdb/node-api';
      const i = await DuckDBInstance.create(process.argv[1], { checkpoint_threshold: '1GB' });
      const c = await i.connect();
      await c.run('CREATE TABLE left_in_log AS SELECT 42 AS x');
      process.kill(process.pid, 'SIGKILL');`;
    expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', script, join(dir, 'gatelog.duckdb')], { cwd: process.cwd(), stdio: 'pipe' })).toThrow();
    expect(walBytes(dir)).toBeGreaterThan(0);
    const bulk = await DuckDbStore.open({ dataDir: dir, bulkLoad: true });
    const w = bulk.openWriter();
    await w.add(incoming(at(1)));
    await w.flush();
    await bulk.close();
    // Folded into the file, not left to be replayed again.
    expect(walBytes(dir)).toBe(0);
    const raw = await DuckDBInstance.create(join(dir, 'gatelog.duckdb'));
    const rc = await raw.connect();
    try {
      expect((await rc.runAndReadAll('SELECT x FROM left_in_log')).getRows()).toEqual([[42]]);
      expect((await rc.runAndReadAll('SELECT count(*)::INTEGER FROM sign_ins')).getRows()).toEqual([[1]]);
    } finally {
      rc.closeSync();
      raw.closeSync();
    }
  });

  it('another write during a bulk import (its rejects) commits the open transaction first, so a later rollback cannot take it', async () => {
    const dir = freshDir();
    const store = await DuckDbStore.open({ dataDir: dir, bulkLoad: true, batchRecords: 50 });
    try {
      const w = store.openWriter();
      // The 101st record closes the second batch and waits for the first to load: the first is
      // then in the open transaction.
      for (let i = 0; i < 101; i++) await w.add(incoming(at(i)));
      await store.addRejects([{ source: 'a.json', line: 7, reason: 'invalid JSON', raw: '{', format: 'graph' }]);
      expect(await store.count(TRUE)).toBeGreaterThanOrEqual(50);
      // The next transaction fails, is rolled back and loads again; the reject stays.
      for (let i = 101; i < 200; i++) await w.add(i === 170 ? refused(i) : incoming(at(i)));
      expect(await w.flush()).toEqual({ inserted: 200, updated: 0, unchanged: 0 });
      expect(await store.count(TRUE)).toBe(200);
      expect((await store.listRejects({ limit: 10 })).map((r) => `${r.source}:${r.line} ${r.reason}`)).toEqual(['a.json:7 invalid JSON']);
    } finally {
      await store.close();
    }
  });
});
