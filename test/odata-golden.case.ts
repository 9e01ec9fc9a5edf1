// The OData $filter golden cases, as data: test/testdata/odata/records.ndjson (hand-written beta
// sign-ins whose ids end in a two-digit number) and test/testdata/odata/cases/*.yaml (filters with
// the numbers of the sign-ins they must find, or the error they must give). Every backend runs the
// same cases and must give the same answers: planFilter → store.query → the set of ids.
//
// A case is either
//   - name: short description
//     filter: "userPrincipalName eq 'ADELE.vance@Contoso.example'"
//     version: beta              # optional: beta (default) or v1.0
//     expect: [01, 02]           # the NN suffixes of the ids it finds, any order; [] for none
// or
//   - name: unknown property
//     filter: "foo eq 1"
//     error: { code: Request_UnsupportedQuery, position: 0, message: "a fragment of the message" }
//
// The filter's meaning alone is tested: Graph's interactive-only default (applied by the API when a
// filter does not mention signInEventTypes) is not added here.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ERROR_CODES, type ErrorCode } from '../src/errors.js';
import { FilterError, planFilter, type SchemaVersion } from '../src/query/plan.js';
import type { SignInStore } from '../src/store/sign-in-store.js';
import { incoming } from './helpers/records.js';

export const ODATA_GOLDEN_DIR = join(import.meta.dirname, 'testdata', 'odata');
const CASES_DIR = join(ODATA_GOLDEN_DIR, 'cases');
const RECORDS_FILE = join(ODATA_GOLDEN_DIR, 'records.ndjson');

/** Ids of the golden records: this prefix and a two-digit number. */
const ID_PREFIX = '00000000-0000-4000-a000-0000000000';
const MIN_CASES = 170;
const MIN_ERROR_CASES = 50;
/** More than the records there are, so no query is cut short. */
const QUERY_LIMIT = 10_000;

interface CaseBase {
  name: string;
  filter: string;
  version: SchemaVersion;
}

export interface ResultCase extends CaseBase {
  /** Two-digit id suffixes, sorted. */
  expect: string[];
}

export interface ErrorCase extends CaseBase {
  error: { code: ErrorCode; position: number; message: string };
}

export type GoldenCase = ResultCase | ErrorCase;

export interface CaseFile {
  file: string;
  cases: GoldenCase[];
}

function isErrorCase(c: GoldenCase): c is ErrorCase {
  return 'error' in c;
}

/** The records, one JSON object a line; checks that every id is a golden id and appears once. */
export function loadGoldenRecords(): Record<string, unknown>[] {
  const lines = readFileSync(RECORDS_FILE, 'utf8').split('\n');
  const records: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const id = r['id'];
    if (typeof id !== 'string' || !id.startsWith(ID_PREFIX) || !/^\d{2}$/.test(id.slice(ID_PREFIX.length))) {
      throw new Error(`records.ndjson line ${i + 1}: id ${JSON.stringify(id)} is not ${ID_PREFIX}NN`);
    }
    if (seen.has(id)) throw new Error(`records.ndjson line ${i + 1}: id ${id} appears twice`);
    seen.add(id);
    records.push(r);
  }
  return records;
}

const CASE_KEYS = new Set(['name', 'filter', 'version', 'expect', 'error']);
const ERROR_KEYS = new Set(['code', 'position', 'message']);

/** One YAML entry as a case, or an error naming the file and the entry. */
function toCase(raw: unknown, where: string, knownSuffixes: ReadonlySet<string>): GoldenCase {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('a case is a mapping');
  const c = raw as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!CASE_KEYS.has(k)) fail(`unknown key '${k}'`);
  const { name, filter, version = 'beta' } = c;
  if (typeof name !== 'string' || name.trim() === '') fail('name must be a non-empty string');
  if (typeof filter !== 'string') fail('filter must be a string');
  if (version !== 'beta' && version !== 'v1.0') fail(`version must be beta or v1.0, not ${JSON.stringify(version)}`);
  const base: CaseBase = { name: name as string, filter: filter as string, version: version as SchemaVersion };
  if (('expect' in c) === ('error' in c)) fail('a case has either expect or error');
  if ('expect' in c) {
    if (!Array.isArray(c['expect'])) fail('expect must be a list of id numbers');
    // YAML reads 07 as the number 7: either form names record 07.
    const suffixes = (c['expect'] as unknown[]).map((x) => {
      const s = typeof x === 'number' && Number.isInteger(x) ? String(x).padStart(2, '0') : typeof x === 'string' ? x : fail(`bad id ${JSON.stringify(x)} in expect`);
      if (!knownSuffixes.has(s)) fail(`expect names ${s}, which is not a record in records.ndjson`);
      return s;
    });
    if (new Set(suffixes).size !== suffixes.length) fail('expect lists an id twice');
    return { ...base, expect: suffixes.sort() };
  }
  const e = c['error'];
  if (!e || typeof e !== 'object' || Array.isArray(e)) fail('error must be a mapping of code, position and message');
  const err = e as Record<string, unknown>;
  for (const k of Object.keys(err)) if (!ERROR_KEYS.has(k)) fail(`unknown key '${k}' in error`);
  if (typeof err['code'] !== 'string' || !(err['code'] in ERROR_CODES)) fail(`error.code ${JSON.stringify(err['code'])} is not an error code`);
  if (typeof err['position'] !== 'number' || !Number.isInteger(err['position']) || err['position'] < 0) fail('error.position must be a whole number');
  if (typeof err['message'] !== 'string' || err['message'] === '') fail('error.message must be a fragment of the message');
  return { ...base, error: { code: err['code'] as ErrorCode, position: err['position'] as number, message: err['message'] as string } };
}

/** Every case file, sorted by name, each case checked for shape (and its ids against the records). */
export function loadGoldenCases(records: readonly Record<string, unknown>[] = loadGoldenRecords()): CaseFile[] {
  const known = new Set(records.map((r) => String(r['id']).slice(ID_PREFIX.length)));
  const files = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.map((file) => {
    const doc: unknown = parse(readFileSync(join(CASES_DIR, file), 'utf8'));
    if (!Array.isArray(doc)) throw new Error(`${file}: the file is a list of cases`);
    const cases = doc.map((raw, i) => toCase(raw, `${file} case ${i + 1}`, known));
    const names = new Set<string>();
    for (const c of cases) {
      if (names.has(c.name)) throw new Error(`${file}: two cases are named '${c.name}'`);
      names.add(c.name);
    }
    return { file, cases };
  });
}

/**
 * Registers the golden cases for one backend: `openStore` gives a fresh, empty, migrated store,
 * which is loaded with records.ndjson once and closed at the end.
 */
export function runODataGolden(backendName: string, openStore: () => Promise<SignInStore>): void {
  const records = loadGoldenRecords();
  const files = loadGoldenCases(records);
  const all = files.flatMap((f) => f.cases);

  describe(`OData $filter golden cases: ${backendName}`, () => {
    let store: SignInStore | undefined;

    beforeAll(async () => {
      store = await openStore();
      const w = store.openWriter();
      for (const [i, r] of records.entries()) await w.add(incoming(r, { line: i + 1 }));
      const counts = await w.flush();
      if (counts.inserted !== records.length) throw new Error(`loaded ${counts.inserted} of ${records.length} golden records`);
    });

    afterAll(async () => {
      await store?.close();
    });

    it(`has at least ${MIN_CASES} cases, ${MIN_ERROR_CASES} of them errors, over all ${records.length} records`, async () => {
      expect(all.length).toBeGreaterThanOrEqual(MIN_CASES);
      expect(all.filter(isErrorCase).length).toBeGreaterThanOrEqual(MIN_ERROR_CASES);
      expect(await store!.count()).toBe(records.length);
    });

    for (const { file, cases } of files) {
      describe(file, () => {
        for (const c of cases) {
          it(c.name, async () => {
            if (isErrorCase(c)) {
              let thrown: unknown = null;
              try {
                planFilter(c.filter, c.version);
              } catch (e) {
                thrown = e;
              }
              expect(thrown, `planFilter(${JSON.stringify(c.filter)}) should refuse it`).toBeInstanceOf(FilterError);
              const err = thrown as FilterError;
              expect({ code: err.code, status: err.status, position: err.position }).toEqual({ code: c.error.code, status: 400, position: c.error.position });
              expect(err.message).toContain(c.error.message);
              expect(err.message.startsWith('Invalid filter clause: ')).toBe(true);
              expect(err.message.endsWith(` at position ${c.error.position}`)).toBe(true);
              return;
            }
            const planned = planFilter(c.filter, c.version);
            const rows = await store!.query({ where: planned.condition, order: 'desc', limit: QUERY_LIMIT });
            const got = rows.map((s) => s.record.id.slice(ID_PREFIX.length)).sort();
            expect(got, `${c.filter} (${c.version})`).toEqual(c.expect);
          });
        }
      });
    }
  });
}
