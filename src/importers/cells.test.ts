import { describe, expect, it } from 'vitest';
import { cleanColumnName, parseExportTime, parseJsonCell } from './cells.js';

describe('cleanColumnName', () => {
  it('removes zone suffixes and tidies spaces', () => {
    expect(cleanColumnName('TimeGenerated [UTC]')).toEqual({ name: 'TimeGenerated', zone: { offsetMinutes: 0 } });
    expect(cleanColumnName('CreatedDateTime [Local Time]')).toEqual({ name: 'CreatedDateTime', zone: 'local' });
    expect(cleanColumnName('TimeGenerated [UTC+02:00]')).toEqual({ name: 'TimeGenerated', zone: { offsetMinutes: 120 } });
    expect(cleanColumnName('TimeGenerated [UTC-5]')).toEqual({ name: 'TimeGenerated', zone: { offsetMinutes: -300 } });
    expect(cleanColumnName('Application ID ')).toEqual({ name: 'Application ID' });
    expect(cleanColumnName('Autonomous system  number')).toEqual({ name: 'Autonomous system number' });
    expect(cleanColumnName('\uFEFFDate (UTC)')).toEqual({ name: 'Date (UTC)' });
  });
});

describe('parseExportTime', () => {
  it("reads the portals' en-US times in the column's zone", () => {
    expect(parseExportTime('9/19/2023, 1:45:17.287 PM', { offsetMinutes: 0 })).toBe('2023-09-19T13:45:17.287Z');
    expect(parseExportTime('9/19/2023, 12:05:00 AM')).toBe('2023-09-19T00:05:00Z');
    expect(parseExportTime('9/19/2023, 12:05:00.100 PM')).toBe('2023-09-19T12:05:00.1Z');
    expect(parseExportTime('9/19/2023, 3:00:00.000 PM', { offsetMinutes: 120 })).toBe('2023-09-19T13:00:00Z');
    expect(parseExportTime('9/19/2023, 1:45:17.287 PM', 'local')).toBeNull();
    expect(parseExportTime('13/19/2023, 1:45:17 PM')).toBeNull();
    expect(parseExportTime('9/19/2023, 13:45:17 PM')).toBeNull();
  });
  it('reads ISO 8601 as it is (no zone: UTC)', () => {
    expect(parseExportTime('2020-05-20T18:19:04.423000000')).toBe('2020-05-20T18:19:04.423Z');
    expect(parseExportTime('2025-12-04T08:19:41Z')).toBe('2025-12-04T08:19:41Z');
    expect(parseExportTime('yesterday')).toBeNull();
  });
});

describe('parseJsonCell', () => {
  it('parses JSON written into a text cell, and leaves other text alone', () => {
    expect(parseJsonCell('[{"key":"Is CAE Token","value":"False"}]')).toEqual([{ key: 'Is CAE Token', value: 'False' }]);
    expect(parseJsonCell(' {"errorCode":0} ')).toEqual({ errorCode: 0 });
    expect(parseJsonCell('[not json]')).toBe('[not json]');
    expect(parseJsonCell('Windows 10')).toBe('Windows 10');
  });
});
