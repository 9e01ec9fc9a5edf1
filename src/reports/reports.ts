// The reports by name: what the API route, the CLI and the web UI offer.
import { authMethodsReport } from './auth-methods.js';
import { conditionalAccessReport } from './conditional-access.js';
import { crossTenantReport } from './cross-tenant.js';
import { overviewReport } from './overview.js';
import type { Report, ReportInput, ReportReader } from './report.js';

export const REPORTS = {
  overview: overviewReport,
  'auth-methods': authMethodsReport,
  'conditional-access': conditionalAccessReport,
  'cross-tenant': crossTenantReport,
} as const satisfies Record<string, (reader: ReportReader, input: ReportInput) => Promise<Report>>;

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

export function isReportName(name: string): name is ReportName {
  return Object.prototype.hasOwnProperty.call(REPORTS, name);
}

export function runReport(name: ReportName, reader: ReportReader, input: ReportInput): Promise<Report> {
  return REPORTS[name](reader, input);
}
