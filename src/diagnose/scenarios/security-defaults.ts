// Security defaults: the tenant's built-in protection (MFA registration and MFA for everyone,
// legacy authentication blocked) interrupted or blocked the sign-in.
import type { Scenario } from '../finding.js';
import { baseEvidence, fieldsEvidence, hasCode, requirementProviders } from '../signals.js';

const PROVIDERS = ['securityDefaults', 'mfaRegistrationRequiredBySecurityDefaults'];

export const securityDefaults: Scenario = {
  id: 'security-defaults',
  title: 'Security defaults',
  detect(ctx) {
    const providers = requirementProviders(ctx.record).filter((p) => PROVIDERS.includes(p));
    const blocked = hasCode(ctx, [530035]);
    if (!blocked && providers.length === 0) return null;
    if (!blocked && ctx.record.status?.errorCode === 0) return null;
    const registration = providers.includes('mfaRegistrationRequiredBySecurityDefaults');
    return {
      scenario: 'security-defaults',
      title: this.title,
      severity: blocked ? 'failure' : 'interrupted',
      assessment: blocked
        ? 'Security defaults blocked this request (530035): with security defaults on, legacy authentication and requests they consider unsafe are refused.'
        : registration
          ? 'Security defaults require every user to register for MFA; this sign-in was interrupted to have the user register.'
          : 'Security defaults require MFA here, and this sign-in was interrupted for it.',
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['authenticationRequirement', 'authenticationRequirementPolicies', 'authenticationProtocol'])],
      nextSteps: blocked
        ? ['Move the client to modern authentication (OAuth 2.0); legacy protocols cannot be allowed while security defaults are on.', 'If you need exceptions, replace security defaults with Conditional Access policies (needs Entra ID P1).']
        : ['Let the user complete MFA (or the registration); the Microsoft Authenticator app is the method security defaults expect.', 'For more control (exclusions, conditions), replace security defaults with Conditional Access policies.'],
    };
  },
};
