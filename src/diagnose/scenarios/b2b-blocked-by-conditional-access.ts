// B2B sign-in blocked by Conditional Access: a user from another organisation (guest, cross-tenant
// access) stopped by the resource tenant's policies, for example one that needs a device joined to
// the resource tenant, or MFA the home tenant's claims do not satisfy.
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, failedPolicies, fieldsEvidence, hasCode, isExternalUser, policiesEvidence } from '../signals.js';

const CA_CODES = [53000, 53001, 53002, 53003, 50131, 50158, 530032];

export const b2bBlockedByConditionalAccess: Scenario = {
  id: 'b2b-blocked-by-conditional-access',
  title: 'B2B sign-in blocked by Conditional Access',
  detect(ctx) {
    if (errorCodeOf(ctx.record) === 0 || !isExternalUser(ctx.record)) return null;
    const failed = failedPolicies(ctx.record);
    if (failed.length === 0 && !hasCode(ctx, CA_CODES) && ctx.record.conditionalAccessStatus !== 'failure') return null;
    return {
      scenario: 'b2b-blocked-by-conditional-access',
      title: this.title,
      severity: 'failure',
      assessment: `A user from another organisation was stopped by this tenant's Conditional Access${failed.length > 0 ? ` (${failed.map((p) => `'${p.displayName ?? p.id ?? '?'}'`).join(', ')})` : ''}. External users often cannot meet controls made for members — a device joined or compliant in this tenant, or MFA unless cross-tenant access settings trust the home tenant's MFA.`,
      evidence: [
        ...baseEvidence(ctx.record),
        ...fieldsEvidence(ctx.record, ['userType', 'crossTenantAccessType', 'homeTenantId', 'resourceTenantId', 'homeTenantName', 'conditionalAccessStatus']),
        ...policiesEvidence(ctx.record, failed),
      ],
      nextSteps: [
        'Check whether the failed policies should apply to guests and external users; exclude them or target them with a policy they can satisfy.',
        "If MFA or device claims from the user's home tenant should count, trust them in the cross-tenant access settings (inbound trust settings) for that organisation.",
        'If the block is intended, tell the inviting team so they can explain it to the external user.',
      ],
    };
  },
};
