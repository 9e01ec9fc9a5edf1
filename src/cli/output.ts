// Output for people (a table) and for machines (json, ndjson, csv).
import { INTERRUPTED_ERROR_CODES } from '../export/portal-csv.js';
import type { SignInRecord } from '../model/sign-in.js';

export const OUTPUTS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUTS)[number];

/** The portal's default columns, as (header, value) pairs. */
export const LIST_COLUMNS: readonly { header: string; value: (r: SignInRecord) => string }[] = [
  { header: 'Date (UTC)', value: (r) => r.createdDateTime },
  { header: 'Request ID', value: (r) => r.id },
  { header: 'User', value: (r) => r.userPrincipalName ?? r.servicePrincipalName ?? r.userDisplayName ?? '' },
  { header: 'Application', value: (r) => r.appDisplayName ?? '' },
  { header: 'Status', value: (r) => statusText(r) },
  { header: 'IP address', value: (r) => r.ipAddress ?? '' },
  { header: 'Location', value: (r) => [r.location?.city, r.location?.state, r.location?.countryOrRegion].filter(Boolean).join(', ') },
  { header: 'Conditional Access', value: (r) => caText(r.conditionalAccessStatus ?? undefined) },
  { header: 'Event type', value: (r) => (r.signInEventTypes ?? []).join(',') },
];

/** The portal's Status column: Success, Failure, or Interrupted (authenticated, not yet signed in). */
export function statusText(r: SignInRecord): string {
  const code = r.status?.errorCode;
  if (code === undefined || code === null) return '';
  if (code === 0) return 'Success';
  // Codes the portal shows as interrupted: the user has more to do (MFA, KMSI, consent).
  if (INTERRUPTED_ERROR_CODES.includes(code)) return `Interrupted (${code})`;
  return `Failure (${code})`;
}

function caText(s: string | undefined): string {
  if (s === 'notApplied') return 'Not applied';
  if (s === 'success') return 'Success';
  if (s === 'failure') return 'Failure';
  return s ?? '';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A plain-text table, columns sized to their widest cell (cells cut at 60 characters). */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cut = (s: string): string => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  const cells = rows.map((r) => r.map(cut));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** One CSV cell (RFC 4180 quoting). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

