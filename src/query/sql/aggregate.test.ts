import { describe, expect, it } from 'vitest';
import { quote } from '../../store/clickhouse/quote.js';
import { renderAggregate, type AggregateQuery } from './aggregate.js';
import { clickhouseAggregateHooks, clickhouseDialect } from './clickhouse-dialect.js';
import { duckdbAggregateHooks, duckdbDialect } from './duckdb-dialect.js';
import { column, value } from './expr.js';

const EVIL = "x'); DROP TABLE sign_ins; --";
const q: AggregateQuery = {
  where: { kind: 'compare', op: 'eq', left: column(['appDisplayName'], 'string'), right: value(EVIL, 'string'), caseInsensitive: false },
  unnest: { collection: column(['authenticationDetails'], 'string'), variable: 'd' },
  groupBy: [
    { name: 'method', key: { kind: 'case', whens: [{ when: { kind: 'in', operand: { kind: 'var', name: 'd', path: ['authenticationMethod'], type: 'string' }, values: [value('PHS', 'string')], caseInsensitive: false }, then: EVIL }], otherwise: { kind: 'var', name: 'd', path: ['authenticationMethod'], type: 'string' } } },
    { name: 'day', key: { kind: 'timeBucket', hours: 24 } },
  ],
  measures: [{ name: 'n', measure: { kind: 'count' } }],
  orderBy: [{ name: 'n', desc: true }],
  limit: 5,
};

describe('renderAggregate', () => {
  it('binds every value for DuckDB: none is in the SQL text', () => {
    const r = renderAggregate(q, duckdbDialect, duckdbAggregateHooks);
    expect(r.sql).not.toContain('DROP');
    expect(r.params).toEqual(['PHS', EVIL, EVIL, 5]);
    // The steps come from the element table, which carries the application's name too.
    expect(r.sql).toContain('FROM sign_in_auth_steps s');
    expect(r.sql).not.toContain('unnest(');
    expect(r.sql).toContain('ORDER BY m0 DESC, k0 ASC, k1 ASC LIMIT $4');
  });

  it('keeps a condition on a column the element table lacks, through the line items', () => {
    const r = renderAggregate({ ...q, where: { kind: 'compare', op: 'eq', left: column(['ipAddress'], 'string'), right: value(EVIL, 'string'), caseInsensitive: false } }, duckdbDialect, duckdbAggregateHooks);
    expect(r.sql).not.toContain('DROP');
    expect(r.params).toContain(EVIL);
    expect(r.sql).toContain('"ipAddress"');
    expect(r.sql).toMatch(/FROM sign_ins/);
  });

  it('quotes every value for ClickHouse with the one quoting function, and joins only the leaves used', () => {
    const r = renderAggregate(q, clickhouseDialect(quote), clickhouseAggregateHooks('db.sign_ins', quote));
    expect(r.params).toEqual([]);
    expect(r.sql).toContain(quote(EVIL));
    expect(r.sql.split(quote(EVIL)).join('')).not.toContain('DROP');
    expect(r.sql).toContain('ARRAY JOIN `authenticationDetails.authenticationMethod` AS _u__authenticationMethod');
    expect(r.sql).toContain('FINAL WHERE deleted = 0');
  });

  it('reads engine values back as the query types them', () => {
    const r = renderAggregate({ where: { kind: 'true' }, groupBy: [{ name: 'day', key: { kind: 'timeBucket', hours: 24 } }], measures: [{ name: 'n', measure: { kind: 'uniq', operand: column(['userId'], 'string') } }] }, duckdbDialect, duckdbAggregateHooks);
    expect(r.read({ k0: '1777593600000000000', m0: null })).toEqual({ day: '2026-05-01T00:00:00Z', n: 0 });
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => renderAggregate({ where: { kind: 'true' }, groupBy: [], measures: [{ name: 'n; DROP', measure: { kind: 'count' } }] }, duckdbDialect, duckdbAggregateHooks)).toThrow(/plain identifier/);
  });
});
