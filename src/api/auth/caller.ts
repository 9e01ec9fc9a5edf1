// Who is calling, once authenticated, and what they may do.
import type { Permission } from '../routes/inventory.js';

/** What a credential allows: read sign-in data, add sign-ins, or administer (keys, audit). */
export type Scope = Exclude<Permission, 'public'>;

export interface Caller {
  /** Stable identity for throttling and the audit (never the credential itself). */
  id: string;
  kind: 'admin-token' | 'api-key' | 'jwt';
  /** A name for people: the key's name, the token's user. */
  name: string;
  scopes: ReadonlySet<Scope>;
  /** Log tenants the caller may read or write; null means every tenant (the local administrator). */
  tenants: readonly string[] | null;
}

export const ALL_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['read', 'ingest', 'admin']);
