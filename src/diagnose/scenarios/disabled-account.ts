// Disabled account (50057): an administrator disabled the user, in Entra ID or the on-premises
// directory it is synchronised from.
import type { Scenario } from '../finding.js';
import { baseEvidence, hasCode } from '../signals.js';

export const disabledAccount: Scenario = {
  id: 'disabled-account',
  title: 'Disabled account',
  detect(ctx) {
    if (!hasCode(ctx, [50057])) return null;
    return {
      scenario: 'disabled-account',
      title: this.title,
      severity: 'failure',
      assessment: 'The account is disabled, so sign-in is refused whatever the password. Someone (or something) still tries to use it: a leaver, a forgotten app or device, or an attacker.',
      evidence: baseEvidence(ctx.record),
      nextSteps: [
        'If the user should sign in, enable the account (in Entra ID, or on-premises for a synchronised user).',
        'If the account was disabled on purpose, find what still uses it (the app, device and address above) and remove its credentials there.',
      ],
    };
  },
};
