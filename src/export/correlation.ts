// The correlation view: sign-ins that share a correlation ID (one client flow: a sign-in, its MFA
// prompts, the token requests that follow) stay separate line items, and are read together here —
// every event type, oldest first, with their raw events. `gatelog query --correlation` and
// GET /api/correlations/{id} answer with it.
import type { StoredSignIn } from '../model/sign-in.js';
import { and, column, value, type Condition, type SignInQuery } from '../query/sql/expr.js';
import type { SignInStore, StoredEvent } from '../store/sign-in-store.js';
import { keyOf, signInPages } from './pages.js';

/**
 * What the view reads through: the store itself (the CLI), or the store as one caller may read it
 * (the API's reader scoped to the caller's tenants).
 */
export interface CorrelationReader {
  query(q: SignInQuery): Promise<StoredSignIn[]>;
  /** The raw events of these line items. */
  listEvents(lineItems: readonly StoredSignIn[]): Promise<StoredEvent[]>;
}

/** The whole store as a correlation reader. */
export function storeReader(store: SignInStore): CorrelationReader {
  return { query: (q) => store.query(q), listEvents: (items) => store.listEvents(items.map(keyOf)) };
}

/**
 * Line items with this correlation ID: `correlationId eq '<id>'` as the Graph filter plans it (a
 * string property compares case-insensitively).
 */
export function correlationCondition(correlationId: string): Condition {
  return { kind: 'compare', op: 'eq', left: column(['correlationId'], 'string'), right: value(correlationId, 'string'), caseInsensitive: true };
}

export interface CorrelationView {
  correlationId: string;
  /** Oldest first (createdDateTime, id, log tenant). */
  signIns: StoredSignIn[];
  /** Their raw events: line item by line item, each one's oldest evidence first. */
  events: StoredEvent[];
}

/** Every line item with the correlation ID within `scope` (log tenants, a filter), and its raw events. */
export async function readCorrelation(reader: CorrelationReader, correlationId: string, scope: Condition): Promise<CorrelationView> {
  const signIns: StoredSignIn[] = [];
  const events: StoredEvent[] = [];
  for await (const page of signInPages(reader, and(scope, correlationCondition(correlationId)))) {
    signIns.push(...page);
    const order = new Map(page.map((s, i) => [`${s.tenantId}\u0000${s.record.id}`, i]));
    const got = await reader.listEvents(page);
    // Stable: within a line item the store's order (oldest evidence first) stays.
    got.sort((a, b) => (order.get(`${a.tenantId}\u0000${a.signInId}`) ?? 0) - (order.get(`${b.tenantId}\u0000${b.signInId}`) ?? 0));
    events.push(...got);
  }
  return { correlationId, signIns, events };
}

/** A raw event for JSON output: `raw` parsed when it is JSON text (it is kept as text). */
export function eventForJson(e: StoredEvent): Record<string, unknown> {
  let raw: unknown = e.raw;
  if (typeof e.raw === 'string') {
    try {
      raw = JSON.parse(e.raw) as unknown;
    } catch {
      raw = e.raw;
    }
  }
  return { ...e, raw };
}
