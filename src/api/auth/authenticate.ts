// Bearer authentication: the local admin token (compared by hash, in constant time) and API keys.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GatelogError } from '../../errors.js';
import { sha256Hex } from '../secrets.js';
import { ApiKeys } from './api-keys.js';
import { ALL_SCOPES, type Caller } from './caller.js';

export interface AuthConfig {
  adminTokenHash: string;
  /** API keys (scoped); none when absent. */
  apiKeys?: ApiKeys;
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? (m[1] as string) : null;
}

/** The caller of a request, or a 401 in Graph's shape. */
export function authenticate(request: FastifyRequest, config: AuthConfig): Caller {
  const token = bearer(request);
  if (!token) throw new GatelogError('InvalidAuthenticationToken', 'Access token is empty: send Authorization: Bearer <token>.');
  if (ApiKeys.looksLikeKey(token)) {
    const v = config.apiKeys?.verify(token) ?? { problem: 'API keys are not enabled here' };
    if ('problem' in v) throw new GatelogError('InvalidAuthenticationToken', `Access token validation failure: ${v.problem}.`);
    return { id: `key:${v.key.id}`, kind: 'api-key', name: v.key.name, scopes: new Set([v.key.scope]), tenants: v.key.tenants ?? null };
  }
  const given = Buffer.from(sha256Hex(token), 'hex');
  const expected = Buffer.from(config.adminTokenHash, 'hex');
  if (given.length === expected.length && timingSafeEqual(given, expected)) {
    return { id: `admin:${config.adminTokenHash.slice(0, 12)}`, kind: 'admin-token', name: 'local administrator', scopes: ALL_SCOPES, tenants: null };
  }
  throw new GatelogError('InvalidAuthenticationToken', 'Access token validation failure: the token is not valid here.');
}
