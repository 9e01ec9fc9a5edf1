// Finds where and why a JSON text is invalid, for reject messages. Only called on text that
// JSON.parse already refused, so it favours clear messages over speed.

export interface JsonErrorPlace {
  /** 0-based character index of the problem in the text. */
  index: number;
  /** 1-based line and column of the problem within the text. */
  line: number;
  column: number;
  reason: string;
}

class Fail extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const describe = (c: string | undefined): string => (c === undefined ? 'end of input' : JSON.stringify(c));

/** Locates the first syntax error in `text`, or returns null when the text is valid JSON. */
export function locateJsonError(text: string): JsonErrorPlace | null {
  let i = 0;
  let depth = 0;
  const enter = (): void => {
    if (++depth > 512) throw new Fail(i, 'nested more than 512 levels deep');
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    throw new Fail(i, `expected a value, found ${describe(c)}`);
  };
  const object = (): void => {
    enter();
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      depth--;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === '}') throw new Fail(i, 'trailing comma before "}"');
      if (text[i] !== '"') throw new Fail(i, `expected a property name in double quotes, found ${describe(text[i])}`);
      string();
      ws();
      if (text[i] !== ':') throw new Fail(i, `expected ":" after a property name, found ${describe(text[i])}`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
 if (text[i] === '}') {
        i++;
        depth--;
        return;
      }
      throw new Fail(i, `expected "," or "}" in an object, found ${describe(text[i])}`);
    }
  };
  const array = (): void => {
    enter();
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      depth--;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === ']') throw new Fail(i, 'trailing comma before "]"');
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        depth--;
        return;
      }
      throw new Fail(i, `expected "," or "]" in an array, found ${describe(text[i])}`);
    }
  };
  const string = (): void => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, 'bad \\u escape in a string');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Fail(i, `bad escape ${describe('\\' + (e ?? ''))} in a string`);
        i += 2;
        continue;
      }
      if (c < 0x20) throw new Fail(i, c === 0x0a ? 'line break inside a string (unterminated string?)' : 'control character inside a string');
      i++;
    }
    throw new Fail(start, 'unterminated string');
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) throw new Fail(i, 'bad number');
    i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Fail(i, `unexpected ${describe(text[i])} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const before = text.slice(0, e.index);
    const line = before.split('\n').length;
    const column = e.index - before.lastIndexOf('\n');
    return { index: e.index, line, column, reason: e.reason };
  }
}
