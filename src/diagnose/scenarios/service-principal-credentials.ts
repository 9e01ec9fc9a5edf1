// Service principal credentials: an app signing in as itself sent a client secret or certificate
// that is wrong, expired or not registered (7000215, 7000222, 700027, 70002 ...).
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence } from '../signals.js';

const CREDENTIAL_CODES = [7000215, 7000222, 700027, 70002, 7000218, 700030, 50012, 700024, 50017];

export const servicePrincipalCredentials: Scenario = {
  id: 'service-principal-credentials',
  title: 'Invalid client secret or certificate',
  detect(ctx) {
    const code = errorCodeOf(ctx.record);
    if (!CREDENTIAL_CODES.includes(code)) return null;
    const expired = code === 7000222;
    const certificate = code === 700027 || code === 700030 || code === 50017 || ctx.record.clientCredentialType === 'certificate';
    return {
      scenario: 'service-principal-credentials',
      title: this.title,
      severity: 'failure',
      assessment: expired
        ? "The app's client secret has expired, so it can no longer get tokens."
        : certificate
          ? 'The app signed in with a certificate (client assertion) that did not validate: not registered on the app, expired, or signed with another key.'
          : 'The app sent a client secret that does not match any of its current secrets (a wrong, old or mistyped secret, or the secret ID sent instead of its value).',
      evidence: [
        ...baseEvidence(ctx.record, ['appDisplayName', 'appId', 'servicePrincipalName', 'servicePrincipalId', 'resourceDisplayName', 'ipAddress']),
        ...fieldsEvidence(ctx.record, ['clientCredentialType', 'servicePrincipalCredentialKeyId', 'servicePrincipalCredentialThumbprint', 'managedIdentityType']),
      ],
      nextSteps: [
        `Open the app registration (application ID ${String(ctx.record.appId ?? '?')}) > Certificates & secrets, and compare with the credential the app uses${ctx.record.servicePrincipalCredentialKeyId ? ` (key ID ${String(ctx.record.servicePrincipalCredentialKeyId)})` : ''}.`,
        expired ? 'Create a new credential, deploy it to the app, then remove the expired one; prefer certificates or a managed identity over secrets.' : 'Deploy the current credential to the app (the secret value, not its ID), or add the certificate the app uses.',
        'If nobody recognises the caller, treat it as someone trying an app\'s credentials: check the address, and rotate the credentials.',
      ],
    };
  },
};
