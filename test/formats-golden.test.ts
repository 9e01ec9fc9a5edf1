// Golden importer cases, one folder per format: every input under test/testdata/formats/<format>/
// is imported into a fresh DuckDB store, and what comes back — the summary, every line item as the
// store reads it (toOriginal of get), the rejects with their line and reason — must equal
// <input>.expected.json. An authentication-details download (`*_AuthDetails_*`) is imported in
// the same run as the sign-ins file of the same name without `_AuthDetails`, as a user does.
// GATELOG_UPDATE_GOLDEN=1 writes the expected files from what the importers do: review the diff.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, DETECT_BYTES, FORMATS } from '../src/importers/detect-format.js';
import { peekHead } from '../src/importers/open-input.js';
import { importPaths, type ImportSummary } from '../src/ingest/import-files.js';
import { toOriginal } from '../src/model/render.js';
import { TRUE } from '../src/query/sql/expr.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { ROOT } from './helpers/cli.js';

const DIR = join(ROOT, 'test', 'testdata', 'formats');
const UPDATE = process.env['GATELOG_UPDATE_GOLDEN'] === '1';

interface Golden {
  format: string;
  summary: Pick<ImportSummary, 'read' | 'imported' | 'updated' | 'unchanged' | 'rejected' | 'unassignedTenant'>;
  signIns: { tenantId: string; record: Record<string, unknown> }[];
  rejects: { source: string; line?: number; reason: string }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freshStore(): Promise<SignInStore> {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-formats-'));
  dirs.push(dir);
  return DuckDbStore.open({ dataDir: dir, threads: 1 });
}

async function readBack(store: SignInStore, summary: ImportSummary, format: string): Promise<Golden> {
  const rows = await store.query({ where: TRUE, order: 'asc', limit: 10_000 });
  const rejects = await store.listRejects({ limit: 10_000 });
  return {
    format,
    summary: { read: summary.read, imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected, unassignedTenant: summary.unassignedTenant },
    signIns: rows.map((s) => ({ tenantId: s.tenantId, record: toOriginal(s.record, s.extra) })),
    rejects: rejects
      .map((r) => ({ source: basename(r.source), ...(r.line !== undefined ? { line: r.line } : {}), reason: r.reason }))
      .sort((a, b) => a.source.localeCompare(b.source) || (a.line ?? 0) - (b.line ?? 0)),
  };
}

/** The cases of a folder: each input with the details file that goes with it. */
function casesOf(folder: string): { name: string; files: string[] }[] {
  const inputs = readdirSync(folder)
    .filter((f) => !f.endsWith('.expected.json'))
    .sort();
  const details = inputs.filter((f) => /_AuthDetails_/i.test(f));
  return inputs
    .filter((f) => !details.includes(f))
    .map((f) => ({ name: f, files: [f, ...details.filter((d) => d.replace(/_AuthDetails_/i, '_') === f)].map((x) => join(folder, x)) }));
}

describe('importer golden cases', () => {
  it('has a folder of cases for every format', () => {
    for (const f of FORMATS) expect(existsSync(join(DIR, f)), f).toBe(true);
  });

  for (const format of FORMATS) {
    const folder = join(DIR, format);
    if (!existsSync(folder)) continue;
    for (const c of casesOf(folder)) {
      it(`${format}/${c.name}`, async () => {
        for (const file of c.files) expect(detectFormat(await peekHead(file, DETECT_BYTES), file, 'auto'), basename(file)).toBe(format);
        const store = await freshStore();
        try {
          const summary = await importPaths(store, c.files, { format: 'auto' });
          expect(summary.unusable).toEqual([]);
          const got = await readBack(store, summary, format);
          const expectedPath = join(folder, `${c.name}.expected.json`);
          if (UPDATE) writeFileSync(expectedPath, `${JSON.stringify(got, null, 2)}\n`);
          const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Golden;
          expect(got).toEqual(expected);
          // The same files again change nothing.
          const again = await importPaths(store, c.files, { format: 'auto' });
          expect(again).toMatchObject({ imported: 0, updated: 0 });
          expect((await readBack(store, summary, format)).signIns).toEqual(expected.signIns);
        } finally {
          await store.close();
        }
      });
    }
  }
});
