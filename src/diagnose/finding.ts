// The shapes of a diagnosis: what a scenario is given (the sign-in, the sign-ins sharing its
// correlation ID, its raw events, a reader for counts) and what it answers (a finding).
import type { SignInRecord, StoredSignIn } from '../model/sign-in.js';
import type { StoredEvent } from '../store/sign-in-store.js';
import type { DiagnoseReader } from './reader.js';

/** The Sign-in Diagnostic's scenarios (docs/diagnose.md), one module each under scenarios/. */
export type ScenarioId =
  | 'b2b-blocked-by-conditional-access'
  | 'legacy-authentication'
  | 'blocked-by-risk-policy'
  | 'device-not-compliant'
  | 'blocked-by-conditional-access'
  | 'failed-conditional-access'
  | 'security-defaults'
  | 'mfa-proofup'
  | 'mfa-denied'
  | 'mfa-from-conditional-access'
  | 'mfa-from-other-requirements'
  | 'account-locked'
  | 'invalid-username-or-password'
  | 'expired-password'
  | 'disabled-account'
  | 'pass-through-authentication'
  | 'seamless-sso'
  | 'service-principal-credentials'
  | 'enterprise-app-configuration'
  | 'enterprise-app-service-provider'
  | 'successful-sign-in'
  | 'error-code-insights';

/**
 * How the finding bears on the sign-in: `failure` explains why it failed; `interrupted` explains
 * an expected stop (MFA, registration) the user can complete; `warning` needs an administrator's
 * attention although the sign-in went through; `info` describes what happened.
 */
export type Severity = 'failure' | 'interrupted' | 'warning' | 'info';

/** One fact behind a finding: a field and its value, from the sign-in or a correlated one, or a count. */
export interface Evidence {
  /** A property path of the sign-in (`status/errorCode`, `appliedConditionalAccessPolicies/…`) or the name of a count. */
  field: string;
  value: unknown;
  /** The sign-in the value comes from, when it is not the one diagnosed. */
  signInId?: string;
  /** What the value says, when the field alone does not. */
  note?: string;
}

export interface Finding {
  scenario: ScenarioId;
  title: string;
  severity: Severity;
  /** What happened, in plain language. */
  assessment: string;
  evidence: Evidence[];
  /** What to do next, most useful first. */
  nextSteps: string[];
}

/** What every scenario looks at. */
export interface DiagnosisContext {
  signIn: StoredSignIn;
  record: SignInRecord;
  /** The other line items with the same correlation ID that the reader may see, oldest first. */
  correlated: StoredSignIn[];
  /** The sign-in's raw events (several for an MFA sign-in read from Azure Monitor), oldest first. */
  events: StoredEvent[];
  /** For counts over other sign-ins (attempts, a password spray); always within the caller's scope. */
  reader: DiagnoseReader;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** A finding when the sign-in shows this scenario, else null. */
  detect(ctx: DiagnosisContext): Finding | null | Promise<Finding | null>;
}
