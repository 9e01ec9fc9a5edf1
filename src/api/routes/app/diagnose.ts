// POST /api/diagnose: the Sign-in Diagnostic (src/diagnose/) for a sign-in id, a correlation or
// request ID, a user over a time window, or a pasted token — read only through the caller's scoped
// reader, so the sign-ins, their correlation and the counts behind a finding stay within the
// caller's tenants. GET /api/error-codes[/{code}]: the error-code catalogue.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatelogError } from '../../../errors.js';
import { diagnose, parseDiagnoseInput } from '../../../diagnose/diagnose.js';
import { explainErrorCode, listErrorCodes } from '../../../diagnose/error-codes.js';
import type { DiagnoseReader } from '../../../diagnose/reader.js';
import { noteRows } from '../../audit.js';
import type { Caller } from '../../auth/caller.js';

export interface DiagnoseRouteDeps {
  /** The store as the request's caller may read it. */
  reader(request: FastifyRequest): DiagnoseReader;
  caller(request: FastifyRequest): Caller;
}

export function registerDiagnose(app: FastifyInstance, deps: DiagnoseRouteDeps): void {
  app.post('/api/diagnose', async (request) => {
    deps.caller(request);
    const input = parseDiagnoseInput(request.body);
    const result = await diagnose(deps.reader(request), input);
    noteRows(request, result.rows);
    return result;
  });

  app.get('/api/error-codes', async (request) => {
    deps.caller(request);
    return { value: listErrorCodes() };
  });

  app.get('/api/error-codes/:code', async (request) => {
    deps.caller(request);
    const { code } = request.params as { code: string };
    const m = /^(?:AADSTS)?(\d{1,9})$/i.exec(code);
    if (!m) throw new GatelogError('Request_BadRequest', `'${code}' is not an error code: give its number, such as 50126 or AADSTS50126.`);
    const x = explainErrorCode(Number(m[1]));
    return { code: x.code, known: x.known, name: x.name, meaning: x.meaning, remediation: x.remediation };
  });
}
