import { describe, expect, it } from 'vitest';
import { detectFormat, UnusableInputError } from './detect-format.js';

const d = (text: string, name = 'input'): string => detectFormat(Buffer.from(text), name, 'auto');

describe('detectFormat', () => {
  it('tells the JSON formats apart by their first records', () => {
    expect(d('{"id":"a","createdDateTime":"2025-01-01T00:00:00Z"}\n')).toBe('graph');
    expect(d('{"@odata.context":"x","value":[{"id":"a"}]}')).toBe('graph');
    expect(d('{"time":"t","category":"SignInLogs","properties":{"id":"a"}}\n')).toBe('azure-monitor');
    expect(d('{"records":[{"time":"t","category":"SignInLogs","properties":{"id":"a"}}]}')).toBe('azure-monitor');
    expect(d('[{"Name":"x","ExpectedResult":true,"Log":{"category":"SignInLogs","properties":{}}}]')).toBe('panther');
    expect(d('{"p_log_type":"Azure.Audit","category":"SignInLogs","properties":{}}')).toBe('panther');
    expect(d('{"input":{"message":"{}"},"expected":{}}')).toBe('sekoia');
    expect(d('{"TimeGenerated":"2020-05-20T18:19:04.423","Id":"a","Type":"SigninLogs"}\n')).toBe('log-analytics');
    expect(d('{"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}]}')).toBe('log-analytics');
    expect(d('[{"id":"a"}]', 'InteractiveSignIns_2025-03-01_2025-03-02.json')).toBe('portal-json');
  });

  it('skips broken first records and looks for keys when no record is complete', () => {
    expect(d('{broken\n{"time":"t","category":"SignInLogs","properties":{"id":"a"}}\n')).toBe('azure-monitor');
    expect(d(`{"time":"t","category":"SignInLogs","properties":{"id":"a","x":"${'y'.repeat(70_000)}"}}`)).toBe('azure-monitor');
  });

  it('tells the CSV formats apart by their header', () => {
    expect(d('\uFEFF"Date (UTC)","Request ID","User agent"\r\n"2025-03-01T00:00:00Z","a","b"\r\n')).toBe('portal-csv');
    expect(d('"Request ID","Date (UTC)","Authentication method"\n')).toBe('portal-csv');
    expect(d('TenantId,SourceSystem,TimeGenerated [UTC],Id\nx,y,z,w\n')).toBe('log-analytics');
    expect(d('Id,CreatedDateTime,UserPrincipalName\n')).toBe('log-analytics');
  });

  it('says what it expected when the input is none of them', () => {
    expect(() => d('')).toThrow(UnusableInputError);
    expect(() => d('   \n')).toThrow(/the input is empty/);
    expect(() => d('name,age\nann,3\n', 'people.csv')).toThrow(/people\.csv: not a format Gatelog reads \(it starts with a CSV header with columns "name", "age"\); expected Microsoft Graph signIn JSON/);
    expect(() => d('hello world')).toThrow(/it starts with "hello world"/);
  });

  it('takes the format it is told', () => {
    expect(detectFormat(Buffer.from('anything'), 'x', 'portal-csv')).toBe('portal-csv');
  });
});
