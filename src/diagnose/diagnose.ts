// The Sign-in Diagnostic: find the sign-ins an input names (a sign-in id, a correlation or request
// ID, a user over a time window, a pasted token), then run every scenario over each one with the
// sign-ins sharing its correlation ID and its raw events, and answer with findings — what happened,
// the evidence, what to do. Everything is read through the caller's DiagnoseReader, so the answer
// holds only what the caller may read. The CLI, the API and the web page all answer with this.
import { GatelogError } from '../errors.js';
import type { SignInRecord, StoredSignIn } from '../model/sign-in.js';
import { canonicalDateTime, parseDateTime } from '../model/time.js';
import { uniqueTokenIdentifierToRequestId } from '../model/unique-token-identifier.js';
import { and, column, or, value, type Condition } from '../query/sql/expr.js';
import { explainErrorCode, type ErrorCodeExplanation } from './error-codes.js';
import type { DiagnosisContext, Finding, Severity } from './finding.js';
import type { DiagnoseReader } from './reader.js';
import { FALLBACK, SCENARIOS } from './scenarios/index.js';
import { errorCodeOf } from './signals.js';
import { readToken, type TokenReading } from './token.js';

/** What to diagnose: one of Entra's inputs, or a token. */
export type DiagnoseInput =
  | { kind: 'id'; id: string }
  | { kind: 'correlationId'; correlationId: string }
  | { kind: 'requestId'; requestId: string }
  | { kind: 'user'; user: string; since: string; until?: string }
  | { kind: 'token'; token: string };

/** Sign-ins listed at most (the authentication summary). */
export const MAX_MATCHES = 100;
/** Sign-ins diagnosed at most (newest first). */
export const MAX_DIAGNOSED = 20;
/** Sign-ins of one correlation ID read at most. */
export const MAX_CORRELATED = 50;

/** A line of the authentication summary. */
export interface SignInSummary {
  id: string;
  tenantId: string;
  createdDateTime: string;
  userPrincipalName: string | null;
  appDisplayName: string | null;
  ipAddress: string | null;
  signInEventTypes: string[];
  errorCode: number;
  /** The code's name, or its meaning when it has none ('' for success). */
  errorName: string;
  failureReason: string | null;
  conditionalAccessStatus: string | null;
  correlationId: string | null;
  uniqueTokenIdentifier: string | null;
  sessionId: string | null;
  /** For a token: which of its identifiers found this sign-in. */
  matchedBy?: ('uniqueTokenIdentifier' | 'requestId' | 'sessionId')[];
}

export interface Diagnosis {
  signIn: SignInSummary;
  errorCode: ErrorCodeExplanation;
  /** The worst severity among the findings ('info' when there are none). */
  severity: Severity;
  findings: Finding[];
  /** The other sign-ins with its correlation ID, oldest first. */
  correlated: SignInSummary[];
  /** How many raw events the sign-in has (several for an MFA sign-in read from Azure Monitor). */
  rawEvents: number;
}

export interface DiagnoseResult {
  input: { kind: DiagnoseInput['kind']; value: string; since?: string; until?: string };
  /** For a token: what was read from it (never the token itself). */
  token?: TokenReading;
  /** Every sign-in the input names (at most MAX_MATCHES), newest first. */
  signIns: SignInSummary[];
  /** Whether more sign-ins matched than are listed. */
  truncated: boolean;
  /** The diagnosis of each of the first MAX_DIAGNOSED sign-ins. */
  diagnoses: Diagnosis[];
  /** Plain-language remarks on the search itself (nothing found, truncation, the unchecked token). */
  notes: string[];
  /** Distinct sign-ins the answer shows (matches and correlated), for the audit. */
  rows: number;
}

const SEVERITY_ORDER: readonly Severity[] = ['failure', 'warning', 'interrupted', 'info'];

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function bad(field: string, message: string): GatelogError {
  return new GatelogError('Request_BadRequest', `${field}: ${message}`);
}

function requireText(body: Record<string, unknown>, field: string, max = 200): string {
  const v = body[field];
  if (typeof v !== 'string' || v.trim() === '') throw bad(field, 'must be a non-empty string');
  if (v.length > max) throw bad(field, `must be at most ${max} characters`);
  return v.trim();
}

function time(body: Record<string, unknown>, field: string): string {
  const v = requireText(body, field, 64);
  // A date alone is midnight UTC (as in $filter); a date-time must say its zone, or it is ambiguous.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = dateOnly || /(?:Z|[+-]\d{2}:?\d{2})$/i.test(v) ? canonicalDateTime(dateOnly ? `${v}T00:00:00Z` : v) : null;
  if (t === null) throw bad(field, `'${v}' is not a date-time with a zone (2026-03-01T10:00:00Z) or a date (2026-03-01)`);
  return t;
}

/**
 * The input a request body (POST /api/diagnose) or the CLI's flags name: exactly one of `id`,
 * `correlationId`, `requestId`, `user` (with `since`, optionally `until`) or `token`.
 */
export function parseDiagnoseInput(body: unknown): DiagnoseInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('body', 'must be a JSON object such as {"id": "<sign-in id>"}');
  const b = body as Record<string, unknown>;
  const known = ['id', 'correlationId', 'requestId', 'user', 'since', 'until', 'token'];
  const unknown = Object.keys(b).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw bad(unknown[0] as string, `is not an input; give one of id, correlationId, requestId, user (with since) or token`);
  const given = ['id', 'correlationId', 'requestId', 'user', 'token'].filter((k) => b[k] !== undefined && b[k] !== null && b[k] !== '');
  if (given.length === 0) throw bad('body', 'give one of id, correlationId, requestId, user (with since) or token');
  if (given.length > 1) throw bad(given[1] as string, `give one input only, not both ${given.join(' and ')}`);
  const kind = given[0] as string;
  if (kind !== 'user') for (const f of ['since', 'until']) if (b[f] !== undefined && b[f] !== null && b[f] !== '') throw bad(f, 'applies only with user');
  switch (kind) {
    case 'id':
      return { kind: 'id', id: requireText(b, 'id') };
    case 'correlationId':
      return { kind: 'correlationId', correlationId: requireText(b, 'correlationId') };
    case 'requestId':
      return { kind: 'requestId', requestId: requireText(b, 'requestId') };
    case 'token':
      return { kind: 'token', token: requireText(b, 'token', 64 * 1024) };
    default: {
      if (b['since'] === undefined || b['since'] === null || b['since'] === '') throw bad('since', 'is required with user: the start of the time window (2026-03-01T10:00:00Z)');
      const since = time(b, 'since');
      const until = b['until'] === undefined || b['until'] === null || b['until'] === '' ? undefined : time(b, 'until');
      if (until !== undefined && (parseDateTime(until) ?? 0n) < (parseDateTime(since) ?? 0n)) throw bad('until', 'is before since');
      return { kind: 'user', user: requireText(b, 'user', 320), since, ...(until ? { until } : {}) };
    }
  }
}

function eqText(path: readonly string[], v: string, caseInsensitive = true): Condition {
  return { kind: 'compare', op: 'eq', left: column(path, 'string'), right: value(v, 'string'), caseInsensitive };
}

function atOrAfter(t: string): Condition {
  return { kind: 'compare', op: 'ge', left: column(['createdDateTime'], 'datetime'), right: value(t, 'datetime'), caseInsensitive: false };
}

function atOrBefore(t: string): Condition {
  return { kind: 'compare', op: 'le', left: column(['createdDateTime'], 'datetime'), right: value(t, 'datetime'), caseInsensitive: false };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sign-in ids are request IDs; an id that is a `uti` (22 characters) finds the sign-in by its token identifier too. */
function idCondition(id: string): Condition {
  const asRequestId = GUID.test(id) ? null : uniqueTokenIdentifierToRequestId(id);
  return or(eqText(['id'], id), ...(asRequestId ? [eqText(['id'], asRequestId), eqText(['uniqueTokenIdentifier'], id, false)] : []));
}

export function summarize(s: StoredSignIn): SignInSummary {
  const r: SignInRecord = s.record;
  const code = errorCodeOf(r);
  const x = explainErrorCode(code, r.status ?? {});
  return {
    id: r.id,
    tenantId: s.tenantId,
    createdDateTime: r.createdDateTime,
    userPrincipalName: text(r.userPrincipalName),
    appDisplayName: text(r.appDisplayName),
    ipAddress: text(r.ipAddress),
    signInEventTypes: Array.isArray(r.signInEventTypes) ? r.signInEventTypes.filter((t): t is string => typeof t === 'string') : [],
    errorCode: code,
    errorName: code === 0 ? '' : x.known ? (x.name ?? x.meaning) : 'unknown code',
    failureReason: x.failureReason,
    conditionalAccessStatus: text(r.conditionalAccessStatus),
    correlationId: text(r.correlationId),
    uniqueTokenIdentifier: text(r.uniqueTokenIdentifier),
    sessionId: text((r as Record<string, unknown>)['sessionId']),
  };
}

function keyOf(s: StoredSignIn): string {
  return `${s.tenantId}\u0000${s.record.id}`;
}

/** Runs every scenario over one sign-in. */
export async function diagnoseSignIn(reader: DiagnoseReader, signIn: StoredSignIn): Promise<{ diagnosis: Diagnosis; correlated: StoredSignIn[] }> {
  const corr = text(signIn.record.correlationId);
  const correlated = corr ? await reader.query({ where: eqText(['correlationId'], corr), order: 'asc', limit: MAX_CORRELATED }) : [];
  const events = await reader.listEvents([signIn]);
  const ctx: DiagnosisContext = { signIn, record: signIn.record, correlated, events, reader };
  const findings: Finding[] = [];
  for (const scenario of SCENARIOS) {
    const f = await scenario.detect(ctx);
    if (f) findings.push(f);
  }
  if (findings.length === 0 || (errorCodeOf(signIn.record) !== 0 && findings.every((f) => f.severity === 'info' || f.scenario === 'legacy-authentication'))) {
    const f = await FALLBACK.detect(ctx);
    if (f) findings.push(f);
  }
  const severity = SEVERITY_ORDER.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
  findings.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return {
    diagnosis: {
      signIn: summarize(signIn),
      errorCode: explainErrorCode(errorCodeOf(signIn.record), signIn.record.status ?? {}),
      severity,
      findings,
      correlated: correlated.filter((s) => keyOf(s) !== keyOf(signIn)).map(summarize),
      rawEvents: events.length,
    },
    correlated,
  };
}

/** Finds the sign-ins an input names and diagnoses them. */
export async function diagnose(reader: DiagnoseReader, input: DiagnoseInput): Promise<DiagnoseResult> {
  const notes: string[] = [];
  let token: TokenReading | undefined;
  let where: Condition;
  let shown: DiagnoseResult['input'];
  switch (input.kind) {
    case 'id':
      where = idCondition(input.id);
      shown = { kind: 'id', value: input.id };
      break;
    case 'requestId':
      where = idCondition(input.requestId);
      shown = { kind: 'requestId', value: input.requestId };
      break;
    case 'correlationId':
      where = eqText(['correlationId'], input.correlationId);
      shown = { kind: 'correlationId', value: input.correlationId };
      break;
    case 'user': {
      const user = GUID.test(input.user) ? or(eqText(['userId'], input.user), eqText(['userPrincipalName'], input.user)) : eqText(['userPrincipalName'], input.user);
      where = and(user, atOrAfter(input.since), ...(input.until ? [atOrBefore(input.until)] : []));
      shown = { kind: 'user', value: input.user, since: input.since, ...(input.until ? { until: input.until } : {}) };
      break;
    }
    case 'token': {
      token = readToken(input.token);
      notes.push(token.notice);
      const ids: Condition[] = [];
      if (token.uniqueTokenIdentifier) ids.push(eqText(['uniqueTokenIdentifier'], token.uniqueTokenIdentifier, false));
      if (token.requestId) ids.push(eqText(['id'], token.requestId));
      if (token.sessionId) ids.push(eqText(['sessionId'], token.sessionId));
      if (ids.length === 0) throw bad('token', 'has neither a uti nor a sid claim, so no sign-in can be found from it');
      if (token.uniqueTokenIdentifier && !token.requestId) notes.push(`The token's uti '${token.uniqueTokenIdentifier}' is not a base64url GUID, so it gives no request ID; it is matched as it is.`);
      where = or(...ids);
      shown = { kind: 'token', value: token.uniqueTokenIdentifier ?? token.sessionId ?? '' };
      break;
    }
  }
  const found = await reader.query({ where, order: 'desc', limit: MAX_MATCHES + 1 });
  const truncated = found.length > MAX_MATCHES;
  const matches = found.slice(0, MAX_MATCHES);
  const signIns = matches.map((s) => {
    const summary = summarize(s);
    if (token) {
      const by: NonNullable<SignInSummary['matchedBy']> = [];
      if (token.uniqueTokenIdentifier && s.record.uniqueTokenIdentifier === token.uniqueTokenIdentifier) by.push('uniqueTokenIdentifier');
      if (token.requestId && s.record.id.toLowerCase() === token.requestId) by.push('requestId');
      if (token.sessionId && summary.sessionId?.toLowerCase() === token.sessionId.toLowerCase()) by.push('sessionId');
      summary.matchedBy = by;
    }
    return summary;
  });
  if (matches.length === 0) notes.push(`No sign-in found for ${describe(input, token)}.`);
  if (truncated) notes.push(`More than ${MAX_MATCHES} sign-ins match; the newest ${MAX_MATCHES} are listed. Narrow the time window to see the others.`);
  // A token's session can span many sign-ins: diagnose the token's own sign-in first.
  const order = token ? [...matches].sort((a, b) => rank(signIns, b) - rank(signIns, a)) : matches;
  const toDiagnose = order.slice(0, MAX_DIAGNOSED);
  if (matches.length > MAX_DIAGNOSED) notes.push(`${matches.length} sign-ins match; the first ${MAX_DIAGNOSED} are diagnosed.`);
  const diagnoses: Diagnosis[] = [];
  const seen = new Set(matches.map(keyOf));
  for (const s of toDiagnose) {
    const { diagnosis, correlated } = await diagnoseSignIn(reader, s);
    for (const c of correlated) seen.add(keyOf(c));
    diagnoses.push(diagnosis);
  }
  return { input: shown, ...(token ? { token } : {}), signIns, truncated, diagnoses, notes, rows: seen.size };
}

function rank(summaries: readonly SignInSummary[], s: StoredSignIn): number {
  const m = summaries.find((x) => x.id === s.record.id && x.tenantId === s.tenantId)?.matchedBy ?? [];
  return (m.includes('uniqueTokenIdentifier') || m.includes('requestId') ? 2 : 0) + (m.includes('sessionId') ? 1 : 0);
}

function describe(input: DiagnoseInput, token: TokenReading | undefined): string {
  switch (input.kind) {
    case 'id':
      return `the id '${input.id}'`;
    case 'requestId':
      return `the request ID '${input.requestId}'`;
    case 'correlationId':
      return `the correlation ID '${input.correlationId}'`;
    case 'user':
      return `the user '${input.user}' since ${input.since}${input.until ? ` until ${input.until}` : ''}`;
    case 'token':
      return `the token (uti ${token?.uniqueTokenIdentifier ?? 'none'}${token?.requestId ? ` = request ID ${token.requestId}` : ''}, sid ${token?.sessionId ?? 'none'})`;
  }
}
