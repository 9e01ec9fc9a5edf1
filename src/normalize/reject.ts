// The reject record: every input that could not be taken is kept with where it was and why.

/** Where a record sits in its source. */
export interface SourcePlace {
  /** File path, `-` for standard input, or a request description for HTTP ingestion. */
  source: string;
  /** 1-based line of the record's first character, when known. */
  line?: number;
  /** 0-based byte offset of the record's first byte in the (decompressed) input. */
  offset?: number;
}

export interface Reject extends SourcePlace {
  reason: string;
  /** The raw text of the record (cut to a bounded length for very large inputs). */
  raw: string;
}

/** Thrown by normalization when a record cannot become a sign-in; the message is the reason. */
export class RejectError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RejectError';
  }
}

/** Longest raw text kept per reject; the rest is marked as cut. */
export const MAX_REJECT_RAW = 1_000_000;

export function clipRaw(raw: string): string {
  return raw.length > MAX_REJECT_RAW ? `${raw.slice(0, MAX_REJECT_RAW)}…[cut at ${MAX_REJECT_RAW} of ${raw.length} characters]` : raw;
}

/** `file:line reason` (or `file@offset`), the form `gatelog rejects` prints. */
export function formatPlace(place: SourcePlace): string {
  if (place.line !== undefined) return `${place.source}:${place.line}`;
  if (place.offset !== undefined) return `${place.source}@${place.offset}`;
  return place.source;
}
