// The list's columns: the portal's defaults per tab, and every filterable field in the column
// chooser. A row is the compact record GET /api/signins answers (Graph beta property names).
import type { TabKey } from './view-state.js';
import { INTERRUPTED_CODES } from './view-state.js';

export type ListRow = Record<string, unknown> & { id: string; createdDateTime: string };

export interface ColumnDef {
  key: string;
  label: string;
  /** Width in pixels. */
  width: number;
  /** The cell's text (the Date column is formatted by the list, in the chosen zone). */
  text(row: ListRow): string;
}

function at(row: Record<string, unknown>, path: string): unknown {
  let cur: unknown = row;
  for (const p of path.split('/')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(str).join(', ');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The portal's Status: Success, Failure or Interrupted, by the error code. */
export function statusText(row: Record<string, unknown>): string {
  const code = at(row, 'status/errorCode');
  if (code === null || code === undefined) return '';
  const n = Number(code);
  if (n === 0) return 'Success';
  return INTERRUPTED_CODES.includes(n) ? 'Interrupted' : 'Failure';
}

const CA_STATUS: Record<string, string> = { success: 'Success', failure: 'Failure', notApplied: 'Not Applied', unknownFutureValue: 'Unknown' };
const AUTH_REQ: Record<string, string> = { singleFactorAuthentication: 'Single-factor authentication', multiFactorAuthentication: 'Multifactor authentication' };

export function locationText(row: Record<string, unknown>): string {
  return ['city', 'state', 'countryOrRegion'].map((k) => str(at(row, `location/${k}`))).filter((x) => x !== '').join(', ');
}

const path = (p: string) => (row: ListRow) => str(at(row, p));

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'date', label: 'Date', width: 170, text: (r) => r.createdDateTime },
  { key: 'requestId', label: 'Request ID', width: 290, text: path('id') },
  { key: 'correlationId', label: 'Correlation ID', width: 290, text: path('correlationId') },
  { key: 'user', label: 'User', width: 170, text: path('userDisplayName') },
  { key: 'username', label: 'Username', width: 240, text: path('userPrincipalName') },
  { key: 'userId', label: 'User ID', width: 290, text: path('userId') },
  { key: 'userType', label: 'User type', width: 100, text: path('userType') },
  { key: 'application', label: 'Application', width: 200, text: path('appDisplayName') },
  { key: 'appId', label: 'Application ID', width: 290, text: path('appId') },
  { key: 'resource', label: 'Resource', width: 200, text: path('resourceDisplayName') },
  { key: 'resourceId', label: 'Resource ID', width: 290, text: path('resourceId') },
  { key: 'servicePrincipalName', label: 'Service principal name', width: 200, text: path('servicePrincipalName') },
  { key: 'servicePrincipalId', label: 'Service principal ID', width: 290, text: path('servicePrincipalId') },
  { key: 'managedIdentityType', label: 'Managed identity type', width: 160, text: path('managedServiceIdentity/msiType') },
  { key: 'status', label: 'Status', width: 100, text: statusText },
  { key: 'errorCode', label: 'Sign-in error code', width: 130, text: path('status/errorCode') },
  { key: 'failureReason', label: 'Failure reason', width: 260, text: path('status/failureReason') },
  { key: 'ip', label: 'IP address', width: 140, text: path('ipAddress') },
  { key: 'location', label: 'Location', width: 200, text: locationText },
  { key: 'asn', label: 'Autonomous system number', width: 120, text: path('autonomousSystemNumber') },
  { key: 'ca', label: 'Conditional Access', width: 140, text: (r) => CA_STATUS[str(r['conditionalAccessStatus'])] ?? str(r['conditionalAccessStatus']) },
  { key: 'authReq', label: 'Authentication requirement', width: 200, text: (r) => AUTH_REQ[str(r['authenticationRequirement'])] ?? str(r['authenticationRequirement']) },
  { key: 'clientApp', label: 'Client app', width: 170, text: path('clientAppUsed') },
  { key: 'crossTenant', label: 'Cross tenant access type', width: 170, text: path('crossTenantAccessType') },
  { key: 'tokenType', label: 'Incoming token type', width: 160, text: path('incomingTokenType') },
  { key: 'protocol', label: 'Authentication protocol', width: 150, text: path('authenticationProtocol') },
  { key: 'token', label: 'Unique token identifier', width: 220, text: path('uniqueTokenIdentifier') },
  { key: 'os', label: 'Operating system', width: 130, text: path('deviceDetail/operatingSystem') },
  { key: 'browser', label: 'Browser', width: 150, text: path('deviceDetail/browser') },
  { key: 'compliant', label: 'Compliant', width: 100, text: path('deviceDetail/isCompliant') },
  { key: 'managed', label: 'Managed', width: 100, text: path('deviceDetail/isManaged') },
  { key: 'deviceId', label: 'Device ID', width: 290, text: path('deviceDetail/deviceId') },
  { key: 'risk', label: 'Sign-in risk level', width: 130, text: path('riskLevelDuringSignIn') },
  { key: 'tokenIssuer', label: 'Token issuer type', width: 130, text: path('tokenIssuerType') },
  { key: 'homeTenant', label: 'Home tenant ID', width: 290, text: path('homeTenantId') },
  { key: 'resourceTenant', label: 'Resource tenant ID', width: 290, text: path('resourceTenantId') },
  { key: 'flagged', label: 'Flagged for review', width: 130, text: path('flaggedForReview') },
  { key: 'latency', label: 'Latency (ms)', width: 110, text: path('processingTimeInMilliseconds') },
];

/** The portal's default columns of each tab. */
export const DEFAULT_COLUMNS: Record<TabKey, readonly string[]> = {
  interactive: ['date', 'requestId', 'user', 'application', 'status', 'ip', 'location', 'ca'],
  noninteractive: ['date', 'requestId', 'user', 'application', 'status', 'ip', 'location', 'resource', 'ca'],
  serviceprincipal: ['date', 'requestId', 'servicePrincipalName', 'servicePrincipalId', 'resource', 'status', 'ip', 'location'],
  managedidentity: ['date', 'requestId', 'servicePrincipalName', 'servicePrincipalId', 'managedIdentityType', 'resource', 'status', 'ip', 'location'],
};

export function columnsOf(keys: readonly string[]): ColumnDef[] {
  return keys.map((k) => COLUMNS.find((c) => c.key === k)).filter((c): c is ColumnDef => c !== undefined);
}
