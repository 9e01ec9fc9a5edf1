import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, NdjsonSplitter, looksLikeNdjson, type JsonRecordItem } from './json-records.js';

/** Feeds `text` in chunks of `size` bytes (1 = byte by byte, across every boundary). */
function split(text: string, size: number, ndjson = false): JsonRecordItem[] {
  const s = ndjson ? new NdjsonSplitter() : new JsonRecordSplitter();
  const buf = Buffer.from(text);
  const out: JsonRecordItem[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(...s.push(buf.subarray(i, i + size)));
  out.push(...s.end());
  return out;
}

const recs = (items: JsonRecordItem[]) => items.filter((i) => i.kind === 'record').map((i) => (i.kind === 'record' ? JSON.parse(i.text) : null));

describe('JsonRecordSplitter', () => {
  const page = '{\n  "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",\n  "value": [\n    {"id": "a", "x": "}]\\"{["},\n    {"id": "b", "nested": {"value": [1, 2]}}\n  ],\n  "@odata.nextLink": "https://next"\n}\n';

  for (const size of [1, 3, 7, 64, 1 << 20]) {
    it(`splits a Graph page into its records (chunks of ${size} bytes)`, () => {
      const items = split(page, size);
      expect(recs(items)).toEqual([
        { id: 'a', x: '}]"{[' },
        { id: 'b', nested: { value: [1, 2] } },
      ]);
      const first = items[0];
      expect(first?.kind === 'record' && first.line).toBe(4);
      expect(first?.kind === 'record' && first.envelope?.['@odata.context']).toMatch(/signIns$/);
    });

    it(`reads several pages, arrays and single objects one after another (chunks of ${size})`, () => {
      const text = `${page}[{"id":"c"},\r\n {"id":"d"}]\n{"id":"e","value":"not an array"}\n{"records":[{"id":"f"}]}`;
      expect(recs(split(text, size)).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    });
  }

  it('gives each record its line and byte offset', () => {
    const text = '[\n{"id":"a"},\n\n  {"id":"é"},{"id":"c"}\n]';
    const items = split(text, 5).filter((i) => i.kind === 'record');
    expect(items.map((i) => (i.kind === 'record' ? [i.line, i.offset] : null))).toEqual([
      [2, 2],
      [4, 17],
      [4, 29],
    ]);
  });

  it('passes a record with a syntax error inside on to the parser, keeping the records around it', () => {
    const text = '[{"id":"a"},{"id":"b", "p": [1,2,],},{"id":"c"}]';
    const items = split(text, 4);
    expect(items.filter((i) => i.kind === 'record').map((i) => i.kind === 'record' && i.text)).toEqual(['{"id":"a"}', '{"id":"b", "p": [1,2,],}', '{"id":"c"}']);
  });

  it('reports a trailing comma between records, and a truncated input', () => {
    const items = split('[{"id":"a"},\n]', 2);
    expect(items.find((i) => i.kind === 'problem')).toMatchObject({ line: 2, reason: 'trailing comma before "]"' });
    const cut = split('[{"id":"a"},{"id":"b"', 3);
    expect(recs(cut)).toEqual([{ id: 'a' }]);
    expect(cut.at(-1)).toMatchObject({ kind: 'problem', reason: expect.stringMatching(/ends inside an unfinished JSON value/) });
  });

  it('skips a byte order mark', () => {
    expect(recs(split('\uFEFF{"id":"a"}', 1))).toEqual([{ id: 'a' }]);
  });
});

describe('NdjsonSplitter', () => {
  it('yields one record a line with its line number, skipping blank lines and CRs', () => {
    const text = '{"id":"a"}\r\n\n{"id":"b"}\n{broken\n{"id":"c"}';
    for (const size of [1, 5, 100]) {
      const items = split(text, size, true);
      expect(items.map((i) => (i.kind === 'record' ? [i.line, i.text] : null))).toEqual([
        [1, '{"id":"a"}'],
        [3, '{"id":"b"}'],
        [4, '{broken'],
        [5, '{"id":"c"}'],
      ]);
    }
  });
});

describe('looksLikeNdjson', () => {
  it('tells NDJSON from pretty-printed JSON', () => {
    expect(looksLikeNdjson(Buffer.from('{"id":"a"}\n{"id":"b"}\n'))).toBe(true);
    expect(looksLikeNdjson(Buffer.from('{not json\n{"id":"b"}\n'))).toBe(true);
    expect(looksLikeNdjson(Buffer.from('{\n  "value": []\n}'))).toBe(false);
    expect(looksLikeNdjson(Buffer.from('[{"id":"a"}]'))).toBe(false);
  });
});
