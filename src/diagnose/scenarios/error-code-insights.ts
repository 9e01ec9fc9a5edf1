// Error code insights: the fallback when no scenario recognises the failure — what the code means,
// what to do where Microsoft suggests something, and, for a code the catalogue lacks, that it is
// unknown beside the failure reason the record carries.
import { INTERRUPTED_ERROR_CODES } from '../../export/portal-csv.js';
import type { Scenario } from '../finding.js';
import { explainErrorCode } from '../error-codes.js';
import { baseEvidence, errorCodeOf } from '../signals.js';

export const errorCodeInsights: Scenario = {
  id: 'error-code-insights',
  title: 'Error code insights',
  detect(ctx) {
    const code = errorCodeOf(ctx.record);
    if (code === 0) return null;
    const x = explainErrorCode(code, ctx.record.status ?? {});
    const reason = x.failureReason ? ` The record's own failure reason: "${x.failureReason}".` : '';
    return {
      scenario: 'error-code-insights',
      title: this.title,
      // Codes the admin center shows as "Interrupted" (KMSI, a silent sign-in needing the user) are expected stops.
      severity: INTERRUPTED_ERROR_CODES.includes(code) ? 'interrupted' : 'failure',
      assessment: x.known ? `Error ${code}${x.name ? ` (${x.name})` : ''}: ${x.meaning}${reason}` : `${x.meaning}${reason || ' The record carries no failure reason either.'}`,
      evidence: baseEvidence(ctx.record),
      nextSteps: x.remediation
        ? [x.remediation, 'Look at the other sign-ins of the same correlation ID for what happened before and after.']
        : [x.known ? 'Microsoft gives no general remedy for this code: read the failure reason and details, and the sign-ins of the same correlation ID.' : 'Look the code up in Microsoft\'s error code reference (https://login.microsoftonline.com/error?code=' + String(code) + '), and read the failure reason and the sign-ins of the same correlation ID.'],
    };
  },
};
