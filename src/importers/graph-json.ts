// Microsoft Graph signIn JSON in every shape it comes in: one object, an array, a Graph page
// (`{"@odata.context", "value": [...], "@odata.nextLink"}`), several pages in one file, NDJSON.
import { locateJsonError } from './json-error.js';
import { JsonRecordSplitter, NdjsonSplitter, looksLikeNdjson, type JsonRecordItem } from './json-records.js';

/** One record read from the input, not yet normalized. */
export interface RawRecord {
  kind: 'raw';
  /** Parsed JSON value (normalization decides whether it is a sign-in). */
  value: unknown;
  /** The record's text as it appeared (one record). */
  text: string;
  line: number;
  offset: number;
  /** Scalar members of the enclosing envelope (`@odata.context`, `tenantId`, ...). */
  envelope: Record<string, unknown> | null;
  /**
   * For formats that are not Graph's own shape: the row as the source wrote it (kept as the raw
   * event, so nothing the format carried is lost) while `value` is its Graph-shaped reading.
   */
  source?: unknown;
  /** When the source observed this row (Azure Monitor `time`, `TimeGenerated`): orders evidence. */
  observedAt?: string;
  /**
   * `value` writes values the format's own way (numbers as text, display names, numeric flags):
   * normalization types them without keeping them as originals, since `source` is kept.
   */
  formatEncoded?: boolean;
  /**
   * The record says only these properties of the sign-in with its `id` (a row of the admin
   * center's authentication-details file): the ingest layer joins it to that sign-in.
   */
  partial?: readonly string[];
  /**
   * An event that speaks only for these properties (merged into its line item like any event, but
   * without a say on the rest): Gatelog's own events (docs/events.md).
   */
  speaksFor?: readonly string[];
  /** The event's identity when the source names one (an event id), instead of its text. */
  identity?: string;
}

/** A piece of input that is not a record at all (bad JSON), with where and why. */
export interface RawProblem {
  kind: 'problem';
  line: number;
  offset: number;
  reason: string;
  raw: string;
}

export type RawItem = RawRecord | RawProblem;

const HEAD_BYTES = 1 << 16;

/** The records of a page on one line: Graph's `{"value": [...]}` or an Event Hub batch's `{"records": [...]}`. */
function pageItems(v: unknown): unknown[] | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o['value'])) return o['value'];
  if (Array.isArray(o['records'])) return o['records'];
  return null;
}

function envelopeOf(page: Record<string, unknown>): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(page)) if (k !== 'value' && k !== 'records' && (v === null || typeof v !== 'object')) env[k] = v;
  return env;
}

/**
 * Records parsed at a time: a chunk of input holds a hundred large records, and parsing them all
 * at once kept them alive long enough for V8 to move them to its old space (a heap of garbage).
 */
const PARSE_BATCH = 16;

function* toItems(items: JsonRecordItem[]): Generator<RawItem[]> {
  let out: RawItem[] = [];
  for (const it of items) {
    if (out.length >= PARSE_BATCH) {
      yield out;
      out = [];
    }
    if (it.kind === 'problem') {
      out.push(it);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(it.text);
    } catch {
      const err = locateJsonError(it.text);
      const line = it.line + (err ? err.line - 1 : 0);
      out.push({
        kind: 'problem',
        line,
        offset: it.offset,
        reason: `invalid JSON: ${err ? `${err.reason} (line ${line}, column ${err.column})` : 'cannot be parsed'}`,
        raw: it.text,
      });
      continue;
    }
    const page = pageItems(value);
    if (page) {
      // A whole page on one line (NDJSON of pages): each item is a record.
      const env = envelopeOf(value as Record<string, unknown>);
      for (const v of page) out.push({ kind: 'raw', value: v, text: JSON.stringify(v), line: it.line, offset: it.offset, envelope: env });
      continue;
    }
    out.push({ kind: 'raw', value, text: it.text, line: it.line, offset: it.offset, envelope: it.envelope });
  }
  if (out.length) yield out;
}

/**
 * Reads Graph JSON from decompressed chunks, yielding records and problems in input order, a
 * batch at a time. Memory stays bounded by the largest record, not the input.
 */
export async function* readGraphJson(chunks: AsyncIterable<Buffer>, hint: { ndjson?: boolean } = {}): AsyncGenerator<RawItem[]> {
  let splitter: JsonRecordSplitter | NdjsonSplitter | null = null;
  let head: Buffer[] = [];
  let headBytes = 0;
  for await (const chunk of chunks) {
    if (!splitter) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < HEAD_BYTES) continue;
      const h = Buffer.concat(head);
      splitter = hint.ndjson ?? looksLikeNdjson(h) ? new NdjsonSplitter() : new JsonRecordSplitter();
      head = [];
      yield* toItems(splitter.push(h));
      continue;
    }
    yield* toItems(splitter.push(chunk));
  }
  if (!splitter) {
    const h = Buffer.concat(head);
    splitter = hint.ndjson ?? looksLikeNdjson(h) ? new NdjsonSplitter() : new JsonRecordSplitter();
    yield* toItems([...splitter.push(h), ...splitter.end()]);
    return;
  }
  yield* toItems(splitter.end());
}
