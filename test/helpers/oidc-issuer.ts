// A small OpenID Connect issuer for tests, over HTTPS with the test certificate (trusted through
// NODE_EXTRA_CA_CERTS, set by test/global-setup.ts): its openid-configuration, a JWKS that can
// rotate, and the authorization-code flow with PKCE (an /authorize the test drives by hand, and a
// /token endpoint that checks the code verifier and answers an id_token).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(alg = 'RS256'): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  method: string;
  nonce: string;
  claims: JWTPayload;
}

export class TestIssuer {
  /** Exact `iss` of this issuer, Entra-shaped: https://localhost:PORT/<tenant>/v2.0. */
  issuer = '';
  /** Every JWKS fetch (for the rotation test). */
  jwksFetches = 0;
  private current!: KeyPair;
  private readonly codes = new Map<string, PendingCode>();
  private server!: Server;

  private constructor() {}

  static async start(): Promise<TestIssuer> {
    const t = new TestIssuer();
    t.current = await keyPair();
    const cert = process.env['GATELOG_TEST_TLS_CERT'];
    const key = process.env['GATELOG_TEST_TLS_KEY'];
    if (!cert || !key) throw new Error('the test TLS certificate is missing (test/global-setup.ts sets it)');
    t.server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => void t.handle(req, res));
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    const addr = t.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    t.issuer = `https://localhost:${port}/${TENANT}/v2.0`;
    return t;
  }

  get kid(): string {
    return this.current.kid;
  }

  /** Replaces the signing key: the JWKS holds only the new one from now on. */
  async rotate(): Promise<void> {
    this.current = await keyPair();
  }

  /** A token signed with the current key; `claims` are added to (or replace) the defaults. */
  sign(claims: JWTPayload, options: { audience?: string; issuer?: string; expiresIn?: string | number; notBefore?: string | number; key?: { kid: string; privateKey: CryptoKey } } = {}): Promise<string> {
    const key = options.key ?? this.current;
    let jwt = new SignJWT({ tid: TENANT, oid: randomUUID(), preferred_username: 'analyst@contoso.example', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'api://gatelog')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m');
    if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
    return jwt.sign(key.privateKey);
  }

  /** Another key pair, unknown to this issuer's JWKS. */
  static otherKey(): Promise<KeyPair> {
    return keyPair();
  }

  /**
   * The user signs in at /authorize: from the authorization URL Gatelog redirected to, the code
   * and state the identity provider sends back, remembering what the token endpoint must check.
   */
  authorize(authorizationUrl: string, claims: JWTPayload): { code: string; state: string; redirectUri: string } {
    const u = new URL(authorizationUrl);
    const p = (name: string): string => {
      const v = u.searchParams.get(name);
      if (v === null) throw new Error(`the authorization request has no ${name}`);
      return v;
    };
    if (p('response_type') !== 'code') throw new Error('response_type must be code');
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { clientId: p('client_id'), redirectUri: p('redirect_uri'), challenge: p('code_challenge'), method: p('code_challenge_method'), nonce: p('nonce'), claims });
    return { code, state: p('state'), redirectUri: p('redirect_uri') };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const base = `/${TENANT}/v2.0`;
    if (url.pathname === `${base}/.well-known/openid-configuration`) {
      return json(200, {
        issuer: this.issuer,
        jwks_uri: `${this.issuer.replace(/\/v2\.0$/, '')}/discovery/v2.0/keys`,
        authorization_endpoint: `${this.issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/token`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === `/${TENANT}/discovery/v2.0/keys`) {
      this.jwksFetches++;
      return json(200, { keys: [this.current.jwk] });
    }
    if (url.pathname === `/${TENANT}/oauth2/v2.0/token` && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code);
      if (!pending || form.get('grant_type') !== 'authorization_code') return json(400, { error: 'invalid_grant', error_description: 'unknown or used code' });
      if (form.get('client_id') !== pending.clientId || form.get('redirect_uri') !== pending.redirectUri) return json(400, { error: 'invalid_grant', error_description: 'client or redirect_uri differs' });
      const verifier = form.get('code_verifier') ?? '';
      const expected = pending.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : null;
      if (expected === null || expected !== pending.challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      const idToken = await this.sign({ ...pending.claims, nonce: pending.nonce }, { audience: pending.clientId });
      return json(200, { token_type: 'Bearer', id_token: idToken, access_token: 'not-used', expires_in: 3600 });
    }
    json(404, { error: 'not_found' });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
