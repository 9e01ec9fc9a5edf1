// Legacy authentication: a client using basic authentication (POP, IMAP, SMTP, Exchange
// ActiveSync, "Other clients" ...), which cannot do MFA. Blocked sign-ins are explained; successful
// ones are a warning, since they bypass MFA.
import type { Scenario } from '../finding.js';
import { baseEvidence, errorCodeOf, fieldsEvidence, isLegacyClient } from '../signals.js';

export const legacyAuthentication: Scenario = {
  id: 'legacy-authentication',
  title: 'Legacy authentication',
  detect(ctx) {
    if (!isLegacyClient(ctx.record)) return null;
    const ok = errorCodeOf(ctx.record) === 0;
    return {
      scenario: 'legacy-authentication',
      title: this.title,
      severity: ok ? 'warning' : 'failure',
      assessment: ok
        ? `This sign-in used legacy authentication (${String(ctx.record.clientAppUsed)}) and succeeded. Legacy protocols cannot do MFA, so a password alone got in: they are the preferred entry point of password sprays.`
        : `This sign-in used legacy authentication (${String(ctx.record.clientAppUsed)}) and was refused. Legacy protocols (POP, IMAP, SMTP, MAPI, Exchange ActiveSync with basic authentication) cannot do MFA, and are commonly blocked.`,
      evidence: [...baseEvidence(ctx.record), ...fieldsEvidence(ctx.record, ['authenticationProtocol', 'userAgent', 'conditionalAccessStatus'])],
      nextSteps: ok
        ? ['Block legacy authentication with a Conditional Access policy (client apps: Exchange ActiveSync clients and other clients).', 'Find the client (user agent, app) and move it to modern authentication first.']
        : ['Move the client to modern authentication (an up-to-date mail app, OAuth for SMTP/IMAP); this is usually intended, so keep the block.', 'If it is an attack (many users, one address), look at the invalid password findings for the same address.'],
    };
  },
};
