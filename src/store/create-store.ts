// The store factory: the one place that knows every backend.
import { DuckDbStore, StoreLockedError } from './duckdb/duckdb-store.js';
import type { SignInStore } from './sign-in-store.js';
import { GatelogError } from '../errors.js';

export interface DuckDbConfig {
  kind: 'duckdb';
  dataDir: string;
  threads?: number;
  memoryLimit?: string;
  batchRecords?: number;
}

export type StoreConfig = DuckDbConfig;

export const STORE_KINDS = ['duckdb'] as const;

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
    default: {
      const kind: never = config.kind;
      throw new GatelogError('Request_BadRequest', `unknown store '${String(kind)}'; valid values: ${STORE_KINDS.join(', ')}`);
    }
  }
}
