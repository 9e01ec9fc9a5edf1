// Seamless single sign-on failures: the Kerberos side of Seamless SSO (the 81001–81016 family, and
// 50180 when the tenant is not enabled for it).
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence } from '../signals.js';

export const SSO_CODES = [50180, 81001, 81004, 81005, 81006, 81007, 81009, 81010, 81011, 81012, 81013, 81014, 81015, 81016];

export const seamlessSso: Scenario = {
  id: 'seamless-sso',
  title: 'Seamless single sign-on',
  detect(ctx) {
    const code = errorCodeOf(ctx.record);
    if (!SSO_CODES.includes(code)) return null;
    const benign = code === 81012;
    return {
      scenario: 'seamless-sso',
      title: this.title,
      severity: benign ? 'info' : 'failure',
      assessment: benign
        ? 'Seamless SSO found that the user signing in is not the user signed in to the Windows device (81012); not an error in itself, the user is prompted instead.'
        : code === 81007 || code === 50180
          ? 'Seamless SSO is not enabled for the tenant, so the Kerberos ticket the device offered could not be used; the user is prompted for credentials instead.'
          : 'Seamless SSO could not use the Kerberos ticket from the device (none sent, expired, or not matching a user); the user falls back to a password prompt.',
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['deviceDetail/trustType', 'deviceDetail/displayName'])],
      nextSteps: benign
        ? ['Nothing to do unless users complain; users signing in with another account than the device\'s see a prompt.']
        : [
            'Check that Seamless SSO is enabled in Entra Connect and that the AZUREADSSOACC computer account\'s Kerberos key was rolled over recently.',
            'Check that the device is domain-joined, reaches a domain controller, and that the Entra sign-in URL is in the browser\'s intranet zone.',
            'Purge the Kerberos credentials cached on the device (klist purge) and try again.',
          ],
    };
  },
};
