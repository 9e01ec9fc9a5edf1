// The store factory: the one place that knows every backend.
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { DuckDbStore, StoreLockedError } from './duckdb/duckdb-store.js';
import type { SignInStore } from './sign-in-store.js';
export { DEFAULT_MEMORY_LIMIT as DEFAULT_DUCKDB_MEMORY_LIMIT } from './duckdb/duckdb-writer.js';
import { GatelogError } from '../errors.js';

export interface DuckDbConfig {
  kind: 'duckdb';
  dataDir: string;
  threads?: number;
  memoryLimit?: string;
  /** A bulk import with the store to itself (DuckDbStoreOptions.bulkLoad). */
  bulkLoad?: boolean;
  batchRecords?: number;
}

export interface ClickHouseConfig {
  kind: 'clickhouse';
  /** HTTP(S) URL of a ClickHouse server (user and password in it if needed; a path names the database). */
  url: string;
  /** Cluster to shard over (from the servers' remote_servers); absent: a single server. */
  cluster?: string;
  /** Database (default: the URL's path, else `gatelog`). */
  database?: string;
  batchRecords?: number;
}

export type StoreConfig = DuckDbConfig | ClickHouseConfig;

export const STORE_KINDS = ['duckdb', 'clickhouse'] as const;

/** Opens (and migrates) the store a configuration names. */
export async function createStore(config: StoreConfig): Promise<SignInStore> {
  switch (config.kind) {
    case 'duckdb':
      try {
        return await DuckDbStore.open(config);
      } catch (e) {
        if (e instanceof StoreLockedError) throw new GatelogError('Store_Locked', e.message);
        throw e;
      }
    case 'clickhouse':
      return ClickHouseStore.open(config);
    default: {
      const kind: never = config;
      throw new GatelogError('Request_BadRequest', `unknown store '${String((kind as { kind: unknown }).kind)}'; valid values: ${STORE_KINDS.join(', ')}`);
    }
  }
}
