// Sekoia's intake-format tests wrap each raw event as `{"input": {"message": "<raw JSON text>"},
// "expected": {...}}`. The message is what the source sent (an Azure Monitor record, or a Graph
// signIn); `expected` is Sekoia's own parse of it, not sign-in data. The message is read as its
// own format and kept as the raw event, so the same record imported unwrapped is the same event.
import { azureMonitorItem, isAzureMonitorRecord } from './azure-monitor.js';
import { isPlainObject } from './cells.js';
import type { RawItem } from './graph-json.js';
import { locateJsonError } from './json-error.js';
import { mapJsonRecords, problemOf } from './json-input.js';

/** A Sekoia test case: `input.message` holds the raw event as text. */
export function isSekoiaRecord(v: unknown): boolean {
  return isPlainObject(v) && isPlainObject(v['input']) && typeof v['input']['message'] === 'string';
}

export function readSekoia(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  return mapJsonRecords(chunks, input.name, (item) => {
    const v = item.value;
    const message = isPlainObject(v) && isPlainObject(v['input']) ? v['input']['message'] : undefined;
    if (typeof message !== 'string') return problemOf(item, 'not a Sekoia test case: no "input.message" text holding the raw event');
    let inner: unknown;
    try {
      inner = JSON.parse(message) as unknown;
    } catch {
      const err = locateJsonError(message);
      return problemOf(item, `Sekoia input.message is not JSON${err ? `: ${err.reason} (column ${err.column})` : ''}`);
    }
    if (isAzureMonitorRecord(inner)) return azureMonitorItem(inner, item, message, 'Sekoia input.message: ');
    if (isPlainObject(inner) && 'id' in inner) {
      // A Graph signIn: taken as Graph JSON, the message being the record's text.
      return { kind: 'raw', value: inner, text: message, line: item.line, offset: item.offset, envelope: item.envelope };
    }
    return problemOf(item, 'Sekoia input.message is neither an Azure Monitor sign-in record nor a Graph signIn');
  });
}
