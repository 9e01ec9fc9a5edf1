// Pass-through authentication failures: the on-premises agent could not check the password
// against Active Directory (the 80001–80014 family).
import type { Scenario } from '../finding.js';
import { authSteps, baseEvidence, errorCodeOf, stepEvidence } from '../signals.js';

export const PTA_CODES = [80001, 80002, 80003, 80005, 80007, 80010, 80011, 80012, 80013, 80014];

export const passThroughAuthentication: Scenario = {
  id: 'pass-through-authentication',
  title: 'Pass-through authentication',
  detect(ctx) {
    const code = errorCodeOf(ctx.record);
    if (!PTA_CODES.includes(code)) return null;
    const pta = authSteps(ctx.record).filter((s) => /pass-?through/i.test(s.detail ?? ''));
    const userSide = code === 80012;
    return {
      scenario: 'pass-through-authentication',
      title: this.title,
      severity: 'failure',
      assessment: userSide
        ? 'Pass-through authentication refused the sign-in because the user tried outside the logon hours Active Directory allows them.'
        : 'The password is checked on-premises by pass-through authentication, and that check failed on the agent side (the agent, its connection to Active Directory, or the time between them), not because of the password itself.',
      evidence: [...baseEvidence(ctx.record), ...stepEvidence(pta)],
      nextSteps: userSide
        ? ["Check the user's logon hours in Active Directory."]
        : [
            'Check the pass-through authentication agents in Entra Connect (health, version, at least two active) and their event logs.',
            'Check that the agent servers reach a domain controller of the user\'s domain, and that their clocks are in sync.',
            'Consider password hash synchronisation as a fallback so an agent outage does not stop sign-ins.',
          ],
    };
  },
};
