// Every route the server has, with the permission it needs. A test fails when the server has a
// route that is not listed here, or lists one it does not have.

export type Permission = 'public' | 'read' | 'ingest' | 'admin';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  permission: Permission;
  summary: string;
  query?: readonly { name: string; description: string }[];
}

const GRAPH_LIST_QUERY = [
  { name: '$filter', description: 'OData filter (Graph dialect); see docs/api.md' },
  { name: '$top', description: 'page size, 1–1000 (default 1000)' },
  { name: '$skiptoken', description: 'opaque position from @odata.nextLink' },
  { name: '$orderby', description: 'createdDateTime asc|desc (default desc)' },
  { name: '$select', description: 'comma-separated properties' },
  { name: '$count', description: 'true to include @odata.count' },
] as const;

const EXPORT_QUERY = [
  { name: 'format', description: 'csv (the admin center CSV download) or json (a JSON array of Graph beta signIn records)' },
  { name: 'filter', description: 'Graph $filter (beta), as the list uses it' },
  { name: 'eventTypes', description: 'comma list of signInEventTypes members (interactiveUser, nonInteractiveUser, servicePrincipal, managedIdentity); all types when absent' },
  { name: 'orderby', description: 'createdDateTime desc (default, newest first) or asc' },
] as const;

export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', url: '/healthz', permission: 'public', summary: 'Liveness and store status' },
  { method: 'GET', url: '/openapi.json', permission: 'public', summary: 'This OpenAPI document' },
  // Web sign-in (docs/security.md): public routes that sign the browser in and out.
  {
    method: 'GET',
    url: '/',
    permission: 'public',
    summary: 'The web UI; with ?token= (the address `gatelog serve` prints) signs the browser in (session cookie) and redirects to /',
    query: [{ name: 'token', description: 'the local admin token or an API key; becomes a session cookie, never kept in the address' }],
  },
  { method: 'GET', url: '/auth/login', permission: 'public', summary: 'Starts the web sign-in at the OpenID Connect issuer (authorization code flow with PKCE); 404 when none is configured' },
  {
    method: 'GET',
    url: '/auth/callback',
    permission: 'public',
    summary: 'Where the identity provider sends the browser back: exchanges the code, verifies the id_token, signs the browser in',
    query: [
      { name: 'code', description: 'authorization code' },
      { name: 'state', description: 'the state of the sign-in this browser started' },
    ],
  },
  // The web UI (docs/web.md): its pages answer its shell to a signed-in browser (the sign-in page
  // otherwise); its scripts and styles are public, as they hold no data.
  { method: 'GET', url: '/ui/*', permission: 'public', summary: 'The web UI\'s pages (the shell page to a signed-in browser, the sign-in page otherwise)' },
  { method: 'GET', url: '/assets/:file', permission: 'public', summary: 'The web UI\'s scripts and styles (content-hashed names, cached for a year)' },
  { method: 'POST', url: '/auth/logout', permission: 'public', summary: 'Ends the browser session (with the session cookie: X-CSRF-Token required)' },
  { method: 'GET', url: '/:version/auditLogs/signIns', permission: 'read', summary: 'List sign-ins (Graph signIn, v1.0 or beta)', query: GRAPH_LIST_QUERY },
  { method: 'GET', url: '/:version/auditLogs/signIns/:id', permission: 'read', summary: 'Get one sign-in by id (Graph signIn, v1.0 or beta)' },
  {
    method: 'GET',
    url: '/api/signins',
    permission: 'read',
    summary: 'The web UI\'s sign-in list: a keyset page of compact rows (the list\'s columns), every event type unless eventTypes names some',
    query: [
      { name: 'filter', description: 'Graph $filter (beta)' },
      { name: 'eventTypes', description: 'comma list of signInEventTypes members; all types when absent' },
      { name: 'orderby', description: 'createdDateTime desc (default, newest first) or asc' },
      { name: 'top', description: 'page size, 1–1000 (default 200)' },
      { name: 'skiptoken', description: 'the position the previous page answered in skiptoken' },
      { name: 'count', description: 'true to add count (all matching sign-ins)' },
    ],
  },
  { method: 'GET', url: '/api/signins/export', permission: 'read', summary: 'Download the sign-ins a filter selects, streamed, no row cap: the admin center CSV or a JSON array of Graph beta records', query: EXPORT_QUERY },
  {
    method: 'GET',
    url: '/api/reports/:name',
    permission: 'read',
    summary: 'A report (overview, auth-methods, conditional-access, cross-tenant): sections of counts computed by the store, each with its definition (docs/reports.md)',
    query: [
      { name: 'since', description: 'sign-ins at or after this time (ISO 8601, or 7d / 24h back from now)' },
      { name: 'until', description: 'sign-ins before this time (ISO 8601, or a span back from now)' },
      { name: 'filter', description: 'Graph $filter (beta), ANDed with the report\'s own selection' },
      { name: 'policy', description: 'conditional-access: the report-only policy id whose "if enabled" impact to show (default: up to 10 report-only policies)' },
    ],
  },
  {
    method: 'GET',
    url: '/api/signins/aggregate',
    permission: 'read',
    summary: 'Non-interactive sign-ins grouped by application, user, IP address, status and resource per time window (the admin center\'s aggregate view)',
    query: [
      { name: 'window', description: '1h, 6h or 24h (default 24h)' },
      { name: 'filter', description: 'Graph $filter (beta)' },
      { name: 'since', description: 'sign-ins at or after this time (ISO 8601, or 7d / 24h back from now)' },
      { name: 'until', description: 'sign-ins before this time' },
      { name: 'top', description: 'at most this many groups, 1–5000 (default 500), newest window first' },
    ],
  },
  { method: 'GET', url: '/api/correlations/:id', permission: 'read', summary: 'The sign-ins sharing a correlation ID (every event type, oldest first, Graph beta shape) with their raw events' },
  {
    method: 'POST',
    url: '/api/diagnose',
    permission: 'read',
    summary: 'The Sign-in Diagnostic: findings (scenario, assessment, evidence, next steps) for a sign-in id, a correlation or request ID, a user and time window, or a token (JSON body; docs/diagnose.md)',
  },
  { method: 'GET', url: '/api/error-codes', permission: 'read', summary: 'The error-code catalogue: every Entra error code Gatelog explains, with its name, meaning and remediation' },
  { method: 'GET', url: '/api/error-codes/:code', permission: 'read', summary: 'One error code (50126 or AADSTS50126): name, meaning, remediation; known: false for a code the catalogue lacks' },
  {
    method: 'GET',
    url: '/api/audit',
    permission: 'admin',
    summary: 'The audit of reads of sign-in data (who, when, credential, tenants, route, filter, rows, status), newest first',
    query: [
      { name: 'since', description: 'entries at or after this time (ISO 8601)' },
      { name: 'until', description: 'entries before this time (ISO 8601)' },
      { name: 'actor', description: 'entries of this actor only' },
      { name: 'top', description: 'at most this many, 1–1000 (default 100)' },
    ],
  },
  {
    method: 'POST',
    url: '/ingest/signins',
    permission: 'ingest',
    summary: 'Add Graph sign-in records (NDJSON, a JSON array or Graph pages; gzip accepted); answers once they are committed',
    query: [
      { name: 'tenant', description: 'log tenant for every record (default: each record\'s resourceTenantId)' },
      { name: 'format', description: 'auto (default) or one of the import formats (docs/formats.md)' },
    ],
  },
  {
    method: 'POST',
    url: '/ingest/events',
    permission: 'ingest',
    summary: 'Add Gatelog events (NDJSON, one per authentication step or status change; docs/events.md); answers once they are committed',
    query: [{ name: 'tenant', description: 'log tenant for every event (default: the event\'s tenantId, then its sign-in\'s resourceTenantId)' }],
  },
];
