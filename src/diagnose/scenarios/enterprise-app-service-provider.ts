// Enterprise app service provider: the SAML request or settings on the application's side are wrong
// (75xxx, 76xxx family, 50008, 50010, 50003): fixed in the SaaS application, not in Entra ID.
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf } from '../signals.js';

const SP_CODES = [75001, 75003, 75005, 75008, 75011, 75016, 76021, 76026, 750054, 7500514, 7500529, 50008, 50010, 50003, 5000819];

export const enterpriseAppServiceProvider: Scenario = {
  id: 'enterprise-app-service-provider',
  title: 'Application (service provider) side',
  detect(ctx) {
    if (!SP_CODES.includes(errorCodeOf(ctx.record))) return null;
    return {
      scenario: 'enterprise-app-service-provider',
      title: this.title,
      severity: 'failure',
      assessment: 'The sign-in failed on the application\'s side of single sign-on: the SAML request it sent, or the settings it expects (binding, identifier, signing, authentication context), do not match what is configured in Entra ID.',
      evidence: baseEvidence(ctx.record, ['userPrincipalName', 'appDisplayName', 'appId', 'authenticationProtocol']),
      nextSteps: [
        "Compare the application's SAML settings (entity ID, reply URL, binding, requested authentication context, signing) with the enterprise app's single sign-on settings.",
        "Fix it in the application's own administration, or ask its vendor; test with the enterprise app's \"Test single sign-on\".",
      ],
    };
  },
};
