// What every command shares: exit codes, error printing, the store options.
import { Option, type Command } from 'commander';
import { GatelogError } from '../errors.js';
import { DEFAULT_DUCKDB_MEMORY_LIMIT, STORE_KINDS } from '../store/create-store.js';

/** Exit codes: 0 success, 1 a user error (message printed), 2 partial success (some records rejected). */
export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_PARTIAL = 2;

/** A user error: printed as `gatelog: message`, exit 1. */
export class CliError extends Error {}

/** The options that choose the store: --data, --store, --clickhouse-url, --clickhouse-cluster (see compose.ts). */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data <dir>', 'data directory (default: $GATELOG_DATA or ./gatelog-data)'))
    .addOption(new Option('--store <kind>', 'store backend (default: $GATELOG_STORE or duckdb)').choices([...STORE_KINDS]))
    .addOption(new Option('--clickhouse-url <url>', 'ClickHouse HTTP URL, http[s]://[user:password@]host:8123[/database] (default: $GATELOG_CLICKHOUSE_URL)'))
    .addOption(new Option('--clickhouse-cluster <name>', 'ClickHouse cluster to shard over (default: $GATELOG_CLICKHOUSE_CLUSTER; none: a single server)'));
}

export function parsePositiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new CliError(`${name} must be a whole number from 1 to ${max}, got '${value}'`);
    }
    return n;
  };
}

/**
 * The message for the embedded store running out of its memory limit: what happened and the
 * setting that changes it, instead of DuckDB's advice (SET statements a user of gatelog cannot run).
 */
export function outOfMemoryMessage(e: unknown, env: NodeJS.ProcessEnv = process.env): string | null {
  const first = /^(?:Error: )?Out of Memory Error: ([^\n]*)/.exec(e instanceof Error ? e.message : String(e))?.[1];
  if (first === undefined) return null;
  const limit = env['GATELOG_DUCKDB_MEMORY_LIMIT'];
  return `the store ran out of memory (${first.trim()}); its limit is ${limit ? `GATELOG_DUCKDB_MEMORY_LIMIT=${limit}` : `the default, ${DEFAULT_DUCKDB_MEMORY_LIMIT}`}: set a higher one, e.g. GATELOG_DUCKDB_MEMORY_LIMIT=2GB (what was written before stays; importing the same files again skips it)`;
}

/** Prints an error for a person and returns the exit code. */
export function reportError(e: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (e instanceof CliError || e instanceof GatelogError) {
    stderr.write(`gatelog: ${e.message}\n`);
    return EXIT_USER_ERROR;
  }
  const memory = outOfMemoryMessage(e);
  if (memory) {
    stderr.write(`gatelog: ${memory}\n`);
    return EXIT_USER_ERROR;
  }
  const err = e as Error;
  stderr.write(`gatelog: unexpected error: ${err?.stack ?? String(e)}\n`);
  return EXIT_USER_ERROR;
}
