// gatelog keys: API keys for programs (ingestion pipelines, SIEM connectors, scripts).
import { Command, Option } from 'commander';
import { ApiKeys } from '../api/auth/api-keys.js';
import type { Scope } from '../api/auth/caller.js';
import { resolveDataDir } from '../compose.js';
import { CliError } from './context.js';
import { renderTable } from './output.js';

function parseExpiry(text: string): Date {
  const m = /^(\d+)([dh])$/.exec(text);
  if (m) return new Date(Date.now() + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000));
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new CliError(`--expires must be like 90d, 12h or a date-time, got '${text}'`);
  return d;
}

export function keysCommand(): Command {
  const cmd = new Command('keys').description('create, list and revoke API keys (kept as hashes in DATA/secrets/api-keys.json)');
  const data = (): Option => new Option('--data <dir>', 'data directory (default: $GATELOG_DATA or ./gatelog-data)');
  cmd
    .command('create')
    .description('create an API key and print it once')
    .addOption(new Option('--scope <scope>', 'what the key may do: read sign-ins, ingest (write only), admin').choices(['read', 'ingest', 'admin']).makeOptionMandatory())
    .addOption(new Option('--name <name>', 'a name to recognise the key by').default('api key'))
    .addOption(new Option('--expires <when>', 'expiry: 90d, 12h or a date-time (default: never)').argParser(parseExpiry))
    .addOption(new Option('--tenant <id...>', 'only these log tenants (default: all)'))
    .addOption(data())
    .action((flags: { scope: Scope; name: string; expires?: Date; tenant?: string[]; data?: string }) => {
      const keys = new ApiKeys(resolveDataDir(flags.data));
      const { record, key } = keys.create({ name: flags.name, scope: flags.scope, ...(flags.expires ? { expiresAt: flags.expires } : {}), ...(flags.tenant ? { tenants: flags.tenant } : {}) });
      process.stdout.write(`${key}\n`);
      process.stderr.write(`created API key ${record.id} (${record.scope}${record.tenants ? `, tenants ${record.tenants.join(', ')}` : ''}${record.expiresAt ? `, expires ${record.expiresAt}` : ''}); it is shown once: only its hash is kept\n`);
    });
  cmd
    .command('list')
    .description('list API keys (never the keys themselves)')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(data())
    .action((flags: { output: 'table' | 'json'; data?: string }) => {
      const list = new ApiKeys(resolveDataDir(flags.data)).list().map(({ hash: _hash, ...k }) => k);
      if (flags.output === 'json') process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else
        process.stdout.write(
          `${renderTable(
            ['ID', 'Name', 'Scope', 'Tenants', 'Created', 'Expires', 'Revoked'],
            list.map((k) => [k.id, k.name, k.scope, k.tenants?.join(' ') ?? 'all', k.createdAt, k.expiresAt ?? '', k.revokedAt ?? '']),
          )}\n`,
        );
    });
  cmd
    .command('revoke')
    .description('revoke an API key (a running server stops taking it at once)')
    .argument('<id>', 'the key id (from keys list)')
    .addOption(data())
    .action((id: string, flags: { data?: string }) => {
      if (!new ApiKeys(resolveDataDir(flags.data)).revoke(id)) throw new CliError(`no API key with id '${id}'`);
      process.stderr.write(`revoked API key ${id}\n`);
    });
  return cmd;
}
