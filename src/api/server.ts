// The HTTP server: Fastify over HTTPS. Every route is declared in routes/inventory.ts with the
// permission it needs; this file wires them to the store, authentication and throttling.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { SignInStore } from '../store/sign-in-store.js';
import type { Locator } from '../enrich/enrich-location.js';
import { GatelogError } from '../errors.js';
import { authenticate, type AuthConfig } from './auth/authenticate.js';
import type { Caller } from './auth/caller.js';
import { installGraphErrors, ThrottledError } from './graph-errors.js';
import { ROUTES } from './routes/inventory.js';
import { openApiDocument } from './routes/openapi.js';
import { registerCorrelations } from './routes/app/correlations.js';
import { registerGraphSignIns } from './routes/graph/sign-ins.js';
import { registerIngestSignIns } from './routes/ingest/sign-ins.js';
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
  /** pino logger options, or false. */
  logger?: boolean | { level: string };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const common = {
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    // Query strings like $filter=... are parsed by Node's URLSearchParams semantics.
    routerOptions: { maxParamLength: 500 },
    bodyLimit: 1 << 20,
  };
  // Routes do not depend on the transport; one instance type for HTTPS and plain HTTP.
  const app = (options.tls ? Fastify({ ...common, https: { cert: options.tls.cert, key: options.tls.key } }) : Fastify(common)) as FastifyInstance;
  const { store } = options;
  // Every route registered, for the inventory test (routes/inventory.ts must list each one).
  const registered: string[] = [];
  app.decorate('gatelogRoutes', registered);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') registered.push(`${m} ${r.url}`);
  });
  installGraphErrors(app);

  // Security in one place: every request to a route is checked against the permission the route
  // inventory gives it, before anything else runs (no body is read for an unauthenticated caller).
  const throttle = new Throttle(options.throttle ?? DEFAULT_THROTTLE);
  const permissions = new Map(ROUTES.map((r) => [`${r.method} ${r.url}`, r.permission]));
  const callers = new WeakMap<FastifyRequest, Caller>();
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no such route: the not-found handler answers
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const permission = permissions.get(`${method} ${url}`);
    if (permission === undefined) throw new GatelogError('Internal_Error', `route ${method} ${url} is not in the route inventory`);
    if (permission === 'public') return;
    const c = authenticate(request, options.auth);
    if (!c.scopes.has(permission)) {
      throw new GatelogError('Authorization_RequestDenied', `Insufficient privileges to complete the operation: this needs the '${permission}' permission, which ${c.name} does not have.`);
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

  app.get('/healthz', async () => ({ status: 'ok', store: store.kind, schemaVersion: await store.schemaVersion() }));
  app.get('/openapi.json', async () => openApiDocument());
  registerGraphSignIns(app, { store, skipTokens: skipTokenCodec(options.skipTokenKey), caller });
  registerCorrelations(app, { store, caller });
  registerIngestSignIns(app, { store, caller, maxBodyBytes: options.maxIngestBytes ?? 256 << 20, geo: options.geo ?? null, ...(options.maxConcurrentIngests ? { maxConcurrent: options.maxConcurrentIngests } : {}) });

  await app.ready();
  return app;
}
