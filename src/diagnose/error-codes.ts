// What a sign-in's error code means: the catalogue (error-code-data.ts) looked up, and explained
// beside the failure reason the record itself carries. Used wherever a code is shown: the diagnose
// answer, GET /api/error-codes/{code}, the CLI's tables and the web UI (this module imports nothing
// from Node, so the browser bundle can use it as it is).
import { ERROR_CODE_ROWS } from './error-code-data.js';

/** One code of the catalogue. */
export interface ErrorCodeInfo {
  code: number;
  /** Microsoft's identifier for the code (`InvalidUserNameOrPassword`), or null when it has none. */
  name: string | null;
  /** What the code means, in a sentence. */
  meaning: string;
  /** What to do about it, when Microsoft's pages suggest something. */
  remediation: string | null;
}

/** An error code explained: the catalogue's entry (or that there is none) and what the record says. */
export interface ErrorCodeExplanation {
  code: number;
  /** Whether the catalogue has the code. */
  known: boolean;
  name: string | null;
  /** The catalogue's meaning; for an unknown code, a sentence saying that it is unknown. */
  meaning: string;
  remediation: string | null;
  /** The record's own `status/failureReason`, as recorded (null when it has none). */
  failureReason: string | null;
  /** The record's own `status/additionalDetails`, as recorded. */
  additionalDetails: string | null;
}

const SUCCESS: ErrorCodeInfo = { code: 0, name: null, meaning: 'Success: the sign-in was not stopped.', remediation: null };

const BY_CODE: ReadonlyMap<number, ErrorCodeInfo> = new Map([
  [0, SUCCESS],
  ...ERROR_CODE_ROWS.map(([code, name, meaning, remediation]): [number, ErrorCodeInfo] => [code, { code, name: name || null, meaning, remediation: remediation || null }]),
]);

/** The catalogue entry of a code (0 is success), or undefined when the catalogue does not have it. */
export function lookupErrorCode(code: number): ErrorCodeInfo | undefined {
  return BY_CODE.get(code);
}

/** Every code of the catalogue, in code order (0, success, first). */
export function listErrorCodes(): ErrorCodeInfo[] {
  return [...BY_CODE.values()].sort((a, b) => a.code - b.code);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/**
 * Explains a code, with the failure reason and details the record carries. An unknown code says so
 * plainly and keeps the record's own reason, which is then the only explanation there is.
 *
 * @example explainErrorCode(50126, { failureReason: 'Invalid username or password.' }).name // 'InvalidUserNameOrPassword'
 */
export function explainErrorCode(code: number, status: { failureReason?: unknown; additionalDetails?: unknown } = {}): ErrorCodeExplanation {
  const info = BY_CODE.get(code);
  const failureReason = text(status.failureReason);
  const additionalDetails = text(status.additionalDetails);
  if (info) return { code, known: true, name: info.name, meaning: info.meaning, remediation: info.remediation, failureReason, additionalDetails };
  return {
    code,
    known: false,
    name: null,
    meaning: `Error code ${code} is unknown: Gatelog's catalogue of Entra error codes does not have it.${failureReason ? ' The failure reason below is what the record says.' : ''}`,
    remediation: null,
    failureReason,
    additionalDetails,
  };
}

/**
 * A short label for tables: `InvalidUserNameOrPassword: The username or password is wrong…`, the
 * record's failure reason for an unknown code, or '' for success.
 */
export function errorCodeLabel(code: number | null | undefined, failureReason?: unknown): string {
  if (code === null || code === undefined || code === 0) return '';
  const info = BY_CODE.get(code);
  if (!info) return `unknown code${text(failureReason) ? `: ${String(failureReason)}` : ''}`;
  return info.name ? `${info.name}: ${info.meaning}` : info.meaning;
}
