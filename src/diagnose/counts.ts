// The counts behind "account locked" and "password spray": how many failed password attempts a user
// had, and how many users failed from one IP address, around the sign-in's time. Each is a count (or
// a few one-row queries) through the caller's reader, with neutral conditions both stores render:
// nothing is loaded beyond the rows counted.
import type { SignInRecord } from '../model/sign-in.js';
import { formatDateTime, parseDateTime } from '../model/time.js';
import { and, column, not, value, type Condition } from '../query/sql/expr.js';
import type { DiagnoseReader } from './reader.js';

/** Codes of a wrong or unusable password (or user name): what a spray or a lockout is made of. */
export const PASSWORD_FAILURE_CODES: readonly number[] = [50126, 50053, 50034, 50056, 50064, 50055];

/** How far around the sign-in the counts look (Entra's diagnostic looks back 48 hours; a day each side). */
export const WINDOW_HOURS = 24;

/** Distinct users failing from one address at or above which the failures look like a password spray. */
export const SPRAY_MIN_USERS = 5;

const HOUR_NS = 3_600_000_000_000n;

export function codesIn(codes: readonly number[]): Condition {
  return { kind: 'in', operand: column(['status', 'errorCode'], 'int'), values: codes.map((c) => value(c, 'int')), caseInsensitive: false };
}

export function textEq(path: readonly string[], v: string): Condition {
  return { kind: 'compare', op: 'eq', left: column(path, 'string'), right: value(v, 'string'), caseInsensitive: true };
}

/** Sign-ins within `hours` before and after the record's time. */
export function around(record: SignInRecord, hours = WINDOW_HOURS): Condition {
  const ns = parseDateTime(record.createdDateTime);
  if (ns === null) return { kind: 'true' };
  const at = column(['createdDateTime'], 'datetime');
  return and(
    { kind: 'compare', op: 'ge', left: at, right: value(formatDateTime(ns - BigInt(hours) * HOUR_NS), 'datetime'), caseInsensitive: false },
    { kind: 'compare', op: 'le', left: at, right: value(formatDateTime(ns + BigInt(hours) * HOUR_NS), 'datetime'), caseInsensitive: false },
  );
}

/**
 * Distinct values of a text field among the sign-ins a condition selects, up to `max`: one-row
 * queries, each excluding the values already found, so a busy address costs `max` small reads.
 */
export async function distinctValues(reader: DiagnoseReader, where: Condition, path: readonly string[], max: number): Promise<string[]> {
  const found: string[] = [];
  const field = column(path, 'string');
  const base = and(where, { kind: 'isNull', operand: field, negated: true });
  while (found.length < max) {
    const exclude: Condition = found.length === 0 ? { kind: 'true' } : not({ kind: 'in', operand: field, values: found.map((f) => value(f, 'string')), caseInsensitive: true });
    const [row] = await reader.query({ where: and(base, exclude), order: 'desc', limit: 1, select: [path[0] as string] });
    let v: unknown = row?.record;
    for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    if (typeof v !== 'string' || v === '') break;
    found.push(v);
  }
  return found;
}

export interface UserAttempts {
  /** Failed password attempts of the user in the window. */
  failures: number;
  /** Addresses they came from (up to 5). */
  addresses: string[];
  /** Apps they were for (up to 5). */
  apps: string[];
}

export async function countUserFailures(reader: DiagnoseReader, record: SignInRecord): Promise<UserAttempts | null> {
  const user = typeof record.userId === 'string' && record.userId !== '' ? textEq(['userId'], record.userId) : typeof record.userPrincipalName === 'string' && record.userPrincipalName !== '' ? textEq(['userPrincipalName'], record.userPrincipalName) : null;
  if (!user) return null;
  const where = and(user, codesIn(PASSWORD_FAILURE_CODES), around(record));
  const failures = await reader.count(where);
  return { failures, addresses: await distinctValues(reader, where, ['ipAddress'], 5), apps: await distinctValues(reader, where, ['appDisplayName'], 5) };
}

export interface AddressFailures {
  ipAddress: string;
  /** Failed password attempts from the address in the window, all users. */
  failures: number;
  /** Distinct users among them (counted up to SPRAY_MIN_USERS × 2). */
  users: number;
  /** Whether `users` reached the cap (there may be more). */
  atLeast: boolean;
  /** A few of those users. */
  sample: string[];
}

export async function countAddressFailures(reader: DiagnoseReader, record: SignInRecord): Promise<AddressFailures | null> {
  const ip = record.ipAddress;
  if (typeof ip !== 'string' || ip === '') return null;
  const where = and(textEq(['ipAddress'], ip), codesIn(PASSWORD_FAILURE_CODES), around(record));
  const cap = SPRAY_MIN_USERS * 2;
  const failures = await reader.count(where);
  const users = await distinctValues(reader, where, ['userPrincipalName'], cap);
  return { ipAddress: ip, failures, users: users.length, atLeast: users.length >= cap, sample: users.slice(0, 5) };
}
