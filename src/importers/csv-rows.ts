// CSV rows streamed from the input with csv-parse (quoting, doubled quotes, multi-line cells,
// byte order marks, CRLF), each with its line and byte offset; a row csv-parse cannot read
// becomes a problem with its place, and the rows around it still come.
import { Readable } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import type { RawProblem } from './graph-json.js';

export interface CsvRow {
  kind: 'row';
  cells: string[];
  /** 1-based line of the row's first character. */
  line: number;
  /** 0-based byte offset of the row's first byte. */
  offset: number;
  /** The row as it was written (without its line break). */
  text: string;
}

export type CsvItem = CsvRow | RawProblem;

/** Largest row taken (csv-parse's guard against a wrong delimiter; real rows are tens of KB). */
const MAX_ROW_CHARS = 16 << 20;
const BATCH = 500;

interface Parsed {
  record: string[];
  raw: string;
  info: Info;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** What is wrong with a row csv-parse could not read, in words (its own message names its line). */
function csvProblem(err: CsvError | undefined): string {
  switch (err?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unreadable CSV: a quoted cell is not closed before the end of the input (the rest of the input was read as that cell)';
    case 'INVALID_OPENING_QUOTE':
      return 'unreadable CSV row: a quote inside a cell that is not quoted';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'unreadable CSV row: characters after the closing quote of a cell';
    case 'CSV_MAX_RECORD_SIZE':
      return `unreadable CSV row: longer than ${MAX_ROW_CHARS} characters`;
    default:
      return `unreadable CSV row: ${(err?.message ?? 'bad row').replace(/ at line \d+\.?$/, '')}`;
  }
}

/** Reads CSV rows (the header row too: it is the first row) in batches, in input order. */
export async function* readCsvRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<CsvItem[]> {
  // Rows csv-parse skips are reported while it parses, ahead of rows not yet taken from it: they
  // wait here until the rows before them are out.
  const pending: RawProblem[] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    // A stray quote inside a cell (`ab"c`, `"ab"c`) is kept as text rather than failing the row
    // and, with it, the rows after it.
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: MAX_ROW_CHARS,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      // The row's first line: the parser is on its last one (past its line break, if any).
      const text = (raw ?? '').replace(/^[\r\n]+/, '');
      const line = Math.max(1, parser.info.lines - countNewlines(text));
      // Its byte offset is set when it is handed on: the end of the row before it.
      pending.push({ kind: 'problem', line, offset: 0, reason: csvProblem(err), raw: text.replace(/\r?\n$/, '') });
      return undefined;
    },
  });
  const source = Readable.from(chunks);
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  let batch: CsvItem[] = [];
  let lastEnd = 0;
  const handOn = (problem: RawProblem): void => {
    batch.push({ ...problem, offset: lastEnd });
  };
  for await (const p of parser as AsyncIterable<Parsed>) {
    // The raw text may start with the previous row's line feed and blank lines; after the text
    // comes this row's line break (or the end of the input).
    const lead = /^[\r\n]*/.exec(p.raw)?.[0] ?? '';
    const text = p.raw.slice(lead.length).replace(/(\r\n|\r|\n)$/, '');
    const line = p.info.lines - countNewlines(text);
    while (pending.length > 0 && (pending[0] as RawProblem).line < line) handOn(pending.shift() as RawProblem);
    const broken = p.raw.length > lead.length + text.length;
    const delimiter = broken ? (parser.options.record_delimiter[0]?.length ?? 1) : 0;
    const offset = Math.max(0, p.info.bytes - delimiter - Buffer.byteLength(text));
    batch.push({ kind: 'row', cells: p.record, line, offset, text });
    lastEnd = p.info.bytes;
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  pending.forEach(handOn);
  if (batch.length) yield batch;
}

/**
 * The cells of the first row of `head` (a CSV header), or null when the head is empty. For
 * recognising a format from its first bytes.
 */
export function headerCells(head: Buffer): string[] | null {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  // Skip blank lines before the header.
  while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      cells.push(cell);
      return cells;
    } else cell += c;
  }
  // No line break in the head: the whole head is (part of) the first line.
  if (cell !== '' || cells.length > 0) cells.push(cell);
  return cells.length > 0 ? cells : null;
}
