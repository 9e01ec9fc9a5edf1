// gatelog serve: the API (and later the web UI) over HTTPS.
import { Command, Option } from 'commander';
import { buildServer } from '../api/server.js';
import { ApiKeys } from '../api/auth/api-keys.js';
import { checkOidcConfig, type OidcConfig } from '../api/auth/jwt.js';
import { loadOrCreateAdminToken, loadOrCreateKey } from '../api/secrets.js';
import { DEFAULT_THROTTLE, type ThrottleConfig } from '../api/throttle.js';
import { loadOrCreateCertificate } from '../api/tls.js';
import { lazyGeoLocator } from '../enrich/geo.js';
import { openStore, resolveDataDir, type StoreOptions } from '../compose.js';
import { addStoreOptions, CliError, parsePositiveInt } from './context.js';
import { DEMO_DEFAULTS, defaultEnd, importDemo } from './demo.js';

interface ServeFlags extends StoreOptions {
  host: string;
  port: number;
  tlsCert?: string;
  tlsKey?: string;
  tls: boolean;
  demo: boolean;
  oidcIssuer?: string[];
  oidcAudience?: string[];
  oidcClientId?: string;
  oidcJwksUri?: string;
  oidcRedirectUri?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** GATELOG_RATE_LIMIT=perSecond[,burst] sets the per-caller throttle (default 50/s, bursts of 200). */
function throttleFromEnv(env: NodeJS.ProcessEnv = process.env): ThrottleConfig {
  const v = env['GATELOG_RATE_LIMIT'];
  if (!v) return DEFAULT_THROTTLE;
  const m = /^(\d+(?:\.\d+)?)(?:,(\d+))?$/.exec(v.trim());
  if (!m) throw new CliError(`GATELOG_RATE_LIMIT must be requests-per-second[,burst], got '${v}'`);
  const perSecond = Number(m[1]);
  return { perSecond, burst: m[2] ? Number(m[2]) : Math.max(1, Math.ceil(perSecond * 4)) };
}

const commaList = (v: string | undefined): string[] => (v ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * OpenID Connect from the flags, else the GATELOG_OIDC_ variables; undefined when no issuer is
 * named. The client secret comes only from GATELOG_OIDC_CLIENT_SECRET (never a flag: flags show in ps).
 */
export function oidcFromFlags(flags: Partial<ServeFlags>, env: NodeJS.ProcessEnv = process.env): OidcConfig | undefined {
  const issuers = flags.oidcIssuer?.length ? flags.oidcIssuer : commaList(env['GATELOG_OIDC_ISSUERS']);
  if (issuers.length === 0) return undefined;
  const clientId = flags.oidcClientId ?? env['GATELOG_OIDC_CLIENT_ID'];
  const audienceGiven = flags.oidcAudience?.length ? flags.oidcAudience : commaList(env['GATELOG_OIDC_AUDIENCE']);
  const jwksUri = flags.oidcJwksUri ?? env['GATELOG_OIDC_JWKS_URI'];
  const redirectUri = flags.oidcRedirectUri ?? env['GATELOG_OIDC_REDIRECT_URI'];
  const clientSecret = env['GATELOG_OIDC_CLIENT_SECRET'];
  const config: OidcConfig = {
    issuers,
    // Without an audience, tokens for the web sign-in's own app (aud = client id) are accepted.
    audience: audienceGiven.length ? audienceGiven : clientId ? [clientId] : [],
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(jwksUri ? { jwksUri } : {}),
    ...(redirectUri ? { redirectUri } : {}),
  };
  checkOidcConfig(config);
  return config;
}

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description('serve the Graph-compatible API over HTTPS')
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port').argParser(parsePositiveInt('--port', 65535)).default(8443))
    .addOption(new Option('--tls-cert <file>', 'PEM certificate (default: a self-signed one created in the data directory)'))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert'))
    .option('--no-tls', 'plain HTTP, only on a loopback address behind a TLS-terminating proxy')
    .option('--demo', 'when the store is empty, create the demo tenant first', false)
    .addOption(new Option('--oidc-issuer <url>', 'accept bearer JWTs from this OpenID Connect issuer (repeatable; env GATELOG_OIDC_ISSUERS, a comma list)').argParser(collect))
    .addOption(new Option('--oidc-audience <aud>', 'audience of accepted access tokens (repeatable; env GATELOG_OIDC_AUDIENCE)').argParser(collect))
    .addOption(new Option('--oidc-client-id <id>', 'client id of the web sign-in (env GATELOG_OIDC_CLIENT_ID; secret: GATELOG_OIDC_CLIENT_SECRET)'))
    .addOption(new Option('--oidc-jwks-uri <url>', 'JWKS URL instead of discovery, with a single issuer (env GATELOG_OIDC_JWKS_URI)'))
    .addOption(new Option('--oidc-redirect-uri <url>', 'redirect URI registered for the web sign-in (default https://HOST:PORT/auth/callback; env GATELOG_OIDC_REDIRECT_URI)'));
  addStoreOptions(cmd);
  cmd.action(async (flags: ServeFlags) => {
    if (!flags.tls && !LOOPBACK.has(flags.host)) throw new CliError('--no-tls is only allowed on a loopback address (--host 127.0.0.1)');
    const dataDir = resolveDataDir(flags.data);
    const oidc = oidcFromFlags(flags);
    const store = await openStore(flags);
    if (flags.demo && (await store.count()) === 0) {
      process.stdout.write(`The store is empty: creating the demo tenant (${DEMO_DEFAULTS.signIns} sign-ins over ${DEMO_DEFAULTS.days} days)…\n`);
      const line = await importDemo(store, { ...DEMO_DEFAULTS, end: defaultEnd() }, (l) => process.stdout.write(`${l}\n`));
      process.stdout.write(`${line}\n`);
    }
    const tls = flags.tls
      ? await loadOrCreateCertificate(dataDir, { ...(flags.tlsCert ? { certPath: flags.tlsCert } : {}), ...(flags.tlsKey ? { keyPath: flags.tlsKey } : {}), extraNames: [flags.host] })
      : undefined;
    const admin = loadOrCreateAdminToken(dataDir);
    const app = await buildServer({
      store,
      auth: { adminTokenHash: admin.hash, apiKeys: new ApiKeys(dataDir), sessionKey: loadOrCreateKey(dataDir, 'session.key'), ...(oidc ? { oidc } : {}) },
      skipTokenKey: loadOrCreateKey(dataDir, 'skiptoken.key'),
      throttle: throttleFromEnv(),
      geo: lazyGeoLocator(),
      ...(tls ? { tls } : {}),
      logger: { level: process.env['GATELOG_LOG_LEVEL'] ?? 'warn' },
    });
    const shutdown = async (): Promise<void> => {
      await app.close();
      await store.close();
    };
    process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
    process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
    await app.listen({ host: flags.host, port: flags.port });
    const shownHost = flags.host.includes(':') ? `[${flags.host}]` : flags.host;
    const url = `${tls ? 'https' : 'http'}://${shownHost}:${flags.port}/`;
    process.stdout.write(`Gatelog is serving ${url}\n`);
    if (admin.created) {
      process.stdout.write(`\nAdmin token (shown once; only its hash is kept): ${admin.created}\n`);
      process.stdout.write(`Open ${url}?token=${admin.created}\n`);
      process.stdout.write(`Graph API: curl --cacert ${tls?.certPath ?? '<cert>'} -H 'Authorization: Bearer ${admin.created}' '${url}beta/auditLogs/signIns?$top=5'\n\n`);
    } else if (!process.env['GATELOG_ADMIN_TOKEN']) {
      process.stdout.write('Admin token: the one shown when this data directory was first served (set GATELOG_ADMIN_TOKEN to choose one)\n');
    }
    if (oidc) process.stdout.write(`Bearer JWTs accepted from: ${oidc.issuers.join(', ')}${oidc.clientId ? `; web sign-in: ${url}auth/login` : ''}\n`);
    if (tls?.created) process.stdout.write(`A self-signed certificate was created: ${tls.certPath}\n`);
    if (tls) process.stdout.write(`Clients trust it with: NODE_EXTRA_CA_CERTS=${tls.certPath}\n`);
    // Keep running until a signal arrives.
    await new Promise<never>(() => undefined);
  });
  return cmd;
}
