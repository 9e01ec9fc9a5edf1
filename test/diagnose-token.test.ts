// Find-by-token: a pasted JWT is decoded without checking its signature; its uti gives the unique
// token identifier and the request ID (semantics.md §1.3), its sid the session ID, and each finds
// the sign-ins that carry it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../src/diagnose/diagnose.js';
import { readToken } from '../src/diagnose/token.js';
import { GatelogError } from '../src/errors.js';
import { requestIdToUniqueTokenIdentifier, uniqueTokenIdentifierToRequestId } from '../src/model/unique-token-identifier.js';
import { ALL_TENANTS, ScopedReader } from '../src/query/scoped-reader.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { makeToken } from './diagnose.case.js';
import { incoming, signIn } from './helpers/records.js';

// The worked example of semantics.md §1.3.
const REQUEST_ID = '35918bc9-196d-40ea-9779-889d79b753f0';
const UTI = 'yYuRNW0Z6kCXeYidebdT8A';
const SESSION = '0a1b2c3d-0000-4000-8000-5e5510000001';

describe('the worked example', () => {
  it('holds both ways', () => {
    expect(requestIdToUniqueTokenIdentifier(REQUEST_ID)).toBe(UTI);
    expect(uniqueTokenIdentifierToRequestId(UTI)).toBe(REQUEST_ID);
    expect(readToken(makeToken({ uti: UTI })).requestId).toBe(REQUEST_ID);
  });
});

describe('reading a token', () => {
  it('reads uti, sid and iat, and says the signature was not checked', () => {
    const t = readToken(`Bearer ${makeToken({ uti: UTI, sid: SESSION, upn: 'megan@contoso.example' })}`);
    expect(t).toMatchObject({ signatureChecked: false, uniqueTokenIdentifier: UTI, requestId: REQUEST_ID, sessionId: SESSION, issuedAt: '2026-03-01T10:00:00.000Z', header: { alg: 'RS256', kid: 'test-key' } });
    expect(t.notice).toMatch(/without checking its signature/);
    expect(t.claims['upn']).toBe('megan@contoso.example');
  });

  it('refuses what is not a JWT, saying what is wrong', () => {
    expect(() => readToken('abc')).toThrow(/three parts/);
    expect(() => readToken('a.b.c.d.e')).toThrow(/encrypted token/);
    expect(() => readToken('%%%.e30.x')).toThrow(GatelogError);
    expect(() => readToken(`${Buffer.from('{"alg":"none"}').toString('base64url')}.bm90IGpzb24.x`)).toThrow(/claims/);
  });
});

describe('finding the sign-ins of a token', () => {
  let dir: string;
  let store: SignInStore;
  // Three sign-ins: one with the token's request ID and uti, one carrying only the uti (its id
  // another), one of the same session (sid) only; and an unrelated one.
  const both = signIn({ id: REQUEST_ID, uniqueTokenIdentifier: UTI, sessionId: SESSION, createdDateTime: '2026-03-01T10:00:00Z' });
  const otherUti = 'AAECAwQFBgcICQoLDA0ODw';
  const byUtiOnly = signIn({ uniqueTokenIdentifier: otherUti, createdDateTime: '2026-03-01T10:01:00Z' });
  const sameSession = signIn({ sessionId: SESSION, createdDateTime: '2026-03-01T10:02:00Z', status: { errorCode: 50074 } });
  const unrelated = signIn({ sessionId: '99999999-0000-4000-8000-000000000000' });
  const byIdOnly = signIn({ id: uniqueTokenIdentifierToRequestId('AQIDBAUGBwgJCgsMDQ4PEA') as string });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-token-'));
    store = await DuckDbStore.open({ dataDir: dir });
    const w = store.openWriter();
    for (const r of [both, byUtiOnly, sameSession, unrelated, byIdOnly]) await w.add(incoming(r));
    await w.flush();
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const reader = (): ScopedReader => new ScopedReader(store, ALL_TENANTS);

  it('finds the sign-in by unique token identifier and by request ID, and the session by sid', async () => {
    const r = await diagnose(reader(), { kind: 'token', token: makeToken({ uti: UTI, sid: SESSION }) });
    expect(r.token).toMatchObject({ uniqueTokenIdentifier: UTI, requestId: REQUEST_ID, signatureChecked: false });
    expect(r.notes.join(' ')).toMatch(/without checking its signature/);
    expect(r.signIns.map((s) => [s.id, s.matchedBy])).toEqual([
      [sameSession['id'], ['sessionId']],
      [REQUEST_ID, ['uniqueTokenIdentifier', 'requestId', 'sessionId']],
    ]);
    // The token's own sign-in is diagnosed first.
    expect(r.diagnoses[0]?.signIn.id).toBe(REQUEST_ID);
    expect(JSON.stringify(r)).not.toContain('not a real signature');
  });

  it('finds a sign-in by its unique token identifier alone', async () => {
    const r = await diagnose(reader(), { kind: 'token', token: makeToken({ uti: otherUti }) });
    expect(r.signIns.map((s) => [s.id, s.matchedBy])).toEqual([[byUtiOnly['id'], ['uniqueTokenIdentifier']]]);
  });

  it('finds a sign-in by the request ID its uti encodes alone', async () => {
    const r = await diagnose(reader(), { kind: 'token', token: makeToken({ uti: 'AQIDBAUGBwgJCgsMDQ4PEA' }) });
    expect(r.signIns.map((s) => [s.id, s.matchedBy])).toEqual([[byIdOnly['id'], ['requestId']]]);
  });

  it('a uti given as the id finds the sign-in too', async () => {
    const r = await diagnose(reader(), { kind: 'id', id: UTI });
    expect(r.signIns.map((s) => s.id)).toEqual([REQUEST_ID]);
  });

  it('a token whose sign-in Gatelog does not hold says so', async () => {
    const r = await diagnose(reader(), { kind: 'token', token: makeToken({ uti: requestIdToUniqueTokenIdentifier('12345678-0000-4000-8000-000000000000') }) });
    expect(r.signIns).toEqual([]);
    expect(r.notes.join(' ')).toContain('No sign-in found for the token (uti eFY0EgAAAECAAAAAAAAAAA = request ID 12345678-0000-4000-8000-000000000000');
  });
});
