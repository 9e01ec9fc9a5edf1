// Invalid username or password (50126, and 50034 for a user name the tenant does not know): the
// user's own mistake, an app resubmitting a cached old password — or a password spray, when many
// users fail from the same address. The counts run through the reader, nothing is loaded.
import type { Scenario } from '../finding.js';
import { countAddressFailures, countUserFailures, SPRAY_MIN_USERS, WINDOW_HOURS } from '../counts.js';
import type { Evidence } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence, hasCode } from '../signals.js';

export const invalidUsernameOrPassword: Scenario = {
  id: 'invalid-username-or-password',
  title: 'Invalid username or password',
  async detect(ctx) {
    if (!hasCode(ctx, [50126, 50034, 50056, 50064])) return null;
    const user = await countUserFailures(ctx.reader, ctx.record);
    const address = await countAddressFailures(ctx.reader, ctx.record);
    const spray = address !== null && address.users >= SPRAY_MIN_USERS;
    const unknownUser = errorCodeOf(ctx.record) === 50034;
    const evidence: Evidence[] = [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['location/city', 'location/countryOrRegion', 'authenticationProtocol', 'isInteractive'])];
    if (user) {
      evidence.push({ field: 'count: failed password attempts of the user', value: user.failures, note: `within ${WINDOW_HOURS} hours before or after this sign-in` });
      evidence.push({ field: 'apps of those attempts', value: user.apps });
      evidence.push({ field: 'addresses of those attempts', value: user.addresses });
    }
    if (address) {
      evidence.push({ field: 'count: failed password attempts from the address', value: address.failures, note: `${address.ipAddress}, all users, within ${WINDOW_HOURS} hours` });
      evidence.push({ field: 'count: distinct users failing from the address', value: address.users, note: address.atLeast ? 'at least this many (counting stops there)' : `for example ${address.sample.join(', ')}` });
    }
    const who = unknownUser ? 'The user name does not exist in this tenant (50034): a mistyped name, a user of another tenant, or someone guessing names.' : 'The password (or user name) was wrong.';
    const why = spray
      ? ` ${address.atLeast ? 'At least ' : ''}${address.users} different users failed to sign in from ${address.ipAddress} within ${WINDOW_HOURS} hours (${address.failures} attempts): the signs of a password spray — one address trying common passwords against many accounts.`
      : user && user.failures >= 5 && user.addresses.length <= 1 && user.apps.length <= 1
        ? ` The same failure repeats (${user.failures} times, one address, one app): most likely an app or device resubmitting a cached old password.`
        : ' Occasional failures are usually typing mistakes.';
    return {
      scenario: 'invalid-username-or-password',
      title: this.title,
      severity: spray ? 'warning' : 'failure',
      assessment: who + why,
      evidence,
      nextSteps: spray
        ? [
            `Treat ${address.ipAddress} as hostile: check whether any user signed in successfully from it, and block it (a named location with a block policy).`,
            'Make sure every targeted user has MFA; look at Identity Protection for password spray detections.',
            'Block legacy authentication, which sprays favour because it cannot do MFA.',
          ]
        : [
            'Ask the user whether they are typing the current password; if a device or app keeps failing, update the password stored there.',
            'If the attempts come from addresses or apps the user does not know, treat them as an attack: MFA, and watch for a lockout (50053).',
          ],
    };
  },
};
