// Enterprise app configuration (the Entra side): the app is not found in the tenant, needs consent,
// the user is not assigned, the redirect URI does not match, the app is disabled.
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence } from '../signals.js';

type Kind = 'not-found' | 'consent' | 'redirect' | 'assignment' | 'disabled' | 'other';

const KINDS: Record<number, Kind> = {
  700016: 'not-found',
  70001: 'not-found',
  500011: 'not-found',
  50001: 'not-found',
  65001: 'consent',
  65004: 'consent',
  90094: 'consent',
  90095: 'consent',
  90008: 'consent',
  650056: 'consent',
  9002341: 'consent',
  50011: 'redirect',
  70004: 'redirect',
  50105: 'assignment',
  7000112: 'disabled',
  70005: 'other',
  700054: 'other',
  700025: 'other',
};

const WORDS: Record<Kind, [string, string[]]> = {
  'not-found': [
    'The app (or the resource it asked for) was not found in this tenant: it is not installed or consented here, its identifier is wrong, or it signed in to the wrong tenant.',
    ['Check the application ID and the tenant the app signs in to.', 'For a multi-tenant app, an administrator of this tenant consents to it so its service principal is created.'],
  ],
  consent: [
    'The app needs consent to the permissions it asks for, and it has not been given (or the user declined, or only an administrator may give it).',
    ['Review the permissions the app requests (Enterprise applications > the app > Permissions) and grant admin consent if they are acceptable.', 'Consider the admin consent workflow, so users can request consent instead of being refused.'],
  ],
  redirect: [
    'The reply (redirect) URI the app sent is not one registered for it, so Entra will not send the token there.',
    ['Add the exact redirect URI (scheme, host, path, trailing slash) to the app registration > Authentication, or fix the one the app sends.'],
  ],
  assignment: [
    'The app requires users to be assigned, and this user is not (directly or through a group).',
    ['Assign the user, or a group of theirs, to the enterprise app (Users and groups), or turn off "Assignment required" if everyone may use it.'],
  ],
  disabled: ['The app is disabled in this tenant.', ['Enable the enterprise app (Properties > Enabled for users to sign in) if it should be used.']],
  other: ['The app asks for something its registration does not allow (a response type, a grant or a credential it may not use).', ["Compare the app's request with its registration (Authentication settings), or contact the app's developer."]],
};

export const enterpriseAppConfiguration: Scenario = {
  id: 'enterprise-app-configuration',
  title: 'Application configuration',
  detect(ctx) {
    const kind = KINDS[errorCodeOf(ctx.record)];
    if (!kind) return null;
    const [assessment, nextSteps] = WORDS[kind];
    return {
      scenario: 'enterprise-app-configuration',
      title: this.title,
      severity: 'failure',
      assessment,
      evidence: [...baseEvidence(ctx.record, ['userPrincipalName', 'appDisplayName', 'appId', 'resourceDisplayName', 'resourceId', 'servicePrincipalName']), ...fieldsEvidence(ctx.record, ['appOwnerTenantId', 'resourceTenantId'])],
      nextSteps,
    };
  },
};
