// Batched loading into ClickHouse, with the DuckDB writer's semantics: each batch is classified
// against the raw events the store has (new line item / newer version / already had), the replaced
// versions' text is kept with their raw events, and the batch's line items and events are inserted
// as JSONEachRow (through the Distributed tables in a cluster, acknowledged by every shard).
//
// ClickHouse has no transactions, so the order of the inserts is what keeps a batch cut short
// (a shard down) safe to import again: first the replaced versions' text, then the line items,
// last the raw events. A batch whose events were not stored is classified again from scratch the
// next time: its line items are written again (the same key; the newest version wins).
import { mergeEvidence, type Evidence } from '../../aggregate/merge-sign-ins.js';
import { toOriginal } from '../../model/render.js';
import type { Extra, SignInRecord } from '../../model/sign-in.js';
import { parseDateTime } from '../../model/time.js';
import type { IncomingSignIn, IngestCounts, SignInWriter } from '../sign-in-store.js';
import { dateTimeText, dateTimeTextOfNs, encodeSignInRow, encodeTombstoneRow, newestVersions, storedFromRow, VERSIONED_COLUMNS, type VersionedRow } from './layout.js';
import { batchLimit, OpenBatches } from '../batch-placement.js';
import { quote } from './quote.js';

/** Records per batch, and characters of record JSON per batch, whichever comes first. */
export const DEFAULT_BATCH_RECORDS = 5_000;
const BATCH_CHARS = 16 << 20;
/** (tenant, id) pairs per classification query. */
const KEYS_PER_QUERY = 2000;

/** What the writer needs from its store. */
export interface WriterTarget {
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  nextVersion(): bigint;
  table(name: 'sign_ins' | 'sign_in_events'): string;
  rows<T = Record<string, unknown>>(sql: string, doing: string): Promise<T[]>;
  insert(table: 'sign_ins' | 'sign_in_events', lines: readonly string[], doing: string): Promise<void>;
}

/** A raw event as `sign_in_events` holds it (64-bit integers as text, times as DateTime text). */
interface EventRow {
  log_tenant_id: string;
  sign_in_id: string;
  event_key: string;
  created_ns: string;
  created_date_time: string;
  received_at: string;
  format: string;
  source: string | null;
  line: string | null;
  byte_offset: string | null;
  raw: string | null;
  observed_ns: string | null;
  partial_properties: string[];
  reading: string | null;
}

interface CurrentRow extends VersionedRow {
  event_key: string;
}

class Batch {
  readonly items: IncomingSignIn[] = [];
  readonly ids = new Map<string, { tenant: string; eventKey: bigint }>();
  chars = 0;

  add(item: IncomingSignIn): void {
    this.items.push(item);
    this.ids.set(item.id, { tenant: item.tenantId, eventKey: item.eventKey });
    this.chars += item.json.length;
  }
}

const keyOf = (tenant: string, id: string): string => `${tenant}\u0000${id}`;

function tupleList(items: readonly { tenantId: string; id: string }[]): string {
  return items.map((i) => `(${quote(i.tenantId)}, ${quote(i.id)})`).join(', ');
}

function eventLine(e: EventRow, version: bigint): string {
  return `{${[
    `"log_tenant_id":${JSON.stringify(e.log_tenant_id)}`,
    `"sign_in_id":${JSON.stringify(e.sign_in_id)}`,
    `"event_key":${BigInt(e.event_key).toString()}`,
    `"created_ns":${BigInt(e.created_ns).toString()}`,
    `"created_date_time":${JSON.stringify(e.created_date_time)}`,
    `"received_at":${JSON.stringify(e.received_at)}`,
    `"format":${JSON.stringify(e.format)}`,
    `"source":${JSON.stringify(e.source)}`,
    `"line":${e.line === null ? 'null' : BigInt(e.line).toString()}`,
    `"byte_offset":${e.byte_offset === null ? 'null' : BigInt(e.byte_offset).toString()}`,
    `"raw":${JSON.stringify(e.raw)}`,
    `"observed_ns":${e.observed_ns === null ? 'null' : BigInt(e.observed_ns).toString()}`,
    `"partial_properties":${JSON.stringify(e.partial_properties)}`,
    `"reading":${JSON.stringify(e.reading)}`,
    `"version":${version.toString()}`,
  ].join(',')}}`;
}

function createdNs(item: IncomingSignIn): bigint {
  const ns = parseDateTime(item.createdDateTime);
  if (ns === null) throw new Error(`sign-in ${item.id}: createdDateTime '${item.createdDateTime}' is not a date-time`);
  return ns;
}

export class ClickHouseWriter implements SignInWriter {
  /** Open batches, in the order they will load (src/store/batch-placement.ts). */
  private readonly batches = new OpenBatches<Batch>({
    create: () => new Batch(),
    full: (b, index) => b.items.length >= batchLimit(index, this.batchRecords) || b.chars >= BATCH_CHARS,
    close: (b) => this.rotateOne(b),
  });
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failure: unknown = null;
  private counts: IngestCounts = { inserted: 0, updated: 0, unchanged: 0 };

  constructor(
    private readonly store: WriterTarget,
    private readonly batchRecords = DEFAULT_BATCH_RECORDS,
  ) {}

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
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      throw f;
    }
    const c = this.counts;
    this.counts = { inserted: 0, updated: 0, unchanged: 0 };
    return c;
  }

  private rotateOne(b: Batch): Promise<void> | undefined {
    const mustWait = this.inFlight > 0;
    this.inFlight++;
    const previous = this.chain;
    this.chain = previous.then(async () => {
      try {
        if (!this.failure) await this.store.exclusive(() => this.load(b));
      } catch (e) {
        this.failure = e;
      } finally {
        this.inFlight--;
      }
    });
    return mustWait ? previous : undefined;
  }

  /**
   * The event keys the store has for the batch's line items, by (tenant, id): the key columns
   * only, without FINAL (a ReplacingMergeTree's versions of an event share its key, so the set of
   * keys is the same before and after its parts merge). The ids are random, so nearly every
   * granule of the events table holds one of a batch's: reading every column of it with FINAL, as
   * eventsOf does, grew with the store, a batch of a first import at a time.
   */
  private async eventKeysOf(items: readonly IncomingSignIn[]): Promise<Map<string, bigint[]>> {
    const out = new Map<string, bigint[]>();
    for (let i = 0; i < items.length; i += KEYS_PER_QUERY) {
      const part = items.slice(i, i + KEYS_PER_QUERY);
      const rows = await this.store.rows<{ log_tenant_id: string; sign_in_id: string; event_key: string }>(
        `SELECT log_tenant_id, sign_in_id, event_key FROM ${this.store.table('sign_in_events')} WHERE (log_tenant_id, sign_in_id) IN (${tupleList(part)})`,
        'classifying a batch',
      );
      for (const r of rows) {
        const k = keyOf(r.log_tenant_id, r.sign_in_id);
        const list = out.get(k);
        if (list) list.push(BigInt(r.event_key));
        else out.set(k, [BigInt(r.event_key)]);
      }
    }
    return out;
  }

  /** The raw events the store has for the batch's line items, by (tenant, id). */
  private async eventsOf(items: readonly IncomingSignIn[]): Promise<Map<string, EventRow[]>> {
    const out = new Map<string, EventRow[]>();
    for (let i = 0; i < items.length; i += KEYS_PER_QUERY) {
      const part = items.slice(i, i + KEYS_PER_QUERY);
      const rows = await this.store.rows<EventRow>(
        `SELECT log_tenant_id, sign_in_id, event_key, created_ns, created_date_time, received_at, format, source, line, byte_offset, raw, observed_ns, partial_properties, reading
         FROM ${this.store.table('sign_in_events')} FINAL WHERE (log_tenant_id, sign_in_id) IN (${tupleList(part)})`,
        'reading the events of line items a batch replaces',
      );
      for (const r of rows) {
        const k = keyOf(r.log_tenant_id, r.sign_in_id);
        const list = out.get(k);
        if (list) list.push(r);
        else out.set(k, [r]);
      }
    }
    return out;
  }

  /**
   * The current versions of line items about to be replaced. Without FINAL: `sign_ins` is ordered
   * by time, so a lookup by id reads the whole table, and FINAL would merge all of it, record text
   * and all. The newest version of each key is kept here instead (newestVersions).
   */
  private async currentOf(items: readonly IncomingSignIn[]): Promise<CurrentRow[]> {
    const out: CurrentRow[] = [];
    for (let i = 0; i < items.length; i += KEYS_PER_QUERY) {
      const part = items.slice(i, i + KEYS_PER_QUERY);
      const rows = await this.store.rows<CurrentRow>(
        `SELECT ${VERSIONED_COLUMNS}, event_key FROM ${this.store.table('sign_ins')}
         WHERE (log_tenant_id, id) IN (${tupleList(part)})`,
        'reading the versions a batch replaces',
      );
      out.push(...newestVersions(rows).values());
    }
    return out;
  }

  private async load(b: Batch): Promise<void> {
    const keys = await this.eventKeysOf(b.items);
    const fresh: IncomingSignIn[] = [];
    const newer: IncomingSignIn[] = [];
    let had = 0;
    for (const item of b.items) {
      const known = keys.get(keyOf(item.tenantId, item.id));
      if (!known) fresh.push(item);
      else if (known.includes(item.eventKey)) had++;
      else newer.push(item);
    }
    // Whole events (with FINAL: their latest readings) only for the line items that change.
    const events = newer.length > 0 ? await this.eventsOf(newer) : new Map<string, EventRow[]>();

    const version = this.store.nextVersion();
    const now = dateTimeText(Date.now() / 1000);
    const lines: string[] = [];

    // The readings of newer records (their own canonical record), kept with their raw events.
    const readingOf = new Map<string, string>();
    if (newer.length > 0) {
      const newerCreated = new Map<string, bigint>();
      const kept: string[] = [];
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const currents = new Map<string, CurrentRow>();
      for (const cur of await this.currentOf(newer)) currents.set(keyOf(cur.log_tenant_id, cur.id), cur);
      for (const item of newer) {
        const k = keyOf(item.tenantId, item.id);
        const cur = currents.get(k);
        const stored = cur ? storedFromRow(cur.log_tenant_id, cur.record, cur.extra) : null;
        // The line item becomes the merge of all of its events (src/aggregate/), in the order their
        // sources observed them; an event without a reading of its own is the line item as it stands.
        const evidence: Evidence[] = [];
        for (const e of events.get(k) ?? []) {
          let reading = e.reading;
          let changed = false;
          if (reading === null && stored) {
            reading = JSON.stringify({ record: stored.record, extra: stored.extra });
            changed = true;
          }
          // Before a line item changes, the raw event it came from keeps the version as received.
          let raw = e.raw;
          if (raw === null && stored && cur && e.event_key === cur.event_key) {
            raw = JSON.stringify(toOriginal(stored.record, stored.extra));
            changed = true;
          }
          if (changed) kept.push(eventLine({ ...e, raw, reading }, version));
          if (reading === null) continue;
          const r = JSON.parse(reading) as { record: SignInRecord; extra: Extra | null };
          const observedNs = e.observed_ns !== null ? BigInt(e.observed_ns) : BigInt(Math.round(Date.parse(`${e.received_at.replace(' ', 'T')}Z`))) * 1_000_000n;
          evidence.push({ ...r, observedNs, ...(e.partial_properties.length ? { partial: e.partial_properties } : {}) });
        }
        const own = { record: JSON.parse(item.json) as SignInRecord, extra: item.extra };
        const observedNs = item.observedAt ? (parseDateTime(item.observedAt) ?? nowNs) : nowNs;
        const merged = mergeEvidence([...evidence, { ...own, observedNs, ...(item.partial ? { partial: item.partial } : {}) }]);
        readingOf.set(k, JSON.stringify(own));
        item.json = JSON.stringify(merged.record);
        item.extra = merged.extra;
        item.createdDateTime = merged.record.createdDateTime;
        if (cur) {
          newerCreated.set(k, createdNs(item));
          // The merged version moved the sign-in in time (a new sorting key): hide the old row.
          const oldNs = BigInt(cur.created_ns);
          if (newerCreated.get(k) !== oldNs) {
            lines.push(encodeTombstoneRow({ tenantId: cur.log_tenant_id, id: cur.id, createdNs: oldNs, eventKey: BigInt(cur.event_key), ingestedAt: now, version }));
          }
        }
      }
      if (kept.length) await this.store.insert('sign_in_events', kept, 'keeping readings and replaced versions');
    }

    const toInsert = [...fresh, ...newer];
    if (toInsert.length > 0) {
      for (const item of toInsert) {
        lines.push(
          encodeSignInRow(JSON.parse(item.json) as Record<string, unknown>, {
            tenantId: item.tenantId,
            id: item.id,
            createdNs: createdNs(item),
            json: item.json,
            extra: item.extra,
            eventKey: item.eventKey,
            ingestedAt: now,
            version,
          }),
        );
      }
      await this.store.insert('sign_ins', lines, 'storing sign-ins');
      await this.store.insert(
        'sign_in_events',
        toInsert.map((item) => {
          const ns = createdNs(item);
          const observed = item.observedAt ? parseDateTime(item.observedAt) : null;
          return eventLine(
            {
              log_tenant_id: item.tenantId,
              sign_in_id: item.id,
              event_key: item.eventKey.toString(),
              created_ns: ns.toString(),
              created_date_time: dateTimeTextOfNs(ns),
              received_at: now,
              format: item.format,
              source: item.place.source,
              line: item.place.line === undefined ? null : String(item.place.line),
              byte_offset: item.place.offset === undefined ? null : String(item.place.offset),
              raw: item.raw ?? null,
              observed_ns: observed === null ? null : observed.toString(),
              partial_properties: item.partial ? [...item.partial] : [],
              reading: readingOf.get(keyOf(item.tenantId, item.id)) ?? null,
            },
            version,
          );
        }),
        'storing raw events',
      );
    }
    this.counts.inserted += fresh.length;
    this.counts.updated += newer.length;
    this.counts.unchanged += had;
  }
}
