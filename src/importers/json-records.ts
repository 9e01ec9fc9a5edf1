// Splits a stream of JSON into records without holding more than one record in memory:
// NDJSON (one record a line), a top-level array, a paged envelope (`{"@odata.context", "value": [...]}`
// or `{"records": [...]}`), several such values one after another, or a single object.
// Each record comes out as its own text with its line and byte offset, so a bad record is reported
// where it is and the good ones around it still land.

export interface JsonRecordText {
  kind: 'record';
  text: string;
  /** 1-based line of the record's first character. */
  line: number;
  /** 0-based byte offset of the record's first byte. */
  offset: number;
  /** Scalar members of the enclosing envelope object (`@odata.context`, `tenantId`, ...), if any. */
  envelope: Record<string, unknown> | null;
}

export interface JsonSyntaxProblem {
  kind: 'problem';
  line: number;
  offset: number;
  reason: string;
  raw: string;
}

export type JsonRecordItem = JsonRecordText | JsonSyntaxProblem;

/** Keys of an envelope object whose array value holds the records. */
const ARRAY_KEYS = new Set(['value', 'records']);

const WS = new Uint8Array(256);
WS[0x20] = 1;
WS[0x0a] = 1;
WS[0x0d] = 1;
WS[0x09] = 1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NL = 0x0a;

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(NL, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(NL, i + 1);
  }
  return n;
}

/** Index just past the closing quote of the string starting at `start` (a quote), or -1. */
function stringEnd(buf: Buffer, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q === -1) return -1;
    let bs = 0;
    let j = q - 1;
    while (j > start && buf[j] === BACKSLASH) {
      bs++;
      j--;
    }
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/**
 * Index just past the JSON value starting at `start`, or -1 when the buffer ends first.
 * Only balances brackets and skips strings; validity is JSON.parse's job.
 */
function valueEnd(buf: Buffer, start: number, final: boolean): number {
  const c = buf[start];
  if (c === QUOTE) return stringEnd(buf, start);
  if (c !== 0x7b && c !== 0x5b) {
    // A number or a literal: up to the next delimiter.
    let i = start;
    while (i < buf.length) {
      const b = buf[i] as number;
      if (b === 0x2c || b === 0x5d || b === 0x7d || WS[b]) return i;
      i++;
    }
    return final ? i : -1;
  }
  let depth = 0;
  let i = start;
  const n = buf.length;
  while (i < n) {
    const b = buf[i] as number;
    if (b === QUOTE) {
      const e = stringEnd(buf, i);
      if (e === -1) return -1;
      i = e;
      continue;
    }
    if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

type Frame =
  | { t: 'top' }
  | { t: 'array'; state: 'first' | 'afterValue' | 'afterComma' }
  | {
      t: 'object';
      /** Undecided until a records array is found; then the object is an envelope. */
      envelope: boolean;
      start: number;
      startLine: number;
      members: Record<string, unknown>;
      state: 'first' | 'afterValue' | 'afterComma';
    };

/**
 * Streaming splitter for JSON that is not one record a line. Push chunks, then end().
 */
export class JsonRecordSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private base = 0;
  private line = 1;
  private stack: Frame[] = [{ t: 'top' }];
  private failed = false;
  private out: JsonRecordItem[] = [];

  push(chunk: Buffer): JsonRecordItem[] {
    // Keep everything from the start of an object not yet known to be an envelope: it may be a record.
    let keep = this.pos;
    for (const f of this.stack) if (f.t === 'object' && !f.envelope) keep = Math.min(keep, f.start);
    this.buf = keep === 0 ? Buffer.concat([this.buf, chunk]) : Buffer.concat([this.buf.subarray(keep), chunk]);
    this.base += keep;
    this.shiftFrames(keep);
    this.pos -= keep;
    this.run(false);
    return this.take();
  }

  end(): JsonRecordItem[] {
    this.run(true);
    if (!this.failed) {
      const frame = this.stack[this.stack.length - 1] as Frame;
      this.skipWs();
      if (frame.t !== 'top' || this.pos < this.buf.length) {
        this.fail('the input ends inside an unfinished JSON value (truncated file?)');
      }
    }
    return this.take();
  }

  private take(): JsonRecordItem[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private shiftFrames(by: number): void {
    for (const f of this.stack) if (f.t === 'object') f.start -= by;
  }

  private skipWs(): void {
    const start = this.pos;
    while (this.pos < this.buf.length && WS[this.buf[this.pos] as number]) this.pos++;
    if (this.pos > start) this.line += countNewlines(this.buf, start, this.pos);
  }

  private advanceTo(to: number): void {
    this.line += countNewlines(this.buf, this.pos, to);
    this.pos = to;
  }

  private fail(reason: string): void {
    const rest = this.buf.toString('utf8', this.pos, Math.min(this.buf.length, this.pos + 4096));
    this.out.push({ kind: 'problem', line: this.line, offset: this.base + this.pos, reason: `${reason}; the rest of the input from here was not read`, raw: rest });
    this.failed = true;
    this.pos = this.buf.length;
  }

  private emitRecord(start: number, end: number, line: number, envelope: Record<string, unknown> | null): void {
    this.out.push({ kind: 'record', text: this.buf.toString('utf8', start, end), line, offset: this.base + start, envelope });
  }

  private currentEnvelope(): Record<string, unknown> | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const f = this.stack[i] as Frame;
      if (f.t === 'object' && f.envelope) return f.members;
    }
    return null;
  }

  private run(final: boolean): void {
    while (!this.failed) {
      this.skipWs();
      if (this.pos >= this.buf.length) return;
      const frame = this.stack[this.stack.length - 1] as Frame;
      const c = this.buf[this.pos] as number;
      if (frame.t === 'top') {
        if (c === 0xef && this.buf[this.pos + 1] === 0xbb && this.buf[this.pos + 2] === 0xbf) {
          this.pos += 3; // byte order mark
          continue;
        }
        if (c === 0x5b) {
          this.pos++;
          this.stack.push({ t: 'array', state: 'first' });
        } else if (c === 0x7b) {
          this.stack.push({ t: 'object', envelope: false, start: this.pos, startLine: this.line, members: {}, state: 'first' });
          this.pos++;
        } else {
          const end = valueEnd(this.buf, this.pos, final);
          if (end === -1) return;
          // A top-level scalar is not a record; hand it on so it is rejected with its place.
          this.emitRecord(this.pos, end, this.line, null);
          this.advanceTo(end);
        }
        continue;
      }
      if (frame.t === 'array') {
        if (c === 0x5d) {
          if (frame.state === 'afterComma') {
            this.out.push({ kind: 'problem', line: this.line, offset: this.base + this.pos, reason: 'trailing comma before "]"', raw: ']' });
          }
          this.pos++;
          this.stack.pop();
          const parent = this.stack[this.stack.length - 1] as Frame;
          if (parent.t === 'object') parent.state = 'afterValue';
          continue;
        }
        if (c === 0x2c) {
          if (frame.state !== 'afterValue') {
            this.out.push({ kind: 'problem', line: this.line, offset: this.base + this.pos, reason: 'unexpected "," (missing value)', raw: ',' });
          }
          frame.state = 'afterComma';
          this.pos++;
          continue;
        }
        if (frame.state === 'afterValue') {
          this.fail(`expected "," or "]" between records, found ${JSON.stringify(String.fromCharCode(c))}`);
          return;
        }
        const end = valueEnd(this.buf, this.pos, final);
        if (end === -1) return;
        this.emitRecord(this.pos, end, this.line, this.currentEnvelope());
        this.advanceTo(end);
        frame.state = 'afterValue';
        continue;
      }
      // Object frame: read members one at a time.
      if (c === 0x7d) {
        if (frame.state === 'afterComma') {
          this.out.push({ kind: 'problem', line: this.line, offset: this.base + this.pos, reason: 'trailing comma before "}"', raw: '}' });
        }
        this.pos++;
        this.stack.pop();
        if (!frame.envelope) this.emitRecord(frame.start, this.pos, frame.startLine, this.currentEnvelope());
        const parent = this.stack[this.stack.length - 1] as Frame;
        if (parent.t !== 'top') parent.state = 'afterValue';
        continue;
      }
      if (c === 0x2c) {
        frame.state = 'afterComma';
        this.pos++;
        continue;
      }
      if (c !== QUOTE) {
        if (!frame.envelope) {
          // Not something a member can start with: let the whole object go to the record parser,
          // which reports the exact place.
          const end = valueEnd(this.buf, frame.start, final);
          if (end === -1) return;
          this.stack.pop();
          this.pos = frame.start;
          this.line = frame.startLine;
          this.emitRecord(frame.start, end, frame.startLine, this.currentEnvelope());
          this.advanceTo(end);
          continue;
        }
        this.fail(`expected a property name, found ${JSON.stringify(String.fromCharCode(c))}`);
        return;
      }
      // "key" ws : ws value
      const keyEnd = stringEnd(this.buf, this.pos);
      if (keyEnd === -1) return;
      let j = keyEnd;
      while (j < this.buf.length && WS[this.buf[j] as number]) j++;
      if (j >= this.buf.length) return;
      if (this.buf[j] !== 0x3a) {
        if (!frame.envelope) {
          const end = valueEnd(this.buf, frame.start, final);
          if (end === -1) return;
          this.stack.pop();
          this.pos = frame.start;
          this.line = frame.startLine;
          this.emitRecord(frame.start, end, frame.startLine, this.currentEnvelope());
          this.advanceTo(end);
          continue;
        }
        this.fail('expected ":" after a property name');
        return;
      }
      j++;
      while (j < this.buf.length && WS[this.buf[j] as number]) j++;
      if (j >= this.buf.length) return;
      let key: string;
      try {
        key = JSON.parse(this.buf.toString('utf8', this.pos, keyEnd)) as string;
      } catch {
        key = '';
      }
      if (ARRAY_KEYS.has(key) && this.buf[j] === 0x5b && this.stack.length <= 2) {
        frame.envelope = true;
        this.advanceTo(j + 1);
        this.stack.push({ t: 'array', state: 'first' });
        continue;
      }
      const end = valueEnd(this.buf, j, final);
      if (end === -1) return;
      if (frame.envelope || end - j < 4096) {
        const v = this.buf.toString('utf8', j, end);
        try {
          const parsed: unknown = JSON.parse(v);
          if (parsed === null || typeof parsed !== 'object') frame.members[key] = parsed;
        } catch {
          /* not an envelope member we can use; the record parser reports problems */
        }
      }
      this.advanceTo(end);
      frame.state = 'afterValue';
    }
  }
}

/**
 * Splits NDJSON: one record a line, blank lines skipped. A bad line is reported by the record
 * parser with its own line number and does not disturb the lines around it.
 */
export class NdjsonSplitter {
  private rest: Buffer = Buffer.alloc(0);
  private line = 1;
  private offset = 0;
  private bomChecked = false;

  push(chunk: Buffer): JsonRecordItem[] {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: JsonRecordItem[] = [];
    let start = 0;
    if (!this.bomChecked && buf.length >= 3) {
      this.bomChecked = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl === -1) break;
      this.emit(buf, start, nl, out);
      this.offset += nl + 1 - start;
      this.line++;
      start = nl + 1;
    }
    this.rest = buf.subarray(start);
    if (start > 0) this.rest = Buffer.from(this.rest);
    return out;
  }

  end(): JsonRecordItem[] {
    const out: JsonRecordItem[] = [];
    if (this.rest.length) this.emit(this.rest, 0, this.rest.length, out);
    this.rest = Buffer.alloc(0);
    return out;
  }

  private emit(buf: Buffer, start: number, end: number, out: JsonRecordItem[]): void {
    let e = end;
    if (e > start && buf[e - 1] === 0x0d) e--;
    let s = start;
    while (s < e && WS[buf[s] as number]) s++;
    if (s === e) return;
    out.push({ kind: 'record', text: buf.toString('utf8', s, e), line: this.line, offset: this.offset + (s - start), envelope: null });
  }
}

/**
 * Decides from the first bytes whether the input is NDJSON: its first line is a complete JSON
 * object on its own, or (when that line is broken) the next line starts another object.
 */
export function looksLikeNdjson(head: Buffer): boolean {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n').map((l) => l.trim());
  const first = lines.findIndex((l) => l !== '');
  if (first === -1) return false;
  const l0 = lines[first] as string;
  if (!l0.startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(l0);
    return typeof v === 'object' && v !== null;
  } catch {
    // A lone "{" or a line ending in an opening bracket or comma is pretty-printed JSON.
    if (/[{[,:]$/.test(l0)) return false;
    const next = lines.slice(first + 1).find((l) => l !== '');
    return next !== undefined && next.startsWith('{') && next.endsWith('}');
  }
}
