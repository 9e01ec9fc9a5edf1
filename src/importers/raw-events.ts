// Gatelog's own event format for identity providers (docs/events.md): NDJSON, one event per
// authentication step or status change, each a partial Graph signIn plus when it was observed.
// Events of one sign-in merge into one line item (src/aggregate/); each stays a raw event.
import { isPlainObject } from './cells.js';
import type { RawItem } from './graph-json.js';
import { mapJsonRecords, problemOf } from './json-input.js';

/** An event record: `signIn` (an object) beside `observedAt` or `eventId`. */
export function isRawEvent(v: unknown): boolean {
  return isPlainObject(v) && isPlainObject(v['signIn']) && (typeof v['observedAt'] === 'string' || typeof v['eventId'] === 'string');
}

export function readRawEvents(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  return mapJsonRecords(chunks, input.name, (item) => {
    const v = item.value;
    if (!isPlainObject(v) || !isPlainObject(v['signIn'])) return problemOf(item, 'not a Gatelog event: no "signIn" object');
    const observedAt = v['observedAt'];
    if (observedAt !== undefined && typeof observedAt !== 'string') return problemOf(item, '"observedAt" must be a date-time text');
    const eventId = v['eventId'];
    if (eventId !== undefined && (typeof eventId !== 'string' || eventId === '')) return problemOf(item, '"eventId" must be a non-empty string');
    const partial = v['partial'];
    if (partial !== undefined && !(Array.isArray(partial) && partial.every((p) => typeof p === 'string'))) {
      return problemOf(item, '"partial" must be a list of property names');
    }
    const tenantId = v['tenantId'];
    return {
      kind: 'raw',
      value: v['signIn'],
      text: item.text,
      line: item.line,
      offset: item.offset,
      envelope: typeof tenantId === 'string' ? { tenantId } : item.envelope,
      source: item.text,
      ...(typeof observedAt === 'string' ? { observedAt } : {}),
      // The event's identity: its eventId when the provider gives one (a retried event is the
      // same event), else its text.
      ...(typeof eventId === 'string' ? { identity: `eventId:${eventId}` } : {}),
      ...(Array.isArray(partial) ? { speaksFor: partial as string[] } : {}),
    };
  });
}
