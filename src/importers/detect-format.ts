// Recognising an input's format from its first bytes (and its name, as a hint).

export const FORMATS = ['graph'] as const;
export type Format = (typeof FORMATS)[number];
export type FormatChoice = Format | 'auto';

export class UnusableInputError extends Error {}

/** The first non-blank character of the head, skipping a byte order mark. */
function firstChar(head: Buffer): string | undefined {
  const text = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\uFEFF/, '');
  return /\S/.exec(text)?.[0];
}

/**
 * Picks the format of an input. Throws UnusableInputError, saying why, when the input is none of
 * the formats Gatelog reads.
 */
export function detectFormat(head: Buffer, name: string, choice: FormatChoice): Format {
  if (choice !== 'auto') return choice;
  const c = firstChar(head);
  if (c === undefined) throw new UnusableInputError(`${name}: the input is empty`);
  if (c === '{' || c === '[') return 'graph';
  throw new UnusableInputError(
    `${name}: not a format Gatelog reads (it starts with ${JSON.stringify(c)}); expected Microsoft Graph signIn JSON: an object, an array, a Graph page or NDJSON`,
  );
}
