// Blocked by risk policy: Identity Protection (or a Conditional Access policy with a sign-in or
// user risk condition) stopped a sign-in judged risky.
import type { SignInRecord } from '../../model/sign-in.js';
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, failedPolicies, fieldsEvidence, hasCode, policiesEvidence, requirementProviders, type Policy } from '../signals.js';

const RISK_PROVIDERS = ['riskBasedPolicy', 'tenantSessionRiskPolicy', 'accountCompromisePolicies', 'mfaRegistrationRequiredByIdentityProtectionPolicy'];
/** 53011 blocked for home-tenant risk, 530034 delegated admin blocked for risk, 50135 password change required for risk. */
const RISK_CODES = [53011, 530034, 50135];

/** Whether a policy applied because of sign-in, user or service principal risk. */
export function isRiskPolicy(p: Policy): boolean {
  return /\b(signInRisk|userRisk|servicePrincipalRisk)\b/.test(p.conditionsSatisfied ?? '');
}

function riskProviders(record: SignInRecord): string[] {
  return requirementProviders(record).filter((p) => RISK_PROVIDERS.includes(p));
}

export const blockedByRiskPolicy: Scenario = {
  id: 'blocked-by-risk-policy',
  title: 'Blocked by risk policy',
  detect(ctx) {
    if (errorCodeOf(ctx.record) === 0) return null;
    const policies = failedPolicies(ctx.record).filter(isRiskPolicy);
    const providers = riskProviders(ctx.record);
    if (policies.length === 0 && providers.length === 0 && !hasCode(ctx, RISK_CODES)) return null;
    return {
      scenario: 'blocked-by-risk-policy',
      title: this.title,
      severity: 'failure',
      assessment: `A risk policy stopped this sign-in: Entra judged the sign-in or the user risky${policies.length > 0 ? ` and the Conditional Access ${policies.length === 1 ? 'policy' : 'policies'} ${policies.map((p) => `'${p.displayName ?? p.id ?? '?'}'`).join(', ')} with a risk condition applied` : ''}. It may be an attacker, or the user in unusual circumstances (new place, new device, anonymising network).`,
      evidence: [
        ...baseEvidence(ctx.record),
        ...fieldsEvidence(ctx.record, ['riskLevelDuringSignIn', 'riskLevelAggregated', 'riskState', 'riskDetail', 'riskEventTypes_v2', 'location/city', 'location/countryOrRegion']),
        ...policiesEvidence(ctx.record, policies),
        ...(providers.length > 0 ? fieldsEvidence(ctx.record, ['authenticationRequirementPolicies']) : []),
      ],
      nextSteps: [
        "Review the user's risky sign-ins and risk detections in Identity Protection; confirm with the user whether this was them.",
        'If it was the user: remediate (a secure password reset or MFA) or dismiss the risk; if not: confirm the compromise, reset the credentials and revoke the refresh tokens of the user.',
        'Check that the user is registered for MFA, so that risk policies can let them remediate themselves instead of being blocked.',
      ],
    };
  },
};
