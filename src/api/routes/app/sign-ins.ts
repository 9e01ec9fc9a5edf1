// GET /api/signins: the web UI's sign-in list — one keyset page of compact list rows (the
// properties the list's columns show, without the heavy collections), every event type unless
// `eventTypes` names some, newest first by default. `filter` is Graph's beta $filter; the same
// filter given to /beta/auditLogs/signIns (with the event types in it) selects the same sign-ins.
// Reads through the caller's ScopedReader; the rows returned are noted for the audit.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import { toGraph } from '../../../model/render.js';
import type { StoredSignIn } from '../../../model/sign-in.js';
import { planFilter } from '../../../query/plan.js';
import type { ScopedReader } from '../../../query/scoped-reader.js';
import { and, TRUE, type Condition, type Keyset } from '../../../query/sql/expr.js';
import { noteRows } from '../../audit.js';
import type { Caller } from '../../auth/caller.js';
import { fingerprint, type SkipTokenCodec } from '../../skiptoken.js';

export interface SignInListDeps {
  reader(request: FastifyRequest): ScopedReader;
  caller(request: FastifyRequest): Caller;
  skipTokens: SkipTokenCodec;
}

export const LIST_MAX_TOP = 1000;
const LIST_DEFAULT_TOP = 200;

/** The top-level beta properties a list row carries (every column the list can show). */
export const LIST_PROPERTIES: readonly string[] = [
  'id',
  'createdDateTime',
  'originalRequestId',
  'correlationId',
  'uniqueTokenIdentifier',
  'signInEventTypes',
  'isInteractive',
  'userDisplayName',
  'userPrincipalName',
  'userId',
  'userType',
  'appDisplayName',
  'appId',
  'resourceDisplayName',
  'resourceId',
  'servicePrincipalName',
  'servicePrincipalId',
  'managedServiceIdentity',
  'status',
  'ipAddress',
  'autonomousSystemNumber',
  'location',
  'conditionalAccessStatus',
  'authenticationRequirement',
  'clientAppUsed',
  'crossTenantAccessType',
  'incomingTokenType',
  'deviceDetail',
  'riskLevelDuringSignIn',
  'riskState',
  'tokenIssuerType',
  'homeTenantId',
  'resourceTenantId',
  'authenticationProtocol',
  'flaggedForReview',
  'processingTimeInMilliseconds',
];

type Query = Record<string, string | string[] | undefined>;

function one(query: Query, name: string): string | undefined {
  const v = query[name] ?? query[`$${name}`];
  if (Array.isArray(v)) throw new GatelogError('Request_BadRequest', `Query parameter '${name}' was given more than once.`);
  return v;
}

/** signInEventTypes members (the schema types the property as strings). */
export const EVENT_TYPES: readonly string[] = ['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity'];

/**
 * Each event type as $filter text. A record that predates signInEventTypes (it carries only
 * isInteractive) counts as interactive unless isInteractive is false — Graph's own default rule
 * (INTERACTIVE_ONLY) — and as non-interactive when it is false, so every user sign-in is in a tab.
 */
const EVENT_TYPE_CLAUSES: Readonly<Record<string, string>> = {
  interactiveUser: "(signInEventTypes/any(t: t eq 'interactiveUser') or (not (signInEventTypes/any()) and isInteractive ne false))",
  nonInteractiveUser: "(signInEventTypes/any(t: t eq 'nonInteractiveUser') or (not (signInEventTypes/any()) and isInteractive eq false))",
  servicePrincipal: "signInEventTypes/any(t: t eq 'servicePrincipal')",
  managedIdentity: "signInEventTypes/any(t: t eq 'managedIdentity')",
};

/** The event types of `eventTypes=a,b` as a condition (through the planner); TRUE when absent. */
export function eventTypesCondition(text: string | undefined): Condition {
  if (text === undefined || text.trim() === '') return TRUE;
  const types = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const clauses = types.map((t) => {
    const clause = EVENT_TYPE_CLAUSES[t];
    if (!clause) throw new GatelogError('Request_BadRequest', `Invalid value '${t.slice(0, 100)}' in eventTypes: use ${EVENT_TYPES.join(', ')}.`);
    return clause;
  });
  return planFilter(clauses.join(' or '), 'beta').condition;
}

function parseOrder(text: string | undefined): 'asc' | 'desc' {
  if (text === undefined) return 'desc';
  const m = /^\s*createdDateTime(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!m) throw new GatelogError('Request_BadRequest', `Invalid value '${text.slice(0, 100)}' for orderby: use createdDateTime desc or createdDateTime asc.`);
  return (m[1]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc';
}

function parseTop(text: string | undefined): number {
  if (text === undefined) return LIST_DEFAULT_TOP;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > LIST_MAX_TOP) {
    throw new GatelogError('Request_BadRequest', `Invalid value '${text.slice(0, 20)}' for top: use a whole number from 1 to ${LIST_MAX_TOP}.`);
  }
  return Number(text);
}

function parseCount(text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text !== 'true') throw new GatelogError('Request_BadRequest', `Invalid value '${text.slice(0, 20)}' for count: use true or false.`);
  return true;
}

function keysetOf(s: StoredSignIn): Keyset {
  return { time: s.record.createdDateTime, id: s.record.id, tenant: s.tenantId };
}

function listRow(s: StoredSignIn): Record<string, unknown> {
  const g = toGraph(s.record, s.extra, 'beta');
  const out: Record<string, unknown> = {};
  for (const p of LIST_PROPERTIES) out[p] = g[p] ?? null;
  return out;
}

export function registerSignInList(app: FastifyInstance, deps: SignInListDeps): void {
  app.get('/api/signins', async (request) => {
    deps.caller(request);
    const query = request.query as Query;
    const filter = one(query, 'filter');
    const eventTypes = one(query, 'eventTypes');
    const orderText = one(query, 'orderby');
    const order = parseOrder(orderText);
    const top = parseTop(one(query, 'top'));
    const count = parseCount(one(query, 'count'));
    const skip = one(query, 'skiptoken');
    const planned = filter !== undefined && filter.trim() !== '' ? planFilter(filter, 'beta') : null;
    const where = and(planned?.condition ?? TRUE, eventTypesCondition(eventTypes));
    const reader = deps.reader(request);
    // A skiptoken belongs to this listing and this caller's tenants.
    const fp = fingerprint(['api/signins', filter ?? '', eventTypes ?? '', order, reader.scopeKey]);
    const after = skip !== undefined ? deps.skipTokens.decode(skip, fp) : undefined;
    const rows = await reader.query({ where, order, limit: top + 1, select: LIST_PROPERTIES, ...(after ? { after } : {}) });
    const page = rows.slice(0, top);
    const body: Record<string, unknown> = { value: page.map(listRow) };
    if (count) body['count'] = await reader.count(where);
    const last = page[page.length - 1];
    body['skiptoken'] = rows.length > top && last ? deps.skipTokens.encode(keysetOf(last), fp) : null;
    noteRows(request, page.length);
    return body;
  });
}
