// The audit of reads: every request to a route that reads sign-in data (or the audit itself) is
// recorded — who (the authenticated caller), when, the tenants they may read, the route, the path,
// the $filter, the rows returned and the status — before the answer leaves. When the entry cannot
// be written the answer is a 503 instead: no read goes unrecorded. A streamed answer (an export)
// is recorded when it ends, with the rows it carried: its first bytes are out before the count is
// known.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry, SignInStore } from '../store/sign-in-store.js';
import type { Caller } from './auth/caller.js';
import { graphErrorBody } from './graph-errors.js';

const rowsOf = new WeakMap<FastifyRequest, number>();

/** What a route returned, for its audit entry: sign-ins, raw events, audit entries. */
export function noteRows(request: FastifyRequest, rows: number): void {
  rowsOf.set(request, rows);
}

export interface AuditDeps {
  store: SignInStore;
  /** Whether the request's route reads data the audit records. */
  audited(request: FastifyRequest): boolean;
  /** The authenticated caller, or undefined when authentication failed (nothing was read). */
  callerOf(request: FastifyRequest): Caller | undefined;
}

export function auditEntry(request: FastifyRequest, caller: Caller, status: number, at = new Date()): AuditEntry {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const filter = query['$filter'] ?? query['filter'];
  return {
    at: at.toISOString(),
    actor: caller.name && caller.name !== caller.id ? `${caller.id} (${caller.name})` : caller.id,
    via: caller.kind,
    tenants: caller.tenants,
    action: `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url ?? ''}`,
    // The path only: a query string could carry a credential (?token=), and the filter has its own column.
    target: request.url.split('?')[0] ?? null,
    filter: typeof filter === 'string' ? filter : null,
    rows: status >= 200 && status < 300 ? (rowsOf.get(request) ?? 0) : 0,
    status,
    client: request.ip,
    requestId: String(request.id),
  };
}

function isStream(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && typeof (payload as { pipe?: unknown }).pipe === 'function';
}

export function installAudit(app: FastifyInstance, deps: AuditDeps): void {
  const streamed = new WeakSet<FastifyRequest>();
  app.addHook('onResponse', async (request, reply) => {
    if (!streamed.has(request)) return;
    const caller = deps.callerOf(request);
    if (caller === undefined) return;
    // The answer is out: a failure here can only be logged (loudly). A stream that did not end
    // (the client left midway) is recorded as 499, with the rows written until then.
    await deps.store.appendAudit([auditEntry(request, caller, reply.raw.writableEnded ? reply.statusCode : 499)]).catch((err: unknown) => {
      request.log.error({ err }, 'the audit entry of a streamed read could not be written');
    });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!deps.audited(request)) return payload;
    const caller = deps.callerOf(request);
    if (caller === undefined) return payload;
    if (isStream(payload)) {
      streamed.add(request);
      return payload;
    }
    try {
      await deps.store.appendAudit([auditEntry(request, caller, reply.statusCode)]);
      return payload;
    } catch (err) {
      request.log.error({ err }, 'the audit entry of a read could not be written; the answer is withheld');
      void reply.code(503).type('application/json; charset=utf-8').header('Retry-After', '5');
      reply.removeHeader('content-length');
      return JSON.stringify(graphErrorBody('Store_Unavailable', 'The read could not be recorded in the audit, so nothing is returned. Try again later.', request));
    }
  });
}
