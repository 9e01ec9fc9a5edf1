// Walks the line items a condition selects, a page at a time, by the store's keyset
// (createdDateTime, id, log tenant): nothing but one page is held, and a sign-in that arrives
// during the walk neither repeats nor shifts a page. Exports and the correlation view read
// through it, on any backend.
import type { StoredSignIn } from '../model/sign-in.js';
import type { Condition } from '../query/sql/expr.js';
import type { SignInStore, StoredEvent } from '../store/sign-in-store.js';

/** What an export wrote so far. */
export interface ExportProgress {
  /** Line items read. */
  lineItems: number;
  /** Rows (records, lines) written: one a line item, or one a raw event (Azure Monitor). */
  rows: number;
}

/** Line items read per page (and raw events asked for per call). */
export const EXPORT_PAGE_SIZE = 1000;

export interface WalkOptions {
  /** Oldest first (the default, as logs are written) or newest first. */
  order?: 'asc' | 'desc';
  pageSize?: number;
}

/** The line items `where` selects, page by page, in listing order. */
export async function* signInPages(store: Pick<SignInStore, 'query'>, where: Condition, options: WalkOptions = {}): AsyncGenerator<StoredSignIn[]> {
  const order = options.order ?? 'asc';
  const limit = options.pageSize ?? EXPORT_PAGE_SIZE;
  let after: { time: string; id: string; tenant: string } | undefined;
  for (;;) {
    const page = await store.query({ where, order, limit, ...(after ? { after } : {}) });
    if (page.length > 0) yield page;
    const last = page[page.length - 1];
    if (page.length < limit || !last) return;
    after = { time: last.record.createdDateTime, id: last.record.id, tenant: last.tenantId };
  }
}

/** A line item's key, as the store's `listEvents` takes it. */
export function keyOf(s: StoredSignIn): { tenantId: string; id: string } {
  return { tenantId: s.tenantId, id: s.record.id };
}

/**
 * The raw events of a page of line items, grouped by line item (each group oldest evidence
 * first, as the store lists them).
 */
export async function eventsByLineItem(store: SignInStore, page: readonly StoredSignIn[]): Promise<Map<string, StoredEvent[]>> {
  const byItem = new Map<string, StoredEvent[]>();
  if (page.length === 0) return byItem;
  for (const e of await store.listEvents(page.map(keyOf))) {
    const k = lineItemKey(e.tenantId, e.signInId);
    const list = byItem.get(k);
    if (list) list.push(e);
    else byItem.set(k, [e]);
  }
  return byItem;
}

export function lineItemKey(tenantId: string, id: string): string {
  return `${tenantId}\u0000${id}`;
}
