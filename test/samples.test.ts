// The real public Graph-shaped records in ../shared/data/samples import and read back equal.
// They are reference material beside the project, not part of it: when the folder is not there
// (a user's clone), these tests are skipped and say so.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../src/ingest/import-files.js';
import { toOriginal } from '../src/model/render.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { ROOT } from './helpers/cli.js';
import { withoutNulls } from './helpers/records.js';

const SAMPLES = join(ROOT, '..', 'shared', 'data', 'samples');
const present = existsSync(SAMPLES);
if (!present) console.warn(`samples: ${SAMPLES} is not there; the tests on real public sign-in records are skipped`);

describe.skipIf(!present)('real Graph-shaped sample records', () => {
  let dir: string;
  let store: SignInStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatelog-samples-'));
    store = await DuckDbStore.open({ dataDir: dir });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const docs = join(SAMPLES, 'microsoft-graph-docs');

  it('imports the Graph docs examples and reports the published trailing comma with its line', async () => {
    const summary = await importPaths(store, [docs], { format: 'auto' });
    expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    const [reject] = await store.listRejects({ limit: 10, source: join(docs, 'v1.0_signin-list_example1_response.json') });
    expect(reject).toMatchObject({ line: 64, reason: 'invalid JSON: trailing comma before "]" (line 64, column 15)' });
    expect(reject?.raw).toContain('"66ea54eb-6301-4ee5-be62-ff5a759b0100"');
  });

  for (const file of ['beta_signin-list_example1_response.json', 'beta_signin-get_example_response_legacy2018.json']) {
    it(`reads ${file} back as it went in`, async () => {
      const page = JSON.parse(readFileSync(join(docs, file), 'utf8')) as { value: Record<string, unknown>[] };
      for (const rec of page.value) {
        const got = await store.get(rec['id'] as string);
        expect(got, rec['id'] as string).not.toBeNull();
        expect(withoutNulls(toOriginal(got!.record, got!.extra))).toEqual(withoutNulls(rec));
      }
    });
  }

  it('keeps the 2018 legacy properties the schema no longer has', async () => {
    const got = await store.get('id');
    const original = toOriginal(got!.record, got!.extra);
    expect(original['conditionalAccessPolicies']).toBeDefined();
    expect(original['isRisky']).toBe(false);
    expect(got?.extra?.u?.['/mfaDetail/mfaAuthMethod']).toBe('Phone Auth');
  });

  it('imports the Graph-shaped payloads wrapped in the Sekoia test files and reads them back equal', async () => {
    const payloads: Record<string, unknown>[] = [];
    for (const line of readFileSync(join(SAMPLES, 'sekoia-intake-formats', 'signin_input_messages.jsonl'), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const v = JSON.parse(line) as Record<string, unknown>;
      if (typeof v['id'] === 'string' && typeof v['createdDateTime'] === 'string') payloads.push(v);
    }
    const wrapped = JSON.parse(readFileSync(join(SAMPLES, 'sekoia-intake-formats', 'microsoft-entraid-graphapi', 'test_signin.json'), 'utf8')) as { input: { message: string } };
    payloads.push(JSON.parse(wrapped.input.message) as Record<string, unknown>);
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    const file = join(dir, 'payloads.ndjson');
    writeFileSync(file, payloads.map((p) => JSON.stringify(p)).join('\n'));
    const other = await DuckDbStore.open({ dataDir: join(dir, 'other') });
    try {
      const s = await importPaths(other, [file], { format: 'auto' });
      // Both files carry the same published record: one line item, the repeat unchanged.
      expect(s).toMatchObject({ read: payloads.length, rejected: 0 });
      for (const p of payloads) {
        const got = await other.get(p['id'] as string);
        expect(withoutNulls(toOriginal(got!.record, got!.extra))).toEqual(withoutNulls(p));
      }
    } finally {
      await other.close();
    }
  });
});
