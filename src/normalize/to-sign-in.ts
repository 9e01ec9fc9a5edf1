// Raw record → canonical sign-in. Every known property is typed; every value that does not fit its
// type is kept as it came (in the extra overlay), so nothing the source said is lost.
import { canonicalEnum } from '../model/enums.js';
import { escapeToken } from '../model/json-pointer.js';
import { SIGN_IN_FIELDS, type Field } from '../model/schema.js';
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

interface Ctx {
  u: Record<string, unknown> | null;
  o: Record<string, unknown> | null;
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
          keepOriginal(ctx, ptr, v);
          return typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
        case 'int32': {
          if (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return v;
          keepOriginal(ctx, ptr, v);
          if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) {
            const n = Number(v);
            return n >= INT32_MIN && n <= INT32_MAX ? n : null;
          }
          return null;
        }
        case 'double':
          if (typeof v === 'number') return v;
          keepOriginal(ctx, ptr, v);
          if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
          return null;
        case 'boolean':
          if (typeof v === 'boolean') return v;
          keepOriginal(ctx, ptr, v);
          if (typeof v === 'string') {
            const s = v.trim().toLowerCase();
            if (s === 'true') return true;
            if (s === 'false') return false;
          }
          return null;
        case 'datetime': {
          if (typeof v === 'string') {
            const ns = parseDateTime(v);
            if (ns !== null) {
              const canonical = formatDateTime(ns);
              if (canonical !== v) keepOriginal(ctx, ptr, v);
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
        if (c !== v) keepOriginal(ctx, ptr, v);
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
  keepOriginal(ctx, ptr, v);
  const probe: Ctx = { u: null, o: null };
  const item = normScalarOrEnum(field, v, ptr, probe);
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
export function normalizeSignIn(raw: unknown): NormalizedSignIn {
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
  const ctx: Ctx = { u: null, o: null };
  const record = normObject(raw, SIGN_IN_FIELDS, '', ctx) as SignInRecord;
  const extra: Extra | null = ctx.u || ctx.o ? {} : null;
  if (extra && ctx.u) extra.u = ctx.u;
  if (extra && ctx.o) extra.o = ctx.o;
  return { record, extra, canonical: extra === null };
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
