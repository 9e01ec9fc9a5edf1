// The Sign-in Diagnostic's scenarios over a store: one sign-in built for each scenario (and the
// sign-ins around it: the rest of its flow, the attempts behind a lockout or a spray), diagnosed
// through a ScopedReader. Run by test/diagnose-scenarios.test.ts (DuckDB) and
// test/diagnose-clickhouse.test.ts (ClickHouse), so both stores give the same findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type DiagnoseResult, type Diagnosis } from '../src/diagnose/diagnose.js';
import type { Finding, ScenarioId } from '../src/diagnose/finding.js';
import { ScopedReader, ALL_TENANTS, tenantsScope } from '../src/query/scoped-reader.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { incoming, signIn } from './helpers/records.js';

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A token as Entra shapes it, with a signature nobody can check. */
export function makeToken(claims: Record<string, unknown>): string {
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'test-key' })}.${b64url({ aud: 'https://graph.microsoft.com', iss: 'https://sts.windows.net/t/', iat: 1772359200, tid: '11111111-1111-4111-8111-111111111111', ...claims })}.${Buffer.from('not a real signature').toString('base64url')}`;
}

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
const SPRAY_IP = '198.51.100.66';

type Raw = Record<string, unknown>;

function failed(code: number, over: Raw = {}): Raw {
  return signIn({ status: { errorCode: code, failureReason: `reason ${code}` }, conditionalAccessStatus: 'notApplied', appliedConditionalAccessPolicies: [], ...over });
}

function policy(over: Raw): Raw {
  return { id: 'policy-id', displayName: 'A policy', result: 'failure', enforcedGrantControls: [], enforcedSessionControls: [], conditionsSatisfied: 'application,users', ...over };
}

/** The data set: named sign-ins (by scenario) and the ones around them. */
export function buildDataSet(): { named: Record<string, Raw>; all: Raw[] } {
  const named: Record<string, Raw> = {};
  const extra: Raw[] = [];
  named['blocked'] = failed(53003, {
    conditionalAccessStatus: 'failure',
    location: { city: 'Lyon', countryOrRegion: 'FR' },
    appliedConditionalAccessPolicies: [
      policy({ id: 'p-mfa', displayName: 'Require MFA for admins', result: 'notApplied', enforcedGrantControls: [] }),
      policy({ id: 'p-block', displayName: 'Block access outside EU', enforcedGrantControls: ['Block'], conditionsSatisfied: 'application,users,location', includeRulesSatisfied: [{ conditionalAccessCondition: 'application', ruleSatisfied: 'allApps' }] }),
    ],
  });
  named['failedCa'] = failed(53002, { conditionalAccessStatus: 'failure', appliedConditionalAccessPolicies: [policy({ id: 'p-app', displayName: 'Approved apps on mobile', enforcedGrantControls: ['ApprovedApplication'], conditionsSatisfied: 'application,users,devicePlatform' })] });
  // An MFA flow: interrupted (50074), then the same correlation ID succeeds.
  const flow = '30000000-0000-4000-8000-0000000000f1';
  named['mfaCa'] = failed(50074, {
    correlationId: flow,
    createdDateTime: '2026-03-02T09:00:00Z',
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationRequirementPolicies: [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }],
    conditionalAccessStatus: 'success',
    appliedConditionalAccessPolicies: [policy({ id: 'p-mfa-all', displayName: 'MFA for all users', result: 'success', enforcedGrantControls: ['Mfa'] })],
  });
  extra.push(signIn({ correlationId: flow, createdDateTime: '2026-03-02T09:00:30Z', userPrincipalName: named['mfaCa']['userPrincipalName'], status: { errorCode: 0 } }));
  named['mfaOther'] = failed(50076, { authenticationRequirement: 'multiFactorAuthentication', authenticationRequirementPolicies: [{ requirementProvider: 'user', detail: 'Per-user MFA' }] });
  named['securityDefaults'] = failed(50074, { authenticationRequirementPolicies: [{ requirementProvider: 'securityDefaults', detail: 'Security defaults' }] });
  named['proofup'] = failed(50079, { authenticationRequirementPolicies: [{ requirementProvider: 'mfaRegistrationRequiredByMultiConditionalAccess', detail: 'Conditional Access' }] });
  const mfaStep = (detail: string): Raw[] => [
    { authenticationMethod: 'Password', authenticationMethodDetail: 'Password Hash Sync', succeeded: true, authenticationStepRequirement: 'primaryAuthentication', authenticationStepResultDetail: 'Correct password' },
    { authenticationMethod: 'Mobile app notification', succeeded: false, authenticationStepRequirement: 'mfa', authenticationStepResultDetail: detail },
  ];
  named['mfaDenied'] = failed(500121, { authenticationDetails: mfaStep('MFA denied; user declined the authentication') });
  named['mfaFraud'] = failed(500121, { authenticationDetails: mfaStep('MFA denied; user reported fraud') });
  named['mfaUnanswered'] = failed(500121, { authenticationDetails: mfaStep('MFA denied; user did not respond to mobile app notification') });
  // A lockout: three wrong passwords, then 50053, all for one user.
  const locked = 'locked.user@contoso.example';
  const lockedId = '10000000-0000-4000-8000-00000000aaaa';
  for (let i = 0; i < 3; i++) extra.push(failed(50126, { userPrincipalName: locked, userId: lockedId, createdDateTime: `2026-03-03T08:0${i}:00Z`, ipAddress: '192.0.2.10', appDisplayName: 'Outlook' }));
  named['locked'] = failed(50053, { userPrincipalName: locked, userId: lockedId, createdDateTime: '2026-03-03T08:05:00Z', ipAddress: '192.0.2.10', appDisplayName: 'Outlook', status: { errorCode: 50053, failureReason: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.' } });
  named['badPassword'] = failed(50126, { ipAddress: '192.0.2.77', createdDateTime: '2026-03-04T12:00:00Z' });
  // A spray: six users failing from one address within an hour.
  for (let i = 0; i < 5; i++) extra.push(failed(50126, { ipAddress: SPRAY_IP, createdDateTime: `2026-03-05T03:1${i}:00Z`, userPrincipalName: `victim${i}@contoso.example` }));
  named['spray'] = failed(50126, { ipAddress: SPRAY_IP, createdDateTime: '2026-03-05T03:20:00Z', userPrincipalName: 'victim9@contoso.example' });
  named['expired'] = failed(50055);
  named['disabled'] = failed(50057);
  named['legacy'] = signIn({ clientAppUsed: 'IMAP4', status: { errorCode: 0 } });
  named['risk'] = failed(53003, {
    conditionalAccessStatus: 'failure',
    riskLevelDuringSignIn: 'high',
    riskState: 'atRisk',
    appliedConditionalAccessPolicies: [policy({ id: 'p-risk', displayName: 'Block high sign-in risk', enforcedGrantControls: ['Block'], conditionsSatisfied: 'application,users,signInRisk' })],
  });
  named['b2b'] = failed(53003, {
    conditionalAccessStatus: 'failure',
    crossTenantAccessType: 'b2bCollaboration',
    homeTenantId: OTHER_TENANT,
    userType: 'guest',
    appliedConditionalAccessPolicies: [policy({ id: 'p-guest', displayName: 'Guests need a joined device', enforcedGrantControls: ['Block'] })],
  });
  named['pta'] = failed(80001, { authenticationDetails: [{ authenticationMethod: 'Password', authenticationMethodDetail: 'Pass-through Authentication', succeeded: false }] });
  named['sso'] = failed(81010);
  named['spSecret'] = failed(7000215, { signInEventTypes: ['servicePrincipal'], isInteractive: false, userPrincipalName: null, userId: null, servicePrincipalName: 'Nightly Export', servicePrincipalId: 'aaaaaaaa-0000-4000-8000-0000000000sp', clientCredentialType: 'clientSecret', servicePrincipalCredentialKeyId: 'key-1' });
  named['redirect'] = failed(50011);
  named['consent'] = failed(65001);
  named['appNotFound'] = failed(700016);
  named['samlSp'] = failed(75011);
  named['reportOnly'] = signIn({ status: { errorCode: 0 }, conditionalAccessStatus: 'success', appliedConditionalAccessPolicies: [policy({ id: 'p-ro', displayName: 'Block legacy (report-only)', result: 'reportOnlyFailure', enforcedGrantControls: ['Block'] })] });
  named['device'] = failed(53000, { conditionalAccessStatus: 'failure', deviceDetail: { operatingSystem: 'Windows 10', browser: 'Chrome 120', isCompliant: false, isManaged: false }, appliedConditionalAccessPolicies: [policy({ id: 'p-dev', displayName: 'Compliant devices only', enforcedGrantControls: ['RequireCompliantDevice'] })] });
  named['knownCode'] = failed(70008);
  named['kmsi'] = failed(50140);
  named['mfa90072'] = failed(90072, { authenticationRequirement: 'multiFactorAuthentication', status: { errorCode: 90072, failureReason: 'Other' } });
  named['legacyBlocked'] = failed(530035, { clientAppUsed: 'POP3', authenticationProtocol: 'none' });
  named['unknownCode'] = failed(4242424, { status: { errorCode: 4242424, failureReason: 'Something new went wrong' } });
  named['otherTenant'] = failed(50126, { resourceTenantId: OTHER_TENANT, ipAddress: SPRAY_IP, createdDateTime: '2026-03-05T03:25:00Z', userPrincipalName: 'outsider@fabrikam.example' });
  return { named, all: [...Object.values(named), ...extra] };
}

/** The diagnosis of one sign-in by id (through a reader over every tenant unless given one). */
async function diagnoseId(store: SignInStore, id: unknown, reader = new ScopedReader(store, ALL_TENANTS)): Promise<{ result: DiagnoseResult; d: Diagnosis }> {
  const result = await diagnose(reader, { kind: 'id', id: String(id) });
  expect(result.diagnoses).toHaveLength(1);
  return { result, d: result.diagnoses[0] as Diagnosis };
}

function finding(d: Diagnosis, scenario: ScenarioId): Finding {
  const f = d.findings.find((x) => x.scenario === scenario);
  if (!f) throw new Error(`no ${scenario} finding; got ${d.findings.map((x) => x.scenario).join(', ') || 'none'}`);
  return f;
}

function evidence(f: Finding, field: string): unknown[] {
  return f.evidence.filter((e) => e.field === field || e.field.endsWith(`/${field}`)).map((e) => e.value);
}

export function runDiagnoseSuite(name: string, open: () => Promise<SignInStore>): void {
  describe(`Sign-in Diagnostic scenarios (${name})`, () => {
    let store: SignInStore;
    const { named, all } = buildDataSet();
    const id = (k: string): string => String(named[k]?.['id']);

    beforeAll(async () => {
      store = await open();
      const w = store.openWriter();
      for (const [i, r] of all.entries()) await w.add(incoming(r, { line: i + 1, ...(r['resourceTenantId'] === OTHER_TENANT ? { tenant: OTHER_TENANT } : {}) }));
      await w.flush();
    }, 120_000);

    afterAll(async () => {
      await store?.close();
    });

    it('blocked by Conditional Access: the policy, its Block control and the conditions that matched', async () => {
      const { d } = await diagnoseId(store, id('blocked'));
      const f = finding(d, 'blocked-by-conditional-access');
      expect(f.severity).toBe('failure');
      expect(f.assessment).toContain("'Block access outside EU'");
      expect(evidence(f, 'displayName')).toEqual(['Block access outside EU']);
      expect(f.evidence.map((e) => e.field)).toContain('appliedConditionalAccessPolicies/1/displayName');
      expect(evidence(f, 'enforcedGrantControls')).toEqual([['Block']]);
      expect(evidence(f, 'conditionsSatisfied')).toEqual(['application,users,location']);
      expect(f.evidence.find((e) => e.field === 'status/errorCode')).toMatchObject({ value: 53003, note: expect.stringContaining('BlockedByConditionalAccess') });
      expect(d.findings[0]?.scenario).toBe('blocked-by-conditional-access');
    });

    it('failed Conditional Access: a grant control that was not met', async () => {
      const f = finding((await diagnoseId(store, id('failedCa'))).d, 'failed-conditional-access');
      expect(f.assessment).toContain('ApprovedApplication');
      expect(evidence(f, 'displayName')).toEqual(['Approved apps on mobile']);
    });

    it('MFA from Conditional Access: the policy, and the later sign-in of the flow that succeeded', async () => {
      const { d } = await diagnoseId(store, id('mfaCa'));
      const f = finding(d, 'mfa-from-conditional-access');
      expect(f.severity).toBe('interrupted');
      expect(f.assessment).toContain("'MFA for all users'");
      expect(f.assessment).toContain('completed MFA');
      expect(d.correlated).toHaveLength(1);
      expect(f.evidence.some((e) => e.signInId === d.correlated[0]?.id && e.value === 0)).toBe(true);
      expect(d.findings.map((x) => x.scenario)).not.toContain('mfa-from-other-requirements');
    });

    it('MFA from other requirements: per-user MFA', async () => {
      const f = finding((await diagnoseId(store, id('mfaOther'))).d, 'mfa-from-other-requirements');
      expect(f.assessment).toContain('per-user MFA');
      expect(f.nextSteps.join(' ')).toContain('Conditional Access');
    });

    it('security defaults', async () => {
      const { d } = await diagnoseId(store, id('securityDefaults'));
      expect(finding(d, 'security-defaults').severity).toBe('interrupted');
      expect(d.findings.map((x) => x.scenario)).not.toContain('mfa-from-other-requirements');
    });

    it('MFA registration (proof-up)', async () => {
      const f = finding((await diagnoseId(store, id('proofup'))).d, 'mfa-proofup');
      expect(f.assessment).toContain('register');
    });

    it('MFA denied, fraud reported, not answered: told apart by the authentication step', async () => {
      const denied = finding((await diagnoseId(store, id('mfaDenied'))).d, 'mfa-denied');
      expect(denied.assessment).toMatch(/denied the MFA prompt/);
      expect(evidence(denied, 'authenticationStepResultDetail')).toEqual(['MFA denied; user declined the authentication']);
      const fraud = finding((await diagnoseId(store, id('mfaFraud'))).d, 'mfa-denied');
      expect(fraud.assessment).toMatch(/reported the MFA prompt as fraud/);
      expect(fraud.severity).toBe('warning');
      const none = finding((await diagnoseId(store, id('mfaUnanswered'))).d, 'mfa-denied');
      expect(none.assessment).toMatch(/not answered/);
    });

    it('account locked: the attempts behind it, counted', async () => {
      const f = finding((await diagnoseId(store, id('locked'))).d, 'account-locked');
      expect(evidence(f, 'count: failed password attempts of the user')).toEqual([4]);
      expect(evidence(f, 'addresses of those attempts')).toEqual([['192.0.2.10']]);
      expect(evidence(f, 'apps of those attempts')).toEqual([['Outlook']]);
      expect(f.assessment).toContain('4 failed password attempts');
    });

    it('invalid username or password: one user, no spray', async () => {
      const f = finding((await diagnoseId(store, id('badPassword'))).d, 'invalid-username-or-password');
      expect(f.severity).toBe('failure');
      expect(evidence(f, 'count: distinct users failing from the address')).toEqual([1]);
      expect(f.assessment).not.toContain('spray');
    });

    it('invalid username or password from an address many users fail from: a password spray', async () => {
      const f = finding((await diagnoseId(store, id('spray'))).d, 'invalid-username-or-password');
      expect(f.severity).toBe('warning');
      expect(f.assessment).toContain('password spray');
      expect(evidence(f, 'count: failed password attempts from the address')).toEqual([7]);
      expect(evidence(f, 'count: distinct users failing from the address')).toEqual([7]);
    });

    it('the spray count stays within the caller\'s tenants', async () => {
      const reader = new ScopedReader(store, tenantsScope([TENANT]));
      const f = finding((await diagnoseId(store, id('spray'), reader)).d, 'invalid-username-or-password');
      expect(evidence(f, 'count: failed password attempts from the address')).toEqual([6]);
      expect(evidence(f, 'count: distinct users failing from the address')).toEqual([6]);
      // And a sign-in of another tenant is not found at all.
      const other = await diagnose(reader, { kind: 'id', id: id('otherTenant') });
      expect(other.signIns).toEqual([]);
      expect(other.notes.join(' ')).toContain('No sign-in found');
    });

    it('expired password, disabled account', async () => {
      expect(finding((await diagnoseId(store, id('expired'))).d, 'expired-password').assessment).toContain('expired');
      expect(finding((await diagnoseId(store, id('disabled'))).d, 'disabled-account').assessment).toContain('disabled');
    });

    it('legacy authentication blocked by security defaults: both findings', async () => {
      const { d } = await diagnoseId(store, id('legacyBlocked'));
      expect(finding(d, 'security-defaults').severity).toBe('failure');
      expect(finding(d, 'legacy-authentication').severity).toBe('failure');
      expect(d.findings.map((x) => x.scenario)).not.toContain('error-code-insights');
    });

    it('MFA an external account cannot satisfy (90072)', async () => {
      const f = finding((await diagnoseId(store, id('mfa90072'))).d, 'mfa-from-other-requirements');
      expect(f.severity).toBe('failure');
      expect(f.assessment).toContain('ImmutableID');
    });

    it('legacy authentication that succeeded is a warning', async () => {
      const f = finding((await diagnoseId(store, id('legacy'))).d, 'legacy-authentication');
      expect(f.severity).toBe('warning');
      expect(evidence(f, 'clientAppUsed')).toEqual(['IMAP4']);
    });

    it('blocked by a risk policy, not reported as a plain Conditional Access block', async () => {
      const { d } = await diagnoseId(store, id('risk'));
      const f = finding(d, 'blocked-by-risk-policy');
      expect(evidence(f, 'riskLevelDuringSignIn')).toEqual(['high']);
      expect(evidence(f, 'conditionsSatisfied')).toEqual(['application,users,signInRisk']);
      expect(d.findings.map((x) => x.scenario)).not.toContain('blocked-by-conditional-access');
    });

    it('B2B sign-in blocked by Conditional Access', async () => {
      const { d } = await diagnoseId(store, id('b2b'));
      const f = finding(d, 'b2b-blocked-by-conditional-access');
      expect(evidence(f, 'crossTenantAccessType')).toEqual(['b2bCollaboration']);
      expect(evidence(f, 'displayName')).toEqual(['Guests need a joined device']);
      expect(d.findings.map((x) => x.scenario)).not.toContain('blocked-by-conditional-access');
    });

    it('pass-through authentication and seamless SSO failures', async () => {
      const pta = finding((await diagnoseId(store, id('pta'))).d, 'pass-through-authentication');
      expect(evidence(pta, 'authenticationMethodDetail')).toEqual(['Pass-through Authentication']);
      expect(finding((await diagnoseId(store, id('sso'))).d, 'seamless-sso').assessment).toContain('Kerberos');
    });

    it('an invalid client secret of a service principal', async () => {
      const f = finding((await diagnoseId(store, id('spSecret'))).d, 'service-principal-credentials');
      expect(f.assessment).toContain('client secret');
      expect(evidence(f, 'servicePrincipalName')).toEqual(['Nightly Export']);
      expect(evidence(f, 'servicePrincipalCredentialKeyId')).toEqual(['key-1']);
    });

    it('application configuration: redirect URI, consent, app not found; the service provider side', async () => {
      expect(finding((await diagnoseId(store, id('redirect'))).d, 'enterprise-app-configuration').assessment).toContain('redirect');
      expect(finding((await diagnoseId(store, id('consent'))).d, 'enterprise-app-configuration').assessment).toContain('consent');
      expect(finding((await diagnoseId(store, id('appNotFound'))).d, 'enterprise-app-configuration').assessment).toContain('not found');
      expect(finding((await diagnoseId(store, id('samlSp'))).d, 'enterprise-app-service-provider').severity).toBe('failure');
    });

    it('a successful sign-in that a report-only policy would have blocked', async () => {
      const { d } = await diagnoseId(store, id('reportOnly'));
      const f = finding(d, 'successful-sign-in');
      expect(f.severity).toBe('warning');
      expect(f.assessment).toContain("'Block legacy (report-only)'");
      expect(evidence(f, 'result')).toEqual(['reportOnlyFailure']);
    });

    it('device not compliant', async () => {
      const f = finding((await diagnoseId(store, id('device'))).d, 'device-not-compliant');
      expect(evidence(f, 'isCompliant')).toEqual([false]);
      expect(evidence(f, 'enforcedGrantControls')).toEqual([['RequireCompliantDevice']]);
    });

    it('error-code insights for a code no scenario covers, and an unknown code said plainly', async () => {
      const known = await diagnoseId(store, id('knownCode'));
      expect(known.d.findings.map((x) => x.scenario)).toEqual(['error-code-insights']);
      expect(known.d.findings[0]?.assessment).toContain('ExpiredOrRevokedGrant');
      expect(known.d.findings[0]?.severity).toBe('failure');
      // A code the admin center shows as interrupted (keep me signed in) is an expected stop.
      expect((await diagnoseId(store, id('kmsi'))).d.findings.map((x) => [x.scenario, x.severity])).toEqual([['error-code-insights', 'interrupted']]);
      const unknown = await diagnoseId(store, id('unknownCode'));
      expect(unknown.d.errorCode).toMatchObject({ known: false, failureReason: 'Something new went wrong' });
      const f = finding(unknown.d, 'error-code-insights');
      expect(f.assessment).toContain('unknown');
      expect(f.assessment).toContain('Something new went wrong');
    });

    it('by correlation ID: every sign-in of the flow, each diagnosed', async () => {
      const result = await diagnose(new ScopedReader(store, ALL_TENANTS), { kind: 'correlationId', correlationId: String(named['mfaCa']?.['correlationId']).toUpperCase() });
      expect(result.signIns.map((s) => s.errorCode)).toEqual([0, 50074]);
      expect(result.diagnoses).toHaveLength(2);
    });

    it('by user and time window', async () => {
      const result = await diagnose(new ScopedReader(store, ALL_TENANTS), { kind: 'user', user: 'LOCKED.user@contoso.example', since: '2026-03-03T00:00:00Z', until: '2026-03-03T08:03:00Z' });
      expect(result.signIns.map((s) => s.errorCode)).toEqual([50126, 50126, 50126]);
    });
  });
}
