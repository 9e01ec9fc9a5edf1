// OAuth 2.0 bearer JWTs from configured OpenID Connect issuers (Microsoft Entra ID first), and the
// id_token of the web sign-in. A token is accepted only when its issuer is one configured here, its
// signature checks with a key from that issuer's JWKS (discovered from
// <issuer>/.well-known/openid-configuration, or a configured JWKS URL; fetched and cached by jose,
// an unknown `kid` fetches again), its audience is ours, it is inside its validity (60 s of clock
// skew) and it is signed with an asymmetric algorithm. What the caller may do comes from the roles
// the token carries, as Entra grants access to sign-in logs (docs/security.md).
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GatelogError } from '../../errors.js';
import type { Caller, Scope } from './caller.js';

/** Directory role template IDs (the `wids` claim) that read sign-in logs in Entra, and what they grant here. */
export const DIRECTORY_ROLES: readonly { id: string; name: string; scopes: readonly Scope[] }[] = [
  { id: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator', scopes: ['read', 'admin'] },
  { id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', name: 'Global Reader', scopes: ['read'] },
  { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', name: 'Security Administrator', scopes: ['read'] },
  { id: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f', name: 'Security Operator', scopes: ['read'] },
  { id: '5d6b6bb7-de71-4623-b4af-96380a352509', name: 'Security Reader', scopes: ['read'] },
  { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', name: 'Reports Reader', scopes: ['read'] },
];

/** The application permission (app role, in the `roles` claim) that reads sign-in logs. */
export const READ_APP_ROLE = 'AuditLog.Read.All';

/** Asymmetric signatures only: never `none`, never HMAC (a public key must not become a shared secret). */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

/** Clock skew tolerated on exp / nbf / iat, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

const FETCH_TIMEOUT_MS = 5000;

export interface OidcConfig {
  /** Issuers whose tokens are accepted, exactly as they write `iss` (https URLs). */
  issuers: readonly string[];
  /** Audiences a bearer token may have (`aud`): the API's application ID URI or client id. */
  audience: readonly string[];
  /** The web sign-in's client id (the audience of its id_token); web sign-in is off without it. */
  clientId?: string;
  /** Client secret for the code exchange, when the app registration is a confidential client. */
  clientSecret?: string;
  /** JWKS URL instead of discovery; only with a single issuer. */
  jwksUri?: string;
  /** The redirect URI registered for the web sign-in; default https://<Host>/auth/callback. */
  redirectUri?: string;
  /** Least time between two JWKS fetches caused by an unknown `kid` (jose's cooldown; default 30 s). */
  jwksCooldownMs?: number;
}

/** The parts of an issuer's OpenID configuration Gatelog uses. */
export interface OidcMetadata {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
}

function httpsUrl(text: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new GatelogError('Request_BadRequest', `${what} '${text}' is not a URL.`);
  }
  if (u.protocol !== 'https:') throw new GatelogError('Request_BadRequest', `${what} '${text}' must be an https:// URL.`);
  return u;
}

/** Throws a GatelogError (400) saying what is wrong with an OIDC configuration. */
export function checkOidcConfig(config: OidcConfig): void {
  if (config.issuers.length === 0) throw new GatelogError('Request_BadRequest', 'OIDC: name at least one issuer (--oidc-issuer or GATELOG_OIDC_ISSUERS).');
  for (const i of config.issuers) httpsUrl(i, 'OIDC issuer');
  if (config.audience.length === 0) throw new GatelogError('Request_BadRequest', 'OIDC: name the audience of access tokens (--oidc-audience or GATELOG_OIDC_AUDIENCE).');
  if (config.jwksUri !== undefined) {
    if (config.issuers.length !== 1) throw new GatelogError('Request_BadRequest', 'OIDC: a JWKS URL (--oidc-jwks-uri) can only go with a single issuer; leave it out to discover each issuer\'s keys.');
    httpsUrl(config.jwksUri, 'OIDC JWKS URL');
  }
  if (config.redirectUri !== undefined) httpsUrl(config.redirectUri, 'OIDC redirect URI');
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** What a token's roles allow: directory roles (`wids`) and the AuditLog.Read.All application role (`roles`). */
export function scopesFromClaims(claims: JWTPayload): Set<Scope> {
  const scopes = new Set<Scope>();
  const wids = new Set(stringArray(claims['wids']).map((x) => x.toLowerCase()));
  for (const r of DIRECTORY_ROLES) if (wids.has(r.id)) for (const s of r.scopes) scopes.add(s);
  if (stringArray(claims['roles']).includes(READ_APP_ROLE)) scopes.add('read');
  return scopes;
}

/** The caller a verified token names: its user or app, its tenant, and what its roles allow. */
export function callerFromClaims(claims: JWTPayload): Caller {
  const who = typeof claims['oid'] === 'string' ? claims['oid'] : claims.sub;
  if (!claims.iss || !who) throw new GatelogError('InvalidAuthenticationToken', 'Access token validation failure: the token names no subject (oid or sub).');
  const tid = claims['tid'];
  const name = [claims['preferred_username'], claims['upn'], claims['name'], claims['app_displayname'], claims['azp'], claims['appid']].find((x): x is string => typeof x === 'string' && x !== '') ?? who;
  return {
    id: `jwt:${claims.iss}#${who}`,
    kind: 'jwt',
    name,
    // A token without a tenant reads no tenant: Entra always names one.
    scopes: typeof tid === 'string' && tid !== '' ? scopesFromClaims(claims) : new Set(),
    tenants: typeof tid === 'string' && tid !== '' ? [tid] : [],
  };
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A bearer token shaped like a compact JWS (three base64url parts; the last may be empty). */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/** Why jose refused a token, in words for the 401 (never the token itself). */
function reasonOf(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf') return 'the token is not valid yet (nbf)';
    if (e.claim === 'aud') return 'the token is meant for another audience (aud)';
    if (e.claim === 'iss') return 'the token comes from another issuer (iss)';
    if (e.claim === 'iat') return 'the token was issued in the future (iat)';
    return `the token's '${e.claim}' claim is not valid`;
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return `the token's signing algorithm is not allowed (only ${ALLOWED_ALGORITHMS.join(', ')})`;
  if (e instanceof errors.JWKSNoMatchingKey) return 'no signing key of the issuer matches the token (kid)';
  if (e instanceof errors.JWKSMultipleMatchingKeys) return 'several signing keys of the issuer match the token';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (e instanceof errors.JWKSTimeout) return 'the issuer\'s signing keys could not be fetched in time';
  if (e instanceof errors.JWKSInvalid) return 'the issuer\'s signing keys are not a valid JWKS';
  if (e instanceof errors.JOSEError) return 'the token is malformed or uses an unsupported algorithm';
  return 'the issuer\'s signing keys could not be fetched';
}

export class JwtVerifier {
  private readonly metadata = new Map<string, Promise<OidcMetadata>>();
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(readonly config: OidcConfig) {
    checkOidcConfig(config);
  }

  /** Web sign-in is on when a client id is configured. */
  get webSignIn(): boolean {
    return this.config.clientId !== undefined && this.config.clientId !== '';
  }

  /** The issuer the web sign-in uses: the first configured. */
  get loginIssuer(): string {
    return this.config.issuers[0] as string;
  }

  /** The issuer's OpenID configuration, fetched once (again after a failure). */
  metadataOf(issuer: string): Promise<OidcMetadata> {
    let p = this.metadata.get(issuer);
    if (!p) {
      p = fetchMetadata(issuer);
      p.catch(() => this.metadata.delete(issuer));
      this.metadata.set(issuer, p);
    }
    return p;
  }

  private keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    let p = this.keySets.get(issuer);
    if (!p) {
      p = (async () => {
        const uri = this.config.jwksUri ?? (await this.metadataOf(issuer)).jwks_uri;
        return createRemoteJWKSet(new URL(uri), { timeoutDuration: FETCH_TIMEOUT_MS, cooldownDuration: this.config.jwksCooldownMs ?? 30_000 });
      })();
      p.catch(() => this.keySets.delete(issuer));
      this.keySets.set(issuer, p);
    }
    return p;
  }

  private async verify(token: string, audience: string | readonly string[], issuer?: string): Promise<JWTPayload> {
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new GatelogError('InvalidAuthenticationToken', 'Access token validation failure: the token is not a well-formed JWT.');
    }
    if (iss === undefined || !this.config.issuers.includes(iss) || (issuer !== undefined && iss !== issuer)) {
      throw new GatelogError('InvalidAuthenticationToken', 'Access token validation failure: the token\'s issuer is not accepted here.');
    }
    try {
      const keys = await this.keysOf(iss);
      const { payload } = await jwtVerify(token, keys, {
        issuer: iss,
        audience: typeof audience === 'string' ? audience : [...audience],
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (e) {
      if (e instanceof GatelogError) throw e;
      throw new GatelogError('InvalidAuthenticationToken', `Access token validation failure: ${reasonOf(e)}.`);
    }
  }

  /** The caller of a bearer access token, or a 401. */
  async verifyAccessToken(token: string): Promise<Caller> {
    return callerFromClaims(await this.verify(token, this.config.audience));
  }

  /** The caller an id_token of the web sign-in names (audience: the client id; the nonce of the flow), or a 401. */
  async verifyIdToken(token: string, issuer: string, nonce: string): Promise<Caller> {
    const claims = await this.verify(token, this.config.clientId ?? '', issuer);
    if (typeof claims['nonce'] !== 'string' || claims['nonce'] !== nonce) {
      throw new GatelogError('InvalidAuthenticationToken', 'Sign-in failed: the id_token does not carry the nonce of this sign-in; start again.');
    }
    return callerFromClaims(claims);
  }
}

async function fetchMetadata(issuer: string): Promise<OidcMetadata> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error', headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    body = await r.json();
  } catch (e) {
    throw new GatelogError('InvalidAuthenticationToken', `The OpenID configuration of issuer ${issuer} could not be read (${e instanceof Error ? e.message : String(e)}); try again later.`);
  }
  const m = body as Partial<OidcMetadata> | null;
  // OpenID Connect Discovery: the document must name the issuer it was fetched for.
  if (!m || typeof m !== 'object' || m.issuer !== issuer || typeof m.jwks_uri !== 'string') {
    throw new GatelogError('InvalidAuthenticationToken', `The OpenID configuration at ${url} does not describe issuer ${issuer} (its 'issuer' differs or it has no 'jwks_uri').`);
  }
  for (const [name, value] of [['jwks_uri', m.jwks_uri], ['authorization_endpoint', m.authorization_endpoint], ['token_endpoint', m.token_endpoint]] as const) {
    if (value !== undefined && (typeof value !== 'string' || !value.startsWith('https://'))) {
      throw new GatelogError('InvalidAuthenticationToken', `The OpenID configuration at ${url} gives a ${name} that is not an https:// URL.`);
    }
  }
  return { issuer: m.issuer, jwks_uri: m.jwks_uri, ...(m.authorization_endpoint ? { authorization_endpoint: m.authorization_endpoint } : {}), ...(m.token_endpoint ? { token_endpoint: m.token_endpoint } : {}) };
}
