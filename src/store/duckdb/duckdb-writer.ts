// Batched, pipelined loading into DuckDB. Records are written as canonical NDJSON to a temporary
// file while the previous batch loads; DuckDB then parses the file into typed columns itself
// (read_json with the exact column types), which is far faster than handing it nested values one
// at a time from JavaScript. Each batch is one transaction (a bulk import's, several batches:
// GROUP_BYTES): classify (new / newer version / already had), replace, insert line items and their
// raw events. A batch streams into the table unsorted: sorting a batch (a few thousand rows)
// cannot tighten the time ranges of row groups of 122,880 rows, and the sort held the whole batch
// in memory.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BIGINT, DuckDBDataChunk, UBIGINT, UTINYINT, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { toOriginal } from '../../model/render.js';
import { mergeEvidence, type Evidence } from '../../aggregate/merge-sign-ins.js';
import { parseDateTime } from '../../model/time.js';
import type { Extra, SignInRecord, StoredSignIn } from '../../model/sign-in.js';
import type { IncomingSignIn, IngestCounts, SignInWriter } from '../sign-in-store.js';
import { batchLimit, OpenBatches } from '../batch-placement.js';
import { DUCKDB_ELEMENT_TABLES, selectElementRows, type ElementTable } from '../../query/sql/duckdb-dialect.js';
import { quoteIdent } from './duckdb-types.js';
import { groupHashSql, keyHashSql, SIGN_IN_COLUMNS, readJsonColumnsSql, rowToStored } from './layout.js';
import { rowObjects } from './read-rows.js';
import { byDay, dayParts, daysWhere, ROLLUP_DAY_SQL, ROLLUP_SOURCE_COLUMNS, rollupCompactSql, rollupDefinition, rollupInsertSql, rollupSource, rollupTables, successorRowsSql, SUCCESSORS_DEFINITION, SUCCESSORS_TABLE, MARK_DERIVED_STALE_SQL, type RollupTable } from './rollups.js';

/** The reading of an event that was its line item until a newer record came (see mergeNewer). */
interface PendingReading {
  tenant: string;
  id: string;
  eventKey: bigint;
  reading: string;
}

/** The temporary table of the element rows a batch wrote to `t`. */
const batchElementRows = (t: ElementTable): string => `batch_${t.table}`;

/** The days whose rollup rows batches added since they were last folded, and how many batches did. */
export interface UnfoldedRollups {
  days: Map<string, { tenant: string; day: string }>;
  batches: number;
}

export function newUnfoldedRollups(): UnfoldedRollups {
  return { days: new Map(), batches: 0 };
}

/** Single-batch flushes (live ingest) fold the rollups after this many batches. */
export const FOLD_AFTER_BATCHES = 16;

/**
 * A bulk import loads its batches in transactions of this many bytes of records or more (four
 * full batches), not one each: a commit cost about a third of a batch's time (the write-ahead log,
 * its sync, and checkpoints of many small appends), and a store written in larger commits is
 * smaller (measured on 100,000 sign-ins of 10 KB: 1,190 bytes per sign-in with a commit a batch,
 * 850 with eight). Without the log (a bulk import's now, design/0002) the gain is smaller: 300,000
 * sign-ins took 41.8 s in transactions of 64 MB, 43.5 s in ones of 16 MB. The batches of the open
 * transaction are kept until it commits: should it fail, it is rolled back and they load again one
 * transaction each, the way a live ingest loads them.
 */
export const GROUP_BYTES = 64 << 20;

/**
 * Line items (of whole days) a statement of a bulk import's end recounts a rollup over
 * (finishDeferred): 30 policy results each make 7.5 million element rows.
 */
const RECOUNT_PART_LINE_ITEMS = 250_000;

/** Line items a transaction of a bulk import's end writes the element rows of (finishDeferred). */
const DEFERRED_PART_SIGN_INS = 100_000;

/** Records per batch, and bytes of NDJSON per batch, whichever comes first. */
export const DEFAULT_BATCH_RECORDS = 10_000;
const BATCH_BYTES = 16 << 20;
const WRITE_BUFFER = 256 << 10;
/** Largest record DuckDB's reader takes: importers reject records over 16 Mi characters, which is at most 64 MiB of UTF-8. */
const MAX_RECORD_BYTES = 16 << 20;

/**
 * DuckDB's memory limit while a batch's records are read by DuckDB's JSON reader and inserted
 * (bytes), plus four times the batch's largest record (its reader's buffers); the store's own limit
 * when that is lower. Everything else a load does runs within the store's own limit: the checks of
 * a batch against the store scan whole tables (a first import of 10,000,000 sign-ins ran out of
 * memory in one, at 1.5 million, within this limit), and a failed checkpoint invalidates the
 * database.
 */
const LOAD_MEMORY_LIMIT = 192 * 2 ** 20;

/** The store's DuckDB memory limit unless GATELOG_DUCKDB_MEMORY_LIMIT (or an option) sets another. */
export const DEFAULT_MEMORY_LIMIT = '512MB';

/** The DuckDB settings a store runs with (a bulk load returns to them once it has read a batch's records). */
export interface LoadSettings {
  /** memory_limit as configured, e.g. '512MB'. */
  memoryLimit: string;
  /**
   * A bulk import that has the store to itself (`gatelog import`): DuckDB runs on one thread and
   * reads records within a smaller memory limit. Never for a serving store, whose queries share the
   * instance's settings.
   */
  bulkLoad?: boolean;
  /** The reader's memory limit before the records' share (bytes; default LOAD_MEMORY_LIMIT): tests make it run out. */
  readerLimit?: number;
  /** Bytes of records a bulk import's transaction holds before it commits (default GROUP_BYTES); 0: a transaction a batch. */
  groupBytes?: number;
  /**
   * DuckDB's threads while a bulk import builds what it deferred (finishDeferred): the machine's
   * cores, JavaScript having nothing left to read by then; afterwards back to `loadThreads`.
   * Unset: the threads stay as they are (set on purpose, GATELOG_DUCKDB_THREADS).
   */
  finishThreads?: number;
  /** DuckDB's threads while a bulk import loads its batches (restored after finishDeferred). */
  loadThreads?: number;
  /**
   * The store writes no write-ahead log (a bulk import's, design/0002): its commits reach the file
   * at a checkpoint, which the writer runs after the commit that fills a row group of sign_ins
   * (`rowGroupRows` rows), or once this many bytes of records were committed since the last.
   */
  checkpointBytes?: number;
  /** The rows of a row group of the store (with checkpointBytes). */
  rowGroupRows?: number;
}

/** Bytes of a DuckDB memory size ('512MB', '1.5GiB', '1GB'); null when it is not one. */
export function bytesOf(size: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B?\s*$/i.exec(size);
  if (!m) return null;
  const power = ' KMGT'.indexOf((m[2] ?? '').toUpperCase() || ' ');
  return Number(m[1]) * (m[3] ? 1024 : 1000) ** power;
}

/** The memory limit for reading a batch whose largest record has `largestRecord` bytes; null when the store's own is not higher. */
export function readerMemoryLimit(own: LoadSettings, largestRecord: number): string | null {
  const limit = bytesOf(own.memoryLimit);
  const bounded = (own.readerLimit ?? LOAD_MEMORY_LIMIT) + 4 * largestRecord;
  return limit === null || limit > bounded ? `${bounded}B` : null;
}

/** Line items in the time range given as parameters $1 and $2 (nanoseconds since the epoch, as text): see timeSpan. */
const TIME_SPAN_SQL = 's."createdDateTime" BETWEEN make_timestamp_ns(CAST($1 AS BIGINT)) AND make_timestamp_ns(CAST($2 AS BIGINT))';

const CLASS_NEW = 0;
const CLASS_NEWER = 1;
const CLASS_HAD = 2;

/**
 * The stored line items a batch replaces (class CLASS_NEWER), narrowed as the batch's check found
 * them: by key hash, within the time range (TIME_SPAN_SQL's parameters) the hashes found span. A
 * join over the whole of sign_ins took 21 s a statement in a store of 10,000,000 sign-ins.
 */
const REPLACED_SQL = `${TIME_SPAN_SQL} AND s.key_hash IN (SELECT ${keyHashSql('tenant', 'id')} FROM ingest_meta WHERE class = ${CLASS_NEWER})`;

/** What a batch replaces: how many line items, the readings to keep, the time range its check found them in (null: none). */
interface Replacing {
  count: number;
  readings: readonly PendingReading[];
  span: [string, string] | null;
}

interface Meta {
  tenant: string[];
  id: string[];
  eventKey: bigint[];
  created: string[];
  extra: (string | null)[];
  format: string[];
  source: string[];
  line: (bigint | null)[];
  offset: (bigint | null)[];
  raw: (string | null)[];
  observed: (string | null)[];
  partial: (string | null)[];
}

class Batch {
  readonly meta: Meta = { tenant: [], id: [], eventKey: [], created: [], extra: [], format: [], source: [], line: [], offset: [], raw: [], observed: [], partial: [] };
  readonly ids = new Map<string, { tenant: string; eventKey: bigint }>();
  private fd: number;
  // The records themselves are not kept: each is encoded into the write buffer as it comes, so its
  // text dies young (buffering the strings instead promoted gigabytes of them to V8's old space),
  // and a merge reads the few it needs back from the file.
  private out: Buffer | null = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  bytes = 0;
  /** Characters of the largest record. */
  largest = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  get count(): number {
    return this.meta.id.length;
  }

  add(item: IncomingSignIn): void {
    const m = this.meta;
    const extra = item.extra ? JSON.stringify(item.extra) : null;
    m.tenant.push(item.tenantId);
    m.id.push(item.id);
    m.eventKey.push(item.eventKey);
    m.created.push(item.createdDateTime);
    m.extra.push(extra);
    m.format.push(item.format);
    m.source.push(item.place.source);
    m.line.push(item.place.line === undefined ? null : BigInt(item.place.line));
    m.offset.push(item.place.offset === undefined ? null : BigInt(item.place.offset));
    m.raw.push(item.raw ?? null);
    m.observed.push(item.observedAt ?? null);
    m.partial.push(item.partial ? item.partial.join(',') : null);
    this.ids.set(item.id, { tenant: item.tenantId, eventKey: item.eventKey });
    this.write(item.json);
    if (item.json.length > this.largest) this.largest = item.json.length;
    // What the batch holds in memory (the raw rows and overlays) counts towards its size too.
    this.bytes += item.json.length + 1 + (item.raw?.length ?? 0) + (extra?.length ?? 0);
  }

  private write(json: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const most = json.length * 3 + 1;
    if (this.used + most > WRITE_BUFFER) this.writeOut();
    if (most > WRITE_BUFFER) {
      writeSync(this.fd, `${json}\n`);
      return;
    }
    const out = (this.out ??= Buffer.allocUnsafe(WRITE_BUFFER));
    this.used += out.write(json, this.used, 'utf8');
    out[this.used++] = 0x0a;
  }

  private writeOut(): void {
    let at = 0;
    while (this.out && at < this.used) at += writeSync(this.fd, this.out, at, this.used - at);
    this.used = 0;
  }

  close(): void {
    this.writeOut();
    this.out = null;
    closeSync(this.fd);
  }

  /** Removes the batch's files (its records, and their merge with the store's versions). */
  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(mergedPath(this.path), { force: true });
  }
}

const mergedPath = (path: string): string => `${path}.merged`;

let batchSeq = 0;

let lastStamp = 0n;
/**
 * A batch's write time (ingested_at, received_at) as DuckDB TIMESTAMP text: the wall clock in
 * microseconds, strictly later than the previous batch's. Not the transaction's now(): a bulk
 * import writes several batches in one transaction, and a batch tells its line items from those of
 * earlier batches by this time.
 */
export function nextStamp(): string {
  let us = BigInt(Date.now()) * 1000n;
  if (us <= lastStamp) us = lastStamp + 1n;
  lastStamp = us;
  const iso = new Date(Number(us / 1000n)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(us % 1_000_000n).padStart(6, '0')}`;
}

/**
 * The next write times come after `us` (microseconds since the epoch): a store's newest write time,
 * should the clock have gone back since it was written. A bulk import selects the line items it
 * wrote by their write time (finishDeferred).
 */
export function stampsAfter(us: bigint): void {
  if (us > lastStamp) lastStamp = us;
}

const noCounts = (): IngestCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

function addCounts(into: IngestCounts, c: IngestCounts): void {
  into.inserted += c.inserted;
  into.updated += c.updated;
  into.unchanged += c.unchanged;
}

/** A bulk import's open transaction (GROUP_BYTES): its batches, kept until it commits, and what they counted. */
interface Group {
  batches: Batch[];
  bytes: number;
  counts: IngestCounts;
}

export class DuckDbWriter implements SignInWriter {
  /** Open batches, in the order they will load (src/store/batch-placement.ts). */
  private readonly batches = new OpenBatches<Batch>({
    create: () => new Batch(join(this.tmpDir, `ingest-${process.pid}-${++batchSeq}.ndjson`)),
    full: (b, index) => b.count >= batchLimit(index, this.batchRecords) || b.bytes >= BATCH_BYTES,
    close: (b) => this.rotateOne(b),
  });
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failure: unknown = null;
  private counts: IngestCounts = { inserted: 0, updated: 0, unchanged: 0 };

  constructor(
    private readonly con: DuckDBConnection,
    private readonly tmpDir: string,
    private readonly lock: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly batchRecords = DEFAULT_BATCH_RECORDS,
    /** The store's own settings, restored after each load. */
    private readonly settings: LoadSettings = { memoryLimit: DEFAULT_MEMORY_LIMIT },
    /** The rollup rows the store's writers added since they were last folded (one per store, shared by its writers). */
    private readonly unfolded: UnfoldedRollups = newUnfoldedRollups(),
    /**
     * Told when a bulk import's transaction opens (with how to end it) and when it ends: the store
     * ends it before any other use of the write connection (rejects, the audit log), which would
     * otherwise run inside it.
     */
    private readonly onOpenTransaction: (end: (() => Promise<void>) | null) => void = () => undefined,
  ) {}

  /** The bulk import's open transaction, if any. */
  private group: Group | null = null;

  private get groupBytes(): number {
    return this.settings.groupBytes ?? GROUP_BYTES;
  }

  add(item: IncomingSignIn): void | Promise<void> {
    if (this.failure) throw this.failure;
    const placed = this.batches.add(item, (batch) => batch.add(item));
    if (placed === 'unchanged') {
      this.counts.unchanged++;
      return undefined;
    }
    return placed;
  }

  async flush(): Promise<IngestCounts> {
    void this.batches.closeAll();
    await this.chain;
    if (this.group) await this.lock(() => this.endGroupQuietly());
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      throw f;
    }
    // Several batches each added their own rollup rows for the days they wrote: folded into one
    // after an import of several batches, and after every FOLD_AFTER_BATCHES small ones (live ingest
    // flushes a batch a request).
    if (this.settings.bulkLoad) await this.lock(() => this.finishDeferred());
    if (this.ownBatches > 1 || this.unfolded.batches >= FOLD_AFTER_BATCHES || (this.settings.bulkLoad && this.unfolded.days.size > 0)) await this.lock(() => this.compactRollups());
    this.ownBatches = 0;
    const c = this.counts;
    this.counts = { inserted: 0, updated: 0, unchanged: 0 };
    return c;
  }

  private rotateOne(b: Batch): Promise<void> | undefined {
    b.close();
    const mustWait = this.inFlight > 0;
    this.inFlight++;
    const previous = this.chain;
    this.chain = previous.then(async () => {
      // A batch of a bulk import's transaction keeps its files until the transaction ends.
      let kept = false;
      try {
        if (this.failure) return;
        if (this.settings.bulkLoad && this.groupBytes > 0) {
          kept = true;
          await this.lock(() => this.loadInGroup(b));
        } else {
          this.addCounts(
            await this.lock(async () => {
              const c = await this.load(b, false);
              await this.committed(b.bytes);
              return c;
            }),
          );
        }
      } catch (e) {
        this.failure = e;
      } finally {
        this.inFlight--;
        if (!kept) b.remove();
      }
    });
    return mustWait ? previous : undefined;
  }

  private addCounts(c: IngestCounts): void {
    addCounts(this.counts, c);
  }

  /** Loads a batch of a bulk import into the open transaction (opening one), and commits it once it holds GROUP_BYTES. */
  private async loadInGroup(b: Batch): Promise<void> {
    if (!this.group) {
      await this.begin();
      this.group = { batches: [], bytes: 0, counts: noCounts() };
      this.onOpenTransaction(() => this.endGroupQuietly());
    }
    const g = this.group;
    g.batches.push(b);
    g.bytes += b.bytes;
    let c: IngestCounts;
    try {
      c = await this.load(b, true);
    } catch {
      // Whatever failed (memory, a record DuckDB's reader refuses), the batches load again one
      // transaction each, with the retries a single batch has.
      await this.replayGroup();
      return;
    }
    addCounts(g.counts, c);
    if (g.bytes >= this.groupBytes) await this.endGroup();
  }

  /** Commits the open transaction (on the write connection, the lock held). */
  private async endGroup(): Promise<void> {
    const g = this.group;
    if (!g) return;
    try {
      await this.con.run('COMMIT');
    } catch {
      await this.replayGroup();
      return;
    }
    this.group = null;
    this.onOpenTransaction(null);
    this.addCounts(g.counts);
    for (const b of g.batches) b.remove();
    await this.committed(g.bytes);
  }

  /** Bytes of records committed since the last checkpoint, when the store writes no log. */
  private uncheckpointed = 0;
  /** Full row groups of sign_ins at the last checkpoint (null: not yet looked at). */
  private fullRowGroups: number | null = null;

  /** Full row groups of sign_ins (its rows, deleted ones too, over the row group size). */
  private async rowGroupsFilled(): Promise<number> {
    const rows = Number(rowObjects(await this.con.runAndReadAll(`SELECT estimated_size AS n FROM duckdb_tables() WHERE table_name = 'sign_ins' AND database_name = current_database()`))[0]?.['n'] ?? 0);
    return Math.floor(rows / (this.settings.rowGroupRows ?? 122_880));
  }

  /**
   * After a commit of `bytes` of records, when the store writes no log: a checkpoint once the
   * commit filled a row group of sign_ins, or checkpointBytes were committed since the last. A
   * checkpoint writes every row group with new rows again whole, the last, partly filled one too:
   * checkpoints every 512 MB of records took 95 of 232 s importing 1,000,000 sign-ins, a few of
   * them 12 s each, while one at the end of 300,000 took 2.6 s (design/0002).
   */
  private async committed(bytes: number): Promise<void> {
    const most = this.settings.checkpointBytes;
    if (!most) return;
    this.uncheckpointed += bytes;
    const filled = await this.rowGroupsFilled();
    if (filled === this.fullRowGroups && this.uncheckpointed < most) return;
    await this.con.run('CHECKPOINT');
    this.uncheckpointed = 0;
    this.fullRowGroups = filled;
  }

  /** endGroup, a failure kept for the import's next add or flush (the caller is another use of the connection). */
  private async endGroupQuietly(): Promise<void> {
    try {
      await this.endGroup();
    } catch (e) {
      this.failure ??= e;
    }
  }

  /** Rolls the open transaction back and loads its batches again, one transaction each. */
  private async replayGroup(): Promise<void> {
    const g = this.group;
    if (!g) return;
    this.group = null;
    this.onOpenTransaction(null);
    await this.con.run('ROLLBACK').catch(() => undefined);
    try {
      for (const b of g.batches) {
        this.addCounts(await this.load(b, false));
        await this.committed(b.bytes);
      }
    } finally {
      for (const b of g.batches) b.remove();
    }
  }

  /** Loads a batch: in its own transaction, or (`inGroup`) in the bulk import's open one, failures left to the caller. */
  private async load(b: Batch, inGroup: boolean): Promise<IngestCounts> {
    const con = this.con;
    await con.run('DELETE FROM ingest_meta');
    const appender = await con.createAppender('ingest_meta', 'main', 'temp');
    const m = b.meta;
    const types = [VARCHAR, VARCHAR, UBIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, BIGINT, BIGINT, UTINYINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR];
    for (let start = 0; start < m.id.length; start += 2048) {
      const end = Math.min(m.id.length, start + 2048);
      const chunk = DuckDBDataChunk.create(types, end - start);
      chunk.setColumns([
        m.tenant.slice(start, end),
        m.id.slice(start, end),
        m.eventKey.slice(start, end),
        m.created.slice(start, end),
        m.extra.slice(start, end),
        m.format.slice(start, end),
        m.source.slice(start, end),
        m.line.slice(start, end),
        m.offset.slice(start, end),
        new Array<number>(end - start).fill(CLASS_NEW),
        m.raw.slice(start, end),
        m.observed.slice(start, end),
        m.partial.slice(start, end),
        new Array<string | null>(end - start).fill(null),
      ]);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();

    // Which of the batch's sign-ins the store has: first by key hash, over one 8-byte column of
    // sign_ins (a batch of sign-ins the store has none of, as in a first import, stops there), then
    // by tenant and id, within the time range the hashes found span (the time's zone maps skip the
    // rest). The events check scans a whole table, so it runs only when the first found something:
    // an event the store has belongs to a line item it has.
    const batchHashes = `SELECT ${keyHashSql('tenant', 'id')} FROM ingest_meta`;
    const found = await this.timeSpan(`s.key_hash IN (${batchHashes})`);
    if (found) {
      await con.run(
        `UPDATE ingest_meta SET class = ${CLASS_NEWER} WHERE (tenant, id) IN (
          SELECT s.log_tenant_id, s.id FROM sign_ins s WHERE ${TIME_SPAN_SQL} AND s.key_hash IN (${batchHashes}))`,
        found as never,
      );
    }
    // (Nothing found, as in a first import: every one is new, without asking.)
    let counts = found ? rowObjects(await con.runAndReadAll('SELECT class, count(*)::INTEGER AS n FROM ingest_meta GROUP BY class')) : [{ class: CLASS_NEW, n: m.id.length }];
    const n = (cls: number): number => Number(counts.find((r) => r['class'] === cls)?.['n'] ?? 0);
    if (n(CLASS_NEWER) > 0) {
      await con.run(`UPDATE ingest_meta SET class = ${CLASS_HAD} WHERE class = ${CLASS_NEWER} AND EXISTS (
        SELECT 1 FROM sign_in_events e WHERE e.log_tenant_id = ingest_meta.tenant AND e.sign_in_id = ingest_meta.id AND e.event_key = ingest_meta.event_key)`);
      counts = rowObjects(await con.runAndReadAll('SELECT class, count(*)::INTEGER AS n FROM ingest_meta GROUP BY class'));
    }
    // (A merge reads line items and their events back, within the store's own memory limit: within
    // the reader's smaller one, an events file's merges ran out of memory.)
    const merged = n(CLASS_NEWER) > 0 && found ? await this.mergeNewer(b, found) : { path: b.path, readings: [] };
    const path = merged.path;
    const replacing: Replacing = { count: n(CLASS_NEWER), readings: merged.readings, span: found };
    const toInsert = n(CLASS_NEW) + n(CLASS_NEWER);
    // (In a bulk import's transaction, without the reader's smaller memory limit: rows the
    // transaction has not committed yet stay in memory, and share it.)
    try {
      await this.commitWithin(path, toInsert, replacing, inGroup ? null : b.largest, inGroup);
    } catch (e) {
      // A record JavaScript read as canonical that DuckDB's reader refuses (a key repeated in the
      // same object, say): write every record again from its parsed form and load that instead.
      if (inGroup || !/JSON/.test(String(e))) throw e;
      const retry = `${b.path}.retry`;
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.stringify(JSON.parse(l) as unknown));
      const fd = openSync(retry, 'w');
      writeSync(fd, `${lines.join('\n')}\n`);
      closeSync(fd);
      try {
        await this.commitWithin(retry, toInsert, replacing, b.largest, false);
      } finally {
        rmSync(retry, { force: true });
      }
    }
    return { inserted: n(CLASS_NEW), updated: n(CLASS_NEWER), unchanged: n(CLASS_HAD) };
  }

  /**
   * commit, reading the records within the reader's smaller memory limit; should that run out (a
   * first import of 10,000,000 sign-ins did at 3 million: loaded rows waiting for a checkpoint fill
   * the same memory), the batch again within the store's own limit.
   */
  private async commitWithin(path: string, toInsert: number, replacing: Replacing, largest: number | null, inGroup: boolean): Promise<void> {
    try {
      await this.commit(path, toInsert, replacing, largest, inGroup);
    } catch (e) {
      if (!(this.settings.bulkLoad && largest !== null && /Out of Memory/i.test(String(e)))) throw e;
      await this.commit(path, toInsert, replacing, null, inGroup);
    }
  }

  /**
   * One transaction (or, `inGroup`, part of the bulk import's open one): keep replaced versions,
   * replace, insert line items and their events. `largest` (the batch's largest record): read the
   * records within the reader's memory limit; null: within the store's own.
   */
  private async commit(path: string, toInsert: number, replacing: Replacing, largest: number | null, inGroup: boolean): Promise<void> {
    const newer = replacing.count;
    const con = this.con;
    // The narrow per-element tables reports read (migration 0005) change with their line items.
    const elementTables = DUCKDB_ELEMENT_TABLES;
    // A bulk import writes them once, at its end (finishDeferred).
    const bulk = this.settings.bulkLoad === true;
    if (!inGroup) await this.begin();
    // When the batch's line items and events are written.
    const stamp = nextStamp();
    try {
      // The days (per tenant) whose rollup rows a replaced line item counted, and its correlation
      // group: recounted below.
      const replaced = `(s.log_tenant_id, s.id) IN (SELECT tenant, id FROM ingest_meta WHERE class = ${CLASS_NEWER})`;
      const days = newer > 0 ? await this.rollupDays(replaced) : [];
      if (bulk) {
        // What is derived from the line items waits for the import's end (finishDeferred): the
        // replaced versions' correlation groups and days are remembered for it.
        if (toInsert > 0 && !this.deferredInTransaction) {
          await this.deferDerived(stamp);
          this.deferredInTransaction = true;
        }
        if (newer > 0) await con.run(`INSERT INTO deferred_groups SELECT DISTINCT s.group_hash FROM sign_ins s WHERE ${replaced}`);
        for (const d of days) this.replacedDays.set(`${d.tenant}\u0000${d.day}`, d);
      } else {
        await con.run('DELETE FROM rollup_groups');
        if (newer > 0) await con.run(`INSERT INTO rollup_groups SELECT DISTINCT s.log_tenant_id, coalesce(s."correlationId", s.id), s.group_hash FROM sign_ins s WHERE ${replaced}`);
      }
      if (newer > 0) {
        if (replacing.span) await this.keepReplacedVersions(replacing.span);
        await this.keepReadings(replacing.readings);
        await con.run(`DELETE FROM sign_ins WHERE (log_tenant_id, id) IN (SELECT tenant, id FROM ingest_meta WHERE class = ${CLASS_NEWER})`);
        for (const t of elementTables) await con.run(`DELETE FROM ${t.table} WHERE (log_tenant_id, id) IN (SELECT tenant, id FROM ingest_meta WHERE class = ${CLASS_NEWER})`);
      }
      if (toInsert > 0) {
        const cols = SIGN_IN_COLUMNS.map((c) => `r.${quoteIdent(c)}`).join(', ');
        if (largest !== null) await this.useReaderMemoryLimit(largest);
        await con.run(`INSERT INTO sign_ins
          SELECT m.tenant, ${cols}, m.extra, m.event_key, CAST($1 AS TIMESTAMP), ${keyHashSql('m.tenant', 'r.id')}, ${groupHashSql('m.tenant', 'r."correlationId"', 'r.id')}
          FROM read_json('${path.replace(/'/g, "''")}', format = 'newline_delimited', maximum_object_size = ${MAX_RECORD_BYTES}, columns = ${readJsonColumnsSql()}) r
          JOIN ingest_meta m ON r.id = m.id
          WHERE m.class IN (${CLASS_NEW}, ${CLASS_NEWER})`,
          [stamp],
        );
        await con.run(`INSERT INTO sign_in_events (log_tenant_id, sign_in_id, event_key, created_date_time, received_at, format, source, line, byte_offset, raw, observed_at, partial_properties, reading)
          SELECT tenant, id, event_key, CAST(created AS TIMESTAMP_NS), CAST($1 AS TIMESTAMP), format, source, line, byte_offset, raw, CAST(observed AS TIMESTAMP_NS),
            CASE WHEN partial IS NULL THEN NULL ELSE string_split(partial, ',') END, reading
          FROM ingest_meta WHERE class IN (${CLASS_NEW}, ${CLASS_NEWER})`,
          [stamp],
        );
        if (largest !== null) await this.useOwnMemoryLimit();
        if (bulk) {
          if (!inGroup) await con.run('COMMIT');
          return;
        }
        // The per-element rows of the line items just written (stamped with the batch's time: the
        // time filter skips every older row group before the keys are matched).
        // (Through a temporary table of the batch's rows, which the rollups count from too.)
        for (const t of elementTables) {
          await con.run(
            `CREATE OR REPLACE TEMP TABLE ${batchElementRows(t)} AS ${selectElementRows(t, `FROM sign_ins s WHERE s.ingested_at >= CAST($1 AS TIMESTAMP) AND (s.log_tenant_id, s.id) IN (SELECT tenant, id FROM ingest_meta WHERE class IN (${CLASS_NEW}, ${CLASS_NEWER}))`)}`,
            [stamp],
          );
          await con.run(`INSERT INTO ${t.table} SELECT * FROM ${batchElementRows(t)}`);
        }
        await this.updateRollups(stamp, days);
      }
      if (!inGroup) await con.run('COMMIT');
    } catch (e) {
      if (inGroup) throw e;
      await con.run('ROLLBACK');
      // Back to the store's own limit, whatever statement failed: a checkpoint may follow.
      if (largest !== null) await this.useOwnMemoryLimit();
      throw e;
    }
  }

  /**
   * The day rollups (rollups.ts) and the successors they are made from, after the batch written at
   * `stamp` (this transaction's time), `replacedDays` being the days the replaced versions were on.
   * New line items of new correlation groups add their counts; a replaced line item, or one joining a
   * group the store has, recounts its days (and its group's) from sign_ins.
   */
  private async updateRollups(stamp: string, replacedDays: readonly { tenant: string; day: string }[]): Promise<void> {
    const con = this.con;
    const written = `s.ingested_at >= CAST($1 AS TIMESTAMP) AND (s.log_tenant_id, s.id) IN (SELECT tenant, id FROM ingest_meta WHERE class IN (${CLASS_NEW}, ${CLASS_NEWER}))`;
    // Every line item of the correlation groups the batch touched: found by group hash over one
    // 8-byte column, then read within the time range those span.
    await con.run(`INSERT INTO rollup_groups SELECT DISTINCT s.log_tenant_id, coalesce(s."correlationId", s.id), s.group_hash FROM sign_ins s WHERE ${written}`, [stamp] as never);
    const span = (await this.timeSpan('s.group_hash IN (SELECT h FROM rollup_groups)')) ?? [null, null];
    await con.run(
      `CREATE OR REPLACE TEMP TABLE rollup_group_rows AS SELECT s.log_tenant_id, s.id, s."createdDateTime", s."correlationId", s."signInEventTypes", s."isInteractive", s.ingested_at < CAST($3 AS TIMESTAMP) AS earlier
       FROM sign_ins s WHERE ${TIME_SPAN_SQL} AND s.group_hash IN (SELECT h FROM rollup_groups) AND (s.log_tenant_id, coalesce(s."correlationId", s.id)) IN (SELECT tenant, grp FROM rollup_groups)`,
      [...span, stamp] as never,
    );
    const joined = Number(rowObjects(await con.runAndReadAll('SELECT count(*) FILTER (WHERE earlier) AS n FROM rollup_group_rows'))[0]?.['n'] ?? 0) > 0;
    const recount = joined || replacedDays.length > 0;
    if (recount) await con.run(`DELETE FROM ${SUCCESSORS_TABLE} WHERE (log_tenant_id, id) IN (SELECT log_tenant_id, id FROM rollup_group_rows)`);
    const successorParams: unknown[] = [];
    await con.run(`INSERT INTO ${SUCCESSORS_TABLE} ${successorRowsSql('rollup_group_rows', successorParams)}`, successorParams as never);
    const unique = (days: readonly { tenant: string; day: string }[]) => [...new Map(days.map((d) => [`${d.tenant}\u0000${d.day}`, d])).values()];
    const writtenDays = await this.rollupDays(written, [stamp]);
    for (const d of [...writtenDays, ...replacedDays]) this.unfolded.days.set(`${d.tenant}\u0000${d.day}`, d);
    this.unfolded.batches++;
    this.ownBatches++;
    const groupDays = recount ? await this.rollupDays('TRUE', [], 'rollup_group_rows') : [];
    // The rows each rollup table is counted from, read once into a temporary table: the batch's new
    // line items (their element rows are already in one), or (a recount) every row of the days to
    // recount, from sign_ins or the element table.
    const staged = new Map<string, string>();
    const stage = async (source: string, where: string, params: unknown[]): Promise<string> => {
      const key = `${source}\u0000${where}\u0000${JSON.stringify(params)}`;
      const have = staged.get(key);
      if (have) return have;
      const name = `rollup_rows_${staged.size}`;
      const cols = source === 'sign_ins' ? ROLLUP_SOURCE_COLUMNS.map((c) => `s.${quoteIdent(c)}`).join(', ') : 's.*';
      await con.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT ${cols} FROM ${source} s WHERE ${where}`, params as never);
      staged.set(key, name);
      return name;
    };
    for (const t of rollupTables()) {
      // A de-duplicating rollup changes with its groups' successors; the others with their line items.
      const dedupe = t.rollup.dedupe === true;
      const element = t.rollup.element;
      if (!(dedupe ? recount : replacedDays.length > 0)) {
        const rows = element ? batchElementRows(element) : await stage('sign_ins', written, [stamp]);
        const params: unknown[] = [];
        await con.run(rollupInsertSql(t, 'TRUE', params, rows), params as never);
        continue;
      }
      const days = unique(dedupe ? [...replacedDays, ...groupDays] : [...replacedDays, ...writtenDays]);
      const del: unknown[] = [];
      await con.run(`DELETE FROM ${t.name} s WHERE ${daysWhere(days, del)}`, del as never);
      const where: unknown[] = [];
      const rows = await stage(rollupSource(t.rollup), `(${daysWhere(days, where)})`, where);
      const params: unknown[] = [];
      await con.run(rollupInsertSql(t, 'TRUE', params, rows), params as never);
    }
    for (const name of staged.values()) await con.run(`DROP TABLE ${name}`);
    for (const t of DUCKDB_ELEMENT_TABLES) await con.run(`DROP TABLE IF EXISTS ${batchElementRows(t)}`);
  }

  /** Batches this writer loaded since its last flush. */
  private ownBatches = 0;

  /** Whether the open transaction recorded the bulk import's start already (deferDerived). */
  private deferredInTransaction = false;

  /** Opens a transaction for loading batches. */
  private async begin(): Promise<void> {
    if (this.settings.checkpointBytes && this.fullRowGroups === null) this.fullRowGroups = await this.rowGroupsFilled();
    await this.con.run('BEGIN TRANSACTION');
    this.deferredInTransaction = false;
  }

  /** The days (per tenant) the line items a bulk import replaced were on: recounted at its end. */
  private readonly replacedDays = new Map<string, { tenant: string; day: string }>();

  /**
   * In a bulk import's batch that writes line items: the import's start (the first such batch's
   * write time) recorded in deferred_derived_rows, and every derived table marked stale, in the
   * batch's transaction. Should the import stop before its end, opening the store writes the
   * element rows of the line items written since and rebuilds the rest (DuckDbStore.recoverDeferred).
   */
  private async deferDerived(stamp: string): Promise<void> {
    const con = this.con;
    await con.run('INSERT INTO deferred_derived_rows SELECT CAST($1 AS TIMESTAMP) WHERE NOT EXISTS (SELECT 1 FROM deferred_derived_rows)', [stamp]);
    await con.run(MARK_DERIVED_STALE_SQL);
  }

  /**
   * The end of a bulk import: what is derived from the line items it wrote, built set by set on
   * every core rather than batch by batch on one (design/0002, "Derived rows at the end"). First
   * the element tables' rows of those line items, a part of the import at a time (by write time,
   * DEFERRED_PART_SIGN_INS line items a transaction); then, in one transaction, the successors of
   * every correlation group the import touched (its line items' groups, and the groups the
   * versions it replaced were in), the rollups' days of those groups' line items and of the
   * replaced versions, recounted, and the derived tables marked current again.
   */
  private async finishDeferred(): Promise<void> {
    const con = this.con;
    const since = rowObjects(await con.runAndReadAll('SELECT CAST(min(since) AS VARCHAR) AS since FROM deferred_derived_rows'))[0]?.['since'];
    if (typeof since !== 'string') {
      this.replacedDays.clear();
      await con.run('DELETE FROM deferred_groups');
      return;
    }
    const threads = this.settings.finishThreads;
    if (threads) await con.run(`SET threads = ${threads}`);
    try {
      const parts: [string, string][] = [];
      let part: [string, string] | null = null;
      let inPart = 0;
      for (const r of rowObjects(await con.runAndReadAll('SELECT CAST(ingested_at AS VARCHAR) AS at, count(*)::BIGINT AS n FROM sign_ins WHERE ingested_at >= CAST($1 AS TIMESTAMP) GROUP BY ingested_at ORDER BY ingested_at', [since]))) {
        const at = String(r['at']);
        part = part ? [part[0], at] : [at, at];
        inPart += Number(r['n']);
        if (inPart >= DEFERRED_PART_SIGN_INS) {
          parts.push(part);
          part = null;
          inPart = 0;
        }
      }
      if (part) parts.push(part);
      for (const [from, to] of parts) {
        await con.run('BEGIN TRANSACTION');
        try {
          for (const t of DUCKDB_ELEMENT_TABLES) {
            await con.run(`INSERT INTO ${t.table} ${selectElementRows(t, 'FROM sign_ins s WHERE s.ingested_at BETWEEN CAST($1 AS TIMESTAMP) AND CAST($2 AS TIMESTAMP)')}`, [from, to]);
          }
          await con.run('COMMIT');
        } catch (e) {
          await con.run('ROLLBACK');
          throw e;
        }
      }
      await con.run('BEGIN TRANSACTION');
      try {
        await con.run(
          `CREATE OR REPLACE TEMP TABLE deferred_group_rows AS SELECT s.log_tenant_id, s.id, s."createdDateTime", s."correlationId", s."signInEventTypes", s."isInteractive"
           FROM sign_ins s WHERE s.group_hash IN (SELECT h FROM deferred_groups UNION ALL SELECT group_hash FROM sign_ins WHERE ingested_at >= CAST($1 AS TIMESTAMP))`,
          [since],
        );
        await con.run(`DELETE FROM ${SUCCESSORS_TABLE} WHERE (log_tenant_id, id) IN (SELECT log_tenant_id, id FROM deferred_group_rows)`);
        const successorParams: unknown[] = [];
        await con.run(`INSERT INTO ${SUCCESSORS_TABLE} ${successorRowsSql('deferred_group_rows', successorParams)}`, successorParams as never);
        const days = [...new Map([...this.replacedDays.values(), ...(await this.rollupDays('TRUE', [], 'deferred_group_rows'))].map((d) => [`${d.tenant}\u0000${d.day}`, d])).values()];
        // The days' line items (the store's, not only the import's), to recount them a part at a time.
        const perDay = new Map(
          rowObjects(await con.runAndReadAll(`SELECT s.log_tenant_id AS tenant, CAST(${ROLLUP_DAY_SQL} AS VARCHAR) AS day, count(*)::BIGINT AS n FROM sign_ins s GROUP BY ALL`)).map((r) => [
            `${String(r['tenant'])}\u0000${String(r['day'])}`,
            Number(r['n']),
          ]),
        );
        const lineItems = (d: { tenant: string; day: string }): number => perDay.get(`${d.tenant}\u0000${d.day}`) ?? 0;
        const recount = async (t: RollupTable, which: readonly { tenant: string; day: string }[]): Promise<void> => {
          if (which.length === 0) return;
          const del: unknown[] = [];
          await con.run(`DELETE FROM ${t.name} s WHERE ${daysWhere(which, del)}`, del as never);
          for (const part of dayParts(which, lineItems, RECOUNT_PART_LINE_ITEMS)) {
            const params: unknown[] = [];
            await con.run(rollupInsertSql(t, daysWhere(part, params), params), params as never);
          }
        };
        // The rollups that only count line items (not de-duplicated) recount only the days of the
        // versions the import replaced when its line items are a small part of the store: the
        // rest get the counts of the import's line items added, folded below, as live ingest does
        // (a recount reads whole days of sign_ins and the element tables: 20,000 sign-ins of two
        // new days into a store of 10,000,000 took 23 s recounting, 5.5 s a rollup of policy
        // results). Otherwise (a first import, say) every day is recounted.
        const written = Number(rowObjects(await con.runAndReadAll('SELECT count(*)::BIGINT AS n FROM sign_ins WHERE ingested_at >= CAST($1 AS TIMESTAMP)', [since]))[0]?.['n'] ?? 0);
        const adding = written * 2 < [...perDay.values()].reduce((sum, n) => sum + n, 0);
        const redo = [...this.replacedDays.values()];
        const staged = new Map<string, string>();
        for (const t of rollupTables()) {
          if (t.rollup.dedupe === true || !adding) {
            await recount(t, days);
          } else {
            await recount(t, redo);
            const element = t.rollup.element;
            const source = element ? element.table : 'sign_ins';
            let rows = staged.get(source);
            if (!rows) {
              rows = `deferred_rows_${staged.size}`;
              const from = 'FROM sign_ins s WHERE s.ingested_at >= CAST($1 AS TIMESTAMP)';
              const select = element ? selectElementRows(element, from) : `SELECT ${ROLLUP_SOURCE_COLUMNS.map((c) => `s.${quoteIdent(c)}`).join(', ')} ${from}`;
              await con.run(`CREATE OR REPLACE TEMP TABLE ${rows} AS ${select}`, [since]);
              staged.set(source, rows);
            }
            const params: unknown[] = [];
            await con.run(rollupInsertSql(t, redo.length > 0 ? `NOT (${daysWhere(redo, params)})` : 'TRUE', params, rows), params as never);
          }
          await con.run('UPDATE rollup_state SET definition = $1 WHERE name = $2', [rollupDefinition(t), t.name]);
        }
        for (const rows of staged.values()) await con.run(`DROP TABLE ${rows}`);
        if (adding) for (const d of await this.rollupDays('s.ingested_at >= CAST($1 AS TIMESTAMP)', [since])) this.unfolded.days.set(`${d.tenant}\u0000${d.day}`, d);
        await con.run('UPDATE rollup_state SET definition = $1 WHERE name = $2', [SUCCESSORS_DEFINITION, SUCCESSORS_TABLE]);
        await con.run('DELETE FROM deferred_derived_rows');
        await con.run('DELETE FROM deferred_groups');
        await con.run('DROP TABLE deferred_group_rows');
        await con.run('COMMIT');
      } catch (e) {
        await con.run('ROLLBACK');
        throw e;
      }
      this.replacedDays.clear();
    } finally {
      if (threads) await con.run(`SET threads = ${this.settings.loadThreads ?? 1}`);
    }
  }

  /**
   * Folds the rollup rows of the days written into one row per combination: a day (every tenant's)
   * at a time, each in one transaction (byDay). A bulk import folds only when it ends: after
   * 10,000,000 sign-ins the day table of sign-ins alone had 5.4 million rows to fold.
   */
  private async compactRollups(): Promise<void> {
    const con = this.con;
    for (const day of byDay([...this.unfolded.days.values()])) {
      await con.run('BEGIN TRANSACTION');
      try {
        for (const t of rollupTables()) {
          const params: unknown[] = [];
          const where = daysWhere(day, params);
          await con.run(rollupCompactSql(t, where, 'rollup_compact'), params as never);
          await con.run(`DELETE FROM ${t.name} s WHERE ${where}`, params as never);
          await con.run(`INSERT INTO ${t.name} SELECT * FROM rollup_compact`);
        }
        await con.run('DROP TABLE rollup_compact');
        await con.run('COMMIT');
      } catch (e) {
        await con.run('ROLLBACK');
        throw e;
      }
      for (const d of day) this.unfolded.days.delete(`${d.tenant}\u0000${d.day}`);
    }
    this.unfolded.batches = 0;
  }

  /**
   * The time range of the line items `where` (SQL over sign_ins aliased `s`) selects, as the
   * parameters of TIME_SPAN_SQL; null when it selects none.
   */
  private async timeSpan(where: string): Promise<[string, string] | null> {
    const row = rowObjects(
      await this.con.runAndReadAll(`SELECT CAST(epoch_ns(min(s."createdDateTime")) AS VARCHAR) AS lo, CAST(epoch_ns(max(s."createdDateTime")) AS VARCHAR) AS hi FROM sign_ins s WHERE ${where}`),
    )[0];
    return typeof row?.['lo'] === 'string' && typeof row['hi'] === 'string' ? [row['lo'], row['hi']] : null;
  }

  /** In a bulk load, the smaller memory limit DuckDB's JSON reader runs within (readerMemoryLimit). */
  private async useReaderMemoryLimit(largest: number): Promise<void> {
    const limit = this.settings.bulkLoad ? readerMemoryLimit(this.settings, largest) : null;
    if (limit) await this.con.run(`SET memory_limit = '${limit}'`);
  }

  /** After reading records, the store's own memory limit again (for the scans, rollups and the commit, which may checkpoint). */
  private async useOwnMemoryLimit(): Promise<void> {
    if (this.settings.bulkLoad) await this.con.run(`SET memory_limit = '${this.settings.memoryLimit.replace(/'/g, "''")}'`);
  }

  /** The (tenant, UTC day) pairs of the rows of `from` (sign_ins, or a table of some of its rows) that `where` selects (SQL over `from` aliased `s`). */
  private async rollupDays(where: string, params: unknown[] = [], from = 'sign_ins'): Promise<{ tenant: string; day: string }[]> {
    const sql = `SELECT DISTINCT s.log_tenant_id AS tenant, CAST(${ROLLUP_DAY_SQL} AS VARCHAR) AS day FROM ${from} s WHERE ${where}`;
    const rows = rowObjects(await (params.length > 0 ? this.con.runAndReadAll(sql, params as never) : this.con.runAndReadAll(sql)));
    return rows.map((r) => ({ tenant: String(r['tenant']), day: String(r['day']) }));
  }

  /** Fills in the readings of events that were their line item until now (NULL reading), before it changes. */
  private async keepReadings(readings: readonly PendingReading[]): Promise<void> {
    await this.fillEvents('reading', readings.map((r) => ({ tenant: r.tenant, id: r.id, eventKey: r.eventKey, value: r.reading })));
  }

  /**
   * Sets `column` of the events given by (tenant, sign-in id, event key) where it is NULL, in one
   * statement: an UPDATE an event scanned the whole events table each (about 10 ms an event in a
   * store of 10,000,000 sign-ins, 20 s for a batch of newer versions).
   */
  private async fillEvents(column: 'raw' | 'reading', rows: readonly { tenant: string; id: string; eventKey: bigint; value: string }[]): Promise<void> {
    if (rows.length === 0) return;
    const con = this.con;
    // One value an event: the first, as a statement an event would have left it.
    const unique = [...new Map([...rows].reverse().map((r) => [`${r.tenant}\u0000${r.id}\u0000${r.eventKey}`, r])).values()];
    await con.run('CREATE OR REPLACE TEMP TABLE event_fill (tenant VARCHAR, id VARCHAR, event_key UBIGINT, value VARCHAR)');
    const appender = await con.createAppender('event_fill', 'main', 'temp');
    for (let start = 0; start < unique.length; start += 2048) {
      const part = unique.slice(start, start + 2048);
      const chunk = DuckDBDataChunk.create([VARCHAR, VARCHAR, UBIGINT, VARCHAR], part.length);
      chunk.setColumns([part.map((r) => r.tenant), part.map((r) => r.id), part.map((r) => r.eventKey), part.map((r) => r.value)]);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    await con.run(
      `UPDATE sign_in_events SET ${column} = f.value FROM event_fill f
       WHERE sign_in_events.log_tenant_id = f.tenant AND sign_in_events.sign_in_id = f.id AND sign_in_events.event_key = f.event_key AND sign_in_events.${column} IS NULL`,
    );
    await con.run('DROP TABLE event_fill');
  }

  /**
   * A newer record of a line item the store has: the line item becomes the merge of all of its
   * events (src/aggregate/), in the order their sources observed them. The batch's records are
   * written to a second file with the merged records in their place (the batch's own file stays as
   * it came, should the batch load again), and each event keeps its own reading: the readings of
   * events that had none are returned, to be filled in when the batch commits.
   */
  private async mergeNewer(b: Batch, span: [string, string]): Promise<{ path: string; readings: PendingReading[] }> {
    const readings: PendingReading[] = [];
    const con = this.con;
    const key = (t: string, id: string): string => `${t}\u0000${id}`;
    const current = new Map<string, { stored: StoredSignIn; eventKey: bigint }>();
    for (const row of rowObjects(await con.runAndReadAll(`SELECT s.* FROM sign_ins s JOIN ingest_meta m ON s.log_tenant_id = m.tenant AND s.id = m.id WHERE m.class = ${CLASS_NEWER} AND ${REPLACED_SQL}`, span as never))) {
      const stored = rowToStored(row);
      current.set(key(stored.tenantId, stored.record.id), { stored, eventKey: BigInt(String(row['event_key'])) });
    }
    const events = new Map<string, Evidence[]>();
    const rows = rowObjects(
      await con.runAndReadAll(`SELECT e.log_tenant_id, e.sign_in_id, e.event_key, e.reading, e.partial_properties,
          epoch_ns(coalesce(e.observed_at, CAST(e.received_at AS TIMESTAMP_NS)))::VARCHAR AS observed
        FROM sign_in_events e JOIN ingest_meta m ON e.log_tenant_id = m.tenant AND e.sign_in_id = m.id
        WHERE m.class = ${CLASS_NEWER} ORDER BY e.received_at, e.event_key`),
    );
    for (const r of rows) {
      const k = key(String(r['log_tenant_id']), String(r['sign_in_id']));
      const cur = current.get(k);
      let reading: { record: SignInRecord; extra: Extra | null } | null = null;
      if (typeof r['reading'] === 'string') reading = JSON.parse(r['reading']) as { record: SignInRecord; extra: Extra | null };
      else if (cur) {
        // No reading of its own: this event is the line item as it stands.
        reading = { record: cur.stored.record, extra: cur.stored.extra };
        readings.push({ tenant: cur.stored.tenantId, id: cur.stored.record.id, eventKey: BigInt(String(r['event_key'])), reading: JSON.stringify(reading) });
      }
      if (!reading) continue;
      const partial = Array.isArray(r['partial_properties']) ? (r['partial_properties'] as string[]) : null;
      const list = events.get(k) ?? [];
      list.push({ ...reading, observedNs: BigInt(String(r['observed'])), ...(partial ? { partial } : {}) });
      events.set(k, list);
    }
    const now = BigInt(Date.now()) * 1_000_000n;
    const newer = new Set(rowObjects(await con.runAndReadAll(`SELECT tenant, id FROM ingest_meta WHERE class = ${CLASS_NEWER}`)).map((r) => key(String(r['tenant']), String(r['id']))));
    const setExtra = await con.prepare('UPDATE ingest_meta SET extra = $1, reading = $2 WHERE tenant = $3 AND id = $4');
    // The batch file holds the batch's records in order, one a line: the newer ones are read back,
    // merged, and the file written again with the merged records in their place.
    const lines = readFileSync(b.path, 'utf8').split('\n');
    const m = b.meta;
    for (let i = 0; i < m.id.length; i++) {
      const tenant = m.tenant[i] as string;
      const id = m.id[i] as string;
      const k = key(tenant, id);
      if (!newer.has(k)) continue;
      const extraText = m.extra[i] ?? null;
      const own = { record: JSON.parse(lines[i] as string) as SignInRecord, extra: extraText === null ? null : (JSON.parse(extraText) as Extra) };
      const observed = m.observed[i] ?? null;
      const partialText = m.partial[i] ?? null;
      const partial = partialText === null ? null : partialText.split(',');
      const observedNs = observed ? (parseDateTime(observed) ?? now) : now;
      const merged = mergeEvidence([...(events.get(k) ?? []), { ...own, observedNs, ...(partial ? { partial } : {}) }]);
      lines[i] = JSON.stringify(merged.record);
      if (merged.extra) setExtra.bindVarchar(1, JSON.stringify(merged.extra));
      else setExtra.bindNull(1);
      setExtra.bindVarchar(2, JSON.stringify(own));
      setExtra.bindVarchar(3, tenant);
      setExtra.bindVarchar(4, id);
      await setExtra.run();
    }
    const path = mergedPath(b.path);
    const fd = openSync(path, 'w');
    writeSync(fd, lines.join('\n'));
    closeSync(fd);
    return { path, readings };
  }

  /**
   * Before a line item is replaced, its current version is kept with the raw event it came from
   * (unless that event kept its source row from the start).
   */
  private async keepReplacedVersions(span: [string, string]): Promise<void> {
    const rows = rowObjects(
      await this.con.runAndReadAll(
        `SELECT s.* FROM sign_ins s JOIN ingest_meta m ON s.log_tenant_id = m.tenant AND s.id = m.id WHERE m.class = ${CLASS_NEWER} AND ${REPLACED_SQL}
        AND EXISTS (SELECT 1 FROM sign_in_events e WHERE e.log_tenant_id = s.log_tenant_id AND e.sign_in_id = s.id AND e.event_key = s.event_key AND e.raw IS NULL)`,
        span as never,
      ),
    );
    await this.fillEvents(
      'raw',
      rows.map((row) => {
        const stored = rowToStored(row);
        return { tenant: stored.tenantId, id: stored.record.id, eventKey: BigInt(String(row['event_key'])), value: JSON.stringify(toOriginal(stored.record, stored.extra as Extra | null)) };
      }),
    );
  }
}
