// Log Analytics exports of the four sign-in tables (SigninLogs, AADNonInteractiveUserSignInLogs,
// AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs): the portal's CSV export
// (`TimeGenerated [UTC]` headers, `9/19/2023, 1:45:17.287 PM` times, nested values as JSON text),
// and JSON as tools write it (an array or NDJSON of row objects — `az monitor log-analytics query`,
// pandas `to_json(orient="records")` — or the query API's `{"tables": [{columns, rows}]}`).
//
// Columns map to Graph signIn properties by name (case-insensitively: `DeviceDetail` →
// `deviceDetail`), with the renames below; JSON held in a text cell is parsed; a `*_dynamic`
// column wins over its text twin. Columns of the Log Analytics record around the sign-in
// (`TimeGenerated`, `TenantId` — the workspace —, `Category`, `Type`, `_BilledSize`, ...) stay in
// the raw row only; other columns without a Graph property are kept as unknown properties. The
// row is kept as the raw event, so Log Analytics' spellings (numbers and booleans as text, numeric
// flags) are not kept as originals (`formatEncoded`).
import { signInField, SIGN_IN_FIELDS, type Field } from '../model/schema.js';
import { eventTypeOfCategory, fillStatus, interactiveOf } from './azure-monitor.js';
import { cleanColumnName, isEmptyCell, isPlainObject, parseExportTime, parseJsonCell, type ColumnZone } from './cells.js';
import { readCsvRows } from './csv-rows.js';
import type { RawItem, RawRecord } from './graph-json.js';
import { mapJsonRecords, problemOf } from './json-input.js';

/** The sign-in tables and the `signInEventTypes` member each holds. */
export const SIGN_IN_TABLES: Readonly<Record<string, string>> = {
  SigninLogs: 'interactiveUser',
  AADNonInteractiveUserSignInLogs: 'nonInteractiveUser',
  AADServicePrincipalSignInLogs: 'servicePrincipal',
  AADManagedIdentitySignInLogs: 'managedIdentity',
};

const TABLE_BY_LOWER = new Map(Object.entries(SIGN_IN_TABLES).map(([k, v]) => [k.toLowerCase(), v]));

/** The event type of the table a file name names (longest table name first: `signinlogs` is inside the others). */
export function eventTypeFromTableName(name: string): string | undefined {
  const base = (name.split(/[\\/]/).pop() ?? name).toLowerCase();
  for (const t of Object.keys(SIGN_IN_TABLES).sort((a, b) => b.length - a.length)) if (base.includes(t.toLowerCase())) return SIGN_IN_TABLES[t];
  return undefined;
}

/** Columns whose Graph property has another name; `rank` orders two columns of one property. */
const RENAMED: Readonly<Record<string, { to: string; rank: number }>> = {
  ConditionalAccessPolicies: { to: 'appliedConditionalAccessPolicies', rank: 2 },
  AppliedConditionalAccessPolicies: { to: 'appliedConditionalAccessPolicies', rank: 1 },
  LocationDetails: { to: 'location', rank: 1 },
  ResourceIdentity: { to: 'resourceId', rank: 2 },
  ProcessingTimeInMs: { to: 'processingTimeInMilliseconds', rank: 1 },
};

/**
 * Columns of the Log Analytics record around the sign-in, kept in the raw row only (some fill
 * gaps: `ResultType` → `status.errorCode`, `ResultDescription` → `status.failureReason`,
 * `Location` → `location.countryOrRegion`, `AADTenantId` → the log tenant, `TimeGenerated` → the
 * observed time). `TenantId` is the workspace, not the Entra tenant. `ResourceId` is the Azure
 * resource path (`/tenants/…/providers/Microsoft.aadiam`), not Graph's `resourceId`.
 */
const ENVELOPE = new Set([
  'TenantId', 'AADTenantId', 'SourceSystem', 'TimeGenerated', 'OperationName', 'OperationVersion', 'Category', 'ResultType', 'ResultSignature',
  'ResultDescription', 'DurationMs', 'Resource', 'ResourceGroup', 'ResourceProvider', 'ResourceId', 'Identity', 'Level', 'Location', 'Type',
]);

/** Columns without a Graph property whose Azure Monitor / legacy Graph name is known. */
const UNKNOWN_NAMES: Readonly<Record<string, string>> = {
  AlternateSignInName: 'alternateSignInName',
  IsRisky: 'isRisky',
  RiskLevel: 'riskLevel',
};

const EVENT_TYPES = new Set(['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity']);

const FIELD_BY_LOWER = new Map(SIGN_IN_FIELDS.map((f) => [f.name.toLowerCase(), f]));

export interface LogAnalyticsReading {
  value: Record<string, unknown>;
  tenantId?: string;
  observedAt?: string;
}

/** A row keyed by cleaned column names, with each column's time zone. */
export interface LogAnalyticsRow {
  cells: Record<string, unknown>;
  zones: Readonly<Record<string, ColumnZone | undefined>>;
}

/** A cell as the Graph field's value: JSON text parsed for nested values, lists split, times read. */
function cellValue(field: Field, raw: unknown, zone: ColumnZone | undefined): unknown {
  if (typeof raw !== 'string') return raw;
  const t = field.type;
  if (field.collection && t.kind !== 'complex' && t.kind !== 'json') {
    const parsed = parseJsonCell(raw);
    if (parsed !== raw) return parsed;
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (t.kind === 'complex' || t.kind === 'json') return parseJsonCell(raw);
  if (t.kind === 'scalar' && t.scalar === 'datetime') return parseExportTime(raw, zone) ?? raw;
  return raw;
}

function tenantOfResourcePath(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return /\/tenants\/([^/]+)\//i.exec(v)?.[1];
}

/**
 * Reads one Log Analytics row as a Graph-shaped sign-in, or says why it is not one.
 * `fileTable` is the event type the file name implies, used when the row has no `Type` or
 * `Category` column.
 */
export function readLogAnalyticsRow(row: LogAnalyticsRow, fileEventType?: string): LogAnalyticsReading | string {
  const { cells, zones } = row;
  const value: Record<string, unknown> = {};
  const rank = new Map<string, number>();
  let eventTypesCell: unknown;
  for (const [col, raw] of Object.entries(cells)) {
    if (isEmptyCell(raw)) continue;
    let name = col;
    let bonus = 0;
    if (/_dynamic$/i.test(col)) {
      name = col.slice(0, -'_dynamic'.length);
      bonus = 10;
    }
    if (name.startsWith('_')) continue;
    let target: string | undefined;
    let r = 1;
    if (name === 'ResourceId' && typeof raw === 'string' && !raw.trim().startsWith('/')) {
      target = 'resourceId';
      r = 0;
    } else if (ENVELOPE.has(name)) {
      continue;
    } else if (name.toLowerCase() === 'signineventtypes') {
      eventTypesCell = typeof raw === 'string' ? parseJsonCell(raw) : raw;
      continue;
    } else if (name in RENAMED) {
      const renamed = RENAMED[name] as { to: string; rank: number };
      target = renamed.to;
      r = renamed.rank;
    } else {
      target = FIELD_BY_LOWER.get(name.toLowerCase())?.name;
    }
    if (target === undefined) {
      // No Graph property: an unknown property of the record, under its column's name.
      const key = UNKNOWN_NAMES[name] ?? name;
      if (!(key in value)) value[key] = typeof raw === 'string' ? parseJsonCell(raw) : raw;
      continue;
    }
    r += bonus;
    if ((rank.get(target) ?? -1) >= r) continue;
    const field = signInField(target) as Field;
    if (target === 'createdDateTime' && zones[col] === 'local') {
      return `${col} is in the exporting browser's local time, whose zone the file does not say; export with the display time zone set to UTC`;
    }
    rank.set(target, r);
    value[target] = cellValue(field, raw, zones[col]);
  }
  fillStatus(value, cells['ResultType'], cells['ResultDescription']);
  const location = cells['Location'];
  if (!isPlainObject(value['location']) && typeof location === 'string' && /^[A-Za-z]{2}$/.test(location.trim())) value['location'] = { countryOrRegion: location.trim() };

  const type = cells['Type'];
  let eventType: string | undefined;
  if (typeof type === 'string' && type.trim() !== '') {
    eventType = TABLE_BY_LOWER.get(type.trim().toLowerCase());
    if (eventType === undefined) return `table ${JSON.stringify(type)} is not a sign-in log table (expected one of ${Object.keys(SIGN_IN_TABLES).join(', ')})`;
  }
  const category = cells['Category'];
  if (eventType === undefined && typeof category === 'string' && category.trim() !== '') eventType = eventTypeOfCategory(category);
  eventType ??= fileEventType;
  if (eventTypesCell !== undefined) {
    const list = Array.isArray(eventTypesCell) ? eventTypesCell : [eventTypesCell];
    if (list.some((x) => typeof x === 'string' && EVENT_TYPES.has(x))) value['signInEventTypes'] = list;
    else value['SignInEventTypes'] = eventTypesCell;
  }
  if (eventType !== undefined) {
    if (value['signInEventTypes'] === undefined) value['signInEventTypes'] = [eventType];
    const interactive = interactiveOf(eventType);
    if (interactive !== undefined && value['isInteractive'] === undefined) value['isInteractive'] = interactive;
  }

  const aad = cells['AADTenantId'];
  const tenantId = typeof aad === 'string' && aad.trim() !== '' ? aad.trim() : (tenantOfResourcePath(cells['ResourceId']) ?? tenantOfResourcePath(cells['_ResourceId']));
  const generated = cells['TimeGenerated'];
  const observedAt = typeof generated === 'string' ? parseExportTime(generated, zones['TimeGenerated']) : null;
  return { value, ...(tenantId ? { tenantId } : {}), ...(observedAt ? { observedAt } : {}) };
}

function toItem(reading: LogAnalyticsReading | string, at: { line: number; offset: number; text: string; envelope: Record<string, unknown> | null }, source: unknown): RawItem {
  if (typeof reading === 'string') return { kind: 'problem', line: at.line, offset: at.offset, reason: reading, raw: at.text };
  return {
    kind: 'raw',
    value: reading.value,
    text: at.text,
    line: at.line,
    offset: at.offset,
    envelope: reading.tenantId ? { ...at.envelope, tenantId: reading.tenantId } : at.envelope,
    source,
    ...(reading.observedAt ? { observedAt: reading.observedAt } : {}),
    formatEncoded: true,
  };
}

/** Cleans an object row's keys (`TimeGenerated [UTC]` → `TimeGenerated`). */
function rowOfObject(obj: Record<string, unknown>): LogAnalyticsRow {
  const cells: Record<string, unknown> = {};
  const zones: Record<string, ColumnZone | undefined> = {};
  for (const [k, v] of Object.entries(obj)) {
    const c = cleanColumnName(k);
    if (c.name in cells) continue;
    cells[c.name] = v;
    if (c.zone) zones[c.name] = c.zone;
  }
  return { cells, zones };
}

/** The query API's answer: `{"tables": [{"name", "columns": [{"name", "type"}], "rows": [[...]]}]}`. */
function isQueryResponse(v: unknown): v is { tables: { columns: { name: string }[]; rows: unknown[][] }[] } {
  return isPlainObject(v) && Array.isArray(v['tables']) && v['tables'].every((t) => isPlainObject(t) && Array.isArray(t['columns']) && Array.isArray(t['rows']));
}

/** Does the value look like a Log Analytics row (PascalCase table columns) or the query API's answer? */
export function isLogAnalyticsRecord(v: unknown): boolean {
  if (isQueryResponse(v)) return true;
  if (!isPlainObject(v)) return false;
  const keys = new Set(Object.keys(v).map((k) => cleanColumnName(k).name));
  return keys.has('TimeGenerated') || (keys.has('Id') && keys.has('CreatedDateTime')) || (typeof v['Type'] === 'string' && TABLE_BY_LOWER.has(v['Type'].toLowerCase()));
}

/** Is this CSV header a Log Analytics export's (`TimeGenerated [UTC]`, or `Id` with `CreatedDateTime`)? */
export function isLogAnalyticsHeader(cells: readonly string[]): boolean {
  const names = new Set(cells.map((c) => cleanColumnName(c).name));
  return names.has('TimeGenerated') || (names.has('Id') && names.has('CreatedDateTime')) || (names.has('AADTenantId') && names.has('Id'));
}

function jsonItems(item: RawRecord, fileEventType: string | undefined): RawItem | RawItem[] {
  const v = item.value;
  if (isQueryResponse(v)) {
    const out: RawItem[] = [];
    for (const table of v.tables) {
      const names = table.columns.map((c) => (isPlainObject(c) && typeof c.name === 'string' ? c.name : ''));
      for (const r of table.rows) {
        if (!Array.isArray(r)) continue;
        const obj: Record<string, unknown> = {};
        names.forEach((n, i) => {
          if (n !== '') obj[n] = r[i];
        });
        const text = JSON.stringify(obj);
        out.push(toItem(readLogAnalyticsRow(rowOfObject(obj), fileEventType), { line: item.line, offset: item.offset, text, envelope: item.envelope }, text));
      }
    }
    return out;
  }
  if (!isPlainObject(v)) return problemOf(item, 'not a Log Analytics row (not a JSON object)');
  return toItem(readLogAnalyticsRow(rowOfObject(v), fileEventType), item, item.text);
}

/** Header cells → the source row's keys (as written; a repeated name gets ` #2`) and cleaned names. */
function columnsOf(header: readonly string[]): { keys: string[]; names: string[]; zones: Record<string, ColumnZone | undefined> } {
  const keys: string[] = [];
  const names: string[] = [];
  const zones: Record<string, ColumnZone | undefined> = {};
  const seenKeys = new Set<string>();
  const seenNames = new Set<string>();
  for (const h of header) {
    let key = h;
    for (let n = 2; seenKeys.has(key); n++) key = `${h} #${n}`;
    seenKeys.add(key);
    keys.push(key);
    const c = cleanColumnName(h);
    let name = c.name;
    for (let n = 2; seenNames.has(name); n++) name = `${c.name} #${n}`;
    seenNames.add(name);
    names.push(name);
    if (c.zone) zones[name] = c.zone;
  }
  return { keys, names, zones };
}

async function* readCsv(chunks: AsyncIterable<Buffer>, fileEventType: string | undefined): AsyncGenerator<RawItem[]> {
  let cols: ReturnType<typeof columnsOf> | null = null;
  let headerText = '';
  for await (const batch of readCsvRows(chunks)) {
    const out: RawItem[] = [];
    for (const row of batch) {
      if (row.kind === 'problem') {
        out.push(row);
        continue;
      }
      if (cols === null) {
        cols = columnsOf(row.cells);
        headerText = row.text;
        continue;
      }
      if (row.text === headerText) continue; // the header again (files joined together)
      const source: Record<string, string> = {};
      const cells: Record<string, unknown> = {};
      row.cells.forEach((cell, i) => {
        source[cols?.keys[i] ?? `#${i + 1}`] = cell;
        const name = cols?.names[i];
        if (name !== undefined) cells[name] = cell;
      });
      out.push(toItem(readLogAnalyticsRow({ cells, zones: cols.zones }, fileEventType), { ...row, envelope: null }, source));
    }
    if (out.length) yield out;
  }
}

/** Reads a Log Analytics export: CSV, or JSON (array, NDJSON, the query API's tables). */
export async function* readLogAnalytics(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  const fileEventType = eventTypeFromTableName(input.name);
  // Peek at the first byte that is not blank to tell JSON from CSV.
  const it = chunks[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let c: string | undefined;
  while (c === undefined) {
    const n = await it.next();
    if (n.done) break;
    first.push(n.value);
    c = /\S/.exec(n.value.toString('utf8').replace(/^\uFEFF/, ''))?.[0];
  }
  const all = (async function* () {
    yield* first;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  })();
  if (c === '{' || c === '[') yield* mapJsonRecords(all, input.name, (item) => jsonItems(item, fileEventType));
  else yield* readCsv(all, fileEventType);
}
