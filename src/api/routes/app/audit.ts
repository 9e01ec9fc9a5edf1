// GET /api/audit: the audit of reads (who read sign-in data, when, through which credential, what
// they asked for, how many rows they got), newest first. Administrators only; reading the audit is
// itself recorded.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import type { AuditQuery, SignInStore } from '../../../store/sign-in-store.js';
import { noteRows } from '../../audit.js';

export interface AuditRouteDeps {
  store: SignInStore;
}

const MAX_TOP = 1000;

function time(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const ms = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new GatelogError('Request_BadRequest', `'${name}' must be an ISO 8601 date or date-time with a zone (2026-11-20T08:00:00Z), got '${String(v)}'.`);
  return new Date(ms).toISOString();
}

export function parseAuditQuery(query: Record<string, unknown>): AuditQuery {
  const topText = query['top'] ?? query['$top'];
  const top = topText === undefined ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw new GatelogError('Request_BadRequest', `'top' must be a whole number from 1 to ${MAX_TOP}, got '${String(topText)}'.`);
  const since = time('since', query['since']);
  const until = time('until', query['until']);
  const actor = query['actor'];
  if (actor !== undefined && typeof actor !== 'string') throw new GatelogError('Request_BadRequest', "'actor' must be given once.");
  return { limit: top, ...(since ? { since } : {}), ...(until ? { until } : {}), ...(actor !== undefined ? { actor } : {}) };
}

export function registerAudit(app: FastifyInstance, deps: AuditRouteDeps): void {
  app.get('/api/audit', async (request: FastifyRequest) => {
    const entries = await deps.store.listAudit(parseAuditQuery(request.query as Record<string, unknown>));
    noteRows(request, entries.length);
    return { value: entries };
  });
}
