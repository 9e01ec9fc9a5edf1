// MFA "proof-up": the user has to register security info (first-time MFA setup) and did not
// complete it, or registration is not allowed from here (50072, 50079, 53004, 53010).
import type { Scenario } from '../finding.js';
import { baseEvidence, fieldsEvidence, hasCode, requirementProviders } from '../signals.js';

const PROOFUP_CODES = [50072, 50079, 53004, 53010, 50125];

export const mfaProofup: Scenario = {
  id: 'mfa-proofup',
  title: 'MFA registration (proof-up)',
  detect(ctx) {
    const byProvider = requirementProviders(ctx.record).some((p) => p.startsWith('mfaRegistrationRequired') && p !== 'mfaRegistrationRequiredBySecurityDefaults');
    if (!hasCode(ctx, PROOFUP_CODES) && !(byProvider && ctx.record.status?.errorCode !== 0)) return null;
    const code = ctx.record.status?.errorCode;
    const blocked = code === 53004 || code === 53010;
    return {
      scenario: 'mfa-proofup',
      title: this.title,
      severity: blocked ? 'failure' : 'interrupted',
      assessment: blocked
        ? code === 53004
          ? 'The user has to register for MFA, and registration is blocked for now because the sign-in or user is risky: an attacker must not register their own method.'
          : 'The user has to register for MFA, and the organisation only allows registration from specific locations or devices; this is not one of them.'
        : 'The user was asked to set up multifactor authentication (register security info) for the first time, and the sign-in stopped there: the registration was not completed, or not set up ahead of time.',
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['authenticationRequirement', 'authenticationRequirementPolicies'])],
      nextSteps: blocked
        ? ['Confirm with the user that the sign-in is theirs; an administrator can issue a Temporary Access Pass so they register safely.', 'Review the risk detections (53004) or the registration policy (53010).']
        : ['Ask the user to complete the registration at https://aka.ms/mysecurityinfo, or issue a Temporary Access Pass.', 'For a device or account that cannot register (a shared or service account), review the policies that require registration for it.'],
    };
  },
};
