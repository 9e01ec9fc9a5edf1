// What the sign-in diagnostic reads through. The API passes the request's ScopedReader (the caller's
// tenants only) and the CLI a reader over the whole store or the --tenant, so every query the
// diagnostic makes — the sign-in, its correlation, the counts behind a password spray — stays within
// what the caller may read. Only neutral conditions (query/sql/expr.ts) are used, so both stores
// answer them.
import type { StoredSignIn } from '../model/sign-in.js';
import type { Condition, SignInQuery } from '../query/sql/expr.js';
import type { StoredEvent } from '../store/sign-in-store.js';

export interface DiagnoseReader {
  query(q: SignInQuery): Promise<StoredSignIn[]>;
  count(where?: Condition): Promise<number>;
  /** One sign-in by id (the request ID), if the reader may see it. */
  get(id: string): Promise<StoredSignIn | null>;
  /** The raw events of these line items. */
  listEvents(lineItems: readonly StoredSignIn[]): Promise<StoredEvent[]>;
}
