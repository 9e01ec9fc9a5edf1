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
