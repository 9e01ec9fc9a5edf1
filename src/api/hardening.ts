// Hardening of the HTTP server: security headers on every response, the logger's redaction of
// credentials, and the time limits (docs/security.md).
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The Content-Security-Policy of HTML pages (the web UI): nothing but this origin, no inline script. */
export const HTML_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/** The Content-Security-Policy of every other answer (JSON): nothing at all may load. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
export const HSTS = 'max-age=31536000; includeSubDomains';

/** Time limits: receiving a whole request, an idle connection, one store query. */
export interface TimeLimits {
  /** Node's requestTimeout: the whole request (headers and body) must arrive within this (default 5 min). */
  requestMs?: number;
  /** Node's server timeout: a connection idle this long is closed (default 10 min). */
  connectionMs?: number;
  /** A store read that takes longer answers 503 Store_Unavailable (default 30 s). */
  queryMs?: number;
}

export const DEFAULT_TIME_LIMITS: Required<TimeLimits> = { requestMs: 300_000, connectionMs: 600_000, queryMs: 30_000 };

/** Security headers on every response, errors and 404s included; HSTS when served over TLS. */
export function installSecurityHeaders(app: FastifyInstance, options: { tls: boolean }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    const type = String(reply.getHeader('content-type') ?? '');
    reply.header('content-security-policy', type.startsWith('text/html') ? HTML_CSP : API_CSP);
    if (options.tls) reply.header('strict-transport-security', HSTS);
    return payload;
  });
}

/** Query parameters whose values are credentials: never logged. */
const SECRET_PARAMS = /([?&](?:token|code|state|id_token|access_token|client_secret)=)[^&#]*/gi;

/** A URL as it may be logged: credential parameters replaced by [redacted]. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export type LoggerOption = boolean | { level: string; stream?: { write(msg: string): void } };

/**
 * Fastify's logger options: the request as logged names no credential — its URL with token / code /
 * state redacted, and pino's redact of the Authorization and Cookie headers and of Set-Cookie,
 * should anything log headers.
 */
export function loggerOptions(logger: LoggerOption | undefined): false | Record<string, unknown> {
  if (!logger) return false;
  const base = logger === true ? { level: 'info' } : logger;
  return {
    ...base,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token', 'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie', 'request.headers.authorization', 'request.headers.cookie'],
      censor: '[redacted]',
    },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
      },
    },
  };
}
