// One ClickHouse server over HTTP (@clickhouse/client), with the few calls the store makes, and
// every failure turned into what a user can act on: a server or shard that cannot be reached is
// Store_Unavailable naming it; nothing partial is ever returned as if it were complete.
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { GatelogError } from '../../errors.js';

/** ClickHouse error codes that mean a server (or a shard behind a Distributed table) could not be reached. */
const UNREACHABLE_CODES = new Set([
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR (connection refused, reset)
  279, // ALL_CONNECTION_TRIES_FAILED
  285, // TOO_FEW_LIVE_REPLICAS
  32, // ATTEMPT_TO_READ_AFTER_EOF (a shard went away mid-answer)
  1000, // POCO_EXCEPTION (network errors of older servers)
]);

const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);

/** Where a server sits in the cluster (for messages): shard and replica numbers, native address. */
export interface HostPlace {
  shard: number;
  replica: number;
  /** host:port of the native protocol, as the cluster names it. */
  native: string;
}

/** Names shards in error messages: the native addresses of the cluster's servers. */
export interface ShardNamer {
  describe(address: string): string | null;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function clickhouseCode(text: string): number | null {
  const m = /Code: (\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

function networkCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NODE_NETWORK_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  const text = errorText(e);
  if (/socket hang up|Timeout error|timed out/i.test(text)) return 'timeout';
  return null;
}

/** The reason of a server's error: the innermost exception's message, without the stack trace. */
function reason(text: string): string {
  const messages = [...text.matchAll(/DB::\w*Exception: ([^\n]*)/g)]
    .map((m) =>
      m[1]!
        .replace(/, e\.what\(\) = .*$/, '')
        .replace(/\.? \([A-Z][A-Z0-9_]{2,}\)(?: \(version [^)]*\))?.*$/, '')
        .trim(),
    )
    .filter((m) => m !== '' && !/^All connection tries failed/.test(m));
  const out = messages[messages.length - 1] ?? text.split('\n').find((l) => l.trim() !== '') ?? text;
  return out.slice(0, 500);
}

/** host:port pairs a server's error names ("Connection refused (127.0.0.2:9000)"). */
function addressesIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\(([\w.\-[\]:]+:\d+)(?:,[^)]*)?\)/g)) out.add(m[1]!);
  return [...out];
}

/**
 * A failure of the server or of a shard behind it → Store_Unavailable; anything else is rethrown
 * as it is (a ClickHouse error with its reason). `writing`: the failure hit an insert.
 */
export function storeError(e: unknown, server: string, doing: string, shards: ShardNamer | null, writing = false): unknown {
  if (e instanceof GatelogError) return e;
  const text = errorText(e);
  const code = clickhouseCode(text);
  const net = networkCode(e);
  const after = writing
    ? 'the batch may be stored in part: import it again when it is back (what was stored is recognized)'
    : 'nothing partial is returned: try again when it is back';
  if (code !== null && UNREACHABLE_CODES.has(code)) {
    const named = addressesIn(text)
      .map((a) => shards?.describe(a) ?? null)
      .filter((x): x is string => x !== null);
    const who = named.length > 0 ? [...new Set(named)].join(', ') : `a shard behind ${server}`;
    return new GatelogError('Store_Unavailable', `ClickHouse ${who} cannot be reached while ${doing} (${reason(text)}); ${after}`);
  }
  if (net !== null && code === null) {
    return new GatelogError('Store_Unavailable', `ClickHouse server ${server} cannot be reached while ${doing} (${net === 'timeout' ? reason(text) : net}); ${after}`);
  }
  if (code !== null) return new Error(`ClickHouse ${server} refused ${doing}: ${reason(text)}`, { cause: e });
  return e;
}

/**
 * The rows of a JSONEachRow response. A server that fails after it has begun to answer (out of
 * memory halfway through, say) appends its exception to the rows it sent, with the HTTP status
 * already 200: that exception is the error, not a line that is not JSON.
 */
export function jsonEachRow<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      const exception = /Code: \d+[.,][\s\S]*$/.exec(text.slice(text.indexOf(line)))?.[0];
      throw new Error(exception ?? `the server's answer is not JSON rows: ${line.slice(0, 200)}`);
    }
  }
  return out;
}

/** A URL without its password, for messages. */
export function safeUrl(url: URL): string {
  const u = new URL(url.href);
  if (u.password) u.password = '***';
  u.search = '';
  return u.href.replace(/\/$/, '');
}

export class Connection {
  private readonly client: ClickHouseClient;
  readonly name: string;

  constructor(
    readonly url: URL,
    private readonly shards: () => ShardNamer | null,
    readonly place: HostPlace | null = null,
  ) {
    this.name = place ? `${safeUrl(url)} (shard ${place.shard}${place.replica > 1 ? ` replica ${place.replica}` : ''})` : safeUrl(url);
    this.client = createClient({
      url,
      // A long import batch or a scan of a large store may take a while; a dead server is noticed
      // at connect time, not by this timeout.
      request_timeout: 600_000,
      max_open_connections: 8,
      compression: { request: false, response: false },
      application: 'gatelog',
      // Failures reach the caller as errors (mapped below); the client's own console logging
      // would print them a second time, in the middle of a CLI's output.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  private fail(e: unknown, doing: string, writing = false): unknown {
    return storeError(e, this.name, doing, this.shards(), writing);
  }

  /** Runs a statement that returns nothing (DDL). */
  async command(sql: string, settings: ClickHouseSettings = {}, doing = 'running a statement'): Promise<void> {
    try {
      await this.client.command({ query: sql, clickhouse_settings: withQuerySize(sql, settings) });
    } catch (e) {
      throw this.fail(e, doing);
    }
  }

  /** Rows of a SELECT, as JSON objects (64-bit integers come as strings). */
  async rows<T = Record<string, unknown>>(sql: string, settings: ClickHouseSettings = {}, doing = 'reading'): Promise<T[]> {
    try {
      const rs = await this.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: withQuerySize(sql, settings) });
      return jsonEachRow<T>(await rs.text());
    } catch (e) {
      throw this.fail(e, doing);
    }
  }

  /** Sends rows already encoded as JSONEachRow lines to `INSERT INTO table FORMAT JSONEachRow`. */
  async insertJsonLines(table: string, lines: readonly string[], settings: ClickHouseSettings = {}, doing = 'storing'): Promise<void> {
    if (lines.length === 0) return;
    const chunks = (function* () {
      const CHUNK = 256;
      for (let i = 0; i < lines.length; i += CHUNK) yield `${lines.slice(i, i + CHUNK).join('\n')}\n`;
    })();
    try {
      const res = await this.client.exec({
        query: `INSERT INTO ${table} FORMAT JSONEachRow`,
        values: Readable.from(chunks, { objectMode: false }),
        clickhouse_settings: settings,
      });
      // The answer is empty; read it to the end so the connection is free again.
      for await (const _chunk of res.stream) void _chunk;
    } catch (e) {
      throw this.fail(e, doing, true);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The query text must fit max_query_size (256 KiB by default): long key lists need more. */
function withQuerySize(sql: string, settings: ClickHouseSettings): ClickHouseSettings {
  const bytes = Buffer.byteLength(sql);
  if (bytes < 200_000) return settings;
  return { ...settings, max_query_size: String(bytes + 65_536) };
}
