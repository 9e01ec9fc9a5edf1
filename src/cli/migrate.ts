// gatelog migrate: move the embedded DuckDB store to a ClickHouse server or cluster.
import { Command, Option } from 'commander';
import { openStore } from '../compose.js';
import { copyStore } from '../ingest/copy-store.js';
import { CliError } from './context.js';

interface MigrateFlags {
  to: string;
  data?: string;
  clickhouseUrl?: string;
  clickhouseCluster?: string;
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('copy the embedded DuckDB store (--data) into ClickHouse; the DuckDB store is left as it was')
    .addOption(new Option('--to <store>', 'target store').choices(['clickhouse']).makeOptionMandatory())
    .addOption(new Option('--data <dir>', 'the DuckDB data directory (default: $GATELOG_DATA or ./gatelog-data)'))
    .addOption(new Option('--clickhouse-url <url>', 'target ClickHouse HTTP URL (default: $GATELOG_CLICKHOUSE_URL)'))
    .addOption(new Option('--clickhouse-cluster <name>', 'target cluster (default: $GATELOG_CLICKHOUSE_CLUSTER)'))
    .action(async (flags: MigrateFlags) => {
      const from = await openStore({ store: 'duckdb', ...(flags.data ? { data: flags.data } : {}) });
      try {
        const to = await openStore({ store: 'clickhouse', ...(flags.clickhouseUrl ? { clickhouseUrl: flags.clickhouseUrl } : {}), ...(flags.clickhouseCluster ? { clickhouseCluster: flags.clickhouseCluster } : {}) });
        try {
          const total = await from.count();
          const s = await copyStore(from, to, (n) => process.stderr.write(`migrate: ${n} of ${total} sign-ins\r`));
          process.stderr.write('\n');
          const after = await to.count();
          process.stderr.write(`copied ${s.lineItems} sign-ins (${s.inserted} new, ${s.updated} updated, ${s.unchanged} already there) and ${s.rejects} rejects; the ClickHouse store holds ${after} sign-ins\n`);
          if (after < total) throw new CliError(`the target holds ${after} sign-ins, fewer than the ${total} of the source`);
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    });
}
