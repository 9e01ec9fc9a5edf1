// The HTTP server: Fastify over HTTPS. Routes live in routes/; this file wires them to the store.
import Fastify, { type FastifyInstance } from 'fastify';
import type { SignInStore } from '../store/sign-in-store.js';

export interface ServerOptions {
  store: SignInStore;
  /** PEM certificate and key; absent only for --no-tls behind a proxy on loopback, and for in-process tests. */
  tls?: { cert: string; key: string };
  /** pino logger options, or false. */
  logger?: boolean | { level: string };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // Routes do not depend on the transport; one instance type for HTTPS and plain HTTP.
  const app = (
    options.tls ? Fastify({ https: { cert: options.tls.cert, key: options.tls.key }, logger: options.logger ?? false }) : Fastify({ logger: options.logger ?? false })
  ) as FastifyInstance;
  const { store } = options;

  app.get('/healthz', async () => ({ status: 'ok', store: store.kind, schemaVersion: await store.schemaVersion() }));

  await app.ready();
  return app;
}
