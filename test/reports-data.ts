// A hand-built set of sign-ins for the reports, with every right answer worked out by hand below
// it (the comments show the arithmetic). The store conformance suite checks these on both
// backends; test/reports.test.ts uses them for the API, the CLI and the tenant scope.
import { expect } from 'vitest';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { lookupErrorCode } from '../src/diagnose/error-codes.js';
import { runReport } from '../src/reports/reports.js';
import type { Report, ReportReader } from '../src/reports/report.js';
import { aggregateNonInteractive } from '../src/reports/non-interactive-aggregate.js';
import { signIn, incoming } from './helpers/records.js';

export const RT1 = '11111111-1111-4111-8111-111111111111';
export const RT2 = '22222222-2222-4222-8222-222222222222';
export const RT3 = '33333333-3333-4333-8333-333333333333';
export const RT4 = '44444444-4444-4444-8444-444444444444';

const step = (authenticationMethod: string, succeeded: boolean, authenticationStepResultDetail?: string) => ({ authenticationMethod, succeeded, ...(authenticationStepResultDetail ? { authenticationStepResultDetail } : {}) });
const pol = (id: string, displayName: string, result: string) => ({ id, displayName, result });
const P1 = (result: string) => pol('pol-1', 'Require MFA', result);
const P2 = (result: string) => pol('pol-2', 'Block legacy (report-only)', result);
const SEATTLE = { city: 'Seattle', countryOrRegion: 'US', geoCoordinates: { latitude: 47.6, longitude: -122.3 } };
const PARIS = { city: 'Paris', countryOrRegion: 'FR', geoCoordinates: { latitude: 48.85, longitude: 2.35 } };
const interactive = { signInEventTypes: ['interactiveUser'], isInteractive: true };
const nonInteractive = { signInEventTypes: ['nonInteractiveUser'], isInteractive: false, appliedConditionalAccessPolicies: [], conditionalAccessStatus: 'notApplied' };
const user = (name: string) => ({ userPrincipalName: `${name}@contoso.example`, userId: `uid-${name}` });

/** The records, each with the log tenant it is imported into. */
export function reportRecords(): { tenant: string; record: Record<string, unknown> }[] {
  const t1 = (record: Record<string, unknown>) => ({ tenant: RT1, record: { resourceTenantId: RT1, homeTenantId: RT1, ...record } });
  return [
    // r1: c1's first line item — the newer r2 replaces it in de-duplicated counts.
    t1({ ...interactive, ...user('alice'), createdDateTime: '2026-05-01T08:00:00Z', correlationId: 'c1', authenticationRequirement: 'singleFactorAuthentication', status: { errorCode: 50074 }, authenticationDetails: [step('Password', true)], appliedConditionalAccessPolicies: [], conditionalAccessStatus: null, appDisplayName: 'Portal', appId: 'app-portal' }),
    t1({ ...interactive, ...user('alice'), createdDateTime: '2026-05-01T08:01:00Z', correlationId: 'c1', authenticationRequirement: 'multiFactorAuthentication', status: { errorCode: 0 }, authenticationDetails: [step('PHS', true), step('Mobile app notification', false), step('Mobile app notification', true)], conditionalAccessStatus: 'success', appliedConditionalAccessPolicies: [P1('success'), P2('reportOnlyNotApplied')], location: SEATTLE, appDisplayName: 'Portal', appId: 'app-portal' }),
    t1({ ...interactive, ...user('bob'), createdDateTime: '2026-05-01T09:00:00Z', correlationId: 'c2', authenticationRequirement: 'multiFactorAuthentication', status: { errorCode: 0 }, authenticationDetails: [step('Previously satisfied', true, 'First factor requirement satisfied by claim in the token'), step('Previously satisfied', true, 'MFA requirement satisfied by claim in the token')], conditionalAccessStatus: 'success', appliedConditionalAccessPolicies: [P1('success'), P2('reportOnlyFailure')], riskLevelDuringSignIn: 'low', riskState: 'remediated', appDisplayName: 'Outlook', appId: 'app-outlook' }),
    t1({ ...interactive, ...user('carol'), createdDateTime: '2026-05-02T10:00:00Z', correlationId: 'c3', authenticationRequirement: 'singleFactorAuthentication', status: { errorCode: 0 }, authenticationDetails: [step('FIDO2 security key', true)], conditionalAccessStatus: 'notApplied', appliedConditionalAccessPolicies: [P1('notApplied'), P2('reportOnlyInterrupted')], location: SEATTLE, appDisplayName: 'Outlook', appId: 'app-outlook' }),
    t1({ ...interactive, ...user('alice'), createdDateTime: '2026-05-02T11:00:00Z', correlationId: 'c4', authenticationRequirement: 'singleFactorAuthentication', status: { errorCode: 50126 }, authenticationDetails: [step('CloudOnlyPassword', false)], conditionalAccessStatus: 'failure', appliedConditionalAccessPolicies: [P1('failure'), P2('reportOnlyFailure')], location: PARIS, riskLevelDuringSignIn: 'high', riskState: 'atRisk', appDisplayName: 'Portal', appId: 'app-portal' }),
    // r6: no correlation ID: it stands alone.
    t1({ ...interactive, ...user('dave'), createdDateTime: '2026-05-02T12:00:00Z', correlationId: null, authenticationRequirement: 'multiFactorAuthentication', status: { errorCode: 0 }, authenticationDetails: [step('WindowsHelloForBusiness', true), step('Text message', true)], conditionalAccessStatus: null, appliedConditionalAccessPolicies: null, appDisplayName: 'Portal', appId: 'app-portal' }),
    // r7: non-interactive, same tenant at home: not cross-tenant.
    t1({ ...nonInteractive, ...user('alice'), createdDateTime: '2026-05-02T13:00:00Z', correlationId: 'c5', status: { errorCode: 0 }, ipAddress: '203.0.113.9', resourceId: 'res-graph', appDisplayName: 'Teams', appId: 'app-teams' }),
    // r8: another tenant's log, with c1 again: a different log, so not merged with T1's c1.
    { tenant: RT2, record: { ...interactive, userPrincipalName: 'erin@fabrikam.example', userId: 'uid-erin', resourceTenantId: RT2, homeTenantId: RT2, createdDateTime: '2026-05-01T08:30:00Z', correlationId: 'c1', authenticationRequirement: 'multiFactorAuthentication', status: { errorCode: 0 }, authenticationDetails: [step('Password', true)], conditionalAccessStatus: 'success', appliedConditionalAccessPolicies: [P1('success')], appDisplayName: 'Portal', appId: 'app-portal' } },
    // r9, r10, r14, r15: a guest from T3 into T1 (inbound); r11: alice into T4 (outbound).
    t1({ ...nonInteractive, userPrincipalName: 'guest@t3.example', userId: 'uid-guest', homeTenantId: RT3, createdDateTime: '2026-05-03T10:00:00Z', correlationId: 'c9', crossTenantAccessType: 'b2bCollaboration', status: { errorCode: 0 }, ipAddress: '198.51.100.1', resourceId: 'res-sp', appDisplayName: 'SharePoint', appId: 'app-sp' }),
    t1({ ...nonInteractive, userPrincipalName: 'guest@t3.example', userId: 'uid-guest', homeTenantId: RT3, createdDateTime: '2026-05-03T11:00:00Z', correlationId: 'c10', crossTenantAccessType: 'b2bDirectConnect', status: { errorCode: 50126 }, ipAddress: '198.51.100.1', resourceId: 'res-sp', appDisplayName: 'SharePoint', appId: 'app-sp' }),
    t1({ ...nonInteractive, ...user('alice'), resourceTenantId: RT4, createdDateTime: '2026-05-03T12:00:00Z', correlationId: 'c11', crossTenantAccessType: 'passthrough', status: { errorCode: 0 }, ipAddress: '203.0.113.9', resourceId: 'res-other', appDisplayName: 'Other app', appId: 'app-other' }),
    // r13: home and resource tenant the same but for case: not cross-tenant.
    t1({ ...nonInteractive, ...user('frank'), homeTenantId: RT3.toUpperCase(), resourceTenantId: RT3, createdDateTime: '2026-05-03T13:00:00Z', correlationId: 'c13', crossTenantAccessType: 'none', status: { errorCode: 0 }, ipAddress: '203.0.113.10', resourceId: 'res-graph', appDisplayName: 'Teams', appId: 'app-teams' }),
    t1({ ...nonInteractive, userPrincipalName: 'guest@t3.example', userId: 'uid-guest', homeTenantId: RT3, createdDateTime: '2026-05-03T10:20:00Z', correlationId: 'c14', crossTenantAccessType: 'b2bCollaboration', status: { errorCode: 0 }, ipAddress: '198.51.100.1', resourceId: 'res-sp', appDisplayName: 'SharePoint', appId: 'app-sp' }),
    t1({ ...nonInteractive, userPrincipalName: 'guest@t3.example', userId: 'uid-guest', homeTenantId: RT3, createdDateTime: '2026-05-03T11:30:00Z', correlationId: 'c15', crossTenantAccessType: 'b2bCollaboration', status: { errorCode: 0 }, ipAddress: '198.51.100.1', resourceId: 'res-sp', appDisplayName: 'SharePoint', appId: 'app-sp' }),
  ].map(({ tenant, record }) => ({ tenant, record: signIn(record) }));
}

export async function ingestReportRecords(store: SignInStore): Promise<void> {
  const w = store.openWriter();
  for (const { tenant, record } of reportRecords()) await w.add(incoming(record, { tenant }));
  await w.flush();
}

function section(r: Report, id: string) {
  const s = r.sections.find((x) => x.id === id);
  if (!s) throw new Error(`report ${r.name} has no section ${id}`);
  return s.rows;
}

const D1 = '2026-05-01T00:00:00Z';
const D2 = '2026-05-02T00:00:00Z';
const D3 = '2026-05-03T00:00:00Z';

/** Checks every report's numbers against the hand-worked answers (all tenants readable). */
export async function checkHandBuiltReports(reader: ReportReader): Promise<void> {
  // auth-methods — interactive: r1..r6 (T1) and r8 (T2). De-duplicated by (log, correlation):
  // r1 and r2 share c1 in T1 → r2 (newer); r8's c1 is in T2 → kept; r6 has none → kept.
  // Kept: r2, r3, r4, r5, r6, r8 = 6.
  const am = await runReport('auth-methods', reader, {});
  expect(am.signIns).toBe(6);
  // Day 1: r2, r3, r8 multifactor, all error 0. Day 2: r4, r5 single (r4 ok, r5 50126), r6 multi.
  expect(section(am, 'requirement')).toEqual([
    { day: D1, requirement: 'multiFactorAuthentication', signIns: 3, successful: 3 },
    { day: D2, requirement: 'multiFactorAuthentication', signIns: 1, successful: 1 },
    { day: D2, requirement: 'singleFactorAuthentication', signIns: 2, successful: 1 },
  ]);
  // Steps (no "Previously satisfied"): r2 PHS→Password ✓, push ✗, push ✓; r4 FIDO2 ✓;
  // r5 CloudOnlyPassword→Password ✗; r6 WindowsHelloForBusiness→Windows Hello for Business ✓,
  // Text message ✓; r8 Password ✓. Password 3 (2 ✓ 1 ✗), push 2 (1/1), the rest 1 each.
  expect(section(am, 'methods').map((r) => [r['method'], r['uses'], r['succeeded'], r['failed'], r['successRate'], r['passwordless']])).toEqual([
    ['Password', 3, 2, 1, 2 / 3, 'no'],
    ['Mobile app notification', 2, 1, 1, 0.5, 'no'],
    ['FIDO2 security key', 1, 1, 0, 1, 'yes'],
    ['Text message', 1, 1, 0, 1, 'no'],
    ['Windows Hello for Business', 1, 1, 0, 1, 'yes'],
  ]);
  // Passwordless: day 1 none of 3; day 2 r4 (FIDO2) and r6 (WHfB) of 3.
  expect(section(am, 'passwordless').map((r) => [r['day'], r['passwordless'], r['signIns'], r['share']])).toEqual([
    [D1, 0, 3, 0],
    [D2, 2, 3, 2 / 3],
  ]);
  // Claims: r3 only; multifactor: r2, r3, r6, r8.
  expect(section(am, 'claims')).toEqual([{ signIns: 6, satisfiedByClaim: 1, claimShare: 1 / 6, multifactor: 4, mfaSatisfiedByClaim: 1, passwordless: 2 }]);

  // conditional-access — every interactive sign-in (no de-duplication): r1..r6, r8.
  const ca = await runReport('conditional-access', reader, {});
  expect(ca.signIns).toBe(7);
  // Day 1: r1 (none), r2, r3, r8 success. Day 2: r4 notApplied, r5 failure, r6 none.
  expect(section(ca, 'overall')).toEqual([
    { day: D1, signIns: 4, success: 3, failure: 0, notApplied: 1 },
    { day: D2, signIns: 3, success: 0, failure: 1, notApplied: 2 },
  ]);
  // pol-1: r2 ✓, r3 ✓, r4 notApplied, r5 failure, r8 ✓. pol-2 (report-only): r2 notApplied,
  // r3 failure, r4 interrupted → user action, r5 failure.
  expect(section(ca, 'policies').map((r) => [r['policyId'], r['policy'], r['mode'], r['evaluated'], r['success'], r['failure'], r['userActionRequired'], r['notApplied']])).toEqual([
    ['pol-1', 'Require MFA', 'enabled', 5, 3, 1, 0, 1],
    ['pol-2', 'Block legacy (report-only)', 'report-only', 4, 0, 2, 1, 1],
  ]);
  const overTime = section(ca, 'policies-over-time').filter((r) => r['policyId'] === 'pol-2');
  expect(overTime.map((r) => [r['day'], r['outcome'], r['signIns']]).sort()).toEqual([
    [D1, 'failure', 1],
    [D1, 'notApplied', 1],
    [D2, 'failure', 1],
    [D2, 'userActionRequired', 1],
  ]);
  // If pol-2 were enabled: block r3 (bob, Outlook) and r5 (alice, Portal); challenge r4 (carol, Outlook).
  expect(section(ca, 'if-enabled-users-pol-2').map((r) => [r['user'], r['wouldBlock'], r['wouldChallenge']])).toEqual([
    ['alice@contoso.example', 1, 0],
    ['bob@contoso.example', 1, 0],
    ['carol@contoso.example', 0, 1],
  ]);
  expect(section(ca, 'if-enabled-apps-pol-2').map((r) => [r['application'], r['signIns'], r['wouldBlock'], r['wouldChallenge']])).toEqual([
    ['Outlook', 2, 1, 1],
    ['Portal', 1, 1, 0],
  ]);
  expect(ca.sections.some((s) => s.id === 'if-enabled-users-pol-1')).toBe(false);

  // cross-tenant — home ≠ resource: r9, r10, r14, r15 (T3 → T1, inbound), r11 (T1 → T4,
  // outbound). r13's tenants differ only in case: not counted.
  const ct = await runReport('cross-tenant', reader, {});
  expect(ct.signIns).toBe(5);
  const types = Object.fromEntries(section(ct, 'access-types').map((r) => [r['accessType'], [r['signIns'], r['inbound'], r['outbound'], r['failures']]]));
  expect(types).toEqual({
    none: [0, 0, 0, 0],
    b2bCollaboration: [3, 3, 0, 0],
    b2bDirectConnect: [1, 1, 0, 1],
    microsoftSupport: [0, 0, 0, 0],
    serviceProvider: [0, 0, 0, 0],
    unknownFutureValue: [0, 0, 0, 0],
    passthrough: [1, 0, 1, 0],
  });
  expect(section(ct, 'inbound-tenants').map((r) => [r['tenant'], r['signIns'], r['users']])).toEqual([[RT3, 4, 1]]);
  expect(section(ct, 'outbound-tenants').map((r) => [r['tenant'], r['signIns'], r['users']])).toEqual([[RT4, 1, 1]]);
  expect(section(ct, 'direction')).toEqual([
    { day: D3, direction: 'inbound', signIns: 4 },
    { day: D3, direction: 'outbound', signIns: 1 },
  ]);

  // overview — all 14 sign-ins. Day 1: r1, r2, r3, r8 (r1 fails). Day 2: r4, r5, r6, r7 (r5
  // fails). Day 3: r9, r10, r11, r13, r14, r15 (r10 fails).
  const ov = await runReport('overview', reader, {});
  expect(ov.signIns).toBe(14);
  expect(section(ov, 'over-time').map((r) => [r['day'], r['signIns'], r['failures'], r['interactive']])).toEqual([
    [D1, 4, 1, 4],
    [D2, 4, 1, 3],
    [D3, 6, 1, 0],
  ]);
  // 50126: r5 (alice), r10 (guest); 50074: r1 (alice).
  expect(section(ov, 'error-codes').map((r) => [r['errorCode'], r['signIns'], r['users'], r['name']])).toEqual([
    [50126, 2, 2, 'InvalidUserNameOrPassword'],
    [50074, 1, 1, lookupErrorCode(50074)?.name ?? null],
  ]);
  expect(section(ov, 'locations').map((r) => [r['city'], r['countryOrRegion'], r['signIns'], r['failures'], r['latitude'], r['longitude']])).toEqual([
    ['Seattle', 'US', 2, 0, 47.6, -122.3],
    ['Paris', 'FR', 1, 1, 48.85, 2.35],
  ]);
  expect(section(ov, 'risk').map((r) => [r['riskLevel'], r['riskState'], r['signIns']]).sort()).toEqual([
    ['high', 'atRisk', 1],
    ['low', 'remediated', 1],
  ]);
  // Portal: r1, r2, r5, r6, r8 = 5 (r1, r5 fail); SharePoint: r9, r10, r14, r15 = 4 (r10 fails).
  expect(section(ov, 'applications').slice(0, 2).map((r) => [r['application'], r['signIns'], r['failures']])).toEqual([
    ['Portal', 5, 2],
    ['SharePoint', 4, 1],
  ]);

  // The non-interactive aggregate, 1-hour windows: the guest's SharePoint sign-ins r9 (10:00) and
  // r14 (10:20) share a window and every key; r15 (11:30) is the next window; r10 (11:00) differs
  // in status. 6-hour windows: r9, r14, r15 together (06:00–12:00).
  const h1 = await aggregateNonInteractive(reader, { window: '1h', top: 100 });
  const guest = (rows: typeof h1.rows) => rows.filter((r) => r['userId'] === 'uid-guest').map((r) => [r['window'], r['errorCode'], r['signIns'], r['firstSignIn'], r['lastSignIn']]);
  expect(guest(h1.rows)).toEqual([
    ['2026-05-03T11:00:00Z', 0, 1, '2026-05-03T11:30:00Z', '2026-05-03T11:30:00Z'],
    ['2026-05-03T11:00:00Z', 50126, 1, '2026-05-03T11:00:00Z', '2026-05-03T11:00:00Z'],
    ['2026-05-03T10:00:00Z', 0, 2, '2026-05-03T10:00:00Z', '2026-05-03T10:20:00Z'],
  ]);
  const h6 = await aggregateNonInteractive(reader, { window: '6h', top: 100 });
  expect(guest(h6.rows)).toEqual([
    ['2026-05-03T06:00:00Z', 0, 3, '2026-05-03T10:00:00Z', '2026-05-03T11:30:00Z'],
    ['2026-05-03T06:00:00Z', 50126, 1, '2026-05-03T11:00:00Z', '2026-05-03T11:00:00Z'],
  ]);
  // Non-interactive: r7, r9, r10, r11, r13, r14, r15 = 7 sign-ins.
  expect(h6.signIns).toBe(7);
  expect(h6.truncated).toBe(false);
  const top1 = await aggregateNonInteractive(reader, { window: '24h', top: 1 });
  expect(top1.rows).toHaveLength(1);
  expect(top1.truncated).toBe(true);
}

/** What a caller limited to some tenants sees: its logs and its users' sign-ins elsewhere, nothing else. */
export async function checkScopedReports(store: SignInStore): Promise<void> {
  const { ScopedReader, tenantsScope } = await import('../src/query/scoped-reader.js');
  const as = (tenants: string[]) => new ScopedReader(store, tenantsScope(tenants));
  // T2 sees r8 only.
  const t2 = as([RT2]);
  expect((await runReport('auth-methods', t2, {})).signIns).toBe(1);
  expect((await runReport('overview', t2, {})).signIns).toBe(1);
  expect((await runReport('conditional-access', t2, {})).sections.find((s) => s.id === 'policies')?.rows.map((r) => [r['policyId'], r['evaluated']])).toEqual([['pol-1', 1]]);
  expect((await runReport('cross-tenant', t2, {})).signIns).toBe(0);
  // T1 sees its log (13 sign-ins), never T2's r8.
  const t1 = as([RT1]);
  expect((await runReport('auth-methods', t1, {})).signIns).toBe(5);
  expect((await runReport('overview', t1, {})).signIns).toBe(13);
  const ca1 = await runReport('conditional-access', t1, {});
  expect(ca1.sections.find((s) => s.id === 'policies')?.rows.map((r) => [r['policyId'], r['evaluated']])).toEqual([
    ['pol-1', 4],
    ['pol-2', 4],
  ]);
  // T3 has no log here, but its guest's sign-ins into T1 (r9, r10, r14, r15) and r13 (home T3 in
  // capitals) are its users' sign-ins.
  const t3 = as([RT3]);
  expect((await runReport('overview', t3, {})).signIns).toBe(5);
  expect((await runReport('cross-tenant', t3, {})).signIns).toBe(4);
  expect((await runReport('auth-methods', t3, {})).signIns).toBe(0);
  // No tenant: nothing.
  expect((await runReport('overview', as([]), {})).signIns).toBe(0);
}
