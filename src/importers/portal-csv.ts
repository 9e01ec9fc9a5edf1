// The Entra admin center's CSV download of the sign-in logs: one file per tab (interactive and
// non-interactive user sign-ins, application = service-principal sign-ins, managed-identity
// sign-ins) and an authentication-details file per sign-ins file. The columns are display names
// (see docs/formats.md for the mapping); the portal's quirks are handled: a trailing space in
// `Application ID ` and `Resource ID `, the double space in `Autonomous system  number`,
// `Incoming token type` twice, the header repeated inside the file, `Yes`/`No` booleans, display
// spellings of enum members ("Primary Refresh Token", "Not Applied"), `Location` as one
// "City, State, Country" cell.
//
// Which file it is comes from the header (an application file has `Service principal ID`, a
// details file `Authentication method` and no user or application columns) and, for what the
// header cannot tell (interactive vs non-interactive: their headers are the same), from the file
// name the portal gives it (`NonInteractiveSignIns_…`). A details row is a partial record (the
// request ID and one authentication step): the ingest layer joins it to its sign-in.
import { isEmptyCell, parseExportTime } from './cells.js';
import { readCsvRows } from './csv-rows.js';
import type { RawItem } from './graph-json.js';
import { interactiveOf } from './azure-monitor.js';
import { portalEventTypeFromName } from './portal-json.js';

/** A header name as matched: lower case, spaces collapsed, trimmed (`Application ID ` → `application id`). */
export function portalKey(header: string): string {
  return header.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Where a column goes: a `/`-separated Graph property path, or a special reading. */
type Target = string | 'location' | 'raw-only';

/**
 * Sign-in file columns → Graph property paths. The names are those of the download (unofficial:
 * docs/formats.md says where they come from); the property behind each is the documented or
 * inferred one.
 */
export const PORTAL_COLUMNS: Readonly<Record<string, Target>> = {
  'date (utc)': 'createdDateTime',
  date: 'createdDateTime',
  'request id': 'id',
  'user agent': 'userAgent',
  'correlation id': 'correlationId',
  'user id': 'userId',
  user: 'userDisplayName',
  username: 'userPrincipalName',
  'user type': 'userType',
  'cross tenant access type': 'crossTenantAccessType',
  'incoming token type': 'incomingTokenType',
  'authentication protocol': 'authenticationProtocol',
  'unique token identifier': 'uniqueTokenIdentifier',
  'original transfer method': 'originalTransferMethod',
  'client credential type': 'clientCredentialType',
  'token protection - sign in session': 'tokenProtectionStatusDetails/signInSessionStatus',
  'token protection - sign in session statuscode': 'tokenProtectionStatusDetails/signInSessionStatusCode',
  application: 'appDisplayName',
  'application id': 'appId',
  'app owner tenant id': 'appOwnerTenantId',
  resource: 'resourceDisplayName',
  'resource id': 'resourceId',
  'resource tenant id': 'resourceTenantId',
  'resource owner tenant id': 'resourceOwnerTenantId',
  'home tenant id': 'homeTenantId',
  'home tenant name': 'homeTenantName',
  'ip address': 'ipAddress',
  location: 'location',
  // Success / Failure / Interrupted: what the error code says; the row keeps the text.
  status: 'raw-only',
  'sign-in error code': 'status/errorCode',
  'failure reason': 'status/failureReason',
  'client app': 'clientAppUsed',
  'device id': 'deviceDetail/deviceId',
  browser: 'deviceDetail/browser',
  'operating system': 'deviceDetail/operatingSystem',
  compliant: 'deviceDetail/isCompliant',
  managed: 'deviceDetail/isManaged',
  'join type': 'deviceDetail/trustType',
  'multifactor authentication result': 'status/additionalDetails',
  'multifactor authentication auth method': 'mfaDetail/authMethod',
  'multifactor authentication auth detail': 'mfaDetail/authDetail',
  'authentication requirement': 'authenticationRequirement',
  'sign-in identifier': 'signInIdentifier',
  'session id': 'sessionId',
  'ip address (seen by resource)': 'ipAddressFromResourceProvider',
  'through global secure access': 'isThroughGlobalSecureAccess',
  'global secure access ip address': 'globalSecureAccessIpAddress',
  'autonomous system number': 'autonomousSystemNumber',
  'flagged for review': 'flaggedForReview',
  'token issuer type': 'tokenIssuerType',
  'token issuer name': 'tokenIssuerName',
  latency: 'processingTimeInMilliseconds',
  'conditional access': 'conditionalAccessStatus',
  'managed identity type': 'managedServiceIdentity/msiType',
  'associated resource id': 'managedServiceIdentity/associatedResourceId',
  'federated token id': 'managedServiceIdentity/federatedTokenId',
  'federated token issuer': 'managedServiceIdentity/federatedTokenIssuer',
  // The application (service principal) file; the managed-identity file's names are guessed alike.
  'service principal id': 'servicePrincipalId',
  'service principal name': 'servicePrincipalName',
  'credential key id': 'servicePrincipalCredentialKeyId',
  'credential thumbprint': 'servicePrincipalCredentialThumbprint',
  'managed identity id': 'servicePrincipalId',
  'managed identity name': 'servicePrincipalName',
};

/**
 * Authentication-details file columns → `authenticationDetail` members. No published header was
 * found; these are the portal's labels for the details tab, matched loosely.
 */
export const PORTAL_DETAIL_COLUMNS: Readonly<Record<string, string>> = {
  'request id': 'id',
  'date (utc)': 'authenticationStepDateTime',
  date: 'authenticationStepDateTime',
  'authentication method': 'authenticationMethod',
  'authentication method detail': 'authenticationMethodDetail',
  succeeded: 'succeeded',
  result: 'succeeded',
  'result detail': 'authenticationStepResultDetail',
  'authentication step result detail': 'authenticationStepResultDetail',
  requirement: 'authenticationStepRequirement',
  'authentication step requirement': 'authenticationStepRequirement',
};

const BOOLEAN_TARGETS = new Set(['deviceDetail/isCompliant', 'deviceDetail/isManaged', 'isThroughGlobalSecureAccess', 'flaggedForReview', 'succeeded']);

export type PortalFileKind = 'interactiveUser' | 'nonInteractiveUser' | 'user' | 'servicePrincipal' | 'managedIdentity' | 'authDetails';

/** Is this header a sign-in download's (a `Request ID` and a date column)? */
export function isPortalHeader(cells: readonly string[]): boolean {
  const keys = new Set(cells.map(portalKey));
  return keys.has('request id') && (keys.has('date (utc)') || keys.has('date') || keys.has('authentication method'));
}

/** Which download a header (and the file name) is. */
export function portalFileKind(cells: readonly string[], name: string): PortalFileKind {
  const keys = new Set(cells.map(portalKey));
  const fromName = portalEventTypeFromName(name);
  if ((keys.has('authentication method') && !keys.has('username') && !keys.has('application')) || /authdetails/i.test(name.split(/[\\/]/).pop() ?? '')) return 'authDetails';
  if (fromName === 'managedIdentity' || keys.has('managed identity id') || keys.has('managed identity name')) return 'managedIdentity';
  if (keys.has('service principal id') || keys.has('service principal name') || fromName === 'servicePrincipal') return 'servicePrincipal';
  if (fromName === 'interactiveUser' || fromName === 'nonInteractiveUser') return fromName;
  return 'user';
}

/** "Yes" / "No" (and "Success" / "Failure" for a step) as booleans; other text left to normalization. */
function booleanCell(text: string): unknown {
  const t = text.trim().toLowerCase();
  if (t === 'yes' || t === 'success' || t === 'succeeded') return true;
  if (t === 'no' || t === 'failure' || t === 'failed') return false;
  return text;
}

/** Display spellings of values normalization's loose enum matching cannot place. */
const DISPLAY_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  authenticationProtocol: { 'saml 2.0': 'saml20', 'ws-federation': 'wsFederation', 'oauth 2.0': 'oAuth2' },
  // A string property in Graph: its two values, as the portal words them.
  authenticationRequirement: { 'single-factor authentication': 'singleFactorAuthentication', 'multifactor authentication': 'multiFactorAuthentication', 'multi-factor authentication': 'multiFactorAuthentication' },
};

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('/');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) cur = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      cur[p] = created;
      cur = created;
    }
  }
  const last = parts[parts.length - 1] as string;
  if (!(last in cur)) cur[last] = value;
}

/** `City, State, Country` → signInLocation; other shapes keep the text as an unknown property. */
function readLocation(text: string, value: Record<string, unknown>): void {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length >= 3) {
    const country = parts.pop() as string;
    const state = parts.pop() as string;
    const city = parts.join(', ');
    value['location'] = { ...(city ? { city } : {}), ...(state ? { state } : {}), ...(country ? { countryOrRegion: country } : {}) };
    return;
  }
  const last = parts[parts.length - 1] ?? '';
  if (parts.length === 1 && /^[A-Za-z]{2}$/.test(last)) {
    value['location'] = { countryOrRegion: last };
    return;
  }
  value['Location'] = text;
}

export interface PortalColumns {
  /** The source row's keys: the header as written, a repeated name suffixed ` #2`. */
  keys: string[];
  /** Matching keys (see portalKey). */
  match: string[];
  kind: PortalFileKind;
}

export function portalColumns(header: readonly string[], name: string): PortalColumns {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    let key = h;
    for (let n = 2; seen.has(key); n++) key = `${h} #${n}`;
    seen.add(key);
    keys.push(key);
  }
  return { keys, match: header.map(portalKey), kind: portalFileKind(header, name) };
}

/**
 * One sign-in row as a Graph-shaped record. A column the mapping does not know is kept as an
 * unknown property under its header (spaces tidied); a column that is there twice gives its
 * value once (the first non-empty one).
 */
export function readPortalSignInRow(cells: readonly string[], cols: PortalColumns): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  cells.forEach((cell, i) => {
    if (isEmptyCell(cell)) return;
    const key = cols.match[i];
    if (key === undefined) return;
    const target = PORTAL_COLUMNS[key];
    if (target === 'raw-only') return;
    if (target === undefined) {
      const name = (cols.keys[i] ?? '').replace(/\s+/g, ' ').trim();
      if (!(name in value)) value[name] = cell;
      return;
    }
    if (target === 'location') return readLocation(cell, value);
    let v: unknown = cell;
    if (target === 'createdDateTime') v = parseExportTime(cell, { offsetMinutes: 0 }) ?? cell;
    else if (BOOLEAN_TARGETS.has(target)) v = booleanCell(cell);
    else if (target === 'processingTimeInMilliseconds') v = cell.replace(/\s*ms$/i, '');
    else if (DISPLAY_VALUES[target]) v = DISPLAY_VALUES[target][cell.trim().toLowerCase()] ?? cell;
    setPath(value, target, v);
  });
  const type = cols.kind === 'user' || cols.kind === 'authDetails' ? undefined : cols.kind;
  if (type !== undefined) {
    value['signInEventTypes'] = [type];
    const interactive = interactiveOf(type);
    if (interactive !== undefined) value['isInteractive'] = interactive;
  }
  return value;
}

/** One authentication-details row: the request ID and one `authenticationDetail`. */
export function readPortalDetailRow(cells: readonly string[], cols: PortalColumns): { id: string | undefined; detail: Record<string, unknown> } {
  const detail: Record<string, unknown> = {};
  let id: string | undefined;
  cells.forEach((cell, i) => {
    if (isEmptyCell(cell)) return;
    const key = cols.match[i] ?? '';
    const target = PORTAL_DETAIL_COLUMNS[key];
    if (target === 'id') {
      id ??= cell.trim();
      return;
    }
    if (target === undefined) {
      const name = (cols.keys[i] ?? '').replace(/\s+/g, ' ').trim();
      if (!(name in detail)) detail[name] = cell;
      return;
    }
    if (target in detail) return;
    if (target === 'authenticationStepDateTime') detail[target] = parseExportTime(cell, { offsetMinutes: 0 }) ?? cell;
    else if (BOOLEAN_TARGETS.has(target)) detail[target] = booleanCell(cell);
    else detail[target] = cell;
  });
  return { id, detail };
}

/** Reads an admin-center CSV download: sign-ins (one record a row) or authentication details (partial records). */
export async function* readPortalCsv(chunks: AsyncIterable<Buffer>, input: { name: string }): AsyncGenerator<RawItem[]> {
  let cols: PortalColumns | null = null;
  let headerKeys = '';
  for await (const batch of readCsvRows(chunks)) {
    const out: RawItem[] = [];
    for (const row of batch) {
      if (row.kind === 'problem') {
        out.push(row);
        continue;
      }
      const rowKeys = row.cells.map(portalKey).join('\u0000');
      if (cols === null || (rowKeys !== headerKeys && isPortalHeader(row.cells) && row.cells.every((c) => c.trim() !== '' && !/^[0-9a-f]{8}-/i.test(c.trim())))) {
        // The header, or a new one (downloads joined together).
        cols = portalColumns(row.cells, input.name);
        headerKeys = rowKeys;
        continue;
      }
      if (rowKeys === headerKeys) continue; // the header repeated inside the file
      const source: Record<string, string> = {};
      row.cells.forEach((cell, i) => {
        source[cols?.keys[i] ?? `#${i + 1}`] = cell;
      });
      const at = { line: row.line, offset: row.offset, text: row.text, envelope: null, source, formatEncoded: true };
      if (cols.kind === 'authDetails') {
        const { id, detail } = readPortalDetailRow(row.cells, cols);
        if (id === undefined) {
          out.push({ kind: 'problem', line: row.line, offset: row.offset, reason: 'authentication-details row without a Request ID', raw: row.text });
          continue;
        }
        out.push({ kind: 'raw', value: { id, authenticationDetails: [detail] }, partial: ['authenticationDetails'], ...at });
        continue;
      }
      out.push({ kind: 'raw', value: readPortalSignInRow(row.cells, cols), ...at });
    }
    if (out.length) yield out;
  }
}
