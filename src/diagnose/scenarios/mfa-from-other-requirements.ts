// MFA required by other requirements: not Conditional Access but per-user MFA (requirement
// provider `user`), the request itself, an outbound cross-tenant rule, and so on; also 90072, MFA
// an external account cannot satisfy in this tenant. Succeeded sign-ins with per-user MFA are
// reported too, since Microsoft recommends moving per-user MFA to Conditional Access.
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence, hasCode, requirementProviders } from '../signals.js';
import { mfaFromConditionalAccess, MFA_REQUIRED_CODES } from './mfa-from-conditional-access.js';

const SECURITY_DEFAULTS = ['securityDefaults', 'mfaRegistrationRequiredBySecurityDefaults'];
const RISK = ['riskBasedPolicy', 'tenantSessionRiskPolicy', 'accountCompromisePolicies', 'mfaRegistrationRequiredByIdentityProtectionPolicy'];

const PROVIDER_WORDS: Record<string, string> = {
  user: 'per-user MFA (MFA enabled or enforced on the user account)',
  request: 'the request itself (the app asked for MFA)',
  servicePrincipal: 'a requirement of the service principal',
  baselineProtection: 'a baseline protection policy',
  enforcedForCspAdmins: 'MFA enforced for partner (CSP) administrators',
  crossTenantOutboundRule: 'an outbound cross-tenant access rule',
  gpsLocationCondition: 'a GPS location condition',
  proofUpCodeRequest: 'a proof-up code request',
  scopeBasedAuthRequirementPolicy: 'a scope-based authentication requirement',
};

export const mfaFromOtherRequirements: Scenario = {
  id: 'mfa-from-other-requirements',
  title: 'MFA required by other requirements',
  detect(ctx) {
    const all = requirementProviders(ctx.record);
    // Security defaults and risk policies have scenarios of their own.
    if (all.some((p) => SECURITY_DEFAULTS.includes(p) || RISK.includes(p))) return null;
    const providers = all;
    const code = errorCodeOf(ctx.record);
    if (code === 90072) {
      return {
        scenario: 'mfa-from-other-requirements',
        title: this.title,
        severity: 'failure',
        assessment: "MFA is required, and the account the user signed in with cannot satisfy it in this tenant (90072): it is an external account that does not exist here, or a synchronised user whose source anchor (ImmutableID) differs between Active Directory and Entra ID.",
        evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['authenticationRequirement', 'authenticationRequirementPolicies', 'conditionalAccessStatus', 'homeTenantId', 'resourceTenantId'])],
        nextSteps: ['Add the user to the tenant as an external user, or have them sign in with an account of this tenant.', "For a synchronised user, compare the ImmutableID (sourceAnchor) in Active Directory and Entra ID and fix the mismatch."],
      };
    }
    const perUser = providers.includes('user');
    if (code === 0) {
      if (!perUser) return null;
      return {
        scenario: 'mfa-from-other-requirements',
        title: this.title,
        severity: 'info',
        assessment: 'The sign-in did MFA because per-user MFA is enabled on the account, not because of Conditional Access.',
        evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['authenticationRequirement', 'authenticationRequirementPolicies', 'mfaDetail/authMethod'])],
        nextSteps: ['Move per-user MFA to Conditional Access (a policy that requires MFA), which gives the same protection with conditions and reporting.'],
      };
    }
    if (!hasCode(ctx, MFA_REQUIRED_CODES) || mfaFromConditionalAccess(ctx.record)) return null;
    const sources = providers.map((p) => PROVIDER_WORDS[p] ?? p);
    return {
      scenario: 'mfa-from-other-requirements',
      title: this.title,
      severity: 'interrupted',
      assessment: `Multifactor authentication is required for this sign-in by ${sources.length > 0 ? sources.join(' and ') : 'a requirement other than Conditional Access (the record names none; per-user MFA is the usual one)'}, and it had not been done yet.`,
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['authenticationRequirement', 'authenticationRequirementPolicies', 'conditionalAccessStatus'])],
      nextSteps: [
        'Check the later sign-ins of this correlation ID: did the user complete MFA?',
        ...(perUser || providers.length === 0 ? ["Check the user's per-user MFA state; Microsoft recommends turning per-user MFA off in favour of Conditional Access policies."] : []),
      ],
    };
  },
};
