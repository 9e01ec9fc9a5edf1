// The Sign-in Diagnostic against ClickHouse (a real two-shard cluster): the same scenarios and
// findings as DuckDB (test/diagnose.case.ts), including the correlation lookup, the counts behind
// a lockout and a password spray, and the tenant scope of those counts. With CI=true a missing
// clickhouse-server fails the suite (test/helpers/clickhouse.ts).
import { afterAll, beforeAll } from 'vitest';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { describeWithClickHouse, startClickHouseCluster, type ClickHouseCluster } from './helpers/clickhouse.js';
import { runDiagnoseSuite } from './diagnose.case.js';

let cluster: ClickHouseCluster | undefined;

describeWithClickHouse('Sign-in Diagnostic on ClickHouse', () => {
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 2 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  runDiagnoseSuite('clickhouse (2 shards)', async () => {
    if (!cluster) throw new Error('the ClickHouse cluster did not start');
    return ClickHouseStore.open({ url: cluster.url, cluster: cluster.name, database: `gatelog_diagnose_${process.pid}` });
  });
});
