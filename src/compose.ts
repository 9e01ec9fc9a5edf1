// The composition root: turns configuration (flags, environment) into the parts that serve it.
import { resolve } from 'node:path';
import { GatelogError } from './errors.js';
import { createStore, STORE_KINDS, type StoreConfig } from './store/create-store.js';
import type { SignInStore } from './store/sign-in-store.js';

export interface StoreOptions {
  /** --data DIR */
  data?: string;
  /** --store duckdb|clickhouse (default: $GATELOG_STORE, else duckdb) */
  store?: string;
  /** --clickhouse-url URL (default: $GATELOG_CLICKHOUSE_URL) */
  clickhouseUrl?: string;
  /** --clickhouse-cluster NAME (default: $GATELOG_CLICKHOUSE_CLUSTER; none: a single server) */
  clickhouseCluster?: string;
}

/** The data directory: --data, else GATELOG_DATA, else ./gatelog-data. */
export function resolveDataDir(data: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(data ?? env['GATELOG_DATA'] ?? './gatelog-data');
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** The store the options and environment name; flags win over the environment. */
export function storeConfig(options: StoreOptions, env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const kind = nonEmpty(options.store) ?? nonEmpty(env['GATELOG_STORE']) ?? 'duckdb';
  switch (kind) {
    case 'duckdb':
      return { kind: 'duckdb', dataDir: resolveDataDir(options.data, env) };
    case 'clickhouse': {
      const url = nonEmpty(options.clickhouseUrl) ?? nonEmpty(env['GATELOG_CLICKHOUSE_URL']);
      if (!url) {
        throw new GatelogError('Request_BadRequest', 'the clickhouse store needs a server: --clickhouse-url http://HOST:8123[/DATABASE] (or GATELOG_CLICKHOUSE_URL)');
      }
      const cluster = nonEmpty(options.clickhouseCluster) ?? nonEmpty(env['GATELOG_CLICKHOUSE_CLUSTER']);
      return { kind: 'clickhouse', url, ...(cluster ? { cluster } : {}) };
    }
    default:
      throw new GatelogError('Request_BadRequest', `unknown store '${kind}'; valid values: ${STORE_KINDS.join(', ')}`);
  }
}

/** Opens the store; `bulkLoad`: a bulk import that has the store to itself (`gatelog import`). */
export function openStore(options: StoreOptions, env: NodeJS.ProcessEnv = process.env, use: { bulkLoad?: boolean } = {}): Promise<SignInStore> {
  const config = storeConfig(options, env);
  return createStore(config.kind === 'duckdb' && use.bulkLoad ? { ...config, bulkLoad: true } : config);
}
