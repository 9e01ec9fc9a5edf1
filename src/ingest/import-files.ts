// The import pipeline for files: open → detect format → read the format's records → normalize →
// resolve the log tenant → store in batches. Rejects are kept with their place and reason.
// Partial records (the admin center's authentication-details rows) are joined here to their
// sign-ins: within the import, or, when the sign-ins came in an earlier import, written as a
// partial version of the sign-in in the store.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DETECT_BYTES, detectFormat, UnusableInputError, type Format, type FormatChoice } from '../importers/detect-format.js';
import type { RawItem, RawRecord } from '../importers/graph-json.js';
import { listInputs, openInput, peekHead } from '../importers/open-input.js';
import { headerCells } from '../importers/csv-rows.js';
import { portalFileKind } from '../importers/portal-csv.js';
import { readFormat } from '../importers/read-format.js';
import { normalizeSignIn } from '../normalize/to-sign-in.js';
import { enrichLocation, type Locator } from '../enrich/enrich-location.js';
import { applyPrivacy, rawWithoutHomeTenantName } from '../enrich/privacy.js';
import { clipRaw, RejectError, type Reject, type SourcePlace } from '../normalize/reject.js';
import type { SignInRecord } from '../model/sign-in.js';
import { canonicalDateTime } from '../model/time.js';
import type { IncomingSignIn, SignInStore, SignInWriter } from '../store/sign-in-store.js';

/** The tenant a sign-in is filed under when neither the caller nor the record names one. */
export const UNASSIGNED_TENANT = '00000000-0000-0000-0000-000000000000';

export interface ImportOptions {
  /** The log tenant for every record; otherwise taken from each record (see resolveTenant). */
  tenant?: string;
  /** Offline geolocation of IP addresses without a location (see enrich/); none when absent. */
  geo?: Locator | null;
  /** Only these log tenants may be written (a credential limited to them); others are rejected. */
  allowedTenants?: readonly string[];
  format: FormatChoice;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  file: string;
  fileIndex: number;
  files: number;
  bytesRead: number;
  fileSize: number | null;
  records: number;
}

export interface ImportSummary {
  files: number;
  read: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Records filed under the unassigned tenant (no --tenant, no tenant in the record). */
  unassignedTenant: number;
  /** Inputs that could not be read at all, with the reason. */
  unusable: string[];
}

/**
 * The log tenant of a record: the caller's `--tenant`, else the record's `resourceTenantId` (the
 * tenant whose log Entra wrote it to), else a tenant named by the envelope it came in (`tenantId`),
 * else the unassigned tenant.
 */
export function resolveTenant(record: SignInRecord, envelope: Record<string, unknown> | null, forced?: string): string {
  if (forced) return forced;
  if (typeof record.resourceTenantId === 'string' && record.resourceTenantId !== '') return record.resourceTenantId;
  const env = envelope?.['tenantId'];
  if (typeof env === 'string' && env !== '') return env;
  return UNASSIGNED_TENANT;
}

/** Identity of a raw record: the first 8 bytes of the SHA-1 of its text. */
export function eventKeyOf(text: string): bigint {
  return createHash('sha1').update(text).digest().readBigUInt64BE(0);
}

export interface SignInSource {
  format: string;
  place: SourcePlace;
  envelope?: Record<string, unknown> | null;
  tenant?: string | undefined;
  /** The record as the source wrote it, when `value` is only its reading (kept as the raw event). */
  raw?: string | undefined;
  /** When the source observed the record. */
  observedAt?: string | undefined;
  /** `value` spells values the format's way (see normalize/to-sign-in.ts NormalizeOptions). */
  formatEncoded?: boolean | undefined;
  /** The properties a partial record says. */
  partial?: readonly string[] | undefined;
  /** Offline geolocation for records that have an IP address but no location (absent: none). */
  locator?: Locator | null | undefined;
  /** The event's identity when the source names one (otherwise its text is). */
  identity?: string | undefined;
}

/**
 * A raw record on its way to the store: normalized, its log tenant resolved, its identity taken
 * (a hash of `text`, the record as it appeared). Throws RejectError when it cannot be a sign-in.
 */
export function prepareSignIn(value: unknown, text: string, source: SignInSource): IncomingSignIn {
  const n = normalizeSignIn(value, { formatEncoded: source.formatEncoded === true });
  const private_ = applyPrivacy(n.record);
  if (private_) {
    n.record = private_;
    n.canonical = false;
    // The source's spelling of the removed value is not kept either.
    if (n.extra?.o?.['/homeTenantName'] !== undefined) delete n.extra.o['/homeTenantName'];
  }
  const enriched = source.locator && !source.partial ? enrichLocation(n.record, n.extra, source.locator) : null;
  if (enriched) {
    n.record = enriched.record;
    n.extra = enriched.extra;
    n.canonical = false;
  }
  const fromSource = source.raw !== undefined;
  const observedAt = source.observedAt ? canonicalDateTime(source.observedAt) : null;
  return {
    tenantId: resolveTenant(n.record, source.envelope ?? null, source.tenant),
    id: n.record.id,
    createdDateTime: n.record.createdDateTime,
    // A canonical record's text is stored as it came (on one line: JSON whitespace only); a record
    // read from another format's row is stored as its reading.
    json: n.canonical && !fromSource ? (/[\r\n]/.test(text) ? text.replace(/[\r\n]/g, ' ') : text) : JSON.stringify(n.record),
    extra: n.extra,
    eventKey: eventKeyOf(source.identity ?? text),
    format: source.format,
    place: source.place,
    ...(fromSource ? { raw: private_ ? rawWithoutHomeTenantName(source.raw as string) : source.raw } : {}),
    ...(observedAt ? { observedAt } : {}),
    ...(source.partial ? { partial: source.partial } : {}),
  };
}

/** The raw event's text for a record read from another format (JSON text as it came, a CSV row as JSON). */
function rawOf(item: RawRecord): string | undefined {
  if (item.source === undefined) return undefined;
  return typeof item.source === 'string' ? item.source : JSON.stringify(item.source);
}

/** The record as the source wrote it, as a JSON value (for a raw event that holds several rows). */
function parsedSource(item: RawRecord): unknown {
  const src = item.source ?? item.text;
  if (typeof src !== 'string') return src;
  try {
    return JSON.parse(src) as unknown;
  } catch {
    return src;
  }
}

/** Partial records of one sign-in gathered in an import (authentication-details rows). */
interface PartialSignIn {
  id: string;
  /** Per property: the items the rows gave, in input order. */
  props: Map<string, unknown[]>;
  /** The rows as the source wrote them, and their texts (the identity of the joined record). */
  rows: unknown[];
  texts: string[];
  format: string;
  place: SourcePlace;
}

const REJECT_BATCH = 1000;

/** Largest record taken (the biggest real sign-ins are tens of kilobytes). */
export const MAX_RECORD_CHARS = 16 << 20;

interface FileState {
  source: string;
  format: Format;
  rejects: (Reject & { format: string })[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ImportedReject {
  line?: number;
  offset?: number;
  reason: string;
}

/** Where a stream of records comes from, for progress and reject places. */
interface StreamSource {
  name: string;
  index: number;
  files: number;
  bytesRead: () => number;
  size: number | null;
}

export class Importer {
  readonly summary: ImportSummary = { files: 0, read: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0, unassignedTenant: 0, unusable: [] };
  /** The first rejects of this import (for an HTTP response); all of them are in the store. */
  readonly firstRejects: (ImportedReject & { source: string })[] = [];
  private readonly writer: SignInWriter;
  /** Partial records waiting for their sign-in, by sign-in id. */
  private readonly partials = new Map<string, PartialSignIn>();

  constructor(
    private readonly store: SignInStore,
    private readonly options: ImportOptions,
  ) {
    this.writer = store.openWriter();
  }

  /** Imports files, directories (walked) and `-` (standard input). */
  async importPaths(paths: readonly string[]): Promise<ImportSummary> {
    let inputs: string[];
    try {
      inputs = await listInputs(paths);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new UnusableInputError(err.code === 'ENOENT' ? `${err.path ?? 'input'}: no such file or directory` : String(err.message));
    }
    // Authentication-details files first, so that their rows join the sign-ins read after them.
    const details: string[] = [];
    const rest: string[] = [];
    for (const path of inputs) ((await this.isAuthDetailsFile(path)) ? details : rest).push(path);
    for (const [i, path] of [...details, ...rest].entries()) {
      let opened;
      try {
        opened = await openInput(path);
      } catch (e) {
        this.summary.unusable.push(`${path}: ${(e as Error).message}`);
        continue;
      }
      await this.importStream(opened.chunks, { name: path, index: i, files: inputs.length, bytesRead: opened.bytesRead, size: opened.size });
    }
    return this.finish();
  }

  /** Is the file an admin-center authentication-details download? (Not readable: no; its import says why.) */
  private async isAuthDetailsFile(path: string): Promise<boolean> {
    if (path === '-' || (this.options.format !== 'auto' && this.options.format !== 'portal-csv')) return false;
    if (this.options.format === 'auto' && !/\.csv(\.gz)?$/i.test(path)) return false;
    try {
      const head = await peekHead(path, DETECT_BYTES);
      if (detectFormat(head, path, this.options.format) !== 'portal-csv') return false;
      const cells = headerCells(head);
      return cells !== null && portalFileKind(cells, path) === 'authDetails';
    } catch {
      return false;
    }
  }

  /**
   * Imports one stream of bytes (a file, a request body). An input that is no format Gatelog reads
   * is recorded in `summary.unusable`.
   */
  async importStream(chunks: AsyncIterable<Buffer>, source: StreamSource): Promise<void> {
    // Peek at the first bytes to pick the format, then put them back in front of the rest.
    const it = chunks[Symbol.asyncIterator]();
    const peeked: Buffer[] = [];
    let peekedBytes = 0;
    while (peekedBytes < DETECT_BYTES) {
      const n = await it.next();
      if (n.done) break;
      peeked.push(n.value);
      peekedBytes += n.value.length;
    }
    const head: Buffer = Buffer.concat(peeked);
    let format: Format;
    try {
      format = detectFormat(head, source.name, this.options.format);
    } catch (e) {
      if (e instanceof UnusableInputError) {
        this.summary.unusable.push(e.message);
        return;
      }
      throw e;
    }
    this.summary.files++;
    const rest = (async function* () {
      if (head.length) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    })();
    // One chunk buffered ahead, not Readable.from's sixteen (16 MB of file chunks held in memory).
    await this.importItems(readFormat(format, Readable.from(rest, { highWaterMark: 1 }), { name: source.name }), format, source);
  }

  /** Imports records already parsed (the demo tenant's), numbered from line 1. */
  async importValues(values: Iterable<unknown>, sourceName: string): Promise<void> {
    this.summary.files++;
    async function* items(): AsyncGenerator<RawItem[]> {
      let line = 0;
      let batch: RawItem[] = [];
      for (const value of values) {
        batch.push({ kind: 'raw', value, text: JSON.stringify(value), line: ++line, offset: 0, envelope: null });
        if (batch.length === 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
    await this.importItems(items(), 'graph', { name: sourceName, index: 0, files: 1, bytesRead: () => 0, size: null });
  }

  private async importItems(batches: AsyncIterable<RawItem[]>, format: Format, source: StreamSource): Promise<void> {
    const state: FileState = { source: source.name, format, rejects: [] };
    let lastProgress = 0;
    let records = 0;
    const progress = (): void =>
      this.options.onProgress?.({ file: source.name, fileIndex: source.index, files: source.files, bytesRead: source.bytesRead(), fileSize: source.size, records });
    for await (const items of batches) {
      for (const item of items) {
        records++;
        const wait = this.take(item, state);
        if (wait) await wait;
      }
      if (state.rejects.length >= REJECT_BATCH) await this.flushRejects(state);
      const now = Date.now();
      if (now - lastProgress > 200) {
        lastProgress = now;
        progress();
      }
    }
    await this.flushRejects(state);
    progress();
  }

  /** Takes one item; returns a promise when the store asks to wait. */
  private take(item: RawItem, state: FileState): void | Promise<void> {
    this.summary.read++;
    if (item.kind === 'problem') {
      this.reject(state, { source: state.source, line: item.line, offset: item.offset, reason: item.reason, raw: clipRaw(item.raw) });
      return;
    }
    const place = { source: state.source, line: item.line, offset: item.offset };
    if (item.text.length > MAX_RECORD_CHARS) {
      this.reject(state, { ...place, reason: `record too large: ${item.text.length} characters, at most ${MAX_RECORD_CHARS}`, raw: clipRaw(item.text) });
      return;
    }
    if (item.partial) {
      this.gatherPartial(item, state.format, place);
      return;
    }
    const joined = this.partials.size > 0 ? this.joinPartials(item) : item;
    let incoming: IncomingSignIn;
    try {
      incoming = prepareSignIn(joined.value, joined.text, {
        format: state.format,
        place,
        envelope: joined.envelope,
        tenant: this.options.tenant,
        raw: rawOf(joined),
        observedAt: joined.observedAt,
        formatEncoded: joined.formatEncoded,
        locator: this.options.geo,
        identity: joined.identity,
        partial: joined.speaksFor,
      });
    } catch (e) {
      if (e instanceof RejectError) {
        this.reject(state, { ...place, reason: e.message, raw: clipRaw(item.text) });
        return;
      }
      throw e;
    }
    if (this.options.allowedTenants && !this.options.allowedTenants.includes(incoming.tenantId)) {
      this.reject(state, { ...place, reason: `tenant ${incoming.tenantId} is not one this credential may write into`, raw: clipRaw(item.text) });
      return;
    }
    if (incoming.tenantId === UNASSIGNED_TENANT) this.summary.unassignedTenant++;
    return this.writer.add(incoming);
  }

  /** Keeps a partial record until its sign-in comes (in this import) or the import ends. */
  private gatherPartial(item: RawRecord, format: string, place: SourcePlace): void {
    const v = item.value as Record<string, unknown>;
    const id = String(v['id']);
    let p = this.partials.get(id);
    if (!p) {
      p = { id, props: new Map(), rows: [], texts: [], format, place };
      this.partials.set(id, p);
    }
    for (const prop of item.partial ?? []) {
      const got = v[prop];
      const list = p.props.get(prop) ?? [];
      if (Array.isArray(got)) list.push(...(got as unknown[]));
      else if (got !== undefined) list.push(got);
      p.props.set(prop, list);
    }
    p.rows.push(item.source ?? item.value);
    p.texts.push(item.text);
  }

  /**
   * The record with the partial records of its sign-in joined in: each property they say is set
   * where the record has none; the record and the rows are kept together as the raw event.
   */
  private joinPartials(item: RawRecord): RawRecord {
    const v = item.value;
    if (!isObject(v) || typeof v['id'] !== 'string') return item;
    const p = this.partials.get(v['id']);
    if (!p) return item;
    this.partials.delete(p.id);
    const value: Record<string, unknown> = { ...v };
    for (const [prop, list] of p.props) {
      const has = value[prop];
      if (has === undefined || has === null || (Array.isArray(has) && has.length === 0)) value[prop] = list;
    }
    return {
      ...item,
      value,
      text: [item.text, ...p.texts].join('\n'),
      source: { record: parsedSource(item), partialRows: p.rows },
    };
  }

  /**
   * Partial records whose sign-in did not come in this import update the sign-in in the store: a
   * version that says only their properties (see IncomingSignIn.partial). One whose sign-in is
   * not in the store either is rejected.
   */
  private async writePartials(): Promise<void> {
    if (this.partials.size === 0) return;
    this.addCounts(await this.writer.flush());
    const tenants = this.options.tenant ? [this.options.tenant] : undefined;
    const states = new Map<string, FileState>();
    for (const p of this.partials.values()) {
      let state = states.get(p.place.source);
      if (!state) {
        state = { source: p.place.source, format: p.format as Format, rejects: [] };
        states.set(p.place.source, state);
      }
      const text = p.texts.join('\n');
      const existing = await this.store.get(p.id, tenants);
      if (!existing) {
        this.reject(state, {
          ...p.place,
          reason: `${[...p.props.keys()].join(', ')} for request ID ${p.id}: no sign-in with this ID in this import or in the store; import the file together with its sign-ins`,
          raw: clipRaw(text),
        });
        continue;
      }
      const value: Record<string, unknown> = { id: p.id, createdDateTime: existing.record.createdDateTime };
      for (const [prop, list] of p.props) value[prop] = list;
      try {
        const incoming = prepareSignIn(value, text, {
          format: p.format,
          place: p.place,
          tenant: existing.tenantId,
          raw: JSON.stringify({ partialRows: p.rows }),
          formatEncoded: true,
          partial: [...p.props.keys()],
        });
        const wait = this.writer.add(incoming);
        if (wait) await wait;
      } catch (e) {
        if (!(e instanceof RejectError)) throw e;
        this.reject(state, { ...p.place, reason: e.message, raw: clipRaw(text) });
      }
    }
    this.partials.clear();
    for (const state of states.values()) await this.flushRejects(state);
  }

  private addCounts(counts: { inserted: number; updated: number; unchanged: number }): void {
    this.summary.imported += counts.inserted;
    this.summary.updated += counts.updated;
    this.summary.unchanged += counts.unchanged;
  }

  private reject(state: FileState, r: Reject): void {
    this.summary.rejected++;
    state.rejects.push({ ...r, format: state.format });
    if (this.firstRejects.length < 1000) {
      this.firstRejects.push({ source: r.source, reason: r.reason, ...(r.line !== undefined ? { line: r.line } : {}), ...(r.offset !== undefined ? { offset: r.offset } : {}) });
    }
  }

  private async flushRejects(state: FileState): Promise<void> {
    if (state.rejects.length === 0) return;
    const batch = state.rejects;
    state.rejects = [];
    await this.store.addRejects(batch);
  }

  /** Waits until everything imported is committed; returns the summary. */
  async finish(): Promise<ImportSummary> {
    await this.writePartials();
    this.addCounts(await this.writer.flush());
    return this.summary;
  }
}

/** Imports `paths` into `store`; see Importer. */
export function importPaths(store: SignInStore, paths: readonly string[], options: ImportOptions): Promise<ImportSummary> {
  return new Importer(store, options).importPaths(paths);
}
