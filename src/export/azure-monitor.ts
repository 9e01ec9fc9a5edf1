// Export as Azure Monitor diagnostic records, one a line (as storage-account blobs hold them):
// one record per raw event, not per line item — an MFA sign-in is several rows, as Azure Monitor
// shows it (semantics.md §2), and importing the file merges them into the same line item again.
//
// - A raw event the source gave in Azure Monitor's shape (an Azure Monitor import, a Sekoia
//   message wrapping one) is written as it came, on one line.
// - Any other raw event (Graph JSON, a Log Analytics row, an admin-center CSV row, a vendor's
//   wrapper) is written as a record built from its own reading: the diagnostic-settings envelope
//   around `properties`, the Graph record as received (unknown properties and original values in
//   place, values Gatelog added left out).
import { isAzureMonitorRecord } from '../importers/azure-monitor.js';
import { toOriginal } from '../model/render.js';
import type { Extra, SignInRecord, StoredSignIn } from '../model/sign-in.js';
import { formatDateTime, parseDateTime } from '../model/time.js';
import type { Condition } from '../query/sql/expr.js';
import type { SignInStore, StoredEvent } from '../store/sign-in-store.js';
import { eventsByLineItem, lineItemKey, signInPages, type ExportProgress } from './pages.js';

/** The diagnostic-settings category of each event type (the log the row is sent with). */
export const CATEGORY_OF_EVENT_TYPE: Readonly<Record<string, string>> = {
  interactiveUser: 'SignInLogs',
  nonInteractiveUser: 'NonInteractiveUserSignInLogs',
  servicePrincipal: 'ServicePrincipalSignInLogs',
  managedIdentity: 'ManagedIdentitySignInLogs',
};

/**
 * The category of a record: its first event type that names a log; else, for a record that
 * predates `signInEventTypes`, the user log its `isInteractive` says (Graph lists such records
 * as interactive unless `isInteractive` is false).
 */
export function categoryOf(record: Record<string, unknown>, fallback?: readonly unknown[] | null): string {
  for (const types of [record['signInEventTypes'], fallback]) {
    if (!Array.isArray(types)) continue;
    for (const t of types) {
      const c = typeof t === 'string' ? CATEGORY_OF_EVENT_TYPE[t] : undefined;
      if (c) return c;
    }
  }
  return record['isInteractive'] === false ? 'NonInteractiveUserSignInLogs' : 'SignInLogs';
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function object(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * An Azure Monitor record built from a Graph record: the envelope Microsoft documents for sign-in
 * logs sent by diagnostic settings (reference-azure-monitor-sign-ins-log-schema), around
 * `properties`. The envelope says only what `properties` says too (an importer reading it back
 * fills nothing `properties` has), except `time` — when the source observed the event.
 *
 * @param received the record as received (`toOriginal`): `properties`, and the envelope's values
 * @param time when the source observed the event, else the sign-in's time (canonical)
 * @param fallbackEventTypes the line item's event types, for a record that has none (a partial one)
 */
export function azureMonitorRecord(received: Record<string, unknown>, tenantId: string, time: string, fallbackEventTypes?: readonly unknown[] | null): Record<string, unknown> {
  const status = object(received['status']);
  const code = status?.['errorCode'];
  const resultType = typeof code === 'number' && Number.isInteger(code) ? String(code) : typeof code === 'string' && /^\s*\d+\s*$/.test(code) ? code.trim() : undefined;
  const location = object(received['location']);
  const country = text(location?.['countryOrRegion']);
  return {
    time,
    resourceId: `/tenants/${tenantId}/providers/Microsoft.aad`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: categoryOf(received, fallbackEventTypes),
    tenantId,
    // Absent rather than invented: "0" would tell an importer the sign-in succeeded.
    ...(resultType !== undefined ? { resultType } : {}),
    resultSignature: 'None',
    resultDescription: text(status?.['failureReason']),
    durationMs: 0,
    callerIpAddress: text(received['ipAddress']),
    correlationId: text(received['correlationId']),
    identity: text(received['userDisplayName']) || text(received['servicePrincipalName']) || text(received['userPrincipalName']),
    Level: 4,
    location: /^[A-Za-z]{2}$/.test(country) ? country : '',
    properties: received,
  };
}

/** The raw row as it came, when the source gave it in Azure Monitor's shape (else null). */
export function azureMonitorRow(raw: string | null): string | null {
  if (raw === null) return null;
  const t = raw.trimStart();
  if (!t.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isAzureMonitorRecord(parsed)) return null;
  // One record a line: JSON's own whitespace may break lines; string values cannot.
  return /[\r\n]/.test(raw) ? raw.trim().replace(/[\r\n]+/g, ' ') : raw;
}

/**
 * The `time` of each event of a line item (given in the store's order: the order they were
 * merged in, by the time their sources observed them, else when they were received). An event
 * whose source said when it observed it has that time; any other one has the sign-in's time,
 * moved forward where needed so that the times never go back — never past when it was received —
 * so an import of the rows merges them in the same order again.
 */
export function eventTimes(events: readonly StoredEvent[]): string[] {
  let last: bigint | null = null;
  return events.map((e) => {
    const observed = e.observedAt !== undefined ? parseDateTime(e.observedAt) : null;
    if (observed !== null) {
      last = last !== null && last > observed ? last : observed;
      return e.observedAt as string;
    }
    const created = parseDateTime(e.createdDateTime);
    const received = parseDateTime(e.receivedAt);
    if (created === null) return e.createdDateTime;
    let t = last !== null && last > created ? last : created;
    if (received !== null && t > received) t = received > created ? received : created;
    last = t;
    return formatDateTime(t);
  });
}

/** The line of one raw event of a line item; `time` as eventTimes gives it. */
export function eventLine(event: StoredEvent, item: StoredSignIn, time: string): string {
  const asCame = azureMonitorRow(event.raw);
  if (asCame !== null) return asCame;
  // No reading of its own: the event is the line item as it stands.
  const reading: { record: SignInRecord; extra: Extra | null } = event.reading ?? item;
  const received = toOriginal(reading.record, reading.extra);
  return JSON.stringify(azureMonitorRecord(received, event.tenantId, time, item.record.signInEventTypes));
}

/** The file's text, a page of line items (all their raw events) at a time. */
export async function* azureMonitorChunks(store: SignInStore, where: Condition, progress: ExportProgress): AsyncGenerator<string> {
  for await (const page of signInPages(store, where)) {
    const events = await eventsByLineItem(store, page);
    let out = '';
    for (const item of page) {
      const list = events.get(lineItemKey(item.tenantId, item.record.id));
      if (list && list.length > 0) {
        const times = eventTimes(list);
        list.forEach((e, i) => (out += `${eventLine(e, item, times[i] ?? e.createdDateTime)}\n`));
        progress.rows += list.length;
      } else {
        // A line item without raw events (none should be): the line item itself, so nothing is lost.
        out += `${JSON.stringify(azureMonitorRecord(toOriginal(item.record, item.extra), item.tenantId, item.record.createdDateTime))}\n`;
        progress.rows++;
      }
    }
    progress.lineItems += page.length;
    yield out;
  }
}
