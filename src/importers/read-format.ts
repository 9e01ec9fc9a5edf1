// One reader per format: bytes in, batches of raw records (or problems, with their place) out.
import { readAzureMonitor } from './azure-monitor.js';
import type { Format } from './detect-format.js';
import { readGraphJson, type RawItem } from './graph-json.js';
import { ndjsonByName } from './json-input.js';
import { readLogAnalytics } from './log-analytics.js';
import { readPanther } from './panther.js';
import { readPortalCsv } from './portal-csv.js';
import { readPortalJson } from './portal-json.js';
import { readRawEvents } from './raw-events.js';
import { readSekoia } from './sekoia.js';

export type FormatReader = (chunks: AsyncIterable<Buffer>, input: { name: string }) => AsyncIterable<RawItem[]>;

const READERS: Readonly<Record<Format, FormatReader>> = {
  graph: (chunks, input) => readGraphJson(chunks, { ndjson: ndjsonByName(input.name) }),
  'azure-monitor': readAzureMonitor,
  'log-analytics': readLogAnalytics,
  'portal-csv': readPortalCsv,
  'portal-json': readPortalJson,
  panther: readPanther,
  sekoia: readSekoia,
  events: readRawEvents,
};

/** Reads `chunks` (decompressed bytes of the input called `name`) as `format`. */
export function readFormat(format: Format, chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncIterable<RawItem[]> {
  return READERS[format](chunks, input);
}
