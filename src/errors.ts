// The one error registry: every error a user can see has a stable code, an HTTP status (for the
// API) and a message saying what to do. The API answers with these in Microsoft Graph's error
// shape; the CLI prints the message and exits non-zero. docs/errors.md lists them (a test keeps
// the two in step).

export const ERROR_CODES = {
  Request_BadRequest: { status: 400, summary: 'The request is malformed: a bad option, parameter or value.' },
  Request_UnsupportedQuery: { status: 400, summary: 'A $filter, $orderby or $select that cannot be answered; the message names the property, operator and position.' },
  Request_InvalidSkipToken: { status: 400, summary: 'The $skiptoken was altered or belongs to another query; start the listing again without it.' },
  Request_ResourceNotFound: { status: 404, summary: 'No sign-in (or other resource) with that id.' },
  InvalidAuthenticationToken: { status: 401, summary: 'No credentials, or credentials that are not valid: send a bearer token.' },
  Authorization_RequestDenied: { status: 403, summary: 'The caller is authenticated but its role or scope does not allow this.' },
  TooManyRequests: { status: 429, summary: 'Too many requests from this caller; wait for the Retry-After seconds.' },
  Request_EntityTooLarge: { status: 413, summary: 'The request body or a record in it is larger than the limit.' },
  Input_Unusable: { status: 400, summary: 'An input file cannot be read at all (missing, empty, or not a format Gatelog reads).' },
  Store_Locked: { status: 503, summary: 'The embedded store is open in another process (a running server); stop it or ingest through its API.' },
  Store_Unavailable: { status: 503, summary: 'The store cannot answer right now (a server down, a shard missing); nothing partial is returned.' },
  Server_Busy: { status: 503, summary: 'The server is writing as many batches as it takes at once; send again after the Retry-After seconds (nothing of the refused batch was stored).' },
  Internal_Error: { status: 500, summary: 'An unexpected error; details are in the server log, never in the response.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class GatelogError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatelogError';
    this.status = ERROR_CODES[code].status;
  }
}
