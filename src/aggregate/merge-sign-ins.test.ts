import { describe, expect, it } from 'vitest';
import type { SignInRecord } from '../model/sign-in.js';
import { mergeEvidence, type Evidence } from './merge-sign-ins.js';

const ns = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;
const base = { id: 'r1', createdDateTime: '2026-05-01T10:00:00Z', correlationId: 'c1', userPrincipalName: 'adele@contoso.example' };
const pw = { authenticationMethod: 'Password', authenticationStepDateTime: '2026-05-01T10:00:01Z', authenticationStepRequirement: 'Primary authentication', succeeded: true, authenticationStepResultDetail: 'Correct password' };
const push1 = { authenticationMethod: 'Mobile app notification', authenticationStepDateTime: '2026-05-01T10:00:05Z', authenticationStepRequirement: 'Multifactor authentication', succeeded: false, authenticationStepResultDetail: 'MFA denied; user did not respond to mobile app notification' };
const push2 = { ...push1, authenticationStepDateTime: '2026-05-01T10:00:40Z', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed' };

function ev(record: Record<string, unknown>, at: string, partial?: string[]): Evidence {
  return { record: record as unknown as SignInRecord, extra: null, observedNs: ns(at), ...(partial ? { partial } : {}) };
}

function fold(list: Evidence[]): Record<string, unknown> {
  return mergeEvidence(list).record as unknown as Record<string, unknown>;
}

describe('mergeSignIns', () => {
  const events = [
    ev({ ...base, status: { errorCode: 50074, failureReason: 'Strong Authentication is required.' }, authenticationRequirement: 'singleFactorAuthentication', authenticationDetails: [pw] }, '2026-05-01T10:00:02Z'),
    ev({ ...base, status: { errorCode: 500121 }, authenticationRequirement: 'multiFactorAuthentication', authenticationDetails: [pw, push1] }, '2026-05-01T10:00:35Z'),
    ev({ ...base, status: { errorCode: 0 }, authenticationRequirement: 'multiFactorAuthentication', authenticationDetails: [push2], conditionalAccessStatus: 'success' }, '2026-05-01T10:00:41Z'),
    ev({ ...base, riskLevelDuringSignIn: 'low', riskEventTypes_v2: ['unfamiliarFeatures'] }, '2026-05-01T10:01:00Z'),
  ];

  it('turns an MFA flow into one line item: steps in order, final status, highest requirement', () => {
    const r = fold(events);
    expect((r['authenticationDetails'] as unknown[]).map((s) => (s as { authenticationStepResultDetail: string }).authenticationStepResultDetail)).toEqual([
      'Correct password',
      'MFA denied; user did not respond to mobile app notification',
      'MFA successfully completed',
    ]);
    expect(r['status']).toEqual({ errorCode: 0 });
    expect(r['authenticationRequirement']).toBe('multiFactorAuthentication');
    expect(r['conditionalAccessStatus']).toBe('success');
    expect(r['riskLevelDuringSignIn']).toBe('low');
    expect(r['userPrincipalName']).toBe('adele@contoso.example');
  });

  it('gives the same line item whatever order the events arrive in', () => {
    const expected = fold(events);
    for (const order of [[3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]]) {
      expect(fold(order.map((i) => events[i] as Evidence))).toEqual(expected);
    }
  });

  it('keeps the latest status even when an older event arrives last', () => {
    const r = fold([events[2] as Evidence, events[0] as Evidence]);
    expect(r['status']).toEqual({ errorCode: 0 });
    expect(r['authenticationRequirement']).toBe('multiFactorAuthentication');
  });

  it('changes nothing for an exact duplicate', () => {
    const one = fold([events[1] as Evidence]);
    expect(fold([events[1] as Evidence, events[1] as Evidence])).toEqual(one);
  });

  it('lets a partial record speak only for its own properties', () => {
    const details = ev({ id: 'r1', createdDateTime: '2026-05-01T10:00:00Z', authenticationDetails: [push2] }, '2026-05-02T00:00:00Z', ['authenticationDetails']);
    const r = fold([events[0] as Evidence, details]);
    expect(r['status']).toEqual({ errorCode: 50074, failureReason: 'Strong Authentication is required.' });
    expect((r['authenticationDetails'] as unknown[]).length).toBe(2);
    expect(r['userPrincipalName']).toBe('adele@contoso.example');
  });

  it('takes createdDateTime, like every other field, from the latest record that says it', () => {
    const r = fold([ev({ ...base, createdDateTime: '2026-05-01T10:00:03Z' }, '2026-05-01T10:00:04Z'), ev(base, '2026-05-01T10:00:09Z')]);
    expect(r['createdDateTime']).toBe('2026-05-01T10:00:00Z');
  });
});
