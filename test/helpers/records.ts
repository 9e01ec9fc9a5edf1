// Test helpers: sign-in records built for a test, and comparisons that ignore omitted nulls.
import { prepareSignIn } from '../../src/ingest/import-files.js';
import type { IncomingSignIn } from '../../src/store/sign-in-store.js';

/** Deep copy without nulls in objects: the store may omit nulls on the way back. */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null && x !== undefined)
        .map(([k, x]) => [k, withoutNulls(x)]),
    );
  }
  return v;
}

let n = 0;

/** A small, valid interactive sign-in; `over` replaces or adds properties. */
export function signIn(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    createdDateTime: `2026-03-01T10:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.1234567Z`,
    userPrincipalName: `user${n}@contoso.example`,
    userId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    appDisplayName: 'Azure Portal',
    appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    ipAddress: '203.0.113.7',
    correlationId: `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    resourceTenantId: '11111111-1111-4111-8111-111111111111',
    status: { errorCode: 0 },
    signInEventTypes: ['interactiveUser'],
    isInteractive: true,
    appliedConditionalAccessPolicies: [
      { id: 'p1', displayName: 'Require MFA', result: 'success', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], conditionsSatisfied: 'application,users' },
    ],
    ...over,
  };
}

/** A record as the importer hands it to the store. */
export function incoming(raw: Record<string, unknown>, opts: { tenant?: string; text?: string; line?: number } = {}): IncomingSignIn {
  const text = opts.text ?? JSON.stringify(raw);
  return prepareSignIn(JSON.parse(text) as unknown, text, { format: 'graph', place: { source: 'test', line: opts.line ?? 1 }, tenant: opts.tenant });
}
