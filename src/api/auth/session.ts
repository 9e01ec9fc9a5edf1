// Browser sessions: the `gatelog_session` cookie is an HMAC-signed, expiring value naming the caller
// (never a credential), with the CSRF token of the session; `gatelog_csrf` holds the same CSRF token
// where the page's script can read it (double submit). Also the short-lived signed cookie of a web
// sign-in in progress (state, nonce, PKCE verifier). Cookies are parsed and written here by hand.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GatelogError } from '../../errors.js';
import type { Caller, Scope } from './caller.js';

export const SESSION_COOKIE = 'gatelog_session';
export const CSRF_COOKIE = 'gatelog_csrf';
export const FLOW_COOKIE = 'gatelog_oidc';
export const CSRF_HEADER = 'x-csrf-token';

/** Default session lifetime: a working day. */
export const DEFAULT_SESSION_TTL_SECONDS = 8 * 3600;
/** A web sign-in must come back from the identity provider within this. */
export const FLOW_TTL_SECONDS = 600;

/** The caller as a session names it. */
export interface SessionCaller {
  id: string;
  kind: Caller['kind'];
  name: string;
  scopes: Scope[];
  tenants: string[] | null;
}

export interface Session {
  typ: 'session';
  /** Session id, for logout (revocation until expiry). */
  sid: string;
  caller: SessionCaller;
  csrf: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface SignInFlow {
  typ: 'oidc-flow';
  issuer: string;
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  exp: number;
}

/** `name=value` pairs of a Cookie header (first wins; values URI-decoded when they can be). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      /* kept as it is */
    }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax';
  path?: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

/** A Set-Cookie value; always Secure (the server is HTTPS, or behind a TLS proxy on loopback). */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path ?? '/'}`,
    `Max-Age=${o.maxAge}`,
    ...(o.maxAge === 0 ? ['Expires=Thu, 01 Jan 1970 00:00:00 GMT'] : []),
    'Secure',
    ...(o.httpOnly ? ['HttpOnly'] : []),
    `SameSite=${o.sameSite}`,
  ].join('; ');
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Signs and reads the server's cookies; keeps logged-out sessions refused until they expire. */
export class Sessions {
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    readonly ttlSeconds = DEFAULT_SESSION_TTL_SECONDS,
  ) {
    if (key.length < 32) throw new Error('the session key must be at least 32 bytes');
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  /** `base64url(JSON).base64url(HMAC)`. */
  seal(value: Session | SignInFlow): string {
    const body = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  private open(text: string, now: number): Record<string, unknown> | null {
    const dot = text.indexOf('.');
    if (dot <= 0) return null;
    const body = text.slice(0, dot);
    if (!equal(text.slice(dot + 1), this.mac(body))) return null;
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof v['exp'] !== 'number' || v['exp'] <= now / 1000) return null;
      return v;
    } catch {
      return null;
    }
  }

  /** A new session for a caller. */
  issue(caller: Caller, now = Date.now()): Session {
    return {
      typ: 'session',
      sid: randomToken(16),
      caller: { id: caller.id, kind: caller.kind, name: caller.name, scopes: [...caller.scopes], tenants: caller.tenants === null ? null : [...caller.tenants] },
      csrf: randomToken(),
      exp: Math.floor(now / 1000) + this.ttlSeconds,
    };
  }

  /** The session a cookie value holds, when it is genuine, unexpired and not logged out. */
  read(text: string, now = Date.now()): Session | null {
    const v = this.open(text, now);
    if (!v || v['typ'] !== 'session' || typeof v['sid'] !== 'string' || typeof v['csrf'] !== 'string') return null;
    if (this.revoked.has(v['sid'])) return null;
    return v as unknown as Session;
  }

  readFlow(text: string, now = Date.now()): SignInFlow | null {
    const v = this.open(text, now);
    return v && v['typ'] === 'oidc-flow' ? (v as unknown as SignInFlow) : null;
  }

  /** Logout: the session is refused from now on (kept in memory until it would have expired). */
  revoke(session: Session, now = Date.now()): void {
    for (const [sid, exp] of this.revoked) if (exp <= now / 1000) this.revoked.delete(sid);
    if (this.revoked.size >= 100_000) this.revoked.delete(this.revoked.keys().next().value as string);
    this.revoked.set(session.sid, session.exp);
  }

  /** Set-Cookie values that sign the browser in. */
  cookiesFor(session: Session): string[] {
    return [
      serializeCookie(SESSION_COOKIE, this.seal(session), { httpOnly: true, sameSite: 'Strict', maxAge: this.ttlSeconds }),
      // Readable by the page's script, which sends it back in X-CSRF-Token.
      serializeCookie(CSRF_COOKIE, session.csrf, { httpOnly: false, sameSite: 'Strict', maxAge: this.ttlSeconds }),
    ];
  }
}

/** Set-Cookie values that sign the browser out. */
export function clearedCookies(): string[] {
  return [
    serializeCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'Strict', maxAge: 0 }),
    serializeCookie(CSRF_COOKIE, '', { httpOnly: false, sameSite: 'Strict', maxAge: 0 }),
  ];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function first(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

/**
 * CSRF defence for a request authenticated by the session cookie: a request that is not GET/HEAD
 * must carry X-CSRF-Token equal to the gatelog_csrf cookie and to the session's own token, and,
 * when the browser says where it comes from (Origin, Sec-Fetch-Site), come from this origin.
 */
export function checkCsrf(request: FastifyRequest, session: Session): void {
  if (SAFE_METHODS.has(request.method)) return;
  const deny = (why: string): never => {
    throw new GatelogError('Authorization_RequestDenied', `Cross-site request refused: ${why}. A request signed in by the session cookie must send the X-CSRF-Token header with the value of the gatelog_csrf cookie, from this site.`);
  };
  const header = first(request.headers[CSRF_HEADER]);
  const cookie = parseCookies(request.headers.cookie).get(CSRF_COOKIE);
  if (!header) deny('no X-CSRF-Token header');
  if (!cookie || !equal(header as string, cookie) || !equal(header as string, session.csrf)) deny('the X-CSRF-Token header does not match');
  const site = first(request.headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin') deny(`the browser says the request is ${site}`);
  const origin = first(request.headers.origin);
  if (origin !== undefined) {
    let same: boolean;
    try {
      // Both sides through URL, so a default port written or not compares equal.
      const from = new URL(origin);
      same = origin !== 'null' && from.host === new URL(`${from.protocol}//${String(request.headers.host ?? '')}`).host;
    } catch {
      same = false;
    }
    if (!same) deny(`the request comes from origin ${origin.slice(0, 200)}`);
  }
}
