// The HTTP server: Fastify over HTTPS. Every route is declared in routes/inventory.ts with the
// permission it needs; this file wires them to the store, authentication and throttling.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { SignInStore } from '../store/sign-in-store.js';
import type { Locator } from '../enrich/enrich-location.js';
import { GatelogError } from '../errors.js';
import { Authenticator, type AuthConfig } from './auth/authenticate.js';
import type { Caller } from './auth/caller.js';
import { installGraphErrors, ThrottledError } from './graph-errors.js';
import { DEFAULT_TIME_LIMITS, installSecurityHeaders, loggerOptions, type LoggerOption, type TimeLimits } from './hardening.js';
import { withQueryTimeout } from './query-timeout.js';
import { ROUTES } from './routes/inventory.js';
import { openApiDocument } from './routes/openapi.js';
import { registerAudit } from './routes/app/audit.js';
import { registerCorrelations } from './routes/app/correlations.js';
import { registerReports } from './routes/app/reports.js';
import { registerDiagnose } from './routes/app/diagnose.js';
import { registerSignInExport } from './routes/app/sign-in-export.js';
import { registerSignInList } from './routes/app/sign-ins.js';
import { installAudit } from './audit.js';
import { ScopedReader, tenantsScope } from '../query/scoped-reader.js';
import { registerGraphSignIns } from './routes/graph/sign-ins.js';
import { registerIngestSignIns } from './routes/ingest/sign-ins.js';
import { registerWebSignIn } from './routes/web/sign-in.js';
import { defaultWebRoot, loadWebApp, registerWebAssets } from './routes/web/web-app.js';
import { skipTokenCodec } from './skiptoken.js';
import { DEFAULT_THROTTLE, Throttle, type ThrottleConfig } from './throttle.js';

export interface ServerOptions {
  store: SignInStore;
  auth: AuthConfig;
  /** Key that signs $skiptoken values (kept in the data directory so tokens survive restarts). */
  skipTokenKey: Buffer;
  throttle?: ThrottleConfig;
  /** Largest ingestion request body after decompression (default 256 MiB). */
  maxIngestBytes?: number;
  /** Offline geolocation for ingested records without a location. */
  geo?: Locator | null;
  /** Ingestion requests written at once; more answer 503 with Retry-After (default 4). */
  maxConcurrentIngests?: number;
  /** PEM certificate and key; absent only for --no-tls behind a proxy on loopback, and for in-process tests. */
  tls?: { cert: string; key: string };
  /** pino logger options, or false (credentials are redacted: src/api/hardening.ts). */
  logger?: LoggerOption;
  /** Request, connection and store-query time limits (defaults in src/api/hardening.ts). */
  timeouts?: TimeLimits;
  /** The built web UI (default: dist/web of this installation; null: none). */
  webRoot?: string | null;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const common = {
    logger: loggerOptions(options.logger),
    requestTimeout: options.timeouts?.requestMs ?? DEFAULT_TIME_LIMITS.requestMs,
    connectionTimeout: options.timeouts?.connectionMs ?? DEFAULT_TIME_LIMITS.connectionMs,
    genReqId: () => randomUUID(),
    // Query strings like $filter=... are parsed by Node's URLSearchParams semantics.
    routerOptions: { maxParamLength: 500 },
    bodyLimit: 1 << 20,
  };
  // Routes do not depend on the transport; one instance type for HTTPS and plain HTTP.
  const app = (options.tls ? Fastify({ ...common, https: { cert: options.tls.cert, key: options.tls.key } }) : Fastify(common)) as FastifyInstance;
  // Every read of the store is time-limited (503 Store_Unavailable rather than a hanging request).
  const store = withQueryTimeout(options.store, options.timeouts?.queryMs ?? DEFAULT_TIME_LIMITS.queryMs);
  // Every route registered, for the inventory test (routes/inventory.ts must list each one).
  const registered: string[] = [];
  app.decorate('gatelogRoutes', registered);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') registered.push(`${m} ${r.url}`);
  });
  installGraphErrors(app);
  installSecurityHeaders(app, { tls: options.tls !== undefined });

  // Security in one place: every request to a route is checked against the permission the route
  // inventory gives it, before anything else runs (no body is read for an unauthenticated caller).
  const throttle = new Throttle(options.throttle ?? DEFAULT_THROTTLE);
  const permissions = new Map(ROUTES.map((r) => [`${r.method} ${r.url}`, r.permission]));
  const callers = new WeakMap<FastifyRequest, Caller>();
  // Who a request authenticated as, even when it was then refused (the audit records refusals too).
  const authenticated = new WeakMap<FastifyRequest, Caller>();
  const auth = new Authenticator(options.auth);
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no such route: the not-found handler answers
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const permission = permissions.get(`${method} ${url}`);
    if (permission === undefined) throw new GatelogError('Internal_Error', `route ${method} ${url} is not in the route inventory`);
    if (permission === 'public') return;
    const c = await auth.authenticate(request);
    authenticated.set(request, c);
    if (!c.scopes.has(permission)) {
      const hint = c.kind === 'jwt' ? ' (docs/security.md: the directory roles and application role that grant it)' : '';
      throw new GatelogError('Authorization_RequestDenied', `Insufficient privileges to complete the operation: this needs the '${permission}' permission, which ${c.name} does not have${hint}.`);
    }
    const wait = throttle.take(c.id);
    if (wait > 0) throw new ThrottledError(wait);
    callers.set(request, c);
  });
  const caller = (request: FastifyRequest): Caller => {
    const c = callers.get(request);
    if (!c) throw new GatelogError('InvalidAuthenticationToken', 'Access token is empty: send Authorization: Bearer <token>.');
    return c;
  };

  // Every request to a route that reads sign-in data, or the audit itself, is recorded.
  const audited = new Set(ROUTES.filter((r) => r.permission === 'read' || r.url === '/api/audit').map((r) => `${r.method} ${r.url}`));
  installAudit(app, {
    store,
    audited: (request) => audited.has(`${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url ?? ''}`),
    callerOf: (request) => authenticated.get(request),
  });

  app.get('/healthz', async () => ({ status: 'ok', store: store.kind, schemaVersion: await store.schemaVersion() }));
  app.get('/openapi.json', async () => openApiDocument());
  // The web UI: its shell for signed-in browsers (through the sign-in routes) and its assets.
  const web = options.webRoot === null ? null : loadWebApp(options.webRoot ?? defaultWebRoot());
  registerWebSignIn(app, { auth, tls: options.tls !== undefined, web: web?.app ?? null });
  registerWebAssets(app, web?.assets ?? null);
  // Routes that read sign-in data get the store only as their caller may read it.
  const reader = (request: FastifyRequest): ScopedReader => new ScopedReader(store, tenantsScope(caller(request).tenants));
  const skipTokens = skipTokenCodec(options.skipTokenKey);
  registerGraphSignIns(app, { reader, skipTokens, caller });
  registerSignInList(app, { reader, skipTokens, caller });
  registerCorrelations(app, { reader, caller });
  registerReports(app, { reader, caller });
  registerDiagnose(app, { reader, caller });
  registerSignInExport(app, { reader, caller });
  registerAudit(app, { store });
  registerIngestSignIns(app, { store, caller, maxBodyBytes: options.maxIngestBytes ?? 256 << 20, geo: options.geo ?? null, ...(options.maxConcurrentIngests ? { maxConcurrent: options.maxConcurrentIngests } : {}) });

  await app.ready();
  return app;
}
