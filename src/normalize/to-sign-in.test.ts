import { describe, expect, it } from 'vitest';
import { toOriginal } from '../model/render.js';
import { RejectError } from './reject.js';
import { normalizeSignIn } from './to-sign-in.js';

const base = { id: 'a1b2c3d4-0000-4000-8000-000000000001', createdDateTime: '2026-03-01T10:00:00.1234567Z' };

/** Deep copy without nulls in objects: "nulls may be omitted" on the way back. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

describe('normalizeSignIn', () => {
  it('rejects what cannot be a sign-in, saying why', () => {
    const cases: [unknown, RegExp][] = [
      [[1, 2], /not a JSON object \(got an array\)/],
      ['text', /not a JSON object \(got string\)/],
      [null, /not a JSON object \(got null\)/],
      [{ createdDateTime: base.createdDateTime }, /no id/],
      [{ id: '', createdDateTime: base.createdDateTime }, /no id/],
      [{ id: 42, createdDateTime: base.createdDateTime }, /"id" must be a string/],
      [{ id: 'x' }, /no createdDateTime/],
      [{ id: 'x', createdDateTime: 'last tuesday' }, /bad createdDateTime "last tuesday"/],
      [{ id: 'x', createdDateTime: '2026-02-30T00:00:00Z' }, /bad createdDateTime/],
    ];
    for (const [raw, reason] of cases) {
      expect(() => normalizeSignIn(raw), JSON.stringify(raw)).toThrow(RejectError);
      expect(() => normalizeSignIn(raw)).toThrow(reason);
    }
  });

  it('takes a canonical record as it is', () => {
    const raw = { ...base, status: { errorCode: 0 }, signInEventTypes: ['interactiveUser'], crossTenantAccessType: 'b2bCollaboration,serviceProvider' };
    const n = normalizeSignIn(raw);
    expect(n.canonical).toBe(true);
    expect(n.record).toBe(raw);
    expect(n.extra).toBeNull();
  });

  it('keeps unknown properties, at any depth, in the extra overlay', () => {
    const raw = { ...base, isRisky: false, mfaDetail: { authMethod: 'Phone', mfaAuthMethod: 'Phone Auth' }, 'we/ird~key': 1 };
    const n = normalizeSignIn(raw);
    expect(n.canonical).toBe(false);
    expect(n.record).not.toHaveProperty('isRisky');
    expect(n.record.mfaDetail).toEqual({ authMethod: 'Phone' });
    expect(n.extra?.u).toEqual({ '/isRisky': false, '/mfaDetail/mfaAuthMethod': 'Phone Auth', '/we~1ird~0key': 1 });
    expect(toOriginal(n.record, n.extra)).toEqual(raw);
  });

  it('types an unknown enum value as unknownFutureValue and keeps the original', () => {
    const raw = {
      ...base,
      authenticationProtocol: 'rpoc',
      incomingTokenType: 'Primary Refresh Token',
      appliedConditionalAccessPolicies: [{ id: 'p1', result: 'somethingNew' }, { id: 'p2', result: 'success' }],
    };
    const n = normalizeSignIn(raw);
    expect(n.record.authenticationProtocol).toBe('unknownFutureValue');
    expect(n.record.incomingTokenType).toBe('primaryRefreshToken');
    expect(n.record.appliedConditionalAccessPolicies?.[0]?.result).toBe('unknownFutureValue');
    expect(n.extra?.o).toEqual({
      '/authenticationProtocol': 'rpoc',
      '/incomingTokenType': 'Primary Refresh Token',
      '/appliedConditionalAccessPolicies/0/result': 'somethingNew',
    });
    expect(toOriginal(n.record, n.extra)).toEqual(raw);
  });

  it('keeps 7 fractional digits and the original spelling of a time', () => {
    const raw = { id: 'x', createdDateTime: '2023-01-01 12:00:00.000', authenticationDetails: [{ authenticationStepDateTime: '2023-01-01T12:00:00.1234567+00:00' }] };
    const n = normalizeSignIn(raw);
    expect(n.record.createdDateTime).toBe('2023-01-01T12:00:00Z');
    expect(n.record.authenticationDetails?.[0]?.authenticationStepDateTime).toBe('2023-01-01T12:00:00.1234567Z');
    expect(toOriginal(n.record, n.extra)).toEqual(raw);
  });

  it('coerces values of the wrong JSON type where it safely can, keeping the original', () => {
    const raw = { ...base, status: { errorCode: '50126' }, isInteractive: 'true', autonomousSystemNumber: 'n/a', signInEventTypes: 'interactiveUser', userId: 7 };
    const n = normalizeSignIn(raw);
    expect(n.record.status?.errorCode).toBe(50126);
    expect(n.record.isInteractive).toBe(true);
    expect(n.record).not.toHaveProperty('autonomousSystemNumber');
    expect(n.record.signInEventTypes).toEqual(['interactiveUser']);
    expect(n.record.userId).toBe('7');
    expect(toOriginal(n.record, n.extra)).toEqual(raw);
  });

  it('round-trips a record with nulls, empty collections and empty objects (nulls omitted)', () => {
    const raw = {
      ...base,
      status: { errorCode: 0, failureReason: null },
      location: { city: 'Oslo', geoCoordinates: {} },
      riskEventTypes_v2: [],
      deviceDetail: null,
      appliedEventListeners: [{ eventType: 'tokenIssuanceStart', handlerResult: { '@odata.type': '#x', anything: [1, { a: 2 }] } }],
    };
    const n = normalizeSignIn(raw);
    expect(withoutNulls(toOriginal(n.record, n.extra))).toEqual(withoutNulls(raw));
  });

  it("types a format's own spellings without keeping them as originals, but keeps what is lost", () => {
    const raw = {
      ...base,
      createdDateTime: '2026-03-01T10:00:00.1234567+00:00',
      status: { errorCode: '50126' },
      isInteractive: 'TRUE',
      userType: 'Member',
      incomingTokenType: 'Primary Refresh Token',
      signInEventTypes: 'interactiveUser',
      appliedConditionalAccessPolicies: [{ id: 'p1', result: 'notApplied', conditionsSatisfied: 3, conditionsNotSatisfied: 0 }],
      authenticationProtocol: 'rpoc',
      autonomousSystemNumber: 'n/a',
      alternateSignInName: 'ada@contoso.example',
    };
    const n = normalizeSignIn(raw, { formatEncoded: true });
    expect(n.canonical).toBe(false);
    expect(n.record).toMatchObject({
      createdDateTime: '2026-03-01T10:00:00.1234567Z',
      status: { errorCode: 50126 },
      isInteractive: true,
      userType: 'member',
      incomingTokenType: 'primaryRefreshToken',
      signInEventTypes: ['interactiveUser'],
      appliedConditionalAccessPolicies: [{ id: 'p1', result: 'notApplied', conditionsSatisfied: 'application,users', conditionsNotSatisfied: 'none' }],
      authenticationProtocol: 'unknownFutureValue',
    });
    expect(n.extra).toEqual({ u: { '/alternateSignInName': 'ada@contoso.example' }, o: { '/authenticationProtocol': 'rpoc', '/autonomousSystemNumber': 'n/a' } });
    // The same record as Graph JSON keeps every difference.
    expect(Object.keys(normalizeSignIn(raw).extra?.o ?? {})).toHaveLength(10);
  });
});
