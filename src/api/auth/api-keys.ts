// API keys for programs: scoped (read / ingest / admin), optionally limited to log tenants, with an
// expiry, revocable. Only a hash of each key is kept, in DATA/secrets/api-keys.json; the key is
// shown once when it is created. The file is read again when it changes, so a key revoked with
// `gatelog keys revoke` stops working on a running server at once.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../secrets.js';
import type { Scope } from './caller.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: Scope;
  /** SHA-256 of the secret part, hex. */
  hash: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  /** Log tenants the key may read or write; absent: every tenant. */
  tenants?: string[];
}

const PREFIX = 'glk_';

export class ApiKeys {
  private cache: { mtimeMs: number; keys: ApiKeyRecord[] } | null = null;

  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, 'secrets', 'api-keys.json');
  }

  list(): ApiKeyRecord[] {
    if (!existsSync(this.path)) return [];
    const mtimeMs = statSync(this.path).mtimeMs;
    if (!this.cache || this.cache.mtimeMs !== mtimeMs) this.cache = { mtimeMs, keys: JSON.parse(readFileSync(this.path, 'utf8')) as ApiKeyRecord[] };
    return this.cache.keys;
  }

  private save(keys: ApiKeyRecord[]): void {
    mkdirSync(join(this.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.cache = null;
  }

  /** Creates a key; returns its record and the key itself (shown once, never stored). */
  create(options: { name: string; scope: Scope; expiresAt?: Date; tenants?: string[] }): { record: ApiKeyRecord; key: string } {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(24).toString('base64url');
    const record: ApiKeyRecord = {
      id,
      name: options.name,
      scope: options.scope,
      hash: sha256Hex(secret),
      createdAt: new Date().toISOString(),
      ...(options.expiresAt ? { expiresAt: options.expiresAt.toISOString() } : {}),
      ...(options.tenants?.length ? { tenants: options.tenants } : {}),
    };
    this.save([...this.list(), record]);
    return { record, key: `${PREFIX}${id}_${secret}` };
  }

  /** Revokes a key; false when there is no such key. */
  revoke(id: string): boolean {
    const keys = this.list().map((k) => ({ ...k }));
    const k = keys.find((x) => x.id === id);
    if (!k) return false;
    k.revokedAt ??= new Date().toISOString();
    this.save(keys);
    return true;
  }

  static looksLikeKey(token: string): boolean {
    return token.startsWith(PREFIX);
  }

  /** The key a bearer token is, when it is a valid, unexpired, unrevoked key; else why not. */
  verify(token: string, now = new Date()): { key: ApiKeyRecord } | { problem: string } {
    const m = /^glk_([0-9a-f]{12})_([\w-]{32})$/.exec(token);
    if (!m) return { problem: 'not a Gatelog API key' };
    const k = this.list().find((x) => x.id === m[1]);
    const given = Buffer.from(sha256Hex(m[2] as string), 'hex');
    if (!k || !timingSafeEqual(given, Buffer.from(k.hash, 'hex'))) return { problem: 'unknown API key' };
    if (k.revokedAt) return { problem: `API key ${k.id} was revoked` };
    if (k.expiresAt && Date.parse(k.expiresAt) <= now.getTime()) return { problem: `API key ${k.id} expired at ${k.expiresAt}` };
    return { key: k };
  }
}
