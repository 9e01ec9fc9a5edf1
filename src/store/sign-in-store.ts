// The store seam: what every backend (embedded DuckDB, ClickHouse) provides. Few methods, typed,
// so a second backend is a second implementation of this file and nothing else changes.
import type { Extra, SignInRecord, StoredSignIn } from '../model/sign-in.js';
import type { Reject, SourcePlace } from '../normalize/reject.js';
import type { AggregateQuery, AggregateRow } from '../query/sql/aggregate.js';
import type { Condition, SignInQuery } from '../query/sql/expr.js';

export type StoreKind = 'duckdb' | 'clickhouse';

/** One sign-in on its way in: the canonical record as JSON, and where it came from. */
export interface IncomingSignIn {
  /** The tenant whose log this sign-in belongs to. */
  tenantId: string;
  id: string;
  /** Canonical time (Graph's rendering), used to order and key line items. */
  createdDateTime: string;
  /** The canonical record as one line of JSON. */
  json: string;
  /** What the record carried beyond its typed fields, or null. */
  extra: Extra | null;
  /**
   * Identity of the raw record this version came from (a hash of its bytes). The same record
   * imported again has the same key and changes nothing.
   */
  eventKey: bigint;
  format: string;
  place: SourcePlace;
  /**
   * The record as the source wrote it, for formats that are not Graph's own shape (Azure Monitor,
   * Log Analytics, admin-center CSV): kept with the raw event from the start, since `json` is only
   * its reading. Absent for Graph JSON, whose text is the line item itself.
   */
  raw?: string;
  /** When the source observed the record (canonical time): Azure Monitor's `time`, `TimeGenerated`. */
  observedAt?: string;
  /**
   * A partial record says only these properties of its sign-in (an authentication-details row of
   * the admin center's download). Kept with the raw event for the merge step (src/aggregate/);
   * until it exists, a partial record replaces the line item like any newer version.
   */
  partial?: readonly string[];
}

export interface IngestCounts {
  /** Line items that did not exist before. */
  inserted: number;
  /** Line items replaced by a newer version. */
  updated: number;
  /** Records the store already had (same sign-in, same raw record). */
  unchanged: number;
}

/** Streams sign-ins into the store in batches; `flush` makes everything added durable. */
export interface SignInWriter {
  /** Adds a sign-in. When it returns a promise, wait for it before adding more (backpressure). */
  add(item: IncomingSignIn): void | Promise<void>;
  /** Waits until everything added is committed; returns the counts since the last flush. */
  flush(): Promise<IngestCounts>;
}

/** A raw event as the store keeps it: one record received for a line item. */
export interface StoredEvent {
  tenantId: string;
  signInId: string;
  /** Identity of the raw record (decimal). */
  eventKey: string;
  createdDateTime: string;
  /** When Gatelog received it (ISO 8601). */
  receivedAt: string;
  /** When the source observed it, if the format says. */
  observedAt?: string;
  format: string;
  source?: string;
  line?: number;
  offset?: number;
  /** The record as received (JSON text); null while it is the line item's current version as received. */
  raw: string | null;
  /** Its own reading (canonical record and extra); null while the line item is this very reading. */
  reading: { record: SignInRecord; extra: Extra | null } | null;
  /** For a partial record: the properties it says. */
  partial?: string[];
}

export interface StoredReject extends Reject {
  receivedAt: string;
  format: string;
}

/**
 * One read of sign-in data: who read, when, through which credential, which log tenants they may
 * read, what they asked for and how many rows they got. The audit table only ever grows: the store
 * has no method that changes or removes an entry.
 */
export interface AuditEntry {
  /** When the read was answered (ISO 8601, UTC, milliseconds). */
  at: string;
  /** Who read, as the credential names them: an API key's id and name, a user or application from a token, the local administrator, a CLI user. */
  actor: string;
  /** How the actor was known: the local admin token, an API key, a JWT from an OpenID Connect issuer, a browser session, or the command line (the machine's user). */
  via: 'admin-token' | 'api-key' | 'jwt' | 'session' | 'cli';
  /** The log tenants the actor may read; null for every tenant. */
  tenants: readonly string[] | null;
  /** What was read: the route (`GET /:version/auditLogs/signIns`) or the command (`gatelog query`). */
  action: string;
  /** The request path without its query, or what the command read (an id, a correlation ID, an output file). */
  target: string | null;
  /** The `$filter` (or `--filter`) given, as given. */
  filter: string | null;
  /** Sign-ins (and raw events) returned. */
  rows: number;
  /** HTTP status of the answer; for the command line 0 when it succeeded, 1 when it failed. */
  status: number;
  /** The client's address, or the machine for the command line. */
  client: string | null;
  /** The request id (Graph's `request-id`), for the API. */
  requestId: string | null;
}

export interface AuditQuery {
  limit: number;
  /** Entries at or after this time (ISO 8601). */
  since?: string;
  /** Entries before this time (ISO 8601). */
  until?: string;
  /** Entries of this actor only (exact). */
  actor?: string;
}

export interface SignInStore {
  readonly kind: StoreKind;
  /** Applies pending migrations; idempotent. */
  migrate(): Promise<void>;
  /** The schema version the store is at. */
  schemaVersion(): Promise<number>;
  openWriter(): SignInWriter;
  addRejects(rejects: readonly (Reject & { format: string })[]): Promise<void>;
  get(id: string, tenants?: readonly string[]): Promise<StoredSignIn | null>;
  /** The sign-ins a query asks for, in its order (createdDateTime, then id, then log tenant). */
  query(query: SignInQuery): Promise<StoredSignIn[]>;
  /** How many sign-ins match (all when no condition). */
  count(where?: Condition): Promise<number>;
  /** Counts over the sign-ins a query selects, grouped as it says, computed by the engine (reports). */
  aggregate(query: AggregateQuery): Promise<AggregateRow[]>;
  /** The raw events of these line items, oldest evidence first. */
  listEvents(keys: readonly { tenantId: string; id: string }[]): Promise<StoredEvent[]>;
  listRejects(options: { limit: number; source?: string }): Promise<StoredReject[]>;
  countRejects(): Promise<number>;
  /** Appends reads to the audit table (durable when it resolves). */
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /** Audit entries, newest first. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
