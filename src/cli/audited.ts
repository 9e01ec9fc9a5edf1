// The command line's reads of sign-in data go to the audit too: the machine's user is the actor
// (whoever can open the data directory reads every tenant, so the entry says who did, and what).
import { hostname, userInfo } from 'node:os';
import type { AuditEntry, SignInStore } from '../store/sign-in-store.js';

export interface CliRead {
  /** The command: 'gatelog query', 'gatelog get', ... */
  action: string;
  /** What was read: an id, a correlation ID, an output file. */
  target?: string | null;
  filter?: string | null;
  /** The log tenants the command was limited to (--tenant); null for every tenant. */
  tenants?: readonly string[] | null;
}

function cliActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = String(process.getuid?.() ?? 'unknown');
  }
  return `${user}@${hostname()}`;
}

/**
 * Runs a read and records it in the audit, done or failed, with the rows it returned. The entry is
 * written before the command ends; a read whose entry cannot be written fails.
 */
export async function auditedRead<T>(store: SignInStore, read: CliRead, run: () => Promise<{ result: T; rows: number }>): Promise<T> {
  const entry = (rows: number, status: number): AuditEntry => ({
    at: new Date().toISOString(),
    actor: cliActor(),
    via: 'cli',
    tenants: read.tenants ?? null,
    action: read.action,
    target: read.target ?? null,
    filter: read.filter ?? null,
    rows,
    status,
    client: hostname(),
    requestId: null,
  });
  let done: { result: T; rows: number };
  try {
    done = await run();
  } catch (e) {
    await store.appendAudit([entry(0, 1)]).catch(() => undefined);
    throw e;
  }
  await store.appendAudit([entry(done.rows, 0)]);
  return done.result;
}
