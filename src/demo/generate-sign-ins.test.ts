import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENUMS } from '../model/schema.js';
import type { SignInRecord } from '../model/sign-in.js';
import { parseDateTime } from '../model/time.js';
import { requestIdToUniqueTokenIdentifier, uniqueTokenIdentifierToRequestId } from '../model/unique-token-identifier.js';
import { normalizeSignIn } from '../normalize/to-sign-in.js';
import { EVENT_TYPE_SHARES, demoTenant, generateSignIns, type DemoOptions } from './generate-sign-ins.js';
import { BASE_POLICY_COUNT, conditionalAccessStatusOf } from './policies.js';
import { DEMO_TENANT } from './tenant.js';

const END = new Date('2026-11-21T00:00:00Z');
const OPTIONS: DemoOptions = { signIns: 50_000, days: 30, seed: 42, end: END };

let records: SignInRecord[];

beforeAll(() => {
  records = [...generateSignIns(OPTIONS)];
});

function ns(r: SignInRecord): bigint {
  return parseDateTime(r.createdDateTime) as bigint;
}

function byCorrelation(): Map<string, SignInRecord[]> {
  const groups = new Map<string, SignInRecord[]>();
  for (const r of records) {
    const g = groups.get(r.correlationId as string);
    if (g) g.push(r);
    else groups.set(r.correlationId as string, [r]);
  }
  return groups;
}

describe('generateSignIns: shape of the stream', () => {
  it('yields exactly the number asked for, inside the window, in ascending time', () => {
    expect(records).toHaveLength(OPTIONS.signIns);
    const start = BigInt(END.getTime() - 30 * 86_400_000) * 1_000_000n;
    const end = BigInt(END.getTime()) * 1_000_000n;
    let prev = start;
    for (const r of records) {
      const t = ns(r);
      expect(t >= prev, `${r.createdDateTime} after its predecessor`).toBe(true);
      prev = t;
    }
    expect(ns(records[0] as SignInRecord) >= start).toBe(true);
    expect(prev < end).toBe(true);
  });

  it('is deterministic: same options give the same JSON, another seed gives other records', () => {
    const opts = { ...OPTIONS, signIns: 3000 };
    const a = JSON.stringify([...generateSignIns(opts)]);
    const b = JSON.stringify([...generateSignIns(opts)]);
    expect(a).toBe(b);
    const c = JSON.stringify([...generateSignIns({ ...opts, seed: 43 })]);
    expect(c).not.toBe(a);
    // Only the traffic depends on the seed: the same people sign in.
    const users = (text: string): Set<string> => new Set((JSON.parse(text) as SignInRecord[]).map((r) => r.userId ?? ''));
    const other = users(c);
    const common = [...users(a)].filter((u) => other.has(u));
    expect(common.length).toBeGreaterThan(100);
  });

  it('does not depend on what the process generated before (a fresh process gives the same bytes)', () => {
    const opts = { signIns: 2000, days: 7, seed: 5, end: END, policies: 30 };
    const hash = createHash('sha256');
    for (const r of generateSignIns(opts)) hash.update(JSON.stringify(r));
    const module = fileURLToPath(new URL('./generate-sign-ins.ts', import.meta.url));
    const script = `
      import { createHash } from 'node:crypto';
      const { generateSignIns } = await import(${JSON.stringify(module)});
      const h = createHash('sha256');
      for (const r of generateSignIns({ signIns: 2000, days: 7, seed: 5, end: new Date(${JSON.stringify(END.toISOString())}), policies: 30 })) h.update(JSON.stringify(r));
      process.stdout.write(h.digest('hex'));`;
    const fresh = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(fresh).toBe(hash.digest('hex'));
  });

  it('gives nothing for zero sign-ins and refuses bad options', () => {
    expect([...generateSignIns({ ...OPTIONS, signIns: 0 })]).toEqual([]);
    expect(() => [...generateSignIns({ ...OPTIONS, signIns: -1 })]).toThrow(RangeError);
    expect(() => [...generateSignIns({ ...OPTIONS, days: 0 })]).toThrow(RangeError);
    expect(() => [...generateSignIns({ ...OPTIONS, end: new Date(Number.NaN) })]).toThrow(RangeError);
  });

  it('works for tiny and short windows', () => {
    const few = [...generateSignIns({ signIns: 7, days: 0.01, seed: 1, end: END })];
    expect(few).toHaveLength(7);
    for (const r of few) expect(normalizeSignIn(r).canonical).toBe(true);
  });
});

describe('generateSignIns: every record is a canonical sign-in', () => {
  it('normalizes with canonical === true (known properties, exact enum members, Graph times)', () => {
    const bad: string[] = [];
    for (const r of records) {
      const n = normalizeSignIn(r);
      if (!n.canonical) bad.push(`${r.id}: ${JSON.stringify(n.extra)}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('writes times with 100 ns precision at most', () => {
    for (const r of records.slice(0, 5000)) expect(r.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$/);
  });

  it('uses the request id for the unique token identifier', () => {
    for (const r of records) {
      expect(r.uniqueTokenIdentifier).toBe(requestIdToUniqueTokenIdentifier(r.id));
      expect(uniqueTokenIdentifierToRequestId(r.uniqueTokenIdentifier as string)).toBe(r.id);
    }
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it('writes user principal names in lower case', () => {
    for (const r of records) if (r.userPrincipalName) expect(r.userPrincipalName).toBe(r.userPrincipalName.toLowerCase());
  });

  it('gives success errorCode 0 and every failure a code and a reason', () => {
    let failures = 0;
    for (const r of records) {
      const s = r.status as { errorCode: number; failureReason?: string };
      if (s.errorCode !== 0) {
        failures++;
        expect(s.failureReason, String(s.errorCode)).toBeTruthy();
      }
    }
    const share = failures / records.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });
});

describe('generateSignIns: event types', () => {
  it('has all four types in the intended proportions, one type per record, isInteractive agreeing', () => {
    const counts: Record<string, number> = {};
    for (const r of records) {
      expect(r.signInEventTypes).toHaveLength(1);
      const type = (r.signInEventTypes as string[])[0] as string;
      counts[type] = (counts[type] ?? 0) + 1;
      expect(r.isInteractive).toBe(type === 'interactiveUser');
    }
    for (const [type, share] of Object.entries(EVENT_TYPE_SHARES)) {
      expect(Math.abs((counts[type] ?? 0) / records.length - share), type).toBeLessThan(0.015);
    }
    expect(counts['nonInteractiveUser']).toBeGreaterThan(2 * (counts['interactiveUser'] as number));
  });

  it('gives service principals and managed identities their own fields and no user', () => {
    for (const r of records) {
      const type = (r.signInEventTypes as string[])[0];
      if (type === 'servicePrincipal') {
        expect(r.userId).toBeUndefined();
        expect(r.clientCredentialType).toMatch(/^(clientSecret|certificate|federatedIdentityCredential)$/);
        if (r.status?.errorCode !== 700016) expect(r.servicePrincipalId).toBeTruthy();
      } else if (type === 'managedIdentity') {
        expect(r.userId).toBeUndefined();
        expect(r.clientCredentialType).toBe('managedIdentity');
        expect(r.managedServiceIdentity?.msiType).toMatch(/^(systemAssigned|userAssigned)$/);
        expect(r.managedServiceIdentity?.associatedResourceId).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\//);
        expect(r.appliedConditionalAccessPolicies).toEqual([]);
      } else {
        expect(r.userPrincipalName ?? r.userId ?? r.homeTenantId).toBeTruthy();
      }
    }
  });
});

describe('generateSignIns: cross-tenant access', () => {
  it('has every crossTenantAccessType member but unknownFutureValue', () => {
    const seen = new Set(records.map((r) => r.crossTenantAccessType));
    const members = (ENUMS.get('signInAccessType')?.members ?? []).filter((m) => m !== 'unknownFutureValue');
    expect(members.length).toBe(6);
    for (const m of members) expect(seen.has(m as never), m).toBe(true);
  });

  it('never names the home tenant in cross-tenant sign-ins; guests come from other tenants', () => {
    let guests = 0;
    for (const r of records) {
      if (r.crossTenantAccessType !== 'none') expect(r.homeTenantName).toBeUndefined();
      if (r.userType === 'guest') {
        guests++;
        expect(r.crossTenantAccessType).toBe('b2bCollaboration');
        expect(r.homeTenantId).not.toBe(r.resourceTenantId);
      }
      if (r.crossTenantAccessType === 'passthrough') {
        expect(r.homeTenantId).toBe(DEMO_TENANT.id);
        expect(r.resourceTenantId).not.toBe(DEMO_TENANT.id);
      }
    }
    expect(guests).toBeGreaterThan(500);
    const guestIds = new Set(records.filter((r) => r.userType === 'guest').map((r) => r.userId));
    expect(guestIds.size).toBeGreaterThan(25);
  });
});

describe('generateSignIns: Conditional Access', () => {
  const tenant = demoTenant();
  const byId = new Map(tenant.policies.map((p) => [p.id, p]));

  it('has the base policy set in three states', () => {
    expect(tenant.policies).toHaveLength(BASE_POLICY_COUNT);
    expect(BASE_POLICY_COUNT).toBeGreaterThanOrEqual(15);
    expect(new Set(tenant.policies.map((p) => p.state))).toEqual(new Set(['enabled', 'enabledForReportingButNotEnforced', 'disabled']));
  });

  it('derives the sign-in status from the enabled policies and results from each policy state', () => {
    const allowed: Record<string, readonly string[]> = {
      enabled: ['success', 'failure', 'notApplied'],
      enabledForReportingButNotEnforced: ['reportOnlySuccess', 'reportOnlyFailure', 'reportOnlyNotApplied', 'reportOnlyInterrupted'],
      disabled: ['notEnabled'],
    };
    const wrong: string[] = [];
    for (const r of records) {
      const entries = r.appliedConditionalAccessPolicies ?? [];
      const expected = conditionalAccessStatusOf(entries.map((e) => e.result));
      if (r.conditionalAccessStatus !== expected) wrong.push(`${r.id}: ${r.conditionalAccessStatus} where the rule gives ${expected}`);
      for (const e of entries) {
        const p = byId.get(e.id as string);
        if (!p) wrong.push(`${r.id}: unknown policy ${e.id}`);
        else if (!allowed[p.state]?.includes(e.result as string)) wrong.push(`${r.id}: ${p.state} policy ${p.displayName} with ${e.result}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('lists every user-targeted policy on user sign-ins and only workload policies on service principals', () => {
    const userIds = tenant.userPolicies.map((p) => p.id);
    const workloadIds = new Set(tenant.workloadPolicies.map((p) => p.id));
    let withPolicies = 0;
    for (const r of records) {
      const ids = (r.appliedConditionalAccessPolicies ?? []).map((e) => e.id);
      const type = (r.signInEventTypes as string[])[0];
      if (type === 'interactiveUser' || type === 'nonInteractiveUser') {
        // Empty only for bootstrap sign-ins (Windows logon) and passthrough (another tenant's policies).
        if (ids.length === 0) expect(r.appId === '38aa3b87-a06d-4817-b275-7a316988d93b' || r.crossTenantAccessType === 'passthrough').toBe(true);
        else {
          withPolicies++;
          expect(ids).toEqual(userIds);
        }
      } else {
        for (const id of ids) expect(workloadIds.has(id as string)).toBe(true);
      }
    }
    expect(withPolicies).toBeGreaterThan(records.length * 0.8);
  });

  it('blocks with 53003 when an enabled block policy fails, and shows every result value', () => {
    const results = new Set<string>();
    for (const r of records) {
      const entries = r.appliedConditionalAccessPolicies ?? [];
      for (const e of entries) results.add(e.result as string);
      const blocked = entries.some((e) => e.result === 'failure' && (e.enforcedGrantControls ?? []).includes('Block'));
      if (blocked) expect(r.status?.errorCode).toBe(53003);
    }
    for (const v of ['success', 'failure', 'notApplied', 'notEnabled', 'reportOnlySuccess', 'reportOnlyFailure', 'reportOnlyNotApplied', 'reportOnlyInterrupted']) {
      expect(results.has(v), v).toBe(true);
    }
  });

  it('fills conditions and include/exclude rules with schema members', () => {
    const conditions = new Set(ENUMS.get('conditionalAccessConditions')?.members);
    const rules = new Set(ENUMS.get('conditionalAccessRule')?.members);
    let excluded = 0;
    for (const r of records.slice(0, 5000)) {
      for (const e of r.appliedConditionalAccessPolicies ?? []) {
        for (const c of `${e.conditionsSatisfied},${e.conditionsNotSatisfied}`.split(',')) expect(conditions.has(c), c).toBe(true);
        for (const x of [...(e.includeRulesSatisfied ?? []), ...(e.excludeRulesSatisfied ?? [])]) {
          expect(conditions.has(x.conditionalAccessCondition as string)).toBe(true);
          expect(rules.has(x.ruleSatisfied as string)).toBe(true);
        }
        excluded += e.excludeRulesSatisfied?.length ?? 0;
      }
    }
    expect(excluded).toBeGreaterThan(0);
  });

  it('adds filler policies for benchmarks, keeping the base ids', () => {
    const big = demoTenant(50);
    expect(big.policies).toHaveLength(50);
    expect(big.policies.slice(0, BASE_POLICY_COUNT).map((p) => p.id)).toEqual(tenant.policies.map((p) => p.id));
    const some = [...generateSignIns({ ...OPTIONS, signIns: 2000, policies: 50 })];
    const counts = some.map((r) => r.appliedConditionalAccessPolicies?.length ?? 0);
    expect(Math.max(...counts)).toBe(big.userPolicies.length);
    for (const r of some) expect(normalizeSignIn(r).canonical).toBe(true);
  });
});

describe('generateSignIns: authentication flows', () => {
  it('has MFA flows: an interrupt, then MFA completed, sharing the correlation id', () => {
    let completed = 0;
    for (const g of byCorrelation().values()) {
      if (g.length < 2) continue;
      const first = g[0] as SignInRecord;
      if (first.status?.errorCode !== 50074 && first.status?.errorCode !== 50076) continue;
      const done = g.find((r) => r.status?.errorCode === 0 && r.authenticationDetails?.some((d) => d.authenticationStepResultDetail === 'MFA successfully completed'));
      if (!done) continue;
      completed++;
      expect(done.originalRequestId).toBe(first.id);
      expect(done.authenticationRequirement).toBe('multiFactorAuthentication');
      expect(done.sessionId).toBe(first.sessionId);
      expect(ns(done) > ns(first)).toBe(true);
    }
    expect(completed).toBeGreaterThan(100);
  });

  it('has denied MFA (500121) with the denial in the details', () => {
    const denied = records.filter((r) => r.status?.errorCode === 500121);
    expect(denied.length).toBeGreaterThan(20);
    for (const r of denied) {
      expect(r.status?.additionalDetails).toMatch(/^MFA denied; /);
      expect(r.authenticationDetails?.some((d) => d.succeeded === false && d.authenticationStepRequirement === 'Multifactor authentication')).toBe(true);
      expect(r.conditionalAccessStatus).toBe('failure');
    }
  });

  it('has sign-ins satisfied by claims in the token and real method names', () => {
    const details = records.flatMap((r) => r.authenticationDetails ?? []);
    const results = new Set(details.map((d) => d.authenticationStepResultDetail));
    for (const s of ['MFA requirement satisfied by claim in the token', 'First factor requirement satisfied by claim in the token', 'Correct password', 'MFA successfully completed']) {
      expect(results.has(s), s).toBe(true);
    }
    const methods = new Set(details.map((d) => d.authenticationMethod));
    for (const m of ['Password', 'Mobile app notification', 'Previously satisfied', 'FIDO2 security key', 'Windows Hello for Business', 'Passwordless phone sign-in']) {
      expect(methods.has(m), m).toBe(true);
    }
    const providers = new Set(records.flatMap((r) => (r.authenticationRequirementPolicies ?? []).map((p) => p.requirementProvider)));
    expect(providers).toEqual(new Set(['multiConditionalAccess', 'user']));
  });

  it('has a password spray: one address, many users failing 50126 within minutes', () => {
    const byIp = new Map<string, SignInRecord[]>();
    for (const r of records) {
      if (r.status?.errorCode !== 50126) continue;
      const list = byIp.get(r.ipAddress as string) ?? [];
      list.push(r);
      byIp.set(r.ipAddress as string, list);
    }
    const [ip, burst] = [...byIp].sort((a, b) => b[1].length - a[1].length)[0] as [string, SignInRecord[]];
    expect(burst.length).toBeGreaterThan(100);
    expect(new Set(burst.map((r) => r.userId)).size).toBeGreaterThan(100);
    const minutes = Number((ns(burst.at(-1) as SignInRecord) - ns(burst[0] as SignInRecord)) / 60_000_000_000n);
    expect(minutes).toBeLessThan(15);
    // The one right guess is stopped by Conditional Access.
    expect(records.some((r) => r.ipAddress === ip && r.status?.errorCode === 53003)).toBe(true);
  });

  it('marks some tokens as CAE tokens and some sign-ins as risky', () => {
    expect(records.some((r) => r.authenticationProcessingDetails?.some((d) => d.key === 'Is CAE Token' && d.value === 'True'))).toBe(true);
    const risky = records.filter((r) => r.riskLevelDuringSignIn !== undefined && r.riskLevelDuringSignIn !== 'none');
    expect(risky.length).toBeGreaterThan(20);
    expect(risky.length).toBeLessThan(records.length * 0.02);
    for (const r of risky) expect(r.riskEventTypes_v2?.length).toBeGreaterThan(0);
  });
});

describe('generateSignIns: time rhythm', () => {
  it('has more sign-ins on weekdays than at weekends', () => {
    const perDay = [0, 0, 0, 0, 0, 0, 0];
    for (const r of records) (perDay[new Date(Number(ns(r) / 1_000_000n)).getUTCDay()] as number)++;
    const weekday = (perDay.slice(1, 6).reduce((a, b) => a + b, 0) as number) / 5;
    const weekend = ((perDay[0] as number) + (perDay[6] as number)) / 2;
    expect(weekday).toBeGreaterThan(1.8 * weekend);
  });
});
