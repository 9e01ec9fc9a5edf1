// The import pipeline for files: open → detect format → split into records → normalize →
// resolve the log tenant → store in batches. Rejects are kept with their place and reason.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { detectFormat, UnusableInputError, type Format, type FormatChoice } from '../importers/detect-format.js';
import { readGraphJson, type RawItem } from '../importers/graph-json.js';
import { listInputs, openInput } from '../importers/open-input.js';
import { normalizeSignIn } from '../normalize/to-sign-in.js';
import { clipRaw, RejectError, type Reject, type SourcePlace } from '../normalize/reject.js';
import type { SignInRecord } from '../model/sign-in.js';
import type { IncomingSignIn, SignInStore, SignInWriter } from '../store/sign-in-store.js';

/** The tenant a sign-in is filed under when neither the caller nor the record names one. */
export const UNASSIGNED_TENANT = '00000000-0000-0000-0000-000000000000';

export interface ImportOptions {
  /** The log tenant for every record; otherwise taken from each record (see resolveTenant). */
  tenant?: string;
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

/**
 * A raw record on its way to the store: normalized, its log tenant resolved, its identity taken.
 * Throws RejectError when it cannot be a sign-in.
 */
export function prepareSignIn(
  value: unknown,
  text: string,
  source: { format: string; place: SourcePlace; envelope?: Record<string, unknown> | null; tenant?: string | undefined },
): IncomingSignIn {
  const n = normalizeSignIn(value);
  return {
    tenantId: resolveTenant(n.record, source.envelope ?? null, source.tenant),
    id: n.record.id,
    createdDateTime: n.record.createdDateTime,
    // A canonical record's text is stored as it came (on one line: JSON whitespace only).
    json: n.canonical ? (/[\r\n]/.test(text) ? text.replace(/[\r\n]/g, ' ') : text) : JSON.stringify(n.record),
    extra: n.extra,
    eventKey: eventKeyOf(text),
    format: source.format,
    place: source.place,
  };
}

const REJECT_BATCH = 1000;

/** Largest record taken (the biggest real sign-ins are tens of kilobytes). */
export const MAX_RECORD_CHARS = 16 << 20;

interface FileState {
  source: string;
  format: Format;
  rejects: (Reject & { format: string })[];
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
    for (const [i, path] of inputs.entries()) {
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

  /**
   * Imports one stream of bytes (a file, a request body). An input that is no format Gatelog reads
   * is recorded in `summary.unusable`.
   */
  async importStream(chunks: AsyncIterable<Buffer>, source: StreamSource): Promise<void> {
    // Peek at the first chunk to pick the format, then put it back in front of the rest.
    const it = chunks[Symbol.asyncIterator]();
    const first = await it.next();
    const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
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
    const ndjson = /\.(ndjson|jsonl)(\.gz)?$/i.test(source.name) ? true : undefined;
    await this.importItems(readGraphJson(Readable.from(rest), { ndjson }), format, source);
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
    let incoming: IncomingSignIn;
    try {
      incoming = prepareSignIn(item.value, item.text, { format: state.format, place, envelope: item.envelope, tenant: this.options.tenant });
    } catch (e) {
      if (e instanceof RejectError) {
        this.reject(state, { ...place, reason: e.message, raw: clipRaw(item.text) });
        return;
      }
      throw e;
    }
    if (incoming.tenantId === UNASSIGNED_TENANT) this.summary.unassignedTenant++;
    return this.writer.add(incoming);
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
    const counts = await this.writer.flush();
    this.summary.imported += counts.inserted;
    this.summary.updated += counts.updated;
    this.summary.unchanged += counts.unchanged;
    return this.summary;
  }
}

/** Imports `paths` into `store`; see Importer. */
export function importPaths(store: SignInStore, paths: readonly string[], options: ImportOptions): Promise<ImportSummary> {
  return new Importer(store, options).importPaths(paths);
}
