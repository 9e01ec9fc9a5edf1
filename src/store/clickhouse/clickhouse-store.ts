// The scale-out store: ClickHouse, one server or a sharded cluster. In a cluster every server keeps
// local tables (`sign_ins_local`, ...) and a Distributed table over them (`sign_ins`, ...), sharded
// by cityHash64(log tenant, sign-in id) so every version of a line item lands on the same shard.
// Without a cluster name the tables live on the one server, under the plain names.
//
// Reads use FINAL (ReplacingMergeTree keeps each line item's newest version; FINAL collapses the
// versions not yet merged) and `deleted = 0` (a tombstone hides an older version whose time, part
// of the sorting key, a newer version changed). Every FINAL query has a WHERE clause: ClickHouse
// 18.16 fails FINAL through a Distributed table without one. Reads of record text by id (a page's
// records, one sign-in, the versions a batch replaces) go without FINAL and keep each key's newest
// version in JavaScript (newestVersions, layout.ts): FINAL merges every row it reads, text and all.
// See docs/design/0004-clickhouse-layout.md.
import { createHash } from 'node:crypto';
import { type ClickHouseSettings } from '@clickhouse/client';
import { GatelogError } from '../../errors.js';
import type { StoredSignIn } from '../../model/sign-in.js';
import { formatDateTime } from '../../model/time.js';
import type { Reject } from '../../normalize/reject.js';
import { afterKeyset, and, TRUE, type Condition, type SignInQuery } from '../../query/sql/expr.js';
import { renderAggregate, type AggregateQuery, type AggregateRow } from '../../query/sql/aggregate.js';
import { clickhouseAggregateHooks, clickhouseDialect } from '../../query/sql/clickhouse-dialect.js';
import { renderCondition, type Dialect } from '../../query/sql/render.js';
import { loadMigrations, splitStatements } from '../migrations.js';
import type { AuditEntry, AuditQuery, SignInStore, SignInWriter, StoredEvent, StoredReject } from '../sign-in-store.js';
import { ClickHouseWriter, type WriterTarget } from './clickhouse-writer.js';
import { Connection, type HostPlace, type ShardNamer } from './connection.js';
import { dateTimeText, newestVersions, storedFromRow, VERSIONED_COLUMNS, type VersionedRow } from './layout.js';
import { quote, quoteIdent, quoteList } from './quote.js';

export interface ClickHouseStoreOptions {
  /** HTTP(S) URL of a ClickHouse server, with user and password if needed; a path names the database. */
  url: string;
  /** Cluster (from the servers' remote_servers) to shard over; absent: one server, no Distributed tables. */
  cluster?: string;
  /** Database (default: the URL's path, else `gatelog`); created when missing. */
  database?: string;
  /** Records per load batch (tests use small batches to exercise batch boundaries). */
  batchRecords?: number;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const CLUSTER_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Settings every read sends. */
const READ_SETTINGS: ClickHouseSettings = {
  // A shard that does not answer fails the query: never a partial answer presented as complete.
  skip_unavailable_shards: 0,
  // With FINAL, conditions must apply to the newest version only: moving them to PREWHERE would
  // filter rows before versions collapse (and bring an older, matching version back).
  optimize_move_to_prewhere: 0,
  // A shard that accepts connections but does not answer (hung, overloaded): a new connection to
  // it fails after three tries of this many seconds, instead of ClickHouse's 300 (a connection
  // already in the entry server's pool keeps the timeout of the server profile). Shards send
  // progress packets every 100 ms while they work, so a long query is not cut short by it.
  receive_timeout: 15,
  send_timeout: 15,
};

/** Settings every insert sends (in a cluster, also insert_distributed_sync). */
const INSERT_SETTINGS: ClickHouseSettings = {
  // A shard writing a large part may be silent for a while: more time than for reads.
  receive_timeout: 60,
  send_timeout: 60,
};

/** Keys per query when a list of keys is sent as literals (the query text stays a few hundred KB). */
const KEYS_PER_QUERY = 2000;

function rejectKey(r: Reject): bigint {
  return createHash('sha1').update(`${r.source}\u0000${r.line ?? ''}\u0000${r.offset ?? ''}\u0000${r.reason}\u0000${r.raw}`).digest().readBigUInt64BE(0);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The URL of another server of the cluster: the entry URL with its host replaced (same scheme, port, credentials). */
function hostUrl(entry: URL, host: string): URL {
  const u = new URL(entry.href);
  u.hostname = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return u;
}

interface ClusterRow {
  shard_num: number;
  replica_num: number;
  host_name: string;
  host_address: string;
  port: number;
  is_local: number;
}

class Topology implements ShardNamer {
  constructor(
    readonly cluster: string,
    private readonly rows: readonly ClusterRow[],
  ) {}

  describe(address: string): string | null {
    for (const r of this.rows) {
      if (address === `${r.host_name}:${r.port}` || address === `${r.host_address}:${r.port}`) {
        const replicas = this.rows.filter((x) => x.shard_num === r.shard_num).length;
        return `shard ${r.shard_num}${replicas > 1 ? ` replica ${r.replica_num}` : ''} (${address}) of cluster '${this.cluster}'`;
      }
    }
    return null;
  }
}

export class ClickHouseStore implements SignInStore, WriterTarget {
  readonly kind = 'clickhouse' as const;
  readonly dialect: Dialect = clickhouseDialect(quote);
  private writeQueue: Promise<unknown> = Promise.resolve();
  private lastVersion = 0n;

  private constructor(
    private readonly entry: Connection,
    /** Every server of the cluster (the entry alone without a cluster). */
    private readonly hosts: readonly Connection[],
    private readonly db: string,
    private readonly cluster: string | null,
    private readonly batchRecords?: number,
  ) {}

  /** Connects, finds the cluster's servers, and migrates each of them. */
  static async open(options: ClickHouseStoreOptions): Promise<ClickHouseStore> {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new GatelogError('Request_BadRequest', `the ClickHouse URL '${options.url}' is not a URL; expected http[s]://[user:password@]host:port[/database]`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new GatelogError('Request_BadRequest', `the ClickHouse URL must be http:// or https:// (ClickHouse's HTTP interface, port 8123 by default), not ${url.protocol}//`);
    }
    const pathDb = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
    url.pathname = '/';
    const db = options.database ?? (pathDb !== '' ? pathDb : 'gatelog');
    if (!NAME_RE.test(db)) throw new GatelogError('Request_BadRequest', `ClickHouse database name '${db}' must be letters, digits and _ (not starting with a digit)`);
    const cluster = options.cluster === undefined || options.cluster === '' ? null : options.cluster;
    if (cluster !== null && !CLUSTER_RE.test(cluster)) throw new GatelogError('Request_BadRequest', `ClickHouse cluster name '${cluster}' must be letters, digits, _, . and -`);

    let topology: Topology | null = null;
    const namer = (): ShardNamer | null => topology;
    const entry = new Connection(url, namer);
    const hosts: Connection[] = [];
    try {
      await entry.rows('SELECT 1 AS ok', {}, 'connecting');
      if (cluster !== null) {
        const rows = await entry.rows<ClusterRow>(
          `SELECT shard_num, replica_num, host_name, host_address, port, is_local FROM system.clusters WHERE cluster = ${quote(cluster)} ORDER BY shard_num, replica_num`,
          {},
          'reading the cluster definition',
        );
        if (rows.length === 0) {
          const names = (await entry.rows<{ cluster: string }>('SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster')).map((r) => r.cluster);
          throw new GatelogError(
            'Request_BadRequest',
            `ClickHouse at ${entry.name} has no cluster '${cluster}' in its remote_servers${names.length ? ` (it has: ${names.join(', ')})` : ''}`,
          );
        }
        topology = new Topology(cluster, rows);
        for (const r of rows) {
          const place: HostPlace = { shard: Number(r.shard_num), replica: Number(r.replica_num), native: `${r.host_name}:${r.port}` };
          hosts.push(new Connection(hostUrl(url, r.host_name), namer, place));
        }
        // An entry server that is not itself a node of the cluster still needs the Distributed tables.
        if (!rows.some((r) => Number(r.is_local) === 1)) hosts.push(entry);
      } else {
        hosts.push(entry);
      }
      const store = new ClickHouseStore(entry, hosts, db, cluster, options.batchRecords);
      await store.migrate();
      return store;
    } catch (e) {
      await Promise.allSettled([entry, ...hosts.filter((h) => h !== entry)].map((h) => h.close()));
      throw e;
    }
  }

  /** A table as the queries name it: the Distributed table in a cluster, else the table itself. */
  table(name: 'sign_ins' | 'sign_in_events' | 'rejects' | 'audit_log'): string {
    return `${quoteIdent(this.db)}.${name}`;
  }

  /** Settings for inserts: through a Distributed table, wait until every shard has its rows. */
  get insertSettings(): ClickHouseSettings {
    return this.cluster !== null ? { ...INSERT_SETTINGS, insert_distributed_sync: 1 } : INSERT_SETTINGS;
  }

  get readSettings(): ClickHouseSettings {
    return READ_SETTINGS;
  }

  /** Serialises loads: classification and insert of one batch see every batch before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  /** A version number greater than every one this process gave before (microseconds, then counting). */
  nextVersion(): bigint {
    const now = BigInt(Date.now()) * 1000n;
    this.lastVersion = now > this.lastVersion ? now : this.lastVersion + 1n;
    return this.lastVersion;
  }

  rows<T = Record<string, unknown>>(sql: string, doing: string): Promise<T[]> {
    return this.entry.rows<T>(sql, READ_SETTINGS, doing);
  }

  insert(table: 'sign_ins' | 'sign_in_events' | 'rejects' | 'audit_log', lines: readonly string[], doing: string): Promise<void> {
    return this.entry.insertJsonLines(this.table(table), lines, this.insertSettings, doing);
  }

  private statements(sql: string): string[] {
    const sub = (s: string): string =>
      s
        .replace(/\{local:(\w+)\}/g, (_, name: string) => (this.cluster !== null ? `${name}_local` : name))
        .replace(/\{db\}/g, quoteIdent(this.db))
        .replace(/\{db_name\}/g, quote(this.db))
        .replace(/\{cluster\}/g, quote(this.cluster ?? ''));
    return splitStatements(sql)
      .filter((s) => this.cluster !== null || !/ENGINE\s*=\s*Distributed\b/i.test(s))
      .map(sub);
  }

  async migrate(): Promise<void> {
    const migrations = await loadMigrations(new URL('./migrations/', import.meta.url));
    // Every server gets the same tables (so any of them can be the entry), one after the other.
    for (const h of this.hosts) {
      await h.command(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(this.db)}`, {}, 'creating the database');
      await h.command(
        `CREATE TABLE IF NOT EXISTS ${quoteIdent(this.db)}.schema_version (version UInt32, name String, applied_at DateTime('UTC')) ENGINE = ReplacingMergeTree() ORDER BY version`,
        {},
        'creating the schema_version table',
      );
      const current = await this.hostVersion(h);
      for (const m of migrations) {
        if (m.version <= current) continue;
        // ClickHouse has no transactional DDL: every statement is IF NOT EXISTS, so a migration
        // cut short runs again from the start.
        for (const stmt of this.statements(m.sql)) await h.command(stmt, {}, `applying migration ${m.name}`);
        await h.command(
          `INSERT INTO ${quoteIdent(this.db)}.schema_version (version, name, applied_at) VALUES (${quote(m.version)}, ${quote(m.name)}, ${quote(dateTimeText(Date.now() / 1000))})`,
          {},
          `recording migration ${m.name}`,
        );
      }
    }
  }

  private async hostVersion(h: Connection): Promise<number> {
    const rows = await h.rows<{ v: number | string }>(`SELECT max(version) AS v FROM ${quoteIdent(this.db)}.schema_version`, {}, 'reading the schema version');
    return Number(rows[0]?.v ?? 0);
  }

  /** The lowest schema version of the cluster's servers (they are migrated together). */
  async schemaVersion(): Promise<number> {
    let min = Infinity;
    for (const h of this.hosts) min = Math.min(min, await this.hostVersion(h));
    return min === Infinity ? 0 : min;
  }

  openWriter(): SignInWriter {
    return new ClickHouseWriter(this, this.batchRecords);
  }

  async addRejects(rejects: readonly (Reject & { format: string })[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.exclusive(async () => {
      const byKey = new Map<bigint, Reject & { format: string }>();
      for (const r of rejects) {
        const k = rejectKey(r);
        if (!byKey.has(k)) byKey.set(k, r);
      }
      for (const part of chunks([...byKey.keys()], KEYS_PER_QUERY)) {
        const had = await this.rows<{ reject_key: string }>(`SELECT reject_key FROM ${this.table('rejects')} WHERE reject_key IN (${quoteList(part)})`, 'reading rejects');
        for (const h of had) byKey.delete(BigInt(h.reject_key));
      }
      const now = dateTimeText(Date.now() / 1000);
      const lines = [...byKey].map(([k, r]) =>
        JSON.stringify({ received_at: now, format: r.format, source: r.source, line: r.line ?? null, byte_offset: r.offset ?? null, reason: r.reason, raw: r.raw }).replace(
          /^\{/,
          `{"reject_key":${k.toString()},`,
        ),
      );
      await this.insert('rejects', lines, 'storing rejects');
    });
  }

  async get(id: string, tenants?: readonly string[]): Promise<StoredSignIn | null> {
    if (tenants && tenants.length === 0) return null;
    const tenantCond = tenants ? ` AND log_tenant_id IN (${quoteList(tenants)})` : '';
    // Without FINAL, which would merge the whole table, record text and all, to find one id.
    const rows = await this.rows<VersionedRow>(
      `SELECT ${VERSIONED_COLUMNS} FROM ${this.table('sign_ins')} WHERE id = ${quote(id)}${tenantCond}`,
      'reading a sign-in',
    );
    const r = [...newestVersions(rows).values()].sort((a, b) => (a.log_tenant_id < b.log_tenant_id ? -1 : a.log_tenant_id > b.log_tenant_id ? 1 : 0))[0];
    return r ? storedFromRow(r.log_tenant_id, r.record, r.extra) : null;
  }

  /** The SQL that finds the keys of the page `q` asks for, in order. For benchmarks and diagnostics too. */
  sqlFor(q: SignInQuery): string {
    const where = q.after ? and(q.where, afterKeyset(q.after, q.order)) : q.where;
    const { sql } = renderCondition(where, this.dialect);
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    return `SELECT log_tenant_id, id, created_ns FROM ${this.table('sign_ins')} FINAL WHERE deleted = 0 AND ${sql} ORDER BY created_ns ${dir}, id ${dir}, log_tenant_id ${dir} LIMIT ${quote(q.limit)}`;
  }

  /**
   * Two steps, as the DuckDB store: the keys of the page (narrow columns, so the filter and the
   * top-N run on little data), then the records of those keys, found through the page's time range.
   */
  async query(q: SignInQuery): Promise<StoredSignIn[]> {
    if (!Number.isSafeInteger(q.limit) || q.limit < 0) throw new RangeError(`limit must be a whole number, got ${q.limit}`);
    if (q.limit === 0) return [];
    const keys = await this.rows<{ log_tenant_id: string; id: string; created_ns: string }>(this.sqlFor(q), 'listing sign-ins');
    if (keys.length === 0) return [];
    const byKey = new Map<string, StoredSignIn>();
    for (const part of chunks(keys, KEYS_PER_QUERY)) {
      let lo = BigInt(part[0]!.created_ns);
      let hi = lo;
      for (const k of part) {
        const t = BigInt(k.created_ns);
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      const tenants = [...new Set(part.map((k) => k.log_tenant_id))];
      const ids = [...new Set(part.map((k) => k.id))];
      // Without FINAL: FINAL merges every row of the time range, record text and all, before the ids
      // narrow it (a page of interactive sign-ins in a store of 10,000,000 spans hours of the far
      // more numerous non-interactive ones, and ran out of the server's memory). The versions of
      // the page's rows are few: the newest of each (tenant, time, id) is the row, unless a
      // tombstone.
      const rows = await this.rows<VersionedRow>(
        `SELECT ${VERSIONED_COLUMNS} FROM ${this.table('sign_ins')}
         WHERE created_ns BETWEEN ${quote(lo)} AND ${quote(hi)} AND log_tenant_id IN (${quoteList(tenants)}) AND id IN (${quoteList(ids)})`,
        'reading sign-ins',
      );
      for (const [k, r] of newestVersions(rows)) byKey.set(k, storedFromRow(r.log_tenant_id, r.record, r.extra, q.select));
    }
    const out: StoredSignIn[] = [];
    for (const k of keys) {
      const s = byKey.get(`${k.log_tenant_id}\u0000${k.id}\u0000${k.created_ns}`);
      if (s) out.push(s);
    }
    return out;
  }

  async count(where: Condition = TRUE): Promise<number> {
    const { sql } = renderCondition(where, this.dialect);
    const rows = await this.rows<{ n: string }>(`SELECT count() AS n FROM ${this.table('sign_ins')} FINAL WHERE deleted = 0 AND ${sql}`, 'counting sign-ins');
    return Number(rows[0]?.n ?? 0);
  }

  async aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    const r = renderAggregate(q, this.dialect, clickhouseAggregateHooks(this.table('sign_ins'), quote));
    const rows = await this.rows<Record<string, unknown>>(r.sql, 'aggregating sign-ins');
    return rows.map(r.read);
  }

  async listEvents(keys: readonly { tenantId: string; id: string }[]): Promise<StoredEvent[]> {
    if (keys.length === 0) return [];
    const out: StoredEvent[] = [];
    for (let i = 0; i < keys.length; i += 2000) {
      const part = keys.slice(i, i + 2000);
      const rows = await this.rows<{
        log_tenant_id: string;
        sign_in_id: string;
        event_key: string;
        created_ns: string;
        received_at: string;
        observed_ns: string | null;
        format: string;
        source: string | null;
        line: string | null;
        byte_offset: string | null;
        raw: string | null;
        reading: string | null;
        partial_properties: string[];
      }>(
        `SELECT log_tenant_id, sign_in_id, toString(event_key) AS event_key, toString(created_ns) AS created_ns, toString(received_at) AS received_at,
           toString(observed_ns) AS observed_ns, format, source, toString(line) AS line, toString(byte_offset) AS byte_offset, raw, reading, partial_properties
         FROM ${this.table('sign_in_events')} FINAL WHERE (log_tenant_id, sign_in_id) IN (${part.map((k) => `(${quote(k.tenantId)}, ${quote(k.id)})`).join(', ')})`,
        'reading raw events',
      );
      for (const r of rows) {
        out.push({
          tenantId: r.log_tenant_id,
          signInId: r.sign_in_id,
          eventKey: r.event_key,
          createdDateTime: formatDateTime(BigInt(r.created_ns)),
          receivedAt: `${r.received_at.replace(' ', 'T')}.000Z`,
          ...(r.observed_ns !== null ? { observedAt: formatDateTime(BigInt(r.observed_ns)) } : {}),
          format: r.format,
          ...(r.source !== null ? { source: r.source } : {}),
          ...(r.line !== null ? { line: Number(r.line) } : {}),
          ...(r.byte_offset !== null ? { offset: Number(r.byte_offset) } : {}),
          raw: r.raw,
          reading: r.reading === null ? null : (JSON.parse(r.reading) as StoredEvent['reading']),
          ...(r.partial_properties.length ? { partial: r.partial_properties } : {}),
        });
      }
    }
    const when = (e: StoredEvent): string => e.observedAt ?? e.receivedAt;
    return out.sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.eventKey < b.eventKey ? -1 : a.eventKey > b.eventKey ? 1 : 0));
  }

  async countRejects(): Promise<number> {
    const rows = await this.rows<{ n: string }>(`SELECT count() AS n FROM ${this.table('rejects')} FINAL WHERE 1`, 'counting rejects');
    return Number(rows[0]?.n ?? 0);
  }

  async listRejects(options: { limit: number; source?: string }): Promise<StoredReject[]> {
    // Always a WHERE clause: ClickHouse 18.16 fails a FINAL query through a Distributed table that
    // has none ("Cannot find column reject_key in source stream").
    const where = `WHERE ${options.source !== undefined ? `source = ${quote(options.source)}` : '1'}`;
    const rows = await this.rows<{ received_at: string; format: string; source: string; line: string | null; byte_offset: string | null; reason: string; raw: string | null }>(
      `SELECT received_at, format, source, line, byte_offset, reason, raw FROM ${this.table('rejects')} FINAL ${where}
       ORDER BY received_at, source, line, byte_offset LIMIT ${quote(options.limit)}`,
      'listing rejects',
    );
    return rows.map((r) => ({
      receivedAt: `${r.received_at.replace(' ', 'T')}.000Z`,
      format: r.format,
      source: r.source,
      ...(r.line !== null ? { line: Number(r.line) } : {}),
      ...(r.byte_offset !== null ? { offset: Number(r.byte_offset) } : {}),
      reason: r.reason,
      raw: r.raw ?? '',
    }));
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const lines = entries.map((e) => {
      const ms = Date.parse(e.at);
      if (!Number.isFinite(ms)) throw new GatelogError('Internal_Error', `audit entry time '${e.at}' is not an ISO 8601 time`);
      return JSON.stringify({
        read_at: dateTimeText(Math.floor(ms / 1000)),
        read_at_ms: ms,
        seq: this.nextVersion().toString(),
        actor: e.actor,
        via: e.via,
        all_tenants: e.tenants === null ? 1 : 0,
        tenants: e.tenants ?? [],
        action: e.action,
        target: e.target,
        filter_text: e.filter,
        row_count: e.rows,
        status: e.status,
        client: e.client,
        request_id: e.requestId,
      });
    });
    await this.insert('audit_log', lines, 'writing the audit');
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const where = ['1'];
    if (query.since !== undefined) where.push(`read_at_ms >= ${quote(Date.parse(query.since))}`);
    if (query.until !== undefined) where.push(`read_at_ms < ${quote(Date.parse(query.until))}`);
    if (query.actor !== undefined) where.push(`actor = ${quote(query.actor)}`);
    const rows = await this.rows<{
      read_at_ms: string | number;
      actor: string;
      via: string;
      all_tenants: number;
      tenants: string[];
      action: string;
      target: string | null;
      filter_text: string | null;
      row_count: string | number;
      status: number;
      client: string | null;
      request_id: string | null;
    }>(
      `SELECT read_at_ms, actor, via, all_tenants, tenants, action, target, filter_text, row_count, status, client, request_id FROM ${this.table('audit_log')}
       WHERE ${where.join(' AND ')} ORDER BY read_at_ms DESC, seq DESC LIMIT ${quote(query.limit)}`,
      'reading the audit',
    );
    return rows.map((r) => ({
      at: new Date(Number(r.read_at_ms)).toISOString(),
      actor: r.actor,
      via: r.via as AuditEntry['via'],
      tenants: Number(r.all_tenants) === 1 ? null : r.tenants,
      action: r.action,
      target: r.target,
      filter: r.filter_text,
      rows: Number(r.row_count),
      status: Number(r.status),
      client: r.client,
      requestId: r.request_id,
    }));
  }

  async close(): Promise<void> {
    await this.writeQueue;
    const all = new Set([this.entry, ...this.hosts]);
    await Promise.allSettled([...all].map((h) => h.close()));
  }
}
