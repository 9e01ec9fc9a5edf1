// GET /api/correlations/{id}: the sign-ins that share a correlation ID (one client flow), every
// event type, oldest first, in Graph's beta shape, with their raw events — Gatelog's own route,
// beside the Graph ones. Only the caller's log tenants are read.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import { eventForJson, readCorrelation } from '../../../export/correlation.js';
import { toGraph } from '../../../model/render.js';
import type { SignInStore } from '../../../store/sign-in-store.js';
import type { Caller } from '../../auth/caller.js';
import { scopeOf } from '../graph/sign-ins.js';

export interface CorrelationRouteDeps {
  store: SignInStore;
  /** The authenticated caller of the request (throws a GatelogError otherwise). */
  caller(request: FastifyRequest): Caller;
}

export function registerCorrelations(app: FastifyInstance, deps: CorrelationRouteDeps): void {
  app.get('/api/correlations/:id', async (request) => {
    const caller = deps.caller(request);
    const { id } = request.params as { id: string };
    const view = await readCorrelation(deps.store, id, scopeOf(caller));
    if (view.signIns.length === 0) throw new GatelogError('Request_ResourceNotFound', `No sign-in has the correlation ID '${id}'.`);
    return {
      correlationId: id,
      signIns: view.signIns.map((s) => toGraph(s.record, s.extra, 'beta')),
      events: view.events.map(eventForJson),
    };
  });
}
