// Durability of live ingestion: the server is killed (SIGKILL) 20 times while a client streams
// batches of events and retries every batch it got no answer for. Afterwards every acknowledged
// event is in the store exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { freePort, startServe, type RunningServer } from './helpers/server.js';

const KILLS = 20;
const TENANT = '11111111-1111-4111-8111-111111111111';
const dir = mkdtempSync(join(tmpdir(), 'gatelog-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batchOf(n: number, size: number): string {
  const lines: string[] = [];
  for (let i = 0; i < size; i++) {
    const k = n * size + i;
    const id = `d0000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
    lines.push(
      JSON.stringify({
        eventId: `ev-${k}`,
        observedAt: new Date(Date.UTC(2026, 4, 1, 10) + k * 1000).toISOString(),
        tenantId: TENANT,
        signIn: { id, createdDateTime: new Date(Date.UTC(2026, 4, 1, 10) + k * 1000).toISOString(), correlationId: `c-${k}`, status: { errorCode: 0 }, userPrincipalName: `u${k % 97}@contoso.example` },
      }),
    );
  }
  return lines.join('\n');
}

describe('ingestion durability', () => {
  it(`keeps every acknowledged event exactly once across ${KILLS} kills`, async () => {
    const port = await freePort();
    let server: RunningServer = await startServe(dir, [], {}, port);
    const url = server.url;
    const token = server.token;
    const acked = new Set<number>();
    const batches = 160;
    const size = 40;
    let kills = 0;
    let sending = true;

    const killer = (async () => {
      while (kills < KILLS) {
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 400));
        server.process.kill('SIGKILL');
        await new Promise<void>((r) => (server.process.exitCode !== null || server.process.signalCode !== null ? r() : server.process.once('exit', () => r())));
        kills++;
        server = await startServe(dir, [], {}, port);
      }
    })();

    const client = (async () => {
      for (let n = 0; n < batches || kills < KILLS; n++) {
        const body = batchOf(n, size);
        for (;;) {
          try {
            const r = await fetch(`${url}/ingest/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
            if (r.ok) {
              const j = (await r.json()) as { read: number; rejected: number };
              expect(j).toMatchObject({ read: size, rejected: 0 });
              acked.add(n);
              break;
            }
          } catch {
            /* the server was killed mid-request: retry the same batch */
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      sending = false;
    })();

    await Promise.all([killer, client]);
    expect(sending).toBe(false);
    await server.stop();
    expect(kills).toBe(KILLS);

    const store = await DuckDbStore.open({ dataDir: dir });
    try {
      const ids: { tenantId: string; id: string }[] = [];
      for (const n of acked) for (let i = 0; i < size; i++) ids.push({ tenantId: TENANT, id: `d0000000-0000-4000-8000-${String(n * size + i).padStart(12, '0')}` });
      // Every acknowledged event is there, once: one line item and one raw event per sign-in.
      const events = await store.listEvents(ids);
      expect(events).toHaveLength(ids.length);
      expect(new Set(events.map((e) => e.signInId)).size).toBe(ids.length);
      expect(await store.count()).toBeGreaterThanOrEqual(ids.length);
      expect(await store.count()).toBeLessThanOrEqual((Math.max(...acked) + 1) * size);
    } finally {
      await store.close();
    }
  }, 300_000);
});
