// Export as Microsoft Graph signIn NDJSON: one line item a line, as it was received (the extra
// overlay applied: unknown properties and original values in place, values Gatelog added left
// out), so importing the file again gives the same line items.
import { toOriginal } from '../model/render.js';
import type { Condition } from '../query/sql/expr.js';
import type { SignInStore } from '../store/sign-in-store.js';
import { signInPages, type ExportProgress } from './pages.js';

/** The file's text, a page of line items at a time. */
export async function* graphNdjsonChunks(store: SignInStore, where: Condition, progress: ExportProgress): AsyncGenerator<string> {
  for await (const page of signInPages(store, where)) {
    let text = '';
    for (const s of page) text += `${JSON.stringify(toOriginal(s.record, s.extra))}\n`;
    progress.lineItems += page.length;
    progress.rows += page.length;
    yield text;
  }
}
