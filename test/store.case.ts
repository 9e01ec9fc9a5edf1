// The store conformance suite: every backend runs these same cases and must give the same answers.
import { describe, expect, it } from 'vitest';
import { toOriginal } from '../src/model/render.js';
import { planFilter } from '../src/query/plan.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { inTenants, TRUE } from '../src/query/sql/expr.js';
import { incoming, signIn, withoutNulls } from './helpers/records.js';
import { checkHandBuiltReports, checkScopedReports, ingestReportRecords } from './reports-data.js';

export interface StoreFactory {
  /** A fresh, empty, migrated store; `batchRecords` small to exercise batch boundaries. */
  open(options?: { batchRecords?: number }): Promise<SignInStore>;
}

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

async function ingest(store: SignInStore, raws: Record<string, unknown>[], opts: { tenant?: string } = {}) {
  const w = store.openWriter();
  for (const r of raws) await w.add(incoming(r, opts));
  return w.flush();
}

export function runStoreSuite(name: string, factory: StoreFactory): void {
  describe(`SignInStore conformance: ${name}`, () => {
    it('starts empty and migrated', async () => {
      const store = await factory.open();
      try {
        expect(await store.schemaVersion()).toBeGreaterThanOrEqual(1);
        expect(await store.count()).toBe(0);
        expect(await store.query({ where: TRUE, order: 'desc', limit: 10 })).toEqual([]);
        expect(await store.get('nope')).toBeNull();
        await store.migrate(); // idempotent
        expect(await store.count()).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('reads back every record as it went in; importing again changes nothing', async () => {
      const store = await factory.open();
      try {
        const raws = [signIn(), signIn({ userType: 'guest', homeTenantId: T2, crossTenantAccessType: 'b2bCollaboration' }), signIn({ status: { errorCode: 50126, failureReason: 'Invalid username or password.' } })];
        expect(await ingest(store, raws)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
        for (const r of raws) {
          const got = await store.get(r['id'] as string);
          expect(got?.tenantId).toBe(T1);
          expect(withoutNulls(toOriginal(got!.record, got!.extra))).toEqual(withoutNulls(r));
        }
        expect(await ingest(store, raws)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
        expect(await store.count()).toBe(3);
      } finally {
        await store.close();
      }
    });

    it('keeps unknown properties, unknown enum values and 7-digit times through the store', async () => {
      const store = await factory.open();
      try {
        const raw = signIn({
          createdDateTime: '2026-03-01T10:00:00.9876543Z',
          authenticationProtocol: 'rpoc',
          incomingTokenType: 'Primary Refresh Token',
          someFutureProperty: { nested: [1, 'two', null] },
          appliedConditionalAccessPolicies: [{ id: 'p9', result: 'brandNewResult', futurePolicyField: true }],
          authenticationDetails: [{ authenticationMethod: 'Password', authenticationStepDateTime: '2026-03-01T10:00:00.0000001Z', succeeded: true, StatusSequence: 0 }],
          appliedEventListeners: [{ eventType: 'tokenIssuanceStart', handlerResult: { '@odata.type': '#microsoft.graph.x', n: 1 } }],
        });
        await ingest(store, [raw]);
        const got = await store.get(raw['id'] as string);
        expect(got?.record.authenticationProtocol).toBe('unknownFutureValue');
        expect(got?.record.createdDateTime).toBe('2026-03-01T10:00:00.9876543Z');
        expect(got?.record.authenticationDetails?.[0]?.authenticationStepDateTime).toBe('2026-03-01T10:00:00.0000001Z');
        expect(withoutNulls(toOriginal(got!.record, got!.extra))).toEqual(withoutNulls(raw));
      } finally {
        await store.close();
      }
    });

    it('replaces a line item with a newer version, and never goes back to an older one', async () => {
      const store = await factory.open();
      try {
        const v1 = signIn({ status: { errorCode: 50074 } });
        const v2 = { ...v1, status: { errorCode: 0 }, authenticationRequirement: 'multiFactorAuthentication' };
        await ingest(store, [v1]);
        expect(await ingest(store, [v2])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
        expect((await store.get(v1['id'] as string))?.record.status?.errorCode).toBe(0);
        expect(await ingest(store, [v1])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
        expect((await store.get(v1['id'] as string))?.record.authenticationRequirement).toBe('multiFactorAuthentication');
        expect(await store.count()).toBe(1);
        // Filters see the newest version only: the old one's values find nothing.
        const where = planFilter('status/errorCode eq 50074', 'beta').condition;
        expect(await store.query({ where, order: 'desc', limit: 10 })).toEqual([]);
        expect(await store.count(where)).toBe(0);
        expect(await store.count(planFilter('status/errorCode eq 0', 'beta').condition)).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('handles several versions and exact repeats of one sign-in in one batch', async () => {
      const store = await factory.open();
      try {
        const v1 = signIn({ status: { errorCode: 50074 } });
        const v2 = { ...v1, status: { errorCode: 0 } };
        const other = signIn();
        expect(await ingest(store, [v1, other, v1, v2, v2])).toEqual({ inserted: 2, updated: 1, unchanged: 2 });
        expect((await store.get(v1['id'] as string))?.record.status?.errorCode).toBe(0);
        expect(await store.count()).toBe(2);
      } finally {
        await store.close();
      }
    });

    it('keeps the same sign-in id apart per log tenant', async () => {
      const store = await factory.open();
      try {
        const raw = signIn();
        await ingest(store, [raw], { tenant: T1 });
        await ingest(store, [{ ...raw, userDisplayName: 'seen from the home tenant' }], { tenant: T2 });
        expect(await store.count()).toBe(2);
        expect((await store.get(raw['id'] as string, [T2]))?.record.userDisplayName).toBe('seen from the home tenant');
        expect((await store.get(raw['id'] as string, [T1]))?.record.userDisplayName).toBeUndefined();
        expect(await store.get(raw['id'] as string, [])).toBeNull();
        expect((await store.query({ where: inTenants([T2]), order: 'desc', limit: 10 })).map((s) => s.tenantId)).toEqual([T2]);
      } finally {
        await store.close();
      }
    });

    it('lists newest first (or oldest first), limited to top, across many batches', async () => {
      const store = await factory.open({ batchRecords: 37 });
      try {
        const raws = Array.from({ length: 300 }, (_, i) =>
          signIn({ createdDateTime: `2026-03-0${1 + (i % 5)}T${String(i % 24).padStart(2, '0')}:00:00.${String(i).padStart(7, '0')}Z` }),
        );
        expect(await ingest(store, raws)).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
        const sorted = [...raws].sort((a, b) => String(b['createdDateTime']).localeCompare(String(a['createdDateTime'])));
        expect((await store.query({ where: TRUE, order: 'desc', limit: 25 })).map((s) => s.record.id)).toEqual(sorted.slice(0, 25).map((r) => r['id']));
        expect((await store.query({ where: TRUE, order: 'asc', limit: 5 })).map((s) => s.record.id)).toEqual(sorted.reverse().slice(0, 5).map((r) => r['id']));
        expect(await store.count()).toBe(300);
      } finally {
        await store.close();
      }
    });

    it('looks inside nested collections: lambdas within lambdas, objects within collections, nulls', async () => {
      const store = await factory.open();
      try {
        const rule = (c: string, r: string) => ({ conditionalAccessCondition: c, ruleSatisfied: r });
        const a = signIn({
          appliedConditionalAccessPolicies: [
            { id: 'pa', result: 'success', includeRulesSatisfied: [rule('application', 'allApps'), rule('users', 'allUsers')], authenticationStrength: { displayName: 'Phishing-resistant MFA' } },
            null,
          ],
          networkLocationDetails: [{ networkType: 'namedNetwork', networkNames: ['Corp HQ', null] }],
        });
        const b = signIn({
          appliedConditionalAccessPolicies: [
            { id: 'pb', result: 'failure', includeRulesSatisfied: [rule('users', 'guest')], excludeRulesSatisfied: [] },
            { id: 'pc', result: 'notApplied', includeRulesSatisfied: null, authenticationStrength: null },
          ],
          networkLocationDetails: [{ networkType: 'trustedNamedLocation', networkNames: [] }],
        });
        const c = signIn({ appliedConditionalAccessPolicies: [], networkLocationDetails: null });
        await ingest(store, [a, b, c]);
        const find = async (filter: string): Promise<string[]> =>
          (await store.query({ where: planFilter(filter, 'beta').condition, order: 'asc', limit: 10 })).map((s) => s.record.id).sort();
        const ids = (...rs: Record<string, unknown>[]) => rs.map((r) => r['id'] as string).sort();
        expect(await find("appliedConditionalAccessPolicies/any(p: p/includeRulesSatisfied/any(r: r/ruleSatisfied eq 'allApps'))")).toEqual(ids(a));
        expect(await find("appliedConditionalAccessPolicies/any(p: p/includeRulesSatisfied/any(r: r/conditionalAccessCondition has 'users' and r/ruleSatisfied eq 'guest'))")).toEqual(ids(b));
        expect(await find("appliedConditionalAccessPolicies/any(p: p/result eq 'success' and p/includeRulesSatisfied/any(r: r/ruleSatisfied eq 'allUsers'))")).toEqual(ids(a));
        expect(await find("appliedConditionalAccessPolicies/any(p: p/result eq 'failure' and p/includeRulesSatisfied/any(r: r/ruleSatisfied eq 'allUsers'))")).toEqual([]);
        expect(await find("appliedConditionalAccessPolicies/any(p: p/includeRulesSatisfied/all(r: r/ruleSatisfied ne 'allApps'))")).toEqual(ids(a, b));
        expect(await find('appliedConditionalAccessPolicies/all(p: p/includeRulesSatisfied/any())')).toEqual(ids(c));
        expect(await find('appliedConditionalAccessPolicies/any(p: p/includeRulesSatisfied/any())')).toEqual(ids(a, b));
        expect(await find("appliedConditionalAccessPolicies/any(p: p/authenticationStrength/displayName eq 'phishing-resistant mfa')")).toEqual(ids(a));
        expect(await find('appliedConditionalAccessPolicies/any(p: p/authenticationStrength/displayName eq null)')).toEqual(ids(a, b));
        expect(await find('appliedConditionalAccessPolicies/any(p: p/id eq null)')).toEqual(ids(a));
        expect(await find("networkLocationDetails/any(n: n/networkNames/any(x: startsWith(x, 'corp')))")).toEqual(ids(a));
        expect(await find('networkLocationDetails/any(n: n/networkNames/any(x: x eq null))')).toEqual(ids(a));
        expect(await find('networkLocationDetails/any(n: n/networkNames/all(x: x ne null))')).toEqual(ids(b));
        expect(await find("not networkLocationDetails/any(n: n/networkType eq 'namedNetwork')")).toEqual(ids(b, c));
        expect(await store.count(planFilter("appliedConditionalAccessPolicies/any(p: p/includeRulesSatisfied/any(r: r/ruleSatisfied in ('allApps', 'guest')))", 'beta').condition)).toBe(2);
      } finally {
        await store.close();
      }
    });

    it('keeps a line item once when a newer version changes its time', async () => {
      const store = await factory.open();
      try {
        const v1 = signIn({ createdDateTime: '2026-05-01T10:00:00.1234567Z' });
        const v2 = { ...v1, createdDateTime: '2026-07-02T08:00:00Z' };
        await ingest(store, [v1]);
        expect(await ingest(store, [v2])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
        expect(await store.count()).toBe(1);
        expect((await store.query({ where: TRUE, order: 'desc', limit: 10 })).map((s) => s.record.createdDateTime)).toEqual(['2026-07-02T08:00:00Z']);
        expect(await store.query({ where: planFilter('createdDateTime lt 2026-06-01', 'beta').condition, order: 'desc', limit: 10 })).toEqual([]);
        expect((await store.get(v1['id'] as string))?.record.createdDateTime).toBe('2026-07-02T08:00:00Z');
      } finally {
        await store.close();
      }
    });

    it('returns only the selected properties (with id and createdDateTime), and pages by keyset through ties', async () => {
      const store = await factory.open();
      try {
        const t = '2026-03-09T09:09:09.0000001Z';
        const raws = Array.from({ length: 9 }, () => signIn({ createdDateTime: t }));
        await ingest(store, raws.slice(0, 5), { tenant: T1 });
        await ingest(store, [...raws.slice(5), { ...raws[0]!, userDisplayName: 'other tenant' }], { tenant: T2 });
        const page = await store.query({ where: TRUE, order: 'desc', limit: 3, select: ['userPrincipalName'] });
        expect(Object.keys(page[0]!.record)).toEqual(['id', 'createdDateTime', 'userPrincipalName']);
        const walked: string[] = [];
        for (const order of ['desc', 'asc'] as const) {
          walked.length = 0;
          let after: { time: string; id: string; tenant: string } | undefined;
          for (;;) {
            const rows = await store.query({ where: TRUE, order, limit: 4, ...(after ? { after } : {}) });
            walked.push(...rows.map((s) => `${s.record.id}/${s.tenantId}`));
            const last = rows[rows.length - 1];
            if (rows.length < 4 || !last) break;
            after = { time: last.record.createdDateTime, id: last.record.id, tenant: last.tenantId };
          }
          const expected = [...raws.slice(0, 5).map((r) => `${String(r['id'])}/${T1}`), ...raws.slice(5).map((r) => `${String(r['id'])}/${T2}`), `${String(raws[0]!['id'])}/${T2}`].sort();
          expect(walked).toEqual(order === 'asc' ? expected : [...expected].reverse());
        }
      } finally {
        await store.close();
      }
    });

    it('takes a record whose text repeats a key the way JSON.parse reads it (the last one)', async () => {
      const store = await factory.open();
      try {
        const raw = signIn();
        const text = JSON.stringify(raw).replace(/}$/, ',"userPrincipalName":"second@contoso.example"}');
        const w = store.openWriter();
        await w.add(incoming(JSON.parse(text) as Record<string, unknown>, { text }));
        expect(await w.flush()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
        expect((await store.get(raw['id'] as string))?.record.userPrincipalName).toBe('second@contoso.example');
      } finally {
        await store.close();
      }
    });

    it('lists many rejects in order, of one source or all', async () => {
      const store = await factory.open();
      try {
        const rej = Array.from({ length: 30 }, (_, i) => ({
          source: i % 3 === 0 ? 'b.ndjson' : 'a.ndjson',
          line: i + 1,
          offset: i * 100,
          reason: `invalid JSON ${i}`,
          raw: `{"n":${i},`,
          format: 'graph',
        }));
        await store.addRejects(rej.slice(0, 20));
        await store.addRejects(rej.slice(10));
        expect(await store.countRejects()).toBe(30);
        const all = await store.listRejects({ limit: 100 });
        expect(all).toHaveLength(30);
        const byPlace = (rs: { source: string; line?: number }[]) => rs.map((r) => `${r.source}:${r.line}`);
        expect(byPlace(await store.listRejects({ limit: 100, source: 'b.ndjson' }))).toEqual(rej.filter((r) => r.source === 'b.ndjson').map((r) => `b.ndjson:${r.line}`));
        expect(await store.listRejects({ limit: 5, source: "no'such" })).toEqual([]);
        expect(await store.listRejects({ limit: 3 })).toHaveLength(3);
      } finally {
        await store.close();
      }
    });

    it('merges the events of one sign-in into one line item, whatever order they arrive in', async () => {
      const store = await factory.open({ batchRecords: 2 });
      try {
        const id = '00000000-0000-4000-8000-0000000e0001';
        const base = { id, createdDateTime: '2026-05-01T10:00:00Z', correlationId: 'corr-mfa-1', userPrincipalName: 'adele@contoso.example', resourceTenantId: T1 };
        const pw = { authenticationMethod: 'Password', authenticationStepDateTime: '2026-05-01T10:00:01Z', authenticationStepRequirement: 'Primary authentication', succeeded: true, authenticationStepResultDetail: 'Correct password' };
        const denied = { authenticationMethod: 'Mobile app notification', authenticationStepDateTime: '2026-05-01T10:00:05Z', authenticationStepRequirement: 'Multifactor authentication', succeeded: false, authenticationStepResultDetail: 'MFA denied; user did not respond to mobile app notification' };
        const done = { ...denied, authenticationStepDateTime: '2026-05-01T10:00:40Z', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed' };
        const events = [
          { at: '2026-05-01T10:00:02Z', rec: { ...base, status: { errorCode: 50074 }, authenticationRequirement: 'singleFactorAuthentication', authenticationDetails: [pw] } },
          { at: '2026-05-01T10:00:35Z', rec: { ...base, status: { errorCode: 500121 }, authenticationRequirement: 'multiFactorAuthentication', authenticationDetails: [pw, denied] } },
          { at: '2026-05-01T10:00:41Z', rec: { ...base, status: { errorCode: 0 }, authenticationRequirement: 'multiFactorAuthentication', authenticationDetails: [done], conditionalAccessStatus: 'success' } },
          { at: '2026-05-01T10:01:00Z', rec: { ...base, riskLevelDuringSignIn: 'low' } },
        ];
        const w = store.openWriter();
        for (const i of [2, 0, 3, 1]) {
          const e = events[i]!;
          await w.add({ ...incoming(e.rec), observedAt: e.at });
        }
        expect(await w.flush()).toEqual({ inserted: 1, updated: 3, unchanged: 0 });
        expect(await store.count()).toBe(1);
        const got = (await store.get(id))!.record;
        expect(got.authenticationDetails?.map((d) => d.authenticationStepResultDetail)).toEqual(['Correct password', 'MFA denied; user did not respond to mobile app notification', 'MFA successfully completed']);
        expect(got.status?.errorCode).toBe(0);
        expect(got.authenticationRequirement).toBe('multiFactorAuthentication');
        expect(got.riskLevelDuringSignIn).toBe('low');
        // The raw view keeps all four, each with the correlation ID, oldest evidence first.
        const raw = await store.listEvents([{ tenantId: T1, id }]);
        expect(raw).toHaveLength(4);
        expect(raw.map((e) => e.observedAt)).toEqual(events.map((e) => e.at));
        for (const e of raw) expect((e.reading?.record ?? got).correlationId).toBe('corr-mfa-1');
        // An exact duplicate changes nothing.
        const again = store.openWriter();
        await again.add({ ...incoming(events[1]!.rec), observedAt: events[1]!.at });
        expect(await again.flush()).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
      } finally {
        await store.close();
      }
    });

    it('aggregates: every report gives the hand-worked numbers (both stores alike), within the caller\'s tenants only', async () => {
      const store = await factory.open({ batchRecords: 4 });
      try {
        await ingestReportRecords(store);
        await checkHandBuiltReports(store);
        await checkScopedReports(store);
      } finally {
        await store.close();
      }
    });

    it('aggregates count each line item once, at its newest version; top N per group; values that look like SQL are values', async () => {
      const store = await factory.open({ batchRecords: 2 });
      try {
        const a = signIn({ createdDateTime: '2026-06-01T10:00:00Z', status: { errorCode: 50126 }, appDisplayName: "x' OR '1'='1" });
        const others = Array.from({ length: 5 }, (_, i) => signIn({ createdDateTime: `2026-06-01T1${i}:30:00Z`, appDisplayName: i < 3 ? 'Alpha' : 'Beta', userPrincipalName: `u${i % 2}@contoso.example` }));
        await ingest(store, [a, ...others]);
        await ingest(store, [{ ...a, status: { errorCode: 0 } }]);
        const errorCode = { kind: 'operand', operand: { kind: 'column', path: ['status', 'errorCode'], type: 'int' } } as const;
        expect(await store.aggregate({ where: TRUE, groupBy: [{ name: 'code', key: errorCode }], measures: [{ name: 'n', measure: { kind: 'count' } }] })).toEqual([{ code: 0, n: 6 }]);
        const app = { kind: 'column', path: ['appDisplayName'], type: 'string' } as const;
        const user = { kind: 'column', path: ['userPrincipalName'], type: 'string' } as const;
        const rows = await store.aggregate({
          where: { kind: 'in', operand: app, values: [{ kind: 'value', value: 'Alpha', type: 'string' }, { kind: 'value', value: 'Beta', type: 'string' }, { kind: 'value', value: "x' OR '1'='1", type: 'string' }], caseInsensitive: false },
          groupBy: [
            { name: 'app', key: { kind: 'operand', operand: app } },
            { name: 'user', key: { kind: 'operand', operand: user } },
          ],
          measures: [{ name: 'n', measure: { kind: 'count' } }],
          orderBy: [{ name: 'n', desc: true }],
          limitPerGroup: { keys: ['app'], limit: 1 },
        });
        // Alpha: u0 twice (i = 0, 2), u1 once; Beta: u1 (i = 3), u0 (i = 4); the injection-looking name once.
        expect(rows).toEqual([
          { app: 'Alpha', user: 'u0@contoso.example', n: 2 },
          { app: 'Beta', user: 'u0@contoso.example', n: 1 },
          { app: "x' OR '1'='1", user: a['userPrincipalName'], n: 1 },
        ]);
      } finally {
        await store.close();
      }
    });

    it('aggregates over policy results and authentication steps follow a newer version of a line item (no stale elements), within the tenants asked', async () => {
      const store = await factory.open({ batchRecords: 2 });
      try {
        const policy = (id: string, result: string) => ({ id, displayName: `Policy ${id}`, result, enforcedGrantControls: ['mfa'], enforcedSessionControls: [] });
        const step = (authenticationMethod: string, succeeded: boolean) => ({ authenticationMethod, succeeded, authenticationStepResultDetail: 'detail' });
        const v1 = signIn({ appId: 'app-a', appliedConditionalAccessPolicies: [policy('p1', 'failure'), policy('p2', 'reportOnlyFailure')], authenticationDetails: [step('Password', false)] });
        const other = signIn({ appId: 'app-b', appliedConditionalAccessPolicies: [policy('p1', 'success')], authenticationDetails: [step('Password', true), step('Text message', true)] });
        await ingest(store, [v1, other], { tenant: T1 });
        await ingest(store, [signIn({ appId: 'app-a', appliedConditionalAccessPolicies: [policy('p1', 'failure')], authenticationDetails: [step('Password', false)] })], { tenant: T2 });
        const P = { kind: 'column', path: ['appliedConditionalAccessPolicies'], type: 'string' } as const;
        const D = { kind: 'column', path: ['authenticationDetails'], type: 'string' } as const;
        const pField = (name: string) => ({ kind: 'var', name: 'p', path: [name], type: 'string' }) as const;
        const appA = planFilter("appId eq 'app-a'", 'beta').condition;
        const policies = (where: typeof appA) =>
          store.aggregate({
            where,
            unnest: { collection: P, variable: 'p', where: { kind: 'isNull', operand: pField('id'), negated: true } },
            groupBy: [
              { name: 'policy', key: { kind: 'operand', operand: pField('id') } },
              { name: 'result', key: { kind: 'operand', operand: pField('result') } },
            ],
            measures: [{ name: 'n', measure: { kind: 'count' } }],
          });
        const methods = (where: typeof appA) =>
          store.aggregate({
            where,
            unnest: { collection: D, variable: 'd' },
            groupBy: [{ name: 'method', key: { kind: 'operand', operand: { kind: 'var', name: 'd', path: ['authenticationMethod'], type: 'string' } } }],
            measures: [
              { name: 'n', measure: { kind: 'count' } },
              { name: 'ok', measure: { kind: 'countIf', condition: { kind: 'compare', op: 'eq', left: { kind: 'var', name: 'd', path: ['succeeded'], type: 'boolean' }, right: { kind: 'value', value: true, type: 'boolean' }, caseInsensitive: false } } },
            ],
          });
        const t1 = inTenants([T1]);
        expect(await policies(t1)).toEqual([
          { policy: 'p1', result: 'failure', n: 1 },
          { policy: 'p1', result: 'success', n: 1 },
          { policy: 'p2', result: 'reportOnlyFailure', n: 1 },
        ]);
        // The newer version of v1: other policies and steps; the old ones no longer count anywhere.
        const v2 = { ...v1, status: { errorCode: 0 }, appliedConditionalAccessPolicies: [policy('p1', 'success'), policy('p3', 'notApplied')], authenticationDetails: [step('FIDO2 security key', true)] };
        expect(await ingest(store, [v2], { tenant: T1 })).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
        expect(await policies(t1)).toEqual([
          { policy: 'p1', result: 'success', n: 2 },
          { policy: 'p3', result: 'notApplied', n: 1 },
        ]);
        // A condition on a column beside the collection (appId), with and without the tenant scope.
        expect(await policies({ kind: 'and', items: [t1, appA] })).toEqual([
          { policy: 'p1', result: 'success', n: 1 },
          { policy: 'p3', result: 'notApplied', n: 1 },
        ]);
        expect(await policies(appA)).toEqual([
          { policy: 'p1', result: 'failure', n: 1 },
          { policy: 'p1', result: 'success', n: 1 },
          { policy: 'p3', result: 'notApplied', n: 1 },
        ]);
        expect(await policies(inTenants([]))).toEqual([]);
        // Steps accumulate over a line item's versions (src/aggregate/): v1's failed password step stays, once.
        expect(await methods(t1)).toEqual([
          { method: 'FIDO2 security key', n: 1, ok: 1 },
          { method: 'Password', n: 2, ok: 1 },
          { method: 'Text message', n: 1, ok: 1 },
        ]);
        expect(await methods(inTenants([T2]))).toEqual([{ method: 'Password', n: 1, ok: 0 }]);
      } finally {
        await store.close();
      }
    });

    it('keeps rejects with their place and reason, once', async () => {
      const store = await factory.open();
      try {
        const rej = [
          { source: 'a.json', line: 3, offset: 40, reason: 'invalid JSON: trailing comma before "]" (line 3, column 5)', raw: '{"id":1,]', format: 'graph' },
          { source: 'a.json', line: 9, reason: 'no id: a sign-in needs a non-empty "id"', raw: '{}', format: 'graph' },
        ];
        await store.addRejects(rej);
        await store.addRejects(rej);
        expect(await store.countRejects()).toBe(2);
        const got = await store.listRejects({ limit: 10 });
        expect(got.map((r) => [r.source, r.line, r.offset, r.reason, r.raw])).toEqual([
          ['a.json', 3, 40, rej[0]!.reason, '{"id":1,]'],
          ['a.json', 9, undefined, rej[1]!.reason, '{}'],
        ]);
      } finally {
        await store.close();
      }
    });

    it('appends audit entries and lists them newest first, by time and actor, as they went in', async () => {
      const store = await factory.open();
      try {
        const base = { via: 'api-key' as const, action: 'GET /:version/auditLogs/signIns', status: 200, client: '192.0.2.7' };
        const entries = [
          { ...base, at: '2026-11-20T10:00:00.125Z', actor: 'key:abc (SIEM)', tenants: [T1], target: '/v1.0/auditLogs/signIns', filter: "status/errorCode eq 50126 or userPrincipalName eq 'o''brien@x'", rows: 12, requestId: 'r-1' },
          { ...base, at: '2026-11-20T10:00:01.000Z', actor: 'admin:1234', via: 'admin-token' as const, tenants: null, target: '/beta/auditLogs/signIns/x', filter: null, rows: 1, requestId: 'r-2' },
          { ...base, at: '2026-11-21T08:30:00.999Z', actor: 'key:abc (SIEM)', tenants: [T1, T2], target: null, filter: null, rows: 0, status: 403, client: null, requestId: null },
        ];
        await store.appendAudit(entries.slice(0, 2));
        await store.appendAudit(entries.slice(2));
        await store.appendAudit([]);
        expect(await store.listAudit({ limit: 10 })).toEqual([...entries].reverse());
        expect(await store.listAudit({ limit: 1 })).toEqual([entries[2]]);
        expect(await store.listAudit({ limit: 10, actor: 'key:abc (SIEM)' })).toEqual([entries[2], entries[0]]);
        expect(await store.listAudit({ limit: 10, since: '2026-11-20T10:00:01.000Z', until: '2026-11-21T00:00:00Z' })).toEqual([entries[1]]);
        // Reading the audit changes nothing in it, and sign-in data is not touched by it.
        expect(await store.listAudit({ limit: 10 })).toHaveLength(3);
        expect(await store.count()).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
}
