// Blocked by Conditional Access: a policy whose grant control is "Block" applied to the sign-in
// (error 53003). Which policy, which grant control, which of its conditions matched.
import type { Scenario } from '../finding.js';
import { baseEvidence, failedPolicies, fieldsEvidence, grants, hasCode, isExternalUser, policiesEvidence, policyName } from '../signals.js';
import { isRiskPolicy } from './blocked-by-risk-policy.js';

export const blockedByConditionalAccess: Scenario = {
  id: 'blocked-by-conditional-access',
  title: 'Blocked by Conditional Access',
  detect(ctx) {
    const blocking = failedPolicies(ctx.record).filter((p) => grants(p, 'Block'));
    if (blocking.length === 0 && !hasCode(ctx, [53003])) return null;
    // Guests have their own scenario, and so do risk-based policies.
    if (isExternalUser(ctx.record) || blocking.some(isRiskPolicy)) return null;
    const names = blocking.map(policyName).join(', ');
    return {
      scenario: 'blocked-by-conditional-access',
      title: this.title,
      severity: 'failure',
      assessment:
        blocking.length > 0
          ? `Conditional Access blocked this sign-in: ${names} ${blocking.length === 1 ? 'applies' : 'apply'} to this user and app with the grant control "Block", so no token was issued. The user cannot get in this way until the policy, or the conditions it matched, change.`
          : 'Conditional Access blocked this sign-in (error 53003), but the record names no failed policy with a "Block" control; the policy may be one whose details the log does not carry.',
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['conditionalAccessStatus']), ...policiesEvidence(ctx.record, blocking), ...fieldsEvidence(ctx.record, ['location/countryOrRegion', 'deviceDetail/isCompliant', 'deviceDetail/trustType'])],
      nextSteps: [
        `Open ${blocking.length > 0 ? names : 'the blocking policy'} in the Entra admin center (Protection > Conditional Access) and check its assignments against this user, app, location, platform and client app.`,
        'Replay the sign-in in the Conditional Access What If tool with these values to see every policy that applies.',
        'If the block is intended, tell the user why access is denied and what they may use instead; if not, narrow the policy (exclude the user or group, or adjust the condition that matched).',
      ],
    };
  },
};
