// The ClickHouse store against a real two-shard cluster (two clickhouse-server processes, started
// once for this file): the conformance suite and the golden $filter cases (the same answers as
// DuckDB), rows spread over both shards, records read back byte for byte as DuckDB reads them,
// quoting round trips through a real server, and a shard that is down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatelogError } from '../src/errors.js';
import { planFilter } from '../src/query/plan.js';
import { TRUE } from '../src/query/sql/expr.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { quote } from '../src/store/clickhouse/quote.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { describeWithClickHouse, startClickHouseCluster, type ClickHouseCluster } from './helpers/clickhouse.js';
import { incoming, signIn } from './helpers/records.js';
import { runCli } from './helpers/cli.js';
import { loadGoldenRecords, runODataGolden } from './odata-golden.case.js';
import { runStoreSuite } from './store.case.js';

let cluster: ClickHouseCluster | undefined;
let databases = 0;
const dirs: string[] = [];

function freshDatabase(): string {
  return `gatelog_t${process.pid}_${++databases}`;
}

async function openClickHouse(options: { batchRecords?: number; cluster?: boolean } = {}): Promise<ClickHouseStore> {
  if (!cluster) throw new Error('the ClickHouse cluster did not start');
  return ClickHouseStore.open({
    url: cluster.url,
    ...(options.cluster === false ? {} : { cluster: cluster.name }),
    database: freshDatabase(),
    ...(options.batchRecords ? { batchRecords: options.batchRecords } : {}),
  });
}

/** Rows in a local table of one server, asked of that server directly. */
async function countOn(serverUrl: string, db: string, table: string): Promise<number> {
  const r = await fetch(`${serverUrl}/?query=${encodeURIComponent(`SELECT count() FROM ${db}.${table}`)}`);
  if (!r.ok) throw new Error(await r.text());
  return Number((await r.text()).trim());
}

async function ingest(store: SignInStore, raws: readonly Record<string, unknown>[]) {
  const w = store.openWriter();
  for (const [i, r] of raws.entries()) await w.add(incoming(r, { line: i + 1 }));
  return w.flush();
}

describeWithClickHouse('ClickHouse store', () => {
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 2 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  runStoreSuite('clickhouse (2 shards)', { open: (o) => openClickHouse(o) });

  runODataGolden('clickhouse (2 shards)', () => openClickHouse());

  describe('on one server, without a cluster', () => {
    it('keeps the tables on the server itself, and answers the same', async () => {
      const store = await openClickHouse({ cluster: false });
      try {
        const raws = Array.from({ length: 20 }, () => signIn());
        expect(await ingest(store, raws)).toEqual({ inserted: 20, updated: 0, unchanged: 0 });
        expect(await store.count()).toBe(20);
        const ids = (await store.query({ where: TRUE, order: 'desc', limit: 5 })).map((s) => s.record.id);
        expect(ids).toEqual([...raws].reverse().slice(0, 5).map((r) => r['id']));
      } finally {
        await store.close();
      }
    });
  });

  describe('sharding', () => {
    it('spreads line items over both shards, and finds them all through the Distributed table', async () => {
      const store = await openClickHouse({ batchRecords: 97 });
      const db = `gatelog_t${process.pid}_${databases}`;
      try {
        const raws = Array.from({ length: 400 }, (_, i) => signIn({ createdDateTime: `2026-04-0${1 + (i % 9)}T10:00:00.${String(i).padStart(7, '0')}Z` }));
        expect(await ingest(store, raws)).toEqual({ inserted: 400, updated: 0, unchanged: 0 });
        const perShard = await Promise.all(cluster!.servers.map((s) => countOn(s.url, db, 'sign_ins_local')));
        expect(perShard.every((n) => n > 0)).toBe(true);
        expect(perShard.reduce((a, b) => a + b, 0)).toBe(400);
        // Every version of a line item, and its raw events, on the line item's shard.
        const v2 = raws.slice(0, 50).map((r) => ({ ...r, userDisplayName: 'second version' }));
        expect(await ingest(store, v2)).toEqual({ inserted: 0, updated: 50, unchanged: 0 });
        const events = await Promise.all(cluster!.servers.map((s) => countOn(s.url, db, 'sign_in_events_local')));
        expect(events.reduce((a, b) => a + b, 0)).toBe(450);
        expect(await store.count()).toBe(400);
        const all = await store.query({ where: TRUE, order: 'desc', limit: 1000 });
        expect(all.map((s) => s.record.id).sort()).toEqual(raws.map((r) => r['id'] as string).sort());
        expect(all.filter((s) => s.record.userDisplayName === 'second version')).toHaveLength(50);
      } finally {
        await store.close();
      }
    });

    it('keeps a line item once when a newer version moves it in time (a new sorting key)', async () => {
      const store = await openClickHouse();
      try {
        const v1 = signIn({ createdDateTime: '2026-05-01T10:00:00.1234567Z' });
        const v2 = { ...v1, createdDateTime: '2026-06-15T08:00:00Z', status: { errorCode: 0, additionalDetails: 'moved' } };
        await ingest(store, [v1]);
        expect(await ingest(store, [v2])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
        expect(await store.count()).toBe(1);
        const rows = await store.query({ where: TRUE, order: 'desc', limit: 10 });
        expect(rows.map((s) => s.record.createdDateTime)).toEqual(['2026-06-15T08:00:00Z']);
        const old = await store.query({ where: planFilter('createdDateTime lt 2026-06-01', 'beta').condition, order: 'desc', limit: 10 });
        expect(old).toEqual([]);
        // Back to the old time: a third version; the first one's raw event stays what it was.
        const v3 = { ...v1, status: { errorCode: 50074 } };
        expect(await ingest(store, [v3, v1])).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
        expect((await store.query({ where: TRUE, order: 'desc', limit: 10 })).map((s) => s.record.status?.errorCode)).toEqual([50074]);
        expect(await store.count()).toBe(1);
      } finally {
        await store.close();
      }
    });
  });

  describe('the same records as DuckDB, byte for byte', () => {
    let duck: DuckDbStore;
    let ch: ClickHouseStore;
    const records = [
      ...loadGoldenRecords(),
      signIn({
        authenticationProtocol: 'rpoc',
        someFutureProperty: { nested: [1, 'two', null] },
        appliedConditionalAccessPolicies: [{ id: 'p9', result: 'brandNewResult', futurePolicyField: true }, null],
        appliedEventListeners: [{ eventType: 'tokenIssuanceStart', handlerResult: { '@odata.type': '#microsoft.graph.x', n: 1, z: null } }],
        authenticationDetails: [],
        riskEventTypes_v2: null,
        location: {},
      }),
    ];

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gatelog-ch-vs-duck-'));
      dirs.push(dir);
      duck = await DuckDbStore.open({ dataDir: dir, threads: 1 });
      ch = await openClickHouse();
      await ingest(duck, records);
      await ingest(ch, records);
    });

    afterAll(async () => {
      await duck?.close();
      await ch?.close();
    });

    it('reads every record back as DuckDB does', async () => {
      for (const r of records) {
        const id = r['id'] as string;
        expect(JSON.stringify(await ch.get(id))).toBe(JSON.stringify(await duck.get(id)));
      }
    });

    it('lists the same pages (order, keyset, select) as DuckDB', async () => {
      for (const filter of ['', "userType eq 'guest'", 'status/errorCode ne 0', "appliedConditionalAccessPolicies/any(p: p/result eq 'failure')"]) {
        const where = filter ? planFilter(filter, 'beta').condition : TRUE;
        for (const order of ['desc', 'asc'] as const) {
          const q = { where, order, limit: 7, select: ['userPrincipalName', 'status', 'appliedConditionalAccessPolicies'] };
          const a = await ch.query(q);
          const b = await duck.query(q);
          expect(JSON.stringify(a)).toBe(JSON.stringify(b));
          const last = b[b.length - 1];
          if (last) {
            const after = { time: last.record.createdDateTime, id: last.record.id, tenant: last.tenantId };
            expect(JSON.stringify(await ch.query({ ...q, after }))).toBe(JSON.stringify(await duck.query({ ...q, after })));
          }
          expect(await ch.count(where)).toBe(await duck.count(where));
        }
      }
    });

    it('keeps the replaced version the way DuckDB keeps it', async () => {
      const r = records[0]!;
      const v2 = { ...r, userDisplayName: 'replaced' };
      expect(await ingest(ch, [v2])).toEqual(await ingest(duck, [v2]));
      expect(JSON.stringify(await ch.get(r['id'] as string))).toBe(JSON.stringify(await duck.get(r['id'] as string)));
    });
  });

  describe('quoting against a real server', () => {
    it('reads back every value exactly as it was quoted', async () => {
      const values = [
        "O'Brien",
        "'; DROP TABLE sign_ins; --",
        "\\'; DROP DATABASE default; --",
        'C:\\temp\\',
        '\\',
        "''",
        'a\u0000b',
        'line1\nline2\r\n\ttab',
        '\u0001\u001f\u007f\b\f',
        'Zürich 東京 🚀 İ ß',
        '\u2028\u2029',
        '',
      ];
      const sql = `SELECT ${values.map((v, i) => `${quote(v)} AS v${i}`).join(', ')} FORMAT JSONEachRow`;
      const r = await fetch(`${cluster!.url}/`, { method: 'POST', body: sql });
      expect(r.ok, await r.clone().text()).toBe(true);
      const row = JSON.parse(await r.text()) as Record<string, string>;
      expect(values.map((_, i) => row[`v${i}`])).toEqual(values);
    });

    it('finds a stored value full of quotes and backslashes with a filter, and nothing else', async () => {
      const store = await openClickHouse();
      try {
        const nasty = "x'; DROP TABLE sign_ins; --\\' OR 1=1 --";
        await ingest(store, [signIn({ userDisplayName: nasty }), signIn({ userDisplayName: 'plain' })]);
        const text = `userDisplayName eq '${nasty.replace(/'/g, "''")}'`;
        const rows = await store.query({ where: planFilter(text, 'beta').condition, order: 'desc', limit: 10 });
        expect(rows.map((s) => s.record.userDisplayName)).toEqual([nasty]);
        expect(await store.count()).toBe(2);
      } finally {
        await store.close();
      }
    });
  });

  // Last: stops a shard.
  describe('gatelog migrate --to clickhouse', () => {
    it('moves a DuckDB store over: every line item and reject, the same records', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gatelog-migrate-'));
      dirs.push(dir);
      const duck = await DuckDbStore.open({ dataDir: dir });
      const raws = Array.from({ length: 120 }, (_, i) => signIn({ createdDateTime: `2026-04-0${1 + (i % 7)}T10:00:00.${String(i).padStart(7, '0')}Z`, weirdProperty: i }));
      await ingest(duck, raws);
      await duck.addRejects([{ source: 'x.json', line: 3, reason: 'no id: a sign-in needs a non-empty "id"', raw: '{}', format: 'graph' }]);
      await duck.close();
      const database = freshDatabase();
      const url = `${cluster!.url}/${database}`;
      const r = await runCli(['migrate', '--to', 'clickhouse', '--data', dir, '--clickhouse-url', url, '--clickhouse-cluster', cluster!.name]);
      expect(r.stderr).toContain('copied 120 sign-ins (120 new, 0 updated, 0 already there) and 1 rejects');
      expect(r.code).toBe(0);
      // Running it again adds nothing.
      const again = await runCli(['migrate', '--to', 'clickhouse', '--data', dir, '--clickhouse-url', url, '--clickhouse-cluster', cluster!.name]);
      expect(again.stderr).toContain('(0 new, 0 updated, 120 already there)');
      const ch = await ClickHouseStore.open({ url: cluster!.url, cluster: cluster!.name, database });
      const back = await DuckDbStore.open({ dataDir: dir });
      try {
        expect(await ch.count()).toBe(120);
        const a = await ch.query({ where: TRUE, order: 'desc', limit: 200 });
        const b = await back.query({ where: TRUE, order: 'desc', limit: 200 });
        expect(a).toEqual(b);
        expect((await ch.listRejects({ limit: 10 })).map((x) => x.reason)).toEqual(['no id: a sign-in needs a non-empty "id"']);
      } finally {
        await ch.close();
        await back.close();
      }
    });
  });

  describe('a shard that is down', () => {
    it('fails queries and inserts with Store_Unavailable naming the shard, never a partial answer', async () => {
      const store = await openClickHouse();
      const second = cluster!.servers[1]!;
      try {
        await ingest(store, Array.from({ length: 50 }, () => signIn()));
        await second.stop();
        const refusal = async (p: Promise<unknown>): Promise<GatelogError> => {
          const e = await p.then(
            () => null,
            (x: unknown) => x,
          );
          expect(e).toBeInstanceOf(GatelogError);
          return e as GatelogError;
        };
        for (const e of [
          await refusal(store.query({ where: TRUE, order: 'desc', limit: 10 })),
          await refusal(store.count()),
          await refusal(store.get('nope')),
          await refusal(ingest(store, Array.from({ length: 20 }, () => signIn()))),
        ]) {
          expect(e.code).toBe('Store_Unavailable');
          expect(e.status).toBe(503);
          expect(e.message).toContain(`shard 2 (${second.host}:`);
          expect(e.message).toContain(cluster!.name);
        }
      } finally {
        await second.start();
        await store.close();
      }
    });
  });
});
