// The sign-in list's view as the address bar holds it (so a copied link reproduces the view): the
// tab, the date range, every filter, the sort, the columns, the time zone switch, the aggregate
// switch and the selected sign-in. buildFilter turns it into Graph's beta $filter, the one text the
// list, the count, the download and the aggregate all send.

export type TabKey = 'interactive' | 'noninteractive' | 'serviceprincipal' | 'managedidentity';

export const TABS: readonly { key: TabKey; label: string; eventType: string }[] = [
  { key: 'interactive', label: 'User sign-ins (interactive)', eventType: 'interactiveUser' },
  { key: 'noninteractive', label: 'User sign-ins (non-interactive)', eventType: 'nonInteractiveUser' },
  { key: 'serviceprincipal', label: 'Service principal sign-ins', eventType: 'servicePrincipal' },
  { key: 'managedidentity', label: 'Managed identity sign-ins', eventType: 'managedIdentity' },
];

export type RangeKey = '24h' | '7d' | '30d' | 'custom';

export const RANGES: readonly { key: RangeKey; label: string; hours: number }[] = [
  { key: '24h', label: 'Last 24 hours', hours: 24 },
  { key: '7d', label: 'Last 7 days', hours: 24 * 7 },
  { key: '30d', label: 'Last 30 days', hours: 24 * 30 },
  { key: 'custom', label: 'Custom time interval', hours: 0 },
];

/**
 * Error codes the portal's Status column shows as "Interrupted" (the user authenticated and has more
 * to do). The same list as src/export/portal-csv.ts INTERRUPTED_ERROR_CODES, which the CSV download
 * uses; the end-to-end test checks the two agree.
 */
export const INTERRUPTED_CODES: readonly number[] = [50058, 50074, 50076, 50140, 50125, 50072, 50079, 81010, 16000, 16001, 16003];

/** OData string literal: quotes doubled. */
export function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export interface FilterDef {
  /** The URL parameter. */
  key: string;
  label: string;
  /** Choices (value, label); free text when absent. */
  choices?: readonly (readonly [string, string])[];
  placeholder?: string;
  /** The $filter clause for a value. */
  clause(value: string): string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The portal's "Add filters" fields, in its order, each as a $filter clause. */
export const FILTERS: readonly FilterDef[] = [
  {
    key: 'user',
    label: 'User',
    placeholder: 'name, user principal name or object ID',
    clause: (v) => (GUID.test(v) ? `userId eq ${quote(v)}` : `(startsWith(userDisplayName, ${quote(v)}) or startsWith(userPrincipalName, ${quote(v)}))`),
  },
  {
    key: 'app',
    label: 'Application',
    placeholder: 'name or application ID',
    clause: (v) => (GUID.test(v) ? `appId eq ${quote(v)}` : `startsWith(appDisplayName, ${quote(v)})`),
  },
  {
    key: 'resource',
    label: 'Resource',
    placeholder: 'name or resource ID',
    clause: (v) => (GUID.test(v) ? `resourceId eq ${quote(v)}` : `startsWith(resourceDisplayName, ${quote(v)})`),
  },
  {
    key: 'status',
    label: 'Status',
    choices: [
      ['success', 'Success'],
      ['failure', 'Failure'],
      ['interrupted', 'Interrupted'],
    ],
    clause: (v) => {
      const codes = INTERRUPTED_CODES.join(', ');
      if (v === 'success') return 'status/errorCode eq 0';
      if (v === 'interrupted') return `status/errorCode in (${codes})`;
      return `(status/errorCode ne 0 and not (status/errorCode in (${codes})))`;
    },
  },
  { key: 'ip', label: 'IP address', placeholder: 'address or its start', clause: (v) => `startsWith(ipAddress, ${quote(v)})` },
  {
    key: 'location',
    label: 'Location',
    placeholder: 'city, state or country code',
    clause: (v) => `(startsWith(location/city, ${quote(v)}) or startsWith(location/state, ${quote(v)}) or location/countryOrRegion eq ${quote(v)})`,
  },
  { key: 'requestId', label: 'Request ID', clause: (v) => `id eq ${quote(v)}` },
  { key: 'correlationId', label: 'Correlation ID', clause: (v) => `correlationId eq ${quote(v)}` },
  {
    key: 'ca',
    label: 'Conditional Access',
    choices: [
      ['success', 'Success'],
      ['failure', 'Failure'],
      ['notApplied', 'Not Applied'],
    ],
    clause: (v) => `conditionalAccessStatus eq ${quote(v)}`,
  },
  {
    key: 'authReq',
    label: 'Authentication requirement',
    choices: [
      ['singleFactorAuthentication', 'Single-factor authentication'],
      ['multiFactorAuthentication', 'Multifactor authentication'],
    ],
    clause: (v) => `authenticationRequirement eq ${quote(v)}`,
  },
  {
    key: 'clientApp',
    label: 'Client app',
    choices: [
      ['Browser', 'Browser'],
      ['Mobile Apps and Desktop clients', 'Mobile Apps and Desktop clients'],
      ['Exchange ActiveSync', 'Exchange ActiveSync'],
      ['IMAP4', 'IMAP4'],
      ['POP3', 'POP3'],
      ['Authenticated SMTP', 'Authenticated SMTP'],
      ['Exchange Web Services', 'Exchange Web Services'],
      ['Other clients', 'Other clients'],
    ],
    clause: (v) => `clientAppUsed eq ${quote(v)}`,
  },
  {
    key: 'userType',
    label: 'User type',
    choices: [
      ['member', 'Member'],
      ['guest', 'Guest'],
    ],
    clause: (v) => `userType eq ${quote(v)}`,
  },
  {
    key: 'crossTenant',
    label: 'Cross tenant access type',
    choices: [
      ['none', 'None'],
      ['b2bCollaboration', 'B2B collaboration'],
      ['b2bDirectConnect', 'B2B direct connect'],
      ['microsoftSupport', 'Microsoft support'],
      ['serviceProvider', 'Service provider'],
      ['passthrough', 'Passthrough'],
    ],
    // A flags enum: 'none' is the empty set, the others are members.
    clause: (v) => (v === 'none' ? `crossTenantAccessType eq 'none'` : `crossTenantAccessType has ${quote(v)}`),
  },
  {
    key: 'tokenType',
    label: 'Incoming token type',
    choices: [
      ['none', 'None'],
      ['primaryRefreshToken', 'Primary refresh token'],
      ['saml11', 'SAML 1.1'],
      ['saml20', 'SAML 2.0'],
      ['remoteDesktopToken', 'Remote desktop token'],
      ['refreshToken', 'Refresh token'],
    ],
    clause: (v) => (v === 'none' ? `incomingTokenType eq 'none'` : `incomingTokenType has ${quote(v)}`),
  },
  {
    key: 'risk',
    label: 'Sign-in risk level',
    choices: [
      ['none', 'None'],
      ['low', 'Low'],
      ['medium', 'Medium'],
      ['high', 'High'],
      ['hidden', 'Hidden'],
    ],
    clause: (v) => `riskLevelDuringSignIn eq ${quote(v)}`,
  },
  {
    key: 'os',
    label: 'Operating system',
    placeholder: 'Windows, iOS, …',
    clause: (v) => `startsWith(deviceDetail/operatingSystem, ${quote(v)})`,
  },
  {
    key: 'browser',
    label: 'Browser',
    placeholder: 'Edge, Chrome, …',
    clause: (v) => `startsWith(deviceDetail/browser, ${quote(v)})`,
  },
  {
    key: 'compliant',
    label: 'Compliant',
    choices: [
      ['true', 'Yes'],
      ['false', 'No'],
    ],
    clause: (v) => `deviceDetail/isCompliant eq ${v === 'true' ? 'true' : 'false'}`,
  },
  {
    key: 'managed',
    label: 'Managed',
    choices: [
      ['true', 'Yes'],
      ['false', 'No'],
    ],
    clause: (v) => `deviceDetail/isManaged eq ${v === 'true' ? 'true' : 'false'}`,
  },
  { key: 'asn', label: 'Autonomous system number', placeholder: 'a number', clause: (v) => `autonomousSystemNumber eq ${/^\d+$/.test(v) ? v : quote(v)}` },
  {
    key: 'protocol',
    label: 'Authentication protocol',
    choices: [
      ['none', 'None'],
      ['oAuth2', 'OAuth 2.0'],
      ['ropc', 'ROPC'],
      ['wsFederation', 'WS-Federation'],
      ['saml20', 'SAML 2.0'],
      ['deviceCode', 'Device code'],
    ],
    clause: (v) => (v === 'none' ? `authenticationProtocol eq 'none'` : `authenticationProtocol has ${quote(v)}`),
  },
  { key: 'token', label: 'Unique token identifier', clause: (v) => `uniqueTokenIdentifier eq ${quote(v)}` },
  { key: 'errorCode', label: 'Sign-in error code', placeholder: 'e.g. 50126', clause: (v) => `status/errorCode eq ${/^-?\d+$/.test(v) ? v : quote(v)}` },
];

export const REPORT_ONLY_RESULTS: readonly (readonly [string, string])[] = [
  ['reportOnlySuccess', 'Report-only: Success'],
  ['reportOnlyFailure', 'Report-only: Failure'],
  ['reportOnlyNotApplied', 'Report-only: Not applied'],
  ['reportOnlyInterrupted', 'Report-only: Interrupted'],
];

/** Report-only result per policy (the portal cannot filter on it): a result, and optionally a policy. */
export function reportOnlyClause(result: string, policy: string): string {
  const p = policy.trim();
  const byPolicy = p === '' ? '' : GUID.test(p) ? ` and p/id eq ${quote(p)}` : ` and p/displayName eq ${quote(p)}`;
  return `appliedConditionalAccessPolicies/any(p: p/result eq ${quote(result)}${byPolicy})`;
}

export interface ViewState {
  tab: TabKey;
  range: RangeKey;
  /** Custom range bounds (ISO, UTC). */
  from: string;
  to: string;
  filters: Record<string, string>;
  roResult: string;
  roPolicy: string;
  order: 'desc' | 'asc';
  columns: string[] | null;
  utc: boolean;
  aggregate: boolean;
  window: '1h' | '6h' | '24h';
  selected: string;
  detailsTab: string;
}

function isTab(v: string | null): v is TabKey {
  return TABS.some((t) => t.key === v);
}

export function readViewState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const filters: Record<string, string> = {};
  for (const f of FILTERS) {
    const v = p.get(f.key);
    if (v !== null) filters[f.key] = v;
  }
  const range = p.get('range');
  const w = p.get('window');
  const tab = p.get('tab');
  return {
    tab: isTab(tab) ? tab : 'interactive',
    range: RANGES.some((r) => r.key === range) ? (range as RangeKey) : '24h',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    filters,
    roResult: p.get('roResult') ?? '',
    roPolicy: p.get('roPolicy') ?? '',
    order: p.get('order') === 'asc' ? 'asc' : 'desc',
    columns: p.get('cols') ? (p.get('cols') as string).split(',').filter((c) => c !== '') : null,
    utc: p.get('utc') === '1',
    aggregate: p.get('aggregate') === '1',
    window: w === '6h' || w === '24h' ? w : '1h',
    selected: p.get('id') ?? '',
    detailsTab: p.get('details') ?? 'basic',
  };
}

export function writeViewState(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.tab !== 'interactive') p.set('tab', s.tab);
  if (s.range !== '24h') p.set('range', s.range);
  if (s.range === 'custom') {
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
  }
  for (const f of FILTERS) {
    const v = s.filters[f.key];
    if (v !== undefined) p.set(f.key, v);
  }
  if (s.roResult) p.set('roResult', s.roResult);
  if (s.roPolicy) p.set('roPolicy', s.roPolicy);
  if (s.order === 'asc') p.set('order', 'asc');
  if (s.columns) p.set('cols', s.columns.join(','));
  if (s.utc) p.set('utc', '1');
  if (s.aggregate) p.set('aggregate', '1');
  if (s.window !== '1h') p.set('window', s.window);
  if (s.selected) p.set('id', s.selected);
  if (s.selected && s.detailsTab !== 'basic') p.set('details', s.detailsTab);
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** The time clause of the range; presets count back from `now`. */
export function rangeClause(s: ViewState, now: Date): string {
  if (s.range === 'custom') {
    const parts: string[] = [];
    if (s.from && !Number.isNaN(Date.parse(s.from))) parts.push(`createdDateTime ge ${new Date(s.from).toISOString()}`);
    if (s.to && !Number.isNaN(Date.parse(s.to))) parts.push(`createdDateTime le ${new Date(s.to).toISOString()}`);
    return parts.join(' and ');
  }
  const hours = RANGES.find((r) => r.key === s.range)?.hours ?? 24;
  return `createdDateTime ge ${new Date(now.getTime() - hours * 3_600_000).toISOString()}`;
}

/** The $filter (beta) of the view, without the event type (the tab sends that separately). */
export function buildFilter(s: ViewState, now: Date): string {
  const clauses: string[] = [];
  const range = rangeClause(s, now);
  if (range) clauses.push(range);
  for (const f of FILTERS) {
    const v = s.filters[f.key];
    if (v !== undefined && v.trim() !== '') clauses.push(f.clause(v.trim()));
  }
  if (s.roResult) clauses.push(reportOnlyClause(s.roResult, s.roPolicy));
  return clauses.join(' and ');
}

export function eventTypeOf(tab: TabKey): string {
  return TABS.find((t) => t.key === tab)?.eventType ?? 'interactiveUser';
}
