// MFA denied, not answered, or fraud reported: the user did not pass the MFA challenge (500121 and
// its kin). What the authentication steps say tells the cases apart.
import type { Scenario } from '../finding.js';
import { authSteps, baseEvidence, errorCodeOf, hasCode, stepEvidence } from '../signals.js';

const MFA_FAILED_CODES = [500121, 50086, 50087, 50088, 500122, 500123, 500124];

type Outcome = 'fraud' | 'denied' | 'unanswered' | 'wrong-code' | 'other';

function outcomeOf(text: string): Outcome {
  // Entra words them all "MFA denied; …": the reason after it decides.
  if (/fraud/i.test(text)) return 'fraud';
  if (/did not respond|didn't respond|no response|not respond|timed? ?out|timeout/i.test(text)) return 'unanswered';
  if (/invalid (verification )?code|incorrect|wrong code|bad code|invalid otp/i.test(text)) return 'wrong-code';
  if (/denied|declined|rejected/i.test(text)) return 'denied';
  return 'other';
}

const WORDS: Record<Outcome, string> = {
  fraud: 'The user reported the MFA prompt as fraud: they say they did not start this sign-in. Someone else may know their password.',
  denied: 'The user denied the MFA prompt. If they did not start the sign-in, someone else may know their password.',
  unanswered: 'The MFA prompt was not answered in time: the user did not respond (phone not at hand, notifications off, or the prompt went to an old device).',
  'wrong-code': 'A wrong verification code was entered for MFA.',
  other: 'The MFA challenge failed.',
};

export const mfaDenied: Scenario = {
  id: 'mfa-denied',
  title: 'MFA denied, not answered or fraud reported',
  detect(ctx) {
    const steps = authSteps(ctx.record);
    const failedMfa = steps.filter((s) => s.succeeded === false && s.requirement !== 'primaryAuthentication' && !/password/i.test(s.method ?? ''));
    if (!hasCode(ctx, MFA_FAILED_CODES) && !(errorCodeOf(ctx.record) !== 0 && failedMfa.length > 0 && failedMfa.some((s) => outcomeOf(s.resultDetail ?? '') !== 'other'))) return null;
    const text = [...failedMfa.map((s) => s.resultDetail ?? ''), ctx.record.status?.additionalDetails ?? '', ctx.record.status?.failureReason ?? ''].join(' ');
    const outcome = outcomeOf(text);
    const limit = errorCodeOf(ctx.record) === 50088;
    return {
      scenario: 'mfa-denied',
      title: this.title,
      severity: outcome === 'fraud' || outcome === 'denied' ? 'warning' : 'failure',
      assessment: limit ? 'The tenant reached its limit of telephone (call and text) MFA, so the challenge could not be sent.' : WORDS[outcome],
      evidence: [...baseEvidence(ctx.record, ['userPrincipalName', 'appDisplayName', 'ipAddress', 'location/city', 'location/countryOrRegion', 'deviceDetail/operatingSystem', 'mfaDetail/authMethod', 'mfaDetail/authDetail']), ...stepEvidence(failedMfa.length > 0 ? failedMfa : steps)],
      nextSteps:
        outcome === 'fraud' || outcome === 'denied'
          ? [
              'Ask the user whether they started this sign-in (look at the address, place and app).',
              'If not: reset the password, revoke the refresh tokens of the user, and look for other sign-ins from the same address; fraud reports can also block the user automatically, depending on the fraud alert settings.',
              'Prefer number matching and phishing-resistant methods, which make prompt bombing useless.',
            ]
          : limit
            ? ['Try again in a few minutes, and move users from phone call and text to the Authenticator app or another method.']
            : ["Ask the user to retry and to check the device that receives the prompts; review the user's registered methods (an old phone may still be the default)."],
    };
  },
};
