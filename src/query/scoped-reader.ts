// Tenant isolation, in one place: every read the API makes goes through a reader scoped to the
// caller's tenants, and the scope is part of every query it runs. Routes never hold the store, so
// no route, filter, skiptoken, export, report, diagnostic or correlation view can reach rows of a
// tenant the caller may not read.
//
// Visibility follows Entra (semantics.md §6.7): a sign-in is in the log of its resource tenant,
// and a cross-tenant sign-in is visible to the user's home tenant as well.
import type { StoredSignIn } from '../model/sign-in.js';
import type { SignInStore, StoredEvent } from '../store/sign-in-store.js';
import type { AggregateQuery, AggregateRow } from './sql/aggregate.js';
import { and, column, inTenants, or, TRUE, value, type Condition, type SignInQuery } from './sql/expr.js';

export type TenantScope = { readonly kind: 'all' } | { readonly kind: 'tenants'; readonly tenants: readonly string[] };

export const ALL_TENANTS: TenantScope = { kind: 'all' };

export function tenantsScope(tenants: readonly string[] | null): TenantScope {
  return tenants === null ? ALL_TENANTS : { kind: 'tenants', tenants };
}

/** Rows a scope may see: its tenants' logs, and sign-ins of its tenants' users elsewhere. */
export function scopeCondition(scope: TenantScope): Condition {
  if (scope.kind === 'all') return TRUE;
  if (scope.tenants.length === 0) return { kind: 'false' };
  return or(inTenants(scope.tenants), {
    kind: 'in',
    operand: column(['homeTenantId'], 'string'),
    values: scope.tenants.map((t) => value(t, 'string')),
    caseInsensitive: true,
  });
}

/** Whether a scope may see a line item (the same rule as scopeCondition, on one record). */
export function visible(s: StoredSignIn, scope: TenantScope): boolean {
  if (scope.kind === 'all') return true;
  const home = typeof s.record.homeTenantId === 'string' ? s.record.homeTenantId.toLowerCase() : null;
  return scope.tenants.some((t) => t === s.tenantId || (home !== null && t.toLowerCase() === home));
}

/** The store, as one caller may read it. */
export class ScopedReader {
  constructor(
    private readonly store: SignInStore,
    readonly scope: TenantScope,
  ) {}

  /** A stable text of the scope, for skiptoken fingerprints. */
  get scopeKey(): string {
    return this.scope.kind === 'all' ? '*' : [...this.scope.tenants].sort().join(',');
  }

  query(q: SignInQuery): Promise<StoredSignIn[]> {
    return this.store.query({ ...q, where: and(scopeCondition(this.scope), q.where) });
  }

  count(where: Condition = TRUE): Promise<number> {
    return this.store.count(and(scopeCondition(this.scope), where));
  }

  /** Counts for reports: the scope is ANDed into the query's condition, before any de-duplication. */
  aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    return this.store.aggregate({ ...q, where: and(scopeCondition(this.scope), q.where) });
  }

  /** One sign-in by id, if the scope may see it (the first in log-tenant order when several). */
  async get(id: string): Promise<StoredSignIn | null> {
    if (this.scope.kind === 'tenants') {
      // In a tenant's own log first; then a cross-tenant sign-in of its users in another log.
      const own = await this.store.get(id, this.scope.tenants);
      if (own) return own;
    }
    if (this.scope.kind === 'all') return this.store.get(id);
    const found = await this.query({ where: { kind: 'compare', op: 'eq', left: column(['id'], 'string'), right: value(id, 'string'), caseInsensitive: false }, order: 'asc', limit: 1 });
    return found[0] ?? null;
  }

  /** Raw events of line items the scope may see (keys it may not see give nothing). */
  async listEvents(lineItems: readonly StoredSignIn[]): Promise<StoredEvent[]> {
    const keys = lineItems.filter((s) => visible(s, this.scope)).map((s) => ({ tenantId: s.tenantId, id: s.record.id }));
    return this.store.listEvents(keys);
  }
}
