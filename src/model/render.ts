// Turning a stored sign-in back into JSON: as it was received (lossless), or as Graph answers
// (typed values, the version's property set, originals as instance annotations).
import { escapeToken, getAtPointer, parsePointer, removeAtPointer, setAtPointer } from './json-pointer.js';
import { BETA_PROPERTY_NAMES, SIGN_IN_FIELDS, V1_FIELDS, type Field } from './schema.js';
import type { Extra, SignInRecord } from './sign-in.js';

export type ApiVersion = 'v1.0' | 'beta';

const BETA_FIELDS = SIGN_IN_FIELDS.filter((f) => BETA_PROPERTY_NAMES.has(f.name));

/** The instance annotation that carries a value the typed field could not hold. */
export const ORIGINAL_VALUE_ANNOTATION = 'gatelog.originalValue';

function clone<T>(v: T): T {
  return structuredClone(v);
}

/**
 * The record as it was received: typed values with every original value and unknown property put
 * back. Nulls the source sent are omitted.
 */
export function toOriginal(record: SignInRecord, extra: Extra | null): Record<string, unknown> {
  if (!extra) return record as unknown as Record<string, unknown>;
  const out = clone(record) as unknown as Record<string, unknown>;
  // Values Gatelog added (offline geolocation) were not received.
  for (const ptr of extra.e ?? []) removeAtPointer(out, ptr);
  // Originals first, then unknown properties (which may sit inside a value only the original had).
  for (const [ptr, v] of Object.entries(extra.o ?? {})) setAtPointer(out, ptr, clone(v));
  for (const [ptr, v] of Object.entries(extra.u ?? {})) setAtPointer(out, ptr, clone(v));
  return out;
}

function fieldForPointer(ptr: string): Field | undefined {
  let fields: readonly Field[] = SIGN_IN_FIELDS;
  let found: Field | undefined;
  for (const t of parsePointer(ptr)) {
    if (/^\d+$/.test(t) && found?.collection) continue;
    found = fields.find((f) => f.name === t);
    if (!found) return undefined;
    fields = found.type.kind === 'complex' ? found.type.fields : [];
  }
  return found;
}

function pointerOf(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

const byNameCache = new WeakMap<readonly Field[], Map<string, Field>>();

function byName(fields: readonly Field[]): Map<string, Field> {
  let m = byNameCache.get(fields);
  if (!m) {
    m = new Map(fields.map((f) => [f.name, f]));
    byNameCache.set(fields, m);
  }
  return m;
}

/**
 * Emits `emit`'s properties (null when missing), recursing into complex values; keeps annotations
 * and properties the canonical schema (`known`) does not have; drops known ones not in `emit`.
 * Builds new objects: the input is not changed.
 */
function shape(obj: Record<string, unknown>, emit: readonly Field[], known: readonly Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const knownByName = byName(known);
  const emitByName = byName(emit);
  for (const f of emit) {
    const v = obj[f.name];
    const k = knownByName.get(f.name);
    if (v === undefined || v === null) {
      out[f.name] = null;
    } else if (f.type.kind === 'complex' && k?.type.kind === 'complex') {
      const sub = f.type.fields;
      const subKnown = k.type.fields;
      const one = (item: unknown): unknown =>
        item && typeof item === 'object' && !Array.isArray(item) ? shape(item as Record<string, unknown>, sub, subKnown) : item;
      out[f.name] = f.collection && Array.isArray(v) ? v.map(one) : one(v);
    } else {
      out[f.name] = v;
    }
  }
  for (const key in obj) {
    if (key in out) continue;
    const at = key.indexOf('@');
    const base = at < 0 ? key : key.slice(0, at);
    if (!knownByName.has(base) || emitByName.has(base)) out[key] = obj[key];
  }
  return out;
}

/**
 * The record as Graph returns it for `version`: every property of that version present (null when
 * unknown), unknown properties kept, and each original value the typed field could not hold as a
 * `property@gatelog.originalValue` annotation beside it. Times written another way are not annotated:
 * the typed time is the same instant.
 */
export function toGraph(record: SignInRecord, extra: Extra | null, version: ApiVersion): Record<string, unknown> {
  // shape() builds new objects, so a record without an overlay needs no copy of its own.
  const out = (extra ? clone(record) : record) as unknown as Record<string, unknown>;
  for (const [ptr, v] of Object.entries(extra?.u ?? {})) setAtPointer(out, ptr, clone(v));
  let original: Record<string, unknown> | undefined;
  for (const [ptr, v] of Object.entries(extra?.o ?? {})) {
    const field = fieldForPointer(ptr);
    if (field?.type.kind === 'scalar' && field.type.scalar === 'datetime' && getAtPointer(out, ptr) !== undefined) continue;
    const tokens = parsePointer(ptr);
    let name = tokens.pop() as string;
    let value = v;
    if (/^\d+$/.test(name)) {
      // An item of a collection of primitives: annotate the collection with its original whole.
      name = tokens.pop() as string;
      original ??= toOriginal(record, extra);
      value = getAtPointer(original, pointerOf([...tokens, name]));
    }
    setAtPointer(out, pointerOf([...tokens, `${name}@${ORIGINAL_VALUE_ANNOTATION}`]), clone(value));
  }
  if (version === 'beta') return shape(out, BETA_FIELDS, SIGN_IN_FIELDS);
  return shape({ ...out, riskEventTypes: v1RiskEventTypes(out) }, V1_FIELDS, SIGN_IN_FIELDS);
}

/** v1.0's `riskEventTypes` is the enum form of beta's `riskEventTypes_v2`. */
function v1RiskEventTypes(out: Record<string, unknown>): unknown {
  if (out['riskEventTypes'] !== undefined && out['riskEventTypes'] !== null) return out['riskEventTypes'];
  const v2 = out['riskEventTypes_v2'];
  if (!Array.isArray(v2)) return v2 ?? null;
  const members = V1_FIELDS.find((f) => f.name === 'riskEventTypes')?.type;
  const known = members?.kind === 'enum' ? members.enum.members : [];
  return v2.map((x) => (typeof x === 'string' && known.includes(x) ? x : 'unknownFutureValue'));
}

