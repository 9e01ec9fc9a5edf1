// Successful sign-in that should have been interrupted: a report-only policy would have blocked
// (or asked for more from) it, or an interactive single-factor sign-in no policy covered.
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence, policiesEvidence, policiesOf } from '../signals.js';

export const successfulSignIn: Scenario = {
  id: 'successful-sign-in',
  title: 'Successful sign-in that a policy would have stopped',
  detect(ctx) {
    if (errorCodeOf(ctx.record) !== 0) return null;
    const reportOnly = policiesOf(ctx.record).filter((p) => p.result === 'reportOnlyFailure' || p.result === 'reportOnlyInterrupted');
    if (reportOnly.length > 0) {
      const blocks = reportOnly.filter((p) => p.result === 'reportOnlyFailure');
      return {
        scenario: 'successful-sign-in',
        title: this.title,
        severity: 'warning',
        assessment: `The sign-in succeeded, but ${reportOnly.map((p) => `'${p.displayName ?? p.id ?? '?'}'`).join(', ')} in report-only mode ${blocks.length > 0 ? 'would have blocked it (report-only: failure)' : 'would have required user action such as MFA (report-only: user action required)'} if enforced.`,
        evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['conditionalAccessStatus', 'authenticationRequirement']), ...policiesEvidence(ctx.record, reportOnly)],
        nextSteps: [
          'Before turning the policy on, decide whether this sign-in should be stopped: if not, adjust the policy (exclusions, conditions) so it is not affected.',
          'Look at all report-only results of the policy (Conditional Access insights) to see who else it would affect.',
        ],
      };
    }
    const interactive = ctx.record.isInteractive === true || (Array.isArray(ctx.record.signInEventTypes) && ctx.record.signInEventTypes.includes('interactiveUser'));
    if (interactive && ctx.record.conditionalAccessStatus === 'notApplied' && ctx.record.authenticationRequirement === 'singleFactorAuthentication') {
      return {
        scenario: 'successful-sign-in',
        title: this.title,
        severity: 'info',
        assessment: 'The sign-in succeeded with a single factor and no Conditional Access policy applied to it: nothing required MFA for this user and app.',
        evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['conditionalAccessStatus', 'authenticationRequirement'])],
        nextSteps: ['Check whether a policy should cover this user and app (for example one requiring MFA for all users and all cloud apps).'],
      };
    }
    return null;
  },
};
