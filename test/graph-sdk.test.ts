// Microsoft's own Graph SDK against a running `gatelog serve` over HTTPS: what works against Entra
// works here unchanged (the SDK sends the token and follows nextLink only to https custom hosts).
// The same suite runs with the embedded DuckDB store and with a two-shard ClickHouse cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithClickHouse, startClickHouseCluster, type ClickHouseCluster } from './helpers/clickhouse.js';
import { ingest, startServe, type RunningServer } from './helpers/server.js';
import { signIn } from './helpers/records.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

/** Interactive sign-ins one minute apart, the newest at `end`. */
function records(count: number, end: number, over: Record<string, unknown> = {}): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    signIn({ createdDateTime: new Date(end - i * 60_000).toISOString().replace('Z', '1234Z'), appDisplayName: 'Contoso Payroll', ...over }),
  );
}

const base = Date.parse('2026-06-01T12:00:00Z');

/** The suite, against a server that `start` starts on an empty store in the data directory `dir`. */
function sdkSuite(backend: string, start: (dir: string) => Promise<RunningServer>): void {
  describe(`Microsoft Graph SDK against gatelog serve (${backend})`, () => {
    let dir: string;
    let server: RunningServer;
    let client: Client;
    const payroll = records(57, base);
    const others = records(20, base - 30 * 60_000, { appDisplayName: 'Azure Portal', status: { errorCode: 50126, failureReason: 'Invalid username or password.' } });
    const nonInteractive = records(5, base, { signInEventTypes: ['nonInteractiveUser'], isInteractive: false });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gatelog-sdk-'));
      server = await start(dir);
      await ingest(server, [...payroll, ...others, ...nonInteractive]);
      client = Client.init({
        authProvider: (done) => done(null, server.token),
        baseUrl: server.url,
        customHosts: new Set(['localhost']),
        defaultVersion: 'beta',
      });
    });

    afterAll(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('filters, selects and limits', async () => {
      const res = (await client.api('/auditLogs/signIns').filter("appDisplayName eq 'contoso payroll' and status/errorCode eq 0").select('id,createdDateTime,appDisplayName').top(5).get()) as PageCollection;
      expect(res.value).toHaveLength(5);
      expect(res.value.map((r: { id: string }) => r.id)).toEqual(payroll.slice(0, 5).map((r) => r['id']));
      expect(Object.keys(res.value[0] as object).sort()).toEqual(['appDisplayName', 'createdDateTime', 'id']);
      expect(res['@odata.nextLink']).toMatch(/^https:\/\/localhost:\d+\/beta\/auditLogs\/signIns\?/);
    });

    it('lists interactive sign-ins only unless signInEventTypes is filtered, as Graph does', async () => {
      const all = (await client.api('/auditLogs/signIns').top(1000).get()) as PageCollection;
      expect(all.value).toHaveLength(payroll.length + others.length);
      const ni = (await client.api('/auditLogs/signIns').filter("signInEventTypes/any(t: t eq 'nonInteractiveUser')").get()) as PageCollection;
      expect(ni.value.map((r: { id: string }) => r.id).sort()).toEqual(nonInteractive.map((r) => r['id']).sort());
    });

    it('walks every page with PageIterator, each record exactly once, while new sign-ins arrive', async () => {
      const seen: string[] = [];
      const first = (await client.api('/auditLogs/signIns').filter("startsWith(appDisplayName, 'Contoso')").top(10).get()) as PageCollection;
      const extraNewer = records(7, base + 3600_000);
      const extraOlder = records(3, base - 57 * 60_000 - 1000);
      // The callback pauses the walk after the first page; new sign-ins land; the walk resumes.
      // Newer ones sort before the cursor (not part of this walk); late, older ones sort after it
      // (the walk reaches them).
      let paused = false;
      const iterator = new PageIterator(client, first, (item: { id: string }) => {
        seen.push(item.id);
        if (seen.length === 10 && !paused) {
          paused = true;
          return false;
        }
        return true;
      });
      await iterator.iterate();
      expect(iterator.isComplete()).toBe(false);
      await ingest(server, [...extraNewer, ...extraOlder]);
      await iterator.resume();
      expect(iterator.isComplete()).toBe(true);
      const pages = Math.ceil(seen.length / 10);
      expect(pages).toBeGreaterThanOrEqual(5);
      expect(new Set(seen).size).toBe(seen.length);
      const expected = [...payroll, ...extraOlder].map((r) => r['id'] as string);
      expect([...seen].sort()).toEqual([...expected].sort());
      expect(seen).not.toContain(extraNewer[0]?.['id']);
    });

    it('gets one sign-in by id, in the v1.0 shape on /v1.0', async () => {
      const id = others[3]?.['id'] as string;
      const beta = (await client.api(`/auditLogs/signIns/${id}`).get()) as Record<string, unknown>;
      expect(beta['id']).toBe(id);
      expect(beta['resourceTenantId']).toBe(TENANT);
      expect(beta).toHaveProperty('signInEventTypes');
      const v1 = (await client.api(`/auditLogs/signIns/${id}`).version('v1.0').get()) as Record<string, unknown>;
      expect(v1).not.toHaveProperty('signInEventTypes');
      expect((v1['status'] as { errorCode: number }).errorCode).toBe(50126);
    });

    it('surfaces a bad filter as a GraphError 400 with the position', async () => {
      const err = (await client
        .api('/auditLogs/signIns')
        .filter("userPrincipalName eq 'a' and status/errorCode eq 'x'")
        .get()
        .catch((e: unknown) => e)) as GraphError;
      expect(err).toBeInstanceOf(GraphError);
      expect(err.statusCode).toBe(400);
      expect(err.code).toBe('Request_UnsupportedQuery');
      expect(err.message).toMatch(/status\/errorCode.*at position 49/);
      expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('surfaces an unknown id as a GraphError 404', async () => {
      const err = (await client
        .api('/auditLogs/signIns/00000000-0000-4000-8000-00000000dead')
        .get()
        .catch((e: unknown) => e)) as GraphError;
      expect(err).toBeInstanceOf(GraphError);
      expect(err.statusCode).toBe(404);
      expect(err.code).toBe('Request_ResourceNotFound');
    });
  });
}

sdkSuite('duckdb', (dir) => startServe(dir));

let cluster: ClickHouseCluster | undefined;
describeWithClickHouse('Graph SDK on ClickHouse', () => {
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 2 });
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  sdkSuite('clickhouse, 2 shards', (dir) =>
    startServe(dir, ['--store', 'clickhouse', '--clickhouse-url', `${cluster!.url}/gatelog_sdk_${process.pid}`, '--clickhouse-cluster', cluster!.name]),
  );
});
