// gatelog diagnose: the Sign-in Diagnostic on the command line — a sign-in id, a correlation or
// request ID, a user over a time window, or a pasted token — with findings (what happened, the
// evidence, what to do) as text or JSON. The read is recorded in the audit like every CLI read.
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { diagnose, parseDiagnoseInput, type DiagnoseResult } from '../diagnose/diagnose.js';
import { ScopedReader, tenantsScope } from '../query/scoped-reader.js';
import { auditedRead } from './audited.js';
import { addStoreOptions, CliError } from './context.js';
import { renderTable } from './output.js';

interface DiagnoseFlags extends StoreOptions {
  correlationId?: string;
  requestId?: string;
  user?: string;
  since?: string;
  until?: string;
  token?: string;
  tenant?: string;
  output: 'table' | 'json';
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The answer as text: the matching sign-ins, then each diagnosis with its findings. */
export function renderDiagnosis(result: DiagnoseResult): string {
  const out: string[] = [];
  if (result.token) {
    const t = result.token;
    out.push('Token (signature NOT checked: read only to find its sign-ins)');
    out.push(`  uti (unique token identifier): ${t.uniqueTokenIdentifier ?? '-'}`);
    out.push(`  request ID from uti:           ${t.requestId ?? '-'}`);
    out.push(`  sid (session ID):              ${t.sessionId ?? '-'}`);
    out.push(`  issued at:                     ${t.issuedAt ?? '-'}`);
    out.push('');
  }
  out.push(`Sign-ins found: ${result.signIns.length}${result.truncated ? '+' : ''}`);
  if (result.signIns.length > 0) {
    out.push(
      renderTable(
        ['Date (UTC)', 'Request ID', 'User', 'Application', 'Error', 'IP address', ...(result.token ? ['Matched by'] : [])],
        result.signIns.map((s) => [s.createdDateTime, s.id, s.userPrincipalName ?? '', s.appDisplayName ?? '', s.errorCode === 0 ? 'Success' : `${s.errorCode} ${s.errorName}`, s.ipAddress ?? '', ...(result.token ? [(s.matchedBy ?? []).join(', ')] : [])]),
      ),
    );
  }
  for (const n of result.notes) out.push(`Note: ${n}`);
  for (const d of result.diagnoses) {
    out.push('', `=== Sign-in ${d.signIn.id} (${d.signIn.createdDateTime}) — ${d.severity}`);
    const x = d.errorCode;
    out.push(x.code === 0 ? 'Error code 0: success' : `Error code ${x.code}${x.name ? ` ${x.name}` : ''}: ${x.meaning}`);
    if (x.failureReason) out.push(`Failure reason (as recorded): ${x.failureReason}`);
    if (x.remediation) out.push(`Remediation: ${x.remediation}`);
    if (d.findings.length === 0) out.push('No finding: nothing in this sign-in needs attention.');
    for (const f of d.findings) {
      out.push('', `[${f.severity}] ${f.title} (${f.scenario})`, `  ${f.assessment}`, '  Evidence:');
      for (const e of f.evidence) out.push(`    ${e.signInId ? `${e.signInId} ` : ''}${e.field} = ${show(e.value)}${e.note ? `  (${e.note})` : ''}`);
      out.push('  Next steps:');
      for (const s of f.nextSteps) out.push(`    - ${s}`);
    }
    if (d.correlated.length > 0) {
      out.push('', `Same correlation ID (${d.signIn.correlationId ?? ''}):`);
      out.push(renderTable(['Date (UTC)', 'Request ID', 'Application', 'Error'], d.correlated.map((s) => [s.createdDateTime, s.id, s.appDisplayName ?? '', s.errorCode === 0 ? 'Success' : `${s.errorCode} ${s.errorName}`])));
    }
  }
  return `${out.join('\n')}\n`;
}

export function diagnoseCommand(): Command {
  const cmd = new Command('diagnose')
    .description('the Sign-in Diagnostic: why a sign-in failed and what to do (by id, correlation ID, request ID, user and time, or token)')
    .argument('[id]', 'sign-in id (the request ID; a uti works too)')
    .addOption(new Option('--correlation-id <id>', 'every sign-in with this correlation ID'))
    .addOption(new Option('--request-id <id>', 'the sign-in with this request ID'))
    .addOption(new Option('--user <upn>', "a user's sign-ins (user principal name or object ID), with --since"))
    .addOption(new Option('--since <time>', 'with --user: from this time (2026-03-01T10:00:00Z or 2026-03-01)'))
    .addOption(new Option('--until <time>', 'with --user: up to this time'))
    .addOption(new Option('--token <jwt>', "a token's sign-ins: uti → unique token identifier and request ID, sid → session ID (the signature is not checked)"))
    .addOption(new Option('--tenant <id>', 'only this log tenant (and its users elsewhere)'))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'));
  addStoreOptions(cmd);
  cmd.action(async (id: string | undefined, flags: DiagnoseFlags) => {
    const input = (() => {
      try {
        return parseDiagnoseInput({ id, correlationId: flags.correlationId, requestId: flags.requestId, user: flags.user, since: flags.since, until: flags.until, token: flags.token });
      } catch (e) {
        // The same checks as the API, with the flags' names.
        const flags2 = (e as Error).message.replace(/^body: /, '').replace(/\b(correlationId|requestId|user|since|until|token)\b/g, (w) => `--${w.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
        throw new CliError(flags2);
      }
    })();
    const store = await openStore(flags);
    try {
      const tenants = flags.tenant ? [flags.tenant] : null;
      const reader = new ScopedReader(store, tenantsScope(tenants));
      const target = input.kind === 'token' ? 'token' : input.kind === 'user' ? input.user : input.kind === 'id' ? input.id : input.kind === 'requestId' ? input.requestId : input.correlationId;
      const result = await auditedRead(store, { action: 'gatelog diagnose', target, tenants }, async () => {
        const r = await diagnose(reader, input);
        return { result: r, rows: r.rows };
      });
      if (flags.output === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(renderDiagnosis(result));
      if (result.signIns.length === 0) process.exitCode = 1;
    } finally {
      await store.close();
    }
  });
  return cmd;
}
