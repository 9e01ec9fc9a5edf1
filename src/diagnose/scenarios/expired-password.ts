// Expired password (50055 in Entra ID, 50144 on-premises Active Directory).
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, hasCode } from '../signals.js';

export const expiredPassword: Scenario = {
  id: 'expired-password',
  title: 'Expired password',
  detect(ctx) {
    if (!hasCode(ctx, [50055, 50144])) return null;
    const onPrem = errorCodeOf(ctx.record) === 50144;
    return {
      scenario: 'expired-password',
      title: this.title,
      severity: 'failure',
      assessment: onPrem ? "The user's on-premises Active Directory password has expired." : "The user's password has expired.",
      evidence: baseEvidence(ctx.record),
      nextSteps: [
        onPrem ? 'The user changes the password on-premises (or through self-service password reset with password writeback).' : 'The user changes the password (self-service password reset), or an administrator sets a new one.',
        'If apps keep failing after the change, update the password they store.',
      ],
    };
  },
};
