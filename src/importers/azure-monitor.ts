// Azure Monitor diagnostic records of Entra sign-in logs, as diagnostic settings deliver them:
// storage-account blobs (`PT1H.json`, one record a line) and Event Hub batches
// (`{"records": [...]}`). Each record is an envelope (`time`, `category`, `tenantId`,
// `resultType`, `callerIpAddress`, `correlationId`, ...) around the sign-in in `properties`,
// whose members are Graph's signIn property names.
//
// The reading: `properties` as the Graph-shaped record; the envelope fills only what `properties`
// lacks (`properties` wins where both say something); the category gives `signInEventTypes`
// (and `isInteractive` for user sign-ins) when `properties` has none. The envelope's `tenantId`
// is the log tenant's evidence (see ingest/import-files.ts resolveTenant), its `time` when Azure
// Monitor observed the row. The record is kept as it came (the raw event), so the line item holds
// typed values only: Azure Monitor's own spellings (numeric conditional-access flags, `+00:00`
// times, `"Member"`) are not kept as originals (`formatEncoded`, see normalize/to-sign-in.ts).
import { isPlainObject } from './cells.js';
import type { RawItem, RawRecord } from './graph-json.js';
import { mapJsonRecords, problemOf } from './json-input.js';

/**
 * The diagnostic-setting categories of sign-in logs and the `signInEventTypes` member each holds.
 * `MicrosoftServicePrincipalSignInLogs` (Microsoft's first-party service principals) is not in
 * the reference tables but appears in real exports (elastic's test data); its rows are
 * service-principal sign-ins.
 */
export const SIGN_IN_CATEGORIES: Readonly<Record<string, string>> = {
  SignInLogs: 'interactiveUser',
  NonInteractiveUserSignInLogs: 'nonInteractiveUser',
  ServicePrincipalSignInLogs: 'servicePrincipal',
  ManagedIdentitySignInLogs: 'managedIdentity',
  MicrosoftServicePrincipalSignInLogs: 'servicePrincipal',
};

const CATEGORY_BY_LOWER = new Map(Object.entries(SIGN_IN_CATEGORIES).map(([k, v]) => [k.toLowerCase(), v]));

/** The event type a category names, undefined for a category that is not a sign-in log. */
export function eventTypeOfCategory(category: string): string | undefined {
  return CATEGORY_BY_LOWER.get(category.trim().toLowerCase());
}

/** `isInteractive` as the event type implies it, for user sign-ins only. */
export function interactiveOf(eventType: string): boolean | undefined {
  if (eventType === 'interactiveUser') return true;
  if (eventType === 'nonInteractiveUser') return false;
  return undefined;
}

export interface AzureMonitorReading {
  /** The Graph-shaped sign-in. */
  value: Record<string, unknown>;
  /** The envelope's `tenantId`: the tenant whose diagnostic setting sent the record. */
  tenantId?: string;
  /** The envelope's `time`. */
  observedAt?: string;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** An envelope member read case-insensitively (Panther lower-cases the envelope's keys). */
function envelopeReader(rec: Record<string, unknown>): (key: string) => unknown {
  let lower: Map<string, unknown> | null = null;
  return (key) => {
    if (key in rec) return rec[key];
    lower ??= new Map(Object.entries(rec).map(([k, v]) => [k.toLowerCase(), v]));
    return lower.get(key.toLowerCase());
  };
}

/** Does the value look like an Azure Monitor record (an envelope with `properties`)? */
export function isAzureMonitorRecord(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const get = envelopeReader(v);
  const props = get('properties');
  if (!isPlainObject(props) && typeof props !== 'string') return false;
  return get('category') !== undefined || get('operationName') !== undefined || get('time') !== undefined || get('resourceId') !== undefined;
}

/**
 * Reads one Azure Monitor record as a Graph-shaped sign-in, or says why it is not one.
 *
 * @example readAzureMonitorRecord({ time: '2019-03-12T16:02:15Z', category: 'SignInLogs', resultType: '50140', properties: { id: 'x' } })
 * // { value: { id: 'x', createdDateTime: '2019-03-12T16:02:15Z', status: { errorCode: 50140 }, signInEventTypes: ['interactiveUser'], isInteractive: true }, observedAt: '2019-03-12T16:02:15Z' }
 */
export function readAzureMonitorRecord(rec: unknown): AzureMonitorReading | string {
  if (!isPlainObject(rec)) return 'not an Azure Monitor record (not a JSON object)';
  const env = envelopeReader(rec);
  let props = env('properties');
  if (typeof props === 'string') {
    try {
      props = JSON.parse(props) as unknown;
    } catch {
      return 'the record\'s "properties" is text that is not JSON';
    }
  }
  if (!isPlainObject(props)) return 'not an Azure Monitor sign-in record: it has no "properties" object';
  const category = env('category');
  let eventType: string | undefined;
  if (nonEmpty(category)) {
    eventType = eventTypeOfCategory(category);
    if (eventType === undefined) {
      return `category ${JSON.stringify(category)} is not a sign-in log (expected one of ${Object.keys(SIGN_IN_CATEGORIES).join(', ')})`;
    }
  }
  const value: Record<string, unknown> = { ...props };
  if (!nonEmpty(value['id'])) return 'no "properties.id": an Azure Monitor sign-in record carries the sign-in\'s request ID there';
  const time = env('time');
  if (isEmptyValue(value['createdDateTime']) && nonEmpty(time)) value['createdDateTime'] = time;
  if (eventType !== undefined) {
    if (isEmptyValue(value['signInEventTypes'])) value['signInEventTypes'] = [eventType];
    const interactive = interactiveOf(eventType);
    if (interactive !== undefined && isEmptyValue(value['isInteractive'])) value['isInteractive'] = interactive;
  }
  fillGap(value, 'correlationId', env('correlationId'));
  fillGap(value, 'ipAddress', env('callerIpAddress'));
  fillStatus(value, env('resultType'), env('resultDescription'));
  const location = env('location');
  if (!isPlainObject(value['location']) && typeof location === 'string' && /^[A-Za-z]{2}$/.test(location)) value['location'] = { countryOrRegion: location };
  const tenantId = env('tenantId');
  return {
    value,
    ...(nonEmpty(tenantId) ? { tenantId } : {}),
    ...(nonEmpty(time) ? { observedAt: time } : {}),
  };
}

function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function fillGap(value: Record<string, unknown>, key: string, from: unknown): void {
  if (isEmptyValue(value[key]) && nonEmpty(from)) value[key] = from;
}

/** `resultType` is the error code when it is a number (Panther writes "Success"/"Failure" there). */
export function fillStatus(value: Record<string, unknown>, resultType: unknown, resultDescription: unknown): void {
  const code = typeof resultType === 'number' && Number.isInteger(resultType) ? resultType : typeof resultType === 'string' && /^\s*\d+\s*$/.test(resultType) ? Number(resultType) : undefined;
  const reason = nonEmpty(resultDescription) ? resultDescription : undefined;
  if (code === undefined && reason === undefined) return;
  const status = isPlainObject(value['status']) ? { ...value['status'] } : {};
  let changed = false;
  if (code !== undefined && isEmptyValue(status['errorCode'])) {
    status['errorCode'] = code;
    changed = true;
  }
  if (reason !== undefined && isEmptyValue(status['failureReason']) && code !== 0) {
    status['failureReason'] = reason;
    changed = true;
  }
  if (changed) value['status'] = status;
}

/**
 * The item for one Azure Monitor record found in `item` (the record itself, or a vendor's wrapper
 * of it): the sign-in reading, with `source` (the record as it was written) kept as the raw event.
 */
export function azureMonitorItem(rec: unknown, item: RawRecord, source: string, reasonPrefix = ''): RawItem {
  const r = readAzureMonitorRecord(rec);
  if (typeof r === 'string') return problemOf(item, reasonPrefix + r);
  return {
    kind: 'raw',
    value: r.value,
    text: source,
    line: item.line,
    offset: item.offset,
    envelope: r.tenantId ? { ...item.envelope, tenantId: r.tenantId } : item.envelope,
    source,
    ...(r.observedAt ? { observedAt: r.observedAt } : {}),
    formatEncoded: true,
  };
}

/** Graph's own signIn shape (an `id`, no envelope): mixed into some Azure Monitor streams. */
function isGraphRecord(v: unknown): boolean {
  return isPlainObject(v) && !('properties' in v) && typeof v['id'] === 'string' && 'createdDateTime' in v;
}

/**
 * Reads Azure Monitor records: one a line (storage blobs), Event Hub batches, arrays. A Graph
 * signIn record among them is taken as Graph JSON.
 */
export function readAzureMonitor(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  return mapJsonRecords(chunks, input.name, (item) => (isGraphRecord(item.value) ? item : azureMonitorItem(item.value, item, item.text)));
}
