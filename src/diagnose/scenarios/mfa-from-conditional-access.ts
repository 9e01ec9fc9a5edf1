// MFA required by Conditional Access: a policy with the "Require multifactor authentication" (or an
// authentication strength) grant control interrupted the sign-in; usually the user completes MFA
// in the sign-ins that follow (same correlation ID).
import type { SignInRecord } from '../../model/sign-in.js';
import type { Scenario } from '../finding.js';
import { baseEvidence, correlatedEvidence, errorCodeOf, fieldsEvidence, grants, hasCode, isExternalUser, policiesEvidence, policiesOf, requirementProviders, stepEvidence, authSteps } from '../signals.js';

/** Codes of "MFA is required and was not (yet) done". */
export const MFA_REQUIRED_CODES = [50074, 50076, 50078];
const CA_PROVIDERS = ['multiConditionalAccess', 'v1ConditionalAccess', 'v1ConditionalAccessDependency', 'v1ConditionalAccessPolicyIdRequested', 'authenticationStrengths'];

export function mfaPolicies(record: SignInRecord) {
  return policiesOf(record).filter((p) => (p.result === 'success' || p.result === 'failure') && (grants(p, 'Mfa') || grants(p, 'RequireMultifactorAuthentication') || /strength/i.test(p.enforcedGrantControls.join(' '))));
}

/** Whether the MFA requirement came from Conditional Access. */
export function mfaFromConditionalAccess(record: SignInRecord): boolean {
  const providers = requirementProviders(record);
  if (providers.some((p) => CA_PROVIDERS.includes(p))) return true;
  return providers.length === 0 && mfaPolicies(record).length > 0;
}

export const mfaFromConditionalAccessScenario: Scenario = {
  id: 'mfa-from-conditional-access',
  title: 'MFA required by Conditional Access',
  detect(ctx) {
    if (!hasCode(ctx, MFA_REQUIRED_CODES) || !mfaFromConditionalAccess(ctx.record) || isExternalUser(ctx.record)) return null;
    const policies = mfaPolicies(ctx.record);
    const later = ctx.correlated.filter((s) => s.record.id !== ctx.record.id && s.record.createdDateTime >= ctx.record.createdDateTime);
    const completed = later.find((s) => errorCodeOf(s.record) === 0);
    return {
      scenario: 'mfa-from-conditional-access',
      title: this.title,
      severity: 'interrupted',
      assessment: `Conditional Access${policies.length > 0 ? ` (${policies.map((p) => `'${p.displayName ?? p.id ?? '?'}'`).join(', ')})` : ''} requires multifactor authentication for this sign-in, and it had not been done yet. This is an expected interruption, not an error in itself.${completed ? ` A later sign-in of the same flow (${completed.record.id}) succeeded, so the user most likely completed MFA.` : later.length > 0 ? ' No later sign-in of the same flow succeeded: the user may not have completed MFA.' : ''}`,
      evidence: [
        ...baseEvidence(ctx.record),
        ...fieldsEvidence(ctx.record, ['authenticationRequirement', 'authenticationRequirementPolicies', 'conditionalAccessStatus']),
        ...policiesEvidence(ctx.record, policies),
        ...stepEvidence(authSteps(ctx.record)),
        ...correlatedEvidence(ctx),
      ],
      nextSteps: completed
        ? ['Nothing to do if the user completed MFA; look at the successful sign-in of the flow for the method used.']
        : [
            'Check the later sign-ins of this correlation ID: did the user answer the MFA prompt?',
            'If the app signs in without a user present (non-interactive, 50076), it has to start an interactive sign-in for MFA.',
            'If the user is prompted more often than expected, review the sign-in frequency session control and "remember MFA" settings.',
          ],
    };
  },
};
