// Device not compliant or not managed: Conditional Access asked for a compliant, hybrid-joined or
// registered device and this one is not (53000, 53001), or device authentication failed (50097).
import type { Scenario } from '../finding.js';
import { baseEvidence, failedPolicies, fieldsEvidence, hasCode, isExternalUser, policiesEvidence, type Policy } from '../signals.js';

const DEVICE_CODES = [53000, 53001, 50097];

function asksForDevice(p: Policy): boolean {
  return p.enforcedGrantControls.some((g) => /compliant|domainjoined|domain joined|hybrid/i.test(g));
}

export const deviceNotCompliant: Scenario = {
  id: 'device-not-compliant',
  title: 'Device not compliant or not managed',
  detect(ctx) {
    const policies = failedPolicies(ctx.record).filter(asksForDevice);
    if (policies.length === 0 && !hasCode(ctx, DEVICE_CODES)) return null;
    if (isExternalUser(ctx.record)) return null;
    const device = ctx.record.deviceDetail ?? {};
    const state = device.isCompliant === true ? 'compliant' : device.isManaged === true ? 'managed but not compliant' : device.deviceId ? 'known to Entra but neither managed nor compliant' : 'unknown to Entra (no device ID was sent: an unregistered device, or a browser that does not pass the device identity)';
    return {
      scenario: 'device-not-compliant',
      title: this.title,
      severity: 'failure',
      assessment: `Access needs a compliant or managed device, and the device used is ${state}.`,
      evidence: [
        ...baseEvidence(ctx.record, ['userPrincipalName', 'appDisplayName', 'ipAddress', 'clientAppUsed']),
        ...fieldsEvidence(ctx.record, ['deviceDetail/deviceId', 'deviceDetail/displayName', 'deviceDetail/operatingSystem', 'deviceDetail/browser', 'deviceDetail/isCompliant', 'deviceDetail/isManaged', 'deviceDetail/trustType']),
        ...policiesEvidence(ctx.record, policies),
      ],
      nextSteps: [
        'Check the device in Intune (or your device management): is it enrolled, and which compliance setting fails?',
        'For a browser sign-in on Windows, use Edge signed in to a work profile, or the Windows Accounts / SSO extension in Chrome, so the device identity is sent.',
        'If the device cannot be managed, offer another way in (a managed device, or a policy for app protection on mobile).',
      ],
    };
  },
};
