// GET /api/reports/{name}: a report (src/reports/) as JSON — sections of aggregated counts with
// their definitions — and GET /api/signins/aggregate: the non-interactive sign-ins grouped by
// application, user, IP address, status and resource per 1 h / 6 h / 24 h window. Both read only
// through the request's ScopedReader: the caller's tenant scope is part of every count.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import type { ScopedReader } from '../../../query/scoped-reader.js';
import { AGGREGATE_WINDOWS, aggregateNonInteractive, type AggregateWindow } from '../../../reports/non-interactive-aggregate.js';
import { parseReportInput } from '../../../reports/report-input.js';
import { isReportName, REPORT_NAMES, runReport } from '../../../reports/reports.js';
import { noteRows } from '../../audit.js';
import type { Caller } from '../../auth/caller.js';

export interface ReportRouteDeps {
  reader(request: FastifyRequest): ScopedReader;
  caller(request: FastifyRequest): Caller;
}

type Query = Record<string, string | string[] | undefined>;

function one(query: Query, name: string): string | undefined {
  const v = query[name] ?? query[`$${name}`];
  if (Array.isArray(v)) throw new GatelogError('Request_BadRequest', `Query parameter '${name}' was given more than once.`);
  return v;
}

const MAX_TOP = 5000;

export function registerReports(app: FastifyInstance, deps: ReportRouteDeps): void {
  app.get('/api/reports/:name', async (request) => {
    deps.caller(request);
    const { name } = request.params as { name: string };
    if (!isReportName(name)) throw new GatelogError('Request_ResourceNotFound', `No report named '${name.slice(0, 100)}': the reports are ${REPORT_NAMES.join(', ')}.`);
    const q = (request.query ?? {}) as Query;
    const input = parseReportInput({ since: one(q, 'since'), until: one(q, 'until'), filter: one(q, 'filter'), policy: one(q, 'policy') });
    const report = await runReport(name, deps.reader(request), input);
    noteRows(request, report.signIns);
    return report;
  });

  app.get('/api/signins/aggregate', async (request) => {
    deps.caller(request);
    const q = (request.query ?? {}) as Query;
    const window = one(q, 'window') ?? '24h';
    if (!Object.prototype.hasOwnProperty.call(AGGREGATE_WINDOWS, window)) {
      throw new GatelogError('Request_BadRequest', `Invalid value '${window.slice(0, 20)}' for window: use ${Object.keys(AGGREGATE_WINDOWS).join(', ')}.`);
    }
    const topText = one(q, 'top') ?? '500';
    const top = Number(topText);
    if (!/^\d+$/.test(topText) || top < 1 || top > MAX_TOP) throw new GatelogError('Request_BadRequest', `Invalid value '${topText.slice(0, 20)}' for top: a whole number from 1 to ${MAX_TOP}.`);
    const input = parseReportInput({ since: one(q, 'since'), until: one(q, 'until'), filter: one(q, 'filter') });
    const result = await aggregateNonInteractive(deps.reader(request), { ...input, window: window as AggregateWindow, top });
    noteRows(request, result.signIns);
    return result;
  });
}
