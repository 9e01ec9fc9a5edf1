// The composition root: turns configuration (flags, environment) into the parts that serve it.
import { resolve } from 'node:path';
import { createStore, type StoreConfig } from './store/create-store.js';
import type { SignInStore } from './store/sign-in-store.js';

export interface StoreOptions {
  /** --data DIR */
  data?: string;
}

/** The data directory: --data, else GATELOG_DATA, else ./gatelog-data. */
export function resolveDataDir(data: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(data ?? env['GATELOG_DATA'] ?? './gatelog-data');
}

export function storeConfig(options: StoreOptions, env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return { kind: 'duckdb', dataDir: resolveDataDir(options.data, env) };
}

export function openStore(options: StoreOptions, env: NodeJS.ProcessEnv = process.env): Promise<SignInStore> {
  return createStore(storeConfig(options, env));
}
