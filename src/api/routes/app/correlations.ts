// GET /api/correlations/{id}: the sign-ins that share a correlation ID (one client flow), every
// event type, oldest first, in Graph's beta shape, with their raw events — Gatelog's own route,
// beside the Graph ones. It reads through the caller's scoped reader: only the caller's tenants.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import { noteRows } from '../../audit.js';
import { eventForJson, readCorrelation, type CorrelationReader } from '../../../export/correlation.js';
import { toGraph } from '../../../model/render.js';
import { TRUE } from '../../../query/sql/expr.js';
import type { Caller } from '../../auth/caller.js';

export interface CorrelationRouteDeps {
  /** The store as the request's caller may read it (scoped to its tenants, as scopeOf says). */
  reader(request: FastifyRequest): CorrelationReader;
  /** The authenticated caller of the request (throws a GatelogError otherwise). */
  caller(request: FastifyRequest): Caller;
}

export function registerCorrelations(app: FastifyInstance, deps: CorrelationRouteDeps): void {
  app.get('/api/correlations/:id', async (request) => {
    deps.caller(request);
    const { id } = request.params as { id: string };
    const view = await readCorrelation(deps.reader(request), id, TRUE);
    if (view.signIns.length === 0) throw new GatelogError('Request_ResourceNotFound', `No sign-in has the correlation ID '${id}'.`);
    noteRows(request, view.signIns.length + view.events.length);
    return {
      correlationId: id,
      signIns: view.signIns.map((s) => toGraph(s.record, s.extra, 'beta')),
      events: view.events.map(eventForJson),
    };
  });
}
