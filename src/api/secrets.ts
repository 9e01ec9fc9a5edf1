// Server secrets kept in the data directory (never in the store, never logged): the admin
// token's hash and the key that signs skiptokens.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function secretsDir(dataDir: string): string {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A random secret, base64url, created once per data directory and kept in `secrets/name`. */
export function loadOrCreateKey(dataDir: string, name: string): Buffer {
  const path = join(secretsDir(dataDir), name);
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64url'), { mode: 0o600 });
  return key;
}

export interface AdminToken {
  /** SHA-256 of the token, hex. */
  hash: string;
  /** The token itself, only when this call created it (to be shown once). */
  created?: string;
}

/**
 * The local admin bearer token. `GATELOG_ADMIN_TOKEN` sets it (scripts, tests); otherwise one is
 * created on first start, shown once, and only its hash is kept.
 */
export function loadOrCreateAdminToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): AdminToken {
  const fromEnv = env['GATELOG_ADMIN_TOKEN'];
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('GATELOG_ADMIN_TOKEN must be at least 16 characters');
    return { hash: sha256Hex(fromEnv) };
  }
  const path = join(secretsDir(dataDir), 'admin-token.sha256');
  if (existsSync(path)) return { hash: readFileSync(path, 'utf8').trim() };
  const token = `gla_${randomBytes(24).toString('base64url')}`;
  const hash = sha256Hex(token);
  writeFileSync(path, hash, { mode: 0o600 });
  return { hash, created: token };
}
