import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { planFilter } from '../src/query/plan.js';
import { renderAggregate, type AggregateQuery } from '../src/query/sql/aggregate.js';
import { duckdbAggregateHooks, duckdbDialect } from '../src/query/sql/duckdb-dialect.js';
import { and, column, inTenants, TRUE } from '../src/query/sql/expr.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { incoming, signIn } from './helpers/records.js';
import { runStoreSuite } from './store.case.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runStoreSuite('duckdb', {
  async open(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'gatelog-duckdb-'));
    dirs.push(dir);
    return DuckDbStore.open({ dataDir: dir, threads: 2, ...options });
  },
});

describe('DuckDB element tables (policy results, authentication steps)', () => {
  const T = '11111111-1111-4111-8111-111111111111';
  const policies = {
    where: inTenants([T]),
    unnest: { collection: column(['appliedConditionalAccessPolicies'], 'string'), variable: 'p' },
    groupBy: [{ name: 'result', key: { kind: 'operand', operand: { kind: 'var', name: 'p', path: ['result'], type: 'string' } } }],
    measures: [{ name: 'n', measure: { kind: 'count' } }],
  } satisfies AggregateQuery;

  it('an unnest of a kept collection reads the element table, with the tenant scope applied', () => {
    const direct = renderAggregate(policies, duckdbDialect, duckdbAggregateHooks);
    expect(direct.sql).toMatch(/FROM sign_in_ca_results s WHERE \(s\.log_tenant_id IS NOT NULL AND s\.log_tenant_id IN /);
    expect(direct.sql).not.toContain('unnest(');
    expect(direct.params).toContain(T);
    // A condition on a column the element table lacks: the sign-ins it keeps, by key, scope included.
    const joined = renderAggregate({ ...policies, where: and(inTenants([T]), planFilter("appId eq 'a'", 'beta').condition) }, duckdbDialect, duckdbAggregateHooks);
    expect(joined.sql).toMatch(/FROM sign_in_ca_results s WHERE \(s\.log_tenant_id, s\.id\) IN \(SELECT s\.log_tenant_id, s\.id FROM sign_ins s WHERE .*s\.log_tenant_id IN /);
    // A field the element table does not keep: the collection itself.
    const wide = renderAggregate(
      { ...policies, groupBy: [{ name: 'c', key: { kind: 'operand', operand: { kind: 'var', name: 'p', path: ['conditionsSatisfied'], type: 'string' } } }] },
      duckdbDialect,
      duckdbAggregateHooks,
    );
    expect(wide.sql).toContain('unnest(s."appliedConditionalAccessPolicies")');
  });

  it('a store created before the element tables gets them filled when it opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatelog-duckdb-'));
    dirs.push(dir);
    const store = await DuckDbStore.open({ dataDir: dir, threads: 2 });
    const w = store.openWriter();
    const policy = (id: string, result: string) => ({ id, displayName: id, result });
    await w.add(incoming(signIn({ appliedConditionalAccessPolicies: [policy('p1', 'success'), policy('p2', 'reportOnlyFailure')], authenticationDetails: [{ authenticationMethod: 'Password', succeeded: true }] }), { tenant: T }));
    await w.add(incoming(signIn({ appliedConditionalAccessPolicies: [policy('p1', 'failure')] }), { tenant: T }));
    await w.flush();
    const expected = await store.aggregate(policies);
    expect(expected).toEqual([
      { result: 'failure', n: 1 },
      { result: 'reportOnlyFailure', n: 1 },
      { result: 'success', n: 1 },
    ]);
    await store.close();
    // The store as it was before migration 0005.
    const raw = await DuckDBInstance.create(join(dir, 'gatelog.duckdb'));
    const con = await raw.connect();
    await con.run('DROP TABLE sign_in_ca_results');
    await con.run('DROP TABLE sign_in_auth_steps');
    await con.run('DELETE FROM schema_version WHERE version >= 5');
    con.closeSync();
    raw.closeSync();
    const again = await DuckDbStore.open({ dataDir: dir, threads: 2 });
    try {
      expect(await again.schemaVersion()).toBeGreaterThanOrEqual(5);
      expect(await again.aggregate(policies)).toEqual(expected);
      const steps = await again.aggregate({
        where: TRUE,
        unnest: { collection: column(['authenticationDetails'], 'string'), variable: 'd' },
        groupBy: [{ name: 'method', key: { kind: 'operand', operand: { kind: 'var', name: 'd', path: ['authenticationMethod'], type: 'string' } } }],
        measures: [{ name: 'n', measure: { kind: 'count' } }],
      });
      expect(steps).toEqual([{ method: 'Password', n: 1 }]);
    } finally {
      await again.close();
    }
  });
});
