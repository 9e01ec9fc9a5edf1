// GET /{v1.0|beta}/auditLogs/signIns and /{v1.0|beta}/auditLogs/signIns/{id}: the Graph API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import { toGraph, type ApiVersion } from '../../../model/render.js';
import { INTERACTIVE_ONLY, planFilter, versionFields } from '../../../query/plan.js';
import { and, TRUE, type Condition, type Keyset } from '../../../query/sql/expr.js';
import { scopeCondition, tenantsScope, type ScopedReader } from '../../../query/scoped-reader.js';
import type { StoredSignIn } from '../../../model/sign-in.js';
import { noteRows } from '../../audit.js';
import type { Caller } from '../../auth/caller.js';
import { fingerprint, type SkipTokenCodec } from '../../skiptoken.js';

export interface GraphRouteDeps {
  /** The store as the request's caller may read it (scoped to its tenants). */
  reader(request: FastifyRequest): ScopedReader;
  skipTokens: SkipTokenCodec;
  /** Authenticates and throttles; throws a GatelogError (401/403/429) otherwise. */
  caller(request: FastifyRequest): Caller;
}

export const MAX_TOP = 1000;
const VERSIONS: readonly ApiVersion[] = ['v1.0', 'beta'];

type Query = Record<string, string | string[] | undefined>;

function version(request: FastifyRequest): ApiVersion {
  const v = (request.params as { version: string }).version;
  if (!VERSIONS.includes(v as ApiVersion)) {
    throw new GatelogError('Request_ResourceNotFound', `Resource not found for the segment '${v}': use /v1.0 or /beta.`);
  }
  return v as ApiVersion;
}

/** A query option, with or without its `$` (Graph accepts both); given twice is an error. */
function option(query: Query, name: string): string | undefined {
  const a = query[`$${name}`];
  const b = query[name];
  const vals = [a, b].flat().filter((x): x is string => typeof x === 'string');
  if (vals.length > 1) throw new GatelogError('Request_BadRequest', `Query option '$${name}' was given more than once.`);
  return vals[0];
}

/** The rows a caller may read, as a condition (the scoped reader applies it to every query). */
export function scopeOf(caller: Caller): Condition {
  return scopeCondition(tenantsScope(caller.tenants));
}

function parseTop(text: string | undefined): number {
  if (text === undefined) return MAX_TOP;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_TOP) {
    throw new GatelogError('Request_BadRequest', `Invalid value '${text}' for $top: use a whole number from 1 to ${MAX_TOP}.`);
  }
  return Number(text);
}

function parseOrder(text: string | undefined): 'asc' | 'desc' {
  if (text === undefined) return 'desc';
  const m = /^\s*createdDateTime(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!m) throw new GatelogError('Request_UnsupportedQuery', `$orderby '${text}' is not supported: sign-ins are ordered by createdDateTime asc or desc.`);
  return (m[1]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc';
}

function parseSelect(text: string | undefined, v: ApiVersion): string[] | undefined {
  if (text === undefined) return undefined;
  const fields = versionFields(v);
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    const f = fields.find((x) => x.name === name) ?? fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!f) throw new GatelogError('Request_UnsupportedQuery', `$select: property '${name}' does not exist on signIn (${v}).`);
    if (!out.includes(f.name)) out.push(f.name);
  }
  if (out.length === 0) throw new GatelogError('Request_BadRequest', '$select names no property.');
  return out;
}

function parseCount(text: string | undefined): boolean {
  if (text === undefined) return false;
  if (text !== 'true' && text !== 'false') throw new GatelogError('Request_BadRequest', `Invalid value '${text}' for $count: use true or false.`);
  return text === 'true';
}

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}`;
}

function project(obj: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  for (const name of select) {
    out[name] = obj[name] ?? null;
    for (const k of Object.keys(obj)) if (k.startsWith(`${name}@`)) out[k] = obj[k];
  }
  return out;
}

function keysetOf(s: StoredSignIn): Keyset {
  return { time: s.record.createdDateTime, id: s.record.id, tenant: s.tenantId };
}

export function registerGraphSignIns(app: FastifyInstance, deps: GraphRouteDeps): void {
  app.get('/:version/auditLogs/signIns', async (request, reply) => {
    const v = version(request);
    const query = request.query as Query;
    const filter = option(query, 'filter');
    const top = parseTop(option(query, 'top'));
    const order = parseOrder(option(query, 'orderby'));
    const select = parseSelect(option(query, 'select'), v);
    const count = parseCount(option(query, 'count'));
    const skip = option(query, 'skiptoken');

    const planned = filter !== undefined && filter.trim() !== '' ? planFilter(filter, v) : null;
    // As in Graph: interactive user sign-ins only, unless the filter names signInEventTypes.
    const reader = deps.reader(request);
    const where = and(planned?.condition ?? TRUE, planned?.mentionsEventTypes ? TRUE : INTERACTIVE_ONLY);
    // A skiptoken belongs to this query and this caller's tenants.
    const fp = fingerprint([v, filter ?? '', order, select?.join(',') ?? '*', reader.scopeKey]);
    const after = skip !== undefined ? deps.skipTokens.decode(skip, fp) : undefined;

    // Whole beta records: the store may write Graph's rendering itself (the same JSON as toGraph).
    const whole = v === 'beta' && !select;
    const rows = await reader.query({ where, order, limit: top + 1, ...(after ? { after } : {}), ...(select ? { select } : {}), ...(whole ? { graphBeta: true } : {}) });
    const page = rows.slice(0, top);
    const base = baseUrl(request);
    const body: Record<string, unknown> = {
      '@odata.context': `${base}/${v}/$metadata#auditLogs/signIns${select ? `(${select.join(',')})` : ''}`,
    };
    if (count) body['@odata.count'] = await reader.count(where);
    const written = whole && page.every((s) => s.graphBeta !== undefined);
    body['value'] = written ? [] : page.map((s) => project(toGraph(s.record, s.extra, v), select));
    noteRows(request, page.length);
    const last = page[page.length - 1];
    if (rows.length > top && last) {
      const params = new URLSearchParams();
      if (filter !== undefined) params.set('$filter', filter);
      if (option(query, 'orderby') !== undefined) params.set('$orderby', option(query, 'orderby') as string);
      if (select) params.set('$select', select.join(','));
      if (count) params.set('$count', 'true');
      params.set('$top', String(top));
      params.set('$skiptoken', deps.skipTokens.encode(keysetOf(last), fp));
      body['@odata.nextLink'] = `${base}/${v}/auditLogs/signIns?${params.toString().replace(/\+/g, '%20').replace(/(^|&)%24/g, '$1$$')}`;
    }
    void reply.header('OData-Version', '4.0').type('application/json; odata.metadata=minimal; charset=utf-8');
    if (!written) return body;
    // The body with the records as the store wrote them, spliced in where `value` goes.
    const text = JSON.stringify(body);
    const at = text.indexOf('"value":[]') + '"value":['.length;
    return reply.send(`${text.slice(0, at)}${page.map((s) => s.graphBeta).join(',')}${text.slice(at)}`);
  });

  app.get('/:version/auditLogs/signIns/:id', async (request, reply) => {
    const v = version(request);
    const { id } = request.params as { id: string };
    const found = await deps.reader(request).get(id);
    if (!found) throw new GatelogError('Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    noteRows(request, 1);
    void reply.header('OData-Version', '4.0').type('application/json; odata.metadata=minimal; charset=utf-8');
    return { '@odata.context': `${baseUrl(request)}/${v}/$metadata#auditLogs/signIns/$entity`, ...toGraph(found.record, found.extra, v) };
  });
}
