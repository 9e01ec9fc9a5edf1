// JSON Pointer (RFC 6901) helpers for the extra overlay of a sign-in.

export function escapeToken(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/**
 * Sets `value` at `pointer` inside `root`, creating objects (or arrays, where the next token is an
 * index) along the way. Replaces a non-container it meets on the way.
 */
export function setAtPointer(root: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return;
  let cur: Container = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i] as string;
    const nextIsIndex = /^\d+$/.test(tokens[i + 1] as string);
    const key: string | number = Array.isArray(cur) ? Number(t) : t;
    let next = (cur as Record<string | number, unknown>)[key];
    if (!isContainer(next)) {
      next = nextIsIndex ? [] : {};
      (cur as Record<string | number, unknown>)[key] = next;
    }
    cur = next as Container;
  }
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else cur[last] = value;
}

/** The value at `pointer`, or undefined. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const t of parsePointer(pointer)) {
    if (!isContainer(cur)) return undefined;
    cur = Array.isArray(cur) ? cur[Number(t)] : cur[t];
  }
  return cur;
}

/** Removes the value at `pointer`, if there is one. */
export function removeAtPointer(root: Record<string, unknown>, pointer: string): void {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) return;
  const parent = getAtPointer(root, tokens.map((t) => `/${escapeToken(t)}`).join(''));
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
}
