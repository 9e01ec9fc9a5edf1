// Several records of one sign-in (tenant + id) become one line item, as Entra's portal shows one
// line item where Azure Monitor shows several rows (semantics.md §2): MFA steps arrive as separate
// events, a risk-enriched copy is published after the first, authentication details come in their
// own file, and late events update a line item hours later.
//
// The rules:
// - authenticationDetails accumulate in step order, without duplicates;
// - status, Conditional Access results and everything else come from the latest evidence (the
//   record the source observed last), the earlier records filling what it does not say;
// - authenticationRequirement is the highest any record reached;
// - lists that name what was used (authenticationMethodsUsed, requirement policies, risk events)
//   are unions;
// A partial record (an authentication-details row) speaks only for the properties it carries.
import type { Extra, SignInRecord } from '../model/sign-in.js';
import { parseDateTime } from '../model/time.js';

/** One record of a sign-in with the time its source observed it. */
export interface Evidence {
  record: SignInRecord;
  extra: Extra | null;
  /** When the source observed it, in nanoseconds since the epoch (else when it was received). */
  observedNs: bigint;
  /** For a partial record: the only properties it speaks for. */
  partial?: readonly string[] | null;
}

const REQUIREMENT_RANK: Record<string, number> = { singleFactorAuthentication: 1, multiFactorAuthentication: 2 };

/** Properties whose lists are unions of every record's. */
const UNIONS = new Set(['authenticationMethodsUsed', 'authenticationRequirementPolicies', 'riskEventTypes_v2', 'riskEventTypes', 'authenticationProcessingDetails', 'sessionLifetimePolicies', 'networkLocationDetails', 'authenticationContextClassReferences']);

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A value's identity for de-duplication: its JSON with object keys in order and nulls left out. */
function identity(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .filter((k) => o[k] !== null && o[k] !== undefined)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return x;
  });
}

function union(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const x of [...a, ...b]) {
    const k = identity(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function stepTime(step: unknown): bigint | null {
  const t = (step as { authenticationStepDateTime?: unknown } | null)?.authenticationStepDateTime;
  return typeof t === 'string' ? parseDateTime(t) : null;
}

/**
 * Authentication steps of both records, without duplicates, in step order (steps without a time
 * keep their place after the timed ones of their record). A step seen as "in progress" and again
 * with a result is two steps in Entra's logs too, so only identical steps collapse.
 */
export function mergeSteps(earlier: readonly unknown[], later: readonly unknown[]): unknown[] {
  const all = union(earlier, later).map((step, order) => ({ step, order, t: stepTime(step) }));
  all.sort((x, y) => {
    if (x.t !== null && y.t !== null && x.t !== y.t) return x.t < y.t ? -1 : 1;
    return x.order - y.order;
  });
  return all.map((x) => x.step);
}

/** The record's view limited to what it speaks for. */
function spoken(e: Evidence): Record<string, unknown> {
  const r = e.record as unknown as Record<string, unknown>;
  if (!e.partial) return r;
  const out: Record<string, unknown> = { id: r['id'], createdDateTime: r['createdDateTime'] };
  for (const p of e.partial) if (p in r) out[p] = r[p];
  return out;
}

function mergeExtra(earlier: Extra | null, later: Extra | null): Extra | null {
  if (!earlier && !later) return null;
  // Pointers into authenticationDetails name positions that the merge reorders; the raw events
  // keep those values as they came.
  const keep = (m: Record<string, unknown> | undefined): Record<string, unknown> =>
    Object.fromEntries(Object.entries(m ?? {}).filter(([p]) => !p.startsWith('/authenticationDetails/')));
  const u = { ...keep(earlier?.u), ...keep(later?.u) };
  const o = { ...keep(earlier?.o), ...keep(later?.o) };
  const e = [...new Set([...(earlier?.e ?? []), ...(later?.e ?? [])])];
  const out: Extra = {};
  if (Object.keys(u).length) out.u = u;
  if (Object.keys(o).length) out.o = o;
  if (e.length) out.e = e;
  return Object.keys(out).length ? out : null;
}

/**
 * Merges two records of the same sign-in into one line item. Order does not matter: the one the
 * source observed later is the latest evidence (on a tie, `b`).
 */
export function mergeSignIns(a: Evidence, b: Evidence): { record: SignInRecord; extra: Extra | null; observedNs: bigint } {
  const [earlier, later] = a.observedNs > b.observedNs ? [b, a] : [a, b];
  const e = spoken(earlier);
  const l = spoken(later);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(e), ...Object.keys(l)])) {
    const ev = e[key];
    const lv = l[key];
    if (key === 'authenticationDetails' && Array.isArray(ev) && Array.isArray(lv)) out[key] = mergeSteps(ev, lv);
    else if (UNIONS.has(key) && Array.isArray(ev) && Array.isArray(lv)) out[key] = union(ev, lv);
    else if (key === 'authenticationRequirement' && typeof ev === 'string' && typeof lv === 'string') {
      out[key] = (REQUIREMENT_RANK[ev] ?? 0) > (REQUIREMENT_RANK[lv] ?? 0) ? ev : lv;
    } else if (present(lv)) out[key] = lv;
    else if (present(ev)) out[key] = ev;
  }
  return { record: out as SignInRecord, extra: mergeExtra(earlier.extra, later.extra), observedNs: later.observedNs };
}

/**
 * The line item of all records of one sign-in: folded in the order their sources observed them
 * (ties keep the given order), so the result does not depend on the order they arrived in.
 */
export function mergeEvidence(list: readonly Evidence[]): { record: SignInRecord; extra: Extra | null; observedNs: bigint } {
  if (list.length === 0) throw new Error('mergeEvidence needs at least one record');
  const sorted = list.map((e, i) => ({ e, i })).sort((x, y) => (x.e.observedNs === y.e.observedNs ? x.i - y.i : x.e.observedNs < y.e.observedNs ? -1 : 1));
  let acc: Evidence = (sorted[0] as { e: Evidence }).e;
  for (const { e } of sorted.slice(1)) {
    const m = mergeSignIns(acc, e);
    acc = { record: m.record, extra: m.extra, observedNs: m.observedNs };
  }
  return { record: acc.record, extra: acc.extra, observedNs: acc.observedNs };
}
