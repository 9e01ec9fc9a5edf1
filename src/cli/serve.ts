// gatelog serve: the API (and later the web UI) over HTTPS.
import { Command, Option } from 'commander';
import { buildServer } from '../api/server.js';
import { ApiKeys } from '../api/auth/api-keys.js';
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

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description('serve the Graph-compatible API over HTTPS')
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port').argParser(parsePositiveInt('--port', 65535)).default(8443))
    .addOption(new Option('--tls-cert <file>', 'PEM certificate (default: a self-signed one created in the data directory)'))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert'))
    .option('--no-tls', 'plain HTTP, only on a loopback address behind a TLS-terminating proxy')
    .option('--demo', 'when the store is empty, create the demo tenant first', false);
  addStoreOptions(cmd);
  cmd.action(async (flags: ServeFlags) => {
    if (!flags.tls && !LOOPBACK.has(flags.host)) throw new CliError('--no-tls is only allowed on a loopback address (--host 127.0.0.1)');
    const dataDir = resolveDataDir(flags.data);
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
      auth: { adminTokenHash: admin.hash, apiKeys: new ApiKeys(dataDir) },
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
    if (tls?.created) process.stdout.write(`A self-signed certificate was created: ${tls.certPath}\n`);
    if (tls) process.stdout.write(`Clients trust it with: NODE_EXTRA_CA_CERTS=${tls.certPath}\n`);
    // Keep running until a signal arrives.
    await new Promise<never>(() => undefined);
  });
  return cmd;
}
