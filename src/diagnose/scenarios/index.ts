// The scenarios, in the order findings are listed: the most specific explanations first, error-code
// insights (the fallback) last.
import type { Scenario } from '../finding.js';
import { accountLocked } from './account-locked.js';
import { b2bBlockedByConditionalAccess } from './b2b-blocked-by-conditional-access.js';
import { blockedByConditionalAccess } from './blocked-by-conditional-access.js';
import { blockedByRiskPolicy } from './blocked-by-risk-policy.js';
import { deviceNotCompliant } from './device-not-compliant.js';
import { disabledAccount } from './disabled-account.js';
import { enterpriseAppConfiguration } from './enterprise-app-configuration.js';
import { enterpriseAppServiceProvider } from './enterprise-app-service-provider.js';
import { errorCodeInsights } from './error-code-insights.js';
import { expiredPassword } from './expired-password.js';
import { failedConditionalAccess } from './failed-conditional-access.js';
import { invalidUsernameOrPassword } from './invalid-username-or-password.js';
import { legacyAuthentication } from './legacy-authentication.js';
import { mfaDenied } from './mfa-denied.js';
import { mfaFromConditionalAccessScenario } from './mfa-from-conditional-access.js';
import { mfaFromOtherRequirements } from './mfa-from-other-requirements.js';
import { mfaProofup } from './mfa-proofup.js';
import { passThroughAuthentication } from './pass-through-authentication.js';
import { seamlessSso } from './seamless-sso.js';
import { securityDefaults } from './security-defaults.js';
import { servicePrincipalCredentials } from './service-principal-credentials.js';
import { successfulSignIn } from './successful-sign-in.js';

export const SCENARIOS: readonly Scenario[] = [
  b2bBlockedByConditionalAccess,
  blockedByRiskPolicy,
  blockedByConditionalAccess,
  deviceNotCompliant,
  failedConditionalAccess,
  securityDefaults,
  mfaProofup,
  mfaDenied,
  mfaFromConditionalAccessScenario,
  mfaFromOtherRequirements,
  accountLocked,
  invalidUsernameOrPassword,
  expiredPassword,
  disabledAccount,
  legacyAuthentication,
  passThroughAuthentication,
  seamlessSso,
  servicePrincipalCredentials,
  enterpriseAppConfiguration,
  enterpriseAppServiceProvider,
  successfulSignIn,
];

/** Used when no scenario above explains a failed sign-in. */
export const FALLBACK: Scenario = errorCodeInsights;
