// The HTTP server: Fastify over HTTPS. Every route is declared in routes/inventory.ts with the
// permission it needs; this file wires them to the store, authentication and throttling.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { SignInStore } from '../store/sign-in-store.js';
import type { Locator } from '../enrich/enrich-location.js';
import { authenticate, type AuthConfig } from './auth/authenticate.js';
import type { Caller } from './auth/caller.js';
import { installGraphErrors, ThrottledError } from './graph-errors.js';
import { openApiDocument } from './routes/openapi.js';
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

  const throttle = new Throttle(options.throttle ?? DEFAULT_THROTTLE);
  const caller = (request: FastifyRequest): Caller => {
    const c = authenticate(request, options.auth);
    const wait = throttle.take(c.id);
    if (wait > 0) throw new ThrottledError(wait);
    return c;
  };

  app.get('/healthz', async () => ({ status: 'ok', store: store.kind, schemaVersion: await store.schemaVersion() }));
  app.get('/openapi.json', async () => openApiDocument());
  registerGraphSignIns(app, { store, skipTokens: skipTokenCodec(options.skipTokenKey), caller });
  registerIngestSignIns(app, { store, caller, maxBodyBytes: options.maxIngestBytes ?? 256 << 20, geo: options.geo ?? null });

  await app.ready();
  return app;
}
