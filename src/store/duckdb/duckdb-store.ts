// The embedded store: one DuckDB database file in the data directory.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { BIGINT, DuckDBDataChunk, DuckDBInstance, DuckDBTimestampValue, TIMESTAMP, UBIGINT, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { GatelogError } from '../../errors.js';
import type { Extra, SignInRecord, StoredSignIn } from '../../model/sign-in.js';
import type { Reject } from '../../normalize/reject.js';
import { loadMigrations, splitStatements } from '../migrations.js';
import { afterKeyset, and, TRUE, type Condition, type SignInQuery } from '../../query/sql/expr.js';
import { renderAggregate, type AggregateQuery, type AggregateRow } from '../../query/sql/aggregate.js';
import { DUCKDB_ELEMENT_TABLES, DUCKDB_TABLE_ALIAS, duckdbAggregateHooks, duckdbDialect, duckQuote, selectElementRows } from '../../query/sql/duckdb-dialect.js';
import { planRollup, ROLLUP_DAY_SQL, rollupCreateSql, rollupDefinition, rollupHooks, rollupInsertsByDay, rollupSource, rollupTables, successorRowsSql, SUCCESSORS_DEFINITION, SUCCESSORS_TABLE, MARK_DERIVED_STALE_SQL } from './rollups.js';
import { renderCondition } from '../../query/sql/render.js';
import type { AuditEntry, AuditQuery, SignInStore, SignInWriter, StoredEvent, StoredReject } from '../sign-in-store.js';
import { quoteIdent } from './duckdb-types.js';
import { DEFAULT_MEMORY_LIMIT, DuckDbWriter, newUnfoldedRollups, stampsAfter, type LoadSettings } from './duckdb-writer.js';
import { graphBetaJsonSql, recordFromJson, recordJsonSql, rowToStored } from './layout.js';
import { rowObjects } from './read-rows.js';

export interface DuckDbStoreOptions {
  /** Directory holding `gatelog.duckdb`; `:memory:` for a throwaway in-memory store. */
  dataDir: string;
  /** DuckDB worker threads (default: $GATELOG_DUCKDB_THREADS, else one for a bulk load and DuckDB's own choice, the number of cores, otherwise). */
  threads?: number;
  /** DuckDB memory limit, e.g. '1GB'. */
  memoryLimit?: string;
  /** Records per load batch (tests use small batches to exercise batch boundaries). */
  batchRecords?: number;
  /** A bulk import with the store to itself: loads on one thread in less memory (LoadSettings). */
  bulkLoad?: boolean;
  /** With bulkLoad, the reader's memory limit (LoadSettings.readerLimit). */
  readerLimit?: number;
  /** With bulkLoad, the bytes of records a transaction holds (LoadSettings.groupBytes). */
  groupBytes?: number;
  /** With bulkLoad, the bytes of records committed between checkpoints (LoadSettings.checkpointBytes; default BULK_CHECKPOINT_BYTES). */
  checkpointBytes?: number;
  /** With bulkLoad, the rows of the row groups it writes (default BULK_ROW_GROUP_ROWS; a multiple of 2,048). */
  rowGroupRows?: number;
  /** Answer aggregate queries from the day rollups where they can (default true; false reads sign_ins, for comparisons). */
  useRollups?: boolean;
}

/**
 * A bulk import, which writes no log, checkpoints when a row group of sign_ins fills, and at the
 * latest after this many bytes of records committed (a row group of large records): the rows
 * committed since a checkpoint wait in DuckDB's memory and, past its limit, in temporary files.
 */
export const BULK_CHECKPOINT_BYTES = 2 * 2 ** 30;

/**
 * Rows of the row groups a bulk import writes (DuckDB's default: 122,880). With a checkpoint each
 * time one fills, importing 300,000 sign-ins of 10 KB took 44.0 s at 40,960 rows (8 checkpoints,
 * most under a second; at most 596 MB of temporary files) and 47.3 s at 122,880 (3 checkpoints
 * of 2–4 s; 972 MB), against 54.6 s checkpointing every 512 MB of records; bytes on disk the same
 * (820, 819, 825 per sign-in). Smaller row groups also let a time filter skip more of the table.
 */
const BULK_ROW_GROUP_ROWS = 40_960;

/** The catalog a bulk import attaches the store's database as. */
const BULK_CATALOG = 'gatelog';

/** A string as a SQL string literal. */
const sqlText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function rejectKey(r: Reject): bigint {
  return createHash('sha1').update(`${r.source}\u0000${r.line ?? ''}\u0000${r.offset ?? ''}\u0000${r.reason}\u0000${r.raw}`).digest().readBigUInt64BE(0);
}

/** GATELOG_DUCKDB_THREADS: DuckDB's worker threads for every command, a bulk import's too. */
export function threadsFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new GatelogError('Request_BadRequest', `GATELOG_DUCKDB_THREADS='${value}' is not a number of threads; expected a whole number from 1 to 1024`);
  }
  return n;
}

/** Thrown when another process holds the database file. */
export class StoreLockedError extends Error {}

export class DuckDbStore implements SignInStore {
  readonly kind = 'duckdb' as const;
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** Rollup rows written since their last fold, across this store's writers. */
  private readonly unfolded = newUnfoldedRollups();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
    private readonly tmpDir: string,
    private readonly batchRecords?: number,
    private readonly settings: LoadSettings = { memoryLimit: DEFAULT_MEMORY_LIMIT },
    private readonly useRollups = true,
    /** The catalog the store's database is attached as (a bulk import's), when not the instance's own. */
    private readonly catalog: string | null = null,
  ) {}

  /** A connection for reads, to the store's database (in a bulk import, the attached one). */
  private async connect(): Promise<DuckDBConnection> {
    const con = await this.instance.connect();
    if (this.catalog) await con.run(`USE ${this.catalog}`);
    return con;
  }

  static async open(options: DuckDbStoreOptions): Promise<DuckDbStore> {
    const memory = options.dataDir === ':memory:';
    const dbPath = memory ? ':memory:' : join(options.dataDir, 'gatelog.duckdb');
    const tmpDir = memory ? join((await import('node:os')).tmpdir(), `gatelog-mem-${process.pid}-${Date.now()}`) : join(options.dataDir, 'tmp');
    if (!memory) mkdirSync(options.dataDir, { recursive: true });
    mkdirSync(tmpDir, { recursive: true });
    const config: Record<string, string> = {};
    // A bulk import has the store to itself and runs DuckDB on one thread: JavaScript reads and checks
    // the next batch on another core meanwhile, and DuckDB's JSON reader holds its buffers once per
    // thread (measured on 10 KB sign-ins: about 150 MB of resident memory per thread for a 32 MB
    // batch). Set once: switching threads per batch cost 30–50 ms a batch.
    const threads = options.threads ?? threadsFromEnv(process.env['GATELOG_DUCKDB_THREADS']);
    if (threads) config['threads'] = String(threads);
    else if (options.bulkLoad) config['threads'] = '1';
    // What a bulk import derives from its line items is built at its end on every core (DuckDbWriter finishDeferred).
    const finish = options.bulkLoad && !threads ? { finishThreads: availableParallelism(), loadThreads: 1 } : {};
    // DuckDB takes 80% of the machine's memory by default; a store shares the machine.
    config['memory_limit'] = options.memoryLimit ?? process.env['GATELOG_DUCKDB_MEMORY_LIMIT'] ?? DEFAULT_MEMORY_LIMIT;
    config['temp_directory'] = join(tmpDir, 'duckdb');
    // Line items are ordered by the queries, never by the order they were inserted in; not keeping
    // insertion order lets bulk loads stream instead of buffering.
    config['preserve_insertion_order'] = 'false';
    // Bulk loads flush each row group as it fills instead of buffering several: less memory.
    config['write_buffer_row_group_count'] = '1';
    // (Every command but a bulk import, below:) commits append to the write-ahead log and a
    // checkpoint folds it in every 256 MB, instead of every load batch checkpointing on its own
    // (measured: 4,100 → 5,200 sign-ins/s importing). Not more: at 1 GB an import of 200,000
    // sign-ins into a store of 2.3 million ran 8 % faster, but the larger checkpoints raised the
    // peak memory of importing 1,000,000 from 974 to 1,109 MB.
    config['checkpoint_threshold'] = '256MB';
    config['auto_checkpoint_skip_wal_threshold'] = '1000000000';
    // A bulk import writes no write-ahead log (design/0002, "Without the write-ahead log"): its
    // commits reach the file at the checkpoints its writer runs (each time a row group of sign_ins
    // fills) and when it closes.
    const attach = options.bulkLoad && !memory ? dbPath : null;
    const rowGroupRows = Math.trunc(options.rowGroupRows ?? BULK_ROW_GROUP_ROWS);
    let instance: DuckDBInstance;
    let con: DuckDBConnection;
    try {
      instance = await DuckDBInstance.create(attach ? ':memory:' : dbPath, config);
      con = await instance.connect();
      if (attach) {
        // (A log an earlier process left is replayed all the same, and folded in at the first checkpoint: tested.)
        await con.run(`ATTACH ${sqlText(attach)} AS ${BULK_CATALOG} (RECOVERY_MODE no_wal_writes, ROW_GROUP_SIZE ${rowGroupRows})`);
        await con.run(`USE ${BULK_CATALOG}`);
      }
    } catch (e) {
      const msg = String(e);
      if (/lock/i.test(msg)) {
        throw new StoreLockedError(
          `the store ${dbPath} is in use by another process (a running 'gatelog serve'?). Stop it, or send records to the server's /ingest endpoints instead.`,
        );
      }
      throw e;
    }
    // Leftovers of an interrupted import are never needed: a batch is committed or it is not.
    for (const f of readdirSync(tmpDir)) if (f.startsWith('ingest-')) rmSync(join(tmpDir, f), { force: true });
    const store = new DuckDbStore(instance, con, tmpDir, options.batchRecords, { memoryLimit: config['memory_limit'], ...(options.bulkLoad ? { bulkLoad: true } : {}), ...(options.readerLimit ? { readerLimit: options.readerLimit } : {}), ...(options.groupBytes !== undefined ? { groupBytes: options.groupBytes } : {}), ...finish, ...(attach ? { checkpointBytes: options.checkpointBytes ?? BULK_CHECKPOINT_BYTES, rowGroupRows } : {}) }, options.useRollups ?? true, attach ? BULK_CATALOG : null);
    await store.migrate();
    // A bulk import selects the line items it wrote by their write time: later than any in the store.
    if (options.bulkLoad) stampsAfter(BigInt(String(rowObjects(await con.runAndReadAll('SELECT coalesce(epoch_us(max(ingested_at)), 0)::VARCHAR AS us FROM sign_ins'))[0]?.['us'] ?? '0')));
    return store;
  }

  /** Ends a bulk import's open transaction (DuckDbWriter), when one is open. */
  private endOpenTransaction: (() => Promise<void>) | null = null;

  /**
   * Serialises use of the write connection. Any use but a writer's loads first ends a bulk
   * import's open transaction, so that it does not run inside it.
   */
  private exclusive<T>(fn: () => Promise<T>, writerLoad = false): Promise<T> {
    const go = async (): Promise<T> => {
      if (!writerLoad && this.endOpenTransaction) await this.endOpenTransaction();
      return fn();
    };
    const run = this.writeQueue.then(go, go);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  async migrate(): Promise<void> {
    await this.exclusive(async () => {
      await this.con.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)');
      const current = await this.currentVersion();
      for (const m of await loadMigrations(new URL('./migrations/', import.meta.url))) {
        if (m.version <= current) continue;
        await this.con.run('BEGIN TRANSACTION');
        try {
          for (const stmt of splitStatements(m.sql)) await this.con.run(stmt);
          await this.con.run('INSERT INTO schema_version VALUES ($1, $2, now())', [m.version, m.name]);
          await this.con.run('COMMIT');
        } catch (e) {
          await this.con.run('ROLLBACK');
          throw new Error(`migration ${m.name} failed: ${String(e)}`, { cause: e });
        }
      }
      await this.recoverDeferred();
      await this.buildRollups();
      await this.con.run('CREATE TEMP TABLE IF NOT EXISTS deferred_groups (h UBIGINT)');
      await this.con.run('CREATE TEMP TABLE IF NOT EXISTS reject_stage AS SELECT * FROM rejects LIMIT 0');
      await this.con.run('CREATE TEMP TABLE IF NOT EXISTS rollup_groups (tenant VARCHAR, grp VARCHAR, h UBIGINT)');
      await this.con.run(
        'CREATE TEMP TABLE IF NOT EXISTS ingest_meta (tenant VARCHAR, id VARCHAR, event_key UBIGINT, created VARCHAR, extra VARCHAR, format VARCHAR, source VARCHAR, line BIGINT, byte_offset BIGINT, class UTINYINT DEFAULT 0, raw VARCHAR, observed VARCHAR, partial VARCHAR, reading VARCHAR)',
      );
    });
  }

  /**
   * A bulk import that stopped before its end (deferred_derived_rows has its start): the element
   * rows of the line items written since are written again, and every derived table is marked stale
   * for buildRollups to rebuild.
   */
  private async recoverDeferred(): Promise<void> {
    const since = rowObjects(await this.con.runAndReadAll('SELECT CAST(min(since) AS VARCHAR) AS since FROM deferred_derived_rows'))[0]?.['since'];
    if (typeof since !== 'string') return;
    await this.con.run('BEGIN TRANSACTION');
    try {
      for (const t of DUCKDB_ELEMENT_TABLES) {
        await this.con.run(`DELETE FROM ${t.table} WHERE (log_tenant_id, id) IN (SELECT log_tenant_id, id FROM sign_ins WHERE ingested_at >= CAST($1 AS TIMESTAMP))`, [since]);
        await this.con.run(`INSERT INTO ${t.table} ${selectElementRows(t, 'FROM sign_ins s WHERE s.ingested_at >= CAST($1 AS TIMESTAMP)')}`, [since]);
      }
      await this.con.run(MARK_DERIVED_STALE_SQL);
      await this.con.run('DELETE FROM deferred_derived_rows');
      await this.con.run('COMMIT');
    } catch (e) {
      await this.con.run('ROLLBACK');
      throw new Error(`writing the element rows of an unfinished import failed: ${String(e)}`, { cause: e });
    }
  }

  /**
   * Day rollups (rollups.ts) are derived from sign_ins: one whose definition changed (or is new) is
   * rebuilt from every sign-in, and one no longer defined is dropped.
   */
  private async buildRollups(): Promise<void> {
    await this.con.run('CREATE TABLE IF NOT EXISTS rollup_state (name VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL)');
    const built = new Map(rowObjects(await this.con.runAndReadAll('SELECT name, definition FROM rollup_state')).map((r) => [String(r['name']), String(r['definition'])]));
    const derived = [
      // Successors first: the de-duplicating rollups are made from them.
      {
        table: SUCCESSORS_TABLE,
        definition: SUCCESSORS_DEFINITION,
        create: [
          () => ({ sql: `CREATE TABLE ${SUCCESSORS_TABLE} (log_tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, next_time TIMESTAMP_NS NOT NULL)`, params: [] }),
          () => {
            const params: unknown[] = [];
            return { sql: `INSERT INTO ${SUCCESSORS_TABLE} ${successorRowsSql('sign_ins', params)}`, params };
          },
        ],
      },
      ...rollupTables().map((t) => ({
        table: t.name,
        definition: rollupDefinition(t),
        create: [
          () => {
            const params: unknown[] = [];
            // Counted a day at a time (byDay), below.
            return { sql: rollupCreateSql(t, params, 'FALSE'), params };
          },
        ],
        rollup: t,
      })),
    ];
    for (const d of derived) {
      if (built.get(d.table) === d.definition) continue;
      await this.con.run('BEGIN TRANSACTION');
      try {
        await this.con.run(`DROP TABLE IF EXISTS ${d.table}`);
        for (const statement of d.create) {
          const { sql, params } = statement();
          await (params.length > 0 ? this.con.run(sql, params as never) : this.con.run(sql));
        }
        const t = 'rollup' in d ? d.rollup : null;
        if (t) {
          const source = rollupSource(t.rollup);
          const days = rowObjects(await this.con.runAndReadAll(`SELECT DISTINCT s.log_tenant_id AS tenant, CAST(${ROLLUP_DAY_SQL} AS VARCHAR) AS day FROM ${source} s`)).map((r) => ({
            tenant: String(r['tenant']),
            day: String(r['day']),
          }));
          for (const { sql, params } of rollupInsertsByDay(t, days)) await this.con.run(sql, params as never);
        }
        await this.con.run('INSERT OR REPLACE INTO rollup_state VALUES ($1, $2, now())', [d.table, d.definition]);
        await this.con.run('COMMIT');
      } catch (e) {
        await this.con.run('ROLLBACK');
        throw new Error(`building ${d.table} failed: ${String(e)}`, { cause: e });
      }
    }
    for (const name of built.keys()) {
      if (derived.some((d) => d.table === name)) continue;
      await this.con.run(`DROP TABLE IF EXISTS ${duckQuote(name)}`);
      await this.con.run('DELETE FROM rollup_state WHERE name = $1', [name]);
    }
  }

  private async currentVersion(): Promise<number> {
    const rows = rowObjects(await this.con.runAndReadAll('SELECT coalesce(max(version), 0) AS v FROM schema_version'));
    return Number(rows[0]?.['v'] ?? 0);
  }

  schemaVersion(): Promise<number> {
    return this.exclusive(() => this.currentVersion());
  }

  openWriter(): SignInWriter {
    return new DuckDbWriter(
      this.con,
      this.tmpDir,
      (fn) => this.exclusive(fn, true),
      this.batchRecords,
      this.settings,
      this.unfolded,
      (end) => {
        this.endOpenTransaction = end;
      },
    );
  }

  async addRejects(rejects: readonly (Reject & { format: string })[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.exclusive(async () => {
      await this.con.run('DELETE FROM reject_stage');
      const appender = await this.con.createAppender('reject_stage', 'main', 'temp');
      const now = new DuckDBTimestampValue(BigInt(Date.now()) * 1000n);
      for (let start = 0; start < rejects.length; start += 2048) {
        const part = rejects.slice(start, start + 2048);
        const chunk = DuckDBDataChunk.create([UBIGINT, TIMESTAMP, VARCHAR, VARCHAR, BIGINT, BIGINT, VARCHAR, VARCHAR], part.length);
        chunk.setColumns([
          part.map(rejectKey),
          part.map(() => now),
          part.map((r) => r.format),
          part.map((r) => r.source),
          part.map((r) => (r.line === undefined ? null : BigInt(r.line))),
          part.map((r) => (r.offset === undefined ? null : BigInt(r.offset))),
          part.map((r) => r.reason),
          part.map((r) => r.raw),
        ]);
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
      await this.con.run(
        'INSERT INTO rejects SELECT DISTINCT ON (reject_key) * FROM reject_stage s WHERE NOT EXISTS (SELECT 1 FROM rejects r WHERE r.reject_key = s.reject_key)',
      );
    });
  }

  private async read<T>(sql: string, params: unknown[], map: (rows: Record<string, unknown>[]) => T): Promise<T> {
    const con = await this.connect();
    try {
      const reader = await con.runAndReadAll(sql, params as never);
      return map(rowObjects(reader));
    } finally {
      con.closeSync();
    }
  }

  async get(id: string, tenants?: readonly string[]): Promise<StoredSignIn | null> {
    const params: unknown[] = [id];
    let where = 'id = $1';
    if (tenants) {
      if (tenants.length === 0) return null;
      where += ` AND log_tenant_id IN (${tenants.map((_, i) => `$${i + 2}`).join(', ')})`;
      params.push(...tenants);
    }
    return this.read(`SELECT * FROM sign_ins WHERE ${where} ORDER BY log_tenant_id LIMIT 1`, params, (rows) => (rows[0] ? rowToStored(rows[0]) : null));
  }

  /**
   * The SQL (and parameters) that finds the page `q` asks for: the keys of its rows, in order.
   * For benchmarks and diagnostics too.
   */
  sqlFor(q: SignInQuery): { sql: string; params: unknown[] } {
    const where = q.after ? and(q.where, afterKeyset(q.after, q.order)) : q.where;
    const { sql, params } = renderCondition(where, duckdbDialect);
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    const a = DUCKDB_TABLE_ALIAS;
    params.push(q.limit);
    return {
      sql: `SELECT ${a}.log_tenant_id, ${a}.id, epoch_ns(${a}."createdDateTime") AS t FROM sign_ins ${a} WHERE ${sql} ORDER BY ${a}."createdDateTime" ${dir}, ${a}.id ${dir}, ${a}.log_tenant_id ${dir} LIMIT $${params.length}`,
      params,
    };
  }

  /**
   * Two steps ("late materialization"): the keys of the page (a few narrow columns, so the filter
   * and the top-N run on little data), then the full rows of those keys only, found through the
   * page's time range (the time zone maps skip every other row group).
   */
  async query(q: SignInQuery): Promise<StoredSignIn[]> {
    return (await this.page(q, true)) as StoredSignIn[];
  }

  /**
   * The same statements `query` runs, with the rows read but not converted: the baseline
   * bench/query compares the API with. Returns the number of rows.
   */
  async queryDirect(q: SignInQuery): Promise<number> {
    return (await this.page(q, false)) as number;
  }

  private async page(q: SignInQuery, convert: boolean): Promise<StoredSignIn[] | number> {
    const con = await this.connect();
    try {
      const { sql, params } = this.sqlFor(q);
      const keys = (await con.runAndReadAll(sql, params as never)).getRows() as [string, string, bigint][];
      if (keys.length === 0) return convert ? [] : 0;
      let lo = keys[0]![2];
      let hi = lo;
      for (const k of keys) {
        if (k[2] < lo) lo = k[2];
        if (k[2] > hi) hi = k[2];
      }
      const a = DUCKDB_TABLE_ALIAS;
      const columns = q.select
        ? [...new Set(['id', 'createdDateTime', ...q.select])].map((c) => `${a}.${quoteIdent(c)}`).join(', ') + `, ${a}.log_tenant_id, ${a}.extra`
        : `${a}.*`;
      const ids = [...new Set(keys.map((k) => k[1]))];
      const fetchParams: unknown[] = [lo.toString(), hi.toString(), ...ids];
      const rowsWhere = `WHERE ${a}."createdDateTime" BETWEEN make_timestamp_ns(CAST($1 AS BIGINT)) AND make_timestamp_ns(CAST($2 AS BIGINT))
           AND ${a}.id IN (${ids.map((_, i) => `$${i + 3}`).join(', ')})`;
      if (!q.select) {
        // Whole records: DuckDB writes each as JSON (recordFromJson), when every one parses. The page's
        // rows are copied out first: written straight from the scan, the JSON was made for every row
        // the scan read before the id filter (measured: 690 ms instead of 350 ms for a day's span).
        await con.run(`CREATE OR REPLACE TEMP TABLE page_rows AS SELECT ${a}.* FROM sign_ins ${a} ${rowsWhere}`, fetchParams as never);
        try {
          // Graph's beta rendering instead when asked (records without an overlay), checked to be JSON;
          // the record itself is then read from it, and written as it is stored only with an overlay.
          const rendered = q.graphBeta === true;
          const j = rendered ? `CASE WHEN ${a}.extra IS NULL THEN NULL ELSE ${recordJsonSql(a)} END` : recordJsonSql(a);
          const graph = rendered ? `CASE WHEN ${a}.extra IS NULL THEN ${graphBetaJsonSql(a)} END` : 'NULL';
          const json = (await con.runAndReadAll(`SELECT ${a}.log_tenant_id, ${a}.id, ${a}.extra, ${j} AS j, ${graph} AS g FROM page_rows ${a}`)).getRows() as [string, string, string | null, string | null, string | null][];
          if (!convert) return json.length;
          const stored = new Map<string, StoredSignIn>();
          for (const [tenant, id, extra, j, g] of json) {
            let s: StoredSignIn;
            if (g !== null) {
              if (!isJson(g)) throw new Error('not JSON');
              s = renderedRecord(tenant, g);
            } else s = { tenantId: tenant, record: recordFromJson(JSON.parse(j as string) as Record<string, unknown>), extra: extra === null ? null : (JSON.parse(extra) as Extra) };
            stored.set(`${tenant}\u0000${id}`, s);
          }
          return keys.flatMap((k) => stored.get(`${k[0]}\u0000${k[1]}`) ?? []);
        } catch {
          // A value JSON cannot hold (a NaN double), or JSON text that is not JSON: the rows converted
          // one value at a time below.
        } finally {
          await con.run('DROP TABLE IF EXISTS page_rows');
        }
      }
      const reader = await con.runAndReadAll(`SELECT ${columns} FROM sign_ins ${a} ${rowsWhere}`, fetchParams as never);
      if (!convert) return reader.getRows().length;
      const rows = rowObjects(reader);
      const byKey = new Map<string, Record<string, unknown>>();
      for (const r of rows) byKey.set(`${String(r['log_tenant_id'])}\u0000${String(r['id'])}`, r);
      const out: StoredSignIn[] = [];
      for (const k of keys) {
        const r = byKey.get(`${k[0]}\u0000${k[1]}`);
        if (r) out.push(rowToStored(r));
      }
      return out;
    } finally {
      con.closeSync();
    }
  }

  count(where: Condition = TRUE): Promise<number> {
    const { sql, params } = renderCondition(where, duckdbDialect);
    return this.read(`SELECT count(*) AS n FROM sign_ins ${DUCKDB_TABLE_ALIAS} WHERE ${sql}`, params, (rows) => Number(rows[0]?.['n'] ?? 0));
  }

  aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    const plan = this.useRollups ? planRollup(q) : null;
    const r = plan ? renderAggregate(plan.query, duckdbDialect, rollupHooks(plan)) : renderAggregate(q, duckdbDialect, duckdbAggregateHooks);
    return this.read(r.sql, r.params, (rows) => rows.map(r.read));
  }

  async listEvents(keys: readonly { tenantId: string; id: string }[]): Promise<StoredEvent[]> {
    if (keys.length === 0) return [];
    const params: unknown[] = [];
    const pairs = keys.map((k) => {
      params.push(k.tenantId, k.id);
      return `($${params.length - 1}, $${params.length})`;
    });
    return this.read(
      `SELECT log_tenant_id, sign_in_id, CAST(event_key AS VARCHAR) AS event_key, created_date_time, received_at, observed_at, format, source, line, byte_offset, raw, reading, partial_properties
       FROM sign_in_events WHERE (log_tenant_id, sign_in_id) IN (${pairs.join(', ')})
       ORDER BY coalesce(observed_at, CAST(received_at AS TIMESTAMP_NS)), received_at, event_key`,
      params,
      (rows) =>
        rows.map((r) => ({
          tenantId: String(r['log_tenant_id']),
          signInId: String(r['sign_in_id']),
          eventKey: String(r['event_key']),
          createdDateTime: String(r['created_date_time']),
          receivedAt: String(r['received_at']),
          ...(r['observed_at'] ? { observedAt: String(r['observed_at']) } : {}),
          format: String(r['format']),
          ...(r['source'] !== null ? { source: String(r['source']) } : {}),
          ...(r['line'] !== null ? { line: Number(r['line']) } : {}),
          ...(r['byte_offset'] !== null ? { offset: Number(r['byte_offset']) } : {}),
          raw: typeof r['raw'] === 'string' ? r['raw'] : null,
          reading: typeof r['reading'] === 'string' ? (JSON.parse(r['reading']) as StoredEvent['reading']) : null,
          ...(Array.isArray(r['partial_properties']) ? { partial: r['partial_properties'] as string[] } : {}),
        })),
    );
  }

  countRejects(): Promise<number> {
    return this.read('SELECT count(*) AS n FROM rejects', [], (rows) => Number(rows[0]?.['n'] ?? 0));
  }

  listRejects(options: { limit: number; source?: string }): Promise<StoredReject[]> {
    const params: unknown[] = [];
    let where = '';
    if (options.source !== undefined) {
      params.push(options.source);
      where = 'WHERE source = $1';
    }
    params.push(options.limit);
    return this.read(
      `SELECT * FROM rejects ${where} ORDER BY received_at, source, line, byte_offset LIMIT $${params.length}`,
      params,
      (rows) =>
        rows.map((r) => ({
          receivedAt: String(r['received_at']),
          format: String(r['format']),
          source: String(r['source']),
          ...(r['line'] !== null ? { line: Number(r['line']) } : {}),
          ...(r['byte_offset'] !== null ? { offset: Number(r['byte_offset']) } : {}),
          reason: String(r['reason']),
          raw: String(r['raw'] ?? ''),
        })),
    );
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.exclusive(async () => {
      await this.con.run('BEGIN TRANSACTION');
      try {
        for (const e of entries) {
          await this.con.run(
            `INSERT INTO audit_log (read_at, actor, via, tenants, action, target, filter_text, row_count, status, client, request_id) VALUES (CAST($1 AS TIMESTAMP), $2, $3, CASE WHEN $4 IS NULL THEN NULL ELSE from_json(CAST($4 AS JSON), '["VARCHAR"]') END, $5, $6, $7, $8, $9, $10, $11)`,
            [
              e.at.replace(/Z$/, ''),
              e.actor,
              e.via,
              e.tenants === null ? null : JSON.stringify(e.tenants),
              e.action,
              e.target,
              e.filter,
              BigInt(e.rows),
              e.status,
              e.client,
              e.requestId,
            ] as never,
          );
        }
        await this.con.run('COMMIT');
      } catch (err) {
        await this.con.run('ROLLBACK');
        throw err;
      }
    });
  }

  listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.since !== undefined) {
      params.push(query.since.replace(/Z$/, ''));
      where.push(`read_at >= CAST($${params.length} AS TIMESTAMP)`);
    }
    if (query.until !== undefined) {
      params.push(query.until.replace(/Z$/, ''));
      where.push(`read_at < CAST($${params.length} AS TIMESTAMP)`);
    }
    if (query.actor !== undefined) {
      params.push(query.actor);
      where.push(`actor = $${params.length}`);
    }
    params.push(query.limit);
    return this.read(
      `SELECT strftime(read_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS at_text, * EXCLUDE (read_at, seq) FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY read_at DESC, seq DESC LIMIT $${params.length}`,
      params,
      (rows) =>
        rows.map((r) => ({
          at: String(r['at_text']),
          actor: String(r['actor']),
          via: String(r['via']) as AuditEntry['via'],
          tenants: Array.isArray(r['tenants']) ? (r['tenants'] as string[]) : null,
          action: String(r['action']),
          target: typeof r['target'] === 'string' ? r['target'] : null,
          filter: typeof r['filter_text'] === 'string' ? r['filter_text'] : null,
          rows: Number(r['row_count']),
          status: Number(r['status']),
          client: typeof r['client'] === 'string' ? r['client'] : null,
          requestId: typeof r['request_id'] === 'string' ? r['request_id'] : null,
        })),
    );
  }

  async close(): Promise<void> {
    await this.writeQueue;
    await this.exclusive(async () => {
      // The checkpoint that closing runs folds in what the last loads wrote (on one thread in a bulk
      // import, which uses less memory). A bulk import writes no log: what it committed since its
      // last checkpoint is in this one, so it must not fail quietly.
      try {
        if (this.settings.bulkLoad) {
          await this.con.run('CHECKPOINT').catch((e: unknown) => {
            throw new Error(`the store's last checkpoint failed, so what this import loaded since the one before was not saved; importing the same files again loads it (${String(e)})`, { cause: e });
          });
        }
      } finally {
        this.con.closeSync();
        this.instance.closeSync();
      }
    });
    if (this.tmpDir.includes('gatelog-mem-')) rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

/**
 * A stored sign-in whose Graph rendering the store wrote: its record is read from that JSON only
 * when something asks for it (the Graph API asks for the last row's, for the next page's skiptoken).
 */
function renderedRecord(tenantId: string, graphBeta: string): StoredSignIn {
  let record: SignInRecord | undefined;
  return {
    tenantId,
    extra: null,
    graphBeta,
    get record(): SignInRecord {
      return (record ??= recordFromJson(JSON.parse(graphBeta) as Record<string, unknown>, true));
    },
  };
}

/** Whether DuckDB's JSON text is JSON (it writes NaN for a NaN double, which JSON cannot hold). */
function isJson(text: string): boolean {
  return !/\bNaN\b|\bInfinity\b/.test(text) || isParsable(text);
}

function isParsable(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
