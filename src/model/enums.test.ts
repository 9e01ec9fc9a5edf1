import { describe, expect, it } from 'vitest';
import { canonicalEnum } from './enums.js';
import { ENUMS } from './schema.js';

const spec = (name: string) => {
  const s = ENUMS.get(name);
  if (!s) throw new Error(`no enum ${name}`);
  return s;
};

describe('canonicalEnum', () => {
  it('keeps members as they are', () => {
    expect(canonicalEnum(spec('conditionalAccessStatus'), 'notApplied')).toBe('notApplied');
    expect(canonicalEnum(spec('appliedConditionalAccessPolicyResult'), 'reportOnlyInterrupted')).toBe('reportOnlyInterrupted');
  });

  it('reads a member written another way (display strings, case)', () => {
    expect(canonicalEnum(spec('incomingTokenType'), 'Primary Refresh Token')).toBe('primaryRefreshToken');
    expect(canonicalEnum(spec('conditionalAccessStatus'), 'NotApplied')).toBe('notApplied');
  });

  it('turns values outside the schema into unknownFutureValue, in the enum\'s own spelling', () => {
    expect(canonicalEnum(spec('protocolType'), 'rpoc')).toBe('unknownFutureValue');
    expect(canonicalEnum(spec('tokenIssuerType'), 'SomethingNew')).toBe('UnknownFutureValue');
  });

  it('takes comma lists for flags enums, and only for them', () => {
    expect(canonicalEnum(spec('signInAccessType'), 'b2bCollaboration, serviceProvider')).toBe('b2bCollaboration,serviceProvider');
    expect(canonicalEnum(spec('conditionalAccessConditions'), 'application,users,brandNew')).toBe('application,users,unknownFutureValue');
    expect(canonicalEnum(spec('conditionalAccessStatus'), 'success,failure')).toBe('unknownFutureValue');
  });

  it('decodes numeric flags by the schema\'s member values', () => {
    expect(canonicalEnum(spec('conditionalAccessConditions'), 3)).toBe('application,users');
    expect(canonicalEnum(spec('conditionalAccessConditions'), 0)).toBe('none');
    expect(canonicalEnum(spec('conditionalAccessConditions'), '12')).toBe('devicePlatform,location');
  });

  it('has no value for an empty string', () => {
    expect(canonicalEnum(spec('riskLevel'), '  ')).toBeNull();
  });
});
