// GET /api/signins, the web UI's list, in process (Fastify inject): every event type unless told,
// the same sign-ins as the Graph list for the same filter, keyset paging without gaps or
// duplicates, the count, compact rows, and clear 400s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/api-keys.js';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { LIST_PROPERTIES } from '../src/api/routes/app/sign-ins.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { incoming, signIn } from './helpers/records.js';

const TOKEN = 'web-list-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let dir: string;
let store: SignInStore;
let app: FastifyInstance;
let keyOther: string;
// Records from before signInEventTypes: isInteractive alone says which tab they belong to.
const legacyInteractive = signIn({ createdDateTime: '2026-05-01T09:00:00Z', signInEventTypes: undefined, isInteractive: true });
const legacyNonInteractive = signIn({ createdDateTime: '2026-05-01T09:30:00Z', signInEventTypes: undefined, isInteractive: false });
const OTHER_TENANT = '0e0e0e0e-0000-4000-8000-00000000000e';
const otherTenant = signIn({ createdDateTime: '2026-05-01T12:00:00Z', signInEventTypes: ['interactiveUser'], resourceTenantId: OTHER_TENANT, homeTenantId: OTHER_TENANT });

const TYPES = ['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity'] as const;
const records = Array.from({ length: 40 }, (_, i) =>
  signIn({
    createdDateTime: `2026-05-01T10:${String(i).padStart(2, '0')}:00Z`,
    signInEventTypes: [TYPES[i % 4]],
    isInteractive: i % 4 === 0,
    status: { errorCode: i % 3 === 0 ? 50126 : 0 },
  }),
);

async function get(url: string) {
  const r = await app.inject({ url, headers: auth });
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

async function listAll(query: string, top: number): Promise<string[]> {
  const ids: string[] = [];
  let skiptoken: string | null = null;
  do {
    const r = await get(`/api/signins?${query}&top=${top}${skiptoken ? `&skiptoken=${encodeURIComponent(skiptoken)}` : ''}`);
    expect(r.status).toBe(200);
    ids.push(...(r.body['value'] as { id: string }[]).map((x) => x.id));
    skiptoken = r.body['skiptoken'] as string | null;
  } while (skiptoken);
  return ids;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-web-list-'));
  store = await DuckDbStore.open({ dataDir: dir });
  const w = store.openWriter();
  for (const r of records) await w.add(incoming(r));
  await w.add(incoming(otherTenant));
  await w.add(incoming(legacyInteractive));
  await w.add(incoming(legacyNonInteractive));
  await w.flush();
  const keys = new ApiKeys(dir);
  keyOther = keys.create({ name: 'other tenant reader', scope: 'read', tenants: [OTHER_TENANT] }).key;
  app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN), apiKeys: keys }, skipTokenKey: Buffer.alloc(32, 9), throttle: { perSecond: 1000, burst: 1000 } });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/signins', () => {
  it('lists every event type by default, newest first, in compact rows', async () => {
    const r = await get('/api/signins');
    expect(r.status).toBe(200);
    const rows = r.body['value'] as Record<string, unknown>[];
    expect(rows.map((x) => x['id'])).toEqual([otherTenant, ...[...records].reverse(), legacyNonInteractive, legacyInteractive].map((x) => x['id']));
    expect(Object.keys(rows[0] as object).sort()).toEqual([...LIST_PROPERTIES].sort());
    expect(r.body['skiptoken']).toBeNull();
  });

  it('pages without gaps or duplicates and answers what the Graph list answers for the same filter', async () => {
    const filter = 'status/errorCode ne 0';
    const ids = await listAll(`filter=${encodeURIComponent(filter)}&eventTypes=interactiveUser,servicePrincipal`, 3);
    const graph = await get(`/beta/auditLogs/signIns?$filter=${encodeURIComponent(`${filter} and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'servicePrincipal')`)}`);
    const expected = (graph.body['value'] as { id: string }[]).map((x) => x.id);
    expect(expected.length).toBeGreaterThan(3);
    expect(ids).toEqual(expected);
    expect(await listAll(`filter=${encodeURIComponent(filter)}&eventTypes=interactiveUser,servicePrincipal&orderby=${encodeURIComponent('createdDateTime asc')}`, 4)).toEqual([...expected].reverse());
  });

  it('puts records that predate signInEventTypes in the tab isInteractive says, as Graph\'s default does', async () => {
    const interactive = await listAll('eventTypes=interactiveUser', 100);
    expect(interactive).toContain(legacyInteractive['id']);
    expect(interactive).not.toContain(legacyNonInteractive['id']);
    const graphDefault = await get('/beta/auditLogs/signIns');
    expect(interactive).toEqual((graphDefault.body['value'] as { id: string }[]).map((x) => x.id));
    const nonInteractive = await listAll('eventTypes=nonInteractiveUser', 100);
    expect(nonInteractive).toContain(legacyNonInteractive['id']);
    expect(nonInteractive).not.toContain(legacyInteractive['id']);
  });

  it('lists only the tenants the caller may read', async () => {
    const r = await app.inject({ url: '/api/signins?count=true', headers: { authorization: `Bearer ${keyOther}` } });
    const body = JSON.parse(r.body) as { value: { id: string }[]; count: number };
    expect(body.value.map((x) => x.id)).toEqual([otherTenant['id']]);
    expect(body.count).toBe(1);
  });

  it('counts the whole view', async () => {
    const r = await get('/api/signins?eventTypes=managedIdentity&top=1&count=true');
    expect(r.body['count']).toBe(10);
    expect((r.body['value'] as unknown[]).length).toBe(1);
    expect(typeof r.body['skiptoken']).toBe('string');
  });

  it('refuses bad options with what and where', async () => {
    const bad = [
      ['eventTypes=robot', "Invalid value 'robot' in eventTypes"],
      ['top=0', "Invalid value '0' for top"],
      ['top=1001', "Invalid value '1001' for top"],
      ['orderby=userId', "Invalid value 'userId' for orderby"],
      ['count=yes', "Invalid value 'yes' for count"],
      [`filter=${encodeURIComponent('foo eq 1')}`, "property 'foo' does not exist"],
      ['skiptoken=abc', 'skiptoken'],
    ] as const;
    for (const [q, message] of bad) {
      const r = await get(`/api/signins?${q}`);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body), q).toContain(message);
    }
    // A skiptoken belongs to its filter.
    const first = await get('/api/signins?top=2&filter=status/errorCode%20eq%200');
    const other = await get(`/api/signins?top=2&filter=status/errorCode%20ne%200&skiptoken=${encodeURIComponent(first.body['skiptoken'] as string)}`);
    expect(other.status).toBe(400);
  });
});

describe('GET /api/signins/export', () => {
  it('downloads exactly the rows the list shows, as JSON or CSV, every page of them', async () => {
    const query = `filter=${encodeURIComponent('status/errorCode eq 0')}&eventTypes=interactiveUser,nonInteractiveUser`;
    const listed = await listAll(query, 5);
    const json = await app.inject({ url: `/api/signins/export?format=json&${query}`, headers: auth });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="SignIns_\d{8}T\d{6}Z\.json"$/);
    expect((JSON.parse(json.body) as { id: string }[]).map((x) => x.id)).toEqual(listed);
    const csv = await app.inject({ url: `/api/signins/export?format=csv&${query}`, headers: auth });
    expect(csv.body.trim().split('\r\n').length - 1).toBe(listed.length);
    for (const id of listed) expect(csv.body).toContain(id);
  });

  it('refuses an unknown format or event type', async () => {
    expect((await app.inject({ url: '/api/signins/export?format=xml', headers: auth })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/signins/export?eventTypes=robot', headers: auth })).statusCode).toBe(400);
  });
});
