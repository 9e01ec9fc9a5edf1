// Who is calling, once authenticated.

export interface Caller {
  /** Stable identity for throttling and the audit (never the credential itself). */
  id: string;
  kind: 'admin-token';
  /** Log tenants the caller may read; null means every tenant (the local administrator). */
  tenants: readonly string[] | null;
}
