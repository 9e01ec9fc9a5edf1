import { describe, expect, it } from 'vitest';
import { normalizeSignIn } from '../normalize/to-sign-in.js';
import { ORIGINAL_VALUE_ANNOTATION, toGraph } from './render.js';
import { BETA_PROPERTY_NAMES, V1_FIELDS } from './schema.js';

const raw = {
  id: 'r1',
  createdDateTime: '2026-03-01T10:00:00.0000000Z',
  authenticationProtocol: 'rpoc',
  isRisky: true,
  riskEventTypes_v2: ['unlikelyTravel', 'brandNewRisk'],
  appliedConditionalAccessPolicies: [{ id: 'p1', displayName: 'MFA', result: 'success', conditionsSatisfied: 'application,users' }],
  signInEventTypes: ['interactiveUser'],
};

describe('toGraph', () => {
  const n = normalizeSignIn(raw);

  it('answers beta with every beta property, typed values, and originals as annotations', () => {
    const out = toGraph(n.record, n.extra, 'beta');
    for (const name of BETA_PROPERTY_NAMES) expect(out).toHaveProperty([name]);
    expect(out['authenticationProtocol']).toBe('unknownFutureValue');
    expect(out[`authenticationProtocol@${ORIGINAL_VALUE_ANNOTATION}`]).toBe('rpoc');
    expect(out['isRisky']).toBe(true);
    expect(out['createdDateTime']).toBe('2026-03-01T10:00:00Z');
    expect(out).not.toHaveProperty([`createdDateTime@${ORIGINAL_VALUE_ANNOTATION}`]);
    expect(out['userPrincipalName']).toBeNull();
    expect(out).not.toHaveProperty('riskEventTypes');
  });

  it('answers v1.0 with the v1.0 property set only, nested types cut to v1.0 members', () => {
    const out = toGraph(n.record, n.extra, 'v1.0');
    expect(Object.keys(out).filter((k) => !k.includes('@') && k !== 'isRisky').sort()).toEqual(V1_FIELDS.map((f) => f.name).sort());
    expect(out).not.toHaveProperty('authenticationProtocol');
    expect(out).not.toHaveProperty('signInEventTypes');
    const policy = (out['appliedConditionalAccessPolicies'] as Record<string, unknown>[])[0];
    expect(policy).toEqual({ id: 'p1', displayName: 'MFA', result: 'success', enforcedGrantControls: null, enforcedSessionControls: null });
    // v1.0's riskEventTypes is the enum form of riskEventTypes_v2.
    expect(out['riskEventTypes']).toEqual(['unlikelyTravel', 'unknownFutureValue']);
  });
});
