import { describe, expect, it } from 'vitest';
import { APPS } from './catalog.js';
import { demoTenant } from './generate-sign-ins.js';
import { CLIENT, PLATFORM, RISK, TAG, conditionalAccessStatusOf, evaluatePolicies, notEvaluated, type CaContext } from './policies.js';

const tenant = demoTenant();

function ctx(over: Partial<CaContext> = {}): CaContext {
  return {
    tags: TAG.member,
    appId: APPS.teams.id,
    resourceId: APPS.teamsServices.id,
    clientType: CLIENT.mobileDesktop,
    platform: PLATFORM.windows,
    trustedLocation: true,
    countryAllowed: true,
    signInRisk: RISK.none,
    userRisk: RISK.none,
    compliant: true,
    hybridJoined: false,
    deviceCodeFlow: false,
    approvedClientApp: false,
    mfa: true,
    phishingResistant: false,
    servicePrincipalId: '',
    servicePrincipalRisk: RISK.none,
    ...over,
  };
}

function resultOf(name: string, entries: ReturnType<typeof evaluatePolicies>['entries']): string | null | undefined {
  const p = tenant.userPolicies.find((x) => x.displayName.startsWith(name));
  return entries.find((e) => e.id === p?.id)?.result;
}

describe('evaluatePolicies', () => {
  it('grants a compliant member with MFA: success, and disabled policies are notEnabled', () => {
    const ev = evaluatePolicies(tenant.userPolicies, ctx());
    expect(ev.status).toBe('success');
    expect(ev.errorCode).toBe(0);
    expect(resultOf('CA002', ev.entries)).toBe('success');
    expect(resultOf('CA016', ev.entries)).toBe('notEnabled');
    expect(resultOf('CA003', ev.entries)).toBe('notApplied');
    expect(ev.status).toBe(conditionalAccessStatusOf(ev.entries.map((e) => e.result)));
  });

  it('blocks legacy authentication with 53003', () => {
    const ev = evaluatePolicies(tenant.userPolicies, ctx({ clientType: CLIENT.other, platform: PLATFORM.unknown }));
    expect(ev.status).toBe('failure');
    expect(ev.errorCode).toBe(53003);
    expect(resultOf('CA001', ev.entries)).toBe('failure');
    expect(resultOf('CA015', ev.entries)).toBe('reportOnlyFailure');
  });

  it('asks for MFA when the token has none (enabled: failure; report-only: interrupted)', () => {
    const ev = evaluatePolicies(tenant.userPolicies, ctx({ mfa: false, tags: TAG.member | TAG.admin, appId: APPS.azurePortal.id, resourceId: APPS.azureManagement.id, clientType: CLIENT.browser }));
    expect(ev.needsMfa).toBe(true);
    expect(ev.errorCode).toBe(0);
    expect(resultOf('CA002', ev.entries)).toBe('failure');
    expect(resultOf('Microsoft-managed', ev.entries)).toBe('reportOnlyInterrupted');
    expect(resultOf('CA004', ev.entries)).toBe('reportOnlyInterrupted');
  });

  it('records why a policy did not apply, with exclusions', () => {
    const ev = evaluatePolicies(tenant.userPolicies, ctx({ tags: TAG.member | TAG.breakGlass }));
    const p = tenant.userPolicies.find((x) => x.displayName.startsWith('CA002'));
    const e = ev.entries.find((x) => x.id === p?.id);
    expect(e?.result).toBe('notApplied');
    expect(e?.conditionsSatisfied).toBe('application');
    expect(e?.conditionsNotSatisfied).toBe('users');
    expect(e?.excludeRulesSatisfied).toEqual([{ conditionalAccessCondition: 'users', ruleSatisfied: 'userId' }]);
  });

  it('fails a non-compliant Windows device with 53000 and blocks disallowed countries with 53003', () => {
    expect(evaluatePolicies(tenant.userPolicies, ctx({ compliant: false })).errorCode).toBe(53000);
    expect(evaluatePolicies(tenant.userPolicies, ctx({ compliant: false, hybridJoined: true })).errorCode).toBe(0);
    expect(evaluatePolicies(tenant.userPolicies, ctx({ countryAllowed: false, trustedLocation: false })).errorCode).toBe(53003);
  });

  it('applies workload-identity policies only to the service principals they name', () => {
    const hrSync = tenant.directory.servicePrincipals.find((s) => s.name === 'Contoso HR Sync');
    const inScope = evaluatePolicies(tenant.workloadPolicies, ctx({ servicePrincipalId: hrSync?.servicePrincipalId ?? '', trustedLocation: false }));
    expect(inScope.errorCode).toBe(53003);
    const trusted = evaluatePolicies(tenant.workloadPolicies, ctx({ servicePrincipalId: hrSync?.servicePrincipalId ?? '', trustedLocation: true }));
    expect(trusted.status).toBe('notApplied');
    const other = evaluatePolicies(tenant.workloadPolicies, ctx({ servicePrincipalId: 'not-a-tenant-app', trustedLocation: false }));
    expect(other.status).toBe('notApplied');
  });

  it('shares entry objects between sign-ins (made once per outcome)', () => {
    const a = evaluatePolicies(tenant.userPolicies, ctx());
    const b = evaluatePolicies(tenant.userPolicies, ctx());
    expect(a.entries[0]).toBe(b.entries[0]);
  });
});

describe('notEvaluated', () => {
  it('lists every policy as not applied (or notEnabled) before Conditional Access ran', () => {
    const entries = notEvaluated(tenant.userPolicies);
    expect(entries).toHaveLength(tenant.userPolicies.length);
    expect(conditionalAccessStatusOf(entries.map((e) => e.result))).toBe('notApplied');
    expect(new Set(entries.map((e) => e.result))).toEqual(new Set(['notApplied', 'reportOnlyNotApplied', 'notEnabled']));
  });
});
