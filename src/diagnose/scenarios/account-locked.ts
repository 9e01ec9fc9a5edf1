// Account locked: Smart Lockout locked the account after too many wrong passwords (50053), or the
// sign-in came from an address known for malicious activity. Where the attempts come from is
// counted through the reader: apps, attempts, addresses.
import type { Scenario } from '../finding.js';
import { countUserFailures, WINDOW_HOURS } from '../counts.js';
import { baseEvidence, fieldsEvidence, hasCode } from '../signals.js';

export const accountLocked: Scenario = {
  id: 'account-locked',
  title: 'Account locked',
  async detect(ctx) {
    if (!hasCode(ctx, [50053])) return null;
    const reason = `${ctx.record.status?.failureReason ?? ''} ${ctx.record.status?.additionalDetails ?? ''}`;
    const malicious = /malicious/i.test(reason);
    const attempts = await countUserFailures(ctx.reader, ctx.record);
    return {
      scenario: 'account-locked',
      title: this.title,
      severity: 'failure',
      assessment: malicious
        ? 'The sign-in was blocked because it came from an IP address with known malicious activity, not because of this user\'s own attempts.'
        : `The account is locked: there were too many sign-ins with a wrong password, and Smart Lockout now refuses sign-ins for a while.${attempts ? ` ${attempts.failures} failed password attempt${attempts.failures === 1 ? '' : 's'} for this user within ${WINDOW_HOURS} hours of this sign-in, from ${attempts.addresses.length} address${attempts.addresses.length === 1 ? '' : 'es'}${attempts.apps.length > 0 ? ` to ${attempts.apps.join(', ')}` : ''}.` : ''} Find out whether the attempts are the user's (a cached old password in an app or device) or someone else's.`,
      evidence: [
        ...baseEvidence(ctx.record),
        ...fieldsEvidence(ctx.record, ['location/city', 'location/countryOrRegion']),
        ...(attempts
          ? [
              { field: 'count: failed password attempts of the user', value: attempts.failures, note: `within ${WINDOW_HOURS} hours before or after this sign-in (errors 50126, 50053 and other password failures)` },
              { field: 'addresses of those attempts', value: attempts.addresses },
              { field: 'apps of those attempts', value: attempts.apps },
            ]
          : []),
      ],
      nextSteps: [
        'Look at where the failed attempts come from: an address or app the user does not know points to an attack; one of the user\'s own devices points to a stored old password.',
        'If it is the user, have them update the password stored in the app or device; the lockout lifts after its duration (or unlock by a password reset).',
        'If it is an attack, make sure the user has MFA, consider blocking the address, and look for other users failing from it.',
      ],
    };
  },
};
