// The JSON formats share one reader (importers/graph-json.ts splits any JSON input into records);
// each format then maps its records to Graph-shaped ones.
import { readGraphJson, type RawItem, type RawProblem, type RawRecord } from './graph-json.js';

/** The name says the file is NDJSON (one record a line), whatever its first line looks like. */
export function ndjsonByName(name: string): true | undefined {
  return /\.(ndjson|jsonl)(\.gz)?$/i.test(name) ? true : undefined;
}

/**
 * Reads JSON records from `chunks` and maps each with `map` (a record becomes one or more items,
 * or a problem); problems of the JSON itself pass through.
 */
export async function* mapJsonRecords(chunks: AsyncIterable<Buffer>, name: string, map: (item: RawRecord) => RawItem | RawItem[]): AsyncGenerator<RawItem[]> {
  for await (const batch of readGraphJson(chunks, { ndjson: ndjsonByName(name) })) {
    const out: RawItem[] = [];
    for (const item of batch) {
      if (item.kind === 'problem') {
        out.push(item);
        continue;
      }
      const mapped = map(item);
      if (Array.isArray(mapped)) out.push(...mapped);
      else out.push(mapped);
    }
    if (out.length) yield out;
  }
}

/** A record of the input that is not a sign-in the format can give, with the reason. */
export function problemOf(item: RawRecord, reason: string): RawProblem {
  return { kind: 'problem', line: item.line, offset: item.offset, reason, raw: item.text };
}
