// Failed Conditional Access: a policy applied and its grant controls were not met (not a block, not
// a device or MFA requirement, which have their own scenarios): approved app, terms of use, a custom
// control or an external challenge (50158), a tenant security policy (530032).
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, failedPolicies, fieldsEvidence, grants, hasCode, isExternalUser, policiesEvidence } from '../signals.js';
import { isRiskPolicy } from './blocked-by-risk-policy.js';

/** Codes other scenarios explain better (MFA, device, block, proof-up). */
const ELSEWHERE = [53003, 53000, 53001, 50097, 50074, 50076, 50079, 50072, 500121, 53004];
const CA_CODES = [50131, 50158, 53002, 530032];

export const failedConditionalAccess: Scenario = {
  id: 'failed-conditional-access',
  title: 'Failed Conditional Access',
  detect(ctx) {
    const code = errorCodeOf(ctx.record);
    if (code === 0 || ELSEWHERE.includes(code) || isExternalUser(ctx.record)) return null;
    const failed = failedPolicies(ctx.record).filter((p) => !grants(p, 'Block') && !isRiskPolicy(p));
    if (failed.length === 0 && !hasCode(ctx, CA_CODES)) return null;
    const controls = [...new Set(failed.flatMap((p) => p.enforcedGrantControls))];
    return {
      scenario: 'failed-conditional-access',
      title: this.title,
      severity: 'failure',
      assessment: `Conditional Access applied to this sign-in and its requirements were not met${controls.length > 0 ? ` (grant controls: ${controls.join(', ')})` : ''}${failed.length > 0 ? `, in ${failed.map((p) => `'${p.displayName ?? p.id ?? '?'}'`).join(', ')}` : ''}. The policies may be stricter than intended for this user, app, device or client.`,
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['conditionalAccessStatus']), ...policiesEvidence(ctx.record, failed)],
      nextSteps: [
        'Open the failed policies and check their assignments (all the users, groups and apps they cover) and the controls they require.',
        'Check that the user can meet each control here: an approved client app, accepted terms of use, the custom control or external MFA provider answering.',
        'Replay the sign-in in the What If tool; if the policy is too strict, try the change in report-only mode first.',
      ],
    };
  },
};
