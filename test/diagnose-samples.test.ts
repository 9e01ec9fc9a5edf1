// The Sign-in Diagnostic on real public sign-in records (../shared/data/samples, described in its
// SOURCES.md): each sample that shows a scenario gives that scenario, with its evidence. The samples
// are reference material beside the project; without them these tests are skipped and say so (the
// must-pass cases are in test/diagnose.case.ts, on records built for them).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../src/diagnose/diagnose.js';
import type { Finding, ScenarioId } from '../src/diagnose/finding.js';
import { importPaths } from '../src/ingest/import-files.js';
import { ALL_TENANTS, ScopedReader } from '../src/query/scoped-reader.js';
import { column, value, type Condition } from '../src/query/sql/expr.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { ROOT } from './helpers/cli.js';

const SAMPLES = join(ROOT, '..', 'shared', 'data', 'samples');
const present = existsSync(SAMPLES);
if (!present) console.warn(`samples: ${SAMPLES} is not there; the diagnostic tests on real public sign-in records are skipped`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const code = (c: number): Condition => ({ kind: 'compare', op: 'eq', left: column(['status', 'errorCode'], 'int'), right: value(c, 'int'), caseInsensitive: false });

/** Imports one sample file into a store of its own, and diagnoses the first sign-in `where` selects. */
async function diagnoseSample(file: string, where: Condition): Promise<Diagnosis> {
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-diagnose-sample-'));
  dirs.push(dir);
  const store = await DuckDbStore.open({ dataDir: dir });
  try {
    await importPaths(store, [join(SAMPLES, file)], { format: 'auto' });
    const reader = new ScopedReader(store, ALL_TENANTS);
    const [s] = await reader.query({ where, order: 'asc', limit: 1 });
    if (!s) throw new Error(`${file}: no sign-in matches`);
    const r = await diagnose(reader, { kind: 'id', id: s.record.id });
    return r.diagnoses[0] as Diagnosis;
  } finally {
    await store.close();
  }
}

function finding(d: Diagnosis, scenario: ScenarioId): Finding {
  const f = d.findings.find((x) => x.scenario === scenario);
  if (!f) throw new Error(`no ${scenario} finding; got ${d.findings.map((x) => x.scenario).join(', ') || 'none'}`);
  return f;
}

const valuesOf = (f: Finding, suffix: string): unknown[] => f.evidence.filter((e) => e.field.endsWith(suffix)).map((e) => e.value);

describe.skipIf(!present)('the diagnostic on real sample records', () => {
  it('50126 (Graph docs example): invalid username or password, with the failed password step', async () => {
    const d = await diagnoseSample('microsoft-graph-docs/beta_signin-list_example1_response.json', code(50126));
    const f = finding(d, 'invalid-username-or-password');
    expect(valuesOf(f, 'status/errorCode')).toEqual([50126]);
    expect(d.errorCode).toMatchObject({ known: true, name: 'InvalidUserNameOrPassword' });
    expect(valuesOf(f, 'count: distinct users failing from the address')).toEqual([1]);
  });

  it('50158 (Sekoia): failed Conditional Access, the custom control of the failed policy', async () => {
    const d = await diagnoseSample('sekoia-intake-formats/azure-ad/sign-in_activity.json', code(50158));
    const f = finding(d, 'failed-conditional-access');
    expect(valuesOf(f, '/displayName')).toEqual(['Check Point Harmony MFA']);
    expect(valuesOf(f, '/enforcedGrantControls')).toEqual([['Checkpoint Custom Control']]);
    expect(f.assessment).toContain('Checkpoint Custom Control');
  });

  it('7000215 (Panther): an invalid client secret of a service principal', async () => {
    const d = await diagnoseSample('panther-analysis/azure_failed_signins.yml.tests.json', code(7000215));
    expect(finding(d, 'service-principal-credentials').assessment).toContain('client secret');
  });

  it('90072 (msticpy Log Analytics export): MFA an external account cannot satisfy', async () => {
    const d = await diagnoseSample('msticpy/aad_logons.pkl.jsonl', code(90072));
    const f = finding(d, 'mfa-from-other-requirements');
    expect(f.severity).toBe('failure');
    expect(f.assessment).toContain('90072');
    expect(d.errorCode).toMatchObject({ name: 'PassThroughUserMfaError', failureReason: 'Other' });
  });

  it('per-user MFA (Sekoia): MFA from other requirements, with the advice to move it to Conditional Access', async () => {
    const d = await diagnoseSample('sekoia-intake-formats/azure-ad/sign-in_activity3.json', { kind: 'true' });
    const f = finding(d, 'mfa-from-other-requirements');
    expect(f.severity).toBe('info');
    expect(f.nextSteps.join(' ')).toContain('Conditional Access');
  });

  it('a report-only failure on a successful sign-in (Sekoia, 55 policies)', async () => {
    const d = await diagnoseSample('sekoia-intake-formats/azure-ad/sign-in_activity5.json', { kind: 'true' });
    const f = finding(d, 'successful-sign-in');
    expect(f.severity).toBe('warning');
    expect(valuesOf(f, '/result')).toEqual(['reportOnlyFailure']);
  });

  it('Authenticated SMTP (Panther): legacy authentication', async () => {
    const smtp: Condition = { kind: 'compare', op: 'eq', left: column(['clientAppUsed'], 'string'), right: value('Authenticated SMTP', 'string'), caseInsensitive: true };
    const d = await diagnoseSample('panther-analysis/azure_legacyauth.yml.tests.json', smtp);
    expect(valuesOf(finding(d, 'legacy-authentication'), 'clientAppUsed')).toEqual(['Authenticated SMTP']);
  });
});
