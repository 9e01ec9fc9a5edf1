// Authentication: a bearer token — the local admin token (compared by hash, in constant time), an API
// key, or a JWT from a configured OpenID Connect issuer — or the browser's session cookie (with its
// CSRF check). A request that sends Authorization is judged by it alone, never by its cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GatelogError } from '../../errors.js';
import { sha256Hex } from '../secrets.js';
import { ApiKeys } from './api-keys.js';
import { ALL_SCOPES, type Caller } from './caller.js';
import { JwtVerifier, looksLikeJwt, type OidcConfig } from './jwt.js';
import { checkCsrf, parseCookies, SESSION_COOKIE, Sessions, type Session } from './session.js';

export interface AuthConfig {
  adminTokenHash: string;
  /** API keys (scoped); none when absent. */
  apiKeys?: ApiKeys;
  /** Bearer JWTs and web sign-in from OpenID Connect issuers; off when absent. */
  oidc?: OidcConfig;
  /** Key that signs session cookies (DATA/secrets/session.key); a random one per process when absent. */
  sessionKey?: Buffer;
  /** Session lifetime in seconds (default 8 hours). */
  sessionTtlSeconds?: number;
}

const EMPTY = 'Access token is empty: send Authorization: Bearer <token>.';

function bearer(header: string): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? (m[1] as string) : null;
}

export class Authenticator {
  readonly sessions: Sessions;
  readonly oidc: JwtVerifier | null;
  private readonly adminId: string;

  constructor(private readonly config: AuthConfig) {
    this.sessions = new Sessions(config.sessionKey ?? randomBytes(32), config.sessionTtlSeconds);
    this.oidc = config.oidc ? new JwtVerifier(config.oidc) : null;
    this.adminId = `admin:${config.adminTokenHash.slice(0, 12)}`;
  }

  private admin(): Caller {
    return { id: this.adminId, kind: 'admin-token', name: 'local administrator', scopes: ALL_SCOPES, tenants: null };
  }

  /** The caller of a request, or a 401 (403 for a cookie request that fails the CSRF check). */
  async authenticate(request: FastifyRequest): Promise<Caller> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = bearer(header);
      if (!token) throw new GatelogError('InvalidAuthenticationToken', 'The Authorization header is not a bearer token: send Authorization: Bearer <token>.');
      return this.fromToken(token);
    }
    const cookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (cookie !== undefined) {
      const s = this.session(cookie);
      if (!s) throw new GatelogError('InvalidAuthenticationToken', 'The session has expired or is not valid: sign in again.');
      checkCsrf(request, s.session);
      return s.caller;
    }
    throw new GatelogError('InvalidAuthenticationToken', EMPTY);
  }

  /** The caller a bearer token is, or a 401. */
  async fromToken(token: string): Promise<Caller> {
    if (ApiKeys.looksLikeKey(token)) {
      const v = this.config.apiKeys?.verify(token) ?? { problem: 'API keys are not enabled here' };
      if ('problem' in v) throw new GatelogError('InvalidAuthenticationToken', `Access token validation failure: ${v.problem}.`);
      return { id: `key:${v.key.id}`, kind: 'api-key', name: v.key.name, scopes: new Set([v.key.scope]), tenants: v.key.tenants ?? null };
    }
    const given = Buffer.from(sha256Hex(token), 'hex');
    const expected = Buffer.from(this.config.adminTokenHash, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return this.admin();
    if (looksLikeJwt(token)) {
      if (!this.oidc) throw new GatelogError('InvalidAuthenticationToken', 'Access token validation failure: JWT bearer tokens are not accepted here (no OpenID Connect issuer is configured).');
      return this.oidc.verifyAccessToken(token);
    }
    throw new GatelogError('InvalidAuthenticationToken', 'Access token validation failure: the token is not valid here.');
  }

  /**
   * The session a cookie holds and its caller, when it is still good: an admin session only while
   * the admin token is the same, an API-key session only while the key is valid (its current scope).
   */
  session(cookie: string): { session: Session; caller: Caller } | null {
    const session = this.sessions.read(cookie);
    if (!session) return null;
    const c = session.caller;
    if (c.kind === 'admin-token') return c.id === this.adminId ? { session, caller: this.admin() } : null;
    if (c.kind === 'api-key') {
      const k = this.config.apiKeys?.list().find((x) => `key:${x.id}` === c.id);
      if (!k || k.revokedAt || (k.expiresAt && Date.parse(k.expiresAt) <= Date.now())) return null;
      return { session, caller: { id: c.id, kind: 'api-key', name: k.name, scopes: new Set([k.scope]), tenants: k.tenants ?? null } };
    }
    return { session, caller: { id: c.id, kind: 'jwt', name: c.name, scopes: new Set(c.scopes), tenants: c.tenants } };
  }
}
