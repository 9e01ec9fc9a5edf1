// Errors in Microsoft Graph's shape, with the request's ids, for every route.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, GatelogError, type ErrorCode } from '../errors.js';

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(code: string, message: string, request: FastifyRequest): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': String(request.id),
        'client-request-id': clientRequestId(request),
      },
    },
  };
}

export function clientRequestId(request: FastifyRequest): string {
  const h = request.headers['client-request-id'];
  const v = Array.isArray(h) ? h[0] : h;
  return v && /^[\w.:-]{1,128}$/.test(v) ? v : String(request.id);
}

export function sendError(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message: string): FastifyReply {
  return reply.code(ERROR_CODES[code].status).type('application/json').send(graphErrorBody(code, message, request));
}

/** request-id / client-request-id on every response; every error in Graph's shape, never a stack. */
export function installGraphErrors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', String(request.id));
    reply.header('client-request-id', clientRequestId(request));
  });
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (err instanceof GatelogError && err.code !== 'Internal_Error') {
      const retryAfter = (err as GatelogError & { retryAfter?: number }).retryAfter;
      if (err.code === 'TooManyRequests' || retryAfter !== undefined) reply.header('Retry-After', String(retryAfter ?? 1));
      return sendError(reply, request, err.code, err.message);
    }
    const status = err instanceof GatelogError ? 500 : (err.statusCode ?? 500);
    if (status === 413) return sendError(reply, request, 'Request_EntityTooLarge', 'The request body is larger than the limit.');
    if (status >= 400 && status < 500) {
      // Fastify's own messages (a malformed body, an unsupported media type) say what is wrong;
      // another library's 4xx may say more than a client should see.
      const code = (err as { code?: unknown }).code;
      const own = typeof code === 'string' && code.startsWith('FST_');
      if (!own) request.log.info({ err }, 'request refused');
      return sendError(reply, request, 'Request_BadRequest', own ? err.message : 'The request is malformed.');
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, request, 'Internal_Error', 'An unexpected error occurred. The server log has the details.');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, 'Request_ResourceNotFound', `Resource not found for the segment '${request.url.split('?')[0]}'.`));
}

/** A 429 with the seconds to wait. */
export class ThrottledError extends GatelogError {
  constructor(readonly retryAfter: number) {
    super('TooManyRequests', `Too many requests. Retry after ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`);
  }
}
