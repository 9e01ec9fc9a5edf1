// Batched, pipelined loading into DuckDB. Records are written as canonical NDJSON to a temporary
// file while the previous batch loads; DuckDB then parses the file into typed columns itself
// (read_json with the exact column types), which is far faster than handing it nested values one
// at a time from JavaScript. Each batch is one transaction: classify (new / newer version /
// already had), replace, insert line items and their raw events. Each batch is written sorted by
// (tenant, time, id), which keeps the time zone maps of the row groups tight.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BIGINT, DuckDBDataChunk, UBIGINT, UTINYINT, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { toOriginal } from '../../model/render.js';
import { mergeEvidence, type Evidence } from '../../aggregate/merge-sign-ins.js';
import { parseDateTime } from '../../model/time.js';
import type { Extra, SignInRecord, StoredSignIn } from '../../model/sign-in.js';
import type { IncomingSignIn, IngestCounts, SignInWriter } from '../sign-in-store.js';
import { MAX_OPEN_BATCHES, placeRecord } from '../batch-placement.js';
import { quoteIdent } from './duckdb-types.js';
import { SIGN_IN_COLUMNS, readJsonColumnsSql, rowToStored } from './layout.js';
import { rowObjects } from './read-rows.js';

/** Records per batch, and bytes of NDJSON per batch, whichever comes first. */
export const DEFAULT_BATCH_RECORDS = 10_000;
const BATCH_BYTES = 32 << 20;
const WRITE_BUFFER = 1 << 20;
/** Largest record DuckDB's reader takes: importers reject records over 16 Mi characters, which is at most 64 MiB of UTF-8. */
const MAX_RECORD_BYTES = 16 << 20;

const CLASS_NEW = 0;
const CLASS_NEWER = 1;
const CLASS_HAD = 2;

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
  // The records themselves are not kept: they go to the batch file as they come (memory stays
  // bounded by the write buffer, not the batch); a merge reads the few it needs back.
  private pending: string[] = [];
  private pendingBytes = 0;
  bytes = 0;

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
    this.pending.push(item.json);
    this.pendingBytes += item.json.length + 1;
    // What the batch holds in memory (the raw rows and overlays) counts towards its size too.
    this.bytes += item.json.length + 1 + (item.raw?.length ?? 0) + (extra?.length ?? 0);
    if (this.pendingBytes >= WRITE_BUFFER) this.writePending();
  }

  private writePending(): void {
    if (this.pending.length === 0) return;
    this.pending.push('');
    writeSync(this.fd, this.pending.join('\n'));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.writePending();
    closeSync(this.fd);
  }
}

let batchSeq = 0;

export class DuckDbWriter implements SignInWriter {
  /** Open batches, in the order they will load. */
  private open: Batch[] = [];
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failure: unknown = null;
  private counts: IngestCounts = { inserted: 0, updated: 0, unchanged: 0 };

  constructor(
    private readonly con: DuckDBConnection,
    private readonly tmpDir: string,
    private readonly lock: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly batchRecords = DEFAULT_BATCH_RECORDS,
  ) {}

  add(item: IncomingSignIn): void | Promise<void> {
    if (this.failure) throw this.failure;
    let at = placeRecord(this.open, item);
    if (at === 'unchanged') {
      this.counts.unchanged++;
      return;
    }
    const waits: Promise<void>[] = [];
    while (at >= MAX_OPEN_BATCHES) {
      const w = this.rotate(1);
      if (w) waits.push(w);
      at--;
    }
    // Named uniquely across the process: several writers (concurrent ingest requests) share tmpDir.
    while (this.open.length <= at) this.open.push(new Batch(join(this.tmpDir, `ingest-${process.pid}-${++batchSeq}.ndjson`)));
    const batch = this.open[at] as Batch;
    batch.add(item);
    if (batch.count >= this.batchRecords || batch.bytes >= BATCH_BYTES) {
      // This batch and every one before it load now, in order.
      const w = this.rotate(at + 1);
      if (w) waits.push(w);
    }
    if (waits.length === 0) return undefined;
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => undefined);
  }

  async flush(): Promise<IngestCounts> {
    void this.rotate(this.open.length);
    await this.chain;
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      throw f;
    }
    const c = this.counts;
    this.counts = { inserted: 0, updated: 0, unchanged: 0 };
    return c;
  }

  /** Closes the first `n` open batches and queues their loads, in order; returns a promise when the caller should wait. */
  private rotate(n: number): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    for (const b of this.open.splice(0, n)) wait = this.rotateOne(b) ?? wait;
    return wait;
  }

  private rotateOne(b: Batch): Promise<void> | undefined {
    b.close();
    const mustWait = this.inFlight > 0;
    this.inFlight++;
    const previous = this.chain;
    this.chain = previous.then(async () => {
      try {
        if (!this.failure) await this.lock(() => this.load(b));
      } catch (e) {
        this.failure = e;
      } finally {
        this.inFlight--;
        rmSync(b.path, { force: true });
      }
    });
    return mustWait ? previous : undefined;
  }

  private async load(b: Batch): Promise<void> {
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

    await con.run(`UPDATE ingest_meta SET class = ${CLASS_HAD} WHERE EXISTS (
      SELECT 1 FROM sign_in_events e WHERE e.log_tenant_id = ingest_meta.tenant AND e.sign_in_id = ingest_meta.id AND e.event_key = ingest_meta.event_key)`);
    await con.run(`UPDATE ingest_meta SET class = ${CLASS_NEWER} WHERE class = ${CLASS_NEW} AND EXISTS (
      SELECT 1 FROM sign_ins s WHERE s.log_tenant_id = ingest_meta.tenant AND s.id = ingest_meta.id)`);
    const counts = rowObjects(await con.runAndReadAll('SELECT class, count(*)::INTEGER AS n FROM ingest_meta GROUP BY class'));
    const n = (cls: number): number => Number(counts.find((r) => r['class'] === cls)?.['n'] ?? 0);
    if (n(CLASS_NEWER) > 0) await this.mergeNewer(b);

    try {
      await this.commit(b.path, n(CLASS_NEW) + n(CLASS_NEWER), n(CLASS_NEWER));
    } catch (e) {
      // A record JavaScript read as canonical that DuckDB's reader refuses (a key repeated in the
      // same object, say): write every record again from its parsed form and load that instead.
      if (!/JSON/.test(String(e))) throw e;
      const retry = `${b.path}.retry`;
      const lines = readFileSync(b.path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.stringify(JSON.parse(l) as unknown));
      const fd = openSync(retry, 'w');
      writeSync(fd, `${lines.join('\n')}\n`);
      closeSync(fd);
      try {
        await this.commit(retry, n(CLASS_NEW) + n(CLASS_NEWER), n(CLASS_NEWER));
      } finally {
        rmSync(retry, { force: true });
      }
    }
    this.counts.inserted += n(CLASS_NEW);
    this.counts.updated += n(CLASS_NEWER);
    this.counts.unchanged += n(CLASS_HAD);
  }

  /** One transaction: keep replaced versions, replace, insert line items and their events. */
  private async commit(path: string, toInsert: number, newer: number): Promise<void> {
    const con = this.con;
    await con.run('BEGIN TRANSACTION');
    try {
      if (newer > 0) {
        await this.keepReplacedVersions();
        await this.keepReadings();
        await con.run(`DELETE FROM sign_ins WHERE (log_tenant_id, id) IN (SELECT tenant, id FROM ingest_meta WHERE class = ${CLASS_NEWER})`);
      }
      if (toInsert > 0) {
        const cols = SIGN_IN_COLUMNS.map((c) => `r.${quoteIdent(c)}`).join(', ');
        await con.run(`INSERT INTO sign_ins
          SELECT m.tenant, ${cols}, m.extra, m.event_key, now()
          FROM read_json('${path.replace(/'/g, "''")}', format = 'newline_delimited', maximum_object_size = ${MAX_RECORD_BYTES}, columns = ${readJsonColumnsSql()}) r
          JOIN ingest_meta m ON r.id = m.id
          WHERE m.class IN (${CLASS_NEW}, ${CLASS_NEWER})
          ORDER BY m.tenant, r."createdDateTime", r.id`);
        await con.run(`INSERT INTO sign_in_events (log_tenant_id, sign_in_id, event_key, created_date_time, received_at, format, source, line, byte_offset, raw, observed_at, partial_properties, reading)
          SELECT tenant, id, event_key, CAST(created AS TIMESTAMP_NS), now(), format, source, line, byte_offset, raw, CAST(observed AS TIMESTAMP_NS),
            CASE WHEN partial IS NULL THEN NULL ELSE string_split(partial, ',') END, reading
          FROM ingest_meta WHERE class IN (${CLASS_NEW}, ${CLASS_NEWER})`);
      }
      await con.run('COMMIT');
    } catch (e) {
      await con.run('ROLLBACK');
      throw e;
    }
  }

  /** Readings of events that were their line item until now (NULL reading): filled in before it changes. */
  private readonly pendingReadings: { tenant: string; id: string; eventKey: bigint; reading: string }[] = [];

  private async keepReadings(): Promise<void> {
    if (this.pendingReadings.length === 0) return;
    const stmt = await this.con.prepare('UPDATE sign_in_events SET reading = $1 WHERE log_tenant_id = $2 AND sign_in_id = $3 AND event_key = $4 AND reading IS NULL');
    for (const r of this.pendingReadings.splice(0)) {
      stmt.bindVarchar(1, r.reading);
      stmt.bindVarchar(2, r.tenant);
      stmt.bindVarchar(3, r.id);
      stmt.bindUBigInt(4, r.eventKey);
      await stmt.run();
    }
  }

  /**
   * A newer record of a line item the store has: the line item becomes the merge of all of its
   * events (src/aggregate/), in the order their sources observed them. The batch file is written
   * again with the merged records, and each event keeps its own reading.
   */
  private async mergeNewer(b: Batch): Promise<void> {
    const con = this.con;
    const key = (t: string, id: string): string => `${t}\u0000${id}`;
    const current = new Map<string, { stored: StoredSignIn; eventKey: bigint }>();
    for (const row of rowObjects(await con.runAndReadAll(`SELECT s.* FROM sign_ins s JOIN ingest_meta m ON s.log_tenant_id = m.tenant AND s.id = m.id WHERE m.class = ${CLASS_NEWER}`))) {
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
        this.pendingReadings.push({ tenant: cur.stored.tenantId, id: cur.stored.record.id, eventKey: BigInt(String(r['event_key'])), reading: JSON.stringify(reading) });
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
    const fd = openSync(b.path, 'w');
    writeSync(fd, lines.join('\n'));
    closeSync(fd);
  }

  /**
   * Before a line item is replaced, its current version is kept with the raw event it came from
   * (unless that event kept its source row from the start).
   */
  private async keepReplacedVersions(): Promise<void> {
    const rows = rowObjects(
      await this.con.runAndReadAll(`SELECT s.* FROM sign_ins s JOIN ingest_meta m ON s.log_tenant_id = m.tenant AND s.id = m.id WHERE m.class = ${CLASS_NEWER}
        AND EXISTS (SELECT 1 FROM sign_in_events e WHERE e.log_tenant_id = s.log_tenant_id AND e.sign_in_id = s.id AND e.event_key = s.event_key AND e.raw IS NULL)`),
    );
    const stmt = await this.con.prepare('UPDATE sign_in_events SET raw = $1 WHERE log_tenant_id = $2 AND sign_in_id = $3 AND event_key = $4 AND raw IS NULL');
    for (const row of rows) {
      const stored = rowToStored(row);
      const raw = JSON.stringify(toOriginal(stored.record, stored.extra as Extra | null));
      stmt.bindVarchar(1, raw);
      stmt.bindVarchar(2, stored.tenantId);
      stmt.bindVarchar(3, stored.record.id);
      stmt.bindUBigInt(4, BigInt(String(row['event_key'])));
      await stmt.run();
    }
  }
}
