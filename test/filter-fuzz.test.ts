// 10,000 random and mutated $filter strings through the API: never a 5xx, never a crash, and never
// a value in the SQL text (every value is a bound parameter), so nothing can inject SQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/api/secrets.js';
import { buildServer } from '../src/api/server.js';
import { FilterError, planFilter } from '../src/query/plan.js';
import { duckdbDialect } from '../src/query/sql/duckdb-dialect.js';
import { renderCondition } from '../src/query/sql/render.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { incoming, signIn } from './helpers/records.js';

const TOKEN = 'fuzz-test-token-0123456789';
const SEEDS = [
  "userPrincipalName eq 'adele@contoso.example'",
  "status/errorCode ne 0 and createdDateTime ge 2026-03-01T00:00:00.1234567Z",
  "appliedConditionalAccessPolicies/any(p: p/id eq '7a1d5c2e-0000-4d00-8000-000000000002' and p/result eq 'reportOnlyFailure')",
  "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')",
  "startsWith(appDisplayName, 'Azure') or endsWith(ipAddress, '.7')",
  "contains(location/city, 'Zürich') and not (deviceDetail/isCompliant eq true)",
  "crossTenantAccessType has 'b2bCollaboration' and userType eq 'guest'",
  "status/errorCode in (50126, 50053, 53003) and riskLevelDuringSignIn ne null",
  "authenticationDetails/all(d: d/succeeded eq true) and isInteractive",
  "correlationId eq 20000000-0000-4000-8000-000000000001",
];
const NASTY = [
  "'", "''", ';', '--', '/*', '*/', '"', '\\', '$1', '%', '%27', '\u0000', '\u202e', '東京', '😀', ' or 1=1', "'; DROP TABLE sign_ins; --",
  ')', '(', ',', '/', ':', ' eq ', ' and ', ' or ', ' not ', 'any(', 'all(', 'null', 'true', '2026-01-01', '1e309', '-0', 'x'.repeat(300),
];

/** A small seeded generator (mulberry32), so a failing case can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filters(count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let f = pick(SEEDS);
    const edits = 1 + Math.floor(r() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(r() * (f.length + 1));
      const kind = r();
      if (kind < 0.35) f = f.slice(0, at) + pick(NASTY) + f.slice(at);
      else if (kind < 0.6) f = f.slice(0, at) + f.slice(at + 1 + Math.floor(r() * 5));
      else if (kind < 0.8) f = f.slice(0, at) + String.fromCharCode(32 + Math.floor(r() * 95)) + f.slice(at + 1);
      else if (kind < 0.9) f = `${f} ${pick(['and', 'or'])} ${pick(SEEDS)}`;
      else f = f.replace(/'[^']*'/, `'${pick(NASTY).replace(/'/g, "''")}'`);
    }
    out.push(f);
  }
  return out;
}

/** Percent-encodes every byte of the UTF-8 text (a lone surrogate becomes U+FFFD, as a client would send it). */
function encodeBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

let dir: string;
let store: SignInStore;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatelog-fuzz-'));
  store = await DuckDbStore.open({ dataDir: dir });
  const w = store.openWriter();
  for (let i = 0; i < 30; i++) await w.add(incoming(signIn({ location: { city: i % 2 ? 'Zürich' : 'Lisbon' }, crossTenantAccessType: i % 3 ? 'none' : 'b2bCollaboration' })));
  await w.flush();
  app = await buildServer({ store, auth: { adminTokenHash: sha256Hex(TOKEN) }, skipTokenKey: Buffer.alloc(32, 3), throttle: { perSecond: 1e6, burst: 1e6 } });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('$filter fuzzing', () => {
  const cases = filters(10_000, 20261126);

  it('never answers 5xx or crashes; a refusal is a 400 in Graph\'s shape with a position', async () => {
    const statuses = new Map<number, number>();
    for (const f of cases) {
      const r = await app.inject({ url: `/beta/auditLogs/signIns?$top=5&$filter=${encodeBytes(f)}`, headers: { authorization: `Bearer ${TOKEN}` } });
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      if (r.statusCode !== 200 && r.statusCode !== 400) throw new Error(`status ${r.statusCode} for filter ${JSON.stringify(f)}: ${r.body}`);
      const body = JSON.parse(r.body) as { value?: unknown[]; error?: { code: string; message: string } };
      if (r.statusCode === 200) expect(Array.isArray(body.value)).toBe(true);
      else expect(body.error?.message, f).toMatch(/at position \d+$|too long/);
    }
    // Both kinds occur: the fuzzing reaches the SQL, not only the parser.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(500);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(500);
    expect(await store.count()).toBe(30);
  });

  it('puts no value into SQL text: every value is a bound parameter', () => {
    let planned = 0;
    for (const f of cases) {
      let condition;
      try {
        condition = planFilter(f, 'beta').condition;
      } catch (e) {
        if (e instanceof FilterError) continue;
        throw e;
      }
      planned++;
      const { sql, params } = renderCondition(condition, duckdbDialect);
      // The only quote the dialect writes itself is the flags separator ','.
      expect(sql.replace(/string_split\(([^,]+), ','\)/g, 'string_split($1)'), f).not.toContain("'");
      for (const p of params) if (typeof p === 'string' && p.length > 3) expect(sql.includes(p), f).toBe(false);
    }
    expect(planned).toBeGreaterThan(500);
  });

  it('answers classic injection attempts with nothing or a 400, and leaves the data alone', async () => {
    for (const f of ["userId eq '' or 1=1 --'", "userId eq ''; DROP TABLE sign_ins; --'", "userId eq 'x'); DELETE FROM sign_ins; --", "startsWith(userId, '%') or userId eq '\\'"]) {
      const r = await app.inject({ url: `/beta/auditLogs/signIns?$filter=${encodeURIComponent(f)}`, headers: { authorization: `Bearer ${TOKEN}` } });
      expect([200, 400]).toContain(r.statusCode);
      if (r.statusCode === 200) expect((JSON.parse(r.body) as { value: unknown[] }).value).toEqual([]);
    }
    expect(await store.count()).toBe(30);
  });
});
