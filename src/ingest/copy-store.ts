// Copies every line item and reject of one store into another (DuckDB → ClickHouse, say), in time
// order, through the target's own writer, so the target's rules (identity, versions) apply.
import { eventKeyOf } from './import-files.js';
import { TRUE, type Keyset } from '../query/sql/expr.js';
import type { SignInStore } from '../store/sign-in-store.js';

export interface CopySummary {
  lineItems: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejects: number;
}

const PAGE = 2000;

/**
 * Copies `from` into `to`. Each line item arrives as one event whose identity is its canonical
 * text; the raw rows of earlier, replaced versions stay behind in the source.
 */
export async function copyStore(from: SignInStore, to: SignInStore, onProgress?: (done: number) => void): Promise<CopySummary> {
  const writer = to.openWriter();
  let after: Keyset | undefined;
  let lineItems = 0;
  for (;;) {
    const page = await from.query({ where: TRUE, order: 'asc', limit: PAGE, ...(after ? { after } : {}) });
    for (const s of page) {
      const json = JSON.stringify(s.record);
      const wait = writer.add({
        tenantId: s.tenantId,
        id: s.record.id,
        createdDateTime: s.record.createdDateTime,
        json,
        extra: s.extra,
        eventKey: eventKeyOf(json),
        format: 'graph',
        place: { source: `copy of ${from.kind} store` },
      });
      if (wait) await wait;
    }
    lineItems += page.length;
    onProgress?.(lineItems);
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) break;
    after = { time: last.record.createdDateTime, id: last.record.id, tenant: last.tenantId };
  }
  const counts = await writer.flush();
  const rejects = await from.listRejects({ limit: Number.MAX_SAFE_INTEGER });
  await to.addRejects(rejects.map((r) => ({ source: r.source, reason: r.reason, raw: r.raw, format: r.format, ...(r.line !== undefined ? { line: r.line } : {}), ...(r.offset !== undefined ? { offset: r.offset } : {}) })));
  return { lineItems, ...counts, rejects: rejects.length };
}
