// Raw record → canonical sign-in. Every known property is typed; every value that does not fit its
// type is kept as it came (in the extra overlay), so nothing the source said is lost.
import { canonicalEnum, unknownMember } from '../model/enums.js';
import { escapeToken } from '../model/json-pointer.js';
import { SIGN_IN_FIELDS, type EnumSpec, type Field } from '../model/schema.js';
import type { Extra, SignInRecord } from '../model/sign-in.js';
import { formatDateTime, parseDateTime } from '../model/time.js';
import { RejectError } from './reject.js';

export interface NormalizedSignIn {
  record: SignInRecord;
  extra: Extra | null;
  /**
   * True when the input already was a canonical record (every property known, every value of its
   * type, enums and times spelled canonically): `record` is then the input object itself, and the
   * input text can be stored as it is.
   */
  canonical: boolean;
}

/**
 * How a record's values are spelled.
 *
 * Graph JSON (the default) is the canonical form itself, so any difference from a canonical value
 * is worth keeping as an original (`extra.o`). Other formats write values their own way — Azure
 * Monitor writes conditional-access conditions as numbers and times with `+00:00`, Log Analytics
 * and CSV files write every number and boolean as text, the admin center writes display names
 * ("Primary Refresh Token"). An importer that keeps the source row as the raw event says
 * `formatEncoded: true`: normalization then types such values without recording them as
 * originals, because the row it came from is kept. Differences that lose information the typed
 * field cannot hold are still kept: a value outside its enum (typed `unknownFutureValue`), a value
 * that cannot be typed at all, and properties the schema does not know.
 */
export interface NormalizeOptions {
  formatEncoded?: boolean;
}

interface Ctx {
  u: Record<string, unknown> | null;
  o: Record<string, unknown> | null;
  /** The format's own spelling of a value is not an original (see NormalizeOptions). */
  encoded: boolean;
}

const fieldMaps = new WeakMap<readonly Field[], Map<string, Field>>();

function fieldMap(fields: readonly Field[]): Map<string, Field> {
  let m = fieldMaps.get(fields);
  if (!m) {
    m = new Map(fields.map((f) => [f.name, f]));
    fieldMaps.set(fields, m);
  }
  return m;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A place in the record: the parent's pointer and this value's key, joined only when needed. */
interface Place {
  parent: string;
  key: string | number;
}

function pointer(place: Place): string {
  return `${place.parent}/${typeof place.key === 'number' ? place.key : escapeToken(place.key)}`;
}

function keepOriginal(ctx: Ctx, place: Place, value: unknown): void {
  (ctx.o ??= {})[pointer(place)] = value;
}

/** A value written the format's own way: kept as an original only for Graph JSON. */
function keepSpelling(ctx: Ctx, place: Place, value: unknown): void {
  if (!ctx.encoded) keepOriginal(ctx, place, value);
}

/** Did an enum input name members of the schema (and not fall outside it)? */
function namesMembers(spec: EnumSpec, input: string | number, canonical: string | null): boolean {
  if (canonical === null) return true;
  const unknown = unknownMember(spec);
  if (!canonical.split(',').includes(unknown)) return true;
  return typeof input === 'string' && input.replace(/[\s_-]+/g, '').toLowerCase() === unknown.toLowerCase();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function normScalarOrEnum(field: Field, v: unknown, ptr: Place, ctx: Ctx): unknown {
  const t = field.type;
  switch (t.kind) {
    case 'scalar':
      switch (t.scalar) {
        case 'string':
          if (typeof v === 'string') return v;
          if (typeof v === 'number' || typeof v === 'boolean') {
            keepSpelling(ctx, ptr, v);
            return String(v);
          }
          keepOriginal(ctx, ptr, v);
          return null;
        case 'int32': {
          if (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return v;
          if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) {
            const n = Number(v);
            if (n >= INT32_MIN && n <= INT32_MAX) {
              keepSpelling(ctx, ptr, v);
              return n;
            }
          }
          keepOriginal(ctx, ptr, v);
          return null;
        }
        case 'double':
          if (typeof v === 'number') return v;
          if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
            keepSpelling(ctx, ptr, v);
            return Number(v);
          }
          keepOriginal(ctx, ptr, v);
          return null;
        case 'boolean':
          if (typeof v === 'boolean') return v;
          if (typeof v === 'string') {
            const s = v.trim().toLowerCase();
            if (s === 'true' || s === 'false') {
              keepSpelling(ctx, ptr, v);
              return s === 'true';
            }
          }
          keepOriginal(ctx, ptr, v);
          return null;
        case 'datetime': {
          if (typeof v === 'string') {
            const ns = parseDateTime(v);
            if (ns !== null) {
              const canonical = formatDateTime(ns);
              if (canonical !== v) keepSpelling(ctx, ptr, v);
              return canonical;
            }
          }
          keepOriginal(ctx, ptr, v);
          return null;
        }
      }
      break;
    case 'enum': {
      if (typeof v === 'string' || typeof v === 'number') {
        const c = canonicalEnum(t.enum, v);
        if (c !== v) {
          if (namesMembers(t.enum, v, c)) keepSpelling(ctx, ptr, v);
          else keepOriginal(ctx, ptr, v);
        }
        return c;
      }
      keepOriginal(ctx, ptr, v);
      return null;
    }
    case 'json':
      return v;
    case 'complex':
      if (isPlainObject(v)) return normObject(v, t.fields, pointer(ptr), ctx);
      keepOriginal(ctx, ptr, v);
      return null;
  }
  return null;
}

function normField(field: Field, v: unknown, ptr: Place, ctx: Ctx): unknown {
  if (!field.collection) return normScalarOrEnum(field, v, ptr, ctx);
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    const parent = pointer(ptr);
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      out[i] = item === null || item === undefined ? null : normScalarOrEnum(field, item, { parent, key: i }, ctx);
    }
    return out;
  }
  // A single value where a collection belongs: typed as a one-item list, the original kept.
  const probe: Ctx = { u: null, o: null, encoded: ctx.encoded };
  const item = normScalarOrEnum(field, v, ptr, probe);
  if (item === null || probe.u || probe.o) keepOriginal(ctx, ptr, v);
  else keepSpelling(ctx, ptr, v);
  return item === null ? null : [item];
}

function normObject(raw: Record<string, unknown>, fields: readonly Field[], ptr: string, ctx: Ctx): Record<string, unknown> {
  const map = fieldMap(fields);
  const out: Record<string, unknown> = {};
  for (const key in raw) {
    const v = raw[key];
    const field = map.get(key);
    if (field === undefined) {
      (ctx.u ??= {})[`${ptr}/${escapeToken(key)}`] = v;
      continue;
    }
    if (v === null || v === undefined) continue;
    const n = normField(field, v, { parent: ptr, key }, ctx);
    if (n !== null) out[key] = n;
  }
  return out;
}

/**
 * Makes a canonical sign-in of one raw Graph-shaped record.
 * Throws RejectError when the record cannot be a sign-in: not an object, no `id`, or no usable
 * `createdDateTime` (the store orders and keys line items by both).
 */
export function normalizeSignIn(raw: unknown, options: NormalizeOptions = {}): NormalizedSignIn {
  if (!isPlainObject(raw)) {
    throw new RejectError(`not a JSON object (got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw})`);
  }
  const id = raw['id'];
  if (id === undefined || id === null || id === '') throw new RejectError('no id: a sign-in needs a non-empty "id"');
  if (typeof id !== 'string') throw new RejectError(`"id" must be a string, got ${JSON.stringify(id)}`);
  const created = raw['createdDateTime'];
  if (created === undefined || created === null || created === '') {
    throw new RejectError('no createdDateTime: a sign-in needs the time it happened');
  }
  if (typeof created !== 'string' || parseDateTime(created) === null) {
    throw new RejectError(`bad createdDateTime ${JSON.stringify(created)}: not an ISO 8601 date-time`);
  }
  if (isCanonicalObject(raw, SIGN_IN_FIELDS)) return { record: raw as SignInRecord, extra: null, canonical: true };
  const ctx: Ctx = { u: null, o: null, encoded: options.formatEncoded === true };
  const record = normObject(raw, SIGN_IN_FIELDS, '', ctx) as SignInRecord;
  const extra: Extra | null = ctx.u || ctx.o ? {} : null;
  if (extra && ctx.u) extra.u = ctx.u;
  if (extra && ctx.o) extra.o = ctx.o;
  // With the format's spellings dropped, no overlay does not mean the input was canonical.
  return { record, extra, canonical: extra === null && !ctx.encoded };
}

// The fast path: most records from Graph are canonical already. Checking costs far less than
// rebuilding them, and a canonical record's text can be stored as it came.

const CANONICAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{0,8}[1-9])?Z$/;

function isCanonicalTime(v: string): boolean {
  const m = CANONICAL_TIME.exec(v);
  if (!m) return false;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (d <= 28) return true;
  return parseDateTime(v) !== null;
}

const memberSets = new WeakMap<object, Set<string>>();
const memberOrders = new WeakMap<object, Map<string, number>>();

function memberOrder(spec: { members: readonly string[] }): Map<string, number> {
  let m = memberOrders.get(spec);
  if (!m) {
    m = new Map(spec.members.map((x, i) => [x, i]));
    memberOrders.set(spec, m);
  }
  return m;
}

function memberSet(spec: { members: readonly string[] }): Set<string> {
  let s = memberSets.get(spec);
  if (!s) {
    s = new Set(spec.members);
    memberSets.set(spec, s);
  }
  return s;
}

function isCanonicalValue(field: Field, v: unknown): boolean {
  const t = field.type;
  switch (t.kind) {
    case 'scalar':
      switch (t.scalar) {
        case 'string':
          return typeof v === 'string';
        case 'int32':
          return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
        case 'double':
          return typeof v === 'number';
        case 'boolean':
          return typeof v === 'boolean';
        case 'datetime':
          return typeof v === 'string' && isCanonicalTime(v);
      }
      return false;
    case 'enum': {
      if (typeof v !== 'string') return false;
      const set = memberSet(t.enum);
      if (set.has(v)) return true;
      if (!t.enum.flags || !v.includes(',')) return false;
      // Canonical flags list the members once each, in the schema's order.
      const parts = v.split(',');
      const order = memberOrder(t.enum);
      for (let i = 0; i < parts.length; i++) {
        const at = order.get(parts[i] as string);
        if (at === undefined || (i > 0 && at <= (order.get(parts[i - 1] as string) as number))) return false;
      }
      return true;
    }
    case 'json':
      return true;
    case 'complex':
      return isPlainObject(v) && isCanonicalObject(v, t.fields);
  }
}

function isCanonicalObject(raw: Record<string, unknown>, fields: readonly Field[]): boolean {
  const map = fieldMap(fields);
  for (const key in raw) {
    const field = map.get(key);
    if (field === undefined) return false;
    const v = raw[key];
    if (v === null) continue;
    if (field.collection) {
      if (!Array.isArray(v)) return false;
      for (const item of v) if (item !== null && !isCanonicalValue(field, item)) return false;
    } else if (!isCanonicalValue(field, v)) {
      return false;
    }
  }
  return true;
}
