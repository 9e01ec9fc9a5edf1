// Recognising an input's format from its first bytes and its name. `--format` forces one.
import { isAzureMonitorRecord } from './azure-monitor.js';
import { cleanColumnName, isPlainObject } from './cells.js';
import { headerCells } from './csv-rows.js';
import { JsonRecordSplitter } from './json-records.js';
import { isLogAnalyticsHeader, isLogAnalyticsRecord } from './log-analytics.js';
import { isPantherRecord } from './panther.js';
import { isPortalHeader } from './portal-csv.js';
import { isPortalFileName } from './portal-json.js';
import { isRawEvent } from './raw-events.js';
import { isSekoiaRecord } from './sekoia.js';

/** Every format Gatelog reads (the CLI's `--format` choices besides `auto`). */
export const FORMATS = ['graph', 'azure-monitor', 'log-analytics', 'portal-csv', 'portal-json', 'panther', 'sekoia', 'events'] as const;

export type Format = (typeof FORMATS)[number];

export type FormatChoice = Format | 'auto';

export class UnusableInputError extends Error {}

/** How many bytes of the input recognition looks at. */
export const DETECT_BYTES = 1 << 16;

const EXPECTED =
  'expected Microsoft Graph signIn JSON (an object, an array, a Graph page or NDJSON), Azure Monitor diagnostic records, ' +
  'a Log Analytics export (CSV with TimeGenerated or Id and CreatedDateTime columns, or JSON rows), ' +
  'an Entra admin-center download (CSV with "Date (UTC)" and "Request ID" columns, or JSON), ' +
  'or Gatelog events (NDJSON of {"observedAt", "signIn": {...}})';

/** The format of one parsed JSON record, or null when it says nothing (a scalar, an array). */
function formatOfRecord(v: unknown, name: string): Format | null {
  if (!isPlainObject(v)) return null;
  if (isSekoiaRecord(v)) return 'sekoia';
  if (isRawEvent(v)) return 'events';
  if (isPantherRecord(v)) return 'panther';
  if (isAzureMonitorRecord(v)) return 'azure-monitor';
  if (isLogAnalyticsRecord(v)) return 'log-analytics';
  return isPortalFileName(name) ? 'portal-json' : 'graph';
}

/** When no record is complete within the head (one very large record): look for telling keys. */
function formatOfKeys(text: string, name: string): Format {
  if (/"input"\s*:\s*\{\s*"message"\s*:\s*"/.test(text)) return 'sekoia';
  if (/"signIn"\s*:\s*\{/.test(text) && /"(observedAt|eventId)"\s*:/.test(text)) return 'events';
  if (/"ExpectedResult"\s*:/.test(text) && /"Log"\s*:\s*\{/.test(text)) return 'panther';
  if (/"p_log_type"\s*:/.test(text) && /"properties"\s*:/.test(text)) return 'panther';
  if (/"properties"\s*:\s*[{"]/.test(text) && /"(category|operationName)"\s*:/i.test(text)) return 'azure-monitor';
  if (/"TimeGenerated(\s*\[[^\]"]*\])?"\s*:/.test(text) || /"tables"\s*:\s*\[\s*\{\s*"name"/.test(text)) return 'log-analytics';
  return isPortalFileName(name) ? 'portal-json' : 'graph';
}

function formatOfJson(head: Buffer, text: string, name: string): Format {
  const splitter = new JsonRecordSplitter();
  let seen = 0;
  for (const item of splitter.push(head)) {
    if (item.kind !== 'record') continue;
    if (++seen > 8) break;
    let v: unknown;
    try {
      v = JSON.parse(item.text) as unknown;
    } catch {
      continue;
    }
    const f = formatOfRecord(v, name);
    if (f) return f;
  }
  return formatOfKeys(text, name);
}

/**
 * Picks the format of an input from its first bytes (`head`, up to DETECT_BYTES) and its name.
 * Throws UnusableInputError, saying what was expected, when the input is none of the formats
 * Gatelog reads.
 *
 * - JSON (first character `{` or `[`): the first records decide — Sekoia test cases
 *   (`input.message`), Panther test cases (`Log` + `Name`/`ExpectedResult`) or rows (`p_*`),
 *   Azure Monitor records (`properties` + `category`/`operationName`/`time`), Log Analytics rows
 *   (`TimeGenerated`, `Id` + `CreatedDateTime`, a sign-in table in `Type`, the query API's
 *   `tables`); anything else is Graph signIn JSON — or the admin center's JSON download when the
 *   file name is the portal's (`InteractiveSignIns_…`).
 * - CSV: the header decides — `Request ID` with `Date (UTC)` (or `Authentication method`) is the
 *   admin center's download; `TimeGenerated [UTC]` or `Id` with `CreatedDateTime` is Log Analytics.
 */
export function detectFormat(head: Buffer, name: string, choice: FormatChoice): Format {
  if (choice !== 'auto') return choice;
  const text = head.toString('utf8', 0, Math.min(head.length, DETECT_BYTES)).replace(/^\uFEFF/, '');
  const c = /\S/.exec(text)?.[0];
  if (c === undefined) throw new UnusableInputError(`${name}: the input is empty`);
  if (c === '{' || c === '[') return formatOfJson(head.subarray(0, DETECT_BYTES), text, name);
  const cells = headerCells(head.subarray(0, DETECT_BYTES));
  if (cells && cells.length > 1) {
    if (isPortalHeader(cells)) return 'portal-csv';
    if (isLogAnalyticsHeader(cells)) return 'log-analytics';
  }
  const firstLine = (text.trimStart().split(/\r?\n/)[0] ?? '').slice(0, 60);
  const what = cells && cells.length > 1 ? `a CSV header with columns ${cells.slice(0, 4).map((h) => JSON.stringify(cleanColumnName(h).name)).join(', ')}${cells.length > 4 ? ', …' : ''}` : `${JSON.stringify(firstLine)}`;
  throw new UnusableInputError(`${name}: not a format Gatelog reads (it starts with ${what}); ${EXPECTED}`);
}
