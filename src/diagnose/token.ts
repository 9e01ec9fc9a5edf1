// A pasted token (JWT), read to find its sign-ins: the `uti` claim is the sign-in's unique token
// identifier and encodes its request ID (semantics.md §1.3), `sid` is its session ID. The token is
// decoded WITHOUT checking its signature (jose's decodeJwt): Gatelog has no reason to trust it, it
// only reads identifiers out of it, and says so in every answer.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { GatelogError } from '../errors.js';
import { uniqueTokenIdentifierToRequestId } from '../model/unique-token-identifier.js';

export const UNVERIFIED_NOTICE = 'The token was decoded without checking its signature: its claims are read only to find sign-ins, not trusted.';

/** Claims shown from the token (identity and linkable identifiers, not its whole payload). */
const SHOWN_CLAIMS = ['iss', 'aud', 'iat', 'nbf', 'exp', 'tid', 'oid', 'sub', 'upn', 'preferred_username', 'unique_name', 'appid', 'azp', 'app_displayname', 'uti', 'sid', 'deviceid', 'amr', 'acrs', 'scp', 'roles', 'wids', 'idtyp', 'ver'] as const;

export interface TokenReading {
  /** Always false: the signature is not checked. */
  signatureChecked: false;
  notice: string;
  header: { alg: string | null; typ: string | null; kid: string | null };
  claims: Record<string, unknown>;
  /** The `uti` claim: the sign-in's `uniqueTokenIdentifier`. */
  uniqueTokenIdentifier: string | null;
  /** The request ID `uti` encodes: the sign-in's `id`. */
  requestId: string | null;
  /** The `sid` claim: the sign-in's `sessionId`. */
  sessionId: string | null;
  /** When the token was issued (`iat`), ISO 8601. */
  issuedAt: string | null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Reads a JWT's header and claims without verifying it. Throws a GatelogError (Request_BadRequest)
 * saying what is wrong when the text is not a JWT (an encrypted token, a truncated paste).
 *
 * @example readToken(jwt).requestId // '35918bc9-196d-40ea-9779-889d79b753f0' for uti 'yYuRNW0Z6kCXeYidebdT8A'
 */
export function readToken(token: string): TokenReading {
  const t = token.trim().replace(/^Bearer\s+/i, '');
  const parts = t.split('.');
  if (parts.length === 5) throw new GatelogError('Request_BadRequest', 'token: this is an encrypted token (JWE, five parts); only signed tokens (JWT, three parts) can be read. Paste an access or ID token.');
  if (parts.length !== 3) throw new GatelogError('Request_BadRequest', `token: a JWT has three parts separated by dots, this text has ${parts.length}`);
  let payload: Record<string, unknown>;
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(t) as Record<string, unknown>;
  } catch {
    throw new GatelogError('Request_BadRequest', 'token: the first part (header) is not base64url-encoded JSON');
  }
  try {
    payload = decodeJwt(t) as Record<string, unknown>;
  } catch {
    throw new GatelogError('Request_BadRequest', 'token: the second part (claims) is not base64url-encoded JSON');
  }
  const uti = text(payload['uti']);
  const iat = payload['iat'];
  const claims: Record<string, unknown> = {};
  for (const c of SHOWN_CLAIMS) if (payload[c] !== undefined) claims[c] = payload[c];
  return {
    signatureChecked: false,
    notice: UNVERIFIED_NOTICE,
    header: { alg: text(header['alg']), typ: text(header['typ']), kid: text(header['kid']) },
    claims,
    uniqueTokenIdentifier: uti,
    requestId: uti ? uniqueTokenIdentifierToRequestId(uti) : null,
    sessionId: text(payload['sid']),
    issuedAt: typeof iat === 'number' && Number.isFinite(iat) ? new Date(iat * 1000).toISOString() : null,
  };
}
