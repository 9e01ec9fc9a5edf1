import { describe, expect, it } from 'vitest';
import type { SignInRecord } from '../model/sign-in.js';
import { applyPrivacy, isCrossTenant, rawWithoutHomeTenantName } from './privacy.js';

const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const rec = (over: Partial<SignInRecord>): SignInRecord => ({ id: 'x', createdDateTime: '2026-01-01T00:00:00Z', ...over }) as SignInRecord;

describe('privacy', () => {
  it('drops the home tenant name of a cross-tenant sign-in only', () => {
    expect(applyPrivacy(rec({ homeTenantId: A, resourceTenantId: B, homeTenantName: 'Contoso' }))).toEqual(rec({ homeTenantId: A, resourceTenantId: B }));
    // Same tenant (any case): kept.
    expect(applyPrivacy(rec({ homeTenantId: A, resourceTenantId: A.toUpperCase(), homeTenantName: 'Contoso' }))).toBeNull();
    // Nothing to remove, or not known to cross.
    expect(applyPrivacy(rec({ homeTenantId: A, resourceTenantId: B }))).toBeNull();
    expect(applyPrivacy(rec({ homeTenantId: A, homeTenantName: 'Contoso' }))).toBeNull();
    expect(isCrossTenant(rec({ homeTenantId: '', resourceTenantId: B }))).toBe(false);
  });

  it('removes the name from raw JSON text at any depth, in any case, and leaves other text alone', () => {
    expect(JSON.parse(rawWithoutHomeTenantName(JSON.stringify({ signIn: { homeTenantName: 'Contoso', homeTenantId: A }, list: [{ HomeTenantName: 'x', k: 1 }] })))).toEqual({ signIn: { homeTenantId: A }, list: [{ k: 1 }] });
    expect(rawWithoutHomeTenantName('{"a":1}')).toBe('{"a":1}');
    expect(rawWithoutHomeTenantName('homeTenantName,not json')).toBe('homeTenantName,not json');
  });
});
