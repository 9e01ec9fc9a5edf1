// Bearer JWTs from an OpenID Connect issuer: a real issuer over HTTPS (discovery and JWKS, test
// certificate), the real server in process. Valid tokens read as their roles allow, in their own
// tenant; every kind of bad token is a 401; a valid token without a reading role is a 403; a new
// signing key is picked up.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { base64url, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { OTHER_TENANT, TENANT, TestIssuer } from './helpers/oidc-issuer.js';
import { incoming, signIn } from './helpers/records.js';

const ADMIN = 'jwt-test-admin-token-0123456789';
const AUDIENCE = 'api://gatelog';
const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  securityOperator: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
};

let dir: string;
let store: SignInStore;
let app: FastifyInstance;
let idp: TestIssuer;
const mine = signIn({ resourceTenantId: TENANT });
const theirs = signIn({ resourceTenantId: OTHER_TENANT });

async function read(token: string, url = '/beta/auditLogs/signIns') {
  const r = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

function errorOf(body: Record<string, unknown>): { code: string; message: string } {
  return body['error'] as { code: string; message: string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-jwt-'));
  store = await DuckDbStore.open({ dataDir: dir });
  const w = store.openWriter();
  await w.add(incoming(mine));
  await w.add(incoming(theirs));
  await w.flush();
  idp = await TestIssuer.start();
  app = await buildServer({
    store,
    auth: { adminTokenHash: sha256Hex(ADMIN), oidc: { issuers: [idp.issuer], audience: [AUDIENCE], jwksCooldownMs: 0 } },
    skipTokenKey: Buffer.alloc(32, 4),
    throttle: { perSecond: 1e6, burst: 1e6 },
  });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('valid tokens', () => {
  it('lets a Reports Reader read sign-ins of its own tenant only', async () => {
    const token = await idp.sign({ wids: [ROLE.reportsReader] });
    const r = await read(token);
    expect(r.status).toBe(200);
    const ids = (r.body['value'] as { id: string }[]).map((x) => x.id);
    expect(ids).toContain(mine['id']);
    expect(ids).not.toContain(theirs['id']);
    expect((await read(token, `/beta/auditLogs/signIns/${theirs['id'] as string}`)).status).toBe(404);
    expect((await read(token, `/v1.0/auditLogs/signIns/${mine['id'] as string}`)).status).toBe(200);
  });

  it('grants read to each directory role that reads sign-in logs, and to AuditLog.Read.All', async () => {
    for (const id of [ROLE.globalAdministrator, ROLE.globalReader, ROLE.securityAdministrator, ROLE.securityOperator, ROLE.securityReader, ROLE.reportsReader]) {
      expect((await read(await idp.sign({ wids: [id] }))).status, id).toBe(200);
    }
    // An app's token (client credentials): the application permission in `roles`.
    const app_ = await idp.sign({ roles: ['AuditLog.Read.All'], preferred_username: undefined, app_displayname: 'SIEM connector' });
    expect((await read(app_)).status).toBe(200);
  });

  it('answers 403 to a valid token without a reading role', async () => {
    for (const claims of [{}, { wids: [ROLE.userAdministrator] }, { roles: ['User.Read.All', 'auditlog.read.all'] }, { scp: 'AuditLog.Read.All' }]) {
      const r = await read(await idp.sign(claims));
      expect(r.status, JSON.stringify(claims)).toBe(403);
      expect(errorOf(r.body).code).toBe('Authorization_RequestDenied');
    }
  });

  it('does not let a reading role ingest', async () => {
    const token = await idp.sign({ wids: [ROLE.globalAdministrator] });
    const r = await app.inject({ method: 'POST', url: '/ingest/signins', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(signIn()) });
    expect(r.statusCode).toBe(403);
  });
});

describe('tokens that are refused with 401', () => {
  const refused = async (token: string, message?: RegExp) => {
    const r = await read(token);
    expect(r.status).toBe(401);
    expect(errorOf(r.body).code).toBe('InvalidAuthenticationToken');
    if (message) expect(errorOf(r.body).message).toMatch(message);
  };
  const claims = { wids: [ROLE.reportsReader] };

  it('expired (beyond the 60 s skew)', async () => {
    await refused(await idp.sign(claims, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), /expired/);
  });

  it('accepts the clock skew: expired 30 s ago still reads', async () => {
    expect((await read(await idp.sign(claims, { expiresIn: Math.floor(Date.now() / 1000) - 30 }))).status).toBe(200);
  });

  it('not yet valid (nbf)', async () => {
    await refused(await idp.sign(claims, { notBefore: Math.floor(Date.now() / 1000) + 3600 }), /not valid yet/);
  });

  it('wrong audience', async () => {
    await refused(await idp.sign(claims, { audience: 'api://someone-else' }), /audience/);
  });

  it('wrong issuer (not configured), and a configured issuer\'s key naming another issuer', async () => {
    await refused(await idp.sign(claims, { issuer: 'https://login.example.invalid/other/v2.0' }), /issuer/);
    await refused(await idp.sign(claims, { issuer: `${idp.issuer}/` }), /issuer/);
  });

  it('unknown key (another key pair, an unknown kid)', async () => {
    const other = await TestIssuer.otherKey();
    await refused(await idp.sign(claims, { key: other }), /no signing key/);
  });

  it('another key under the issuer\'s own kid', async () => {
    const other = await TestIssuer.otherKey();
    await refused(await idp.sign(claims, { key: { kid: idp.kid, privateKey: other.privateKey } }), /signature/);
  });

  it('alg: none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: idp.kid }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(JSON.stringify({ iss: idp.issuer, aud: AUDIENCE, tid: TENANT, oid: 'x', wids: [ROLE.globalAdministrator], iat: now, exp: now + 600 }));
    await refused(`${header}.${payload}.`, /algorithm/);
  });

  it('HS256 signed with the issuer\'s public key as the secret', async () => {
    const jwks = (await (await fetch(`${idp.issuer.replace(/\/v2\.0$/, '')}/discovery/v2.0/keys`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys[0]?.['kid']).toBe(idp.kid);
    const { importJWK } = await import('jose');
    const publicKey = await importJWK(jwks.keys[0] as never, 'RS256');
    const pem = await exportSPKI(publicKey as never);
    for (const secret of [pem, JSON.stringify(jwks.keys[0])]) {
      const token = await new SignJWT({ tid: TENANT, oid: 'x', wids: [ROLE.globalAdministrator] })
        .setProtectedHeader({ alg: 'HS256', kid: idp.kid })
        .setIssuer(idp.issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secret));
      await refused(token, /algorithm/);
    }
  });

  it('tampered payload (a role added after signing)', async () => {
    const token = await idp.sign({ wids: [ROLE.userAdministrator] });
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload['wids'] = [ROLE.globalAdministrator];
    await refused(`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, /signature/);
  });

  it('a token of an ES256 key pair that is not the issuer\'s', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ tid: TENANT, oid: 'x', wids: [ROLE.reportsReader] }).setProtectedHeader({ alg: 'ES256', kid: 'es-unknown' }).setIssuer(idp.issuer).setAudience(AUDIENCE).setExpirationTime('10m').sign(privateKey);
    await refused(token);
  });

  it('malformed JWT-shaped tokens', async () => {
    await refused('abc.def.ghi');
    await refused(`${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('not json')}.c2ln`);
  });
});

describe('JWTs where no issuer is configured', () => {
  it('are refused with 401', async () => {
    const plain = await buildServer({ store, auth: { adminTokenHash: sha256Hex(ADMIN) }, skipTokenKey: Buffer.alloc(32, 4) });
    try {
      const r = await plain.inject({ url: '/beta/auditLogs/signIns', headers: { authorization: `Bearer ${await idp.sign({ wids: [ROLE.reportsReader] })}` } });
      expect(r.statusCode).toBe(401);
      expect(JSON.parse(r.body).error.message).toMatch(/no OpenID Connect issuer/);
    } finally {
      await plain.close();
    }
  });
});

describe('key rotation', () => {
  it('accepts a token signed with a new key once the JWKS has it (an unknown kid fetches the JWKS again)', async () => {
    const before = await idp.sign({ wids: [ROLE.reportsReader] });
    expect((await read(before)).status).toBe(200);
    const fetches = idp.jwksFetches;
    const oldKid = idp.kid;
    await idp.rotate();
    expect(idp.kid).not.toBe(oldKid);
    const after = await idp.sign({ wids: [ROLE.reportsReader] });
    expect((await read(after)).status).toBe(200);
    expect(idp.jwksFetches).toBeGreaterThan(fetches);
  });
});

describe('the test issuer', () => {
  it('is served over HTTPS with the test certificate', () => {
    expect(idp.issuer).toMatch(/^https:\/\/localhost:\d+\//);
    expect(readFileSync(process.env['GATELOG_TEST_TLS_CERT'] as string, 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});
