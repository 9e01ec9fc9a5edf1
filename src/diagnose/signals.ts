// What the scenarios read off a sign-in: its error code, its Conditional Access policies, where its
// MFA requirement came from, its authentication steps — and the evidence lines that show them. One
// place, so every scenario words the same facts the same way.
import type { SignInRecord } from '../model/sign-in.js';
import { explainErrorCode } from './error-codes.js';
import type { DiagnosisContext, Evidence } from './finding.js';

export interface Policy {
  /** Its position in the record's appliedConditionalAccessPolicies. */
  index: number;
  id: string | null;
  displayName: string | null;
  result: string | null;
  enforcedGrantControls: string[];
  enforcedSessionControls: string[];
  conditionsSatisfied: string | null;
  conditionsNotSatisfied: string | null;
  includeRulesSatisfied: unknown;
  excludeRulesSatisfied: unknown;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The record's `status/errorCode` (0 when it has none). */
export function errorCodeOf(record: SignInRecord): number {
  const c = record.status?.errorCode;
  return typeof c === 'number' ? c : 0;
}

export function hasCode(ctx: DiagnosisContext, codes: readonly number[]): boolean {
  return codes.includes(errorCodeOf(ctx.record));
}

/** A value at a property path (`status/errorCode`), or undefined. */
export function valueAt(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const p of path.split('/')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** Evidence lines for the fields that have a value (empty strings and nulls left out). */
export function fieldsEvidence(record: SignInRecord, paths: readonly string[]): Evidence[] {
  const out: Evidence[] = [];
  for (const field of paths) {
    const value = valueAt(record, field);
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out.push({ field, value });
  }
  return out;
}

/** The error code with its name and meaning, and the record's own failure reason. */
export function errorEvidence(record: SignInRecord): Evidence[] {
  const code = errorCodeOf(record);
  const x = explainErrorCode(code, record.status ?? {});
  const out: Evidence[] = [{ field: 'status/errorCode', value: code, note: x.known ? (x.name ? `${x.name}: ${x.meaning}` : x.meaning) : x.meaning }];
  if (x.failureReason) out.push({ field: 'status/failureReason', value: x.failureReason });
  if (x.additionalDetails) out.push({ field: 'status/additionalDetails', value: x.additionalDetails });
  return out;
}

export function policiesOf(record: SignInRecord): Policy[] {
  const list = record.appliedConditionalAccessPolicies;
  if (!Array.isArray(list)) return [];
  return list.map((p, index) => {
    const o = p as Record<string, unknown>;
    return {
      index,
      id: str(o['id']),
      displayName: str(o['displayName']),
      result: str(o['result']),
      enforcedGrantControls: strings(o['enforcedGrantControls']),
      enforcedSessionControls: strings(o['enforcedSessionControls']),
      conditionsSatisfied: str(o['conditionsSatisfied']),
      conditionsNotSatisfied: str(o['conditionsNotSatisfied']),
      includeRulesSatisfied: o['includeRulesSatisfied'] ?? null,
      excludeRulesSatisfied: o['excludeRulesSatisfied'] ?? null,
    };
  });
}

/** Policies enforced and not satisfied (result `failure`). */
export function failedPolicies(record: SignInRecord): Policy[] {
  return policiesOf(record).filter((p) => p.result === 'failure');
}

export function grants(p: Policy, control: string): boolean {
  return p.enforcedGrantControls.some((g) => g.toLowerCase() === control.toLowerCase());
}

export function policyName(p: Policy): string {
  return p.displayName ? `'${p.displayName}'` : p.id ? `policy ${p.id}` : 'an unnamed policy';
}

function ruleText(rules: unknown): string | null {
  if (!Array.isArray(rules) || rules.length === 0) return null;
  return rules
    .map((r) => {
      const o = (r ?? {}) as Record<string, unknown>;
      return `${String(o['conditionalAccessCondition'] ?? '?')}: ${String(o['ruleSatisfied'] ?? '?')}`;
    })
    .join(', ');
}

/** Which policy, which grant controls, which conditions matched. */
export function policyEvidence(p: Policy): Evidence[] {
  const at = `appliedConditionalAccessPolicies/${p.index}`;
  const out: Evidence[] = [
    { field: `${at}/displayName`, value: p.displayName, note: p.id ? `policy id ${p.id}` : undefined },
    { field: `${at}/result`, value: p.result },
  ];
  if (p.enforcedGrantControls.length > 0) out.push({ field: `${at}/enforcedGrantControls`, value: p.enforcedGrantControls });
  if (p.enforcedSessionControls.length > 0) out.push({ field: `${at}/enforcedSessionControls`, value: p.enforcedSessionControls });
  if (p.conditionsSatisfied) out.push({ field: `${at}/conditionsSatisfied`, value: p.conditionsSatisfied, note: 'the conditions of the policy that matched this sign-in' });
  if (p.conditionsNotSatisfied) out.push({ field: `${at}/conditionsNotSatisfied`, value: p.conditionsNotSatisfied });
  const inc = ruleText(p.includeRulesSatisfied);
  if (inc) out.push({ field: `${at}/includeRulesSatisfied`, value: p.includeRulesSatisfied, note: inc });
  return out.map((e) => (e.note === undefined ? { field: e.field, value: e.value } : e));
}

/** Evidence for several policies, each at its index in the record. */
export function policiesEvidence(_record: SignInRecord, chosen: readonly Policy[]): Evidence[] {
  return chosen.flatMap((p) => policyEvidence(p));
}

/** Where the MFA requirement came from (`authenticationRequirementPolicies/*\/requirementProvider`). */
export function requirementProviders(record: SignInRecord): string[] {
  const list = (record as Record<string, unknown>)['authenticationRequirementPolicies'];
  if (!Array.isArray(list)) return [];
  return list.map((x) => str((x as Record<string, unknown> | null)?.['requirementProvider'])).filter((x): x is string => x !== null);
}

export function requirementEvidence(record: SignInRecord): Evidence[] {
  return fieldsEvidence(record, ['authenticationRequirement', 'authenticationRequirementPolicies']);
}

export interface AuthStep {
  index: number;
  method: string | null;
  detail: string | null;
  succeeded: boolean | null;
  resultDetail: string | null;
  requirement: string | null;
}

export function authSteps(record: SignInRecord): AuthStep[] {
  const list = record.authenticationDetails;
  if (!Array.isArray(list)) return [];
  return list.map((d, index) => {
    const o = d as Record<string, unknown>;
    return {
      index,
      method: str(o['authenticationMethod']),
      detail: str(o['authenticationMethodDetail']),
      succeeded: typeof o['succeeded'] === 'boolean' ? o['succeeded'] : null,
      resultDetail: str(o['authenticationStepResultDetail']),
      requirement: str(o['authenticationStepRequirement']),
    };
  });
}

export function stepEvidence(steps: readonly AuthStep[]): Evidence[] {
  return steps.flatMap((s) => {
    const at = `authenticationDetails/${s.index}`;
    const out: Evidence[] = [];
    if (s.method) out.push({ field: `${at}/authenticationMethod`, value: s.method });
    if (s.detail) out.push({ field: `${at}/authenticationMethodDetail`, value: s.detail });
    if (s.succeeded !== null) out.push({ field: `${at}/succeeded`, value: s.succeeded });
    if (s.resultDetail) out.push({ field: `${at}/authenticationStepResultDetail`, value: s.resultDetail });
    return out;
  });
}

/** Clients that use legacy (basic) authentication, as Entra names them in `clientAppUsed`. */
export const LEGACY_CLIENTS: readonly string[] = [
  'Authenticated SMTP',
  'AutoDiscover',
  'Exchange ActiveSync',
  'Exchange Online PowerShell',
  'Exchange Web Services',
  'IMAP4',
  'IMAP',
  'MAPI Over HTTP',
  'Offline Address Book',
  'Other clients',
  'Outlook Anywhere (RPC over HTTP)',
  'Outlook Service',
  'POP3',
  'POP',
  'Reporting Web Services',
  'Universal Outlook',
];

export function isLegacyClient(record: SignInRecord): boolean {
  const c = record.clientAppUsed;
  if (typeof c !== 'string') return false;
  const lower = c.trim().toLowerCase();
  return LEGACY_CLIENTS.some((l) => l.toLowerCase() === lower);
}

/** A sign-in of a user from another organisation (B2B): cross-tenant access, a guest, or a home tenant unlike the resource's. */
export function isExternalUser(record: SignInRecord): boolean {
  const r = record as Record<string, unknown>;
  const access = str(r['crossTenantAccessType']);
  if (access && access !== 'none' && access !== 'passthrough') return true;
  if (str(r['userType'])?.toLowerCase() === 'guest') return true;
  const home = str(r['homeTenantId']);
  const resource = str(r['resourceTenantId']);
  return home !== null && resource !== null && home.toLowerCase() !== resource.toLowerCase();
}

export function isServicePrincipal(record: SignInRecord): boolean {
  const types = strings((record as Record<string, unknown>)['signInEventTypes']);
  return types.includes('servicePrincipal') || types.includes('managedIdentity') || (types.length === 0 && str((record as Record<string, unknown>)['servicePrincipalId']) !== null && !str(record.userId));
}

export function succeeded(record: SignInRecord): boolean {
  return errorCodeOf(record) === 0;
}

/** The correlated sign-ins' error codes, as evidence (what happened around this one). */
export function correlatedEvidence(ctx: DiagnosisContext, pick?: (r: SignInRecord) => boolean): Evidence[] {
  return ctx.correlated
    .filter((s) => s.record.id !== ctx.record.id && (pick ? pick(s.record) : true))
    .slice(0, 10)
    .map((s) => ({ field: 'status/errorCode', value: errorCodeOf(s.record), signInId: s.record.id, note: `${s.record.createdDateTime}: a sign-in of the same correlation ID` }));
}

/** Who signed in to what, from where: the context lines most findings start with. */
export const CONTEXT_FIELDS: readonly string[] = ['userPrincipalName', 'appDisplayName', 'resourceDisplayName', 'ipAddress', 'clientAppUsed', 'deviceDetail/operatingSystem', 'deviceDetail/browser'];

/** A finding's evidence: the error code first, then these fields, then what the scenario adds. */
export function baseEvidence(record: SignInRecord, fields: readonly string[] = CONTEXT_FIELDS): Evidence[] {
  return [...(errorCodeOf(record) === 0 ? [{ field: 'status/errorCode', value: 0 }] : errorEvidence(record)), ...fieldsEvidence(record, fields)];
}
