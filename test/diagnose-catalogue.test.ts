// The error-code catalogue (src/diagnose/error-code-data.ts): every code has a name or a meaning;
// its codes and names are those of Microsoft's published tables (checked against the copies in
// ../shared/data/error-codes when they are there); an unknown code says so and keeps the record's
// own failure reason.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_ROWS } from '../src/diagnose/error-code-data.js';
import { errorCodeLabel, explainErrorCode, listErrorCodes, lookupErrorCode } from '../src/diagnose/error-codes.js';
import { ROOT } from './helpers/cli.js';

const SOURCES = join(ROOT, '..', 'shared', 'data', 'error-codes');
const present = existsSync(join(SOURCES, 'aadsts.json'));
if (!present) console.warn(`error codes: ${SOURCES} is not there; the comparison with Microsoft's tables is skipped`);

describe('the error-code catalogue', () => {
  it('gives every code a name or a meaning, once', () => {
    const codes = ERROR_CODE_ROWS.map((r) => r[0]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThan(300);
    for (const c of listErrorCodes()) {
      expect(Number.isInteger(c.code), String(c.code)).toBe(true);
      expect((c.name ?? '').length + c.meaning.trim().length, `code ${c.code}`).toBeGreaterThan(0);
      expect(c.meaning.trim(), `code ${c.code} has a meaning`).not.toBe('');
    }
  });

  it('explains the codes sign-in logs show most', () => {
    expect(lookupErrorCode(50126)).toMatchObject({ name: 'InvalidUserNameOrPassword' });
    expect(lookupErrorCode(50053)).toMatchObject({ name: 'IdsLocked' });
    expect(lookupErrorCode(53003)).toMatchObject({ name: 'BlockedByConditionalAccess' });
    expect(lookupErrorCode(50158)).toMatchObject({ name: 'ExternalSecurityChallenge' });
    expect(lookupErrorCode(90072)).toMatchObject({ name: 'PassThroughUserMfaError' });
    expect(lookupErrorCode(500121)?.meaning).toMatch(/strong authentication|MFA/);
    expect(lookupErrorCode(7000215)?.meaning).toMatch(/client secret/);
    expect(lookupErrorCode(0)?.meaning).toMatch(/Success/);
  });

  it('says plainly that an unknown code is unknown, and keeps the failure reason the record carries', () => {
    const x = explainErrorCode(4242424, { failureReason: 'Something new went wrong', additionalDetails: 'More detail' });
    expect(x).toMatchObject({ code: 4242424, known: false, name: null, remediation: null, failureReason: 'Something new went wrong', additionalDetails: 'More detail' });
    expect(x.meaning).toContain('unknown');
    expect(errorCodeLabel(4242424, 'Something new went wrong')).toBe('unknown code: Something new went wrong');
    expect(errorCodeLabel(50126)).toMatch(/^InvalidUserNameOrPassword: /);
    expect(errorCodeLabel(0)).toBe('');
  });

  describe.skipIf(!present)("in step with Microsoft's tables", () => {
    it('has every code of both tables, with the names the newer one gives', () => {
      const aadsts = JSON.parse(readFileSync(join(SOURCES, 'aadsts.json'), 'utf8')) as { code: number; name: string }[];
      const report = JSON.parse(readFileSync(join(SOURCES, 'sign-in-report-error-codes.json'), 'utf8')) as { code: number }[];
      for (const { code, name } of aadsts) expect(lookupErrorCode(code)?.name ?? '', `code ${code}`).toBe(name);
      for (const { code } of report) expect(lookupErrorCode(code), `code ${code}`).toBeDefined();
      const published = new Set([...aadsts.map((a) => a.code), ...report.map((r) => r.code)]);
      expect(ERROR_CODE_ROWS.filter((r) => !published.has(r[0])).map((r) => r[0])).toEqual([]);
    });
  });
});
