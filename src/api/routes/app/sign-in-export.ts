// GET /api/signins/export: the web UI's "Download" — the sign-ins of the current view, streamed,
// with no row cap, times in UTC:
// - format=csv: the Entra admin center's CSV download (src/export/portal-csv.ts), as `gatelog
//   export --format csv` writes it;
// - format=json: a JSON array of Graph beta signIn records, each exactly as
//   /beta/auditLogs/signIns returns it for the same filter (so a download equals the API's rows).
// It reads through the caller's ScopedReader, a keyset page at a time, and waits whenever the
// client reads slower than the store answers (backpressure). The rows written are noted for the
// audit when the stream ends.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import { writeChunks } from '../../../export/export-sign-ins.js';
import { signInPages } from '../../../export/pages.js';
import { PORTAL_EXPORT_COLUMNS, portalRowValues } from '../../../export/portal-csv.js';
import { toGraph } from '../../../model/render.js';
import type { StoredSignIn } from '../../../model/sign-in.js';
import { planFilter } from '../../../query/plan.js';
import type { ScopedReader } from '../../../query/scoped-reader.js';
import { and, TRUE } from '../../../query/sql/expr.js';
import { csvCell } from '../../../cli/output.js';
import { noteRows } from '../../audit.js';
import { eventTypesCondition } from './sign-ins.js';
import type { Caller } from '../../auth/caller.js';

export interface SignInExportDeps {
  /** The store as the request's caller may read it. */
  reader(request: FastifyRequest): ScopedReader;
  caller(request: FastifyRequest): Caller;
}


type Query = Record<string, string | string[] | undefined>;

function one(query: Query, name: string): string | undefined {
  const v = query[name] ?? query[`$${name}`];
  if (Array.isArray(v)) throw new GatelogError('Request_BadRequest', `Query parameter '${name}' was given more than once.`);
  return v;
}

function parseOrder(text: string | undefined): 'asc' | 'desc' {
  if (text === undefined) return 'desc';
  const m = /^\s*createdDateTime(?:\s+(asc|desc))?\s*$/i.exec(text) ?? /^\s*(asc|desc)\s*$/i.exec(text);
  if (!m) throw new GatelogError('Request_BadRequest', `Invalid value '${text.slice(0, 100)}' for orderby: use createdDateTime desc or createdDateTime asc.`);
  return (m[1]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc';
}

async function* csvChunks(pages: AsyncIterable<StoredSignIn[]>, written: { rows: number }): AsyncGenerator<string> {
  yield `${PORTAL_EXPORT_COLUMNS.map((c) => csvCell(c.header)).join(',')}\r\n`;
  for await (const page of pages) {
    let out = '';
    for (const s of page) out += `${portalRowValues(s).map(csvCell).join(',')}\r\n`;
    written.rows += page.length;
    yield out;
  }
}

async function* jsonChunks(pages: AsyncIterable<StoredSignIn[]>, written: { rows: number }): AsyncGenerator<string> {
  yield '[';
  for await (const page of pages) {
    let out = '';
    for (const s of page) out += `${written.rows++ === 0 ? '\n' : ',\n'}${JSON.stringify(toGraph(s.record, s.extra, 'beta'))}`;
    yield out;
  }
  yield written.rows === 0 ? ']\n' : '\n]\n';
}

export function registerSignInExport(app: FastifyInstance, deps: SignInExportDeps): void {
  app.get('/api/signins/export', async (request, reply) => {
    deps.caller(request);
    const query = request.query as Query;
    const format = one(query, 'format') ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new GatelogError('Request_BadRequest', `Invalid value '${format.slice(0, 100)}' for format: use csv or json.`);
    const filter = one(query, 'filter');
    const planned = filter !== undefined && filter.trim() !== '' ? planFilter(filter, 'beta') : null;
    const where = and(planned?.condition ?? TRUE, eventTypesCondition(one(query, 'eventTypes')));
    const order = parseOrder(one(query, 'orderby'));
    const reader = deps.reader(request);

    const out = new PassThrough();
    const written = { rows: 0 };
    const pages = signInPages(reader, where, { order });
    const chunks = format === 'csv' ? csvChunks(pages, written) : jsonChunks(pages, written);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    void reply
      .header('content-disposition', `attachment; filename="SignIns_${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    // Written while the reply streams out; a store failure midway ends the answer short (the
    // status is already sent), and the log says why.
    void writeChunks(chunks, out)
      .then(() => {
        noteRows(request, written.rows);
        out.end();
      })
      .catch((err: unknown) => {
        noteRows(request, written.rows);
        if (!out.destroyed) request.log.error({ err }, 'the sign-in download stopped before its end');
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    return reply.send(out);
  });
}
