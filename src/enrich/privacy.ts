// The privacy rules Entra follows, applied as sign-ins come in: "Due to privacy commitments,
// Microsoft Entra ID doesn't populate the home tenant name during cross-tenant scenarios"
// (semantics.md §6.7). A cross-tenant sign-in (home tenant ≠ resource tenant) is visible to both
// tenants, so its home tenant's name is not kept, whatever the source sent.
import type { SignInRecord } from '../model/sign-in.js';

const same = (a: unknown, b: unknown): boolean => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** True when the record crosses a tenant boundary (its home and resource tenants differ). */
export function isCrossTenant(record: SignInRecord): boolean {
  const home = record.homeTenantId;
  const resource = record.resourceTenantId;
  return typeof home === 'string' && home !== '' && typeof resource === 'string' && resource !== '' && !same(home, resource);
}

/** The record without what privacy rules keep out; null when there is nothing to remove. */
export function applyPrivacy(record: SignInRecord): SignInRecord | null {
  if (!isCrossTenant(record)) return null;
  if (record.homeTenantName === undefined || record.homeTenantName === null || record.homeTenantName === '') return null;
  const { homeTenantName: _removed, ...rest } = record;
  return rest as SignInRecord;
}

/** Removes every `homeTenantName` member (any case, any depth) from a JSON value. */
function stripName(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripName);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (k.toLowerCase() !== 'hometenantname') out[k] = stripName(x);
  return out;
}

/**
 * The raw text of a cross-tenant record, as kept with its raw event, without the home tenant's
 * name: a raw event is shown to both tenants too. Text that is not JSON, or has no such member,
 * comes back as it is.
 */
export function rawWithoutHomeTenantName(raw: string): string {
  if (!/hometenantname/i.test(raw)) return raw;
  try {
    return JSON.stringify(stripName(JSON.parse(raw) as unknown));
  } catch {
    return raw;
  }
}
