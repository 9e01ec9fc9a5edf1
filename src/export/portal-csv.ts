// Export as the Entra admin center's CSV download of the interactive sign-ins tab: its 57 columns
// in its order (docs/formats.md lists them and the property behind each; the download itself is
// not documented by Microsoft), one row per line item, times in UTC ("Date (UTC)", ISO 8601).
// Values are written the way the download writes them where that is known ("Yes"/"No",
// "Member", "Not Applied", "Multifactor authentication", "City, State, Country") and as Graph
// spells them otherwise; importing the file gives back what its columns carry.
//
// The CSV carries only its columns: no authentication details, Conditional Access policies, risk,
// event types (a file named InteractiveSignIns_… is read as interactive) or unknown properties.
import { toOriginal } from '../model/render.js';
import type { StoredSignIn } from '../model/sign-in.js';
import type { Condition } from '../query/sql/expr.js';
import type { SignInStore } from '../store/sign-in-store.js';
import { signInPages, type ExportProgress } from './pages.js';

/**
 * Error codes the portal's Status column shows as "Interrupted": the user authenticated and has
 * more to do (MFA, "stay signed in", consent) before the sign-in completes.
 */
export const INTERRUPTED_ERROR_CODES: readonly number[] = [50058, 50074, 50076, 50140, 50125, 50072, 50079, 81010, 16000, 16001, 16003];

type View = Record<string, unknown>;

function at(view: View, path: string): unknown {
  let cur: unknown = view;
  for (const p of path.split('/')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Graph members as the download writes them (the importer reads either spelling). */
const DISPLAY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  userType: { member: 'Member', guest: 'Guest' },
  crossTenantAccessType: { none: 'None', b2bCollaboration: 'B2B collaboration' },
  incomingTokenType: { none: 'None', primaryRefreshToken: 'Primary Refresh Token' },
  authenticationProtocol: { none: 'None', saml20: 'SAML 2.0', ropc: 'ROPC', wsFederation: 'WS-Federation', oAuth2: 'OAuth 2.0' },
  authenticationRequirement: { singleFactorAuthentication: 'Single-factor authentication', multiFactorAuthentication: 'Multifactor authentication' },
  conditionalAccessStatus: { notApplied: 'Not Applied', success: 'Success', failure: 'Failure' },
};

/** An enum value (a flags value member by member) as the download writes it. */
function display(property: string, v: unknown): unknown {
  const names = DISPLAY[property];
  if (!names || typeof v !== 'string') return v;
  return v
    .split(',')
    .map((m) => names[m] ?? m)
    .join(', ');
}

function yesNo(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 'Yes' : 'No') : v;
}

/** The portal's Status column: Success, Failure or Interrupted, as the error code says. */
export function portalStatus(view: View): string {
  const code = at(view, 'status/errorCode');
  const n = typeof code === 'number' ? code : typeof code === 'string' && /^\s*-?\d+\s*$/.test(code) ? Number(code) : undefined;
  if (n === undefined) return '';
  if (n === 0) return 'Success';
  return INTERRUPTED_ERROR_CODES.includes(n) ? 'Interrupted' : 'Failure';
}

/**
 * "City, State, Country" (the importer reads three parts, empty ones included, back into the
 * three properties); a lone country code when that is all there is.
 */
export function portalLocation(view: View): string {
  const part = (name: string): string => {
    const v = at(view, `location/${name}`);
    return typeof v === 'string' ? v : '';
  };
  const [city, state, country] = [part('city'), part('state'), part('countryOrRegion')];
  if (city === '' && state === '') return country;
  return `${city}, ${state}, ${country}`;
}

export interface PortalColumn {
  header: string;
  value: (view: View) => unknown;
}

const prop = (path: string, map: (v: unknown) => unknown = (v) => v) => (view: View) => map(at(view, path));
const enumProp = (path: string) => prop(path, (v) => display(path, v));

/** The interactive sign-ins download's columns, in its order (headers exactly as it writes them). */
export const PORTAL_EXPORT_COLUMNS: readonly PortalColumn[] = [
  { header: 'Date (UTC)', value: prop('createdDateTime') },
  { header: 'Request ID', value: prop('id') },
  { header: 'User agent', value: prop('userAgent') },
  { header: 'Correlation ID', value: prop('correlationId') },
  { header: 'User ID', value: prop('userId') },
  { header: 'User', value: prop('userDisplayName') },
  { header: 'Username', value: prop('userPrincipalName') },
  { header: 'User type', value: enumProp('userType') },
  { header: 'Cross tenant access type', value: enumProp('crossTenantAccessType') },
  { header: 'Incoming token type', value: enumProp('incomingTokenType') },
  { header: 'Authentication Protocol', value: enumProp('authenticationProtocol') },
  { header: 'Unique token identifier', value: prop('uniqueTokenIdentifier') },
  { header: 'Original transfer method', value: prop('originalTransferMethod') },
  { header: 'Client credential type', value: prop('clientCredentialType') },
  { header: 'Token Protection - Sign In Session', value: prop('tokenProtectionStatusDetails/signInSessionStatus') },
  { header: 'Token Protection - Sign In Session StatusCode', value: prop('tokenProtectionStatusDetails/signInSessionStatusCode') },
  { header: 'Application', value: prop('appDisplayName') },
  { header: 'Application ID ', value: prop('appId') },
  { header: 'App owner tenant ID', value: prop('appOwnerTenantId') },
  { header: 'Resource', value: prop('resourceDisplayName') },
  { header: 'Resource ID ', value: prop('resourceId') },
  { header: 'Resource tenant ID', value: prop('resourceTenantId') },
  { header: 'Resource owner tenant ID', value: prop('resourceOwnerTenantId') },
  { header: 'Home tenant ID', value: prop('homeTenantId') },
  { header: 'Home tenant name', value: prop('homeTenantName') },
  { header: 'IP address', value: prop('ipAddress') },
  { header: 'Location', value: portalLocation },
  { header: 'Status', value: portalStatus },
  { header: 'Sign-in error code', value: prop('status/errorCode') },
  { header: 'Failure reason', value: prop('status/failureReason') },
  { header: 'Client app', value: prop('clientAppUsed') },
  { header: 'Device ID', value: prop('deviceDetail/deviceId') },
  { header: 'Browser', value: prop('deviceDetail/browser') },
  { header: 'Operating System', value: prop('deviceDetail/operatingSystem') },
  { header: 'Compliant', value: prop('deviceDetail/isCompliant', yesNo) },
  { header: 'Managed', value: prop('deviceDetail/isManaged', yesNo) },
  { header: 'Join Type', value: prop('deviceDetail/trustType') },
  { header: 'Multifactor authentication result', value: prop('status/additionalDetails') },
  { header: 'Multifactor authentication auth method', value: prop('mfaDetail/authMethod') },
  { header: 'Multifactor authentication auth detail', value: prop('mfaDetail/authDetail') },
  { header: 'Authentication requirement', value: enumProp('authenticationRequirement') },
  { header: 'Sign-in identifier', value: prop('signInIdentifier') },
  { header: 'Session ID', value: prop('sessionId') },
  { header: 'IP address (seen by resource)', value: prop('ipAddressFromResourceProvider') },
  { header: 'Through Global Secure Access', value: prop('isThroughGlobalSecureAccess', yesNo) },
  { header: 'Global Secure Access IP address', value: prop('globalSecureAccessIpAddress') },
  { header: 'Autonomous system  number', value: prop('autonomousSystemNumber') },
  { header: 'Flagged for review', value: prop('flaggedForReview', yesNo) },
  { header: 'Token issuer type', value: prop('tokenIssuerType') },
  // The download has this column twice; both say the same.
  { header: 'Incoming token type', value: enumProp('incomingTokenType') },
  { header: 'Token issuer name', value: prop('tokenIssuerName') },
  { header: 'Latency', value: prop('processingTimeInMilliseconds') },
  { header: 'Conditional Access', value: enumProp('conditionalAccessStatus') },
  { header: 'Managed Identity type', value: prop('managedServiceIdentity/msiType') },
  { header: 'Associated Resource Id', value: prop('managedServiceIdentity/associatedResourceId') },
  { header: 'Federated Token Id', value: prop('managedServiceIdentity/federatedTokenId') },
  { header: 'Federated Token Issuer', value: prop('managedServiceIdentity/federatedTokenIssuer') },
];

/**
 * The values a line item's row holds: the record as received (original values in place, values
 * Gatelog added left out), its time as the canonical UTC time.
 */
export function portalRowValues(s: StoredSignIn): unknown[] {
  const view: View = { ...toOriginal(s.record, s.extra), createdDateTime: s.record.createdDateTime };
  return PORTAL_EXPORT_COLUMNS.map((c) => c.value(view));
}

/** The file's text, a page of line items at a time: the header first. `cell` quotes one value. */
export async function* portalCsvChunks(store: SignInStore, where: Condition, progress: ExportProgress, cell: (v: unknown) => string): AsyncGenerator<string> {
  yield `${PORTAL_EXPORT_COLUMNS.map((c) => cell(c.header)).join(',')}\r\n`;
  for await (const page of signInPages(store, where)) {
    let out = '';
    for (const s of page) out += `${portalRowValues(s).map(cell).join(',')}\r\n`;
    progress.lineItems += page.length;
    progress.rows += page.length;
    yield out;
  }
}
